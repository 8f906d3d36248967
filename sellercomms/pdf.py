"""Packing slips as PDF, from one order to batches of thousands in bounded memory.

How a batch is made:

1. Orders are cut into chunks of at most :data:`CHUNK_ORDERS`.  A chunk is rendered by a
   :class:`SlipPrinter`: each slip becomes its own WeasyPrint document (so "Page N of M"
   counts the pages of that slip), and the pages of the chunk are written as one PDF, so
   fonts are embedded once per chunk rather than once per slip.
2. With ``jobs > 1`` chunks are rendered by worker processes (each imports WeasyPrint once);
   a few chunks are in flight at a time and results are taken in input order.
3. :class:`PdfJoiner` appends each chunk's pages to the output as it arrives and forgets them,
   so neither the layout nor the PDF objects of a batch pile up in memory.

A failing order is reported and left out; the other slips are still produced.  WeasyPrint and
pypdf are imported on first use.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import math
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Iterable, Sequence
from contextlib import AbstractContextManager, closing, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

from .environment import AUTO_OPEN, LTR_CLOSE, LTR_OPEN
from .exceptions import RenderError, SellerCommsError
from .fetcher import ResourcePolicy, url_fetcher
from .models import Order, Seller
from .output import atomic_writer
from .slips import PageSize, check_page_size, render_slips

if TYPE_CHECKING:
    from .renderer import Renderer

__all__ = [
    "CHUNK_ORDERS",
    "ChunkResult",
    "PdfJoiner",
    "SlipBatch",
    "SlipFailure",
    "SlipPrinter",
    "default_jobs",
    "isolates_for_print",
    "write_slips",
]

logger = logging.getLogger("sellercomms.slips")

#: Orders per chunk.  A chunk's layout stays in memory until it is written (about 4 MB per
#: slip); smaller chunks would use less memory but embed the fonts more often, which costs
#: time and file size.
CHUNK_ORDERS: Final = 25
# Chunks waiting per worker: enough to keep every worker busy, few enough that finished
# chunks do not queue up in the parent while an earlier one is still being rendered.
_IN_FLIGHT_PER_WORKER: Final = 2
_PRODUCER: Final = "sellercomms with WeasyPrint"
# Parsed stylesheets kept per printer: one per locale and page size in use.
_STYLESHEETS_KEPT: Final = 16

#: Where the slips go: a path (written atomically) or a binary file object.
Target = str | os.PathLike[str] | IO[bytes]


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


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


def write_slips(
    renderer: Renderer,
    orders: Iterable[Order],
    target: Target,
    *,
    page_size: PageSize = "letter",
    jobs: int = 1,
    locale: str | None = None,
    on_error: Callable[[SlipFailure], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> SlipBatch:
    """Write one PDF with the packing slips of ``orders``, in input order, to ``target``.

    Without ``on_error`` the first failing order raises its error and nothing is written to
    a path target; with it, each failure is passed to ``on_error`` and the other slips are
    still written.  ``progress`` is called with the number of orders each finished chunk
    held.  Raises :class:`RenderError` when no slip at all was produced.
    """
    size = check_page_size(page_size)
    if jobs < 1:
        raise ValueError(f"jobs must be 1 or more, not {jobs}")
    numbered = list(enumerate(orders))
    failures: list[SlipFailure] = []
    slips = pages = done = 0
    results = _chunk_results(renderer, numbered, size, jobs, locale)
    # closing(): when a failure is raised, the worker processes stop now, not whenever the
    # generator is collected.
    with _open_target(target) as out, closing(results):
        joiner = PdfJoiner(out, title=f"Packing slips – {renderer.seller.name}")
        for result in results:
            for record in result.records:
                logging.getLogger(record.name).log(record.level, "%s", record.message)
            for failure in result.failures:
                if on_error is None:
                    raise failure.error
                failures.append(failure)
                on_error(failure)
            for pdf in result.pdfs:
                pages += joiner.append(pdf)
            slips += result.slips
            done += result.orders
            if progress is not None:
                progress(result.orders)
        if slips == 0:
            raise RenderError("no packing slip was produced")
        joiner.close()
    return SlipBatch(
        orders=done - len(failures), slips=slips, pages=pages, failures=tuple(failures)
    )


def _open_target(target: Target) -> AbstractContextManager[IO[bytes]]:
    if isinstance(target, str | os.PathLike):
        return atomic_writer(Path(target))
    return nullcontext(target)


# --- rendering in one process ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _LogRecord:
    name: str
    level: int
    message: str


@dataclass(slots=True)
class ChunkResult:
    """One chunk, rendered: its PDF (several only when one order could not be written with
    the others), how many orders and slips it held, the orders that failed, and the
    warnings logged meanwhile when it was rendered in a worker process."""

    orders: int
    slips: int = 0
    pdfs: list[bytes] = field(default_factory=list)
    failures: list[SlipFailure] = field(default_factory=list)
    records: list[_LogRecord] = field(default_factory=list)


class _DropRefusedFetches(logging.Filter):
    # The fetcher logs one warning per refused resource; WeasyPrint would add an error
    # saying the same thing again.
    def filter(self, record: logging.LogRecord) -> bool:
        return "ResourceRefused" not in record.getMessage()


class SlipPrinter:
    """Renders chunks of packing slips to PDF in this process, reusing fonts, the parsed
    stylesheet and the fetcher; a batch has one per process.

    Creating one imports WeasyPrint and adds a filter to its logger that drops its error
    for a resource the fetcher refused (the fetcher has logged a warning already).

    >>> from sellercomms import Renderer, sample_orders, sample_seller
    >>> printer = SlipPrinter(Renderer(sample_seller()), page_size="a4")
    >>> result = printer.render_chunk(list(enumerate(sample_orders()[:2])))
    >>> result.slips, result.pdfs[0][:5], result.failures
    (2, b'%PDF-', [])
    """

    def __init__(
        self, renderer: Renderer, *, page_size: PageSize = "letter", locale: str | None = None
    ) -> None:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        self.renderer = renderer
        self.page_size = check_page_size(page_size)
        self.locale = locale
        self.policy = resource_policy(renderer)
        self.fetcher = url_fetcher(self.policy)
        self._html = weasyprint.HTML
        self._css = weasyprint.CSS
        self._fonts = FontConfiguration()
        self._stylesheets: dict[tuple[str, str], Any] = {}
        weasyprint_logger = logging.getLogger("weasyprint")
        if not any(isinstance(f, _DropRefusedFetches) for f in weasyprint_logger.filters):
            weasyprint_logger.addFilter(_DropRefusedFetches())

    def render_chunk(self, orders: Sequence[tuple[int, Order]]) -> ChunkResult:
        """Lay out the slips of ``orders`` (position, order) and write them as PDF."""
        result = ChunkResult(orders=len(orders))
        laid_out: list[tuple[int, Order, list[Any]]] = []
        for position, order in orders:
            self.fetcher.label = f"order {order.order_id}"
            # WeasyPrint's image cache, shared by the parcels of one order: a refused or
            # broken image is then reported for every order it is missing from.
            cache: dict[str, Any] = {}
            try:
                slips = render_slips(
                    self.renderer,
                    order,
                    page_size=self.page_size,
                    locale=self.locale,
                    embed_stylesheet=False,
                )
                documents = [
                    self._html(
                        string=isolates_for_print(slip.html),
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

    def _write(self, laid_out: list[tuple[int, Order, list[Any]]], result: ChunkResult) -> None:
        pages = [page for _, _, documents in laid_out for doc in documents for page in doc.pages]
        try:
            result.pdfs.append(laid_out[0][2][0].copy(pages).write_pdf())
        # Find the order that cannot be written and keep the rest.
        except Exception:
            logger.debug("writing a chunk failed; writing its orders one by one", exc_info=True)
        else:
            result.slips = sum(len(documents) for _, _, documents in laid_out)
            return
        for position, order, documents in laid_out:
            own = [page for doc in documents for page in doc.pages]
            try:
                result.pdfs.append(documents[0].copy(own).write_pdf())
            except Exception as error:
                result.failures.append(_failure(position, order, error))
            else:
                result.slips += len(documents)


def resource_policy(renderer: Renderer) -> ResourcePolicy:
    """What slips of ``renderer`` may load: its template folders and the seller's logo file."""
    seller: Seller = renderer.seller
    logo = seller.logo_path
    return ResourcePolicy(
        folders=renderer.environment.folders,
        files=[logo] if logo is not None else [],
        allow_remote_images=seller.packing_slip.allow_remote_images,
    )


def _failure(position: int, order: Order, error: Exception) -> SlipFailure:
    if not isinstance(error, SellerCommsError):
        logger.debug("order %s: the slip failed", order.order_id, exc_info=error)
        error = RenderError(f"the packing slip could not be laid out: {error}")
    return SlipFailure(position=position, order_id=order.order_id, error=error)


# --- batches: chunks, worker processes ------------------------------------------------------


def _chunks(numbered: list[tuple[int, Order]], workers: int) -> list[list[tuple[int, Order]]]:
    # Small batches are split evenly so that every worker gets a share.
    size = max(1, min(CHUNK_ORDERS, math.ceil(len(numbered) / workers)))
    return [numbered[start : start + size] for start in range(0, len(numbered), size)]


def _chunk_results(
    renderer: Renderer,
    numbered: list[tuple[int, Order]],
    page_size: PageSize,
    jobs: int,
    locale: str | None,
) -> Generator[ChunkResult, None, None]:
    chunks = _chunks(numbered, jobs)
    workers = min(jobs, len(chunks))
    if workers <= 1:
        printer = SlipPrinter(renderer, page_size=page_size, locale=locale)
        for chunk in chunks:
            yield printer.render_chunk(chunk)
        return
    # "spawn": a forked child would inherit the caller's threads and locks (and WeasyPrint's
    # fontconfig state) in whatever state they were in.
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(renderer.seller, renderer.templates, page_size, locale),
    ) as pool:
        pending: deque[concurrent.futures.Future[ChunkResult]] = deque()
        queued = iter(chunks)
        try:
            for chunk in queued:
                pending.append(pool.submit(_render_in_worker, chunk))
                if len(pending) >= workers * _IN_FLIGHT_PER_WORKER:
                    yield _carried_back(pending.popleft().result())
            while pending:
                yield _carried_back(pending.popleft().result())
        except concurrent.futures.process.BrokenProcessPool as exc:
            raise RenderError(f"a worker process stopped unexpectedly: {exc}") from None
        finally:
            for future in pending:
                future.cancel()


_worker: SlipPrinter | None = None
_worker_records: list[_LogRecord] = []


class _Collect(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        _worker_records.append(_LogRecord(record.name, record.levelno, record.getMessage()))


def _start_worker(
    seller: Seller, templates: Path | None, page_size: PageSize, locale: str | None
) -> None:
    from .renderer import Renderer

    global _worker
    # Warnings travel back with each chunk and are logged by the parent, where logging is
    # configured; the worker itself prints nothing.
    for name in ("sellercomms", "weasyprint"):
        worker_logger = logging.getLogger(name)
        worker_logger.addHandler(_Collect(logging.WARNING))
        worker_logger.propagate = False
    _worker = SlipPrinter(
        Renderer(seller, templates, inline_css=False), page_size=page_size, locale=locale
    )


def _render_in_worker(chunk: list[tuple[int, Order]]) -> ChunkResult:
    assert _worker is not None, "worker not started"
    _worker_records.clear()
    result = _worker.render_chunk(chunk)
    result.records = list(_worker_records)
    result.failures = [_portable(f) for f in result.failures]
    return result


@dataclass(frozen=True, slots=True)
class _PortableError:
    # Exceptions with keyword-only arguments (PolicyError …) cannot be unpickled as they
    # are; their class, args and attributes can.
    kind: type[SellerCommsError]
    args: tuple[Any, ...]
    state: dict[str, Any]

    def restore(self) -> SellerCommsError:
        error = self.kind.__new__(self.kind, *self.args)
        error.args = self.args
        error.__dict__.update(self.state)
        return error


def _portable(failure: SlipFailure) -> SlipFailure:
    error = failure.error
    carried = _PortableError(type(error), error.args, dict(error.__dict__))
    return SlipFailure(failure.position, failure.order_id, carried)  # type: ignore[arg-type]


def _carried_back(result: ChunkResult) -> ChunkResult:
    result.failures = [
        SlipFailure(f.position, f.order_id, f.error.restore())
        if isinstance(f.error, _PortableError)
        else f
        for f in result.failures
    ]
    return result


# --- joining PDFs ----------------------------------------------------------------------------


class PdfJoiner:
    """Appends the pages of PDF files to one PDF written to ``out`` as they come.

    Each appended file is parsed with pypdf, its pages and everything they use are written
    out with new object numbers, and the parsed file is dropped; only the page numbers and
    object offsets stay in memory, so joining ten thousand pages costs what joining ten does.
    Call :meth:`close` to finish the file (page tree, catalog, cross-reference table).

    >>> import io
    >>> out = io.BytesIO()
    >>> joiner = PdfJoiner(out, title="Empty")
    >>> joiner.pages
    0
    """

    _CATALOG, _PAGES, _INFO = 1, 2, 3

    def __init__(self, out: IO[bytes], *, title: str) -> None:
        self._out = out
        self._title = title
        self._written = 0
        self._offsets: list[int] = [0, 0, 0, 0]  # object 0 is the free-list head
        self._page_ids: list[int] = []
        self._digest = hashlib.sha256()
        self._emit(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    @property
    def pages(self) -> int:
        """Pages appended so far."""
        return len(self._page_ids)

    def append(self, pdf: bytes) -> int:
        """Append every page of ``pdf``; returns how many there were."""
        from pypdf import PdfReader
        from pypdf.generic import IndirectObject, NameObject

        reader = PdfReader(BytesIO(pdf))
        self._digest.update(pdf[:4096])
        numbers: dict[int, int] = {}
        queue: deque[tuple[Any, int]] = deque()
        # Whatever points at the file's own page tree or catalog points at ours instead.
        root = reader.trailer.raw_get("/Root")
        numbers[root.idnum] = self._CATALOG
        pages_ref = root.get_object().raw_get("/Pages")
        numbers[pages_ref.idnum] = self._PAGES

        def renumber(old: Any) -> Any:
            new = numbers.get(old.idnum)
            if new is None:
                new = numbers[old.idnum] = self._new_id()
                queue.append((old, new))
            return IndirectObject(new, 0, None)

        # pypdf's page objects already carry what they inherit from the page tree.  Pages are
        # numbered first so that links between them resolve to the new numbers.
        page_objects = [(page, self._new_id()) for page in reader.pages]
        for page, new in page_objects:
            numbers[_reference_of(page).idnum] = new
        for page, new in page_objects:
            page[NameObject("/Parent")] = IndirectObject(self._PAGES, 0, None)
            self._write_object(new, page, renumber, skip_parent=True)
            self._page_ids.append(new)
        while queue:
            old, new = queue.popleft()
            self._write_object(new, old.get_object(), renumber, skip_parent=False)
        return len(page_objects)

    def close(self) -> None:
        """Write the page tree, catalog, document information and cross-references."""
        from pypdf.generic import TextStringObject

        kids = " ".join(f"{n} 0 R" for n in self._page_ids)
        self._start_object(self._PAGES)
        self._emit(f"<< /Type /Pages /Count {len(self._page_ids)} /Kids [{kids}] >>".encode())
        self._end_object()
        self._start_object(self._CATALOG)
        self._emit(f"<< /Type /Catalog /Pages {self._PAGES} 0 R >>".encode())
        self._end_object()
        self._start_object(self._INFO)
        title, producer = BytesIO(), BytesIO()
        TextStringObject(self._title).write_to_stream(title)
        TextStringObject(_PRODUCER).write_to_stream(producer)
        stamp = datetime.now(UTC).strftime("D:%Y%m%d%H%M%SZ")
        self._emit(
            b"<< /Title "
            + title.getvalue()
            + b" /Producer "
            + producer.getvalue()
            + f" /CreationDate ({stamp}) >>".encode()
        )
        self._end_object()
        xref = self._written
        lines = [f"xref\n0 {len(self._offsets)}\n0000000000 65535 f \n"]
        lines += [f"{offset:010d} 00000 n \n" for offset in self._offsets[1:]]
        self._emit("".join(lines).encode())
        file_id = self._digest.hexdigest()[:32]
        self._emit(
            f"trailer\n<< /Size {len(self._offsets)} /Root {self._CATALOG} 0 R "
            f"/Info {self._INFO} 0 R /ID [<{file_id}> <{file_id}>] >>\n"
            f"startxref\n{xref}\n%%EOF\n".encode()
        )

    def _new_id(self) -> int:
        self._offsets.append(0)
        return len(self._offsets) - 1

    def _write_object(
        self, number: int, obj: Any, renumber: Callable[[Any], Any], *, skip_parent: bool
    ) -> None:
        _renumber_in_place(obj, renumber, skip_parent=skip_parent)
        self._start_object(number)
        buffer = BytesIO()
        obj.write_to_stream(buffer)
        self._emit(buffer.getvalue())
        self._end_object()

    def _start_object(self, number: int) -> None:
        self._offsets[number] = self._written
        self._emit(f"{number} 0 obj\n".encode())

    def _end_object(self) -> None:
        self._emit(b"\nendobj\n")

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self._written += len(data)


def _reference_of(page: Any) -> Any:
    reference = page.indirect_reference
    if reference is None:
        raise RenderError("a page of a rendered chunk has no object number")
    return reference


def _renumber_in_place(obj: Any, renumber: Callable[[Any], Any], *, skip_parent: bool) -> None:
    # Each indirect object is written once and its direct children belong to it alone, so
    # rewriting the parsed objects in place is safe; the reader is dropped afterwards.
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if isinstance(obj, DictionaryObject):
        for key, value in list(dict.items(obj)):
            if skip_parent and key == "/Parent":
                continue
            if isinstance(value, IndirectObject):
                obj[key] = renumber(value)
            else:
                _renumber_in_place(value, renumber, skip_parent=False)
    elif isinstance(obj, ArrayObject):
        for index, value in enumerate(obj):
            if isinstance(value, IndirectObject):
                obj[index] = renumber(value)
            else:
                _renumber_in_place(value, renumber, skip_parent=False)


def isolates_for_print(html: str) -> str:
    """``html`` with its ``<bdi>`` elements turned into Unicode directional isolates.

    WeasyPrint lays ``<bdi>`` out like a ``<span>`` (it does not implement
    ``unicode-bidi: isolate``), while Pango honours the isolate characters; without this an
    address line such as "1 Market St" would print as "Market St 1" on an Arabic slip.

    >>> isolates_for_print('<p><bdi dir="ltr">A-1</bdi> <bdi>1 Main St</bdi></p>')
    '<p>\u2066A-1\u2069 \u20681 Main St\u2069</p>'
    """
    return (
        html.replace(LTR_OPEN, "\u2066").replace(AUTO_OPEN, "\u2068").replace(LTR_CLOSE, "\u2069")
    )
