"""The rules ``sellercomms check`` applies, each with a stable id, a severity and a reason.

Channel rules (``amazon.only-needed-links`` …) are the ones in :mod:`sellercomms.channels`,
reported under their own ids; the rules here are the check's own.  docs/check.md lists them
all.  Rule modules report an :class:`Issue`; the runner turns it into a finding with the
template, locale, channel, order and the source line its :class:`Hint` leads to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

__all__ = ["RULES", "SEVERITIES", "CheckRule", "Hint", "Issue", "Part", "Severity"]

Severity = Literal["error", "warning", "info"]
#: From the worst down; ``--strict`` fails on the first two.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

#: Which rendered output an issue was found in.
Part = Literal["html", "text", "subject", "message", "catalog"]


@dataclass(frozen=True, slots=True)
class CheckRule:
    """A rule of the check: ``severity`` is the usual one (some rules vary it, see docs)."""

    id: str
    severity: Severity
    reason: str


@dataclass(frozen=True, slots=True)
class Hint:
    """What to look for in the template sources to find where an issue comes from.

    ``patterns`` are regular expressions tried in turn on the template files (the template,
    what it imports and includes, its parents, the stylesheet); ``texts`` are pieces of
    rendered text, each looked up in the locale's catalogs (a translation) and then in the
    templates, until one is found.
    """

    patterns: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in one rendered message, before it is located and counted."""

    rule: str
    severity: Severity
    message: str
    part: Part = "html"
    hint: Hint = Hint()


def _rules(*rules: CheckRule) -> Mapping[str, CheckRule]:
    return MappingProxyType({rule.id: rule for rule in rules})


RULES: Mapping[str, CheckRule] = _rules(
    CheckRule(
        "render.failed",
        "error",
        "the template cannot be rendered for this order: buyers would get nothing",
    ),
    CheckRule(
        "content.feedback-link",
        "error",
        "feedback decides a seller's rating: every message that asks for it must carry the "
        "order's feedback link, in the HTML and the text part",
    ),
    CheckRule(
        "content.review-links",
        "error",
        "messages that ask for reviews link each purchased item's review page; an item "
        "without its link is a review not written",
    ),
    CheckRule(
        "content.tracking",
        "error",
        "a tracking number not communicated is one of the seven things buyers judge sellers "
        "on: every parcel's number, linked to the carrier's page where the carrier is known "
        "and the channel allows it",
    ),
    CheckRule(
        "wording.incentive",
        "error",
        "offering money, gift cards, discounts, free products or refunds for a review or "
        "feedback is forbidden by Amazon and eBay, and by consumer law in many countries",
    ),
    CheckRule(
        "wording.positive-review-ask",
        "error",
        "asking for positive or five-star reviews, or only happy buyers, is review "
        "manipulation: Amazon forbids it; elsewhere it undermines the feedback it asks for",
    ),
    CheckRule(
        "wording.feedback-change-ask",
        "error",
        "Amazon forbids asking a buyer to change or remove a review or feedback; eBay allows "
        "it only through its feedback revision request, after the problem is solved",
    ),
    CheckRule(
        "wording.important-tag",
        "error",
        'Amazon reserves "[Important]" for critical order information; on a follow-up it is '
        "misuse, and gets past the buyer's opt-out",
    ),
    CheckRule(
        "size.html",
        "warning",
        "Gmail clips messages whose HTML exceeds about 102 KB, hiding the end of the message "
        "(the feedback button, the footer): a warning over 50 KB, an error over 90 KB",
    ),
    CheckRule(
        "size.style-block",
        "warning",
        "Gmail ignores a <style> block over 16 KB, and with it the mobile layout",
    ),
    CheckRule(
        "client.support",
        "warning",
        "HTML or CSS that Gmail, Outlook (Windows), Apple Mail or Yahoo do not support "
        "(caniemail data); the severity follows what is lost, see docs/check.md",
    ),
    CheckRule(
        "dark-mode.text-contrast",
        "warning",
        "text with a colour of its own and nothing dark-mode aware behind it vanishes where "
        "a client shows the message on a dark background (Apple Mail in dark mode)",
    ),
    CheckRule(
        "a11y.html-lang",
        "warning",
        "<html lang> tells screen readers which language to speak; it must be the message's",
    ),
    CheckRule(
        "a11y.html-dir",
        "warning",
        "<html dir> sets the reading direction; Arabic and Hebrew messages need rtl",
    ),
    CheckRule(
        "a11y.img-alt",
        "warning",
        "an image without alt text is read out as its file name, and is a blank box where "
        "images are blocked (Outlook's default)",
    ),
    CheckRule(
        "a11y.link-text",
        "warning",
        'link text such as "click here" does not say where the link goes, to screen-reader '
        "users or to anyone scanning the message",
    ),
    CheckRule(
        "hygiene.img-width",
        "warning",
        "Outlook on Windows shows an image without a width attribute at its file's size, "
        "breaking the 600 px layout",
    ),
    CheckRule(
        "hygiene.empty-link",
        "error",
        'a link to nothing ("", "#", javascript:) is a button that does nothing',
    ),
    CheckRule(
        "hygiene.https-links",
        "warning",
        "links must be https (or mailto:/tel:): mail clients flag plain http, and "
        "marketplaces rewrite or block it",
    ),
    CheckRule(
        "hygiene.template-syntax",
        "error",
        "{{, {%, {# or %( in the output are template code or a placeholder that was never "
        "filled, shown to the buyer",
    ),
    CheckRule(
        "hygiene.escaped-markup",
        "error",
        "markup shown as text (<b>, <bdi …>) means something was escaped twice or put where "
        "tags are not allowed, such as <title>",
    ),
    CheckRule(
        "locale.untranslated",
        "warning",
        "a message text with no translation in a shipped locale reaches those buyers in English",
    ),
)
