"""The follow-up and make-good e-mails, rendered for real and read back from the .eml."""

from __future__ import annotations

import email
import json
from decimal import Decimal
from email import policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from sellercomms import (
    InputError,
    Order,
    PolicyError,
    RefundData,
    RenderedEmail,
    Renderer,
    Seller,
    parse_order,
    parse_seller,
)
from sellercomms.cli import main
from sellercomms.message_data import DATA_MODELS
from sellercomms.messages import EMAIL_TEMPLATES
from sellercomms.samples import sample_data, sample_seller_path

FOLLOW_UPS = ("delivery_checkin", "review_request")
TRANSACTIONAL = (
    "shipping_confirmation",
    "return_instructions",
    "resolution_refund",
    "resolution_replacement",
    "resolution_gift_certificate",
)


class _Page(HTMLParser):
    """The hrefs and the visible text of an HTML part."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")
        elif tag in {"style", "title"}:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "title"}:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())


def page(html: str) -> _Page:
    parsed = _Page()
    parsed.feed(html)
    return parsed


def parse_eml(mail: RenderedEmail) -> EmailMessage:
    message = email.message_from_bytes(mail.to_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def parts(mail: RenderedEmail) -> tuple[str, str]:
    """The HTML part's visible text and the text part, both read back from the .eml."""
    message = parse_eml(mail)
    html = message.get_body(("html",))
    text = message.get_body(("plain",))
    assert html is not None and text is not None
    return page(html.get_content()).text, " ".join(text.get_content().split())


def render(renderer: Renderer, template: str, order: Order, **options: Any) -> RenderedEmail:
    options.setdefault("data", sample_data(template, order))
    return renderer.email(template, order, **options)


@pytest.fixture
def split_order(orders_by_id: dict[str, Order]) -> Order:
    return orders_by_id["ACME-1003"]


@pytest.fixture
def amazon_order(orders_by_id: dict[str, Order]) -> Order:
    return orders_by_id["113-7654321-1234567"]


# --- each template's content, in both parts ----------------------------------------------


def test_delivery_checkin(renderer: Renderer, split_order: Order) -> None:
    mail = render(renderer, "delivery_checkin", split_order)
    assert mail.subject == "Has your order ACME-1003 arrived?"
    for part in parts(mail):
        assert "Your order should be with you by now" in part
        assert "missing, damaged or not what you expected" in part
        assert "1Z999AA10123456784" in part and "9400111899223197428497" in part
        assert "Oak serving board, large" in part
        assert "support@acme.example" in part and "+1 555 0100" in part
        # No review request: that is the one solicitation; one quiet feedback line.
        assert "review" not in part.lower()
        assert part.lower().count("leave feedback on this order") == 1
    links = page(mail.html).hrefs
    assert "https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784" in links
    assert "https://acme.example/returns" in links


def test_delivery_checkin_after_delivery(renderer: Renderer, order_dict: dict[str, Any]) -> None:
    order_dict["timezone"] = "America/New_York"
    for shipment in order_dict["shipments"]:
        shipment["delivered_at"] = "2026-11-25T23:30:00-05:00"
    mail = render(renderer, "delivery_checkin", parse_order(order_dict))
    assert mail.subject == "Did your order ACME-1003 arrive in good shape?"
    for part in parts(mail):
        assert "delivered on November 25, 2026" in part  # the local day, not UTC's 26th
        assert "Not there yet" not in part


def test_delivery_checkin_says_where_to_track_without_a_link(
    renderer: Renderer, orders_by_id: dict[str, Order]
) -> None:
    order = orders_by_id["12-34567-89012"]  # eBay: no carrier links in messages
    mail = renderer.email("delivery_checkin", order)
    assert mail.links.tracking == ()
    assert "DHL Express tracking number: 3318810025\n" in mail.text
    hint = "You can follow it on the DHL Express website or in your order details."
    assert hint in mail.text and hint in mail.html
    # The footer does not repeat what the body's "How to reach us" says.
    assert "HOW TO REACH US" in mail.text
    assert "Simply reply to this message" not in mail.text
    assert "Simply reply to this message" not in mail.html


def test_delivery_checkin_for_a_gift(renderer: Renderer, orders_by_id: dict[str, Order]) -> None:
    for part in parts(render(renderer, "delivery_checkin", orders_by_id["ACME-1004"])):
        assert "Your gift to Alan Turing should be with them by now" in part


def test_review_request_is_one_neutral_request(renderer: Renderer, split_order: Order) -> None:
    mail = render(renderer, "review_request", split_order)
    assert mail.subject == "How was your order ACME-1003?"
    assert len(mail.links.reviews) == 3
    links = page(mail.html).hrefs
    for url in [mail.links.feedback, *mail.links.reviews.values()]:
        assert url in links
        assert url in mail.text
    for part in parts(mail):
        assert "Whether your experience was good or bad, an honest review" in part
        assert "This is the only time we will ask" in part
        lowered = part.lower()
        for pushy in ("positive", "5 star", "five star", "5-star", "discount", "free", "gift"):
            assert pushy not in lowered


def test_review_request_on_ebay_links_each_items_feedback(
    renderer: Renderer, order_dict: dict[str, Any]
) -> None:
    order_dict.update(marketplace="ebay.com")
    order_dict["items"] = [
        {**item, "product_id": f"1100{n}", "transaction_id": f"2200{n}"}
        for n, item in enumerate(order_dict["items"])
    ]
    mail = render(renderer, "review_request", parse_order(order_dict))
    links = page(mail.html).hrefs
    for n in range(3):
        url = f"https://www.ebay.com/fdbk/leave_feedback?item_id=1100{n}&transaction_id=2200{n}"
        assert url in links and url in mail.text
    assert "Leave feedback for Oak serving board, large" in mail.text


def test_refund(renderer: Renderer, split_order: Order) -> None:
    data = {"amount": "12.50", "reason": "The mug arrived chipped.", "refunded_on": "2026-11-28"}
    mail = renderer.email("resolution_refund", split_order, data=data)
    assert mail.subject == "We have refunded $12.50 for your order ACME-1003"
    for part in parts(mail):
        assert "We are sorry your order did not go as it should" in part
        assert "The mug arrived chipped." in part
        assert "$12.50" in part and "November 28, 2026" in part
        assert "You do not need to send anything back" in part
        assert "Reply to this message" in part
        assert "feedback" not in part.lower() and "review" not in part.lower()
    assert not mail.headers


def test_refund_amount_and_dates_follow_the_locale(renderer: Renderer, split_order: Order) -> None:
    data = {"amount": "1234.5", "currency": "EUR", "refunded_on": "2026-11-28"}
    mail = renderer.email("resolution_refund", split_order, data=data, locale="de_DE")
    assert "1.234,50 €" in mail.subject  # one line, plain spaces
    assert "1.234,50\xa0€" in mail.html and "1.234,50\xa0€" in mail.text
    for part in parts(mail):
        assert "28. November 2026" in part


def test_refund_may_ask_for_the_item_back(renderer: Renderer, split_order: Order) -> None:
    mail = renderer.email(
        "resolution_refund", split_order, data={"amount": 5, "return_required": True}
    )
    for part in parts(mail):
        assert "Please send the item back" in part


def test_replacement(renderer: Renderer, split_order: Order) -> None:
    data = {
        "items": [{"sku": "MUG-01", "quantity": 2}],
        "tracking_number": "1z999aa1 0123456784",
        "estimated_delivery": "2026-12-01",
    }
    mail = renderer.email("resolution_replacement", split_order, data=data)
    assert mail.subject == "A replacement for your order ACME-1003 is on its way"
    for part in parts(mail):
        assert "1Z999AA10123456784" in part and "UPS" in part
        assert "Tuesday, December 1, 2026" in part
        assert "Ceramic mug, 350 ml" in part and "Oak serving board" not in part
        assert "You do not need to send the original item back" in part
    tracking = "https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784"
    assert tracking in page(mail.html).hrefs and tracking in mail.text


def test_replacement_without_tracking_yet(renderer: Renderer, split_order: Order) -> None:
    mail = renderer.email("resolution_replacement", split_order, data={})
    assert mail.subject == "We are sending you a replacement for your order ACME-1003"
    for part in parts(mail):
        assert "Oak serving board" in part and "Soy candle" in part


def test_gift_certificate(renderer: Renderer, orders_by_id: dict[str, Order]) -> None:
    order = orders_by_id["ACME-1005"]  # en_GB, GBP
    data = {
        "code": "SORRY-1005",
        "value": "10",
        "expires_on": "2027-11-18",
        "redeem_url": "https://acme.example/gift-card",
    }
    mail = renderer.email("resolution_gift_certificate", order, data=data, locale="en_US")
    assert mail.subject == "A £10.00 gift certificate for you, with our apologies"
    for part in parts(mail):
        assert "SORRY-1005" in part and "£10.00" in part
        assert "November 18, 2027" in part
        assert "no strings attached" in part
        assert "feedback" not in part.lower() and "review" not in part.lower()
    assert "https://acme.example/gift-card" in page(mail.html).hrefs
    assert "https://acme.example/gift-card" in mail.text


def test_return_instructions(renderer: Renderer, split_order: Order) -> None:
    data = {
        "deadline": "2026-12-19",
        "label_url": "https://acme.example/returns/label?order=ACME-1003",
        "return_number": "R-1003",
        "items": [{"sku": "CANDLE-7", "quantity": 1}],
    }
    mail = renderer.email("return_instructions", split_order, data=data)
    assert mail.subject == "How to return your order ACME-1003"
    assert "Send it back by Dec 19, 2026." in mail.preheader
    for part in parts(mail):
        assert "Saturday, December 19, 2026" in part
        assert "R-1003" in part
        assert "1 Market St" in part and "San Francisco, CA 94103" in part
        assert "Soy candle" in part and "Oak serving board" not in part
        assert "cancel" not in part  # it has shipped
    assert data["label_url"] in page(mail.html).hrefs and data["label_url"] in mail.text


def test_return_instructions_before_shipping_offer_to_cancel(
    renderer: Renderer, order_dict: dict[str, Any]
) -> None:
    order_dict["shipments"] = []
    order = parse_order(order_dict)
    mail = renderer.email("return_instructions", order, data={"deadline": "2026-12-19"})
    assert mail.subject == "How to cancel or return your order ACME-1003"
    for part in parts(mail):
        assert "Reply to this message and we will cancel it" in part
        assert "Address the parcel to the return address below" in part


def test_return_address_from_the_data(renderer: Renderer, split_order: Order) -> None:
    address = {"name": "Acme Returns", "line1": "9 Dock Rd", "city": "Reno", "country": "US"}
    data = {"deadline": "2026-12-19", "return_address": address}
    for part in parts(renderer.email("return_instructions", split_order, data=data)):
        assert "Acme Returns" in part and "9 Dock Rd" in part and "1 Market St" not in part


def test_customer_and_data_text_is_escaped(renderer: Renderer, split_order: Order) -> None:
    data = {"amount": "1", "reason": "<script>alert(1)</script> & more"}
    mail = renderer.email("resolution_refund", split_order, data=data)
    assert "<script>" not in mail.html
    assert "&lt;script&gt;" in mail.html
    assert "<script>alert(1)</script> & more" in mail.text


def test_data_model_instances_are_accepted(renderer: Renderer, split_order: Order) -> None:
    data = RefundData(amount=Decimal("3.10"))
    assert "$3.10" in renderer.email("resolution_refund", split_order, data=data).subject


# --- the data argument is validated ------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "data", "path", "message"),
    [
        ("resolution_refund", None, "data", "resolution_refund needs extra data (amount)"),
        ("resolution_refund", {"amount": "0"}, "data.amount", "must be more than 0"),
        ("resolution_refund", {"amount": "abc"}, "data.amount", "is not a decimal number"),
        ("resolution_refund", {"amount": 1, "amont": 2}, "data.amont", "unknown field"),
        ("resolution_refund", {"amount": 1, "currency": "XYZ"}, "data.currency", "'XYZ' is not"),
        ("resolution_refund", {"amount": "999"}, "data.amount", "more than the order total"),
        (
            "resolution_replacement",
            {"items": [{"sku": "NOPE", "quantity": 1}]},
            "data.items[0].sku",
            "no item",
        ),
        (
            "resolution_replacement",
            {"items": [{"sku": "BOARD-1", "quantity": 2}]},
            "data.items[0].quantity",
            "more than the 1 ordered",
        ),
        ("resolution_replacement", {"tracking_number": "N/A"}, "data.tracking_number", "empty"),
        ("resolution_gift_certificate", {"value": 5}, "data.code", "is required"),
        (
            "resolution_gift_certificate",
            {"code": "X", "value": 5, "redeem_url": "http://a.example"},
            "data.redeem_url",
            "https://",
        ),
        (
            "resolution_gift_certificate",
            {"code": "X", "value": 5, "expires_on": "2020-01-01"},
            "data.expires_on",
            "before the order",
        ),
        ("return_instructions", {}, "data.deadline", "is required"),
        ("return_instructions", {"deadline": "31.12.2026"}, "data.deadline", "YYYY-MM-DD"),
        ("return_instructions", {"deadline": "2026-01-01"}, "data.deadline", "before the order"),
        (
            "return_instructions",
            {"deadline": "2026-12-19", "label_url": "ftp://x"},
            "data.label_url",
            "https://",
        ),
        ("review_request", {"x": 1}, "data", "review_request takes no extra data"),
    ],
)
def test_bad_data_names_the_field(
    renderer: Renderer,
    split_order: Order,
    template: str,
    data: dict[str, Any] | None,
    path: str,
    message: str,
) -> None:
    with pytest.raises(InputError) as caught:
        renderer.email(template, split_order, data=data)
    assert caught.value.path == path
    assert message in caught.value.message
    assert caught.value.order_id == "ACME-1003"


def test_return_needs_an_address(split_order: Order, seller: Seller) -> None:
    profile = seller.model_dump(exclude={"address", "logo"})
    renderer = Renderer(parse_seller(profile))
    with pytest.raises(InputError) as caught:
        renderer.email("return_instructions", split_order, data={"deadline": "2026-12-19"})
    assert caught.value.path == "data.return_address"


def test_every_data_model_is_documented() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "follow-ups.md").read_text(encoding="utf-8")
    for template, model in DATA_MODELS.items():
        assert f"`{template}`" in doc
        for field in model.model_fields:
            assert f"`{field}`" in doc, (template, field)


# --- List-Unsubscribe --------------------------------------------------------------------


@pytest.mark.parametrize("template", FOLLOW_UPS)
def test_own_channel_follow_ups_carry_one_click_unsubscribe(
    renderer: Renderer, split_order: Order, template: str
) -> None:
    message = parse_eml(render(renderer, template, split_order))
    url = "https://acme.example/unsubscribe?order=ACME-1003"
    assert message["List-Unsubscribe"] == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.get_body(("html",))
    text = message.get_body(("plain",))
    assert html is not None and text is not None
    assert url in page(html.get_content()).hrefs
    assert url in text.get_content()


@pytest.mark.parametrize("template", TRANSACTIONAL)
def test_transactional_messages_carry_no_unsubscribe(
    renderer: Renderer, split_order: Order, template: str
) -> None:
    mail = render(renderer, template, split_order)
    message = parse_eml(mail)
    assert message["List-Unsubscribe"] is None
    assert message["List-Unsubscribe-Post"] is None
    assert "unsubscribe" not in mail.html.lower() and "unsubscribe" not in mail.text.lower()


def test_marketplace_channels_carry_no_unsubscribe(
    renderer: Renderer, amazon_order: Order, orders_by_id: dict[str, Order]
) -> None:
    for order in (amazon_order, orders_by_id["12-34567-89012"]):
        message = parse_eml(render(renderer, "review_request", order))
        assert message["List-Unsubscribe"] is None
        assert message["List-Unsubscribe-Post"] is None


@pytest.mark.parametrize("link", [None, "http://acme.example/unsubscribe?order={order_id}"])
def test_own_follow_ups_need_an_https_unsubscribe_link(
    split_order: Order, seller: Seller, link: str | None
) -> None:
    profile = seller.model_dump(exclude={"logo"})
    profile["links"]["unsubscribe"] = link
    renderer = Renderer(parse_seller(profile))
    with pytest.raises(PolicyError) as caught:
        renderer.email("review_request", split_order)
    assert caught.value.rule == "own.follow-up-needs-unsubscribe"
    # Transactional messages do not need one.
    assert renderer.email("resolution_refund", split_order, data={"amount": 1})


# --- command line ------------------------------------------------------------------------


def test_cli_render_with_data_file(
    tmp_path: Path, order_dicts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    orders = tmp_path / "orders.json"
    orders.write_text(json.dumps(order_dicts[1:3]), encoding="utf-8")
    data = tmp_path / "refund.json"
    data.write_text('{"amount": 12.10, "reason": "Late."}', encoding="utf-8")
    out = tmp_path / "out"
    argv = ["render", "email", "resolution_refund", "--orders", str(orders)]
    argv += ["--seller", str(sample_seller_path()), "--data", str(data), "--out", str(out)]
    code = main(argv)
    assert code == 0, capsys.readouterr().err
    assert "$12.10" in (out / "ACME-1003.txt").read_text(encoding="utf-8")


def test_cli_render_without_needed_data_fails_per_order(
    tmp_path: Path, order_dicts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    orders = tmp_path / "orders.json"
    orders.write_text(json.dumps(order_dicts[1:3]), encoding="utf-8")
    argv = ["render", "email", "return_instructions", "--orders", str(orders), "--channel", "own"]
    argv += ["--seller", str(sample_seller_path()), "--out", str(tmp_path / "out")]
    code = main(argv)
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        "order ACME-1002 (#1): data: return_instructions needs extra data (deadline)",
        "order ACME-1003 (#2): data: return_instructions needs extra data (deadline)",
    ]


def test_demo_writes_every_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path)]) == 0
    for template in EMAIL_TEMPLATES:
        # The feedback revision request is eBay's alone.
        order_id = "12-34567-89012" if template == "feedback_revision" else "ACME-1003"
        eml = tmp_path / "emails" / template / f"{order_id}.eml"
        assert eml.is_file(), template
    out = capsys.readouterr().out
    assert "skipped delivery_checkin for 113-7654321-1234567" in out
    assert "skipped resolution_gift_certificate for 12-34567-89012" in out
    assert (tmp_path / "emails" / "review_request" / "113-7654321-1234567.eml").is_file()
