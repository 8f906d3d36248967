"""Text as the wording rules and the source search compare it: folded, split in sentences."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

__all__ = ["fold", "masked", "sentences"]

# Accents of Latin letters and Arabic vowel marks and tatweel; Japanese voicing marks stay.
_MARKS = re.compile("[\u0300-\u036f\u0640\u064b-\u065f\u0670]")
_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "’": "'", "‘": "'", "ʼ": "'", "\xa0": " "}
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|[\n\r]+|(?<=[。！？؟])")


def fold(text: str) -> str:
    """``text`` without case, accents or width differences, for matching.

    >>> fold("Évaluation ５ ÉTOILES")
    'evaluation 5 etoiles'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", _MARKS.sub("", decomposed)).translate(_LETTERS)


def sentences(text: str) -> Iterator[str]:
    """The sentences of ``text``: split at sentence ends and at line breaks."""
    for sentence in _SENTENCE_END.split(text):
        sentence = " ".join(sentence.split())
        if sentence:
            yield sentence


def masked(text: str, values: Iterable[str]) -> str:
    """``text`` with each of ``values`` (customer names, item titles …) replaced by ``•``.

    The wording rules judge what the templates say, not what buyers and sellers named things:
    an item called "5-Star Towel" is not a request for five stars.
    """
    for value in sorted({v for v in values if len(v) > 2}, key=len, reverse=True):
        text = text.replace(value, "•")
    return text
