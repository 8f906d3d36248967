"""``sellercomms feedback report``: outputs, bad rows on stderr, exit status, resolution data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sellercomms.cli import main
from sellercomms.samples import sample_seller_path

FEEDBACK = Path(__file__).parent / "resources" / "feedback"


def report(*args: str) -> int:
    return main(["feedback", "report", *args, "--as-of", "2025-12-01"])


def test_text_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert report(str(FEEDBACK / "amazon-us.tsv")) == 0
    out, err = capsys.readouterr()
    assert out.startswith("FEEDBACK REPORT as of Monday 2025-12-01\n")
    assert "TO INVESTIGATE: 5 negative, 1 neutral" in out
    assert err == ""


def test_bad_rows_one_stderr_line_each_and_the_report_still_made(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert report(str(FEEDBACK / "amazon-bad-rows.tsv"), "--format", "json") == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "line 3: Rating: '7' is not a rating from 1 to 5",
        "line 4: Date: '13/45/2025' is not a date (m/d/y)",
        "line 5: Arrived on Time: 'Maybe' is not Yes or No",
        "line 6: row: has 11 columns, the header 9 (a tab or separator inside a comment?)",
        "line 7: Order ID: order 111-1000001-0000001 has feedback on line 2 already; "
        "one feedback per order",
        "line 8: Rating: is empty",
    ]
    document = json.loads(out)
    # Amazon's report holds 1 to 3 stars: only the neutral and negative counts are known.
    assert (document["windows"][0]["count"], document["windows"][0]["neutral"]) == (None, 1)
    assert [p["line"] for p in document["problems"]] == [3, 4, 5, 6, 7, 8]


def test_unreadable_file_is_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert report(str(tmp_path / "missing.tsv")) == 2
    assert "missing.tsv: no such file" in capsys.readouterr().err
    headerless = tmp_path / "notes.txt"
    headerless.write_text("hello\tworld\n", encoding="utf-8")
    assert report(str(headerless)) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--marketplace", "ebay.de"], "not an Amazon marketplace"),
        (["--format", "pdf"], "Invalid value for '--format'"),
    ],
)
def test_unusable_arguments_are_status_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert report(str(FEEDBACK / "amazon-us.tsv"), *args) == 2
    assert message in capsys.readouterr().err


def test_bad_as_of_date(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["feedback", "report", str(FEEDBACK / "own.csv"), "--as-of", "1/12/2025"])
    assert code == 2
    assert "--as-of: '1/12/2025' is not a date (YYYY-MM-DD)" in capsys.readouterr().err


def test_html_written_atomically(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports" / "feedback.html"
    assert report(str(FEEDBACK / "amazon-jp.tsv"), "--format", "html", "--out", str(out)) == 0
    html = out.read_text(encoding="utf-8")
    assert "商品が届かない。問い合わせても返信がない" in html
    # 1 to 3 stars only: no chart of a percentage that cannot be known, and the reason once.
    assert "<svg" not in html and html.count("holds only negative and neutral feedback") == 1
    assert not list(out.parent.glob(".*.part"))
    assert capsys.readouterr().out == f"feedback report written to {out}\n"


def test_ambiguous_dates_warn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "uk.tsv"
    lines = (FEEDBACK / "amazon-uk.tsv").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], lines[3]]) + "\n", encoding="utf-8")  # 03/11/2025
    assert report(str(path)) == 0
    assert capsys.readouterr().err.startswith(
        "warning: The dates fit more than one format; they were read as m/d/y (amazon.com)."
    )
    assert report(str(path), "--marketplace", "amazon.co.uk", "--format", "json") == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert json.loads(captured.out)["weeks"][0]["week"] == "2025-W45"  # 3 November


def test_orders_and_resolution_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    orders = tmp_path / "orders.json"
    shutil.copy(FEEDBACK / "orders.json", orders)
    data = tmp_path / "resolutions"
    args = ["--orders", str(orders), "--data-dir", str(data), "--format", "json"]
    assert report(str(FEEDBACK / "own.csv"), *args) == 0
    out, err = capsys.readouterr()
    document = json.loads(out)
    assert err == f"2 resolution data files written to {data} (0 kept as they were)\n"
    gift = document["triage"][0]["resolution"]
    stub = data / "ACME-1003.resolution_gift_certificate.json"
    assert gift["data_file"] == str(stub)
    assert json.loads(stub.read_text(encoding="utf-8")) == gift["data"]
    assert sorted(p.name for p in data.iterdir()) == [
        "ACME-1003.resolution_gift_certificate.json",
        "ACME-1005.resolution_replacement.json",
    ]
    # The seller edits a file; running the report again keeps the edit.
    stub.write_text('{"code": "SORRY-10", "value": "10.00"}\n', encoding="utf-8")
    assert report(str(FEEDBACK / "own.csv"), *args) == 0
    assert "0 resolution data files written" in capsys.readouterr().err
    assert json.loads(stub.read_text(encoding="utf-8"))["value"] == "10.00"
    # The suggested command sends the e-mail for that one order.
    outbox = tmp_path / "outbox"
    command = gift["command"].split()
    assert command[:4] == ["sellercomms", "render", "email", "resolution_gift_certificate"]
    command[command.index("--out") + 1] = str(outbox)
    assert main([*command[1:], "--seller", str(sample_seller_path())]) == 0
    # Hidden files (the output folder's lock) are render's business, not the report's.
    assert sorted(p.name for p in outbox.iterdir() if not p.name.startswith(".")) == [
        "ACME-1003.eml",
        "ACME-1003.html",
        "ACME-1003.txt",
    ]


def test_bad_orders_are_reported_and_the_report_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orders = json.loads((FEEDBACK / "orders.json").read_text(encoding="utf-8"))
    orders[2]["currency"] = "EURO"
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(orders), encoding="utf-8")
    assert report(str(FEEDBACK / "own.csv"), "--orders", str(path)) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "order ACME-1003 (#3): currency: 'EURO' is not an ISO 4217 currency code"
    ]
    assert "TO INVESTIGATE: 2 negative" in out


def test_render_email_order_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data.json"
    data.write_text('{"amount": "5.00"}', encoding="utf-8")
    out = tmp_path / "out"
    base = ["render", "email", "resolution_refund", "--orders", str(FEEDBACK / "orders.json")]
    base += ["--seller", str(sample_seller_path()), "--data", str(data), "--out", str(out)]
    assert main([*base, "--order-id", "ACME-1003"]) == 0
    assert sorted(p.stem for p in out.glob("*.eml")) == ["ACME-1003"]
    capsys.readouterr()
    assert main([*base, "--order-id", "ACME-1003", "--order-id", "NOPE-1"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"order NOPE-1: --order-id: not in {FEEDBACK / 'orders.json'}"
    ]


def test_a_comment_of_128_kb_makes_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "Feedback.txt"
    lines = (FEEDBACK / "amazon-us.tsv").read_text(encoding="utf-8").splitlines()
    cells = lines[2].split("\t")
    cells[2] = "Arrived broken. " * 8200  # 131,200 characters
    export.write_text("\n".join([lines[0], lines[1], "\t".join(cells)]) + "\n", encoding="utf-8")
    assert report(str(export), "--format", "json") == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert json.loads(out)["windows"][-1]["negative"] == 1


def test_a_quote_left_open_is_status_2_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "own.csv"
    export.write_text(
        'date,rating,comment\n2025-11-24,1,"broken\n2025-11-22,2,late\n2025-11-21,3,"ok"\n',
        encoding="utf-8",
    )
    assert report(str(export)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1].endswith(
        f"{export}: line 2: a quoted field opens here and has text after its closing quote on "
        'line 4; a quote inside a quoted field is written twice ("")'
    )
