"""CSS as the check reads it: declarations of a ``style`` attribute, rules of a stylesheet."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import tinycss2

__all__ = ["Declaration", "StyleRule", "declarations", "style_rules"]


@dataclass(frozen=True, slots=True)
class Declaration:
    """``name: value`` (name lower-cased), and whether it is ``!important``."""

    name: str
    value: str
    important: bool


@dataclass(frozen=True, slots=True)
class StyleRule:
    """A rule of a stylesheet: an at-rule (``at`` its keyword) or selectors with declarations.

    ``media`` holds the preludes of the ``@media`` blocks it sits in, outermost first.
    """

    at: str | None
    prelude: str
    declarations: tuple[Declaration, ...]
    media: tuple[str, ...]


@lru_cache(maxsize=4096)
def declarations(style: str) -> tuple[Declaration, ...]:
    """The declarations of a ``style`` attribute or a rule's block, comments left out."""
    return tuple(_declarations(tinycss2.parse_declaration_list(style, True, True)))


def style_rules(css: str) -> tuple[StyleRule, ...]:
    """Every rule of ``css``, rules inside ``@media`` and ``@supports`` included."""
    return tuple(_rules(tinycss2.parse_stylesheet(css, True, True), ()))


def _declarations(nodes: list[Any]) -> Iterator[Declaration]:
    for node in nodes:
        if node.type == "declaration":
            value = tinycss2.serialize(node.value).strip()
            yield Declaration(node.lower_name, value, bool(node.important))


def _rules(nodes: list[Any], media: tuple[str, ...]) -> Iterator[StyleRule]:
    for node in nodes:
        if node.type not in {"qualified-rule", "at-rule"}:
            continue
        prelude = " ".join(tinycss2.serialize(node.prelude).split())
        if node.type == "qualified-rule":
            found = tuple(_declarations(tinycss2.parse_declaration_list(node.content, True, True)))
            yield StyleRule(None, prelude, found, media)
            continue
        keyword: str = node.lower_at_keyword
        yield StyleRule(keyword, prelude, (), media)
        # Rules inside @media and @supports apply too; @font-face and @keyframes hold no rules
        # for elements.
        if node.content is not None and keyword in {"media", "supports"}:
            inner = (*media, prelude) if keyword == "media" else media
            yield from _rules(tinycss2.parse_rule_list(node.content, True, True), inner)
