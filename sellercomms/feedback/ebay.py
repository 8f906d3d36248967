"""eBay feedback: the Trading API's GetFeedback records, as JSON or as a CSV of its fields.

Each feedback (``FeedbackDetail``) has ``CommentType`` (Positive, Neutral, Negative; Withdrawn
and IndependentlyWithdrawn no longer count), ``CommentText``, ``CommentTime`` (ISO 8601, GMT),
``ItemID``, ``TransactionID``, ``OrderLineItemID``, ``Role`` (the recipient's: Seller for
feedback you received as the seller) and ``FeedbackResponse`` (field descriptions in eBay's
schema, as generated in hostnet/wsdl2php ``FeedbackDetailType.php``).

The JSON may be a list of those records or GetFeedback's whole response:
``FeedbackDetailArray.FeedbackDetail`` and ``FeedbackSummary``, whose
``Positive/Neutral/NegativeFeedbackPeriodArray.FeedbackPeriod`` (``PeriodInDays``, ``Count``)
become the totals and whose ``SellerRatingSummaryArray.AverageRatingSummary``
(``FeedbackSummaryPeriod``, ``AverageRatingDetails``: ``RatingDetail``, ``Rating``,
``RatingCount``) the detailed seller ratings (as read by up_the_irons/ebay4r
``get_feedback.rb`` and eBay's AverageRatingDetailsType).

eBay has no stars: its positive feedback percentage is positive of positive and negative
over 12 months, neutral left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from ..exceptions import InputFileError
from . import jsondoc
from .models import DetailedRating, FeedbackEntry, Kind, PeriodCounts, Totals
from .parsed import Parsed
from .tabular import Layout, RowError, Rows, check_quotes, fold, values_of

__all__ = ["EBAY_FIELDS", "is_ebay_header", "is_ebay_record", "read_ebay_json", "read_ebay_rows"]

#: GetFeedback's fields (folded) with the field each fills.
EBAY_FIELDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "commenttype": ("CommentType", "kind"),
        "commenttext": ("CommentText", "comment"),
        "commenttime": ("CommentTime", "date"),
        "feedbackresponse": ("FeedbackResponse", "response"),
        "itemid": ("ItemID", "item_id"),
        "transactionid": ("TransactionID", "transaction_id"),
        "orderlineitemid": ("OrderLineItemID", "order_id"),
        "role": ("Role", "role"),
    }
)

_KINDS: Mapping[str, Kind | None] = MappingProxyType(
    {
        "positive": "positive",
        "neutral": "neutral",
        "negative": "negative",
        "withdrawn": None,
        "independentlywithdrawn": None,
    }
)


def _name(cell: str) -> str:
    return jsondoc.key(fold(cell).replace(" ", ""))


def is_ebay_header(header: list[str]) -> bool:
    return any(_name(cell) == "commenttype" for cell in header)


def is_ebay_record(record: dict[str, Any]) -> bool:
    return jsondoc.field(record, "CommentType") is not None


def read_ebay_rows(rows: Rows, name: str, *, delimiter: str) -> Parsed:
    header, body = rows[0][1], rows[1:]
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for at, cell in enumerate(header):
        known = EBAY_FIELDS.get(_name(cell))
        if known is None:
            ignored.append(cell.strip())
            continue
        if known[1] in positions:
            raise InputFileError(f"column {known[0]!r} appears twice", filename=name)
        positions[known[1]] = at
        labels[known[1]] = cell.strip()
    for field, label in (("date", "CommentTime"), ("kind", "CommentType")):
        if field not in positions:
            raise InputFileError(f"no {label} column in the header row", filename=name)
    layout = Layout(positions, labels, len(header), ignored, delimiter)
    if delimiter == ",":
        check_quotes(body, lambda cells: _looks_like_row(cells, layout), name)
    parsed = Parsed(format="ebay", layout="csv", rows=[], ignored=ignored, **_RULES)
    for line, cells in body:
        try:
            values = values_of(cells, layout)
        except RowError as error:
            parsed.rows.append((line, error))
            continue
        _add(parsed, line, values, labels)
    parsed.order_label = labels.get("order_id", "OrderLineItemID")
    return parsed


_RULES: dict[str, Any] = {"percent_of": "rated", "stars": False, "channel": "ebay"}


def read_ebay_json(document: Any, name: str) -> Parsed:
    root = document
    wrapped = jsondoc.field(root, "GetFeedbackResponse") if isinstance(root, dict) else None
    if wrapped is not None:
        root = wrapped[1]
    parsed = Parsed(format="ebay", layout="json", rows=[], order_label="OrderLineItemID", **_RULES)
    for record in jsondoc.records(
        root,
        ("FeedbackDetailArray", "FeedbackDetail"),
        ("FeedbackDetailArray",),
        ("FeedbackDetail",),
        (),
    ):
        labels: dict[str, str] = {}
        values: dict[str, str] = {}
        for written, value in record.items():
            known = EBAY_FIELDS.get(jsondoc.key(written))
            if known is not None:
                labels[known[1]] = written
                values[known[1]] = "" if value is None else str(value).strip()
        _add(parsed, record.line, values, labels)
    summary = jsondoc.field(root, "FeedbackSummary") if isinstance(root, dict) else None
    if summary is not None and isinstance(summary[1], jsondoc.Located):
        parsed.totals = _totals(summary[1], name)
        parsed.detailed_ratings = _detailed(summary[1], name)
    return parsed


def _add(parsed: Parsed, line: int, values: dict[str, str], labels: dict[str, str]) -> None:
    """Add the feedback in ``values``, a problem, or count it as left out (withdrawn, or left
    for you as a buyer)."""
    label = {field: labels.get(field, default) for default, field in EBAY_FIELDS.values()}
    text = values.get("kind", "")
    if jsondoc.key(text) not in _KINDS:
        problem = "is empty" if not text else f"{text!r} is not Positive, Neutral or Negative"
        parsed.rows.append((line, RowError(label["kind"], problem)))
        return
    kind = _KINDS[jsondoc.key(text)]
    if kind is None:
        parsed.skipped["withdrawn"] = parsed.skipped.get("withdrawn", 0) + 1
        return
    if values.get("role") and jsondoc.key(values["role"]) != "seller":
        parsed.skipped["left for you as a buyer"] = (
            parsed.skipped.get("left for you as a buyer", 0) + 1
        )
        return
    try:
        day = _day(values.get("date", ""), label["date"])
    except RowError as error:
        parsed.rows.append((line, error))
        return
    order = values.get("order_id") or "-".join(
        part for part in (values.get("item_id"), values.get("transaction_id")) if part
    )
    parsed.rows.append(
        (
            line,
            FeedbackEntry(
                line=line,
                date=day,
                kind=kind,
                comment=values.get("comment", ""),
                response=values.get("response", ""),
                order_id=order or None,
            ),
        )
    )


def _day(text: str, label: str) -> date:
    if not text:
        raise RowError(label, "is empty")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RowError(label, f"{text!r} is not a date and time (ISO 8601)") from None
    # CommentTime is GMT; a time without an offset is taken as written.
    return moment.astimezone(UTC).date() if moment.tzinfo else moment.date()


def _looks_like_row(cells: list[str], layout: Layout) -> bool:
    kind_at, date_at = layout.positions["kind"], layout.positions["date"]
    if max(kind_at, date_at) >= len(cells) or jsondoc.key(cells[kind_at].strip()) not in _KINDS:
        return False
    try:
        _day(cells[date_at].strip(), "")
    except RowError:
        return False
    return True


def _whole(value: Any, where: str, name: str, line: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if number < 0:
        raise InputFileError(f"line {line}: {where}: {value!r} is not a count", filename=name)
    return number


def _totals(summary: jsondoc.Located, name: str) -> Totals | None:
    counts: dict[int, dict[str, int]] = {}
    for kind in ("Positive", "Neutral", "Negative"):
        for period in jsondoc.records(summary, (f"{kind}FeedbackPeriodArray", "FeedbackPeriod")):
            days_field = jsondoc.field(period, "PeriodInDays")
            count_field = jsondoc.field(period, "Count")
            if days_field is None or count_field is None:
                continue
            days = _whole(days_field[1], "PeriodInDays", name, period.line)
            count = _whole(count_field[1], "Count", name, period.line)
            counts.setdefault(days, {})[kind.lower()] = count
    periods = {
        f"last_{days}_days": PeriodCounts(**found)
        for days, found in sorted(counts.items())
        if days > 0 and len(found) == 3
    }
    if not periods:
        return None
    return Totals(source="the export's FeedbackSummary", periods=periods)


def _detailed(summary: jsondoc.Located, name: str) -> list[DetailedRating]:
    ratings: list[DetailedRating] = []
    for group in jsondoc.records(summary, ("SellerRatingSummaryArray", "AverageRatingSummary")):
        period = jsondoc.field(group, "FeedbackSummaryPeriod")
        for detail in jsondoc.records(group, ("AverageRatingDetails",)):
            what = jsondoc.field(detail, "RatingDetail")
            average = jsondoc.field(detail, "Rating")
            count = jsondoc.field(detail, "RatingCount")
            if what is None or average is None:
                continue
            try:
                value = Decimal(str(average[1]))
            except InvalidOperation:
                raise InputFileError(
                    f"line {detail.line}: Rating: {average[1]!r} is not a number", filename=name
                ) from None
            ratings.append(
                DetailedRating(
                    period=str(period[1]) if period else "",
                    name=str(what[1]),
                    average=value,
                    count=_whole(count[1], "RatingCount", name, detail.line) if count else None,
                )
            )
    return ratings
