"""Channel policy in words: incentives, positive-review asks, feedback-change asks,
"[Important]", opt-out text where the marketplace handles opt-outs, on the seller's own channel
the US FTC rule's conditioned incentives and review suppression, and seller templates that are
order or shipping confirmations.

The subject, preheader, HTML text (with alt texts) and text part are read in the message's
language and in English, after the order's own values (names, item titles, the seller's
name) are masked out.  How serious a finding is depends on the channel (:data:`SEVERITY`):
the marketplaces' own rules are errors there, and sellercomms' advice elsewhere a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from ..channels import ChannelRules
from ..folding import fold
from ..messages import MESSAGES, MessageKind
from . import phrases
from .rules import Hint, Issue, Part, Severity
from .text import masked, sentences

__all__ = ["SEVERITY", "Texts", "compiled", "language_of", "wording_issues"]

#: The severity of each wording rule per channel; channels not named get a warning.
SEVERITY: Mapping[str, Mapping[str, Severity]] = MappingProxyType(
    {
        # Etsy, Walmart and TikTok Shop forbid rewards for reviews and pressure on them too.
        "wording.incentive": {
            "amazon": "error",
            "ebay": "error",
            "etsy": "error",
            "walmart": "error",
            "tiktok": "error",
            "own": "warning",
        },
        "wording.positive-review-ask": {
            "amazon": "error",
            "ebay": "warning",
            "etsy": "error",
            "walmart": "error",
            "tiktok": "error",
            "own": "warning",
        },
        "wording.feedback-change-ask": {
            "amazon": "error",
            "ebay": "warning",
            "etsy": "error",
            "walmart": "error",
            "tiktok": "error",
            "own": "warning",
        },
        "wording.important-tag": {"amazon": "error"},
    }
)


@dataclass(frozen=True, slots=True)
class Texts:
    """The words of one rendered message, and the order's values to leave out of them."""

    subject: str
    preheader: str
    html: str
    text: str
    values: tuple[str, ...]


def language_of(locale: str) -> str:
    """The language of a locale or language tag: ``de`` of ``de_DE`` and ``de-DE``."""
    return locale.replace("-", "_").split("_")[0].lower()


def _fold_pattern(pattern: str) -> str:
    # Only letters beyond ASCII: folding "\W" would make it "\w".
    return "".join(fold(char) if ord(char) > 127 else char for char in pattern)


@cache
def compiled(name: str, language: str) -> re.Pattern[str] | None:
    """The phrases of list ``name`` (in :mod:`.phrases`) for ``language``, as one pattern."""
    table: Mapping[str, tuple[str, ...]] = getattr(phrases, name)
    patterns = table.get(language)
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{_fold_pattern(p)})" for p in patterns))


def _languages(locale: str) -> tuple[str, ...]:
    language = language_of(locale)
    return (language, "en") if language != "en" else ("en",)


@dataclass(frozen=True, slots=True)
class _Part:
    name: Part
    original: str
    folded: str

    def snippet(self, start: int, end: int) -> str:
        """The original words at ``start:end`` of the folded text."""
        return " ".join(_unfolded(self.original, self.folded, start, end).split())


def _unfolded(original: str, folded: str, start: int, end: int) -> str:
    """What ``folded[start:end]`` was in ``original``."""
    if len(original) == len(folded):
        return original[start:end]  # folding kept every length, as it mostly does
    where: list[int] = []
    for index, char in enumerate(original):
        where += [index] * len(fold(char))
    if len(where) != len(folded) or end <= start:
        return folded[start:end]
    return original[where[start] : where[end - 1] + 1]


def _parts(texts: Texts) -> list[_Part]:
    named: tuple[tuple[Part, str], ...] = (
        ("subject", texts.subject),
        ("subject", texts.preheader),
        ("html", texts.html),
        ("text", texts.text),
    )
    found = []
    for name, text in named:
        original = masked(text, texts.values)
        found.append(_Part(name, original, fold(original)))
    return found


def _search(name: str, languages: Iterable[str], text: str) -> Iterator[re.Match[str]]:
    for language in languages:
        pattern = compiled(name, language)
        if pattern is not None:
            yield from pattern.finditer(text)


def _cooccurring(
    first: str, second: str, languages: tuple[str, ...], part: _Part
) -> Iterator[tuple[str, str]]:
    """Sentences of ``part`` with a phrase of list ``first`` and one of ``second``: each
    sentence and the first phrase's words."""
    if next(_search(first, languages, part.folded), None) is None:
        return  # the usual case, found in one pass over the whole part
    for sentence in sentences(part.original):
        folded = fold(sentence)
        hit = next(_search(first, languages, folded), None)
        if hit is not None and next(_search(second, languages, folded), None) is not None:
            yield sentence, _unfolded(sentence, folded, hit.start(), hit.end())


def wording_issues(
    texts: Texts, *, message: MessageKind, channel: ChannelRules, locale: str
) -> list[Issue]:
    """Every wording issue of one rendered message, each phrase once."""
    languages = _languages(locale)
    parts = _parts(texts)
    found: dict[tuple[str, str], Issue] = {}

    def add(rule: str, severity: Severity, what: str, part: _Part, *words: str) -> None:
        # The same words in the HTML and the text part are one issue; the words, tried in
        # turn, lead to the source.
        key = (rule, fold(words[0]))
        if key not in found:
            found[key] = Issue(rule, severity, what, part.name, Hint(texts=words))

    def severity(rule: str) -> Severity:
        return SEVERITY[rule].get(channel.name, "warning")

    # Most messages use none of the phrases: one pass over all the parts rules a list out.
    whole = "\n".join(part.folded for part in parts)
    lists = ("REWARDS", "GATING", "POSITIVE_ASK", "FEEDBACK_CHANGE")
    present = {name for name in lists if next(_search(name, languages, whole), None)}
    for part in parts:
        if "REWARDS" in present:
            for sentence, reward in _cooccurring("REWARDS", "SOLICITS", languages, part):
                add(
                    "wording.incentive",
                    severity("wording.incentive"),
                    f'offers something in exchange for a review or feedback: "{_short(sentence)}"',
                    part,
                    sentence,
                    reward,
                )
        if "GATING" in present:
            for sentence, condition in _cooccurring("GATING", "SOLICITS", languages, part):
                add(
                    "wording.positive-review-ask",
                    severity("wording.positive-review-ask"),
                    f'asks only satisfied buyers for a review: "{_short(sentence)}"',
                    part,
                    sentence,
                    condition,
                )
        if "POSITIVE_ASK" in present:
            for match in _search("POSITIVE_ASK", languages, part.folded):
                words = part.snippet(match.start(), match.end())
                add(
                    "wording.positive-review-ask",
                    severity("wording.positive-review-ask"),
                    f'asks for a positive rating: "{words}"',
                    part,
                    words,
                )
        # eBay's feedback revision request asks exactly that, where eBay allows it.
        revision = message.name == "feedback_revision" and channel.revision_rule is not None
        if "FEEDBACK_CHANGE" in present and not revision:
            for match in _search("FEEDBACK_CHANGE", languages, part.folded):
                words = part.snippet(match.start(), match.end())
                add(
                    "wording.feedback-change-ask",
                    severity("wording.feedback-change-ask"),
                    f'asks to change or remove a review or feedback: "{words}"',
                    part,
                    words,
                )
    conditioned = channel.sentiment_incentive_rule
    if conditioned is not None and "REWARDS" in present:
        for part in parts:
            for sentiment in ("POSITIVE_ASK", "GATING"):
                for sentence, reward in _cooccurring("REWARDS", sentiment, languages, part):
                    add(
                        conditioned.id,
                        "error",
                        "offers something for a review of a particular sentiment: "
                        f'"{_short(sentence)}": {conditioned.reason}',
                        part,
                        sentence,
                        reward,
                    )
    # Phrases a channel's own rule forbids outright: the rule's id and reason are the finding's.
    phrase_rules = (
        (channel.suppression_rule, "SUPPRESSION", "keeps negative reviews from being written"),
        (channel.opt_out_rule, "OPT_OUT", "tells the buyer how to opt out"),
    )
    for rule, phrase_list, does in phrase_rules:
        if rule is None:
            continue
        for part in parts:
            for match in _search(phrase_list, languages, part.folded):
                words = part.snippet(match.start(), match.end())
                add(rule.id, "error", f'{does} ("{words}"): {rule.reason}', part, words)
    subject = parts[0]
    if channel.name in SEVERITY["wording.important-tag"]:
        for match in _search("IMPORTANT_TAG", languages, subject.folded):
            if not message.transactional:
                words = subject.snippet(match.start(), match.end())
                add(
                    "wording.important-tag",
                    severity("wording.important-tag"),
                    f'uses "{words}" in the subject of {message.name}, which is not critical '
                    "order information",
                    subject,
                    words,
                )
    rule = channel.forbidding_rule("shipping_confirmation")
    if message.name not in MESSAGES and rule is not None:
        for match in _search("ORDER_CONFIRMATION", languages, subject.folded):
            words = subject.snippet(match.start(), match.end())
            add(
                rule.id,
                "error",
                f'reads as an order or shipping confirmation ("{words}"): {rule.reason}',
                subject,
                words,
            )
    return list(found.values())


def _short(sentence: str, limit: int = 120) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"
