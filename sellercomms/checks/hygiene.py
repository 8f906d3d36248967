"""Accessibility and hygiene of one rendered e-mail: ``<html lang dir>``, images, links,
leftover template code, markup shown as text, the size of ``<style>``."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from ..folding import fold
from .html import Document, Element, Link
from .rules import Hint, Issue, Part
from .text import masked
from .wording import compiled, language_of

__all__ = ["STYLE_BLOCK_LIMIT", "hygiene_issues", "leftover_issues"]

#: Gmail ignores a larger ``<style>`` block.
STYLE_BLOCK_LIMIT = 16 * 1024

_TEMPLATE_CODE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|%\(\w+\)[sd]")
_MARKUP = re.compile(
    r"</?(?:a|b|i|u|p|br|div|span|bdi|strong|em|table|td|tr|img|h[1-6]|ul|ol|li|html|body|head"
    r"|style|font|small|title|meta)\b[^<>]*>",
    re.IGNORECASE,
)
_SAFE_SCHEMES = ("https://", "mailto:", "tel:", "sms:")


def hygiene_issues(document: Document, *, lang: str, direction: str) -> list[Issue]:
    """Accessibility and hygiene issues of an HTML part rendered for ``lang`` and ``direction``."""
    found = [*_html_issues(document, lang, direction)]
    for image in document.images:
        found += _image_issues(image)
    for link in document.links:
        found += _link_issues(link, lang)
    for css, _ in document.styles:
        size = len(css.encode("utf-8"))
        if size > STYLE_BLOCK_LIMIT:
            found.append(
                Issue(
                    "size.style-block",
                    "warning",
                    f"a <style> block of {size / 1024:.1f} KB: Gmail ignores blocks over 16 KB",
                    hint=Hint(patterns=(r"<style\b",)),
                )
            )
    return list(dict.fromkeys(found))


def leftover_issues(
    document: Document, text: str, subject: str, values: Sequence[str] = ()
) -> list[Issue]:
    """Template code and markup left in the words buyers read.

    ``values`` (what the order holds: names, titles, a gift message) are left out: a
    customer who types ``{{`` or ``<b>`` in a name sees it shown as typed, which is right.
    """
    found: list[Issue] = []
    parts: list[tuple[Part, str, str]] = [
        ("subject", "the subject", subject),
        ("html", "the HTML part", document.text),
        ("html", "an alt or title text", "\n".join(document.attribute_text)),
        ("text", "the text part", text),
    ]
    for part, where, original in parts:
        words = masked(original, values)
        for match in _TEMPLATE_CODE.finditer(words):
            context = _around(words, match.start(), match.end())
            found.append(
                Issue(
                    "hygiene.template-syntax",
                    "error",
                    f'{where} shows template code or an unfilled placeholder: "{context}"',
                    part,
                    Hint(patterns=(re.escape(context),), texts=(context,)),
                )
            )
        for match in _MARKUP.finditer(words):
            context = _around(words, match.start(), match.end())
            found.append(
                Issue(
                    "hygiene.escaped-markup",
                    "error",
                    f'{where} shows markup as text: "{context}"',
                    part,
                    Hint(texts=(context,)),
                )
            )
    tags = _MARKUP.findall(masked(document.title, values))
    if tags:
        found.append(
            Issue(
                "hygiene.escaped-markup",
                "error",
                f"<title> shows markup as text ({' '.join(dict.fromkeys(tags))}): a title holds "
                "plain words only, so tags rendered into it are shown, escaped",
                hint=Hint(patterns=(r"<title\b",)),
            )
        )
    return list(dict.fromkeys(found))


def _html_issues(document: Document, lang: str, direction: str) -> Iterator[Issue]:
    attributes = document.html_attributes
    hint = Hint(patterns=(r"<html\b",))
    given = attributes.get("lang")
    if not given:
        yield Issue(
            "a11y.html-lang",
            "warning",
            f"<html> has no lang attribute (expected {lang})",
            hint=hint,
        )
    elif language_of(given) != language_of(lang):
        yield Issue(
            "a11y.html-lang",
            "warning",
            f'<html lang="{given}"> does not match the message\'s language {lang}',
            hint=hint,
        )
    given = attributes.get("dir")
    if not given:
        yield Issue(
            "a11y.html-dir",
            "warning",
            f"<html> has no dir attribute (expected {direction})",
            hint=hint,
        )
    elif given.lower() != direction:
        yield Issue(
            "a11y.html-dir",
            "warning",
            f'<html dir="{given}"> does not match the message\'s direction {direction}',
            hint=hint,
        )


def _element_hint(element: Element) -> Hint:
    """Where an element probably comes from: its tag with its first class, else its tag."""
    classes = (element.get("class") or "").split()
    patterns = [rf"<{element.tag}\b[^>\n]*class=\"[^\"\n]*\b{re.escape(c)}\b" for c in classes[:1]]
    return Hint(patterns=(*patterns, rf"<{element.tag}\b"))


def _image_issues(image: Element) -> Iterator[Issue]:
    name = (image.get("src") or "").split("?", 1)[0].rsplit("/", 1)[-1][:60] or "with no src"
    if image.get("alt") is None:
        yield Issue(
            "a11y.img-alt",
            "warning",
            f'an image ({name}) has no alt attribute (alt="" marks a decorative one)',
            hint=_element_hint(image),
        )
    if not image.get("width") and not image.outlook_hidden:
        yield Issue(
            "hygiene.img-width",
            "warning",
            f"an image ({name}) has no width attribute",
            hint=_element_hint(image),
        )


def _link_issues(link: Link, lang: str) -> Iterator[Issue]:
    element = link.element
    href = link.href.strip() if link.href is not None else None
    words = link.text or " ".join(alt for alt in link.image_alts if alt)
    if href is None:
        if element.get("name") or element.get("id"):
            return  # an anchor target, not a link
        yield Issue(
            "hygiene.empty-link",
            "error",
            f'a link ("{words}") has no href',
            hint=_link_hint(link, None),
        )
        return
    if href in {"", "#"} or href.lower().startswith("javascript:"):
        yield Issue(
            "hygiene.empty-link",
            "error",
            f'a link ("{words}") goes nowhere (href="{href}")',
            hint=_link_hint(link, href),
        )
    elif not href.startswith("#") and not href.lower().startswith(_SAFE_SCHEMES):
        scheme = urlsplit(href).scheme
        what = "plain http" if scheme == "http" else f"not an https link ({href[:40]})"
        yield Issue(
            "hygiene.https-links",
            "warning",
            f'a link ("{words}") is {what}',
            hint=_link_hint(link, href),
        )
    if not words:
        yield Issue(
            "a11y.link-text",
            "warning",
            "a link has no text, and no alt text on its image",
            hint=_link_hint(link, href),
        )
    elif _vague(words, lang):
        yield Issue(
            "a11y.link-text",
            "warning",
            f'the link text "{words}" does not say where the link goes',
            hint=_link_hint(link, href),
        )


def _link_hint(link: Link, href: str | None) -> Hint:
    patterns = list(_element_hint(link.element).patterns[:-1])
    if href and "{" not in href:
        patterns.append(rf'href\s*=\s*["\']{re.escape(href)}["\']')
    return Hint(patterns=tuple(patterns), texts=(link.text,) if link.text else ())


def _vague(words: str, lang: str) -> bool:
    folded = " ".join(fold(words).strip(" .:!?»›→>").split())
    languages = {language_of(lang), "en"}
    for language in languages:
        pattern = compiled("VAGUE_LINK_TEXT", language)
        if pattern is not None and pattern.fullmatch(folded):
            return True
    return False


def _around(text: str, start: int, end: int, width: int = 30) -> str:
    """The match with up to ``width`` characters of its line on either side."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    return " ".join(text[max(line_start, start - width) : min(line_end, end + width)].split())
