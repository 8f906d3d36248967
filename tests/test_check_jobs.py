"""``sellercomms check`` on several cores: the same report as on one, finding for finding."""

from __future__ import annotations

import dataclasses
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from sellercomms import CheckReport, check_templates
from sellercomms.cli import main

CHECK = Path(__file__).parent / "resources" / "check"


def comparable(report: CheckReport) -> CheckReport:
    """``report`` without its run time, the one thing two runs may differ in."""
    return dataclasses.replace(report, summary=dataclasses.replace(report.summary, seconds=0.0))


@pytest.mark.parametrize(
    ("templates", "messages", "locales", "channels"),
    [
        (None, ["shipping_confirmation", "packing_slip"], ["en_US", "ar_SA"], ["own", "ebay"]),
        (CHECK / "cases", ["broken", "big", "http_link", "off_channel"], ["en_US"], ["own"]),
        (CHECK / "content_bad", ["review_request", "delivery_checkin"], ["de_DE"], ["own"]),
    ],
    ids=["built-ins", "broken templates", "failing content"],
)
def test_two_workers_report_exactly_what_one_process_does(
    templates: Path | None, messages: list[str] | None, locales: list[str], channels: list[str]
) -> None:
    narrowed: dict[str, Any] = {"messages": messages, "locales": locales, "channels": channels}
    one = check_templates(templates, **narrowed, jobs=1)
    two = check_templates(templates, **narrowed, jobs=2)
    assert one.findings, "the case finds nothing to compare"
    assert comparable(two) == comparable(one)
    assert comparable(two).to_text(strict=True) == comparable(one).to_text(strict=True)


def test_a_report_that_found_template_lines_keeps_them_on_two_workers() -> None:
    # Render failures are located in the worker (from the traceback), others in the caller.
    report = check_templates(
        CHECK / "cases", messages=["broken"], locales=["en_US"], channels=["own"], jobs=2
    )
    failed = [f for f in report.findings if f.rule == "render.failed"]
    assert failed
    assert all(f.file is not None and f.line is not None for f in failed)


def test_spawned_workers_report_what_forked_ones_do() -> None:
    # With another thread running, workers are spawned and build their checker again.
    narrowed: dict[str, Any] = {
        "messages": ["delivery_checkin"],
        "locales": ["it_IT"],
        "channels": ["own", "walmart"],
    }
    forked = check_templates(**narrowed, jobs=2)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        spawned = check_templates(**narrowed, jobs=2)
    finally:
        stop.set()
        other.join()
    assert comparable(spawned) == comparable(forked)


def test_jobs_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match="jobs must be 1 or more"):
        check_templates(locales=["en_US"], channels=["own"], messages=["review_request"], jobs=0)


def test_the_command_takes_jobs_and_prints_the_same_report(
    capsys: pytest.CaptureFixture[str],
) -> None:
    arguments = ["check", "--message", "review_request", "--locale", "fr_FR", "--channel", "etsy"]
    arguments += ["--format", "json"]
    statuses, reports = [], []
    for jobs in ("1", "2"):
        statuses.append(main([*arguments, "--jobs", jobs]))
        reports.append(_without_seconds(json.loads(capsys.readouterr().out)))
    assert statuses[0] == statuses[1]
    assert reports[0] == reports[1]
    assert main([*arguments, "--jobs", "0"]) == 2


def _without_seconds(report: dict[str, Any]) -> dict[str, Any]:
    return {**report, "summary": {**report["summary"], "seconds": None}}
