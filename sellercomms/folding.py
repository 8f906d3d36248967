"""Text folded for matching: without case, accents, width or letter-form differences.

The wording checks match phrases in rendered messages and the feedback triage matches causes
in buyers' comments; both must fold the same way, or a phrase found by one is missed by the
other.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["fold", "fold_with_positions"]

# Accents of Latin letters and Arabic vowel marks and tatweel; Japanese voicing marks stay.
_MARKS: Final = re.compile("[\u0300-\u036f\u0640\u064b-\u065f\u0670]")
# Arabic letter variants that writers use interchangeably, typographic apostrophes, NBSP.
_LETTERS: Final = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "’": "'", "‘": "'", "ʼ": "'", "\xa0": " "}
)


def fold(text: str) -> str:
    """``text`` without case, accents or width differences, for matching.

    >>> fold("Évaluation ５ ÉTOILES")
    'evaluation 5 etoiles'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", _MARKS.sub("", decomposed)).translate(_LETTERS)


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """``text`` folded, and for each folded character the index in ``text`` it came from.

    >>> fold_with_positions("Ｎé")
    ('ne', [0, 1])
    """
    parts: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        folded = fold(char)
        parts.append(folded)
        where.extend([index] * len(folded))
    return "".join(parts), where
