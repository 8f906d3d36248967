"""One PDF from many: the pages of each rendered chunk appended as they arrive.

:class:`PdfJoiner` appends each chunk's pages to the output and forgets them, so neither the
layout nor the PDF objects of a batch pile up in memory.  It copies each chunk's objects as
qpdf (pikepdf) writes them, renumbered, rather than parsing them into Python objects: one
process joins some thirty times the pages one core renders.

The output is a tagged PDF when its chunks are: the joiner gathers the tags of every slip
under one ``Part`` element that carries the slip's language and title, so that a batch of
English, German and Arabic slips reads each in its own language.  The file also has a title,
a document language and XMP metadata.  pikepdf is imported on first use.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Generator, Sequence
from datetime import UTC, datetime
from io import BytesIO
from typing import IO, Any, Final

from .results import SlipPages

__all__ = ["PRODUCER", "PdfJoiner"]

#: The producer named in the document information and metadata.
PRODUCER: Final = "sellercomms with WeasyPrint"

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
            + _pdf_text(PRODUCER)
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
        f"<pdf:Producer>{escape(PRODUCER)}</pdf:Producer>"
        f"<xmp:CreateDate>{stamp}</xmp:CreateDate>"
        f"<xmp:CreatorTool>{escape(PRODUCER)}</xmp:CreatorTool>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()
