"""css-inline and premailer give every built-in message the same styles and attributes.

Each built-in e-mail is rendered once for every sample order its channel allows, in every
shipped locale, and inlined by both; the results are read back with ``html.parser`` and
compared element by element: the effective declarations of each ``style`` attribute, every
other attribute (the legacy ``bgcolor``, ``width``, ``height``, ``align`` and ``valign`` that
Outlook reads included), and the rules left in ``<style>`` for phones.
"""

from __future__ import annotations

import socket
from html.parser import HTMLParser
from typing import Any

import pytest
import tinycss2

from sellercomms import Order, Renderer, Seller
from sellercomms.catalogs import SHIPPED_LOCALES
from sellercomms.exceptions import PolicyError, TemplateError
from sellercomms.inlining import INLINERS, CssInliner, PremailerInliner, make_inliner
from sellercomms.messages import EMAIL_TEMPLATES
from sellercomms.samples import sample_data

#: The attributes premailer derives from the inlined styles, for Outlook on Windows.
LEGACY = ("bgcolor", "width", "height", "align", "valign")

# A tag name, its attributes but ``style``, and the effective declarations of ``style``.
Element = tuple[str, dict[str, str | None], dict[str, tuple[str, bool]]]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        if tag in ("tbody", "style"):
            # css-inline's HTML5 parser adds the <tbody> every table has in the DOM; the
            # <style> blocks are compared rule by rule.
            return
        attributes = dict(attrs)
        style = attributes.pop("style", None) or ""
        self.elements.append((tag, attributes, declarations(style)))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def declarations(css: str) -> dict[str, tuple[str, bool]]:
    """The declarations that take effect: property → (normalised value, important)."""
    effective: dict[str, tuple[str, bool]] = {}
    for item in tinycss2.parse_declaration_list(css, skip_comments=True, skip_whitespace=True):
        if item.type != "declaration":
            continue
        name = item.lower_name
        if effective.get(name, ("", False))[1] and not item.important:
            continue
        effective[name] = (_value(item.value), item.important)
    return effective


def _value(tokens: list[Any]) -> str:
    """A value written one way: how each tool spells colours, zeros and quotes is its own."""
    parts: list[str] = []
    for token in tokens:
        kind = token.type
        if kind == "whitespace":
            parts.append(" ")
        elif kind == "hash":
            code = token.value.lower()
            parts.append("#" + ("".join(c * 2 for c in code) if len(code) == 3 else code))
        elif kind == "dimension":
            parts.append(f"{token.value:g}{token.lower_unit}" if token.value else "0")
        elif kind == "percentage":
            parts.append(f"{token.value:g}%")
        elif kind == "number":
            parts.append(f"{token.value:g}")
        elif kind == "string":
            parts.append(repr(token.value))
        elif kind == "function":
            parts.append(f"{token.lower_name}({_value(token.arguments)})")
        else:
            parts.append(tinycss2.serialize([token]).lower())
    text = "".join(parts).strip()
    for separator in (",", ":"):
        text = separator.join(part.strip() for part in text.split(separator))
    return " ".join(text.split())


def at_rules(styles: list[str]) -> list[tuple[str, list[tuple[str, dict[str, Any]]]]]:
    """The at-rules left in ``<style>``: prelude → (selector, effective declarations)."""
    found = []
    for css in styles:
        for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
            if rule.type != "at-rule" or rule.content is None:
                continue
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            found.append(
                (
                    f"@{rule.lower_at_keyword} {_value(rule.prelude)}",
                    [
                        (_value(r.prelude), declarations(tinycss2.serialize(r.content)))
                        for r in inner
                        if r.type == "qualified-rule"
                    ],
                )
            )
    return found


def read(html: str) -> tuple[list[Element], list[tuple[str, list[tuple[str, dict[str, Any]]]]]]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.elements, at_rules(reader.styles)


@pytest.mark.parametrize("message", EMAIL_TEMPLATES)
def test_both_inliners_give_the_same_message(
    seller: Seller, orders: list[Order], message: str
) -> None:
    plain = Renderer(seller, inline_css=False)
    fast, reference = CssInliner(), PremailerInliner()
    compared = legacy = 0
    for order in orders:
        for locale in SHIPPED_LOCALES:
            data = sample_data(message, order)
            try:
                html = plain.email(message, order, locale=locale, data=data).html
            except PolicyError:  # the order's channel does not send this message
                continue
            where = f"{message}, {order.order_id}, {locale}"
            ours, media = read(fast.inline(html))
            theirs, their_media = read(reference.inline(html))
            assert media == their_media, where
            assert media, where  # the mobile rules stayed
            assert [e[0] for e in ours] == [e[0] for e in theirs], where
            for index, (element, expected) in enumerate(zip(ours, theirs, strict=True)):
                assert element == expected, f"{where}, element {index} <{element[0]}>"
                legacy += sum(name in element[1] for name in LEGACY)
            compared += len(ours)
    assert compared > 0
    assert legacy > 0  # the templates write the Outlook attributes themselves


def test_declarations_are_compared_by_what_they_mean() -> None:
    assert declarations("color:#FFF; margin:0pt; font-family:'A B', x") == declarations(
        'color: #ffffff;margin: 0 ;font-family: "A B",x'
    )
    assert declarations("color:red !important; color:blue") == {"color": ("red", True)}
    assert declarations("width:40%") != declarations("width:40px")


def test_the_default_inliner_is_css_inline(seller: Seller) -> None:
    assert INLINERS[0] == "css-inline"
    assert Renderer(seller).inliner == "css-inline"
    assert Renderer(seller, inliner="premailer").inliner == "premailer"


def test_an_unknown_inliner_is_refused(seller: Seller) -> None:
    with pytest.raises(ValueError, match=r"^unknown inliner 'premailer3': choose 'css-inline'"):
        Renderer(seller, inliner="premailer3")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", INLINERS)
def test_leftover_media_rules_keep_important(name: str) -> None:
    html = (
        "<html><head><style>p{color:red} .b{color:green}"
        "@media (max-width:480px){.b{color:blue !important}}</style></head>"
        '<body><p class="b c">x</p></body></html>'
    )
    elements, media = read(make_inliner(name).inline(html))
    assert media == [("@media (max-width:480px)", [(".b", {"color": ("blue", True)})])]
    assert elements[-1] == ("p", {"class": "b"}, {"color": ("green", False)})


@pytest.mark.parametrize("name", INLINERS)
def test_import_in_a_rendered_style_block_is_refused(name: str) -> None:
    html = '<html><head><style>p{color:red}\n@import "/etc/hostname";</style></head></html>'
    with pytest.raises(TemplateError) as caught:
        make_inliner(name).inline(html, name="emails/note.html")
    assert str(caught.value).startswith("template emails/note.html: @import is not allowed")
    assert str(caught.value).endswith("(line 2 of a rendered <style> element)")


def test_an_unclosed_style_block_is_checked_too() -> None:
    html = "<html><head><style>@import 'x.css'; p{color:red}</style ><body>x"
    with pytest.raises(TemplateError, match="@import is not allowed"):
        CssInliner().inline(html)


@pytest.mark.parametrize("name", INLINERS)
def test_link_stylesheets_are_never_loaded(name: str) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    port = listener.getsockname()[1]
    try:
        html = (
            f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
            '<link rel="stylesheet" href="/etc/hostname"><style>p{color:red}</style></head>'
            "<body><p>x</p></body></html>"
        )
        elements, _ = read(make_inliner(name).inline(html))
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected
    finally:
        listener.close()
    assert elements[-1] == ("p", {}, {"color": ("red", False)})
