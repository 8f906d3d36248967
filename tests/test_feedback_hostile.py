"""Hostile feedback exports: whatever the bytes, a report or an input error, nothing else."""

from __future__ import annotations

import codecs
import csv
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sellercomms import InputError
from sellercomms.feedback import feedback_report, parse_feedback

AMAZON_HEADER = [
    "Date",
    "Rating",
    "Comments",
    "Your Response",
    "Arrived on Time",
    "Item as Described",
    "Customer Service",
    "Order ID",
    "Rater Email",
]
CSV_HEADER = ["date", "rating", "comment", "order_id"]

# Text a buyer, a spreadsheet or a damaged download may put in a field.
NASTY = st.sampled_from(
    ["\x00", "\r", "\n", "\r\n", '"', '""', ",", "\t", "\ufeff", "\u2028", "\x85", "\ud7ff", "…"]
)
FIELD = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(NASTY, st.text(max_size=5)), max_size=12).map("".join),
    st.sampled_from(["11/24/2025", "24.11.2025", "2025-11-24", "2025/11/24", "1", "3", "5"]),
    st.sampled_from(["Yes", "No", "はい", "いいえ", "-", ""]),
    # Fields around csv's default limit (131,072) and past ours.
    st.sampled_from([130_000, 140_000, 1_000_001]).map(lambda n: "x" * n),
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "cp932"])


def encode(text: str, encoding: str) -> bytes:
    return codecs.encode(text, encoding, errors="replace")


@st.composite
def exports(draw: st.DrawFn) -> bytes:
    """A header of either format, rows of hostile fields, any line end, mixed encodings."""
    amazon = draw(st.booleans())
    header = AMAZON_HEADER if amazon else CSV_HEADER
    separator = "\t" if amazon else draw(st.sampled_from([",", "\t", ";"]))
    line_end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    rows = draw(
        st.lists(st.lists(FIELD, min_size=1, max_size=len(header) + 2), min_size=1, max_size=6)
    )
    lines = [separator.join(header)] + [separator.join(row) for row in rows]
    encoding = draw(ENCODINGS)
    data = draw(st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE]))
    for line in lines:
        # Now and then a line in another encoding, as when two exports are pasted together.
        data += encode(line + line_end, draw(st.one_of(st.just(encoding), ENCODINGS)))
    return data


def report_or_input_error(data: bytes, marketplace: str | None = None) -> None:
    limit = csv.field_size_limit()
    try:
        read = parse_feedback(data, filename="hostile.txt", marketplace=marketplace)
    except InputError as error:
        assert "\n" not in error.show()
        return
    finally:
        assert csv.field_size_limit() == limit
    report = feedback_report(read, as_of=date(2025, 12, 1))
    assert report.to_text()
    assert report.to_json()


@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    report_or_input_error(data)


@given(exports())
def test_hostile_fields(data: bytes) -> None:
    report_or_input_error(data)


@given(exports(), st.sampled_from(["amazon.co.jp", "amazon.de", "ebay.de"]))
def test_hostile_fields_with_a_marketplace(data: bytes, marketplace: str) -> None:
    report_or_input_error(data, marketplace)


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf\xef\xbb\xbfdate,rating\n2025-11-24,5\n",  # two byte order marks
        b"\xff\xfe" + "date,rating\r2025-11-24,5\r".encode("utf-16-le"),
        b"date,rating\x00\n2025-11-24,5\n",
        b'date,rating,comment\n2025-11-24,5,"' + b"x" * 2_000_000,
        b'date,rating,comment\n2025-11-24,5,"a\n' + b"x" * 200_000 + b'"\n',
        b"date\trating\r" + b"11/24/2025\t5\t" + b"\t" * 100_000 + b"\r",
    ],
)
def test_known_hostile_files(data: bytes) -> None:
    report_or_input_error(data)
