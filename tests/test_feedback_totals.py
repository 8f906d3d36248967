"""Negative-only exports: no percentage from 1 to 3 stars, figures from the seller's totals;
eBay's figures in eBay's terms.  Text, JSON and HTML are each read back."""

from __future__ import annotations

import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sellercomms import InputFileError, feedback_report
from sellercomms.cli import main
from sellercomms.feedback.report import NO_PERCENTAGE

FEEDBACK = Path(__file__).parent / "resources" / "feedback"
AS_OF = date(2025, 12, 1)


class Text(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.parts).split())


def test_a_negative_only_export_never_shows_a_percentage() -> None:
    report = feedback_report(FEEDBACK / "amazon-de-mws.tsv", as_of=AS_OF)
    assert report.source.holds == "negative_neutral"
    assert report.no_percentage_reason == NO_PERCENTAGE
    for figures in [*report.windows, *report.weeks, report.trend.recent]:
        assert figures.figures_from == "negative_only"
        assert (figures.positive_percent, figures.average, figures.count) == (None, None, None)
        assert figures.meets_positive_target is None
    assert (report.windows[0].negative, report.windows[0].neutral) == (2, 1)
    assert len(report.triage) == 3
    text = report.to_text()
    assert "0.0 %" not in text and "MISS" not in text
    assert text.count("holds only negative and neutral feedback") == 1
    document = json.loads(report.to_json())
    assert document["no_percentage_reason"] == NO_PERCENTAGE
    assert document["windows"][0]["positive_percent"] is None
    page = Text(report.to_html())
    assert "svg" not in page.tags
    assert page.plain.count("holds only negative and neutral feedback") == 1
    assert "0.0 %" not in page.plain and "missed" not in page.plain
    assert "Last 30 days 2 negative, 1 neutral" in page.plain


def test_totals_give_the_windows_in_amazons_terms() -> None:
    report = feedback_report(
        FEEDBACK / "amazon-de-mws.tsv", as_of=AS_OF, totals=FEEDBACK / "amazon-totals.toml"
    )
    assert report.no_percentage_reason is None
    thirty, ninety, year, lifetime = report.windows
    assert (thirty.figures_from, thirty.count, str(thirty.positive_percent)) == (
        "totals",
        50,
        "92.0",
    )
    assert (thirty.meets_positive_target, thirty.average, thirty.meets_average_target) == (
        False,
        None,
        None,
    )
    assert (str(ninety.positive_percent), str(year.positive_percent)) == ("94.9", "96.1")
    assert (lifetime.label, lifetime.count) == ("Lifetime", 5311)
    # Weeks stay negative and neutral only: counts are per rolling period.
    assert all(week.figures_from == "negative_only" for week in report.weeks)
    text = report.to_text()
    assert "Last 30 days   2025-11-02  2025-12-01     50    46    1    3    92.0 %  MISS" in text
    assert "Totals from" in text and "NO PERCENTAGE" not in text
    page = Text(report.to_html()).plain
    assert "Last 30 days 92.0 % positive ✗ missed" in page
    assert "average" not in page.split("Last 30 days")[1].split("Last 90 days")[0]


def test_totals_as_json_and_a_check_against_the_export(tmp_path: Path) -> None:
    totals = tmp_path / "totals.json"
    totals.write_text(
        json.dumps(
            {"as_of": "2025-11-30", "last_30_days": {"positive": 9, "neutral": 0, "negative": 1}}
        ),
        encoding="utf-8",
    )
    report = feedback_report(FEEDBACK / "amazon-de-mws.tsv", as_of=AS_OF, totals=totals)
    assert str(report.windows[0].positive_percent) == "90.0"
    assert report.windows[1].figures_from == "negative_only"
    assert "The totals are as of 2025-11-30, not 2025-12-01." in report.notes
    assert "The totals give no counts for: last 90 days, last 365 days, whole file." in (
        report.notes
    )
    assert any(
        "has 2 negative feedback in the last 30 days, the totals 1" in n for n in report.notes
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"last_30_days": {"positive": -1, "neutral": 0, "negative": 0}}',
            "last_30_days.positive",
        ),
        (
            '{"last_30_days": {"positive": 1, "neutral": 0}}',
            "last_30_days.negative: Field required",
        ),
        ('{"last_30_days": {"positive": 1, "neutral": 0, "negative": 0}, "week": {}}', "week: not"),
    ],
)
def test_bad_totals_name_the_field(tmp_path: Path, content: str, message: str) -> None:
    totals = tmp_path / "totals.json"
    totals.write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError, match=message):
        feedback_report(FEEDBACK / "amazon-de-mws.tsv", as_of=AS_OF, totals=totals)


def test_a_missing_totals_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "totals.toml"
    with pytest.raises(InputFileError, match="no such file") as caught:
        feedback_report(FEEDBACK / "amazon-de-mws.tsv", as_of=AS_OF, totals=missing)
    assert caught.value.filename == str(missing)


def test_a_negative_only_export_is_no_totals() -> None:
    with pytest.raises(InputFileError, match="holds only negative and neutral feedback too"):
        feedback_report(FEEDBACK / "amazon-de-mws.tsv", totals=FEEDBACK / "amazon-ca.tsv")


def test_ebay_figures_in_ebays_terms() -> None:
    report = feedback_report(FEEDBACK / "ebay-getfeedback.json", as_of=AS_OF)
    assert [w.key for w in report.windows] == [
        "last_30_days",
        "last_180_days",
        "last_365_days",
        "all",
    ]
    year = report.windows[2]
    # Positive of positive and negative over 12 months: 1410 / 1425, neutral left out.
    assert (year.figures_from, str(year.positive_percent), year.average) == ("totals", "98.9", None)
    assert [item.kind for item in report.triage] == ["negative", "neutral"]
    text = report.to_text()
    assert "of positive and negative" in text and "an average of" not in text
    assert "ItemAsDescribed" in text and "2025-11-28  negative  110012345678-2001" in text
    assert "1 feedback withdrawn is not counted." in report.notes
    page = Text(report.to_html()).plain
    assert "ItemAsDescribed FiftyTwoWeeks 4.9 1200" in page
    cards = page.split("Last 30 days")[1].split("Detailed seller ratings")[0]
    assert "positive" in cards and "average" not in cards.lower()
    document = json.loads(report.to_json())
    assert document["source"]["percent_of"] == "rated"
    assert document["triage"][0]["entry"]["rating"] is None


def test_etsy_figures_and_triage() -> None:
    report = feedback_report(FEEDBACK / "etsy-reviews.json", as_of=AS_OF)
    assert (str(report.windows[0].positive_percent), str(report.windows[0].average)) == (
        "50.0",
        "3.50",
    )
    assert report.triage[0].primary_cause == "packing"
    assert report.triage[0].resolution is not None


def test_cli_totals_option(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["feedback", "report", str(FEEDBACK / "amazon-sp-api-jp.tsv"), "--as-of", "2025-12-01"]
    assert main([*args, "--format", "json", "--totals", str(FEEDBACK / "amazon-totals.toml")]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert json.loads(out)["windows"][0]["positive_percent"] == "92.0"
    assert main([*args, "--totals", str(FEEDBACK / "missing.toml")]) == 2
    assert "missing.toml" in capsys.readouterr().err
