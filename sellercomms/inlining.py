"""CSS inlining for e-mail HTML, offline: css-inline by default, premailer on request.

Inlining runs on rendered HTML (inlining the Jinja source breaks loops, expressions and
links).  Stylesheets come from ``<style>`` blocks that templates fill with
``{% include "emails/email.css" %}`` from the template folders; neither inliner touches the
network or the file system.  ``!important`` survives in the rules kept in ``<style>``, so the
mobile ``@media`` rules can still override the inlined styles.

Both inliners give the same declarations element by element.  The legacy attributes
Outlook on Windows reads (``bgcolor``, ``width``, ``height``, ``align``, ``valign``) are
written by the templates themselves: premailer derives them from the inlined styles, but
css-inline does not, and every client must get the same message whichever inliner ran.

A ``<style>`` block with ``@import`` is an error in both.  css-inline neither follows
``@import`` nor loads ``<link>`` stylesheets here (``load_remote_stylesheets=False``, no base
URL), but it would copy an ``@import`` into the message, where mail clients fetch it.
premailer's options keep it from loading ``<link>`` stylesheets, but cssutils, which parses
the ``<style>`` text for it, follows ``@import`` on its own (relative to the working
directory, over any URL scheme, without a timeout); so the parser premailer uses is also
given a fetcher that refuses every URL, for any spelling of ``@import`` cssutils accepts and
the check does not.  ``url(...)`` values are copied, never fetched.
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from collections import OrderedDict
from functools import cache, lru_cache
from typing import Any, Final, Literal, NoReturn, get_args

from .exceptions import TemplateError
from .stylesheets import IMPORT_REFUSED, import_line

__all__ = [
    "INLINERS",
    "CssInliner",
    "Inliner",
    "InlinerName",
    "PremailerInliner",
    "drop_unused_classes",
    "make_inliner",
]

#: The inliners a :class:`~sellercomms.Renderer` can use; the first is the default.
InlinerName = Literal["css-inline", "premailer"]
INLINERS: Final[tuple[InlinerName, ...]] = get_args(InlinerName)

PREMAILER_OPTIONS: dict[str, Any] = {
    "base_url": None,
    "allow_network": False,
    "allow_loading_external_files": False,
    # Keep !important in the leftover <style> rules: mobile and dark-mode @media rules must be
    # able to beat the inlined declarations.
    "strip_important": False,
    "disable_link_rewrites": True,
    "disable_validation": True,
    "cssutils_logging_level": logging.CRITICAL,
}

#: Stylesheets kept per inliner: one per template set and direction in use.
_KEPT = 32


class Inliner(ABC):
    """Moves the ``<style>`` rules of rendered HTML into ``style`` attributes."""

    @abstractmethod
    def inline(self, html: str, *, name: str | None = None) -> str:
        """``html`` with its ``<style>`` rules moved into ``style`` attributes where they can be.

        ``name`` is the template the HTML was rendered from, for errors: a ``<style>`` block
        with ``@import`` raises :class:`TemplateError`.
        """


def make_inliner(name: str) -> Inliner:
    """The inliner called ``name``: ``"css-inline"`` or ``"premailer"``.

    >>> make_inliner("cssutils")
    Traceback (most recent call last):
    ...
    ValueError: unknown inliner 'cssutils': choose 'css-inline' or 'premailer'
    """
    if name == "css-inline":
        return CssInliner()
    if name == "premailer":
        return PremailerInliner()
    choices = " or ".join(repr(known) for known in INLINERS)
    raise ValueError(f"unknown inliner {name!r}: choose {choices}")


class CssInliner(Inliner):
    """Inlines with css-inline (Rust): a few hundred microseconds for a whole e-mail.

    Only at-rules (``@media``) stay in ``<style>``, moved into one block at the start of
    ``<head>``; rules that matched no element are dropped, as premailer drops them.
    """

    def __init__(self) -> None:
        import css_inline  # deferred: importing sellercomms loads no inliner

        self._inliner = css_inline.CSSInliner(
            inline_style_tags=True,
            keep_style_tags=False,
            keep_at_rules=True,
            # A <link> stays for the client to follow or not, as premailer leaves it.
            keep_link_tags=True,
            base_url=None,
            load_remote_stylesheets=False,
            # "color:red" rather than "color: red;", as premailer writes it: smaller e-mails.
            minify_css=True,
        )
        self._checked: OrderedDict[str, None] = OrderedDict()

    def inline(self, html: str, *, name: str | None = None) -> str:
        for block in _STYLE_TEXT.findall(html):
            self._check(block, name)
        # html5ever writes U+00A0 as "&nbsp;" (a literal "&nbsp;" in the text would be
        # "&amp;nbsp;"); the character itself is what the rendered text and premailer hold.
        return drop_unused_classes(self._inliner.inline(html).replace("&nbsp;", "\xa0"))

    def _check(self, block: str, name: str | None) -> None:
        if block in self._checked:
            self._checked.move_to_end(block)
            return
        line = import_line(block)
        if line is not None:
            raise TemplateError(
                f"{IMPORT_REFUSED} (line {line} of a rendered <style> element)", name=name
            )
        self._checked[block] = None
        while len(self._checked) > _KEPT:
            self._checked.popitem(last=False)


class PremailerInliner(Inliner):
    """Inlines with premailer, which is imported on first use.

    Every message of a template set carries the same stylesheet, so the parsed rules and the
    serialised leftover ``<style>`` text are kept per stylesheet (premailer redoes both on every
    call, which is most of its time); the output is the same as premailer's.
    """

    def __init__(self) -> None:
        self._cache: OrderedDict[tuple[str, int], tuple[list[Any], Any]] = OrderedDict()

    def inline(self, html: str, *, name: str | None = None) -> str:
        premailer_class = _memoizing_premailer()
        inliner = premailer_class(**PREMAILER_OPTIONS)
        inliner.style_cache = self._cache
        inliner.template_name = name
        # No pretty printing: re-indenting would add white space between inline elements.
        result: str = inliner.transform(html, pretty_print=False)
        return drop_unused_classes(result)


_STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
# Looser, for the @import check: whatever an HTML parser could take for a <style> element's
# text, up to any end tag it accepts or the end of the document.
_STYLE_TEXT = re.compile(r"<style\b[^>]*>(.*?)(?:</style[\s/>]|\Z)", re.S | re.I)
_CLASS_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
# A class attribute in a start tag: the tag's text holds no "<" or ">" before it (the
# serializers escape them in text, and quotes in values, so text cannot look like one).
_CLASS_IN_TAG = re.compile(r'(<[a-zA-Z][^<>]*?\s)class="([^"]*)"')


def drop_unused_classes(html: str) -> str:
    """``html`` without the class names no remaining ``<style>`` rule selects.

    Once the rules are inlined, a class only matters to the rules left in ``<style>`` (the
    mobile ``@media`` ones); the rest is dead weight in every element, and a long order's
    e-mail must stay well below the size at which Gmail clips it.

    >>> drop_unused_classes('<style>@media x{.keep{a:b}}</style><p class="keep gone">x</p>')
    '<style>@media x{.keep{a:b}}</style><p class="keep">x</p>'
    """
    used = _selected_classes(tuple(_STYLE_BLOCK.findall(html)))

    def clean(match: re.Match[str]) -> str:
        kept = [name for name in match.group(2).split() if name in used]
        before = match.group(1)
        return f'{before}class="{" ".join(kept)}"' if kept else before[:-1]

    return _CLASS_IN_TAG.sub(clean, html)


@lru_cache(maxsize=_KEPT)
def _selected_classes(blocks: tuple[str, ...]) -> frozenset[str]:
    return frozenset(name for block in blocks for name in _CLASS_SELECTOR.findall(block))


class _FetchRefused(Exception):
    """cssutils asked for a URL; nothing is ever fetched while inlining."""


def _refuse_fetch(url: str) -> None:
    # cssutils catches OSError and ValueError from a fetcher and goes on; this one gets out.
    raise _FetchRefused(url)


@cache
def _memoizing_premailer() -> Any:
    import cssutils
    import premailer  # deferred: it pulls in lxml and cssutils (~0.2 s)

    # cssutils warns about every mso- property Outlook needs; they are deliberate.
    logging.getLogger("CSSUTILS").setLevel(logging.CRITICAL)

    class Leftover(list[Any]):
        """Rules premailer cannot inline, with their serialised text worked out once."""

        text = ""

    class MemoizingPremailer(premailer.Premailer):  # type: ignore[misc]
        style_cache: OrderedDict[tuple[str, int], tuple[list[Any], Leftover]]
        template_name: str | None

        def _parse_style_rules(self, css_body: str, ruleset_index: int) -> tuple[list[Any], Any]:
            key = (css_body or "", ruleset_index)
            found = self.style_cache.get(key)
            if found is None:
                line = import_line(css_body or "")
                if line is not None:
                    self._refuse(f"line {line} of")
                rules, leftover = super()._parse_style_rules(css_body, ruleset_index)
                kept = Leftover(leftover)
                kept.text = super()._css_rules_to_string(leftover)
                found = (rules, kept)
                self.style_cache[key] = found
                while len(self.style_cache) > _KEPT:
                    self.style_cache.popitem(last=False)
            return list(found[0]), found[1]

        def _parse_css_string(self, css_body: str, validate: bool = True) -> Any:
            # premailer's own parser would use cssutils' default fetcher.
            parser = cssutils.CSSParser(fetcher=_refuse_fetch, validate=validate)
            try:
                return parser.parseString(css_body)
            except _FetchRefused as refused:
                self._refuse(f"{refused} in")

        def _refuse(self, where: str) -> NoReturn:
            raise TemplateError(
                f"{IMPORT_REFUSED} ({where} a rendered <style> element)", name=self.template_name
            )

        def _css_rules_to_string(self, rules: Any) -> str:
            if isinstance(rules, Leftover):
                return rules.text
            text: str = super()._css_rules_to_string(rules)
            return text

    return MemoizingPremailer
