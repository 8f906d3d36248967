"""What a reader hands back: the rows read (or why not) and how the file was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .models import DateOrder, DateOrderFrom, DetailedRating, FeedbackEntry, Totals
from .tabular import RowError

__all__ = ["Parsed"]


@dataclass
class Parsed:
    """One export, read by its format's reader; reading.py turns it into a FeedbackFile."""

    format: Literal["amazon", "csv", "ebay", "etsy"]
    layout: str
    rows: list[tuple[int, FeedbackEntry | RowError]]
    #: The label of the order id, for the one-feedback-per-order check.
    order_label: str = "order_id"
    date_order: DateOrder = "iso"
    date_order_from: DateOrderFrom = "format"
    ignored: list[str] = field(default_factory=list)
    by_position: bool = False
    holds: Literal["all", "negative_neutral"] = "all"
    percent_of: Literal["all", "rated"] = "all"
    stars: bool = True
    #: The channel whose rules the remedies follow; ``None``: the marketplace's, else own.
    channel: str | None = None
    totals: Totals | None = None
    detailed_ratings: list[DetailedRating] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
