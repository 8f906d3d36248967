"""E-mail headers: text that looks like an encoded word stays text, subjects keep every
character, addresses are checked when they are read, and nothing a header holds stops a batch.
"""

from __future__ import annotations

import email
import json
import warnings
from collections import Counter
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Any

import pytest

from sellercomms import (
    InputError,
    Order,
    RenderedEmail,
    Renderer,
    RenderError,
    Seller,
    check_templates,
    parse_order,
    parse_seller,
)
from sellercomms.cli import main
from sellercomms.context import MessageLinks
from sellercomms.preview import Sources
from sellercomms.preview.app import PreviewApp
from sellercomms.preview.workspace import Workspace
from sellercomms.samples import sample_seller_path

with warnings.catch_warnings():
    # Starlette asks for its httpx2 fork here; the httpx that the test extra installs works.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

#: Decodes to a line break and two headers of the attacker's choosing.
BREAKS_LINES = (
    "=?utf-8?q?x=0D=0AReply-To=3A_a=40evil.example=0D=0ABcc=3A_b=40evil.example?="
    "=0D=0A=0D=0Afake body"
)
#: Decodes to text with commas and an @: one more recipient when written unquoted.
ADDS_RECIPIENT = "=?utf-8?q?Grace=2C_a=40evil=2Eexample=2C?="
HEADERS = ["From", "Reply-To", "To", "Subject", "Date", "Message-ID", "MIME-Version"]


def mail(**fields: Any) -> RenderedEmail:
    values: dict[str, Any] = {
        "template": "shipping_confirmation",
        "order_id": "ACME-1001",
        "locale": "en_US",
        "channel": "own",
        "subject": "Your order has shipped",
        "preheader": "",
        "html": "<p>Hello</p>",
        "text": "Hello",
        "links": MessageLinks(None),
        "sender_name": "Acme Home Goods",
        "sender_email": "support@acme.example",
        "recipient_name": "Ada Lovelace",
        "recipient_email": "ada@example.com",
    }
    return RenderedEmail(**{**values, **fields})


def read(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def display_name(data: bytes, header: str) -> str:
    """The display name in ``header``, decoded as RFC 2047 says.

    (The ``policy.default`` reader keeps the space between two adjacent encoded words of a
    display name; RFC 2047 and mail clients drop it.)
    """
    raw = email.message_from_bytes(data, policy=policy.compat32)[header]
    ((name, _),) = getaddresses([raw])
    return str(make_header(decode_header(name)))


def assert_only_intended(message: EmailMessage, recipient: str = "ada@example.com") -> None:
    assert Counter(message.keys()) == Counter([*HEADERS, "Content-Type"])
    assert [a.addr_spec for a in message["To"].addresses] == [recipient]
    for name in ("From", "Reply-To"):
        assert [a.addr_spec for a in message[name].addresses] == ["support@acme.example"]
    assert message.get_content_type() == "multipart/alternative"


# Encoded words


@pytest.mark.parametrize("text", [BREAKS_LINES, ADDS_RECIPIENT])
def test_an_encoded_word_in_the_buyers_name_stays_text(text: str) -> None:
    data = mail(recipient_name=text).to_bytes()
    assert_only_intended(read(data))
    assert display_name(data, "To") == text


@pytest.mark.parametrize("text", [BREAKS_LINES, ADDS_RECIPIENT])
def test_an_encoded_word_in_the_sellers_name_stays_text(text: str) -> None:
    data = mail(sender_name=text).to_bytes()
    assert_only_intended(read(data))
    assert display_name(data, "From") == display_name(data, "Reply-To") == text


@pytest.mark.parametrize("text", [BREAKS_LINES, ADDS_RECIPIENT])
def test_an_encoded_word_in_the_subject_stays_text(text: str) -> None:
    message = read(mail(subject=f"Order for {text}").to_bytes())
    assert_only_intended(message)
    assert message["Subject"] == f"Order for {text}"


def test_a_rendered_shipping_confirmation_keeps_the_name_as_text(
    renderer: Renderer, orders_by_id: dict[str, Order]
) -> None:
    order = orders_by_id["ACME-1003"]
    customer = order.customer.model_copy(update={"name": BREAKS_LINES})
    rendered = renderer.email(
        "shipping_confirmation", order.model_copy(update={"customer": customer})
    )
    data = rendered.to_bytes()
    assert_only_intended(read(data), recipient=order.customer.email or "")
    assert display_name(data, "To") == BREAKS_LINES


def test_the_cli_writes_the_name_as_text(tmp_path: Path, order_dict: dict[str, Any]) -> None:
    order_dict["customer"]["name"] = ADDS_RECIPIENT
    orders = tmp_path / "orders.json"
    orders.write_text(json.dumps(order_dict), encoding="utf-8")
    out = tmp_path / "out"
    status = main(
        [
            "render",
            "email",
            "shipping_confirmation",
            "--orders",
            str(orders),
            "--seller",
            str(sample_seller_path()),
            "--out",
            str(out),
        ]
    )
    assert status == 0
    message = read((out / "ACME-1003.eml").read_bytes())
    assert_only_intended(message, recipient=order_dict["customer"]["email"])


def test_the_previews_eml_download_keeps_the_name_as_text(
    tmp_path: Path, order_dict: dict[str, Any]
) -> None:
    order_dict["customer"]["name"] = BREAKS_LINES
    orders = tmp_path / "orders.json"
    orders.write_text(json.dumps([order_dict]), encoding="utf-8")
    app = PreviewApp(Workspace(Sources(orders=orders)), hosts=frozenset({"testserver"}))
    with TestClient(app.app) as client:
        response = client.get(
            "/eml/shipping_confirmation/ACME-1003", headers={"Sec-Fetch-Site": "same-origin"}
        )
    assert response.status_code == 200
    assert_only_intended(read(response.content), recipient=order_dict["customer"]["email"])
    assert display_name(response.content, "To") == BREAKS_LINES


# Folding


@pytest.mark.parametrize(
    "subject",
    [
        "Your refund for order ACME-1003, total SAR 65.00 ر.س. — thank you",
        "Your refund for order ACME-1003 of 65,00 € شكرا لك",
        "تم استرداد مبلغ طلبك ACME-1003، المجموع ‎65.00 ر.س.‏ شكرا لك على صبرك",
        "ご注文 ACME-1003 の返金が完了しました（合計 6,500 円）ありがとうございます",
        "Votre commande ACME-1003 a été expédiée en 2 colis\u202f: 65,00\u202f€, merci !",
        "Your order ACME-1003 has shipped " + "and it is on its way " * 8 + "!",
        "x" * 300,
    ],
)
def test_a_folded_subject_keeps_every_character(subject: str) -> None:
    data = mail(subject=subject).to_bytes()
    assert read(data)["Subject"] == subject
    head = data.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 78


# Extra headers


def test_the_unsubscribe_link_is_written_as_one_uri(
    seller: Seller, order_dict: dict[str, Any]
) -> None:
    links = seller.links.model_copy(
        update={"unsubscribe": "https://acme.example/bye>, <mailto:x@evil.example?o={order_id}"}
    )
    renderer = Renderer(seller.model_copy(update={"links": links}))
    rendered = renderer.email("review_request", parse_order(order_dict), data=None)
    message = read(rendered.to_bytes())
    (value,) = message.get_all("List-Unsubscribe")
    assert value.startswith("<https://acme.example/bye%3E,%20%3Cmailto:x@evil.example?o=ACME-1003")
    assert value.count("<") == 1
    assert value.count(">") == 1


def test_an_unsubscribe_link_with_an_encoded_word_is_refused() -> None:
    headers = {"List-Unsubscribe": "<https://acme.example/u?x=?utf-8?q?=0D=0ABcc=3A_a?=>"}
    with pytest.raises(RenderError, match="List-Unsubscribe"):
        mail(headers=headers).to_bytes()


@pytest.mark.parametrize(
    "name", ["Bcc", "X-Bad Name", "X-Bad:Name", "subject", "Content-Type", "MIME-Version"]
)
def test_an_extra_header_may_not_be_one_of_ours_or_malformed(name: str) -> None:
    with pytest.raises(RenderError, match="cannot be an extra header"):
        mail(headers={name: "x"}).to_bytes()


def test_text_that_is_not_unicode_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="lone surrogate"):
        mail(recipient_name="Ada \udc80").to_bytes()
    with pytest.raises(RenderError, match="lone surrogate"):
        mail(text="Hello \ud800").to_bytes()


# Addresses


@pytest.mark.parametrize(
    "address",
    [
        "ada@example.com",
        "ada.lovelace+orders@mail.example.co.uk",
        "o'brien@example.ie",
        "x1y2z3@marketplace.amazon.de",
        "jorg@xn--mller-kva.example",
        "a-b_c@sub-domain.example",
    ],
)
def test_addresses_the_writer_takes_are_accepted(address: str, order_dict: dict[str, Any]) -> None:
    order_dict["customer"]["email"] = f"  {address} "
    order = parse_order(order_dict)
    assert order.customer.email == address
    message = read(mail(recipient_email=address).to_bytes())
    assert [a.addr_spec for a in message["To"].addresses] == [address]


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("jörg@example.de", "non-ASCII characters before the @"),
        ("ada@müller.example", "ASCII form (xn--"),
        ("a..b@example.com", "single dots"),
        ("a.@example.com", "single dots"),
        (".a@example.com", "single dots"),
        ("a@x..com", "joined by single dots"),
        ("a@-x.com", "inner hyphens"),
        ("a@example", "needs a dot"),
        ("a@1.2.3.4", "end in a name"),
        ("a\x00b@example.com", "single dots"),
        ("a\x7fb@example.com", "single dots"),
        ('"a b"@example.com', "single dots"),
        ("a@b@example.com", "single dots"),
        ("=?utf-8?q?a?=@example.com", "encoded word"),
        ("ada.example.com", "needs a name, an @ and a domain"),
        ("a" * 65 + "@example.com", "longer than 64"),
        ("a@" + "b" * 60 + "." + ("c" * 60 + ".") * 4 + "com", "longer than 254"),
    ],
)
def test_addresses_the_writer_refuses_are_refused_when_read(
    address: str, reason: str, order_dict: dict[str, Any]
) -> None:
    order_dict["customer"]["email"] = address
    with pytest.raises(InputError) as caught:
        parse_order(order_dict, index=3)
    assert str(caught.value).startswith(
        "order ACME-1003 (#3): customer.email: is not an e-mail address: "
    )
    assert reason in str(caught.value)
    with pytest.raises(InputError) as written:
        mail(recipient_email=address).to_bytes()
    assert str(written.value).startswith("order ACME-1001: customer.email: is not an e-mail")


def test_a_seller_address_the_writer_refuses_names_the_field() -> None:
    with pytest.raises(InputError, match=r"^email: is not an e-mail address: .*non-ASCII"):
        parse_seller({"name": "Acme", "email": "jörg@acme.example"})
    with pytest.raises(InputError, match=r"^order ACME-1001: seller\.email: is not an e-mail"):
        mail(sender_email="a..b@acme.example").to_bytes()


def test_one_bad_address_does_not_stop_the_batch(
    tmp_path: Path, order_dicts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    own = [o for o in order_dicts if o["marketplace"] == "own"]
    own[0]["customer"]["email"] = "a..b@x..com"
    orders = tmp_path / "orders.json"
    orders.write_text(json.dumps(own), encoding="utf-8")
    out = tmp_path / "out"
    status = main(
        [
            "render",
            "email",
            "shipping_confirmation",
            "--orders",
            str(orders),
            "--seller",
            str(sample_seller_path()),
            "--out",
            str(out),
        ]
    )
    assert status == 1
    error = capsys.readouterr().err
    assert f"order {own[0]['order_id']} (#1): customer.email: is not an e-mail address" in error
    assert "Traceback" not in error
    assert sorted(p.name for p in out.glob("*.eml")) == sorted(
        f"{o['order_id']}.eml" for o in own[1:]
    )


# The check


def test_check_reports_an_e_mail_that_cannot_be_written(
    seller: Seller, order_dict: dict[str, Any]
) -> None:
    links = seller.links.model_copy(
        update={"unsubscribe": "https://acme.example/unsubscribe?o={order_id}&k==?utf-8?q?x?="}
    )
    report = check_templates(
        orders=[parse_order(order_dict)],
        seller=seller.model_copy(update={"links": links}),
        messages=["review_request"],
        channels=["own"],
        locales=["en_US"],
    )
    failed = [f for f in report.findings if f.rule == "render.failed"]
    assert failed
    assert "List-Unsubscribe" in failed[0].message
