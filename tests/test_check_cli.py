"""``sellercomms check`` on the command line: output, exit status, and the built-in templates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sellercomms.cli import main

CASES = Path(__file__).parent / "resources" / "check" / "cases"


@pytest.fixture
def one_order(tmp_path: Path, order_dict: dict[str, Any]) -> Path:
    path = tmp_path / "order.json"
    path.write_text(json.dumps(order_dict), encoding="utf-8")
    return path


def check(*args: str) -> int:
    return main(["check", "--locale", "en_US", "--channel", "own", *args])


def test_the_built_in_templates_pass_strict(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["check", "--strict", "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    problems = [
        f"{f['severity']} {f['rule']} {f['file']}:{f['line']} {f['message']}"
        for f in document["findings"]
        if f["severity"] != "info"
    ]
    assert status == 0, "\n".join(problems)
    summary = document["summary"]
    assert summary["passed"] and summary["strict"]
    assert len(summary["templates"]) == 9 and len(summary["locales"]) == 8
    assert "ACME-2040" in summary["orders"]  # the largest sample decides the size rule


def test_clean_templates_exit_0(one_order: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = check("--templates", str(CASES), "--message", "clean", "--orders", str(one_order))
    assert status == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("; passed")


def test_warnings_fail_only_with_strict(
    one_order: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = ["--templates", str(CASES), "--message", "no_lang", "--orders", str(one_order)]
    assert check(*options) == 0
    assert check(*options, "--strict") == 1
    assert "(--strict: warnings fail too)" in capsys.readouterr().out


def test_errors_exit_1(one_order: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = check("--templates", str(CASES), "--message", "empty_link", "--orders", str(one_order))
    assert status == 1
    assert "error   hygiene.empty-link empty_link[en_US/own/ACME-1003]" in capsys.readouterr().out


def test_json_output(one_order: Path, capsys: pytest.CaptureFixture[str]) -> None:
    options = ["--templates", str(CASES), "--message", "empty_link", "--orders", str(one_order)]
    assert check(*options, "--format", "json") == 1
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "sellercomms.check/1"
    (finding,) = [f for f in document["findings"] if f["rule"] == "hygiene.empty-link"]
    assert finding["file"].endswith("cases/emails/empty_link.html")
    assert finding["line"] == 5
    assert document["summary"]["errors"] >= 1


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["--templates", "no-such-folder"], "does not exist"),
        (["--message", "no_such_message"], "no message 'no_such_message'"),
        (["--locale", "xx_YY"], "unknown locale 'xx_YY'"),
        (["--orders", "no-such-orders.json"], "does not exist"),
        (["--format", "xml"], "Invalid value for '--format'"),
    ],
)
def test_unusable_arguments_exit_2(
    options: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", *options]) == 2
    assert says in capsys.readouterr().err


def test_an_invalid_order_is_unusable_input(
    tmp_path: Path, order_dict: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    order_dict["items"][0]["quantity"] = 0
    path = tmp_path / "orders.json"
    path.write_text(json.dumps([order_dict]), encoding="utf-8")
    assert check("--orders", str(path), "--message", "review_request") == 2
    assert "items[0].quantity" in capsys.readouterr().err
