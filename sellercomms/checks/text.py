"""Text as the wording rules compare it: split in sentences, buyers' words masked."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

__all__ = ["masked", "sentences"]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|[\n\r]+|(?<=[。！？؟])")


def sentences(text: str) -> Iterator[str]:
    """The sentences of ``text``: split at sentence ends and at line breaks."""
    for sentence in _SENTENCE_END.split(text):
        sentence = " ".join(sentence.split())
        if sentence:
            yield sentence


def masked(text: str, values: Iterable[str]) -> str:
    """``text`` with each of ``values`` (customer names, item titles …) replaced by ``•``.

    The wording rules judge what the templates say, not what buyers and sellers named things:
    an item called "5-Star Towel" is not a request for five stars.  No-break spaces count as
    spaces: messages show "Towel, 70 cm" with one between number and unit.
    """
    text = text.replace("\xa0", " ")
    shown = {value.replace("\xa0", " ") for value in values if len(value) > 2}
    for value in sorted(shown, key=len, reverse=True):
        text = text.replace(value, "•")
    return text
