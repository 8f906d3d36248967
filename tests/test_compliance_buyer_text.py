"""Buyer text holding links or addresses does not make a message break its channel's rules.

The rules are about what the seller puts in; a buyer may call themselves "Ada www.evil.example"
or write an address into a gift message.  Links and addresses a template makes still count.
"""

from __future__ import annotations

import email
import email.policy
from pathlib import Path
from typing import Any

import pytest

from sellercomms import Order, PolicyError, Renderer, Seller, check_templates, parse_order
from sellercomms.mail import RenderedEmail

AMAZON_ORDER = "113-7654321-1234567"
EBAY_ORDER = "12-34567-89012"


def order_with(order_dicts: list[dict[str, Any]], order_id: str, **changes: Any) -> Order:
    """A sample order with fields changed; ``customer__name`` sets ``customer.name``."""
    data = next(o for o in order_dicts if o["order_id"] == order_id)
    for path, value in changes.items():
        *parents, name = path.split("__")
        target = data
        for parent in parents:
            target = target[int(parent)] if isinstance(target, list) else target[parent]
        target[name] = value
    return parse_order(data)


def parts(mail: RenderedEmail) -> tuple[str, str]:
    """The text and HTML parts of the message as it is sent, with its CRLF line ends as \\n."""
    message = email.message_from_bytes(mail.to_bytes(), policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    text, html = (message.get_body((kind,)) for kind in ("plain", "html"))
    assert text is not None and html is not None
    return (
        text.get_content().replace("\r\n", "\n"),
        html.get_content().replace("\r\n", "\n"),
    )


def templates(tmp_path: Path, html: str, text: str) -> Path:
    """A seller's own review request: ``html`` inside the built-in layout, and ``text``."""
    folder = tmp_path / "templates" / "emails"
    folder.mkdir(parents=True)
    layout = (
        '{% extends "emails/_base.html" %}{% block subject %}Hello{% endblock %}'
        "{% block preheader %}Hi{% endblock %}{% block content %}" + html + "{% endblock %}"
    )
    (folder / "review_request.html").write_text(layout, encoding="utf-8")
    (folder / "review_request.txt").write_text(text, encoding="utf-8")
    return tmp_path / "templates"


@pytest.mark.parametrize(
    ("order_id", "field", "value"),
    [
        (AMAZON_ORDER, "customer__name", "Ada www.evil.example"),
        (AMAZON_ORDER, "customer__name", "Ada (mail me: ada.l@evil.example)"),
        (AMAZON_ORDER, "items__0__title", "Mug, see https://evil.example/mug?ref=1 or x@y.com"),
        (AMAZON_ORDER, "items__0__variant", "Blue (WWW.EVIL.EXAMPLE)"),
        # eBay's review request names no items: feedback is left per item on one page.
        (EBAY_ORDER, "customer__name", "Linus www.evil.example x@y.com"),
    ],
)
def test_buyer_text_in_the_built_in_review_request(
    renderer: Renderer, order_dicts: list[dict[str, Any]], order_id: str, field: str, value: str
) -> None:
    order = order_with(order_dicts, order_id, **{field: value})
    text, html = parts(renderer.email("review_request", order))
    assert value in text
    assert value in html.replace("&amp;", "&")


# A seller's template that shows what the built-ins show on Amazon only in other messages: the
# gift message, the buyer's feedback and the address, wrapped and split into lines as the
# built-ins do.
SHOWS_ALL = (
    "<p>{{ customer.name }}</p><p>{{ ship_to.line1 }}, {{ ship_to.city }}</p>"
    "<p>{% for line in gift_message.splitlines() %}{{ line }}<br>{% endfor %}</p>"
    "<p>{{ order.events.feedback.comment }}</p>"
    '<p><a href="{{ feedback_url }}">Feedback</a></p>'
)
SHOWS_ALL_TEXT = (
    "{{ customer.name }}\n{{ ship_to.line1 }}, {{ ship_to.city }}\n"
    "{{ gift_message|wrap(30)|indent(4) }}\n{{ order.events.feedback.comment|wrap(30) }}\n"
    "{{ feedback_url }}\n"
)
GIFT = (
    "Happy birthday! Call me on +1 555 0100 or mail me at x@y.com,\n"
    "photos at www.evil.example/photos"
)
COMMENT = "Arrived broken; the seller should visit https://evil.example/packing-advice today."


@pytest.fixture
def buyer_order(order_dicts: list[dict[str, Any]]) -> Order:
    return order_with(
        order_dicts,
        AMAZON_ORDER,
        gift={"message": GIFT, "hide_prices": True},
        events={"feedback": {"rating": 2, "comment": COMMENT}},
        ship_to__line1="12 Main St (www.evil.example)",
        ship_to__city="Springfield x@y.com",
    )


def test_buyer_text_wrapped_and_split_by_a_sellers_template(
    tmp_path: Path, seller: Seller, buyer_order: Order
) -> None:
    renderer = Renderer(seller, templates(tmp_path, SHOWS_ALL, SHOWS_ALL_TEXT))
    text, html = parts(renderer.email("review_request", buyer_order))
    # Wrapped at 30 columns: links on lines of their own, the phone number broken in two.
    assert "Call me on +1\n    555 0100 or mail me at x@y.com," in text
    assert "\n    photos at\n    www.evil.example/photos\n" in text
    assert "should visit\nhttps://evil.example/packing-advice\ntoday." in text
    assert "mail me at x@y.com,<br>" in html
    assert "12 Main St (www.evil.example), Springfield x@y.com" in html


@pytest.mark.parametrize(
    ("html", "text", "rule", "evidence"),
    [
        # The seller's own link or address, next to buyer text or in a tag of its own.
        ("", "{{ customer.name }}www.acme.example", "amazon.only-needed-links", "www.acme"),
        ("{{ gift_message }} See www.acme.example", "", "amazon.only-needed-links", "www.acme"),
        ('<a href="{{ seller.website }}">shop</a>', "", "amazon.only-needed-links", "acme"),
        ("", "{{ gift_message }}\nWrite to {{ seller.email }}", "amazon.no-direct-contact", "@"),
        ("{{ customer.name }} — call 1-555-0100", "", "amazon.no-direct-contact", "555"),
        # Buyer text a template turns into a link is a link the template made.
        (
            '<a href="https://{{ customer.name.split()[-1] }}/">you</a>',
            "",
            "amazon.only-needed-links",
            "https://www.evil.example/",
        ),
    ],
)
def test_what_the_template_adds_is_still_refused(
    tmp_path: Path,
    seller: Seller,
    order_dicts: list[dict[str, Any]],
    html: str,
    text: str,
    rule: str,
    evidence: str,
) -> None:
    order = order_with(
        order_dicts,
        AMAZON_ORDER,
        customer__name="Ada www.evil.example",
        gift={"message": "mail me at x@y.com or call +1 555 0100", "hide_prices": True},
    )
    renderer = Renderer(seller, templates(tmp_path, html, text))
    with pytest.raises(PolicyError) as caught:
        renderer.email("review_request", order)
    assert caught.value.rule == rule
    assert evidence in str(caught.value)


def test_the_check_does_not_count_buyer_text(buyer_order: Order, tmp_path: Path) -> None:
    report = check_templates(
        templates(tmp_path, SHOWS_ALL, SHOWS_ALL_TEXT),
        orders=[buyer_order],
        messages=["review_request"],
        channels=["amazon"],
        locales=["en_US"],
    )
    assert not [f for f in report.findings if f.rule.startswith("amazon.")]
