"""The .eml bytes: read back by the standard library as the message that was rendered, in lines
of at most 78 characters ending in CRLF, and signed and verified with DKIM."""

from __future__ import annotations

import email
import re
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import dkim
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sellercomms import Order, RenderedEmail, Renderer, RenderError, Seller
from sellercomms.catalogs import SHIPPED_LOCALES
from sellercomms.context import MessageLinks
from sellercomms.exceptions import PolicyError
from sellercomms.messages import EMAIL_TEMPLATES
from sellercomms.mime import quoted_printable
from sellercomms.relays import resolve_channel
from sellercomms.samples import sample_data

DKIM_KEYS = Path(__file__).parent / "resources" / "dkim"
SIGNED = [b"from", b"reply-to", b"to", b"subject", b"date", b"message-id", b"mime-version"]
SIGNED += [b"content-type", b"list-unsubscribe", b"list-unsubscribe-post"]
WHEN = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
MESSAGE_ID = "<fixed.ACME-1003@acme.example>"


def read(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def as_read(text: str) -> str:
    """``text`` as a reader gets it back: LF line ends, one at the end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"


def bodies(message: EmailMessage) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    for part in parts:
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "quoted-printable"
    plain, html = (str(part.get_content()).replace("\r\n", "\n") for part in parts)
    return plain, html


def assert_wire_format(data: bytes) -> None:
    """ASCII only, every line ending in CRLF and at most 78 characters long."""
    assert data.isascii()
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert not [line for line in lines if b"\r" in line or b"\n" in line]
    assert max(len(line) for line in lines) <= 78


def assert_same_message(mail: RenderedEmail) -> None:
    """``to_bytes()`` reads back as the rendered e-mail and as ``to_message()`` gives it."""
    data = mail.to_bytes(message_id=MESSAGE_ID, date=WHEN)
    assert_wire_format(data)
    ours = read(data)
    assert bodies(ours) == (as_read(mail.text), as_read(mail.html))
    reference = read(mail.to_message(message_id=MESSAGE_ID, date=WHEN).as_bytes())
    assert bodies(ours) == bodies(reference)
    assert [(name, str(value)) for name, value in ours.items() if name != "Content-Type"] == [
        (name, str(value)) for name, value in reference.items() if name != "Content-Type"
    ]
    assert ours["Subject"] == mail.subject


def messages(renderer: Renderer, orders: list[Order], locale: str | None = None) -> list[Any]:
    """Every built-in e-mail for every sample order whose channel sends it."""
    found = []
    for message in EMAIL_TEMPLATES:
        for order in orders:
            data = sample_data(message, order)
            try:
                found.append(renderer.email(message, order, locale=locale, data=data))
            except PolicyError:
                continue
    return found


def test_every_builtin_message_reads_back(renderer: Renderer, orders: list[Order]) -> None:
    mails = messages(renderer, orders)
    assert {mail.template for mail in mails} == set(EMAIL_TEMPLATES)
    for mail in mails:
        assert_same_message(mail)


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_every_locale_reads_back(renderer: Renderer, orders: list[Order], locale: str) -> None:
    own = [order for order in orders if resolve_channel(order).name == "own"]
    for mail in messages(renderer, own, locale):
        assert_same_message(mail)


def note(text: str, html: str = "<p>x</p>") -> RenderedEmail:
    return RenderedEmail(
        template="note",
        order_id="ACME-1003",
        locale="en_US",
        channel="own",
        subject="A note",
        preheader="",
        html=html,
        text=text,
        links=MessageLinks(None),
        sender_name="Acme Home Goods",
        sender_email="support@acme.example",
        recipient_name="Ada Lovelace",
        recipient_email="ada@example.com",
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no line end",
        "trailing spaces   \nand a tab\t\nend",
        ".\n..\nFrom the shop\n",
        "=_ and =3D and = at the end =",
        "--=_0123456789abcdef0123456789abcdef\n--=_0123456789abcdef0123456789abcdef--\n",
        "lone\rcarriage return, CRLF\r\nand LF\n",
        "https://acme.example/" + "a-very-long-path/" * 12 + "?q=1\n",
        "日本語の長い行" * 30,
        "Arabic \u202bمرحبا\u202c and a line separator \u2028 inside\n",
        "\x00\x0b\x0c\x1b controls",
        "\u00e9" * 200,
    ],
)
def test_awkward_text_reads_back(text: str) -> None:
    assert_same_message(note(text, html=f"<pre>{text}</pre>"))


@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=400))
def test_any_text_reads_back(text: str) -> None:
    data = note(text).to_bytes()
    assert_wire_format(data)
    assert bodies(read(data))[0] == as_read(text)


def test_quoted_printable_ends_every_line_in_crlf() -> None:
    encoded = quoted_printable("x" * 200 + "\n" + "y")
    assert encoded.count(b"\r\n") == encoded.count(b"\n") == 4  # two soft breaks
    assert all(len(line) <= 76 for line in encoded.split(b"\r\n"))


def test_a_lone_surrogate_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="lone surrogate"):
        note("Hello \ud800").to_bytes()
    with pytest.raises(RenderError, match="lone surrogate"):
        note("Hello", html="<p>\udc80</p>").to_bytes()


def test_the_given_message_id_and_date_are_written() -> None:
    message = read(note("x").to_bytes(message_id=MESSAGE_ID, date=WHEN))
    assert message["Message-ID"] == MESSAGE_ID
    assert message["Date"].datetime == WHEN


@pytest.mark.parametrize(
    "given", ["no-brackets@acme.example", "<a b@acme.example>", "<x@y>\r\nBcc: a@b.example", "<>"]
)
def test_a_message_id_that_cannot_be_written_is_refused(given: str) -> None:
    for write in (note("x").to_bytes, note("x").to_message):
        with pytest.raises(RenderError, match="is not a message id"):
            write(message_id=given)


@pytest.mark.parametrize(
    ("order_id", "shown"),
    [
        ("ACME-1003", "ACME-1003"),
        ("113-7654321-1234567", "113-7654321-1234567"),
        ("#1001 / Ada <x@evil.example>", "1001_Ada_x_evil.example"),
        ("\U0001f4e6" * 100, "~"),
        ("A" * 100, "A" * 10),
    ],
)
def test_the_generated_message_id_names_the_order_and_fits_a_line(
    order_id: str, shown: str
) -> None:
    mail = RenderedEmail(**{**_fields(note("x")), "order_id": order_id})
    data = mail.to_bytes()
    assert_wire_format(data)
    message_id = read(data)["Message-ID"]
    assert re.fullmatch(r"<[0-9a-f]{20}\.[!-;=?-~]+@acme\.example>", message_id), message_id
    assert shown in message_id
    assert mail.to_bytes() != data  # a new id for every message


def _fields(mail: RenderedEmail) -> dict[str, Any]:
    return {name: getattr(mail, name) for name in RenderedEmail.__slots__}


def _dns(name: bytes, timeout: int = 5) -> bytes:
    assert name == b"test._domainkey.acme.example."
    return b"v=DKIM1; k=rsa; p=" + (DKIM_KEYS / "test-key.pub.b64").read_bytes().strip()


@pytest.mark.parametrize("canonicalize", [(b"simple", b"simple"), (b"relaxed", b"relaxed")])
def test_dkim_signature_verifies(
    seller: Seller, orders: list[Order], canonicalize: tuple[bytes, bytes]
) -> None:
    renderer = Renderer(seller)
    order = next(o for o in orders if o.order_id == "ACME-1003")
    mails = [
        renderer.email("shipping_confirmation", order),
        renderer.email("shipping_confirmation", order, locale="ar_SA"),
        renderer.email("review_request", order),  # with List-Unsubscribe
    ]
    key = (DKIM_KEYS / "test-key.pem").read_bytes()
    for mail in mails:
        data = mail.to_bytes()
        signature = dkim.sign(
            data,
            b"test",
            b"acme.example",
            key,
            canonicalize=canonicalize,
            include_headers=SIGNED,
        )
        assert dkim.verify(signature + data, dnsfunc=_dns)
        tampered = data.replace(b"ACME-1003", b"ACME-1004", 1)
        assert not dkim.verify(signature + tampered, dnsfunc=_dns)
