"""The follow-up planner: which messages of an order are due, when, and which are not and why.

:func:`due_messages` looks at an order as of ``now`` and proposes, in the order's time zone:

* a shipping confirmation when each parcel ships (unless the channel forbids it or the
  marketplace sends its own);
* a delivery check-in the day after delivery;
* the one review request, seven days after delivery by default, kept inside the channel's
  window (Amazon: 5 to 30 days);
* a resolution instead, when the buyer left negative feedback (rating 1 or 2);
* on eBay, the one feedback revision request the day after a resolution went out
  (``events.resolved_at``), for negative or neutral feedback.

The estimated delivery date stands in while the delivery date is unknown.  Nothing is
proposed to a buyer who opted out, after a cancellation, refund or return, or a second time
(``events.solicited_at``).  Events dated after ``now`` have not happened yet.  The plan is
stateless: it says what is due, not what was sent, so callers record what they send
(``solicited_at`` for the review request).  docs/planner.md describes every reason.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from .catalogs import catalog_files
from .channels import ChannelRules, Rule
from .environment import builtin_templates_dir
from .marketplaces import get_marketplace
from .models import EARLIEST, LATEST, Order, Shipment
from .relays import resolve_channel

__all__ = ["PLAN_FORMAT", "Plan", "PlanEntry", "Status", "due_messages"]

#: The ``format`` value of the JSON that ``sellercomms plan --format json`` prints.
PLAN_FORMAT = "sellercomms.plan/1"

Status = Literal["due", "scheduled", "suppressed"]

RESOLUTIONS = ("resolution_refund", "resolution_replacement", "resolution_gift_certificate")
# The check-in may still go out on this many days after its first day; later it is stale.
CHECKIN_GRACE_DAYS = 2
# Without a delivery date or estimate, a shipping confirmation is stale after this long.
SHIPPING_NOTICE_DAYS = 7


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """One message of the plan.

    ``due_at`` is when it should go out (``None`` while it waits for a shipment or a delivery
    date), ``closes_at`` when it is too late.  ``reason`` is a stable id, ``detail`` says it
    in words, and ``rule`` names the channel rule behind it, if one is.  ``message`` is
    ``resolution`` for the make-good after negative feedback; ``options`` then lists the
    resolution templates the channel allows, to pick from after finding the cause.
    """

    message: str
    status: Status
    due_at: datetime | None
    closes_at: datetime | None
    reason: str
    detail: str
    rule: str | None = None
    shipment_index: int | None = None
    options: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready data (the shape docs/planner.md documents)."""
        return {
            "message": self.message,
            "status": self.status,
            "due_at": _iso(self.due_at),
            "closes_at": _iso(self.closes_at),
            "reason": self.reason,
            "rule": self.rule,
            "detail": self.detail,
            "shipment_index": self.shipment_index,
            "options": list(self.options),
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """The follow-ups of one order as of ``now``; times are in the order's ``timezone``."""

    order_id: str
    channel: str
    timezone: str
    now: datetime
    entries: tuple[PlanEntry, ...]

    @property
    def due(self) -> tuple[PlanEntry, ...]:
        """The entries to send now."""
        return tuple(entry for entry in self.entries if entry.status == "due")

    def entry(self, message: str, shipment_index: int | None = None) -> PlanEntry:
        """The entry of ``message`` (and parcel); :class:`KeyError` if the plan has none."""
        for entry in self.entries:
            if entry.message == message and entry.shipment_index == shipment_index:
                return entry
        raise KeyError(message)

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready data (the shape docs/planner.md documents)."""
        return {
            "order_id": self.order_id,
            "channel": self.channel,
            "timezone": self.timezone,
            "messages": [entry.to_dict() for entry in self.entries],
        }


@dataclass(frozen=True, slots=True)
class _Delivery:
    day: date | None  # the local day the last parcel arrived (or should arrive)
    estimated: bool
    waiting: str  # the reason when day is None: awaiting_shipment or awaiting_delivery


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A message the order calls for, before suppressions are applied."""

    message: str
    due_at: datetime | None
    closes_at: datetime | None
    reason: str
    detail: str
    closing_rule: Rule | None = None
    closing_note: str = ""
    shipment_index: int | None = None
    options: tuple[str, ...] = ()


def due_messages(
    order: Order,
    now: datetime,
    *,
    review_delay_days: int = 7,
    checkin_delay_days: int = 1,
    send_hour: int = 10,
    channel: str | None = None,
    languages: Collection[str] | None = None,
) -> Plan:
    """The follow-up plan of ``order`` as of ``now`` (an aware datetime).

    Days count in the order's time zone (``order.timezone``, else the marketplace's); a
    message due some days after delivery goes out at ``send_hour`` local time that day.
    ``review_delay_days`` is kept inside the channel's review window.  ``channel`` overrides
    the order's channel; a buyer address at a marketplace relay puts the order on that
    marketplace's channel, and naming another for it raises :class:`~sellercomms.PolicyError`
    (relays.py).  ``languages`` are the languages messages can be written in (default:
    English and those of the built-in catalogs); on Amazon a buyer who prefers another
    (``buyer_language``) gets no message.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime (with a UTC offset)")
    if not EARLIEST <= now <= LATEST:
        # Orders are dated inside the same range, so no date the plan computes can leave
        # datetime's years 1 to 9999 (the time zone shift of year 9999 would).
        raise ValueError(f"now must be between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}")
    if review_delay_days < 0 or checkin_delay_days < 0:
        raise ValueError("delays must be 0 or more days")
    if not 0 <= send_hour <= 23:
        raise ValueError("send_hour must be between 0 and 23")
    zone_name = order.timezone or get_marketplace(order.marketplace).default_timezone
    zone = ZoneInfo(zone_name)
    writes = _has_catalog if languages is None else _in(languages)
    planner = _Planner(
        order, now.astimezone(zone), zone, resolve_channel(order, channel), send_hour, writes
    )
    candidates = [
        *planner.shipping_confirmations(),
        planner.delivery_checkin(checkin_delay_days),
        planner.review_request(review_delay_days),
        *planner.resolution(),
        *planner.feedback_revision(),
    ]
    return Plan(
        order_id=order.order_id,
        channel=planner.rules.name,
        timezone=zone_name,
        now=planner.now,
        entries=tuple(planner.decide(candidate) for candidate in candidates),
    )


class _Planner:
    """One order's candidates and the facts that suppress them, as of ``now``."""

    def __init__(
        self,
        order: Order,
        now: datetime,
        zone: ZoneInfo,
        rules: ChannelRules,
        send_hour: int,
        writes: Callable[[str], bool],
    ) -> None:
        self.order = order
        self.writes = writes
        self.now = now
        self.zone = zone
        self.rules = rules
        self.send_hour = send_hour
        self.delivery = self._delivery()
        events = order.events
        self.feedback = (
            events.feedback if events.feedback and self._past(events.feedback.left_at) else None
        )
        stops = [
            (at, reason)
            for at, reason in (
                (events.cancelled_at, "cancelled"),
                (events.refunded_at, "refunded"),
                (events.returned_at, "returned"),
            )
            if at is not None and at <= now
        ]
        self.stop = min(stops) if stops else None

    # --- what the order calls for -------------------------------------------------------

    def shipping_confirmations(self) -> list[_Candidate]:
        found = []
        count = len(self.order.shipments)
        for index, shipment in enumerate(self.order.shipments):
            parcel = f"parcel {index + 1} of {count}" if count > 1 else "the parcel"
            if shipment.shipped_at is None:
                found.append(
                    _Candidate(
                        "shipping_confirmation",
                        None,
                        None,
                        "awaiting_shipment",
                        f"goes out when {parcel} ships",
                        shipment_index=index,
                    )
                )
                continue
            shipped = shipment.shipped_at.astimezone(self.zone)
            found.append(
                _Candidate(
                    "shipping_confirmation",
                    shipped,
                    self._notice_closes(shipment, shipped),
                    "shipped",
                    f"{parcel} shipped on {_when(shipped)}",
                    closing_note="the parcel has arrived, or should have, by then",
                    shipment_index=index,
                )
            )
        return found

    def delivery_checkin(self, delay: int) -> _Candidate:
        if self.delivery.day is None:
            return self._waiting("delivery_checkin", f"{_days(delay)} after delivery")
        first = self.delivery.day + timedelta(days=delay)
        return _Candidate(
            "delivery_checkin",
            self._at(first, self.send_hour),
            self._start(first + timedelta(days=CHECKIN_GRACE_DAYS + 1)),
            self._delivery_reason(),
            f"{_days(delay)} after {self._delivery_words()}",
            closing_note="a check-in this long after delivery comes too late to help",
        )

    def review_request(self, delay: int) -> _Candidate:
        window = self.rules.review_window
        if self.delivery.day is None:
            return self._waiting("review_request", f"{_days(delay)} after delivery")
        offset = min(max(delay, window.first_day), window.last_day)
        note = (
            ""
            if offset == delay
            else f" (moved into the {window.first_day}–{window.last_day} day window)"
        )
        closes = self._start(self.delivery.day + timedelta(days=window.last_day + 1))
        return _Candidate(
            "review_request",
            self._at(self.delivery.day + timedelta(days=offset), self.send_hour),
            closes,
            self._delivery_reason(),
            f"{_days(offset)} after {self._delivery_words()}{note}",
            closing_rule=window.rule,
        )

    def resolution(self) -> list[_Candidate]:
        if self.feedback is None or self.feedback.rating > 2:
            return []
        left = self.feedback.left_at.astimezone(self.zone) if self.feedback.left_at else self.now
        closes, rule = None, None
        window = self.rules.contact_window
        if window is not None and self.delivery.day is not None:
            closes = self._start(self.delivery.day + timedelta(days=window.days + 1))
            rule = window.rule
        options = tuple(name for name in RESOLUTIONS if self.rules.forbidding_rule(name) is None)
        return [
            _Candidate(
                "resolution",
                left,
                closes,
                "negative_feedback",
                f"the buyer left {self.feedback.rating}-star feedback on {_when(left)}: "
                "find the cause and make it right",
                closing_rule=rule,
                options=options,
            )
        ]

    def feedback_revision(self) -> list[_Candidate]:
        """The one feedback revision request, where the channel has one (eBay), once a
        resolution of negative or neutral feedback has gone out."""
        window = self.rules.revision_window
        if window is None or self.feedback is None or self.feedback.rating > 3:
            return []
        left = self.feedback.left_at.astimezone(self.zone) if self.feedback.left_at else self.now
        closes = self._start(left.date() + timedelta(days=window.days + 1))
        resolved = self.order.events.resolved_at
        if resolved is None or not self._past(resolved):
            detail = "goes out the day after a resolution was sent (events.resolved_at)"
            return [_Candidate("feedback_revision", None, None, "awaiting_resolution", detail)]
        sent = resolved.astimezone(self.zone)
        return [
            _Candidate(
                "feedback_revision",
                self._at(sent.date() + timedelta(days=1), self.send_hour),
                closes,
                "resolved",
                f"a resolution went out on {_when(sent)}; the buyer may revise the "
                f"{self.feedback.rating}-star feedback",
                closing_rule=window.rule,
            )
        ]

    # --- what stands in the way ---------------------------------------------------------

    def decide(self, c: _Candidate) -> PlanEntry:
        blocked = self._suppression(c)
        if blocked is not None:
            reason, detail, rule = blocked
            return self._entry(c, "suppressed", reason, detail, rule)
        if c.due_at is None:
            return self._entry(c, "scheduled", c.reason, c.detail)
        if c.closes_at is not None and self.now >= c.closes_at:
            rule = c.closing_rule.id if c.closing_rule else None
            why = c.closing_rule.reason if c.closing_rule else c.closing_note
            detail = f"too late since {_when(c.closes_at)}: {why}"
            return self._entry(c, "suppressed", "window_closed", detail, rule)
        status: Status = "due" if c.due_at <= self.now else "scheduled"
        return self._entry(c, status, c.reason, c.detail)

    def _suppression(self, c: _Candidate) -> tuple[str, str, str | None] | None:
        events = self.order.events
        if events.opted_out:
            return "opted_out", "the buyer opted out of messages about this order", None
        forbidding = self.rules.forbidding_rule(c.message)
        if forbidding is not None:
            return "channel_forbids", forbidding.reason, forbidding.id
        notice = self.rules.marketplace_notices.get(c.message)
        if notice is not None:
            return "marketplace_notifies", notice.reason, notice.id
        if self.rules.needs_buyer_address and self.order.customer.email is None:
            return "no_email_address", "the order has no customer e-mail address", None
        if c.message == "feedback_revision":
            # A refund is the usual resolution: it is what makes the request possible.
            return self._revision_suppression()
        if self.stop is not None:
            at, reason = self.stop
            return reason, f"the order was {reason} on {_when(at.astimezone(self.zone))}", None
        resolved = events.resolved_at
        if c.message == "resolution" and resolved is not None and self._past(resolved):
            detail = f"a resolution went out on {_when(resolved.astimezone(self.zone))}"
            return "resolved", detail, None
        language = self._language_suppression()
        if language is not None:
            return language
        if c.message in {"review_request", "resolution"}:
            contacted = self._proactive_suppression(c.message)
            if contacted is not None:
                return contacted
        if c.message in {"review_request", "delivery_checkin"}:
            return self._follow_up_suppression(c.message)
        return None

    def _revision_suppression(self) -> tuple[str, str, str | None] | None:
        language = self._language_suppression()
        if language is not None:
            return language
        asked = self.order.events.revision_requested_at
        rule = self.rules.revision_rule
        if asked is None or not self._past(asked) or rule is None:
            return None
        detail = f"already asked on {_when(asked.astimezone(self.zone))}: {rule.reason}"
        return "already_requested", detail, rule.id

    def _language_suppression(self) -> tuple[str, str, str | None] | None:
        """Where messages must be in the buyer's language: none when no catalog has it."""
        rule = self.rules.language_rule
        wanted = self.order.buyer_language
        if rule is None or wanted is None or self.writes(wanted):
            return None
        detail = f"the buyer reads {wanted} and no catalog translates the messages: {rule.reason}"
        return "no_catalog", detail, rule.id

    def _proactive_suppression(self, message: str) -> tuple[str, str, str | None] | None:
        """Where one unsolicited message per order is all: the second one."""
        rule = self.rules.proactive_rule
        if rule is None:
            return None
        events = self.order.events
        if message == "resolution":
            earlier, what = events.solicited_at, "the review request went out"
        else:
            earlier, what = events.resolved_at, "a resolution went out"
        if earlier is None or not self._past(earlier):
            return None
        detail = f"{what} on {_when(earlier.astimezone(self.zone))}: {rule.reason}"
        return "already_contacted", detail, rule.id

    def _follow_up_suppression(self, message: str) -> tuple[str, str, str | None] | None:
        solicited = self.order.events.solicited_at
        if message == "review_request" and solicited is not None and self._past(solicited):
            rule = self.rules.solicitation_rule
            detail = f"already asked on {_when(solicited.astimezone(self.zone))}: {rule.reason}"
            return "already_solicited", detail, rule.id
        if self.feedback is not None and self.feedback.rating <= 2:
            return (
                "negative_feedback",
                "the buyer left negative feedback: a resolution is due",
                None,
            )
        if self.feedback is not None:
            return "feedback_left", "the buyer has already left feedback", None
        return None

    # --- helpers ------------------------------------------------------------------------

    def _delivery(self) -> _Delivery:
        shipments = self.order.shipments
        if not shipments or any(s.shipped_at is None or s.shipped_at > self.now for s in shipments):
            return _Delivery(None, False, "awaiting_shipment")
        # Counted per line, not per SKU: two lines may share a SKU, or have none.
        shipped: dict[int, int] = {}
        for shipment in shipments:
            for index, quantity in self.order.parcel_lines(shipment):
                shipped[index] = shipped.get(index, 0) + quantity
        if any(shipped.get(i, 0) < item.quantity for i, item in enumerate(self.order.items)):
            return _Delivery(None, False, "awaiting_shipment")
        days, estimated = [], False
        for shipment in shipments:
            if shipment.delivered_at is not None and self._past(shipment.delivered_at):
                days.append(shipment.delivered_at.astimezone(self.zone).date())
            elif shipment.estimated_delivery is not None:
                days.append(shipment.estimated_delivery)
                estimated = True
            else:
                return _Delivery(None, False, "awaiting_delivery")
        return _Delivery(max(days), estimated, "")

    def _waiting(self, message: str, when: str) -> _Candidate:
        reason = self.delivery.waiting
        if reason == "awaiting_shipment":
            detail = f"{when}; not everything has shipped yet"
        else:
            detail = f"{when}; no delivery date or estimate yet"
        return _Candidate(message, None, None, reason, detail)

    def _delivery_reason(self) -> str:
        return "estimated_delivery" if self.delivery.estimated else "delivered"

    def _delivery_words(self) -> str:
        assert self.delivery.day is not None
        kind = "the estimated delivery" if self.delivery.estimated else "delivery"
        return f"{kind} on {self.delivery.day.isoformat()}"

    def _notice_closes(self, shipment: Shipment, shipped: datetime) -> datetime:
        if shipment.delivered_at is not None and self._past(shipment.delivered_at):
            return shipment.delivered_at.astimezone(self.zone)
        if shipment.estimated_delivery is not None:
            return max(self._start(shipment.estimated_delivery + timedelta(days=1)), shipped)
        return shipped + timedelta(days=SHIPPING_NOTICE_DAYS)

    def _past(self, moment: datetime | None) -> bool:
        return moment is None or moment <= self.now

    def _at(self, day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=self.zone)

    def _start(self, day: date) -> datetime:
        return self._at(day, 0)

    def _entry(
        self, c: _Candidate, status: Status, reason: str, detail: str, rule: str | None = None
    ) -> PlanEntry:
        return PlanEntry(
            message=c.message,
            status=status,
            due_at=c.due_at,
            closes_at=c.closes_at,
            reason=reason,
            detail=detail,
            rule=rule,
            shipment_index=c.shipment_index,
            options=c.options,
        )


def _language(locale: str) -> str:
    return locale.replace("-", "_").split("_")[0].lower()


def _has_catalog(locale: str) -> bool:
    """Whether the built-in templates can be read in ``locale``'s language."""
    return _language(locale) == "en" or bool(catalog_files(locale, [builtin_templates_dir()]))


def _in(languages: Collection[str]) -> Callable[[str], bool]:
    known = {_language(language) for language in languages}
    return lambda locale: _language(locale) in known


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"
