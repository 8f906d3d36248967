"""The packing-slip joiner as it was before it copied objects through qpdf: a baseline.

``bench/join.py`` measures :class:`sellercomms.pdf.PdfJoiner` against this one in the same
run.  It parses each appended file with pypdf, renumbers the parsed objects in place and
writes them again; its output is the same document (pages, tags, languages, metadata).
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Generator, Sequence
from datetime import UTC, datetime
from io import BytesIO
from typing import IO, Any

from sellercomms.exceptions import RenderError
from sellercomms.pdf import _PRODUCER, SlipPages, _xmp


class PypdfJoiner:
    """Appends the pages of PDF files to one PDF written to ``out`` as they come.

    Each appended file is parsed with pypdf, its pages and everything they use are written
    out with new object numbers, and the parsed file is dropped; only the page numbers, the
    object offsets and a few numbers per slip stay in memory, so joining ten thousand pages
    costs what joining ten does.  Call :meth:`close` to finish the file (page tree, structure
    tree, catalog, metadata, cross-reference table).

    Tagged files keep their tags: the slips' elements go under one ``Part`` element per slip
    (with the slip's ``/Lang`` and title, from the :class:`SlipPages` passed to
    :meth:`append`), their structure keys are renumbered to stay unique in the joined file.
    The file is tagged when every appended file was.

    """

    _CATALOG, _PAGES, _INFO, _STRUCT_ROOT, _DOCUMENT, _PARENT_TREE, _METADATA = range(1, 8)

    def __init__(self, out: IO[bytes], *, title: str, author: str | None = None) -> None:
        self._out = out
        self._title = title
        self._author = author
        self._written = 0
        self._offsets: list[int] = [0] * 8  # object 0 is the free-list head
        self._page_ids: list[int] = []
        self._part_ids: list[int] = []
        # (structure key, object number): the parent tree, written at the end.
        self._parent_tree: list[tuple[int, int]] = []
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
        from pypdf import PdfReader
        from pypdf.generic import IndirectObject, NameObject

        reader = PdfReader(BytesIO(pdf))
        self._digest.update(pdf[:4096])
        numbers: dict[int, int] = {}
        queue: deque[tuple[Any, int]] = deque()
        # Whatever points at the file's own page tree or catalog points at ours instead.
        root = reader.trailer.raw_get("/Root")
        catalog = root.get_object()
        numbers[root.idnum] = self._CATALOG
        numbers[catalog.raw_get("/Pages").idnum] = self._PAGES

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
        if not slips:
            lang = str(catalog.get("/Lang", ""))
            title = reader.metadata.title if reader.metadata is not None else None
            slips = [SlipPages(len(page_objects), lang, str(title or ""))]
        tree = catalog.get("/StructTreeRoot")
        parts: list[tuple[int, SlipPages, list[Any]]] = []
        if tree is None:
            self._tagged = False
        else:
            parts = self._adopt_tags(tree, catalog, reader.pages, slips, numbers, renumber)
        for slip in slips:
            self._languages.setdefault(slip.lang)
        for page, new in page_objects:
            page[NameObject("/Parent")] = IndirectObject(self._PAGES, 0, None)
            self._write_object(new, page, renumber, skip_parent=True)
            self._page_ids.append(new)
        while queue:
            old, new = queue.popleft()
            self._write_object(new, old.get_object(), renumber, skip_parent=False)
        for part_id, slip, kids in parts:
            self._write_part(part_id, slip, kids)
        return len(page_objects)

    def _adopt_tags(
        self,
        tree: Any,
        catalog: Any,
        pages: Any,
        slips: Sequence[SlipPages],
        numbers: dict[int, int],
        renumber: Callable[[Any], Any],
    ) -> list[tuple[int, SlipPages, list[Any]]]:
        """Hang the file's tagged elements under one new ``Part`` per slip and shift its
        structure keys past those of the files before it; returns (part, slip, kids)."""
        from pypdf.generic import IndirectObject, NameObject, NumberObject

        # The file's own root and top elements stand for ours.
        numbers[catalog.raw_get("/StructTreeRoot").idnum] = self._STRUCT_ROOT
        tops = _as_list(tree.get("/K"))
        top_kids: list[Any] = []
        for top in tops:
            numbers[top.idnum] = self._DOCUMENT
            top_kids.extend(_as_list(top.get_object().get("/K")))
        owners = [index for index, slip in enumerate(slips) for _ in range(slip.pages)]
        ids = [_reference_of(page).idnum for page in pages]
        slip_of_page = dict(zip(ids, owners, strict=True))
        parts: list[tuple[int, SlipPages, list[Any]]] = []
        for index, slip in enumerate(slips):
            part_id = self._new_id()
            # A stand-in number that renumbers to the part: the part is written after its kids.
            numbers[-1 - index] = part_id
            parts.append((part_id, slip, []))
            self._part_ids.append(part_id)
        for kid in top_kids:
            element = kid.get_object()
            page_ref = element.raw_get("/Pg") if "/Pg" in element else None
            index = slip_of_page.get(page_ref.idnum, 0) if page_ref is not None else 0
            element[NameObject("/P")] = IndirectObject(-1 - index, 0, None)
            parts[index][2].append(renumber(kid))
        offset = self._next_key
        highest = -1
        for key, value in _number_tree(tree["/ParentTree"].get_object()):
            highest = max(highest, key)
            if isinstance(value, IndirectObject):
                self._parent_tree.append((key + offset, renumber(value).idnum))
            else:
                # A page's marked-content array: written now, as an object of its own.
                new = self._new_id()
                self._write_object(new, value, renumber, skip_parent=False)
                self._parent_tree.append((key + offset, new))
        for page in pages:
            if "/StructParents" in page:
                page[NameObject("/StructParents")] = NumberObject(page["/StructParents"] + offset)
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    shifted = NumberObject(annotation["/StructParent"] + offset)
                    annotation[NameObject("/StructParent")] = shifted
        self._next_key = offset + highest + 1
        return parts

    def _write_part(self, number: int, slip: SlipPages, kids: list[Any]) -> None:
        refs = " ".join(f"{kid.idnum} 0 R" for kid in kids)
        self._start_object(number)
        self._emit(
            f"<< /Type /StructElem /S /Part /P {self._DOCUMENT} 0 R /K [{refs}]".encode()
            + (b" /Lang " + _pdf_text(slip.lang) if slip.lang else b"")
            + (b" /T " + _pdf_text(slip.title) if slip.title else b"")
            + b" >>"
        )
        self._end_object()

    def close(self) -> None:
        """Write the page and structure trees, catalog, metadata and cross-references."""
        kids = " ".join(f"{n} 0 R" for n in self._page_ids)
        self._start_object(self._PAGES)
        self._emit(f"<< /Type /Pages /Count {len(self._page_ids)} /Kids [{kids}] >>".encode())
        self._end_object()
        tagged = self._tagged and bool(self._part_ids)
        self._write_structure() if tagged else self._write_nulls()
        languages = [lang for lang in self._languages if lang]
        self._start_object(self._METADATA)
        xmp = _xmp(self._title, self._author, languages, self._created)
        self._emit(f"<< /Type /Metadata /Subtype /XML /Length {len(xmp)} >>\nstream\n".encode())
        self._emit(xmp + b"\nendstream")
        self._end_object()
        self._start_object(self._CATALOG)
        self._emit(
            f"<< /Type /Catalog /Pages {self._PAGES} 0 R /Metadata {self._METADATA} 0 R".encode()
            # The reader shows the title rather than the file name.
            + b" /ViewerPreferences << /DisplayDocTitle true >>"
            + (b" /Lang " + _pdf_text(languages[0]) if languages else b"")
            + (
                f" /MarkInfo << /Marked true >> /StructTreeRoot {self._STRUCT_ROOT} 0 R".encode()
                if tagged
                else b""
            )
            + b" >>"
        )
        self._end_object()
        self._start_object(self._INFO)
        stamp = self._created.strftime("D:%Y%m%d%H%M%SZ")
        self._emit(
            b"<< /Title "
            + _pdf_text(self._title)
            + (b" /Author " + _pdf_text(self._author) if self._author else b"")
            + b" /Producer "
            + _pdf_text(_PRODUCER)
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

    def _write_structure(self) -> None:
        parts = " ".join(f"{n} 0 R" for n in self._part_ids)
        self._start_object(self._DOCUMENT)
        self._emit(
            f"<< /Type /StructElem /S /Document /P {self._STRUCT_ROOT} 0 R /K [{parts}] >>".encode()
        )
        self._end_object()
        nums = " ".join(f"{key} {number} 0 R" for key, number in self._parent_tree)
        self._start_object(self._PARENT_TREE)
        self._emit(f"<< /Nums [{nums}] >>".encode())
        self._end_object()
        self._start_object(self._STRUCT_ROOT)
        self._emit(
            f"<< /Type /StructTreeRoot /K [{self._DOCUMENT} 0 R] "
            f"/ParentTree {self._PARENT_TREE} 0 R /ParentTreeNextKey {self._next_key} >>".encode()
        )
        self._end_object()

    def _write_nulls(self) -> None:
        # An untagged file has no structure tree; its reserved numbers stay valid objects.
        for number in (self._DOCUMENT, self._PARENT_TREE, self._STRUCT_ROOT):
            self._start_object(number)
            self._emit(b"null")
            self._end_object()

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


def _pdf_text(text: str) -> bytes:
    """``text`` as a PDF text string (PDFDocEncoding or UTF-16, escaped)."""
    from pypdf.generic import TextStringObject

    buffer = BytesIO()
    TextStringObject(text).write_to_stream(buffer)
    return buffer.getvalue()


def _as_list(value: Any) -> list[Any]:
    """A structure element's ``/K`` as a list: it may be one kid, an array, or missing."""
    from pypdf.generic import ArrayObject

    if value is None:
        return []
    return list(value) if isinstance(value, ArrayObject) else [value]


def _number_tree(node: Any) -> Generator[tuple[int, Any], None, None]:
    """The (key, raw value) pairs of a PDF number tree, leaves in order."""
    nums = node.get("/Nums")
    if nums is not None:
        for index in range(0, len(nums) - 1, 2):
            # Indexing an array gives its items as stored: references stay references.
            yield int(nums[index]), nums[index + 1]
    for kid in node.get("/Kids") or []:
        yield from _number_tree(kid.get_object())


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
