"""The shapes of a feedback report: what was read, the figures, the triage list.

Every model is a frozen pydantic model; ``FeedbackReport.model_dump(mode="json")`` is the JSON
document (docs/feedback-report.md lists every key).  Counts are whole numbers and percentages
and averages are :class:`~decimal.Decimal` (strings in JSON), so nothing goes through float.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
    "SCHEMA_VERSION",
    "CauseTag",
    "DateOrder",
    "Evidence",
    "FeedbackEntry",
    "FeedbackFile",
    "FeedbackReport",
    "Figures",
    "Remedy",
    "Resolution",
    "RowProblem",
    "Source",
    "Targets",
    "Trend",
    "TriagedFeedback",
    "Week",
    "Window",
]

#: Version of the JSON document; it changes only when a key is renamed or removed.
SCHEMA_VERSION = 1

#: How the day, month and year of a date are ordered: US ``m/d/y``, UK and DE ``d/m/y``
#: (``d.m.y``), JP ``y/m/d``, or ISO ``YYYY-MM-DD`` (our own CSV).
DateOrder = Literal["mdy", "dmy", "ymd", "iso"]

Remedy = Literal["refund", "replacement", "gift_certificate"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedbackEntry(_Model):
    """One feedback as read from the export; ``line`` is its line in the file.

    The yes/no answers are ``None`` where the buyer gave none (and always in our own CSV).
    """

    line: int
    date: date
    rating: int
    comment: str = ""
    response: str = ""
    arrived_on_time: bool | None = None
    item_as_described: bool | None = None
    customer_service: bool | None = None
    order_id: str | None = None
    rater_email: str | None = None

    @property
    def kind(self) -> Literal["positive", "neutral", "negative"]:
        """5 and 4 stars are positive, 3 neutral, 2 and 1 negative."""
        if self.rating >= 4:
            return "positive"
        return "neutral" if self.rating == 3 else "negative"


class RowProblem(_Model):
    """A row that was skipped: its line, the column at fault and what is wrong."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


class Source(_Model):
    """Where the feedback came from and how it was read."""

    file: str | None
    format: Literal["amazon", "csv"]
    encoding: str
    marketplace: str | None
    channel: str
    date_order: DateOrder
    #: How the date order was chosen: by the file's ``format`` (our CSV), the ``marketplace``
    #: given, the ``dates`` themselves, the ``encoding`` (Shift_JIS: Japan), or the amazon.com
    #: ``default`` because the dates fit more than one order.
    date_order_from: Literal["format", "marketplace", "dates", "encoding", "default"]
    rows: int
    ignored_columns: list[str] = []


class FeedbackFile(_Model):
    """A feedback export, read: the good rows and the problems of the bad ones."""

    source: Source
    entries: list[FeedbackEntry]
    problems: list[RowProblem]


class Targets(_Model):
    """The seller's targets: at least ``positive_percent`` positive, ``average`` or more."""

    positive_percent: Decimal = Decimal(95)
    average: Decimal = Decimal("4.5")


class Figures(_Model):
    """Counts and ratios for one period.

    ``positive_percent`` (one decimal) and ``average`` (two decimals) are rounded *down*, so a
    figure shown never passes a target the exact figure misses; ``positive / count`` and
    ``rating_sum / count`` are exact.  Ratios and target checks are ``None`` without feedback.
    """

    count: int
    positive: int
    neutral: int
    negative: int
    rating_sum: int
    positive_percent: Decimal | None
    average: Decimal | None
    meets_positive_target: bool | None
    meets_average_target: bool | None

    @property
    def meets_targets(self) -> bool | None:
        """Both targets met; ``None`` without feedback."""
        if self.meets_positive_target is None or self.meets_average_target is None:
            return None
        return self.meets_positive_target and self.meets_average_target


class Window(Figures):
    """The ``days`` days up to the as-of date, both ends included (``days`` None: the file)."""

    key: str
    label: str
    days: int | None
    start: date | None
    end: date


class Week(Figures):
    """One ISO week, Monday to Sunday; ``partial`` when the as-of date falls inside it."""

    week: str
    start: date
    end: date
    partial: bool


class Trend(_Model):
    """The last complete weeks against as many weeks before them.

    ``positive_change`` is in percentage points (one decimal), ``average_change`` in stars
    (two decimals).  ``direction`` is ``worse`` when either fell by at least 1 point or 0.1
    star, else ``better`` when either rose by as much, else ``steady``; ``unknown`` when a
    side has no feedback.
    """

    weeks: int
    recent: Window
    previous: Window
    positive_change: Decimal | None
    average_change: Decimal | None
    direction: Literal["better", "worse", "steady", "unknown"]


class Evidence(_Model):
    """Why a cause was tagged: a phrase of the comment (and its language) or a column."""

    source: Literal["comment", "column"]
    phrase: str | None = None
    language: str | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        if self.source == "column":
            return f"{self.column} = {self.value}"
        return f"“{self.phrase}” ({self.language})"


class CauseTag(_Model):
    """A likely root cause (one of the seven) with its evidence and what to check first."""

    cause: str
    label: str
    check: str
    evidence: list[Evidence]


class Resolution(_Model):
    """How to make it right: the remedy, its message, and for a known order its data."""

    remedy: Remedy
    message: str
    note: str | None = None
    #: A starting point for ``render email --data``; edit it before sending.
    data: dict[str, Any] | None = None
    data_file: str | None = None
    command: str | None = None


class TriagedFeedback(_Model):
    """One negative or neutral feedback with its likely causes and the suggested remedy."""

    entry: FeedbackEntry
    kind: Literal["negative", "neutral"]
    age_days: int
    responded: bool
    channel: str
    order_known: bool
    causes: list[CauseTag]
    primary_cause: str | None
    resolution: Resolution | None


class FeedbackReport(_Model):
    """The weekly feedback report: figures against the targets and the triage list.

    ``model_dump(mode="json")`` (or :meth:`to_json`) is the JSON document; :meth:`to_text`
    the terminal table; :meth:`to_html` the page to forward to the team.
    """

    schema_version: int = SCHEMA_VERSION
    as_of: date
    source: Source
    targets: Targets
    windows: list[Window]
    weeks: list[Week]
    trend: Trend
    #: Negative and neutral feedback up to the as-of date, newest first.
    triage: list[TriagedFeedback]
    #: Rows of the file that were skipped, each with its line and what is wrong.
    problems: list[RowProblem]
    #: Feedback dated after the as-of date: read, but in no figure and not triaged.
    after_as_of: int
    #: How many of the seller's orders the triage list was matched against.
    orders_given: int
    #: Things the reader should know about how the file was read, in sentences.
    notes: list[str]

    def to_json(self) -> str:
        """The JSON document, indented, non-ASCII characters kept."""
        return self.model_dump_json(indent=2) + "\n"

    def to_text(self) -> str:
        """The report as plain-text tables for a terminal."""
        from .text_report import text_report

        return text_report(self)

    def to_html(self, templates: str | Path | None = None) -> str:
        """The report as a self-contained HTML page (``reports/feedback.html``).

        ``templates`` is a folder whose ``reports/feedback.html`` overrides the built-in one.
        """
        from .html_report import html_report

        return html_report(self, templates)
