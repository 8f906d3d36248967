"""The order model's additions for platform orders, every error of an order at once, and
platform files read with read_orders."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sellercomms import InputError, parse_order, read_orders
from sellercomms.filenames import file_stem
from sellercomms.loading import PROBLEMS_SHOWN, OrderProblems
from sellercomms.marketplaces import MARKETPLACES
from tests.platform_helpers import PLATFORMS_DIR, rendered


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_order(data, index=3)
    return str(caught.value).split("\n")


def test_every_problem_of_an_order_is_one_line(order_dict: dict[str, Any]) -> None:
    order_dict["items"][0]["quantity"] = 0
    order_dict["currency"] = "ABC"
    order_dict["shipping_price"] = "-1"
    assert problems(order_dict) == [
        "order ACME-1003 (#3): currency: 'ABC' is not an ISO 4217 currency code",
        "order ACME-1003 (#3): items[0].quantity: must be at least 1",
        "order ACME-1003 (#3): shipping_price: must be at least 0",
    ]


def test_problems_are_capped_with_a_count(order_dict: dict[str, Any]) -> None:
    order_dict["items"] = [{**order_dict["items"][0], "quantity": 0} for _ in range(25)]
    with pytest.raises(OrderProblems) as caught:
        parse_order(order_dict, index=3)
    lines = str(caught.value).split("\n")
    assert len(caught.value.problems) == 25 and len(lines) == PROBLEMS_SHOWN + 1
    assert lines[-1] == "order ACME-1003 (#3): and 5 more problems"
    assert caught.value.path == "items[0].quantity"  # the first problem's, as before


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda o: o.update(shiping_price=o.pop("shipping_price")),
            ["shiping_price: unknown field; did you mean shipping_price?"],
        ),
        (
            lambda o: o["items"][0].update(quantitiy=o["items"][0].pop("quantity")),
            ["items[0].quantitiy: unknown field; did you mean quantity?"],
        ),
        (lambda o: o.update(colour="red"), ["colour: unknown field"]),
    ],
)
def test_a_misspelled_field_says_which_was_meant(
    order_dict: dict[str, Any], change: Any, expected: list[str]
) -> None:
    change(order_dict)
    assert problems(order_dict) == [f"order ACME-1003 (#3): {e}" for e in expected]


def test_prices_including_tax_do_not_add_it_again(order_dict: dict[str, Any]) -> None:
    order_dict.update(
        currency="EUR",
        locale="de_DE",
        items=[{"sku": "MOKA-6", "title": "Espressokanne", "quantity": 2, "unit_price": "298.50"}],
        shipping_price="0",
        tax="95.32",
        discount="0",
        shipments=[],
        prices_include_tax=True,
        tax_lines=[{"name": "MwSt.", "rate": "0.19", "amount": "95.32"}],
    )
    order = parse_order(order_dict)
    assert order.total == Decimal("597.00")
    order_dict["prices_include_tax"] = False
    assert parse_order(order_dict).total == Decimal("692.32")


def test_marketplace_tax_is_part_of_what_the_buyer_paid(order_dict: dict[str, Any]) -> None:
    order_dict.update(tax="0", discount="0", shipping_price="0", marketplace_tax="2.06")
    order = parse_order(order_dict)
    assert order.total == order.subtotal + Decimal("2.06")  # type: ignore[operator]


def test_timestamps_without_an_offset_are_read_in_the_orders_time_zone(
    order_dict: dict[str, Any],
) -> None:
    order_dict.update(timezone="Europe/Berlin", placed_at="2026-07-01T10:00:00")
    order_dict["shipments"][0]["shipped_at"] = "2026-12-01T10:00:00"
    order = parse_order(order_dict)
    assert order.placed_at.isoformat() == "2026-07-01T10:00:00+02:00"
    assert order.shipments[0].shipped_at is not None
    assert order.shipments[0].shipped_at.isoformat() == "2026-12-01T10:00:00+01:00"
    del order_dict["timezone"]
    assert problems(order_dict)[0].startswith("order ACME-1003 (#3): placed_at: needs a UTC offset")


def test_lines_without_skus_are_kept_apart_by_line_id(order_dict: dict[str, Any]) -> None:
    first = {"sku": "", "line_id": "a", "title": "Tea towel", "quantity": 1}
    second = {"sku": "", "line_id": "b", "title": "Oven glove", "quantity": 2}
    order_dict.update(
        items=[first, second],
        shipments=[{"items": [{"line_id": "b", "quantity": 2}]}],
    )
    order = parse_order(order_dict)
    assert order.parcel_lines(order.shipments[0]) == [(1, 2)]
    order_dict["items"][1]["line_id"] = "a"
    assert "items[1].line_id: another item has line_id 'a'" in problems(order_dict)[0]
    order_dict["items"][1]["line_id"] = "b"
    order_dict["shipments"][0]["items"] = [{"line_id": "c", "quantity": 1}]
    assert problems(order_dict) == [
        "order ACME-1003 (#3): shipments[0].items[0].line_id: no item of this order has line_id 'c'"
    ]


def test_a_parcel_line_by_line_id_also_gets_the_lines_sku(order_dict: dict[str, Any]) -> None:
    order_dict["items"][0]["line_id"] = "L1"
    order_dict["shipments"][0]["items"] = [{"line_id": "L1", "quantity": 1}]
    order = parse_order(order_dict)
    assert order.shipments[0].items is not None
    assert order.shipments[0].items[0].sku == order_dict["items"][0]["sku"]


def test_new_fields_render(order_dict: dict[str, Any]) -> None:
    order_dict.update(
        order_id="gid://shopify/Order/450789469",
        display_number="#1001",
        note="Please ring twice",
        discount_codes=["TENOFF"],
        pickup_point={"name": "Packstation 123", "city": "Berlin", "country": "DE"},
    )
    order_dict["items"][0]["properties"] = [{"name": "Engraving", "value": "For Ada"}]
    order_dict["shipments"][0]["tracking_url"] = "https://carrier.example/t/1"
    order = parse_order(order_dict)
    text, slips = rendered(order)
    assert text and slips


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda o: o.update(display_number="#1\n2"), "display_number: must be a single line"),
        (lambda o: o.update(note="x" * 2_001), "note: must be at most 2000 characters"),
        (lambda o: o.update(discount_codes=["A"] * 101), "discount_codes: may have at most 100"),
        (
            lambda o: o["items"][0].update(properties=[{"name": "n" * 201, "value": "v"}]),
            "items[0].properties[0].name: must be at most 200 characters",
        ),
        (
            lambda o: o["shipments"][0].update(tracking_url="javascript:alert(1)"),
            "shipments[0].tracking_url: must be an http:// or https:// link",
        ),
        (
            lambda o: o.update(tax_lines=[{"name": "VAT", "rate": "19", "amount": "1"}]),
            "tax_lines[0].rate: must be at most 1",
        ),
        (lambda o: o.update(order_id="x" * 101), "order_id: must be at most 100 characters"),
        (lambda o: o.update(order_id=" A-1"), "order_id: must be printable text on one line"),
    ],
)
def test_new_fields_have_limits(order_dict: dict[str, Any], change: Any, expected: str) -> None:
    change(order_dict)
    assert any(expected in line for line in problems(order_dict))


@given(st.text(min_size=1, max_size=100).filter(lambda s: s.isprintable() and s == s.strip()))
def test_any_order_id_is_a_safe_file_stem(order_id: str) -> None:
    stem = file_stem(order_id)
    assert "/" not in stem and "\\" not in stem and not stem.startswith(".")
    assert 0 < len(stem) <= 100
    assert stem == order_id or file_stem(order_id + "x") != stem


def test_file_stems_of_different_ids_differ() -> None:
    ids = ["A/B", "A_B", "A?B", "A B", "..", "CON", "con.txt", "A_B~x"]
    assert len({file_stem(i) for i in ids}) == len(ids)


def test_the_registry_names_new_marketplaces() -> None:
    assert {"amazon.ie", "amazon.co.za", "ebay.com.sg", "ebay.com.hk", "walmart.ca"} <= set(
        MARKETPLACES
    )


def test_read_orders_reads_platform_files(tmp_path: Path) -> None:
    shopify = json.loads(
        (PLATFORMS_DIR / "shopify" / "taxes_included_two_parcels.json").read_text("utf-8")
    )
    broken = json.loads(json.dumps(shopify))
    broken["order"]["line_items"][0]["price"] = "x"
    path = tmp_path / "orders.jsonl"
    path.write_text(json.dumps(shopify) + "\n" + json.dumps(broken) + "\n", encoding="utf-8")
    first, second = read_orders(path, platform="shopify")
    assert not isinstance(first, InputError) and first.display_number == "#1042"
    assert str(second) == "order 5120000001 (#2): line_items[0].price: is not a decimal number"


def test_an_unknown_platform_is_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "orders.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match="unknown platform 'etsy'; known: amazon, ebay"):
        list(read_orders(path, platform="etsy"))
