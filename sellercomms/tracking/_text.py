"""Text rules of tracking: cleaning numbers, folding carrier names, reading a locale."""

from __future__ import annotations

import unicodedata
from types import MappingProxyType
from typing import Final

from babel import Locale

from ..formatting import known_locale

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


def split_locale(locale: str | Locale) -> tuple[str, str | None]:
    """(language, country) of ``locale``; ``("en", None)`` when Babel does not know it.

    A region that is a UN M.49 number (``es_419``) is no country.

    >>> split_locale("zh_Hant_TW"), split_locale("es-419"), split_locale("en_US.UTF-8")
    (('zh', 'TW'), ('es', None), ('en', 'US'))
    """
    parsed = locale if isinstance(locale, Locale) else known_locale(locale)
    if parsed is None:
        return "en", None
    territory = parsed.territory
    return parsed.language, territory if territory and territory.isalpha() else None
