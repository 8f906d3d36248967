"""The shipping-confirmation e-mail, rendered for real and read back."""

from __future__ import annotations

import email
import re
from email import policy
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any

import pytest

from sellercomms import Order, PolicyError, Renderer, parse_order
from sellercomms.formatting import Formatter


class LinkCollector(HTMLParser):
    """The href of every <a> and the text shown for it."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        elif tag == "img":
            self.images.append(dict(attrs))


def hrefs(html: str) -> list[str]:
    collector = LinkCollector()
    collector.feed(html)
    return collector.links


def parse_eml(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.fixture
def split_order(orders_by_id: dict[str, Order]) -> Order:
    return orders_by_id["ACME-1003"]


def test_every_link_is_in_both_parts(renderer: Renderer, split_order: Order) -> None:
    mail = renderer.email("shipping_confirmation", split_order)
    links = hrefs(mail.html)
    assert mail.links.feedback is not None
    assert mail.links.feedback.startswith("https://acme.example/feedback?order=ACME-1003")
    expected = [mail.links.feedback, *mail.links.reviews.values(), *mail.links.tracking]
    assert len(mail.links.reviews) == 3
    assert mail.links.tracking == (
        "https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784",
        "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223197428497",
    )
    for url in expected:
        assert url in links, url
        assert url in mail.text, url


def test_content_of_both_parts(renderer: Renderer, split_order: Order) -> None:
    mail = renderer.email("shipping_confirmation", split_order)
    assert "ACME-1003" in mail.subject
    assert mail.preheader
    for part in (mail.html, mail.text):
        for expected in (
            "Katherine Johnson",
            "1Z999AA10123456784",
            "9400111899223197428497",  # normalised from "9400 1118 9922 …"
            "UPS",
            "USPS",
            "2nd Day Air",
            "$49.00",
            "$153.50",  # 135.00 + 9.90 shipping + 8.60 tax
            "Leave seller feedback",
            "88 Orbit Way",
        ):
            assert expected in part, expected


def test_html_is_a_proper_email_document(renderer: Renderer, split_order: Order) -> None:
    html = renderer.email("shipping_confirmation", split_order).html
    assert re.search(r'<html[^>]* lang="en-US"', html)
    assert re.search(r'<html[^>]* dir="ltr"', html)
    assert '<meta charset="utf-8">' in html.lower() or "charset=utf-8" in html.lower()
    assert 'name="viewport"' in html
    # premailer moved the rules into style attributes and kept the mobile rules, with
    # !important, so they can still override the inlined declarations.
    assert 'style="' in html
    media = re.search(r"@media[^{]*max-width:\s*480px[^{]*\{(.*?)\}\s*\}", html, re.S)
    assert media is not None
    assert "!important" in media.group(1)
    assert len(html.encode()) < 50_000
    assert "<link" not in html


def test_eml_parses_back(renderer: Renderer, split_order: Order) -> None:
    mail = renderer.email("shipping_confirmation", split_order)
    message = parse_eml(mail.to_bytes())
    assert message.get_content_type() == "multipart/alternative"
    assert str(message["From"]) == "Acme Home Goods <support@acme.example>"
    assert str(message["Reply-To"]) == "Acme Home Goods <support@acme.example>"
    assert str(message["To"]) == "Katherine Johnson <katherine@example.com>"
    assert message["Subject"] == mail.subject
    assert message["Message-ID"].endswith("@acme.example>")
    assert message["Date"]
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert text.get_content_charset() == "utf-8"
    assert text.get_content().replace("\r\n", "\n") == mail.text
    assert "1Z999AA10123456784" in html.get_content()


def test_non_ascii_survives_the_round_trip(renderer: Renderer, order_dict: dict[str, Any]) -> None:
    order_dict["customer"] = {"name": "Zoë Ångström-Łukasz", "email": "zoe@example.com"}
    mail = renderer.email("shipping_confirmation", parse_order(order_dict))
    message = parse_eml(mail.to_bytes())
    assert message["To"].addresses[0].display_name == "Zoë Ångström-Łukasz"
    body = message.get_body(("plain",))
    assert body is not None and "Zoë Ångström-Łukasz" in body.get_content()


def test_customer_text_is_escaped(renderer: Renderer, order_dict: dict[str, Any]) -> None:
    attack = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    order_dict["customer"]["name"] = attack
    order_dict["gift"] = {"message": attack, "hide_prices": True}
    mail = renderer.email("shipping_confirmation", parse_order(order_dict))
    collector = LinkCollector()
    collector.feed(mail.html)
    assert "<script>" not in mail.html
    assert not any("onerror" in image for image in collector.images)
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in mail.html
    assert mail.html.count("&lt;img src=x") == 2  # the greeting and the gift message


def test_header_injection_through_names_is_impossible(
    renderer: Renderer, split_order: Order
) -> None:
    # The input model refuses line breaks in a name; a name built in code is made safe too.
    customer = split_order.customer.model_copy(
        update={"name": "Eve\r\nBcc: victim@example.com\r\nX-Evil: 1"}
    )
    order = split_order.model_copy(update={"customer": customer})
    message = parse_eml(renderer.email("shipping_confirmation", order).to_bytes())
    assert message["Bcc"] is None
    assert message["X-Evil"] is None
    assert message["To"].addresses[0].addr_spec == "katherine@example.com"


@pytest.mark.parametrize(
    ("number", "carrier", "shown"),
    [
        ("ZZ-12345-XYZ", "Bob's Couriers", "ZZ12345XYZ"),  # a carrier we do not know
        ("1Z999AA10123456785", "UPS", "1Z999AA10123456785"),  # wrong check digit
        ("12345", None, "12345"),  # no carrier named, nothing detected
    ],
)
def test_unknown_or_invalid_tracking_is_text_not_a_link(
    renderer: Renderer, order_dict: dict[str, Any], number: str, carrier: str | None, shown: str
) -> None:
    order_dict["shipments"] = [{"tracking_number": number, "carrier": carrier}]
    mail = renderer.email("shipping_confirmation", parse_order(order_dict))
    assert mail.links.tracking == ()
    assert shown in mail.html and shown in mail.text
    assert not any(shown in href for href in hrefs(mail.html))
    if carrier:
        assert carrier in mail.html


def test_parcel_without_tracking_yet(renderer: Renderer, order_dict: dict[str, Any]) -> None:
    order_dict["shipments"] = [{"carrier": "UPS"}]
    mail = renderer.email("shipping_confirmation", parse_order(order_dict))
    assert mail.links.tracking == ()
    assert "UPS" in mail.text


def test_gift_order_shows_the_buyer_what_they_paid(
    renderer: Renderer, orders_by_id: dict[str, Order]
) -> None:
    order = orders_by_id["ACME-1004"]
    assert order.gift is not None and order.gift.hide_prices
    mail = renderer.email("shipping_confirmation", order)
    # The e-mail goes to the buyer, who paid; only the slip in the recipient's box hides prices.
    total = Formatter("en_US").money(order.total, order.currency)
    assert total in mail.text and total in mail.html
    assert "Happy birthday, Alan!" in mail.text
    assert "Happy birthday, Alan!" in mail.html


def test_local_formats_follow_the_order(renderer: Renderer, orders_by_id: dict[str, Order]) -> None:
    mail = renderer.email("shipping_confirmation", orders_by_id["ACME-1005"])
    assert mail.locale == "en_GB"
    assert "£23.80" in mail.text  # 2 × £11.90
    assert "https://www.royalmail.com/track-your-item#/tracking-results/RB123456785GB" in (
        mail.links.tracking
    )
    assert "United Kingdom" in mail.text  # abroad, seen from the seller's US address


def test_amazon_channel_refuses_shipping_confirmations(
    renderer: Renderer, orders_by_id: dict[str, Order]
) -> None:
    with pytest.raises(PolicyError) as caught:
        renderer.email("shipping_confirmation", orders_by_id["113-7654321-1234567"])
    assert caught.value.channel == "amazon"
    assert caught.value.rule.startswith("amazon.")


def test_explicit_channel_and_locale_win(
    renderer: Renderer, orders_by_id: dict[str, Order]
) -> None:
    order = orders_by_id["113-7654321-1234567"]
    mail = renderer.email("shipping_confirmation", order, channel="own", locale="en_GB")
    assert (mail.channel, mail.locale) == ("own", "en_GB")
    assert "https://www.amazon.com/review/create-review?asin=B0EXAMPLE1" in mail.text


def test_subject_and_preheader_are_plain_text(
    renderer: Renderer, order_dict: dict[str, Any]
) -> None:
    order_dict["shipments"] = [
        {"tracking_number": "1Z999AA10123456784", "carrier": "Smith & Sons <Freight>"}
    ]
    mail = renderer.email("shipping_confirmation", parse_order(order_dict))
    assert "Smith & Sons <Freight>" in mail.preheader
    assert "&amp;" not in mail.preheader + mail.subject
    assert "Smith &amp; Sons &lt;Freight&gt;" in mail.html


def test_the_buyers_note_is_shown_back_escaped(
    renderer: Renderer, order_dict: dict[str, Any]
) -> None:
    order_dict["note"] = "Leave it with no. 12 <b>please</b>\nThanks!"
    mail = renderer.email("shipping_confirmation", parse_order(order_dict))
    assert "YOUR NOTE TO US" in mail.text and "Your note to us" in mail.html
    assert "Leave it with no. 12 <b>please</b>\nThanks!" in mail.text
    assert "Leave it with no. 12 &lt;b&gt;please&lt;/b&gt;<br>Thanks!" in mail.html


def test_no_note_no_heading(renderer: Renderer, order_dict: dict[str, Any]) -> None:
    order_dict.pop("note", None)
    mail = renderer.email("shipping_confirmation", parse_order(order_dict))
    assert "YOUR NOTE TO US" not in mail.text and "Your note to us" not in mail.html
