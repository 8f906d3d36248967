"""Options a new user types first: page sizes in any case, locales checked, counts in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from sellercomms.cli import main
from sellercomms.messages import EMAIL_TEMPLATES
from sellercomms.samples import sample_orders_path, sample_seller_path

SAMPLES = ["--orders", str(sample_orders_path()), "--seller", str(sample_seller_path())]
A4_POINTS = (595, 842)


def test_page_sizes_are_read_in_any_case_and_slips_pick_orders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "a4.pdf"
    argv = ["render", "slips", *SAMPLES, "--page-size", "A4", "--order-id", "ACME-1002"]
    assert main([*argv, "--out", str(pdf)]) == 0
    (page,) = PdfReader(pdf).pages
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS
    assert "ACME-1002" in page.extract_text()
    assert capsys.readouterr().out == f"1 packing slip (1 page) written to {pdf}\n"


def test_an_order_id_not_in_the_file_is_reported_and_nothing_is_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "none.pdf"
    assert main(["render", "slips", *SAMPLES, "--order-id", "NOPE-1", "--out", str(pdf)]) == 1
    captured = capsys.readouterr()
    assert f"order NOPE-1: --order-id: not in {sample_orders_path()}" in captured.err
    assert not pdf.exists()


def test_one_email_is_counted_in_the_singular_with_its_catalog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = ["render", "email", "review_request", *SAMPLES, "--order-id", "ACME-1003"]
    assert main([*argv, "--locale", "de_AT", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"1 e-mail written to {out} (de_AT: the de catalog)\n"
    assert "Bewertung" in (out / "ACME-1003.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("xx_YY", "--locale 'xx_YY': not a locale"),
        ("zh_CN", "--locale zh_CN: no catalog translates it"),
    ],
)
def test_a_locale_without_texts_is_refused_before_anything_is_written(
    tmp_path: Path, locale: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = ["render", "email", "review_request", *SAMPLES, "--locale", locale]
    assert main([*argv, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
    assert main(["render", "slips", *SAMPLES, "--locale", locale, "--out", str(out)]) == 2


def test_an_empty_data_file_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "data.json"
    empty.write_text("")
    argv = ["render", "email", "resolution_refund", *SAMPLES, "--data", str(empty)]
    assert main([*argv, "--out", str(tmp_path / "out")]) == 2
    assert f"{empty}: the file is empty; expected a JSON object" in capsys.readouterr().err


def test_the_help_lists_every_built_in_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "email", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for name in EMAIL_TEMPLATES:
        assert name in text


def test_a_refused_order_is_one_line_that_says_it_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["render", "email", "shipping_confirmation", *SAMPLES]
    argv += ["--order-id", "113-7654321-1234567", "--out", str(tmp_path / "out")]
    assert main(argv) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(
        "order 113-7654321-1234567 (#1): channel: amazon forbids shipping_confirmation: "
    )
    assert line.endswith("(amazon.no-order-or-shipping-confirmation)")
    assert "channel amazon" not in line
