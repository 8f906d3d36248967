"""The shapes of a feedback report: what was read, the figures, the triage list.

Every model is a frozen pydantic model and data only: the report's outputs are in outputs.py.
A report's ``model_dump(mode="json")`` is the JSON document (docs/feedback-report.md lists
every key).  Counts are whole numbers and percentages and averages are
:class:`~decimal.Decimal` (strings in JSON), so nothing goes through float.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "SCHEMA_VERSION",
    "CauseTag",
    "DateOrder",
    "DateOrderFrom",
    "DetailedRating",
    "Evidence",
    "FeedbackEntry",
    "FeedbackFile",
    "Figures",
    "Kind",
    "PeriodCounts",
    "Remedy",
    "ReportContent",
    "Resolution",
    "RowProblem",
    "Source",
    "Targets",
    "Totals",
    "Trend",
    "TriagedFeedback",
    "Week",
    "Window",
]

#: Version of the JSON document; it changes only when a key is renamed or removed.
SCHEMA_VERSION = 1

#: How the day, month and year of a date are ordered: US ``m/d/y``, UK and DE ``d/m/y``
#: (``d.m.y``), JP ``y/m/d``, or ISO ``YYYY-MM-DD`` (our own CSV, Sweden, eBay, Etsy).
DateOrder = Literal["mdy", "dmy", "ymd", "iso"]

Remedy = Literal["refund", "replacement", "gift_certificate"]

Kind = Literal["positive", "neutral", "negative"]

#: How the date order was chosen, strongest evidence first: the file's ``format`` (ISO
#: dates), the ``marketplace`` given, the raters' e-mail domain (``email``), the ``dates``
#: themselves, the ``encoding`` (Shift_JIS: Japan), or amazon.com's ``default``.
DateOrderFrom = Literal["format", "marketplace", "email", "dates", "encoding", "default"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedbackEntry(_Model):
    """One feedback as read from the export; ``line`` is its line in the file.

    ``rating`` is the stars (1 to 5); eBay has none, only ``kind``, which otherwise follows
    from the stars.  The yes/no answers are ``None`` where the buyer gave none (and always
    outside Amazon).
    """

    line: int
    date: date
    rating: int | None = None
    # Set from the stars when not given (see below); the default is never used.
    kind: Kind = "neutral"
    comment: str = ""
    response: str = ""
    arrived_on_time: bool | None = None
    item_as_described: bool | None = None
    customer_service: bool | None = None
    order_id: str | None = None
    rater_email: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _kind_from_stars(cls, data: Any) -> Any:
        # 5 and 4 stars are positive, 3 neutral, 2 and 1 negative.
        if isinstance(data, dict) and data.get("kind") is None:
            rating = data.get("rating")
            if not isinstance(rating, int):
                raise ValueError("a feedback needs its stars or its kind")
            kind = "positive" if rating >= 4 else "neutral" if rating == 3 else "negative"
            data = {**data, "kind": kind}
        return data


class RowProblem(_Model):
    """A row that was skipped: its line, the column at fault and what is wrong."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


class Source(_Model):
    """Where the feedback came from and how it was read.

    ``holds`` is what the file can hold: ``all`` ratings, or only ``negative_neutral`` ones
    (Amazon's feedback report: 1 to 3 stars), from which no share of positive feedback can be
    computed.  ``percent_of`` is the marketplace's positive percentage: positive of ``all``
    (Amazon, Etsy, our CSV) or of positive and negative, neutral left out (``rated``, eBay).
    ``stars`` is whether ratings are stars, so that an average means something.
    """

    file: str | None
    format: Literal["amazon", "csv", "ebay", "etsy"]
    #: The file's variant: ``mws-9``, ``mws-10``, ``sp-api-6`` (Amazon), ``csv``, ``json``.
    layout: str
    encoding: str
    marketplace: str | None
    channel: str
    date_order: DateOrder
    date_order_from: DateOrderFrom
    rows: int
    ignored_columns: list[str] = []
    #: Amazon columns not named in a language we know, read by their place in the layout.
    columns_by_position: bool = False
    holds: Literal["all", "negative_neutral"] = "all"
    percent_of: Literal["all", "rated"] = "all"
    stars: bool = True


class PeriodCounts(_Model):
    """The seller's rating counts over one period, as the marketplace shows them."""

    positive: int = Field(ge=0)
    neutral: int = Field(ge=0)
    negative: int = Field(ge=0)


class Totals(_Model):
    """Rating counts per period (``last_30_days`` … ``lifetime``), from a second source.

    ``source`` names where they came from (a file, or the export's own summary).
    """

    source: str
    as_of: date | None = None
    periods: dict[str, PeriodCounts]


class DetailedRating(_Model):
    """An eBay detailed seller rating: its average over a period, and how many gave one."""

    period: str
    name: str
    average: Decimal
    count: int | None = None


class FeedbackFile(_Model):
    """A feedback export, read: the good rows and the problems of the bad ones.

    ``totals`` and ``detailed_ratings`` are the summary the export itself carries (eBay's
    GetFeedback does); ``skipped`` counts rows left out on purpose, by reason.
    """

    source: Source
    entries: list[FeedbackEntry]
    problems: list[RowProblem]
    totals: Totals | None = None
    detailed_ratings: list[DetailedRating] = []
    skipped: dict[str, int] = {}


class Targets(_Model):
    """The seller's targets: at least ``positive_percent`` positive, ``average`` or more."""

    positive_percent: Decimal = Decimal(95)
    average: Decimal = Decimal("4.5")


class Figures(_Model):
    """Counts and ratios for one period.

    ``positive_percent`` (one decimal) and ``average`` (two decimals) are rounded *down*, so a
    figure shown never passes a target the exact figure misses; ``positive / count`` and
    ``rating_sum / count`` are exact.  Ratios and target checks are ``None`` without feedback.
    ``count``, ``positive`` and ``rating_sum`` are ``None`` where the source cannot know them
    (a negative-only export); ``figures_from`` says where the figures came from: the
    ``file``, the seller's ``totals``, or ``negative_only`` (the export's 1 to 3 stars alone).
    """

    figures_from: Literal["file", "totals", "negative_only"] = "file"
    count: int | None
    positive: int | None
    neutral: int
    negative: int
    rating_sum: int | None
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
    """The ``days`` days up to the as-of date, both ends included (``days`` None: the file,
    or with totals the seller's lifetime)."""

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


class ReportContent(_Model):
    """What the weekly feedback report holds: figures against the targets and the triage list.

    :class:`~sellercomms.feedback.FeedbackReport` adds its outputs (outputs.py).
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
    #: Why no positive percentage is shown, when the source cannot give one; else ``None``.
    no_percentage_reason: str | None = None
    #: Where the figures' totals came from, when not from the file itself.
    totals_source: str | None = None
    #: eBay's detailed seller ratings, where the export gives them.
    detailed_ratings: list[DetailedRating] = []
