"""Dark mode: what every e-mail declares and keeps in <style>, and the check's warning on text
that vanishes on a dark background."""

from __future__ import annotations

import email
import re
from email import policy
from email.message import EmailMessage
from pathlib import Path

import lxml.html
import pytest
from lxml.cssselect import CSSSelector

from sellercomms import Order, Renderer, Seller
from sellercomms.checks import RULES, check_templates
from sellercomms.checks.darkmode import _dark_rules, _Descendants, _Index, dark_mode_issues
from sellercomms.exceptions import PolicyError
from sellercomms.inlining import INLINERS
from sellercomms.messages import EMAIL_TEMPLATES
from sellercomms.samples import sample_data

DARK_MEDIA = re.compile(r"@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)\s*\{")
RULE = "dark-mode.text-contrast"


def html_part(raw: bytes) -> str:
    """The HTML part of an .eml, read back with the standard library."""
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    content = part.get_content()
    assert isinstance(content, str)
    return content


def head_styles(html: str) -> str:
    head = lxml.html.document_fromstring(html).find("head")
    assert head is not None
    return "\n".join(style.text or "" for style in head.iter("style"))


@pytest.mark.parametrize("inliner", INLINERS)
@pytest.mark.parametrize("message", EMAIL_TEMPLATES)
def test_every_message_declares_dark_mode_and_keeps_its_dark_rules(
    seller: Seller, orders: list[Order], message: str, inliner: str
) -> None:
    renderer = Renderer(seller, inliner=inliner)  # type: ignore[arg-type]
    rendered = 0
    for order in orders:
        try:
            mail = renderer.email(message, order, data=sample_data(message, order))
        except PolicyError:  # the order's channel does not send this message
            continue
        html = html_part(mail.to_bytes())
        head = lxml.html.document_fromstring(html).find("head")
        assert head is not None
        metas = {meta.get("name"): meta.get("content") for meta in head.iter("meta")}
        assert metas["color-scheme"] == "light dark"
        assert metas["supported-color-schemes"] == "light dark"
        kept = head_styles(html)
        assert re.search(r":root\s*\{\s*color-scheme:\s*light dark", kept)
        assert DARK_MEDIA.search(kept), (message, order.order_id)
        # The classes the dark rules select are still on the elements.
        assert 'class="main"' in html and 'class="foot"' in html
        assert dark_mode_issues(html) == []
        rendered += 1
    assert rendered > 0


@pytest.mark.parametrize("inliner", INLINERS)
def test_right_to_left_messages_pass_too(seller: Seller, orders: list[Order], inliner: str) -> None:
    renderer = Renderer(seller, inliner=inliner)  # type: ignore[arg-type]
    for order in orders:
        try:
            mail = renderer.email("shipping_confirmation", order, locale="ar_SA")
        except PolicyError:
            continue
        assert 'class="page rtl"' in mail.html
        assert dark_mode_issues(mail.html) == []


def test_the_dark_rules_match_what_a_css_selector_engine_matches(
    seller: Seller, orders: list[Order]
) -> None:
    html = Renderer(seller).email("shipping_confirmation", orders[1]).html
    root = lxml.html.document_fromstring(html)
    rules = _dark_rules(head_styles(html))
    index = _Index(root)
    simple = [rule.selector for rule in rules if isinstance(rule.selector, _Descendants)]
    assert len(simple) > 10
    for selector in simple:
        text = " ".join(
            (tag or "*") + "".join(f".{name}" for name in sorted(classes))
            for tag, classes in selector.compounds
        )
        assert set(index.select(selector.compounds)) == set(CSSSelector(text)(root)), text


def _page(style: str, body: str) -> str:
    return f"<html><head><style>{style}</style></head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # Dark text and nothing behind it: the dark canvas shows through.
        (_page("", '<p style="color:#000">Hello</p>'), "#000"),
        # A light background a dark rule darkens, the text left dark.
        (
            _page(
                "@media (prefers-color-scheme: dark) { .box { background: #111 !important } }",
                '<div class="box" style="background:#fff"><span style="color:#333">Hi</span></div>',
            ),
            "#333",
        ),
        # A dark rule without !important loses to the style attribute, as in a browser.
        (
            _page(
                "@media (prefers-color-scheme: dark) { p { color: #eee } }",
                '<p style="color:#222222">Hello</p>',
            ),
            "#222222",
        ),
    ],
)
def test_text_that_vanishes_in_dark_mode_is_found(html: str, expected: str) -> None:
    (issue,) = dark_mode_issues(html)
    assert issue.rule == RULE
    assert f"color {expected} " in issue.message


@pytest.mark.parametrize(
    "html",
    [
        # A light background of its own, which nothing darkens.
        _page("", '<div style="background:#ffffff"><p style="color:#000">Hello</p></div>'),
        # A dark-mode rule that lightens the text.
        _page(
            "@media (prefers-color-scheme: dark) { .t { color: #eeeeee !important } }",
            '<p class="t" style="color:#000">Hello</p>',
        ),
        # Light text, the client's own text colour, hidden text, no text at all.
        _page("", '<p style="color:#f2f4f3">Hello</p><p>Plain</p>'),
        _page("", '<div style="display:none"><p style="color:#000">Preheader</p></div>'),
        _page("", '<table style="color:#000"><tr><td style="color:#fff">x</td></tr></table>'),
    ],
)
def test_readable_text_is_not_reported(html: str) -> None:
    assert dark_mode_issues(html) == []


def _own_message(folder: Path, name: str, html: str) -> None:
    emails = folder / "emails"
    emails.mkdir(parents=True, exist_ok=True)
    (emails / f"{name}.html").write_text(html, encoding="utf-8")
    (emails / f"{name}.txt").write_text("Hello {{ customer.name }}\n", encoding="utf-8")


def test_the_check_warns_about_black_text_on_no_background(tmp_path: Path) -> None:
    _own_message(
        tmp_path,
        "holiday_hours",
        "{% block subject %}Opening hours{% endblock %}{% block preheader %}{% endblock %}"
        "<!DOCTYPE html>\n"
        '<html lang="{{ lang }}" dir="{{ dir }}"><head><title>{{ subject }}</title></head>\n'
        '<body><p style="color:#000">We are closed on Monday, {{ customer.name }}.</p>\n'
        "</body></html>\n",
    )
    report = check_templates(
        tmp_path, messages=["holiday_hours"], locales=["en_US"], channels=["own"]
    )
    (finding,) = [f for f in report.findings if f.rule == RULE]
    assert finding.severity == "warning"
    assert finding.template == "holiday_hours"
    assert "<p>" in finding.message and "color #000" in finding.message
    assert finding.file is not None and finding.file.endswith("emails/holiday_hours.html")
    assert finding.line == 3
    assert RULE in RULES


def test_the_built_in_dark_rules_cover_a_sellers_own_text_in_the_card(tmp_path: Path) -> None:
    _own_message(
        tmp_path,
        "holiday_hours",
        '{% extends "emails/_base.html" %}\n'
        "{% block subject %}Hours{% endblock %}{% block preheader %}{% endblock %}\n"
        '{% block content %}<div style="color:#000">We are closed on Monday.</div>'
        "{% endblock %}\n",
    )
    report = check_templates(
        tmp_path, messages=["holiday_hours"], locales=["en_US"], channels=["own"]
    )
    assert report.summary.renders > 0
    assert {f.rule for f in report.findings}.isdisjoint({RULE, "render.failed"})
