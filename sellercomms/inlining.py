"""CSS inlining for e-mail HTML, with premailer, offline.

Inlining runs on rendered HTML (inlining the Jinja source breaks loops, expressions and
links).  Stylesheets come from ``<style>`` blocks that templates fill with
``{% include "emails/email.css" %}`` from the template folders; premailer never touches the
network or the file system.  ``!important`` survives in the rules kept in ``<style>``, so the
mobile ``@media`` rules can still override the inlined styles.

premailer's options keep it from loading ``<link>`` stylesheets, but cssutils, which parses
the ``<style>`` text, follows ``@import`` on its own (relative to the working directory,
over any URL scheme, without a timeout).  So a ``<style>`` block with ``@import`` is an
error, and the parser premailer uses is given a fetcher that refuses every URL, for any
spelling of ``@import`` cssutils accepts and the check does not.  ``url(...)`` values are
copied, never fetched.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from functools import cache
from typing import Any, NoReturn

from .exceptions import TemplateError
from .stylesheets import IMPORT_REFUSED, import_line

__all__ = ["CssInliner", "drop_unused_classes"]

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


class CssInliner:
    """Inlines CSS into rendered HTML; premailer is imported on first use, not at import.

    Every message of a template set carries the same stylesheet, so the parsed rules and the
    serialised leftover ``<style>`` text are kept per stylesheet (premailer redoes both on every
    call, which is most of its time); the output is the same as premailer's.
    """

    def __init__(self) -> None:
        self._cache: OrderedDict[tuple[str, int], tuple[list[Any], Any]] = OrderedDict()

    def inline(self, html: str, *, name: str | None = None) -> str:
        """``html`` with its ``<style>`` rules moved into ``style`` attributes where they can be.

        ``name`` is the template the HTML was rendered from, for errors: a ``<style>`` block
        with ``@import`` raises :class:`TemplateError`.
        """
        premailer_class = _memoizing_premailer()
        inliner = premailer_class(**PREMAILER_OPTIONS)
        inliner.style_cache = self._cache
        inliner.template_name = name
        # No pretty printing: re-indenting would add white space between inline elements.
        result: str = inliner.transform(html, pretty_print=False)
        return drop_unused_classes(result)


_STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
_CLASS_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
# A start tag: its text holds no "<" or ">" (the serializer escapes them in text and values).
_START_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_CLASS_ATTRIBUTE = re.compile(r'\sclass="([^"]*)"')


def drop_unused_classes(html: str) -> str:
    """``html`` without the class names no remaining ``<style>`` rule selects.

    Once the rules are inlined, a class only matters to the rules left in ``<style>`` (the
    mobile ``@media`` ones); the rest is dead weight in every element, and a long order's
    e-mail must stay well below the size at which Gmail clips it.

    >>> drop_unused_classes('<style>@media x{.keep{a:b}}</style><p class="keep gone">x</p>')
    '<style>@media x{.keep{a:b}}</style><p class="keep">x</p>'
    """
    used = {name for block in _STYLE_BLOCK.findall(html) for name in _CLASS_SELECTOR.findall(block)}

    def clean_attribute(match: re.Match[str]) -> str:
        kept = [name for name in match.group(1).split() if name in used]
        return f' class="{" ".join(kept)}"' if kept else ""

    def clean_tag(match: re.Match[str]) -> str:
        return _CLASS_ATTRIBUTE.sub(clean_attribute, match.group(0))

    return _START_TAG.sub(clean_tag, html)


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
                while len(self.style_cache) > 32:
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
