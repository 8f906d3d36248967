"""Required content: what each kind of message must carry, in the HTML and the text part.

| message | feedback link | review link per item | tracking |
|---|---|---|---|
| shipping_confirmation | yes | yes | every parcel with a number |
| review_request | yes | yes | |
| delivery_checkin | where the channel allows | | parcels not delivered yet |
| return_instructions | where the channel allows | | |
| resolution_replacement | | | the replacement's |
| feedback_revision | yes (eBay only) | | |
| packing_slip | yes, and printed | yes, and printed | |

A link is required only where the order has it (and the channel lets the message carry it,
``ChannelRules.feedback_messages``) (a feedback page, an item's review page, a
carrier known for the number) and a tracking link only where the channel allows it; a review
page that is also the feedback page (eBay) counts once.  Review links are required of the
items an e-mail lists, the first ``item_limit``.  Seller's own templates have no
requirements: the check cannot know what they are for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..context import MessageContext
from ..slips import RenderedSlip, readable_url
from ..tracking import Tracking
from .html import Document
from .rules import Issue, Part

__all__ = ["REQUIREMENTS", "email_content_issues", "slip_content_issues"]

#: What each message must carry (see the module's table).
REQUIREMENTS: Mapping[str, frozenset[str]] = {
    "shipping_confirmation": frozenset({"feedback", "reviews", "tracking"}),
    "review_request": frozenset({"feedback", "reviews"}),
    "delivery_checkin": frozenset({"feedback", "tracking-undelivered"}),
    "return_instructions": frozenset({"feedback"}),
    "resolution_replacement": frozenset({"replacement-tracking"}),
    "feedback_revision": frozenset({"feedback"}),
    "packing_slip": frozenset({"feedback", "reviews"}),
}

_PARTS: Mapping[Part, str] = {"html": "the HTML part", "text": "the text part"}


@dataclass(frozen=True, slots=True)
class _Body:
    """One part of an e-mail: a URL counts as linked in HTML by an href, in text as words."""

    part: Part
    hrefs: frozenset[str] | None
    words: str

    def has(self, url: str) -> bool:
        return url in self.hrefs if self.hrefs is not None else url in self.words


def email_content_issues(
    message: str, context: MessageContext, document: Document, text: str
) -> list[Issue]:
    """What an e-mail of kind ``message`` lacks, rendered with ``context``."""
    needs = REQUIREMENTS.get(message, frozenset())
    if not needs:
        return []
    hrefs = frozenset(link.href.strip() for link in document.links if link.href)
    feedback = context.feedback_url
    # E-mails list the first item_limit items and link the rest to the order page.
    listed = context.items[: context.item_limit]
    reviews = _review_urls(listed, feedback) if "reviews" in needs else []
    trackings = _trackings(needs, context)
    channel = context.channel
    found: list[Issue] = []
    for body in (_Body("html", hrefs, document.text), _Body("text", None, text)):
        if "feedback" in needs and feedback and not body.has(feedback):
            found.append(_missing("content.feedback-link", body.part, "the feedback link"))
        missing = [url for url in reviews if not body.has(url)]
        if missing:
            what = (
                "the item's review link"
                if len(reviews) == 1
                else f"the review links of {len(missing)} of {len(reviews)} items"
            )
            found.append(_missing("content.review-links", body.part, what))
        for label, tracking in trackings:
            if tracking.number not in body.words:
                what = f"the tracking number of {label}"
                found.append(_missing("content.tracking", body.part, what))
            elif tracking.url and channel.may_link_tracking and not body.has(tracking.url):
                what = f"the carrier's tracking link for {label} ({tracking.carrier_name})"
                found.append(_missing("content.tracking", body.part, what))
    return found


def _trackings(needs: frozenset[str], context: MessageContext) -> list[tuple[str, Tracking]]:
    """The tracking the message must show, each with the words that name its parcel."""
    found: list[tuple[str, Tracking]] = []
    if "tracking" in needs or "tracking-undelivered" in needs:
        for shipment in context.shipments:
            if shipment.tracking and ("tracking" in needs or not shipment.delivered_at):
                label = f"parcel {shipment.number}" if shipment.count > 1 else "the parcel"
                found.append((label, shipment.tracking))
    replacement = getattr(context.data, "tracking", None)
    if "replacement-tracking" in needs and isinstance(replacement, Tracking):
        found.append(("the replacement", replacement))
    return found


def slip_content_issues(slip: RenderedSlip, document: Document) -> list[Issue]:
    """What a packing slip lacks: its links, and the short URLs printed for people to type."""
    hrefs = {link.href.strip() for link in document.links if link.href}
    found: list[Issue] = []
    feedback = slip.links.feedback
    if feedback and (feedback not in hrefs or not _printed(feedback, document)):
        found.append(
            Issue(
                "content.feedback-link",
                "error",
                "the packing slip lacks the feedback link with its QR code or printed short URL",
            )
        )
    urls = list(dict.fromkeys(slip.links.reviews.values()))
    missing = [url for url in urls if url not in hrefs or not _printed(url, document)]
    if missing:
        found.append(
            Issue(
                "content.review-links",
                "error",
                f"the packing slip lacks the review link (with QR code or printed short URL) "
                f"of {len(missing)} of {len(urls)} items",
            )
        )
    return found


def _printed(url: str, document: Document) -> bool:
    # Paper cannot be clicked: the link needs its short URL printed, or a QR code to scan.
    if readable_url(url) in document.text:
        return True
    return any(link.href == url and link.image_alts for link in document.links)


def _review_urls(items: Iterable[Any], feedback: str | None) -> list[str]:
    urls = dict.fromkeys(item.review_url for item in items if item.review_url)
    return [url for url in urls if url != feedback]


def _missing(rule: str, part: Part, what: str) -> Issue:
    return Issue(rule, "error", f"{_PARTS[part]} lacks {what}", part)
