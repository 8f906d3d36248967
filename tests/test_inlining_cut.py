"""The stylesheet every message shares is cut apart once; the messages come out as the
inliners write them whole, for the built-in templates and for documents where the cut cannot
be used."""

from __future__ import annotations

import css_inline
import premailer
import pytest

from sellercomms import Order, Renderer, Seller
from sellercomms.inlining import (
    _CSS_INLINE_OPTIONS,
    PREMAILER_OPTIONS,
    CssInliner,
    Inliner,
    PremailerInliner,
    drop_unused_classes,
)
from sellercomms.messages import EMAIL_TEMPLATES
from sellercomms.samples import sample_data
from sellercomms.stylesheet_split import split_stylesheet

STYLESHEET = (
    "/* shared */\r\n.a { color: red }\r\n"
    "@media (max-width: 480px) { .a { color: blue !important } }\r\n"
    "/* after */ p { margin: 0 }\f@media (prefers-color-scheme: dark) { .b { color: #fff } }\n"
)
BODY = '<body><p class="a b">x&nbsp;y</p><p class="c">z</p></body>'


def whole(inliner: Inliner, html: str) -> str:
    """What the inliner's library writes for ``html``, inlined as it is."""
    if isinstance(inliner, CssInliner):
        written = css_inline.CSSInliner(**_CSS_INLINE_OPTIONS).inline(html)
        return drop_unused_classes(written.replace("&nbsp;", "\xa0"))
    return drop_unused_classes(premailer.transform(html, **PREMAILER_OPTIONS))


def cut_apart(inliner: CssInliner | PremailerInliner) -> bool:
    return any(apart is not None for apart in inliner._seen.values())


def test_a_stylesheet_is_cut_at_its_rules_in_its_own_text() -> None:
    split = split_stylesheet(STYLESHEET)
    assert split is not None
    assert split.lead == "/* shared */\r\n"
    # Each rule as written: line ends of every kind count as CSS counts them.
    assert split.style_rules == ".a { color: red }\np { margin: 0 }"


@pytest.mark.parametrize(
    "css", ["p { color: red }", "@media print { p { color: red } }", "p { color: red } }{", ""]
)
def test_nothing_to_cut_or_a_syntax_error_leaves_it_whole(css: str) -> None:
    assert split_stylesheet(css) is None


@pytest.mark.parametrize("make", [CssInliner, PremailerInliner])
@pytest.mark.parametrize(
    "head",
    [
        f"<style>{STYLESHEET}</style>",
        # An earlier block's last at-rule takes the shared stylesheet's leading comment along.
        f"<style>@media print {{ .c {{ color: #000 }} }}</style><style>{STYLESHEET}</style>",
        f"<style>.c {{ color: green }}</style><style>{STYLESHEET}</style>",
    ],
)
def test_the_cut_gives_what_the_inliner_writes_whole(
    make: type[CssInliner | PremailerInliner], head: str
) -> None:
    inliner = make()
    html = f"<html><head>{head}</head>{BODY}</html>"
    for _ in range(2):
        assert inliner.inline(html) == whole(inliner, html)
    assert cut_apart(inliner)


@pytest.mark.parametrize("make", [CssInliner, PremailerInliner])
@pytest.mark.parametrize(
    "html",
    [
        # The stylesheet's text in a comment, after the real one.
        f"<html><head><style>{STYLESHEET}</style></head>{BODY}<!-- <style>{STYLESHEET}</style> -->"
        "</html>",
        # An unclosed rule before it swallows it.
        f"<html><head><style>.c {{ color: red</style><style>{STYLESHEET}</style></head>{BODY}"
        "</html>",
        # A block css-inline and premailer leave alone.
        f'<html><head><style data-css-inline="ignore">{STYLESHEET}</style></head>{BODY}</html>',
        # The stand-in's name in the message.
        f"<html><head><style>{STYLESHEET}</style></head>{BODY}<p>sellercomms-kept-rules</p></html>",
    ],
)
def test_where_the_cut_cannot_be_used_the_message_is_inlined_whole(
    make: type[CssInliner | PremailerInliner], html: str
) -> None:
    inliner = make()
    for _ in range(2):
        assert inliner.inline(html) == whole(inliner, html)


def test_a_pseudo_class_rule_keeps_premailer_inlining_whole() -> None:
    inliner = PremailerInliner()
    html = f"<html><head><style>a:hover {{ color: red }}\n{STYLESHEET}</style></head>{BODY}</html>"
    assert inliner.inline(html) == whole(inliner, html)
    assert not cut_apart(inliner)


@pytest.mark.parametrize("make", [CssInliner, PremailerInliner])
@pytest.mark.parametrize("message", EMAIL_TEMPLATES)
def test_every_built_in_message_is_cut_and_written_as_whole(
    seller: Seller, orders: list[Order], make: type[CssInliner | PremailerInliner], message: str
) -> None:
    plain = Renderer(seller, inline_css=False)
    html = next(
        plain.email(message, order, data=sample_data(message, order)).html
        for order in orders
        if plain.channel_for(order).forbidding_rule(message) is None
    )
    inliner = make()
    assert inliner.inline(html) == whole(inliner, html)
    assert cut_apart(inliner)
