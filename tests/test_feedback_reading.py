"""Reading feedback exports: encodings, date formats, headers, and bad rows by line."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from sellercomms import InputError, InputFileError, read_feedback
from sellercomms.feedback import parse_feedback
from sellercomms.feedback.dates import detect_date_order, parse_date
from sellercomms.feedback.reading import MAX_FIELD

FEEDBACK = Path(__file__).parent / "resources" / "feedback"

HEADER = (
    "Date\tRating\tComments\tYour Response\tArrived on Time\tItem as Described\t"
    "Customer Service\tOrder ID\tRater Email"
)


def amazon(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode("utf-8")


def test_us_export() -> None:
    read = read_feedback(FEEDBACK / "amazon-us.tsv")
    assert read.problems == []
    assert (read.source.format, read.source.encoding, read.source.channel) == (
        "amazon",
        "utf-8",
        "amazon",
    )
    assert (read.source.date_order, read.source.date_order_from) == ("mdy", "email")
    assert read.source.rows == len(read.entries) == 22
    first = read.entries[0]
    assert first.line == 2
    assert first.date == date(2025, 12, 1)
    assert (first.rating, first.comment, first.order_id) == (
        5,
        "Great, fast shipping",
        "111-0000001-0000001",
    )
    assert (first.arrived_on_time, first.item_as_described, first.customer_service) == (
        True,
        True,
        True,
    )
    late = read.entries[1]
    assert (late.arrived_on_time, late.item_as_described, late.customer_service) == (
        False,
        True,
        None,
    )
    assert read.entries[6].response == "Sorry! We sent a replacement."
    assert read.entries[-2].date == date(2024, 11, 30)


def test_japanese_export_is_shift_jis_with_year_first_dates() -> None:
    raw = (FEEDBACK / "amazon-jp.tsv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    read = read_feedback(FEEDBACK / "amazon-jp.tsv")
    assert read.problems == []
    assert read.source.encoding == "cp932"
    assert read.source.date_order == "ymd"
    assert [e.date for e in read.entries][:2] == [date(2025, 12, 1), date(2025, 11, 27)]
    assert read.entries[1].comment == "商品が届かない。問い合わせても返信がない"
    # はい / いいえ are the Japanese yes and no.
    assert (read.entries[1].arrived_on_time, read.entries[1].customer_service) == (False, False)
    assert read.entries[0].item_as_described is True


def test_uk_dates_are_found_from_a_day_above_twelve() -> None:
    read = read_feedback(FEEDBACK / "amazon-uk.tsv")
    assert (read.source.date_order, read.source.date_order_from) == ("dmy", "dates")
    assert [e.date for e in read.entries] == [
        date(2025, 12, 1),
        date(2025, 11, 28),
        date(2025, 11, 3),
        date(2025, 10, 15),
    ]


def test_german_export_with_byte_order_mark_and_dotted_dates() -> None:
    read = read_feedback(FEEDBACK / "amazon-de.tsv")
    assert read.source.encoding == "utf-8-sig"
    assert read.source.date_order == "dmy"
    assert read.entries[1].date == date(2025, 11, 27)
    assert read.entries[0].arrived_on_time is True  # "Ja"
    assert read.entries[1].arrived_on_time is False  # "Nein"


def test_ambiguous_dates_default_to_amazon_com_unless_the_marketplace_is_named() -> None:
    data = amazon("01/12/2025\t5\t\t\t\t\t\t1\t", "03/11/2025\t4\t\t\t\t\t\t2\t")
    guessed = parse_feedback(data)
    assert (guessed.source.date_order, guessed.source.date_order_from) == ("mdy", "default")
    assert guessed.entries[0].date == date(2025, 1, 12)
    named = parse_feedback(data, marketplace="amazon.co.uk")
    assert (named.source.date_order, named.source.date_order_from) == ("dmy", "marketplace")
    assert named.entries[0].date == date(2025, 12, 1)


def test_a_named_marketplace_wins_over_the_dates() -> None:
    # 11/28 cannot be d/m/y: with amazon.co.uk named, the row is reported, not re-read.
    read = parse_feedback(amazon("11/28/2025\t5\t\t\t\t\t\t1\t"), marketplace="amazon.co.uk")
    assert [str(p) for p in read.problems] == ["line 2: Date: '11/28/2025' is not a date (d/m/y)"]


def test_unknown_or_non_amazon_marketplace_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not an Amazon marketplace"):
        parse_feedback(amazon(), marketplace="ebay.de")
    with pytest.raises(InputError, match="not a known marketplace"):
        parse_feedback(b"date,rating\n2025-11-01,5\n", marketplace="amazon.mars")


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("11/24/2025", "mdy", date(2025, 11, 24)),
        ("11/24/25", "mdy", date(2025, 11, 24)),
        ("24/11/2025", "dmy", date(2025, 11, 24)),
        ("24.11.2025", "dmy", date(2025, 11, 24)),
        ("2025/11/24", "ymd", date(2025, 11, 24)),
        ("2025-11-24", "mdy", date(2025, 11, 24)),  # a year written first is a year anywhere
        ("2025/11/24 09:15:00", "ymd", date(2025, 11, 24)),
        ("11/24/2025 9:15 PST", "mdy", date(2025, 11, 24)),
        ("2025-11-24", "iso", date(2025, 11, 24)),
    ],
)
def test_parse_date(text: str, order: str, expected: date) -> None:
    assert parse_date(text, order) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "order"),
    [("24/11/2025", "mdy"), ("2/30/2025", "mdy"), ("yesterday", "mdy"), ("11/24", "mdy")],
)
def test_parse_date_refuses(text: str, order: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(text, order)  # type: ignore[arg-type]


def test_detect_date_order() -> None:
    assert detect_date_order(["11/24/2025", "3/4/2025"]) == "mdy"
    assert detect_date_order(["24/11/2025", "3/4/2025"]) == "dmy"
    assert detect_date_order(["3.4.2025"]) == "dmy"
    assert detect_date_order(["2025/11/24"]) == "ymd"
    assert detect_date_order(["3/4/2025"]) is None
    # Evidence both ways: nothing can be decided.
    assert detect_date_order(["11/24/2025", "24/11/2025"]) is None
    # A date that fits no order is no evidence.
    assert detect_date_order(["13/45/2025", "11/24/2025"]) == "mdy"


def test_bad_rows_are_reported_by_line_and_skipped() -> None:
    read = read_feedback(FEEDBACK / "amazon-bad-rows.tsv")
    assert [str(problem) for problem in read.problems] == [
        "line 3: Rating: '7' is not a rating from 1 to 5",
        "line 4: Date: '13/45/2025' is not a date (m/d/y)",
        "line 5: Arrived on Time: 'Maybe' is not Yes or No",
        "line 6: row: has 11 columns, the header 9 (a tab or separator inside a comment?)",
        "line 7: Order ID: order 111-1000001-0000001 has feedback on line 2 already; "
        "one feedback per order",
        "line 8: Rating: is empty",
    ]
    # Line 9 is blank; the good rows keep their own lines.
    assert [(e.line, e.comment) for e in read.entries] == [(2, "Fine"), (10, "Slow delivery")]
    assert read.source.rows == 8


def test_own_csv_with_quotes_and_a_comment_over_two_lines() -> None:
    read = read_feedback(FEEDBACK / "own.csv")
    assert read.problems == []
    assert (read.source.format, read.source.date_order, read.source.channel) == (
        "csv",
        "iso",
        "own",
    )
    assert [e.line for e in read.entries] == [2, 3, 5, 6]
    assert read.entries[1].comment == (
        "The parcel took three weeks,\nand nobody answered my e-mails"
    )
    assert read.entries[2].comment == ""
    assert read.entries[3].comment == 'Mug arrived broken — "fragile" sticker or not'
    assert read.entries[3].arrived_on_time is None


def test_own_csv_marketplace_sets_the_channel() -> None:
    read = parse_feedback(b"date,rating\n2025-11-01,1\n", marketplace="ebay.de")
    assert read.source.channel == "ebay"


def test_own_csv_needs_iso_dates() -> None:
    read = parse_feedback(b"date,rating,comment,order_id\n11/01/2025,5,,A-1\n")
    assert [str(p) for p in read.problems] == [
        "line 2: date: '11/01/2025' is not a date (YYYY-MM-DD)"
    ]


def test_headers_in_any_case_and_extra_amazon_columns_ignored() -> None:
    data = b"date\tRATING\tcomments\tRater Role\n11/24/2025\t2\tlate\tbuyer\n"
    read = parse_feedback(data)
    assert read.source.ignored_columns == ["Rater Role"]
    assert read.entries[0].comment == "late"


def test_a_file_without_the_needed_columns_cannot_be_read() -> None:
    with pytest.raises(InputFileError, match="no Rating column"):
        parse_feedback(b"Date\tComments\n11/24/2025\tlate\n", filename="f.tsv")
    with pytest.raises(InputFileError, match="unknown column 'stars'"):
        parse_feedback(b"date,stars\n2025-11-24,5\n")
    with pytest.raises(InputFileError, match="no header row"):
        parse_feedback(b"\n\n")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file") as caught:
        read_feedback(tmp_path / "missing.tsv")
    assert caught.value.exit_code == 2


def test_windows_1252_and_utf16_files(tmp_path: Path) -> None:
    text = HEADER + "\n24.11.2025\t1\tKarton beschädigt, Straße nass\t\tNein\t\t\t1\t\n"
    for encoding, expected in (("cp1252", "cp1252"), ("utf-16", "utf-16")):
        path = tmp_path / f"{encoding}.tsv"
        path.write_bytes(text.encode(encoding))
        read = read_feedback(path)
        assert read.source.encoding == expected
        assert read.entries[0].comment == "Karton beschädigt, Straße nass"


def test_undecodable_bytes_cannot_be_read() -> None:
    # 0x81 is undefined in Windows-1252 and, alone at the end, invalid in Shift_JIS.
    with pytest.raises(InputFileError, match="cannot tell the encoding"):
        parse_feedback(b"date,rating\n2025-11-24,5\n\xff\x81")


def test_a_quoted_cell_in_a_tab_separated_file_is_unquoted() -> None:
    read = parse_feedback(amazon('11/24/2025\t1\t"He said ""fragile"""\t\t\t\t\t1\t'))
    assert read.entries[0].comment == 'He said "fragile"'


def test_a_comment_of_128_kb_is_read_and_the_csv_limit_put_back() -> None:
    comment = "The mug is lovely. " * 7000  # 133,000 characters, over csv's default limit
    limit = csv.field_size_limit()
    tsv = parse_feedback(amazon(f"11/24/2025\t5\t{comment}\t\t\t\t\t1\t"))
    own = parse_feedback(f'date,rating,comment\n2025-11-24,5,"{comment}"\n'.encode())
    assert tsv.entries[0].comment == own.entries[0].comment == comment.strip()
    assert csv.field_size_limit() == limit


def test_a_field_over_the_limit_names_the_file_and_line() -> None:
    huge = "x" * (MAX_FIELD + 1)
    with pytest.raises(InputFileError) as caught:
        parse_feedback(
            amazon("11/24/2025\t5\tok\t\t\t\t\t1\t", f"11/25/2025\t1\t{huge}"), filename="f.tsv"
        )
    assert str(caught.value) == (
        "f.tsv: line 3: a field is longer than 1,000,000 characters, the most one may hold"
    )
    # Exactly at the limit is fine.
    assert parse_feedback(amazon(f"11/24/2025\t5\t{huge[1:]}")).entries[0].comment == huge[1:]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Never closed: csv would read on to the end of the file.
        (
            'date,rating,comment\n2025-11-24,5,ok\n2025-11-23,1,"broken\n2025-11-22,2,late\n',
            "line 3: a quote opens a field here and is never closed",
        ),
        # Closed by the next quote, which has text after it.
        (
            'date,rating,comment\n2025-11-24,1,"broken\n2025-11-22,2,late\n2025-11-21,3,"so-so"\n',
            "line 2: a quoted field opens here and has text after its closing quote on line 4; "
            'a quote inside a quoted field is written twice ("")',
        ),
        # Closed cleanly by a quote for inches: the rows between would be one comment.
        (
            'comment,rating,date\n"broken,1,2025-11-24\nlate,2,2025-11-22\n'
            'fits a 10",3,2025-11-21\n',
            "line 2: a quoted field opens here and runs on over line 3, which reads as a row of "
            "its own; close the quote",
        ),
    ],
)
def test_a_quote_left_open_names_the_line_it_opens(text: str, message: str) -> None:
    with pytest.raises(InputFileError) as caught:
        parse_feedback(text.encode(), filename="own.csv")
    assert str(caught.value) == f"own.csv: {message}"
    assert caught.value.exit_code == 2


def test_a_comment_over_lines_that_do_not_read_as_rows_is_kept() -> None:
    text = (
        'date,rating,comment\n2025-11-24,2,"Late.\n2025-11-20 was the promised day,\n5 stars? no"\n'
    )
    read = parse_feedback(text.encode())
    assert read.entries[0].comment == "Late.\n2025-11-20 was the promised day,\n5 stars? no"


def test_old_mac_line_ends_and_a_tab_in_a_comment() -> None:
    read = parse_feedback(b"date,rating,comment\r2025-11-24,2,late\tand broken\r2025-11-25,5,\r")
    assert read.source.format == "csv"
    assert [(e.line, e.comment) for e in read.entries] == [(2, "late\tand broken"), (3, "")]
