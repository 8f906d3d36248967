"""The memoizing premailer inliner gives exactly what premailer gives, message after message;
both inliners keep what the mobile rules need."""

from __future__ import annotations

import premailer
import pytest

from sellercomms import Order, Renderer, Seller
from sellercomms.exceptions import TemplateError
from sellercomms.inlining import (
    PREMAILER_OPTIONS,
    CssInliner,
    PremailerInliner,
    _fetched_url,
    drop_unused_classes,
)
from sellercomms.relays import resolve_channel


def test_same_output_as_premailer(seller: Seller, orders: list[Order]) -> None:
    plain = Renderer(seller, inline_css=False)
    inliner = PremailerInliner()
    own = [o for o in orders if resolve_channel(o).name == "own"]
    for order in own * 2:  # the second round is served from the stylesheet cache
        html = plain.email("shipping_confirmation", order).html
        expected = drop_unused_classes(premailer.transform(html, **PREMAILER_OPTIONS))
        assert inliner.inline(html) == expected


def test_two_stylesheets_do_not_mix() -> None:
    inliner = CssInliner()
    red = "<html><head><style>p{color:red}</style></head><body><p>x</p></body></html>"
    blue = red.replace("red", "blue")
    assert 'style="color:red"' in inliner.inline(red)
    assert 'style="color:blue"' in inliner.inline(blue)
    assert 'style="color:red"' in inliner.inline(red)


def test_leftover_media_rules_keep_important() -> None:
    html = (
        "<html><head><style>p{color:red}"
        "@media (max-width:480px){p{color:blue !important}}</style></head>"
        "<body><p>x</p></body></html>"
    )
    for _ in range(2):
        result = CssInliner().inline(html)
        assert "color:blue !important" in result.replace(
            "color: blue !important", "color:blue !important"
        )
        assert 'style="color:red"' in result


def test_classes_the_mobile_rules_need_are_kept() -> None:
    html = (
        "<html><head><style>.a{color:red} @media (max-width:480px){.b{color:blue !important}}"
        '</style></head><body><p class="a b c">x</p><p class="a">class="a" stays text</p>'
        "</body></html>"
    )
    result = CssInliner().inline(html)
    assert '<p class="b" style="color:red">x</p>' in result
    assert '<p style="color:red">class="a" stays text</p>' in result


def test_what_cssutils_would_fetch_is_found_before_premailer_parses() -> None:
    # The second line of defence behind the @import check: should cssutils ever see an
    # @import the check does not, the parse that goes first finds the URL, reading nothing.
    assert _fetched_url('p{color:red}\n@import "file:///etc/hostname";') == "file:///etc/hostname"
    assert _fetched_url("p{color:red} @media print{p{color:#000}}") is None


def test_premailer_refuses_an_import_with_the_template_name() -> None:
    html = '<html><head><style>@import "file:///etc/hostname";</style></head></html>'
    with pytest.raises(TemplateError, match=r"^template emails/note.html: @import is not allowed"):
        PremailerInliner().inline(html, name="emails/note.html")
