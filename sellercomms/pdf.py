"""Packing slips as PDF: chunks of orders rendered, and their pages joined into one file.

1. A chunk (a shard) of at most :data:`CHUNK_ORDERS` orders is rendered by a
   :class:`SlipPrinter`: each slip becomes its own WeasyPrint document (so "Page N of M"
   counts the pages of that slip), and the pages of the chunk are written as one PDF, so
   fonts are embedded once per chunk rather than once per slip.
2. :class:`PdfJoiner` appends each chunk's pages to the output as it arrives and forgets them,
   so neither the layout nor the PDF objects of a batch pile up in memory.  It copies each
   chunk's objects as qpdf (pikepdf) writes them, renumbered, rather than parsing them into
   Python objects: one process joins some thirty times the pages one core renders.

Which process renders which chunk, and in what order results are joined, is
:mod:`sellercomms.shards`.

The output is a tagged PDF: WeasyPrint tags each chunk (headings, paragraphs, tables, links,
images), and the joiner gathers the tags of every slip under one ``Part`` element that carries
the slip's language and title, so that a batch of English, German and Arabic slips reads
each in its own language.  The file also has a title, a document language and XMP metadata.

A failing order is reported and left out; the other slips are still produced.  WeasyPrint and
pikepdf are imported on first use.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from array import array
from collections.abc import Generator, Sequence
from contextlib import AbstractContextManager, nullcontext
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
    "LogRecord",
    "PdfJoiner",
    "ShardResult",
    "SlipBatch",
    "SlipFailure",
    "SlipPages",
    "SlipPrinter",
    "Target",
    "default_jobs",
    "isolates_for_print",
    "open_target",
]

logger = logging.getLogger("sellercomms.slips")

#: Orders per chunk.  A chunk's layout stays in memory until it is written (about 4 MB per
#: slip); smaller chunks would use less memory but embed the fonts more often, which costs
#: time and file size.
CHUNK_ORDERS: Final = 25
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


def open_target(target: Target) -> AbstractContextManager[IO[bytes]]:
    """``target`` as a file to write: a path is written atomically (``output.atomic_writer``)."""
    if isinstance(target, str | os.PathLike):
        return atomic_writer(Path(target))
    return nullcontext(target)


# --- rendering in one process ---------------------------------------------------------------


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


# --- joining PDFs ----------------------------------------------------------------------------

# A reference in an object as qpdf writes it (``unparse``): always after a space, and never
# inside a literal string, which qpdf writes with every parenthesis escaped, so matching the
# strings first skips them.  Names cannot hide one: qpdf writes a space in a name as ``#20``.
_REFERENCE: Final = re.compile(rb"\((?:[^\\()]|\\.)*\)|(?<= )(\d+) \d+ R", re.DOTALL)
# Cross-reference lines written at a time.
_XREF_BATCH: Final = 65536


class PdfJoiner:
    """Appends the pages of PDF files to one PDF written to ``out`` as they come.

    Each appended file is opened with qpdf (pikepdf) and each of its objects is written out
    as qpdf serialises it, with its references renumbered in that text; streams are copied
    as stored, still compressed.  Only the pages and the top of the structure tree are
    changed (through qpdf) before that.  The file is then dropped: only the page numbers,
    the object offsets (8 bytes each) and a few numbers per slip stay in memory.  Call
    :meth:`close` to finish the file (page tree, structure tree, catalog, metadata,
    cross-reference table).

    Tagged files keep their tags: the slips' elements go under one ``Part`` element per slip
    (with the slip's ``/Lang`` and title, from the :class:`SlipPages` passed to
    :meth:`append`), their structure keys are renumbered to stay unique in the joined file.
    The file is tagged when every appended file was.  What belongs to an appended file as a
    whole is left out: its catalog, page tree, outline, document information and metadata.
    Every other object is copied without asking what uses it: in a rendered chunk the pages
    and the tags use all but one or two small ones.

    >>> import io
    >>> out = io.BytesIO()
    >>> joiner = PdfJoiner(out, title="Empty")
    >>> joiner.pages
    0
    """

    _CATALOG, _PAGES, _INFO, _STRUCT_ROOT, _DOCUMENT, _PARENT_TREE, _METADATA = range(1, 8)

    def __init__(self, out: IO[bytes], *, title: str, author: str | None = None) -> None:
        self._out = out
        self._title = title
        self._author = author
        self._written = 0
        # What is kept of every object, page and slip until the end: in arrays of 8-byte
        # numbers, since a batch of 100,000 orders has some 30 million objects.
        self._offsets = array("Q", [0] * 8)  # object 0 is the free-list head
        self._page_ids = array("Q")
        self._part_ids = array("Q")
        # The parent tree, written at the end: structure keys and their objects.
        self._parent_keys = array("Q")
        self._parent_objects = array("Q")
        self._next_key = 0
        self._tagged = True
        self._languages: dict[str, None] = {}  # in order of first appearance
        self._digest = hashlib.sha256()
        self._created = datetime.now(UTC).replace(microsecond=0)
        self._emit(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    @property
    def pages(self) -> int:
        """Pages appended so far."""
        return len(self._page_ids)

    def append(self, pdf: bytes, slips: Sequence[SlipPages] = ()) -> int:
        """Append every page of ``pdf``; returns how many there were.

        ``slips`` says which pages belong to which slip; without it the file is one slip in
        the language of its catalog.
        """
        import pikepdf

        self._digest.update(pdf[:4096])
        # qpdf gives each page what it inherits from the page tree, which is not copied.
        with pikepdf.open(BytesIO(pdf), inherit_page_attributes=True) as source:
            return self._append(source, slips)

    def _append(self, source: Any, slips: Sequence[SlipPages]) -> int:
        import pikepdf

        catalog = source.Root
        pages = [page.obj for page in source.pages]
        # Old object number -> new.  The file's catalog and page tree stand for ours.
        numbers: dict[int, int] = {catalog.objgen[0]: self._CATALOG}
        left_out = _file_wide_objects(source)
        for page in pages:
            for node in _ancestors(page):
                numbers[node.objgen[0]] = self._PAGES
        if not slips:
            lang = str(catalog.get("/Lang", ""))
            title = source.trailer.Info.get("/Title") if "/Info" in source.trailer else None
            slips = [SlipPages(len(pages), lang, str(title or ""))]
        parts: list[tuple[int, SlipPages, list[int]]] = []
        keyed: list[tuple[int, int]] = []
        if "/StructTreeRoot" not in catalog:
            self._tagged = False
        else:
            parts, keyed = self._adopt_tags(source, pages, slips, numbers, left_out)
        for slip in slips:
            self._languages.setdefault(slip.lang)
        copied = []
        for obj in source.objects:
            number = obj.objgen[0]
            if number in numbers or number in left_out:
                continue
            if isinstance(obj, pikepdf.Stream) and obj.get("/Type") in ("/ObjStm", "/XRef"):
                continue  # how the file stored its objects, not one of them
            numbers[number] = self._new_id()
            copied.append(obj)

        # Each reference as it reads in the file and as it will read in ours.
        references = {b"%d" % old: b"%d 0 R" % new for old, new in numbers.items()}

        def renumbered(match: re.Match[bytes]) -> bytes:
            old = match[1]
            if old is None:  # a string, as it was
                return match[0]
            # What pointed at an object left out reads as null, as a dangling reference would.
            return references.get(old, b"null")

        for obj in copied:
            new = numbers[obj.objgen[0]]
            if isinstance(obj, pikepdf.Stream):
                data = obj.read_raw_bytes()  # as stored, filters and all
                # The length of what qpdf found, should the file's /Length have been wrong.
                info = pikepdf.Dictionary({**obj.stream_dict, "/Length": len(data)})
                head = _REFERENCE.sub(renumbered, info.unparse(resolved=True))
                self._write(new, head + b"\nstream\n" + data + b"\nendstream")
            else:
                self._write(new, _REFERENCE.sub(renumbered, obj.unparse(resolved=True)))
        self._page_ids.extend(numbers[page.objgen[0]] for page in pages)
        self._parent_keys.extend(key for key, _ in keyed)
        self._parent_objects.extend(numbers[old] for _, old in keyed)
        for part_id, slip, kids in parts:
            self._write_part(part_id, slip, [numbers[kid] for kid in kids])
        return len(pages)

    def _adopt_tags(
        self,
        source: Any,
        pages: list[Any],
        slips: Sequence[SlipPages],
        numbers: dict[int, int],
        left_out: set[int],
    ) -> tuple[list[tuple[int, SlipPages, list[int]]], list[tuple[int, int]]]:
        """Hang the file's tagged elements under one new ``Part`` per slip and shift its
        structure keys past those of the files before it; returns (part, slip, old numbers
        of its kids) per slip, and (key, old number) for the parent tree."""
        import pikepdf

        tree = source.Root.StructTreeRoot
        # The file's own root and top elements stand for ours.
        numbers[tree.objgen[0]] = self._STRUCT_ROOT
        top_kids: list[Any] = []
        for top in _as_list(tree.get("/K")):
            numbers[top.objgen[0]] = self._DOCUMENT
            top_kids.extend(_as_list(top.get("/K")))
        owners = [index for index, slip in enumerate(slips) for _ in range(slip.pages)]
        slip_of_page = dict(zip((page.objgen[0] for page in pages), owners, strict=True))
        parts: list[tuple[int, SlipPages, list[int]]] = []
        stand_ins = []
        for slip in slips:
            part_id = self._new_id()
            self._part_ids.append(part_id)
            # An empty object of the file that renumbers to the part, written after its kids.
            stand_in = source.make_indirect(pikepdf.Dictionary())
            numbers[stand_in.objgen[0]] = part_id
            stand_ins.append(stand_in)
            parts.append((part_id, slip, []))
        for kid in top_kids:
            page = kid.get("/Pg")
            index = slip_of_page.get(page.objgen[0], 0) if page is not None else 0
            kid.P = stand_ins[index]
            parts[index][2].append(kid.objgen[0])
        offset = self._next_key
        highest = -1
        keyed: list[tuple[int, int]] = []
        for key, value in _number_tree(tree.ParentTree, left_out):
            highest = max(highest, key)
            # A page's marked-content array is direct in the tree: it becomes an object.
            owner = value if value.is_indirect else source.make_indirect(value)
            keyed.append((key + offset, owner.objgen[0]))
        for page in pages:
            if "/StructParents" in page:
                page.StructParents = int(page.StructParents) + offset
            for annotation in page.get("/Annots") or []:
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        self._next_key = offset + highest + 1
        return parts, keyed

    def _write_part(self, number: int, slip: SlipPages, kids: list[int]) -> None:
        refs = " ".join(f"{kid} 0 R" for kid in kids)
        self._write(
            number,
            f"<< /Type /StructElem /S /Part /P {self._DOCUMENT} 0 R /K [{refs}]".encode()
            + (b" /Lang " + _pdf_text(slip.lang) if slip.lang else b"")
            + (b" /T " + _pdf_text(slip.title) if slip.title else b"")
            + b" >>",
        )

    def close(self) -> None:
        """Write the page and structure trees, catalog, metadata and cross-references."""
        kids = " ".join(f"{n} 0 R" for n in self._page_ids)
        self._write(
            self._PAGES, f"<< /Type /Pages /Count {len(self._page_ids)} /Kids [{kids}] >>".encode()
        )
        tagged = self._tagged and bool(self._part_ids)
        self._write_structure() if tagged else self._write_nulls()
        languages = [lang for lang in self._languages if lang]
        xmp = _xmp(self._title, self._author, languages, self._created)
        self._write(
            self._METADATA,
            f"<< /Type /Metadata /Subtype /XML /Length {len(xmp)} >>\nstream\n".encode()
            + xmp
            + b"\nendstream",
        )
        self._write(
            self._CATALOG,
            f"<< /Type /Catalog /Pages {self._PAGES} 0 R /Metadata {self._METADATA} 0 R".encode()
            # The reader shows the title rather than the file name.
            + b" /ViewerPreferences << /DisplayDocTitle true >>"
            + (b" /Lang " + _pdf_text(languages[0]) if languages else b"")
            + (
                f" /MarkInfo << /Marked true >> /StructTreeRoot {self._STRUCT_ROOT} 0 R".encode()
                if tagged
                else b""
            )
            + b" >>",
        )
        stamp = self._created.strftime("D:%Y%m%d%H%M%SZ")
        self._write(
            self._INFO,
            b"<< /Title "
            + _pdf_text(self._title)
            + (b" /Author " + _pdf_text(self._author) if self._author else b"")
            + b" /Producer "
            + _pdf_text(_PRODUCER)
            + f" /CreationDate ({stamp}) >>".encode(),
        )
        xref = self._written
        self._emit(f"xref\n0 {len(self._offsets)}\n0000000000 65535 f \n".encode())
        for start in range(1, len(self._offsets), _XREF_BATCH):
            batch = self._offsets[start : start + _XREF_BATCH]
            self._emit(b"".join(b"%010d 00000 n \n" % offset for offset in batch))
        file_id = self._digest.hexdigest()[:32]
        self._emit(
            f"trailer\n<< /Size {len(self._offsets)} /Root {self._CATALOG} 0 R "
            f"/Info {self._INFO} 0 R /ID [<{file_id}> <{file_id}>] >>\n"
            f"startxref\n{xref}\n%%EOF\n".encode()
        )

    def _write_structure(self) -> None:
        parts = " ".join(f"{n} 0 R" for n in self._part_ids)
        document = f"<< /Type /StructElem /S /Document /P {self._STRUCT_ROOT} 0 R /K [{parts}] >>"
        self._write(self._DOCUMENT, document.encode())
        nums = " ".join(
            f"{key} {number} 0 R"
            for key, number in zip(self._parent_keys, self._parent_objects, strict=True)
        )
        self._write(self._PARENT_TREE, f"<< /Nums [{nums}] >>".encode())
        self._write(
            self._STRUCT_ROOT,
            f"<< /Type /StructTreeRoot /K [{self._DOCUMENT} 0 R] "
            f"/ParentTree {self._PARENT_TREE} 0 R /ParentTreeNextKey {self._next_key} >>".encode(),
        )

    def _write_nulls(self) -> None:
        # An untagged file has no structure tree; its reserved numbers stay valid objects.
        for number in (self._DOCUMENT, self._PARENT_TREE, self._STRUCT_ROOT):
            self._write(number, b"null")

    def _new_id(self) -> int:
        self._offsets.append(0)
        return len(self._offsets) - 1

    def _write(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._written
        self._emit(b"%d 0 obj\n%b\nendobj\n" % (number, body))

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self._written += len(data)


def _pdf_text(text: str) -> bytes:
    """``text`` as a PDF text string (PDFDocEncoding or UTF-16, escaped)."""
    import pikepdf

    encoded: bytes = pikepdf.String(text).unparse()
    return encoded


def _as_list(value: Any) -> list[Any]:
    """A structure element's ``/K`` as a list: it may be one kid, an array, or missing."""
    import pikepdf

    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def _number_tree(node: Any, nodes: set[int]) -> Generator[tuple[int, Any], None, None]:
    """The (key, value) pairs of a PDF number tree, leaves in order; the object numbers of
    its nodes are added to ``nodes``."""
    if node.is_indirect:
        nodes.add(node.objgen[0])
    nums = node.get("/Nums")
    if nums is not None:
        for index in range(0, len(nums) - 1, 2):
            yield int(nums[index]), nums[index + 1]
    for kid in node.get("/Kids") or []:
        yield from _number_tree(kid, nodes)


def _file_wide_objects(source: Any) -> set[int]:
    """Object numbers of what belongs to the file as a whole: the document information,
    metadata and outline (bookmarks that point into this file's pages only)."""
    found: set[int] = set()
    wide = [source.trailer.get("/Info"), source.Root.get("/Metadata")]
    outline = source.Root.get("/Outlines")
    while outline is not None or wide:
        item = outline if outline is not None else wide.pop()
        outline = None
        if item is None or not item.is_indirect or item.objgen[0] in found:
            continue
        found.add(item.objgen[0])
        # An outline item's children and next sibling: the whole outline, without recursion.
        wide.extend(item.get(key) for key in ("/First", "/Next") if key in item)
    return found


def _ancestors(page: Any) -> Generator[Any, None, None]:
    """The page-tree nodes above ``page``, nearest first."""
    node = page.get("/Parent")
    while node is not None:
        yield node
        node = node.get("/Parent")


def _xmp(title: str, author: str | None, languages: list[str], created: datetime) -> bytes:
    """XMP metadata that agrees with the document information: title, author, languages."""
    from xml.sax.saxutils import escape

    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    creator = (
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        if author
        else ""
    )
    language = (
        "<dc:language><rdf:Bag>"
        + "".join(f"<rdf:li>{escape(lang)}</rdf:li>" for lang in languages)
        + "</rdf:Bag></dc:language>"
        if languages
        else ""
    )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        "<dc:format>application/pdf</dc:format>"
        '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">'
        f"{escape(title)}</rdf:li></rdf:Alt></dc:title>"
        f"{creator}{language}"
        f"<pdf:Producer>{escape(_PRODUCER)}</pdf:Producer>"
        f"<xmp:CreateDate>{stamp}</xmp:CreateDate>"
        f"<xmp:CreatorTool>{escape(_PRODUCER)}</xmp:CreatorTool>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


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
