"""Text rules of tracking: cleaning numbers, folding carrier names, reading a locale."""

from __future__ import annotations

import re
import unicodedata
from types import MappingProxyType
from typing import Final

__all__ = ["is_blank", "name_key", "normalise", "split_locale"]

# Every ASCII character str.isspace() accepts (the \x1c-\x1f separators too), and the dash.
_ASCII_DROP: Final = MappingProxyType(
    str.maketrans("", "", "".join(c for c in map(chr, range(128)) if c.isspace()) + "-")
)
# Japanese input puts the long-vowel mark where a dash belongs; U+2212 is the maths minus.
_DASH_LIKE: Final = frozenset("\u30fc\u2212")
# Unicode dash punctuation and invisible format characters (zero-width space, BOM, LRM/RLM)
# that copying from web pages and spreadsheets leaves inside numbers.
_DROP_CATEGORIES: Final = frozenset({"Pd", "Cf"})
# What spreadsheets and careless exports put in an empty tracking column.
_PLACEHOLDERS: Final = frozenset({"NONE", "NULL", "NIL", "N/A", "NA", "NAN"})


def normalise(number: str) -> str:
    """``number`` without whitespace or dashes, in upper case.

    NFKC first, so full-width digits and letters (common in Japanese input) become ASCII.

    >>> normalise("1z 999 aa1-0123 4567 84")
    '1Z999AA10123456784'
    """
    text = unicodedata.normalize("NFKC", number)
    if text.isascii():
        return text.translate(_ASCII_DROP).upper()
    return "".join(
        ch
        for ch in text
        if not (ch.isspace() or ch in _DASH_LIKE or unicodedata.category(ch) in _DROP_CATEGORIES)
    ).upper()


def is_blank(number: str) -> bool:
    """Whether ``number`` is no tracking number at all: empty, dashes only, ``"N/A"`` …"""
    clean = normalise(number)
    return not clean or clean in _PLACEHOLDERS


def name_key(name: str) -> str:
    """Case, width, spacing and punctuation folded away: 'Fedex  ground' == 'FedEx-Ground'."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", name).casefold() if ch.isalnum())


# language, optional script, optional region (two letters; a UN M.49 number counts as none),
# optional encoding or modifier: en_US, de-DE, zh_Hant_TW, es_419, en_US.UTF-8.
_LOCALE_RE: Final = re.compile(
    r"([a-z]{2,3})(?:[-_][a-z]{4})?(?:[-_](?:([a-z]{2})|[0-9]{3}))?(?:[.@].*)?",
    re.IGNORECASE,
)


def split_locale(locale: str) -> tuple[str, str | None]:
    """(language, country) of ``locale``; ``("en", None)`` when it cannot be read."""
    match = _LOCALE_RE.fullmatch(locale.strip())
    if match is None:
        return "en", None
    country = match.group(2)
    return match.group(1).lower(), country.upper() if country else None
