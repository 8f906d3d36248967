"""Fuzzing the e-mail headers: whatever a name, subject or address holds, the message has
exactly the headers and recipients intended, and a reader decodes exactly the text given.

Every message is parsed back with the standard ``email`` package.  Display names are also
decoded the way RFC 2047 says (``decode_header``): the ``email.policy.default`` reader keeps
the space between two adjacent encoded words of a display name, which mail clients drop.
"""

from __future__ import annotations

import email
from collections import Counter
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sellercomms import Order, RenderedEmail, Renderer, Seller
from sellercomms.context import MessageLinks
from sellercomms.mail import header_safe

# Pieces that have broken e-mail headers: encoded words (valid or not), line breaks of every
# kind, address punctuation, quotes, right-to-left text and words too long for one line.
TRICKY = st.sampled_from(
    [
        "=?utf-8?q?",
        "=?utf-8?b?",
        "?=",
        "=?utf-8?q?x=0D=0ABcc=3A_b=40evil.example?=",
        "=?utf-8?b?eA0KQmNjOiBiQGV2aWwuZXhhbXBsZQ==?=",
        "=?utf-8?q?Grace=2C_a=40evil=2Eexample=2C?=",
        "=0D=0A",
        "\r",
        "\n",
        "\r\n",
        "\u2028",
        "\u2029",
        "\x85",
        "\t",
        "\x00",
        ",",
        "<",
        ">",
        "@",
        '"',
        "'",
        "\\",
        "(",
        ")",
        ":",
        ";",
        " ",
        "  ",
        "\u00a0",
        "\u202f",
        "ر.س.",
        "\u200f",
        "\u202e",
        "محمد",
        "ご注文",
        "Jörg",
        "Bcc: x@evil.example",
        "x" * 120,
        "é" * 80,
    ]
)
TEXT = st.lists(
    st.one_of(TRICKY, st.text(st.characters(exclude_categories=["Cs"]), max_size=12)),
    max_size=12,
).map("".join)

ATOM = st.text("abcXYZ019!#$%&'*+/=?^_`{|}~-", min_size=1, max_size=12).filter(
    lambda atom: "=?" not in atom
)
LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
ADDRESS = st.builds(
    lambda local, domain: f"{'.'.join(local)}@{'.'.join(domain)}",
    st.lists(ATOM, min_size=1, max_size=3),
    st.lists(LABEL, min_size=1, max_size=3).map(lambda labels: [*labels, "example"]),
)

OWN_HEADERS = ["From", "Reply-To", "To", "Subject", "Date", "Message-ID"]
MIME_HEADERS = ["MIME-Version", "Content-Type"]


def mail(**fields: object) -> RenderedEmail:
    values: dict[str, object] = {
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
    return RenderedEmail(**{**values, **fields})  # type: ignore[arg-type]


def read(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def mailbox(data: bytes, name: str) -> tuple[str, str]:
    """The display name (decoded as RFC 2047 says) and address of header ``name``."""
    raw = email.message_from_bytes(data, policy=policy.compat32)[name]
    ((display, address),) = getaddresses([raw])
    return str(make_header(decode_header(display))), address


def assert_exact(
    data: bytes,
    *,
    sender: tuple[str, str],
    recipient: tuple[str, str] | None,
    subject: str,
    extra: dict[str, str] | None = None,
) -> None:
    """``data`` has exactly the headers of ``mail()`` and says exactly what it was given."""
    head = data.split(b"\r\n\r\n", 1)[0]
    assert all(b"\n" not in line for line in head.split(b"\r\n")), "a bare line feed"
    message = read(data)
    expected = [*OWN_HEADERS, *(extra or {}), *MIME_HEADERS]
    if recipient is None:
        expected.remove("To")
    assert Counter(message.keys()) == Counter(expected)
    assert not message.defects
    for name in ("From", "Reply-To", "To"):
        wanted = sender if name != "To" else recipient
        if wanted is None:
            continue
        header = message[name]
        assert [a.addr_spec for a in header.addresses] == [wanted[1]]
        assert [address for _, address in getaddresses([str(header)])] == [wanted[1]]
        assert mailbox(data, name) == (header_safe(wanted[0]), wanted[1])
    assert str(message["Subject"]) == header_safe(subject)
    for name, value in (extra or {}).items():
        assert str(message[name]) == value


@given(name=TEXT, sender=TEXT, subject=TEXT, address=ADDRESS, seller_address=ADDRESS)
def test_any_names_and_subject_give_exactly_the_intended_headers(
    name: str, sender: str, subject: str, address: str, seller_address: str
) -> None:
    data = mail(
        recipient_name=name,
        recipient_email=address,
        sender_name=sender,
        sender_email=seller_address,
        subject=subject,
    ).to_bytes()
    assert_exact(data, sender=(sender, seller_address), recipient=(name, address), subject=subject)


@given(subject=TEXT)
def test_extra_headers_stay_what_they_are(subject: str) -> None:
    extra = {
        "List-Unsubscribe": "<https://acme.example/unsubscribe?order=ACME-1001>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    data = mail(subject=subject, recipient_email=None, headers=extra).to_bytes()
    assert_exact(
        data,
        sender=("Acme Home Goods", "support@acme.example"),
        recipient=None,
        subject=subject,
        extra=extra,
    )


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seller's template whose subject is made of the buyer's name and an item title."""
    folder = tmp_path_factory.mktemp("templates")
    (folder / "emails").mkdir()
    (folder / "emails" / "note.html").write_text(
        '{% extends "emails/_base.html" %}\n'
        "{% block subject %}{{ customer.name }}: {{ items[0].title }}{% endblock %}\n"
        "{% block preheader %}A note about your order.{% endblock %}\n"
        "{% block content %}<p>Dear {{ customer.name }}, thank you.</p>{% endblock %}\n",
        encoding="utf-8",
    )
    (folder / "emails" / "note.txt").write_text(
        '{% extends "emails/_base.txt" %}\n'
        "{% block content %}Dear {{ customer.name }}, thank you.{% endblock %}\n",
        encoding="utf-8",
    )
    return folder


@given(name=TEXT, title=TEXT, seller_name=TEXT, address=ADDRESS)
def test_rendered_e_mails_carry_any_name_and_title_exactly(
    templates: Path,
    order: Order,
    seller: Seller,
    name: str,
    title: str,
    seller_name: str,
    address: str,
) -> None:
    single = header_safe(name) or "Ada"
    item = order.items[0].model_copy(update={"title": header_safe(title) or "Mug"})
    customer = order.customer.model_copy(update={"name": single, "email": address})
    order = order.model_copy(update={"customer": customer, "items": [item, *order.items[1:]]})
    seller = seller.model_copy(update={"name": header_safe(seller_name) or "Acme"})
    rendered = Renderer(seller, templates, inline_css=False).email("note", order)
    # The subject block is read as text: its whitespace is collapsed, nothing else changes.
    assert rendered.subject.split() == f"{single}: {item.title}".split()
    assert_exact(
        rendered.to_bytes(),
        sender=(seller.name, seller.email),
        recipient=(single, address),
        subject=rendered.subject,
        extra=dict(rendered.headers),
    )


@pytest.fixture
def order(orders_by_id: dict[str, Order]) -> Order:
    return orders_by_id["ACME-1003"]
