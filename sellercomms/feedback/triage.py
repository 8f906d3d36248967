"""Triage: the likely root cause of a bad feedback, and the remedy that makes it right.

The seven causes buyers judge sellers on are data (:data:`CAUSES`): a label, what to check
first, and the remedies that fit, best first.  A feedback is tagged with every cause its
comment names (phrases.py) or its yes/no answers point to, each tag with its evidence:

>>> from datetime import date
>>> from sellercomms.feedback.models import FeedbackEntry
>>> entry = FeedbackEntry(line=2, date=date(2025, 11, 24), rating=1,
...                       comment="Arrived late and the box was crushed.", arrived_on_time=False)
>>> for tag in tag_causes(entry):
...     print(tag.cause, [str(e) for e in tag.evidence])
shipping_speed ['“Arrived late” (en)', 'Arrived on Time = No']
packing ['“crushed” (en)']

The remedy follows the most serious cause (:data:`PRIORITY`) and the channel's rules: Amazon
and eBay forbid a gift certificate after a complaint, so a refund is suggested there instead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from ..channels import ChannelRules
from ..folding import fold, fold_with_positions
from .models import CauseTag, Evidence, FeedbackEntry, Remedy
from .phrases import LANGUAGES, NEGATABLE, NEGATIONS, PHRASES, SPACELESS

__all__ = [
    "CAUSES",
    "PRIORITY",
    "REMEDY_LABELS",
    "Cause",
    "choose_remedy",
    "primary_cause",
    "tag_causes",
]


@dataclass(frozen=True, slots=True)
class Cause:
    """One root cause: its ``id``, a ``label``, what to ``check`` first, and ``remedies``."""

    id: str
    label: str
    check: str
    remedies: tuple[Remedy, ...]


#: The seven things buyers judge a seller on, in the order sellers usually meet them.
CAUSES: Mapping[str, Cause] = MappingProxyType(
    {
        cause.id: cause
        for cause in (
            Cause(
                "shipping_speed",
                "Shipping speed",
                "Compare the ship date with the promised handling time, and the delivery "
                "with the carrier's usual transit time.",
                ("gift_certificate", "refund"),
            ),
            Cause(
                "packing",
                "Packing",
                "Look at how this item is packed: padding, box strength, sealing of liquids.",
                ("replacement", "refund"),
            ),
            Cause(
                "tracking",
                "Tracking not communicated",
                "Check that the tracking number was uploaded and the shipping confirmation "
                "went out.",
                ("gift_certificate", "refund"),
            ),
            Cause(
                "slow_replies",
                "Slow replies",
                "Find the buyer's messages and how long each one waited for an answer.",
                ("gift_certificate", "refund"),
            ),
            Cause(
                "hard_to_return",
                "Hard to cancel or return",
                "Follow the buyer's cancellation or return request: where did it stall?",
                ("refund",),
            ),
            Cause(
                "hard_to_reach",
                "Hard to reach",
                "Check that the contact options are easy to find and the inbox is watched.",
                ("gift_certificate", "refund"),
            ),
            Cause(
                "not_as_described",
                "Not as described",
                "Compare the listing (title, photos, size, colour) with the item picked and sent.",
                ("replacement", "refund"),
            ),
        )
    }
)

#: Which cause decides the remedy when a feedback has several: a wrong or broken item first,
#: then a refused return, then the service problems.
PRIORITY: tuple[str, ...] = (
    "not_as_described",
    "packing",
    "hard_to_return",
    "shipping_speed",
    "tracking",
    "slow_replies",
    "hard_to_reach",
)

REMEDY_LABELS: Mapping[Remedy, str] = MappingProxyType(
    {"refund": "Refund", "replacement": "Replacement", "gift_certificate": "Gift certificate"}
)

# The yes/no answers of Amazon's report: "No" to the question points to the cause.
_COLUMNS = (
    ("arrived_on_time", "Arrived on Time", "shipping_speed"),
    ("item_as_described", "Item as Described", "not_as_described"),
    ("customer_service", "Customer Service", "slow_replies"),
)

_CLAUSE = re.compile(r"[.,;:!?¡¿()\[\]\"“”«»…—–\n\r\t、。،؛؟]+")
_WORD = re.compile(r"\w+")
# In a phrase, "?" stands for any one word: "took ? weeks".
_PHRASE_WORD = re.compile(r"\w+|\?")
# Japanese negates after the word: 遅くない, 遅れはなかった, 破損はありませんでした, 破損なし.
_JA_NEGATION = re.compile(r"(?:てい|て)?(?:は|も)?(?:ない|なかった|なく|なし|ありません|ません|ず)")


@dataclass(frozen=True, slots=True)
class _Phrase:
    cause: str
    language: str
    text: str
    words: tuple[str, ...]
    stem: bool


def _compile() -> tuple[_Phrase, ...]:
    compiled = []
    for cause, languages in PHRASES.items():
        for language in LANGUAGES:
            for phrase in languages.get(language, ()):
                text = fold(phrase)
                stem = text.endswith("*")
                text = text.rstrip("*")
                words = tuple(_PHRASE_WORD.findall(text))
                compiled.append(_Phrase(cause, language, text, words, stem))
    return tuple(compiled)


@dataclass(frozen=True, slots=True)
class _Index:
    """Phrases of spaced languages by first word; one-word stems ("delay*"), which are tried
    on every word; and the phrases of languages without spaces."""

    by_first_word: dict[str, list[_Phrase]]
    stems: tuple[_Phrase, ...]
    spaceless: tuple[_Phrase, ...]


# Compiled on first use, so that importing sellercomms does not pay for it.
@functools.cache
def _index() -> _Index:
    by_first_word: dict[str, list[_Phrase]] = {}
    stems: list[_Phrase] = []
    spaceless: list[_Phrase] = []
    for phrase in _compile():
        if phrase.language in SPACELESS:
            spaceless.append(phrase)
        elif phrase.stem and len(phrase.words) == 1:
            stems.append(phrase)
        else:
            by_first_word.setdefault(phrase.words[0], []).append(phrase)
    return _Index(by_first_word, tuple(stems), tuple(spaceless))


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    phrase: _Phrase


def _clauses(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for separator in _CLAUSE.finditer(text):
        yield start, text[start : separator.start()]
        start = separator.end()
    yield start, text[start:]


def _word_matches(offset: int, clause: str) -> Iterator[_Match]:
    tokens = [(m.group(), m.start() + offset, m.end() + offset) for m in _WORD.finditer(clause)]
    words = [token[0] for token in tokens]
    index = _index()
    for i, word in enumerate(words):
        stems = (p for p in index.stems if word.startswith(p.text))
        candidates = [*index.by_first_word.get(word, ()), *stems]
        for phrase in candidates:
            size = len(phrase.words)
            found = words[i : i + size]
            if len(found) < size or any(
                expected not in {"?", token}
                for expected, token in zip(phrase.words[:-1], found, strict=False)
            ):
                continue
            last = phrase.words[-1]
            if not (found[-1].startswith(last) if phrase.stem else found[-1] == last):
                continue
            negated = set(words[max(0, i - 2) : i]) & NEGATIONS[phrase.language]
            if negated and phrase.cause in NEGATABLE:
                continue
            yield _Match(tokens[i][1], tokens[i + size - 1][2], phrase)


def _spaceless_matches(offset: int, clause: str) -> Iterator[_Match]:
    for phrase in _index().spaceless:
        at = clause.find(phrase.text)
        while at != -1:
            end = at + len(phrase.text)
            if phrase.cause not in NEGATABLE:
                negated = False
            elif phrase.language == "ja":
                negated = _JA_NEGATION.match(clause, end) is not None
            else:
                negated = bool(set(clause[:at].split()[-2:]) & NEGATIONS[phrase.language])
            if not negated:
                yield _Match(at + offset, end + offset, phrase)
            at = clause.find(phrase.text, at + 1)


def _matches(folded: str) -> list[_Match]:
    """Every phrase found and not negated, longest first where phrases overlap.

    The same words listed in two languages count for the language with more matches in
    the comment, so an Italian "non conforme" is Italian even though French has it too.
    """
    found = [
        match
        for offset, clause in _clauses(folded)
        for match in (*_word_matches(offset, clause), *_spaceless_matches(offset, clause))
    ]
    spans: dict[str, set[tuple[int, int]]] = {}
    for match in found:
        spans.setdefault(match.phrase.language, set()).add((match.start, match.end))
    kept: list[_Match] = []
    for match in sorted(
        found,
        key=lambda m: (
            m.start - m.end,
            m.start,
            -len(spans[m.phrase.language]),
            LANGUAGES.index(m.phrase.language),
        ),
    ):
        if not any(match.start < other.end and other.start < match.end for other in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)


def tag_causes(entry: FeedbackEntry) -> list[CauseTag]:
    """The root causes ``entry`` points to, in :data:`CAUSES` order, each with its evidence."""
    evidence: dict[str, list[Evidence]] = {cause: [] for cause in CAUSES}
    folded, where = fold_with_positions(entry.comment)
    for match in _matches(folded):
        words = entry.comment[where[match.start] : where[match.end - 1] + 1]
        evidence[match.phrase.cause].append(
            Evidence(source="comment", phrase=words, language=match.phrase.language)
        )
    for field, column, cause in _COLUMNS:
        if getattr(entry, field) is False:
            if cause == "slow_replies" and evidence["hard_to_reach"] and not evidence[cause]:
                # The buyer's words say which service problem it was.
                cause = "hard_to_reach"
            evidence[cause].append(Evidence(source="column", column=column, value="No"))
    return [
        CauseTag(cause=cause.id, label=cause.label, check=cause.check, evidence=found)
        for cause in CAUSES.values()
        if (found := evidence[cause.id])
    ]


def primary_cause(tags: Sequence[CauseTag]) -> str | None:
    """The cause that decides the remedy (:data:`PRIORITY`); ``None`` without tags."""
    tagged = {tag.cause for tag in tags}
    return next((cause for cause in PRIORITY if cause in tagged), None)


def choose_remedy(cause: str, channel: ChannelRules) -> tuple[Remedy | None, str | None]:
    """The first remedy of ``cause`` the channel allows, and a note on any it forbids."""
    notes: list[str] = []
    for remedy in CAUSES[cause].remedies:
        rule = channel.forbidding_rule(f"resolution_{remedy}")
        if rule is None:
            return remedy, " ".join(notes) or None
        label = REMEDY_LABELS[remedy]
        notes.append(f"{label} not suggested: {channel.label} forbids it ({rule.id}).")
    return None, " ".join(notes) or None
