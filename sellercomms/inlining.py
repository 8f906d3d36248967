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
directory, over any URL scheme, without a timeout); so each ``<style>`` text is also parsed
by cssutils here, once, with a fetcher that refuses every URL, before premailer parses it:
for any spelling of ``@import`` cssutils accepts and the check does not.  ``url(...)``
values are copied, never fetched.

premailer is used through its public ``transform`` only; what makes it faster than a plain
call is done to its input and output (see :class:`PremailerInliner`).
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Final, Literal, get_args

from .exceptions import TemplateError
from .stylesheet_split import split_stylesheet
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
    # The parsed stylesheet is kept per text (premailer's default, relied on here).
    "cache_css_parsing": True,
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


class _SharedStylesheetInliner(Inliner):
    """An inliner that cuts the stylesheet every message of a template set shares apart once.

    The ``<style>`` text that all messages share (the last block, the included stylesheet)
    is cut into its style rules and the at-rules no inliner can inline
    (:mod:`sellercomms.stylesheet_split`), and what the inliner writes for those at-rules is
    worked out once.  Each message then goes to the inliner with a one-rule stand-in in
    their place, and the written at-rules replace the stand-in's text.  The stand-in must come
    back exactly once, where the inliner writes the kept rules; otherwise (an odd document:
    the block in a comment, an unclosed rule before it) the message is inlined whole.  Either
    way the output is the inliner's own.
    """

    def __init__(self) -> None:
        # Per <style> text seen: checked for @import, and how to inline it apart, if it can be.
        self._seen: OrderedDict[str, _Apart | None] = OrderedDict()

    def inline(self, html: str, *, name: str | None = None) -> str:
        spans = _spans(html, _STYLE_START, _STYLE_END, unclosed=True)
        apart = None
        for start, end in spans:
            apart = self._see(html[start:end], name)
        inlined = apart.inline(html, *spans[-1]) if apart is not None else None
        return drop_unused_classes(self._whole(html) if inlined is None else inlined)

    @abstractmethod
    def _whole(self, html: str) -> str:
        """``html`` inlined as it is."""

    @abstractmethod
    def _apart(self, block: str) -> _Apart | None:
        """How to inline a message whose last ``<style>`` text is ``block``, if it can be cut."""

    def _check(self, block: str, name: str | None) -> None:
        """Raise :class:`TemplateError` if ``block`` pulls in another stylesheet."""
        line = import_line(block)
        if line is not None:
            raise TemplateError(
                f"{IMPORT_REFUSED} (line {line} of a rendered <style> element)", name=name
            )

    def _see(self, block: str, name: str | None) -> _Apart | None:
        if block in self._seen:
            self._seen.move_to_end(block)
            return self._seen[block]
        self._check(block, name)
        apart = self._seen[block] = self._apart(block)
        while len(self._seen) > _KEPT:
            self._seen.popitem(last=False)
        return apart


@dataclass(frozen=True, slots=True)
class _Apart:
    """How to inline a message whose last ``<style>`` text is one stylesheet, cut apart."""

    #: The inliner, given the message with ``block`` in place of the stylesheet.
    inline_whole: Callable[[str], str]
    #: What takes the stylesheet's place in the message.
    block: str
    #: The stand-in as the inliner writes it, with what surrounds it.
    written: str
    #: The stylesheet's kept rules as the inliner writes them, with the same surroundings.
    kept: str

    def inline(self, html: str, start: int, end: int) -> str | None:
        """``html`` inlined, or None if the stand-in did not come back where it belongs."""
        inlined = self.inline_whole(f"{html[:start]}{self.block}{html[end:]}")
        at = inlined.find(self.written)
        if at == -1 or inlined.count(_STAND_IN_NAME) != 1:
            return None
        return f"{inlined[:at]}{self.kept}{inlined[at + len(self.written) :]}"


#: Stands in for a stylesheet's at-rules: an at-rule both inliners keep, which no element
#: of a message matches.
_STAND_IN_NAME: Final = "sellercomms-kept-rules"
_STAND_IN: Final = f"@media print{{{_STAND_IN_NAME}{{x:y}}}}"


def _kept_rules(inline: Callable[[str], str], css: str) -> str | None:
    """The rules ``inline`` leaves in ``<style>`` from ``css``, as it writes them."""
    inlined = inline(f"<html><head><style>{css}</style></head><body></body></html>")
    kept = re.match(r"<html><head><style>(.*)</style></head>", inlined, re.S)
    return kept[1] if kept else None


class CssInliner(_SharedStylesheetInliner):
    """Inlines with css-inline (Rust): a few hundred microseconds for a whole e-mail.

    Only at-rules (``@media``) stay in ``<style>``, moved into one block at the start of
    ``<head>``; rules that matched no element are dropped, as premailer drops them.  The
    stylesheet's style rules go to css-inline apart, as ``extra_css``, so that it does not
    parse the at-rules for every message.
    """

    def __init__(self) -> None:
        import css_inline  # deferred: importing sellercomms loads no inliner

        super().__init__()
        self._make = css_inline.CSSInliner
        self._inliner = self._make(**_CSS_INLINE_OPTIONS)

    def _whole(self, html: str) -> str:
        return self._finish(self._inliner.inline(html))

    def _apart(self, block: str) -> _Apart | None:
        split = split_stylesheet(block)
        if split is None:
            return None
        apart = self._make(**_CSS_INLINE_OPTIONS, extra_css=split.style_rules)
        # css-inline adds the style rules after the <style> text, so the stand-in is the last
        # kept rule, as the stylesheet's would be; a kept at-rule before it takes the comments
        # that follow it along, hence the stylesheet's leading ones stay.
        stand_in = _kept_rules(apart.inline, _STAND_IN)
        kept = _kept_rules(self._inliner.inline, block)
        if not stand_in or not kept:
            return None
        # css-inline writes each kept at-rule followed by a space: the stand-in in a comment or
        # in text, as the message holds it, cannot be taken for it.
        return _Apart(
            lambda html: self._finish(apart.inline(html)),
            split.lead + _STAND_IN,
            f"{stand_in}</style>",
            f"{kept}</style>",
        )

    @staticmethod
    def _finish(inlined: str) -> str:
        # html5ever writes U+00A0 as "&nbsp;" (a literal "&nbsp;" in the text would be
        # "&amp;nbsp;"); the character itself is what the rendered text and premailer hold.
        return inlined.replace("&nbsp;", "\xa0")


#: Passed to css-inline's ``CSSInliner``; ``extra_css`` is added for a stylesheet cut apart.
_CSS_INLINE_OPTIONS: Final[dict[str, Any]] = {
    "inline_style_tags": True,
    "keep_style_tags": False,
    "keep_at_rules": True,
    # A <link> stays for the client to follow or not, as premailer leaves it.
    "keep_link_tags": True,
    "base_url": None,
    "load_remote_stylesheets": False,
    # "color:red" rather than "color: red;", as premailer writes it: smaller e-mails.
    "minify_css": True,
}


class PremailerInliner(_SharedStylesheetInliner):
    """Inlines with premailer, which is imported on first use.

    premailer keeps the parsed stylesheet itself (``cache_css_parsing``) but
    serialises the rules it leaves in ``<style>`` again for every message, through cssutils;
    with the stylesheet cut apart, the only rule it leaves is the stand-in.  What it still
    does for every message is turn each parsed style rule back into text to match it.
    """

    def _whole(self, html: str) -> str:
        transform = _premailer_transform()
        result: str = transform(html, **PREMAILER_OPTIONS)
        return result

    def _check(self, block: str, name: str | None) -> None:
        super()._check(block, name)
        url = _fetched_url(block)
        if url is not None:
            raise TemplateError(
                f"{IMPORT_REFUSED} ({url} in a rendered <style> element)", name=name
            )

    def _apart(self, block: str) -> _Apart | None:
        split = split_stylesheet(block)
        if split is None:
            return None
        cut = f"{split.lead}{split.style_rules}\n{_STAND_IN}"
        if _fetched_url(cut) is not None:
            return None
        stand_in = _kept_rules(self._whole, _STAND_IN)
        # Rules premailer cannot inline other than at-rules (a:hover) would stay beside the
        # stand-in in another order: such a stylesheet is inlined whole.
        if not stand_in or _kept_rules(self._whole, cut) != stand_in:
            return None
        kept = _kept_rules(self._whole, block)
        if kept is None:
            return None
        return _Apart(self._whole, cut, f">{stand_in}</style>", f">{kept}</style>")


# A <style> element as the inliners write it.
_KEPT_START = re.compile(r"<style[^>]*>", re.I)
_KEPT_END = re.compile(r"</style>", re.I)
# Looser, for the @import check: whatever an HTML parser could take for a <style> element's
# text, up to any end tag it accepts or the end of the document.
_STYLE_START = re.compile(r"<style\b[^>]*>", re.I)
_STYLE_END = re.compile(r"</style[\s/>]", re.I)
_CLASS_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
# A class attribute in a start tag: the tag's text holds no "<" or ">" before it (the
# serializers escape them in text, and quotes in values, so text cannot look like one).  The
# tag is read in runs up to each "c" that could start ` class="`, atomically: a lazy
# `[^<>]*?\s` tried ` class="` at every character of the long inlined style attributes.
_CLASS_IN_TAG = re.compile(r'(<[a-zA-Z](?>[^<>c]+|c(?!lass=")|(?<!\s)c)*)class="([^"]*)"')


def drop_unused_classes(html: str) -> str:
    """``html`` without the class names no remaining ``<style>`` rule selects.

    Once the rules are inlined, a class only matters to the rules left in ``<style>`` (the
    mobile ``@media`` ones); the rest is dead weight in every element, and a long order's
    e-mail must stay well below the size at which Gmail clips it.

    >>> drop_unused_classes('<style>@media x{.keep{a:b}}</style><p class="keep gone">x</p>')
    '<style>@media x{.keep{a:b}}</style><p class="keep">x</p>'
    """
    blocks = tuple(html[start:end] for start, end in _spans(html, _KEPT_START, _KEPT_END))
    return _CLASS_IN_TAG.sub(_class_cleaner(blocks).clean, html)


class _ClassCleaner(dict[str, str]):
    """Start tags up to their ``class`` value, cleaned: the same few come up in every message
    of a template set, so each is cleaned once."""

    #: Tags kept at most, should the templates write new ones all the time.
    limit = 4096

    def __init__(self, used: frozenset[str]) -> None:
        super().__init__()
        self.used = used

    def clean(self, match: re.Match[str]) -> str:
        found = match[0]
        cleaned = self.get(found)
        if cleaned is None:
            if len(self) >= self.limit:
                self.clear()
            before, names = match.groups()
            kept = " ".join(name for name in names.split() if name in self.used)
            cleaned = self[found] = f'{before}class="{kept}"' if kept else before[:-1]
        return cleaned


def _spans(
    html: str, start: re.Pattern[str], end: re.Pattern[str], *, unclosed: bool = False
) -> list[tuple[int, int]]:
    """Where the text of each element that ``start`` and ``end`` delimit is in ``html``.

    With ``unclosed``, an element without an end tag runs to the end of ``html``.  (A
    search for the end tag from each start tag: one pattern for both, with a lazy ``.*?``
    in between, tries the end tag at every character.)

    >>> _spans("<b>x</b> <b>yz", re.compile("<b>"), re.compile("</b>"), unclosed=True)
    [(3, 4), (12, 14)]
    """
    found = []
    position = 0
    while (opened := start.search(html, position)) is not None:
        closed = end.search(html, opened.end())
        if closed is None:
            if unclosed:
                found.append((opened.end(), len(html)))
            break
        found.append((opened.end(), closed.start()))
        position = closed.end()
    return found


@lru_cache(maxsize=_KEPT)
def _class_cleaner(blocks: tuple[str, ...]) -> _ClassCleaner:
    return _ClassCleaner(
        frozenset(name for block in blocks for name in _CLASS_SELECTOR.findall(block))
    )


class _FetchRefused(Exception):
    """cssutils asked for a URL; nothing is ever fetched while inlining."""


def _refuse_fetch(url: str) -> None:
    # cssutils catches OSError and ValueError from a fetcher and goes on; this one gets out.
    raise _FetchRefused(url)


def _fetched_url(css: str) -> str | None:
    """The first URL cssutils would fetch to parse ``css``, or None.

    premailer parses ``<style>`` text with cssutils, which follows ``@import`` with its own
    fetcher; the same parse with a fetcher that refuses tells before premailer runs.
    """
    import cssutils

    parser = cssutils.CSSParser(fetcher=_refuse_fetch, validate=False)
    try:
        parser.parseString(css)
    except _FetchRefused as refused:
        return str(refused)
    return None


@cache
def _premailer_transform() -> Callable[..., str]:
    import premailer  # deferred: it pulls in lxml and cssutils (~0.2 s)

    # cssutils warns about every mso- property Outlook needs; they are deliberate.
    logging.getLogger("CSSUTILS").setLevel(logging.CRITICAL)
    transform: Callable[..., str] = premailer.transform
    return transform
