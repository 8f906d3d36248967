"""Packing slips as PDF, a chunk of orders at a time, in this process.

A :class:`SlipPrinter` lays out each slip of a chunk (a shard) as its own WeasyPrint document,
so that "Page N of M" counts the pages of that slip, and writes the pages of the chunk as one
tagged PDF, so that fonts are embedded once per chunk rather than once per slip.  WeasyPrint
tags each chunk (headings, paragraphs, tables, links, images); the joiner (joiner.py) keeps
the tags when it joins the chunks.

A failing order is reported and left out; the other slips are still produced.  WeasyPrint is
imported when the first printer is made.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Final

from ..bidi import as_isolates
from ..exceptions import RenderError, SellerCommsError
from ..models import Order
from ..spec import RenderSetup
from .html import order_slips
from .pages import PageSize, check_page_size
from .resources import ResourcePolicy, url_fetcher
from .results import ShardResult, SlipFailure, SlipPages

__all__ = ["SlipPrinter", "resource_policy"]

logger = logging.getLogger("sellercomms.slips")

# Parsed stylesheets kept per printer: one per locale and page size in use.
_STYLESHEETS_KEPT: Final = 16


# What WeasyPrint's tagging calls errors but a template may rightly do: alt="" marks an image
# as decoration (HTML's own rule), and a template without `lang` gets slips without one.
_TAGGING_NOTES: Final = ("has no required alt description", 'Missing required "lang"')


class _DropRefusedFetches(logging.Filter):
    # The fetcher logs one warning per refused resource; WeasyPrint would add an error
    # saying the same thing again.  Tagging notes on seller templates are not errors either.
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return "ResourceRefused" not in message and not any(n in message for n in _TAGGING_NOTES)


class SlipPrinter:
    """Renders chunks of packing slips to PDF in this process, reusing fonts, the parsed
    stylesheet and the fetcher; a batch has one per process.

    Creating one imports WeasyPrint and adds a filter to its logger that drops its error
    for a resource the fetcher refused (the fetcher has logged a warning already).

    >>> from sellercomms import sample_orders, sample_seller
    >>> from sellercomms.spec import RenderSetup
    >>> printer = SlipPrinter(RenderSetup.create(sample_seller()), page_size="a4")
    >>> result = printer.render_chunk(list(enumerate(sample_orders()[:2])))
    >>> result.slips, result.pdfs[0][:5], result.failures
    (2, b'%PDF-', [])
    """

    def __init__(
        self, setup: RenderSetup, *, page_size: PageSize = "letter", locale: str | None = None
    ) -> None:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        self.setup = setup
        self.page_size = check_page_size(page_size)
        self.locale = locale
        self.policy = resource_policy(setup)
        self.fetcher = url_fetcher(self.policy)
        self._html = weasyprint.HTML
        self._css = weasyprint.CSS
        self._fonts = FontConfiguration()
        self._stylesheets: dict[tuple[str, str], Any] = {}
        weasyprint_logger = logging.getLogger("weasyprint")
        if not any(isinstance(f, _DropRefusedFetches) for f in weasyprint_logger.filters):
            weasyprint_logger.addFilter(_DropRefusedFetches())

    def render_chunk(self, orders: Sequence[tuple[int, Order]]) -> ShardResult:
        """Lay out the slips of ``orders`` (position, order) and write them as PDF."""
        result = ShardResult(orders=len(orders))
        laid_out: list[tuple[int, Order, list[Any]]] = []
        for position, order in orders:
            self.fetcher.label = f"order {order.order_id}"
            # WeasyPrint's image cache, shared by the parcels of one order: a refused or
            # broken image is then reported for every order it is missing from.
            cache: dict[str, Any] = {}
            try:
                slips = order_slips(
                    self.setup.environment,
                    self.setup.seller,
                    order,
                    page_size=self.page_size,
                    locale=self.locale,
                    embed_stylesheet=False,
                )
                documents = [
                    self._html(
                        string=as_isolates(slip.html),
                        base_url=slip.base_url,
                        url_fetcher=self.fetcher,
                    ).render(
                        stylesheets=[self._stylesheet(slip.stylesheet, slip.base_url)],
                        font_config=self._fonts,
                        cache=cache,
                    )
                    for slip in slips
                ]
            # One bad order must not stop a batch, whatever WeasyPrint raises for it.
            except Exception as error:
                result.failures.append(_failure(position, order, error))
                continue
            laid_out.append((position, order, documents))
        if laid_out:
            self._write(laid_out, result)
        result.failures.sort(key=lambda failure: failure.position)
        return result

    def _stylesheet(self, text: str, base_url: str) -> Any:
        # Parsing the stylesheet took a quarter of each slip's rendering time; its text only
        # changes with the locale and the page size, so each distinct text is parsed once.
        key = (text, base_url)
        parsed = self._stylesheets.get(key)
        if parsed is None:
            if len(self._stylesheets) >= _STYLESHEETS_KEPT:
                self._stylesheets.clear()
            parsed = self._stylesheets[key] = self._css(
                string=text, base_url=base_url, url_fetcher=self.fetcher, font_config=self._fonts
            )
        return parsed

    def _write(self, laid_out: list[tuple[int, Order, list[Any]]], result: ShardResult) -> None:
        documents = [doc for _, _, docs in laid_out for doc in docs]
        try:
            result.pdfs.append(_tagged_pdf(documents))
        # Find the order that cannot be written and keep the rest.
        except Exception:
            logger.debug("writing a chunk failed; writing its orders one by one", exc_info=True)
        else:
            result.layouts.append(_layout(documents))
            result.slips = len(documents)
            return
        for position, order, own in laid_out:
            try:
                result.pdfs.append(_tagged_pdf(own))
            except Exception as error:
                result.failures.append(_failure(position, order, error))
            else:
                result.layouts.append(_layout(own))
                result.slips += len(own)


def _tagged_pdf(documents: list[Any]) -> bytes:
    # One PDF for the pages of several documents: the fonts are embedded once.  Tagging
    # follows the HTML (headings, tables, lists, links, image alt texts).
    pages = [page for doc in documents for page in doc.pages]
    pdf: bytes = documents[0].copy(pages).write_pdf(pdf_tags=True)
    return pdf


def _layout(documents: list[Any]) -> tuple[SlipPages, ...]:
    return tuple(
        SlipPages(len(doc.pages), doc.metadata.lang or "", doc.metadata.title or "")
        for doc in documents
    )


def resource_policy(setup: RenderSetup) -> ResourcePolicy:
    """What slips of ``setup`` may load: its template folders and the seller's logo file."""
    seller = setup.seller
    logo = seller.logo_path
    return ResourcePolicy(
        folders=setup.environment.folders,
        files=[logo] if logo is not None else [],
        allow_remote_images=seller.packing_slip.allow_remote_images,
    )


def _failure(position: int, order: Order, error: Exception) -> SlipFailure:
    if not isinstance(error, SellerCommsError):
        logger.debug("order %s: the slip failed", order.order_id, exc_info=error)
        error = RenderError(f"the packing slip could not be laid out: {error}")
    return SlipFailure(position=position, order_id=order.order_id, error=error)
