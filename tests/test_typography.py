"""Numbers stay with their units and Japanese sentences run on without spaces, as sent."""

from __future__ import annotations

import email
import re
from email import policy
from email.message import EmailMessage

from sellercomms import Order, Renderer
from sellercomms.samples import sample_data


def _parts(mail_bytes: bytes) -> tuple[str, str]:
    message = email.message_from_bytes(mail_bytes, policy=policy.default)
    assert isinstance(message, EmailMessage)
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def test_a_number_and_its_unit_never_part(
    renderer: Renderer, orders_by_id: dict[str, Order]
) -> None:
    mail = renderer.email("shipping_confirmation", orders_by_id["ACME-1004"])
    _, html = _parts(mail.to_bytes())
    assert "Soy candle, cedar, 200\xa0g" in html
    assert "200 g" not in html


def test_japanese_sentences_take_no_space_after_the_full_stop(
    renderer: Renderer, orders_by_id: dict[str, Order]
) -> None:
    order = orders_by_id["ACME-1003"]
    for template in ("review_request", "return_instructions", "delivery_checkin"):
        data = sample_data(template, order)
        mail = renderer.email(template, order, locale="ja_JP", data=data)
        text, html = _parts(mail.to_bytes())
        assert "。" in text and "。" in html
        assert not re.search(r"。[ \t]+\S", text), template
        # In HTML any whitespace, a line break too, shows as a space.
        assert not re.search(r"。\s+[^\s<]", html), template


def test_other_languages_keep_their_spaces(
    renderer: Renderer, orders_by_id: dict[str, Order]
) -> None:
    mail = renderer.email("review_request", orders_by_id["ACME-1003"], locale="de_DE")
    text, _ = _parts(mail.to_bytes())
    assert ". " in text
