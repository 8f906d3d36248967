"""The figures of the sample US export, worked out by hand, and the rounding rules."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from sellercomms import FeedbackReport, feedback_report
from sellercomms.feedback.figures import tally, trend, weeks, windows
from sellercomms.feedback.models import FeedbackEntry, Targets

FEEDBACK = Path(__file__).parent / "resources" / "feedback"
AS_OF = date(2025, 12, 1)  # a Monday: ISO week 2025-W49 has just begun

# amazon-us.tsv, by date (rating):
#   2025-12-15 (5) after the as-of date: not counted
#   W49 12-01 (5)
#   W48 11-28 (1) 11-27 (5) 11-25 (4) 11-24 (3)
#   W47 11-20 (5) 11-18 (2) 11-17 (5)
#   W46 11-12 (5) 11-10 (5)
#   W45 11-05 (4) 11-03 (5)
#   W44 10-30 (5) 10-28 (1)
#   W42 10-15 (5)   W41 10-08 (5)   W40 10-01 (4)   W39 09-22 (5)
#   08-15 (2)   06-10 (5)   2024-11-30 (1)


@pytest.fixture(scope="module")
def report() -> FeedbackReport:
    # Amazon's export holds 1 to 3 stars only: the figures come from an export of every rating.
    return feedback_report(
        FEEDBACK / "amazon-us.tsv", as_of=AS_OF, totals=FEEDBACK / "us-every-rating.csv"
    )


def figures(period: object) -> tuple[object, ...]:
    names = ("count", "positive", "neutral", "negative", "rating_sum")
    names += ("positive_percent", "average", "meets_positive_target", "meets_average_target")
    return tuple(getattr(period, name) for name in names)


def test_rolling_windows(report: FeedbackReport) -> None:
    last_30, last_90, last_365, whole = report.windows
    # 30 days, 11-02 to 12-01: 12-01 … 11-03, twelve ratings 5 1 5 4 3 5 2 5 5 5 4 5:
    # positive 9, neutral 1, negative 2; sum 49.  9/12 = 75.0 %, 49/12 = 4.083 → 4.08.
    assert (last_30.start, last_30.end, last_30.days) == (date(2025, 11, 2), AS_OF, 30)
    assert figures(last_30) == (12, 9, 1, 2, 49, Decimal("75.0"), Decimal("4.08"), False, False)
    # 90 days from 09-03: six more (5 1 5 5 4 5): positive 14, neutral 1, negative 3, sum 74.
    # 14/18 = 77.78 % shown rounded down as 77.7; 74/18 = 4.111 → 4.11.
    assert last_90.start == date(2025, 9, 3)
    assert figures(last_90) == (18, 14, 1, 3, 74, Decimal("77.7"), Decimal("4.11"), False, False)
    # 365 days from 2024-12-02: 08-15 (2) and 06-10 (5) join; 2024-11-30 stays out.
    # 15/20 = 75.0 %, 81/20 = 4.05.
    assert last_365.start == date(2024, 12, 2)
    assert figures(last_365) == (
        20,
        15,
        1,
        4,
        81,
        Decimal("75.0"),
        Decimal("4.05"),
        False,
        False,
    )
    # The whole file up to the as-of date: 21 feedback, 15/21 = 71.43 → 71.4, 82/21 = 3.905.
    assert (whole.key, whole.days, whole.start) == ("all", None, date(2024, 11, 30))
    assert figures(whole) == (21, 15, 1, 5, 82, Decimal("71.4"), Decimal("3.90"), False, False)
    assert report.after_as_of == 1


def test_weeks(report: FeedbackReport) -> None:
    assert len(report.weeks) == 13
    assert [w.week for w in report.weeks][:2] == ["2025-W37", "2025-W38"]
    by_week = {w.week: w for w in report.weeks}
    w49 = by_week["2025-W49"]
    assert (w49.start, w49.end, w49.partial) == (date(2025, 12, 1), date(2025, 12, 7), True)
    assert figures(w49) == (1, 1, 0, 0, 5, Decimal("100.0"), Decimal("5.00"), True, True)
    # W48: 1 5 4 3 → 2 positive of 4 = 50.0 %, 13/4 = 3.25.
    assert figures(by_week["2025-W48"]) == (
        4,
        2,
        1,
        1,
        13,
        Decimal("50.0"),
        Decimal("3.25"),
        False,
        False,
    )
    # W47: 5 2 5 → 2/3 = 66.67 % shown as 66.6, 12/3 = 4.00.
    assert by_week["2025-W47"].positive_percent == Decimal("66.6")
    # W45: 4 and 5 average exactly 4.5, which meets the target.
    assert (by_week["2025-W45"].average, by_week["2025-W45"].meets_average_target) == (
        Decimal("4.50"),
        True,
    )
    # W43 had no feedback: a gap, not a zero.
    assert figures(by_week["2025-W43"]) == (0, 0, 0, 0, 0, None, None, None, None)
    assert not any(w.partial for w in report.weeks[:-1])


def test_trend(report: FeedbackReport) -> None:
    t = report.trend
    # Last 4 complete weeks, W45–W48 (11-03 to 11-30): 11 feedback, 8 positive, sum 44:
    # 72.73 % → 72.7, average 4.00.  The 4 before, W41–W44 (10-06 to 11-02): 10-30 (5),
    # 10-28 (1), 10-15 (5), 10-08 (5): 3/4 = 75.0 %, 16/4 = 4.00.
    assert (t.recent.start, t.recent.end) == (date(2025, 11, 3), date(2025, 11, 30))
    assert (t.previous.start, t.previous.end) == (date(2025, 10, 6), date(2025, 11, 2))
    assert (t.recent.count, t.recent.positive, t.recent.rating_sum) == (11, 8, 44)
    assert (t.previous.count, t.previous.positive, t.previous.rating_sum) == (4, 3, 16)
    # 72.727 − 75 = −2.27 points → −2.3; 0 stars.
    assert (t.positive_change, t.average_change) == (Decimal("-2.3"), Decimal("0.00"))
    assert t.direction == "worse"


def entries(*ratings: int, day: date = AS_OF) -> list[FeedbackEntry]:
    return [FeedbackEntry(line=n, date=day, rating=r) for n, r in enumerate(ratings, start=2)]


def test_rounding_down_never_shows_a_pass_that_misses() -> None:
    # 2374 of 2500 positive is 94.96 %: shown as 94.9, and it misses 95 %.
    many = entries(*([5] * 2374 + [1] * 126))
    result = tally(many, Targets())
    assert (result["positive_percent"], result["meets_positive_target"]) == (
        Decimal("94.9"),
        False,
    )
    # Exactly 95 %: 19 of 20.
    assert tally(entries(*([5] * 19 + [1])), Targets())["meets_positive_target"] is True
    # An average of 4.4967 (1349/300) shows 4.49 and misses 4.5.
    near = entries(*([5] * 149 + [4] * 151))
    assert tally(near, Targets())["average"] == Decimal("4.49")
    assert tally(near, Targets())["meets_average_target"] is False


def test_targets_can_be_raised() -> None:
    report = feedback_report(
        FEEDBACK / "us-every-rating.csv", as_of=AS_OF, positive_target=98, average_target="4.8"
    )
    w46 = next(w for w in report.weeks if w.week == "2025-W46")
    assert (w46.meets_positive_target, w46.meets_average_target) == (True, True)
    w45 = next(w for w in report.weeks if w.week == "2025-W45")
    assert w45.meets_average_target is False  # 4.5 < 4.8
    assert report.targets.positive_percent == Decimal(98)


def test_no_feedback_at_all() -> None:
    assert weeks([], AS_OF, Targets(), limit=13) == []
    assert [w.count for w in windows([], AS_OF, Targets())] == [0, 0, 0, 0]
    assert trend([], AS_OF, Targets()).direction == "unknown"


def test_a_sunday_as_of_date_completes_its_week() -> None:
    sunday = date(2025, 11, 30)
    result = trend(
        entries(5, 5, day=sunday) + entries(1, day=sunday - timedelta(weeks=4)), sunday, Targets()
    )
    assert result.recent.end == sunday
    assert (result.recent.positive_percent, result.previous.positive_percent) == (
        Decimal("100.0"),
        Decimal("0.0"),
    )
    assert result.direction == "better"
    listed = weeks(entries(5, day=sunday), sunday, Targets(), limit=None)
    assert [w.partial for w in listed] == [False]


def test_weeks_start_at_the_first_feedback_or_the_limit() -> None:
    old = entries(5, day=date(2025, 1, 8))
    assert len(weeks(old, AS_OF, Targets(), limit=None)) == 48  # 2025-W02 … 2025-W49
    assert len(weeks(old, AS_OF, Targets(), limit=4)) == 4
