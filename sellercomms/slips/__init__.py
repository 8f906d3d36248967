"""Packing slips: HTML per parcel, PDF per chunk of orders, one joined PDF per batch.

* :mod:`.pages` — the page sizes and the slip's templates;
* :mod:`.view` and :mod:`.codes` — what a slip shows beyond the message context: the parcel's
  lines, the order barcode and the QR codes;
* :mod:`.html` — a slip's HTML from an environment, a message context and a page size;
* :mod:`.resources` — what a slip may load while it becomes a PDF, and the fetcher that
  enforces it;
* :mod:`.printer` — WeasyPrint: a chunk of orders to one tagged PDF;
* :mod:`.joiner` — the chunks' PDFs into one file, as they come;
* :mod:`.results` — what a chunk and a batch give back;
* :mod:`.batch` — batches in shards, here, on worker processes or on any executor.
"""

from .batch import Target, join_slip_shards, render_slip_shard, write_slips
from .html import RenderedSlip, order_slips, slip_html
from .pages import PAGE_SIZES, SLIP_STYLESHEET, SLIP_TEMPLATE, PageSize, check_page_size
from .results import ShardResult, SlipBatch, SlipFailure
from .view import SlipView, readable_url

__all__ = [
    "PAGE_SIZES",
    "SLIP_STYLESHEET",
    "SLIP_TEMPLATE",
    "PageSize",
    "RenderedSlip",
    "ShardResult",
    "SlipBatch",
    "SlipFailure",
    "SlipView",
    "Target",
    "check_page_size",
    "join_slip_shards",
    "order_slips",
    "readable_url",
    "render_slip_shard",
    "slip_html",
    "write_slips",
]
