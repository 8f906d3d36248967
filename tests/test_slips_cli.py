"""``sellercomms render slips`` and the demo's packing slips, run in-process."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pdf_helpers import POINTS, page_sizes, page_texts

from sellercomms import sample_orders
from sellercomms.cli import main
from sellercomms.samples import sample_seller_path

SELLER = str(sample_seller_path())


def render_slips(orders: Path, out: Path, *options: str) -> int:
    argv = ["render", "slips", "--orders", str(orders), "--seller", SELLER, "--out", str(out)]
    return main([*argv, *options])


def batch_of_ten(order_dict: dict[str, Any], tmp_path: Path) -> tuple[Path, list[str]]:
    """Ten one-parcel orders, the fifth with a quantity of 0."""
    orders = []
    for number in range(1, 11):
        order = copy.deepcopy(order_dict)
        order["order_id"] = f"BATCH-{number:02d}"
        order["shipments"] = order["shipments"][:1]
        order["shipments"][0].pop("items", None)
        orders.append(order)
    orders[4]["items"][0]["quantity"] = 0
    path = tmp_path / "orders.jsonl"
    path.write_text("\n".join(json.dumps(o) for o in orders), encoding="utf-8")
    return path, [o["order_id"] for o in orders]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_order_is_reported_and_the_other_nine_are_printed(
    tmp_path: Path, order_dict: dict[str, Any], capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    orders, ids = batch_of_ten(order_dict, tmp_path)
    out = tmp_path / "slips.pdf"
    assert render_slips(orders, out, "--jobs", jobs) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "order BATCH-05 (#5): items[0].quantity: must be at least 1"
    ]
    assert "9 packing slips (9 pages) written to" in captured.out
    texts = page_texts(out.read_bytes())
    assert [next(i for i in ids if f"Order {i}" in text) for text in texts] == [
        i for i in ids if i != "BATCH-05"
    ]
    assert not list(tmp_path.glob(".*.part"))


def test_page_size_and_default_jobs(tmp_path: Path, order_dicts: list[dict[str, Any]]) -> None:
    orders = tmp_path / "orders.json"
    orders.write_text(json.dumps(order_dicts[:3]), encoding="utf-8")
    out = tmp_path / "slips.pdf"
    assert render_slips(orders, out, "--page-size", "a4") == 0
    assert set(page_sizes(out.read_bytes())) == {POINTS["a4"]}


def test_an_order_that_fails_to_render_is_one_line_on_stderr(
    tmp_path: Path, order_dicts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "templates" / "packing_slip"
    folder.mkdir(parents=True)
    (folder / "slip.html").write_text(
        "<p>Slip {{ order.order_id }}</p>"
        '{% if order.order_id == "ACME-1002" %}{{ 1 / 0 }}{% endif %}',
        encoding="utf-8",
    )
    orders = tmp_path / "orders.json"
    orders.write_text(json.dumps(order_dicts[:3]), encoding="utf-8")
    out = tmp_path / "slips.pdf"
    code = render_slips(orders, out, "--templates", str(tmp_path / "templates"), "--jobs", "2")
    assert code == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("order ACME-1002 (#2): template: template ")
    assert "division by zero" in line
    assert len(page_texts(out.read_bytes())) == 3  # 1 + 2 parcels


def test_an_existing_pdf_survives_a_failed_run(
    tmp_path: Path, order_dict: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "slips.pdf"
    out.write_bytes(b"yesterday's slips")
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    assert render_slips(broken, out, "--jobs", "1") == 2
    assert out.read_bytes() == b"yesterday's slips"
    assert "broken.json" in capsys.readouterr().err

    order_dict["items"][0]["quantity"] = 0
    all_bad = tmp_path / "all-bad.json"
    all_bad.write_text(json.dumps([order_dict]), encoding="utf-8")
    assert render_slips(all_bad, out, "--jobs", "1") == 1
    assert out.read_bytes() == b"yesterday's slips"
    err = capsys.readouterr().err
    assert "items[0].quantity" in err and "nothing written" in err
    assert not list(tmp_path.glob(".*.part"))


def test_unknown_page_size_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = render_slips(tmp_path / "orders.json", tmp_path / "x.pdf", "--page-size", "legal")
    assert code == 2
    assert "legal" in capsys.readouterr().err


def test_demo_writes_the_packing_slips(tmp_path: Path) -> None:
    assert main(["demo", "--out", str(tmp_path)]) == 0
    texts = page_texts((tmp_path / "packing-slips.pdf").read_bytes())
    orders = sample_orders()
    assert len(texts) >= sum(max(1, len(order.shipments)) for order in orders)
    for order in orders:
        assert any(order.order_id in text for text in texts)
