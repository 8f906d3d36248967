"""What rendering packing slips gives back: per shard, per slip, per batch, and failures.

Every record here pickles, so that it can travel back from a worker process or machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..exceptions import SellerCommsError

__all__ = ["LogRecord", "ShardResult", "SlipBatch", "SlipFailure", "SlipPages"]


@dataclass(frozen=True, slots=True)
class SlipFailure:
    """An order that got no slip: its 0-based ``position`` in the input, and why."""

    position: int
    order_id: str
    error: SellerCommsError


@dataclass(frozen=True, slots=True)
class SlipBatch:
    """What a batch produced: slips and pages written, and the orders left out."""

    orders: int
    slips: int
    pages: int
    failures: tuple[SlipFailure, ...] = ()


@dataclass(frozen=True, slots=True)
class LogRecord:
    """A warning logged while a shard was rendered, to be logged again by the caller."""

    name: str
    level: int
    message: str


@dataclass(frozen=True, slots=True)
class SlipPages:
    """How many pages one slip has in a chunk's PDF, and its language and title."""

    pages: int
    lang: str
    title: str


@dataclass(slots=True)
class ShardResult:
    """One chunk, rendered: its PDF (several only when one order could not be written with
    the others) and, for each, the slips it holds in page order; how many orders and slips
    the chunk held, the orders that failed, and the warnings logged meanwhile by the process
    ``origin`` that rendered it."""

    orders: int
    slips: int = 0
    pdfs: list[bytes] = field(default_factory=list)
    layouts: list[tuple[SlipPages, ...]] = field(default_factory=list)
    failures: list[SlipFailure] = field(default_factory=list)
    records: list[LogRecord] = field(default_factory=list)
    origin: int | None = None

    @property
    def pages(self) -> int:
        """Pages of the chunk's PDF."""
        return sum(slip.pages for layout in self.layouts for slip in layout)
