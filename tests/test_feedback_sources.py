"""Every source's export as sellers download it: Amazon per marketplace, eBay, Etsy.

The fixtures follow the formats' public descriptions; tests/resources/feedback/README.md
cites the source of each.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sellercomms import InputFileError, read_feedback
from sellercomms.feedback import parse_feedback
from sellercomms.feedback.triage import tag_causes

FEEDBACK = Path(__file__).parent / "resources" / "feedback"

MWS = (
    "Date\tRating\tComments\tYour Response\tArrived on Time\tItem as Described\t"
    "Customer Service\tOrder ID\tRater Email"
)


def test_sp_api_japan_shift_jis_year_first_two_digit_years() -> None:
    read = read_feedback(FEEDBACK / "amazon-sp-api-jp.tsv")
    assert read.problems == []
    source = read.source
    assert (source.layout, source.encoding, source.columns_by_position) == (
        "sp-api-6",
        "cp932",
        True,
    )
    assert (source.date_order, source.date_order_from) == ("ymd", "email")
    # 25/11/13 is 13 November 2025, not 25 November 2013.
    assert [e.date for e in read.entries] == [
        date(2025, 11, 27),
        date(2025, 11, 13),
        date(2025, 11, 3),
    ]
    # SP-API's Response column is the seller's response.
    assert read.entries[1].response == "ご迷惑をおかけしました"
    assert read.entries[0].rater_email == "x1@marketplace.amazon.co.jp"


def test_japanese_two_digit_years_without_other_evidence_are_found_from_the_dates() -> None:
    data = f"{MWS}\n25/11/13\t1\tlate\t\t\t\t\t1\t\n25/12/01\t2\t\t\t\t\t\t2\t\n".encode()
    read = parse_feedback(data)
    assert (read.source.date_order, read.source.date_order_from) == ("ymd", "dates")
    assert [e.date for e in read.entries] == [date(2025, 11, 13), date(2025, 12, 1)]


def test_dates_that_read_two_ways_are_refused_rather_than_guessed() -> None:
    data = f"{MWS}\n25/11/13\t1\tlate\t\t\t\t\t1\t\n".encode()
    with pytest.raises(InputFileError, match="read both as d/m/y and as y/m/d"):
        parse_feedback(data, filename="f.tsv")
    assert parse_feedback(data, marketplace="amazon.co.jp").entries[0].date == date(2025, 11, 13)
    assert parse_feedback(data, marketplace="amazon.co.uk").entries[0].date == date(2013, 11, 25)


def test_german_headers_windows_1252_and_dotted_two_digit_years() -> None:
    read = read_feedback(FEEDBACK / "amazon-de-mws.tsv")
    assert read.problems == []
    assert (read.source.encoding, read.source.layout, read.source.date_order) == (
        "cp1252",
        "mws-9",
        "dmy",
    )
    first = read.entries[0]
    assert (first.date, first.arrived_on_time, first.item_as_described) == (
        date(2025, 11, 27),
        False,
        True,
    )
    assert read.entries[1].customer_service is False


def test_canadian_dates_are_day_first_from_the_relay_addresses() -> None:
    read = read_feedback(FEEDBACK / "amazon-ca.tsv")
    assert (read.source.date_order, read.source.date_order_from) == ("dmy", "email")
    assert [e.date for e in read.entries] == [date(2025, 12, 1), date(2025, 11, 3)]


def test_uk_file_with_every_day_twelve_or_below_is_settled_by_the_relay_address() -> None:
    rows = [
        "01/12/2025\t2\tlate\t\tNo\t\t\t1\ta@marketplace.amazon.co.uk",
        "03/11/2025\t3\t\t\t\t\t\t2\tb@marketplace.amazon.co.uk",
    ]
    read = parse_feedback("\n".join([MWS, *rows]).encode())
    assert (read.source.date_order, read.source.date_order_from) == ("dmy", "email")
    assert read.entries[0].date == date(2025, 12, 1)


def test_a_date_against_the_relay_addresses_marketplace_is_reported_not_misread() -> None:
    rows = ["11/28/2025\t1\tlate\t\t\t\t\t1\ta@marketplace.amazon.co.uk"]
    read = parse_feedback("\n".join([MWS, *rows]).encode())
    assert [str(p) for p in read.problems] == ["line 2: Date: '11/28/2025' is not a date (d/m/y)"]


def test_ten_columns_utf16_and_italian_yes() -> None:
    read = read_feedback(FEEDBACK / "amazon-it-10.tsv")
    assert read.problems == []
    assert (read.source.layout, read.source.encoding, read.source.ignored_columns) == (
        "mws-10",
        "utf-16",
        ["Ruolo del valutatore"],
    )
    assert (read.entries[0].arrived_on_time, read.entries[0].item_as_described) == (False, True)


def test_utf16_without_a_byte_order_mark() -> None:
    text = f"{MWS}\n24.11.25\t1\tKarton beschädigt\t\tNein\t\t\t1\t\n"
    read = parse_feedback(text.encode("utf-16-le"))
    assert (read.source.encoding, read.entries[0].comment) == ("utf-16-le", "Karton beschädigt")


def test_swedish_iso_dates() -> None:
    rows = ["2025-11-24\t2\tsen leverans\t\tNej\tJa\t\t1\ta@marketplace.amazon.se"]
    read = parse_feedback("\n".join([MWS, *rows]).encode())
    assert read.entries[0].date == date(2025, 11, 24)
    assert (read.entries[0].arrived_on_time, read.entries[0].item_as_described) == (False, True)


@pytest.mark.parametrize(
    ("yes", "no"),
    [
        ("Ja", "Nej"),  # Swedish
        ("Sì", "No"),  # Italian
        ("Ja", "Nee"),  # Dutch
        ("Tak", "Nie"),  # Polish
        ("Evet", "Hayır"),  # Turkish
        ("Sim", "Não"),  # Portuguese
        ("Sí", "No"),  # Spanish
        ("Oui", "Non"),  # French
    ],
)
def test_yes_and_no_in_every_marketplace_language(yes: str, no: str) -> None:
    row = f"24/11/2025\t1\tlate\t\t{no}\t{yes}\t{no.upper()}\t1\t"
    entry = parse_feedback(f"{MWS}\n{row}\n".encode()).entries[0]
    assert (entry.arrived_on_time, entry.item_as_described, entry.customer_service) == (
        False,
        True,
        False,
    )


def test_a_header_in_an_unknown_language_of_another_width_is_refused_clearly() -> None:
    data = "Datum\tBewertung\tKommentare\n24.11.25\t1\tspät\n".encode()
    with pytest.raises(InputFileError) as caught:
        parse_feedback(data, filename="f.tsv")
    message = str(caught.value)
    assert "not one of the layouts of Amazon's feedback report" in message
    assert "our CSV" not in message


def test_a_bad_row_in_a_german_file_names_the_column_as_written() -> None:
    header = "\t".join(["Datum", "Bewertung", *(f"Spalte {n}" for n in range(3, 10))])
    read = parse_feedback(
        f"{header}\n24.11.25\t1\t\t\t\t\t\t1\t\n24.11.25\t7\t\t\t\t\t\t2\t\n".encode()
    )
    assert [str(p) for p in read.problems] == [
        "line 3: Bewertung (Rating): '7' is not a rating from 1 to 5"
    ]


def test_root_causes_never_depend_on_the_language_of_the_headers() -> None:
    english = read_feedback(FEEDBACK / "amazon-ca.tsv").entries[0]
    german = read_feedback(FEEDBACK / "amazon-de-mws.tsv").entries[0]
    assert english.arrived_on_time is german.arrived_on_time is False
    for entry in (english, german):
        columns = [
            (tag.cause, str(e)) for tag in tag_causes(entry) for e in tag.evidence if e.column
        ]
        assert columns == [("shipping_speed", "Arrived on Time = No")]


def test_ebay_getfeedback_json() -> None:
    read = read_feedback(FEEDBACK / "ebay-getfeedback.json")
    source = read.source
    assert (source.format, source.channel, source.percent_of, source.stars) == (
        "ebay",
        "ebay",
        "rated",
        False,
    )
    assert [(e.kind, e.rating, e.order_id) for e in read.entries] == [
        ("negative", None, "110012345678-2001"),
        ("neutral", None, "110012345679-2002"),
        ("positive", None, "110012345680-2003"),
    ]
    assert read.entries[0].date == date(2025, 11, 28)
    # The bad record is reported on the line it starts on.
    assert [str(p) for p in read.problems] == [
        "line 61: CommentType: 'Great' is not Positive, Neutral or Negative"
    ]
    assert read.skipped == {"left for you as a buyer": 1, "withdrawn": 1}
    assert read.totals is not None
    assert read.totals.periods["last_365_days"].model_dump() == {
        "positive": 1410,
        "neutral": 20,
        "negative": 15,
    }
    assert [(r.name, str(r.average)) for r in read.detailed_ratings] == [
        ("ItemAsDescribed", "4.9"),
        ("ShippingTime", "4.7"),
    ]


def test_ebay_csv_of_getfeedback_fields() -> None:
    read = read_feedback(FEEDBACK / "ebay-feedback.csv")
    assert (read.source.format, read.source.layout) == ("ebay", "csv")
    assert read.entries[0].comment == "Arrived broken, badly packed"
    assert [str(p) for p in read.problems] == [
        "line 5: CommentTime: 'yesterday' is not a date and time (ISO 8601)"
    ]


def test_etsy_reviews_json() -> None:
    read = read_feedback(FEEDBACK / "etsy-reviews.json")
    assert (read.source.format, read.source.channel) == ("etsy", "etsy")
    assert [(e.rating, e.kind, e.date, e.order_id) for e in read.entries] == [
        (2, "negative", date(2025, 11, 28), "345678901"),
        (5, "positive", date(2025, 11, 27), "345678902"),
    ]
    assert [str(p) for p in read.problems] == ["line 22: rating: '6' is not a rating from 1 to 5"]


def test_etsy_download_names_and_iso_dates() -> None:
    data = b'[{"star_rating": 3, "message": "took ages", "date_reviewed": "2025-11-24"}]'
    entry = parse_feedback(data).entries[0]
    assert (entry.rating, entry.comment, entry.date) == (3, "took ages", date(2025, 11, 24))


def test_json_that_is_no_feedback_export_is_refused() -> None:
    with pytest.raises(InputFileError, match="neither eBay feedback"):
        parse_feedback(b'[{"stars": 5}]', filename="f.json")
    with pytest.raises(InputFileError, match="line 2: not valid JSON"):
        parse_feedback(b'[\n{"rating": 5,}]', filename="f.json")
