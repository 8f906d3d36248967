"""Reading feedback exports: find the format, read it, and keep every bad row's problem.

The formats, each read by its own module:

* **Amazon**'s feedback report, Feedback Manager's download or SP-API's
  GET_SELLER_FEEDBACK_DATA (amazon.py): tab-separated, 1 to 3 stars only;
* **eBay** feedback, GetFeedback's records as JSON or as a CSV of its fields (ebay.py);
* **Etsy**'s "Download Your Reviews" JSON (etsy.py);
* **our own CSV**, ``date,rating,comment,order_id`` (owncsv.py).

The encoding is found by decoding, never from the file name: UTF-8 (with or without a byte
order mark), UTF-16 (with a byte order mark, or without one when every other byte is zero
as in ASCII text), Shift_JIS (Windows code page 932, as Amazon Japan writes it), else
Windows-1252 (a file re-saved by Excel on Windows).  A row that cannot be read is skipped
and reported with its line number; every other row is kept.  A file whose quoting is broken
is refused as a whole (tabular.py).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..exceptions import InputError, InputFileError
from ..loading import unreadable
from ..marketplaces import MARKETPLACES, get_marketplace
from . import jsondoc
from .amazon import AMAZON_COLUMNS, is_amazon_header, read_amazon
from .ebay import is_ebay_header, is_ebay_record, read_ebay_json, read_ebay_rows
from .etsy import is_etsy_record, read_etsy_json
from .models import FeedbackEntry, FeedbackFile, RowProblem, Source
from .owncsv import CSV_COLUMNS, is_own_csv, read_own_csv
from .parsed import Parsed
from .tabular import MAX_FIELD, is_tab_separated, read_rows

__all__ = ["AMAZON_COLUMNS", "CSV_COLUMNS", "MAX_FIELD", "parse_feedback", "read_feedback"]

_KANA = re.compile("[\u3040-\u30ff]")


def read_feedback(source: str | Path, *, marketplace: str | None = None) -> FeedbackFile:
    """Read a feedback export; bad rows are skipped and listed in ``problems``.

    ``marketplace`` (``amazon.co.uk`` …) fixes how Amazon dates are read; without it the
    order is found from the raters' relay addresses, else the dates themselves, and where
    they fit more than one, amazon.com's m/d/y is used.  For the other formats it names
    where the feedback was left, which decides the channel whose rules remedies follow.
    Raises :class:`~sellercomms.InputFileError` when the file cannot be read at all,
    :class:`~sellercomms.InputError` for an unknown ``marketplace``.
    """
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise unreadable(exc, path) from None
    return parse_feedback(data, marketplace=marketplace, filename=str(path))


def parse_feedback(
    data: bytes, *, marketplace: str | None = None, filename: str | None = None
) -> FeedbackFile:
    """Read a feedback export given as bytes (see :func:`read_feedback`)."""
    name = filename or "<feedback>"
    if marketplace is not None and marketplace not in MARKETPLACES:
        raise InputError(f"{marketplace!r} is not a known marketplace", path="marketplace")
    text, encoding = _decode(data, name, japanese=marketplace == "amazon.co.jp")
    parsed, rows = _parse(text, name, marketplace, encoding)
    return _file(parsed, rows, filename, encoding, marketplace)


def _parse(text: str, name: str, marketplace: str | None, encoding: str) -> tuple[Parsed, int]:
    if text.lstrip("\ufeff \t\r\n")[:1] in ("[", "{"):
        return _parse_json(text, name)
    delimiter = "\t" if is_tab_separated(text) else ","
    rows = read_rows(text, name, delimiter=delimiter)
    if not rows:
        raise InputFileError("is empty: no header row", filename=name)
    header = rows[0][1]
    if is_own_csv(header):
        parsed = read_own_csv(rows, name, delimiter=delimiter)
    elif is_ebay_header(header):
        parsed = read_ebay_rows(rows, name, delimiter=delimiter)
    elif delimiter == "\t" or is_amazon_header(header):
        parsed = read_amazon(
            rows, name, delimiter=delimiter, marketplace=marketplace, encoding=encoding
        )
    else:
        parsed = read_own_csv(rows, name, delimiter=delimiter)
    return parsed, len(rows) - 1


def _parse_json(text: str, name: str) -> tuple[Parsed, int]:
    document = jsondoc.load(text.lstrip("\ufeff"), name)
    sample = next(
        iter(
            jsondoc.records(
                document.get("GetFeedbackResponse", document)
                if isinstance(document, dict)
                else document,
                ("FeedbackDetailArray", "FeedbackDetail"),
                ("FeedbackDetailArray",),
                ("results",),
                ("reviews",),
                (),
            )
        ),
        None,
    )
    if sample is not None and is_ebay_record(sample):
        parsed = read_ebay_json(document, name)
    elif sample is not None and is_etsy_record(sample):
        parsed = read_etsy_json(document, name)
    elif isinstance(document, dict) and jsondoc.field(
        document, "GetFeedbackResponse", "FeedbackSummary"
    ):
        parsed = read_ebay_json(document, name)
    else:
        raise InputFileError(
            "a JSON file, but neither eBay feedback (records with CommentType) nor Etsy "
            "reviews (records with rating)",
            filename=name,
        )
    return parsed, len(parsed.rows) + sum(parsed.skipped.values())


def _file(
    parsed: Parsed, rows: int, filename: str | None, encoding: str, marketplace: str | None
) -> FeedbackFile:
    entries: list[FeedbackEntry] = []
    problems: list[RowProblem] = []
    first_line: dict[str, int] = {}
    for line, read in parsed.rows:
        if not isinstance(read, FeedbackEntry):
            problems.append(RowProblem(line=line, field=read.field, message=read.message))
            continue
        if read.order_id is not None:
            earlier = first_line.setdefault(read.order_id, line)
            if earlier != line:
                problems.append(
                    RowProblem(
                        line=line,
                        field=parsed.order_label,
                        message=f"order {read.order_id} has feedback on line {earlier} "
                        "already; one feedback per order",
                    )
                )
                continue
        entries.append(read)
    channel = parsed.channel
    if channel is None:
        home = marketplace or ("etsy" if parsed.format == "etsy" else "own")
        channel = get_marketplace(home).default_channel
    source = Source(
        file=filename,
        format=parsed.format,
        layout=parsed.layout,
        encoding=encoding,
        marketplace=marketplace,
        channel=channel,
        date_order=parsed.date_order,
        date_order_from=parsed.date_order_from,
        rows=rows,
        ignored_columns=parsed.ignored,
        columns_by_position=parsed.by_position,
        holds=parsed.holds,
        percent_of=parsed.percent_of,
        stars=parsed.stars,
    )
    return FeedbackFile(
        source=source,
        entries=entries,
        problems=problems,
        totals=parsed.totals,
        detailed_ratings=parsed.detailed_ratings,
        skipped=parsed.skipped,
    )


def _decode(data: bytes, name: str, *, japanese: bool) -> tuple[str, str]:
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            return _strict(data, encoding, name), encoding
    unmarked = _unmarked_utf16(data)
    if unmarked is not None:
        return _strict(data, unmarked, name), unmarked
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text: str | None = data.decode("cp932")
    except UnicodeDecodeError:
        text = None
    # Accented Latin text saved as Windows-1252 often decodes as code page 932 too, into
    # half-width katakana and stray kanji; Japanese text has hiragana or katakana.
    if text is not None and (japanese or _KANA.search(text)):
        return text, "cp932"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise InputFileError(
            "cannot tell the encoding: not UTF-8, Shift_JIS or Windows-1252 text", filename=name
        ) from None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputFileError(f"not valid {encoding} text: {exc.reason}", filename=name) from None


def _unmarked_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte order mark: the header row is ASCII, so every other byte of it
    is zero; no text in the other encodings has zero bytes."""
    head = data[:200]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) == len(odd) and 0 not in even:
        return "utf-16-le"
    if even.count(0) == len(even) and 0 not in odd:
        return "utf-16-be"
    return None
