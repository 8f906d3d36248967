"""Orders and seller profiles read from files and dicts, and every way they can be wrong."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sellercomms import (
    InputError,
    InputFileError,
    Order,
    load_orders,
    load_seller,
    parse_order,
    parse_seller,
    read_orders,
)


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_sample_orders_load(orders: list[Any]) -> None:
    assert len(orders) >= 5
    assert {o.marketplace for o in orders} >= {"amazon.com", "own", "ebay.com"}


def test_amounts_given_as_json_numbers_are_read_from_their_text(
    tmp_path: Path, order_dict: dict[str, Any]
) -> None:
    text = json.dumps(order_dict).replace('"unit_price": "49.00"', '"unit_price": 49.10')
    text = text.replace('"tax": "8.60"', '"tax": 0.30000000000000004')
    path = tmp_path / "order.json"
    path.write_text(text, encoding="utf-8")
    order = load_orders(path)[0]
    assert order.items[0].unit_price == Decimal("49.10")
    assert str(order.tax) == "0.30000000000000004"
    assert isinstance(order.tax, Decimal)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda o: o["items"][0].update(quantity=0), "items[0].quantity: must be at least 1"),
        (lambda o: o["items"][1].update(quantity=1.5), "items[1].quantity: must be a whole number"),
        (lambda o: o.update(items=[]), "items: needs at least 1 entry"),
        (lambda o: o.pop("placed_at"), "placed_at: is required"),
        (
            lambda o: o.update(placed_at="2026-11-20T14:03:00"),
            "placed_at: needs a UTC offset, e.g. 2026-11-20T14:03:00-05:00",
        ),
        (lambda o: o.update(placed_at="yesterday"), "placed_at: is not an ISO 8601 date and time"),
        (lambda o: o.update(currency="ABC"), "currency: 'ABC' is not an ISO 4217 currency code"),
        (lambda o: o.update(colour="red"), "colour: unknown field"),
        (lambda o: o["ship_to"].update(street="1 Main"), "ship_to.street: unknown field"),
        (
            lambda o: o["ship_to"].update(country="USA"),
            "ship_to.country: 'USA' is not an ISO 3166 alpha-2 country code",
        ),
        (
            lambda o: o["items"][0].update(product_url="ftp://shop.example/x"),
            "items[0].product_url: must be an http:// or https:// link",
        ),
        (
            lambda o: o["items"][0].update(image_url="javascript:alert(1)"),
            "items[0].image_url: must be an http:// or https:// link",
        ),
        (
            lambda o: o["items"][0].update(unit_price="-1"),
            "items[0].unit_price: must be at least 0",
        ),
        (
            lambda o: o["items"][0].update(unit_price="12,50"),
            "items[0].unit_price: is not a decimal",
        ),
        (lambda o: o.update(shipping_price="NaN"), "shipping_price: must be a finite number"),
        (
            lambda o: o["shipments"][1]["items"][0].update(sku="NOPE"),
            "shipments[1].items[0].sku: no item of this order has SKU 'NOPE'",
        ),
        # Parcel lines that are not lines at all: named, not a crash.
        (lambda o: o["shipments"][1].update(items=5), "shipments[1].items: "),
        (
            lambda o: o["shipments"][1].update(items=[{"line_id": ["2"], "quantity": 1}]),
            "shipments[1].items[0].line_id: ",
        ),
        (
            lambda o: o["shipments"][0].update(tracking_number="N/A"),
            "shipments[0].tracking_number: is empty; leave it out until the label is bought",
        ),
        (
            lambda o: o["shipments"][0].update(estimated_delivery="soon"),
            "shipments[0].estimated_delivery: is not an ISO 8601 date (YYYY-MM-DD)",
        ),
        (lambda o: o.update(marketplace="amazon.xx"), "marketplace: 'amazon.xx' is not a known"),
        (
            lambda o: o.update(channel="fax"),
            "channel: must be one of 'own', 'amazon', 'ebay', 'etsy', 'walmart' or 'tiktok'",
        ),
        (lambda o: o.update(timezone="Mars/Olympus"), "timezone: 'Mars/Olympus' is not an IANA"),
        (lambda o: o.update(locale="xx_QQ"), "locale: 'xx_QQ' is not a known locale"),
        (
            lambda o: o["customer"].update(name="Ada\r\nBcc: x@example.com"),
            "customer.name: must be a single line",
        ),
        (
            lambda o: o["customer"].update(email="ada.example.com"),
            "customer.email: is not an e-mail",
        ),
        (
            lambda o: o.update(events={"feedback": {"rating": 6}}),
            "events.feedback.rating: must be at most 5",
        ),
    ],
)
def test_bad_order_is_named_with_its_field(
    order_dict: dict[str, Any], change: Any, expected: str
) -> None:
    change(order_dict)
    with pytest.raises(InputError) as caught:
        parse_order(order_dict, index=3)
    assert str(caught.value).startswith(f"order ACME-1003 (#3): {expected}")


def test_bad_order_id_is_reported_without_trusting_it(order_dict: dict[str, Any]) -> None:
    order_dict["order_id"] = "ACME 1003\u202e; rm -rf /"
    with pytest.raises(InputError) as caught:
        parse_order(order_dict, index=1)
    assert caught.value.path == "order_id"
    assert "must be printable text on one line" in str(caught.value)


def test_missing_order_id_is_shown_as_question_mark(order_dict: dict[str, Any]) -> None:
    del order_dict["order_id"]
    with pytest.raises(InputError, match=r"^order \? \(#2\): order_id: is required$"):
        parse_order(order_dict, index=2)


def test_read_orders_keeps_going_past_bad_orders(
    tmp_path: Path, order_dicts: list[dict[str, Any]]
) -> None:
    order_dicts[1]["items"][0]["quantity"] = 0
    order_dicts.insert(2, ["not", "an", "order"])  # type: ignore[arg-type]
    results = list(read_orders(write_json(tmp_path / "orders.json", order_dicts)))
    errors = [r for r in results if isinstance(r, InputError)]
    assert len(results) == len(order_dicts)
    assert [e.index for e in errors] == [2, 3]
    assert str(errors[0]) == "order ACME-1002 (#2): items[0].quantity: must be at least 1"
    assert str(errors[1]) == "order ? (#3): an order must be a JSON object"


def test_json_lines_with_a_broken_line(tmp_path: Path, order_dicts: list[dict[str, Any]]) -> None:
    lines = [json.dumps(order_dicts[0]), "{broken", "", json.dumps(order_dicts[1])]
    path = tmp_path / "orders.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = list(read_orders(path))
    assert [type(r).__name__ for r in results] == ["Order", "InputError", "Order"]
    assert str(results[1]).startswith("order ? (#2): line 2 is not valid JSON")


def test_json_lines_with_a_line_that_is_not_utf8(
    tmp_path: Path, order_dicts: list[dict[str, Any]]
) -> None:
    path = tmp_path / "orders.jsonl"
    first, last = (json.dumps(order, ensure_ascii=False).encode() for order in order_dicts[:2])
    path.write_bytes(b"\xef\xbb\xbf" + first + b"\n\xff\xfe{}\n" + last + b"\n")
    results = list(read_orders(path))
    assert [type(r).__name__ for r in results] == ["Order", "InputError", "Order"]
    assert str(results[1]) == "order ? (#2): line 2 is not UTF-8 text"


def test_json_lines_are_read_as_they_are_used(
    tmp_path: Path, order_dicts: list[dict[str, Any]]
) -> None:
    path = tmp_path / "orders.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(order_dicts[0]) + "\n")
        handle.flush()
        orders = read_orders(path)
        assert isinstance(next(orders), Order)
        # Written after the first order was read: a reader that took the whole file first
        # would not see it.
        handle.write(json.dumps(order_dicts[1]) + "\n")
    assert [type(r).__name__ for r in orders] == ["Order"]


def test_single_object_file(tmp_path: Path, order_dict: dict[str, Any]) -> None:
    assert [o.order_id for o in load_orders(write_json(tmp_path / "o.json", order_dict))] == [
        "ACME-1003"
    ]


def test_load_orders_raises_the_first_problem(
    tmp_path: Path, order_dicts: list[dict[str, Any]]
) -> None:
    order_dicts[2]["currency"] = "ABC"
    with pytest.raises(InputError, match=r"\(#3\): currency"):
        load_orders(write_json(tmp_path / "orders.json", order_dicts))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2", "not valid JSON (line 1, column 6)"),
        ('"just a string"', "expected a JSON object or an array of orders"),
        (b"\xff\xfe\x00", "not UTF-8 text"),
    ],
)
def test_unreadable_orders_file(tmp_path: Path, content: str | bytes, message: str) -> None:
    path = tmp_path / "orders.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        list(read_orders(path))
    assert message in str(caught.value)
    assert caught.value.exit_code == 2


def test_missing_orders_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        load_orders(tmp_path / "nope.json")


SELLER = {
    "name": "Acme",
    "email": "support@acme.example",
    "links": {"feedback": "https://acme.example/f?o={order_id}"},
}


def test_seller_from_toml_and_json_agree(tmp_path: Path) -> None:
    toml = tmp_path / "seller.toml"
    toml.write_text(
        'name = "Acme"\nemail = "support@acme.example"\n'
        '[links]\nfeedback = "https://acme.example/f?o={order_id}"\n',
        encoding="utf-8",
    )
    assert load_seller(toml) == load_seller(write_json(tmp_path / "seller.json", SELLER))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"links": {"review": "https://acme.example/{asin}"}},
            "links.review: unknown field {asin}; a link may use {message}, {order_id}, "
            "{product_id}, {sku}, {transaction_id}, {unsubscribe_token}",
        ),
        ({"links": {"feedback": "mailto:me@acme.example"}}, "links.feedback: must be an http"),
        ({"email": "nobody"}, "email: is not an e-mail address"),
        ({"name": "Acme\nBcc: x@y.example"}, "name: must be a single line"),
        ({"logo": "missing.png"}, "logo: file not found:"),
        ({"colour": "green"}, "colour: unknown field"),
    ],
)
def test_bad_seller_profile(tmp_path: Path, change: dict[str, Any], expected: str) -> None:
    path = write_json(tmp_path / "seller.json", {**SELLER, **change})
    with pytest.raises(InputFileError) as caught:
        load_seller(path)
    assert str(caught.value).startswith(f"{path}: {expected}")


def test_seller_logo_is_relative_to_the_profile(tmp_path: Path) -> None:
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "logo.png").write_bytes(b"\x89PNG")
    seller = parse_seller({**SELLER, "logo": "brand/logo.png"}, base_dir=tmp_path)
    assert seller.logo_path == tmp_path.resolve() / "brand" / "logo.png"


def test_broken_toml_is_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "seller.toml"
    path.write_text("name = \n", encoding="utf-8")
    with pytest.raises(InputFileError, match="not valid TOML"):
        load_seller(path)
