"""Product thumbnails in the shipping confirmation and the review request.

Each message is rendered with the Renderer, written as an .eml and read back with the
standard library's ``email`` package; the <img> tags of its HTML part are read with
``html.parser``.  A channel that forbids an image's host (Amazon: only Amazon's and the
seller's own) gets the message without it, and the plain-text part never shows images.
"""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default
from html.parser import HTMLParser
from typing import Any

import pytest

from sellercomms import Renderer, parse_order

THIRD_PARTY = "https://cdn.images.example/mug-blue.jpg"
AMAZON_IMAGE = "https://m.media-amazon.com/images/I/61mugblue._SL160_.jpg"
MESSAGES = ("shipping_confirmation", "review_request")


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[dict[str, str | None]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "img":
            self.images.append(dict(attrs))


def _parts(renderer: Renderer, template: str, order: dict[str, Any]) -> tuple[str, str]:
    """The HTML and text parts of the message as a mail client reads them from the .eml."""
    mail = renderer.email(template, parse_order(order))
    message = email.message_from_bytes(mail.to_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    html, text = message.get_body(("html",)), message.get_body(("plain",))
    assert html is not None and text is not None
    return html.get_content(), text.get_content()


def _read(html: str) -> _Images:
    reader = _Images()
    reader.feed(html)
    reader.close()
    return reader


def _images(html: str) -> list[dict[str, str | None]]:
    return _read(html).images


def _words(text: str | None) -> str:
    """``text`` with its spaces plain: titles keep a number and its unit together (350 ml)."""
    return " ".join((text or "").split())


def _order(order_dicts: list[dict[str, Any]], order_id: str) -> dict[str, Any]:
    return next(o for o in order_dicts if o["order_id"] == order_id)


@pytest.mark.parametrize("template", MESSAGES)
def test_an_own_store_item_shows_its_thumbnail(
    renderer: Renderer, order_dicts: list[dict[str, Any]], template: str
) -> None:
    order = _order(order_dicts, "ACME-1003")
    first = order["items"][0]
    first["image_url"] = THIRD_PARTY  # the seller's own e-mail may show any host
    html, text = _parts(renderer, template, order)
    (image,) = [i for i in _images(html) if i.get("src") == THIRD_PARTY]
    assert (image["width"], image["height"], image["border"]) == ("64", "64", "0")
    assert _words(image["alt"]) == first["title"]
    style = (image["style"] or "").replace(" ", "")
    for declaration in ("display:block", "width:64px", "height:64px"):
        assert declaration in style
    assert THIRD_PARTY not in text


@pytest.mark.parametrize("template", MESSAGES)
def test_items_without_an_image_show_none(
    renderer: Renderer, order_dicts: list[dict[str, Any]], template: str
) -> None:
    order = _order(order_dicts, "ACME-1002")
    assert not any(item.get("image_url") for item in order["items"])
    html, _ = _parts(renderer, template, order)
    # The sample seller's logo is a file, which e-mails do not show: no image at all.
    assert _images(html) == []


def test_only_the_items_with_an_image_show_one(
    renderer: Renderer, order_dicts: list[dict[str, Any]]
) -> None:
    order = _order(order_dicts, "ACME-1002")
    order["items"][1]["image_url"] = THIRD_PARTY
    html, _ = _parts(renderer, "shipping_confirmation", order)
    assert [image["src"] for image in _images(html)] == [THIRD_PARTY]


def test_amazon_leaves_out_a_third_party_image(
    renderer: Renderer, order_dicts: list[dict[str, Any]]
) -> None:
    order = _order(order_dicts, "113-7654321-1234567")
    order["items"][0]["image_url"] = THIRD_PARTY
    # Renderer.email checks the rendered message against Amazon's rules: it renders.
    html, text = _parts(renderer, "review_request", order)
    assert _images(html) == []
    assert THIRD_PARTY not in html and THIRD_PARTY not in text


def test_amazon_shows_an_image_from_amazon(
    renderer: Renderer, order_dicts: list[dict[str, Any]]
) -> None:
    order = _order(order_dicts, "113-7654321-1234567")
    item = order["items"][0]
    item["image_url"] = AMAZON_IMAGE
    html, text = _parts(renderer, "review_request", order)
    (image,) = _images(html)
    assert (image["src"], _words(image["alt"])) == (AMAZON_IMAGE, item["title"])
    assert AMAZON_IMAGE not in text


@pytest.mark.parametrize("template", MESSAGES)
def test_hostile_alt_text_is_escaped(
    renderer: Renderer, order_dicts: list[dict[str, Any]], template: str
) -> None:
    order = _order(order_dicts, "ACME-1003")
    title = 'Mug" onerror="alert(1)" x="<script>alert(2)</script> & co'
    order["items"][0].update(title=title, image_url=THIRD_PARTY)
    html, _ = _parts(renderer, template, order)
    read = _read(html)
    (image,) = [i for i in read.images if i.get("src") == THIRD_PARTY]
    # The title stays inside the quoted alt value (where "<" is plain text) and the text.
    assert _words(image["alt"]) == title
    assert "onerror" not in image
    assert "script" not in read.tags
