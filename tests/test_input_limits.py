"""Every field has a limit, and input past it is one clear line naming the field, never a crash."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from sellercomms import (
    InputError,
    InputFileError,
    Renderer,
    RenderError,
    load_seller,
    parse_order,
    parse_seller,
    read_orders,
    sample_seller,
)
from sellercomms.cli import main
from sellercomms.planner import due_messages
from sellercomms.samples import sample_seller_path
from sellercomms.slips.codes import qr_png_uri

Change = Callable[[dict[str, Any]], object]


def _item(**fields: Any) -> Change:
    return lambda o: o["items"][0].update(fields)


def _shipment(**fields: Any) -> Change:
    return lambda o: o["shipments"][0].update(fields)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_item(unit_price="9E+999999"), "items[0].unit_price: must be at most 1000000000000"),
        (_item(unit_price="1000000000000.01"), "items[0].unit_price: must be at most"),
        (_item(unit_price="1E-21"), "items[0].unit_price: may have at most 20 decimal places"),
        (lambda o: o.update(tax="9E+999999"), "tax: must be at most 1000000000000"),
        (_item(quantity=10**30), "items[0].quantity: must be at most 1000000"),
        (
            lambda o: o.update(placed_at="0001-01-01T00:00:00+05:00"),
            "placed_at: must be at least 1970-01-01",
        ),
        (
            lambda o: o.update(placed_at="9999-12-31T23:00:00-05:00"),
            "placed_at: must be at most 2999-12-31",
        ),
        (
            _shipment(estimated_delivery="9999-12-31"),
            "shipments[0].estimated_delivery: must be at most 2999-12-31",
        ),
        (
            lambda o: o.update(placed_at=1764000000),
            "placed_at: must be ISO 8601 text, not a number",
        ),
        (
            lambda o: o.update(placed_at="1764000000"),
            "placed_at: must be ISO 8601 text, not a number",
        ),
        (
            _shipment(estimated_delivery=20261125),
            "shipments[0].estimated_delivery: must be ISO 8601 text, not a number",
        ),
        (_item(sku="S" * 101), "items[0].sku: must be at most 100 characters"),
        (_item(title="T" * 501), "items[0].title: must be at most 500 characters"),
        (_item(title="T" * 10_000_001), "items[0].title: must be at most 500 characters"),
        (_item(product_id="B" * 65), "items[0].product_id: must be at most 64 characters"),
        (_item(title="Mug\x00"), "items[0].title: must not contain control characters"),
        (_item(sku="MUG\u2028B"), "items[0].sku: must be a single line"),
        (
            lambda o: o["ship_to"].update(line1="x" * 201),
            "ship_to.line1: must be at most 200 characters",
        ),
        (
            lambda o: o.update(gift={"message": "g" * 2_001}),
            "gift.message: must be at most 2000 characters",
        ),
        (
            lambda o: o.update(events={"feedback": {"rating": 1, "comment": "c" * 10_001}}),
            "events.feedback.comment: must be at most 10000 characters",
        ),
        (
            _item(product_url="https://shop.example/" + "p" * 2_048),
            "items[0].product_url: must be at most 2048 characters",
        ),
        (
            _item(product_url="https://shop.example@evil.example/"),
            "items[0].product_url: must not contain a user name or password",
        ),
        (
            _item(image_url="https://shop.example/\u202emug.png"),
            "items[0].image_url: must not contain spaces, backslashes, control or invisible",
        ),
        (
            _item(product_url="https://shop.example/a b"),
            "items[0].product_url: must not contain spaces",
        ),
        (
            _item(product_url="https://shop.example\\@evil.example/"),
            "items[0].product_url: must not contain spaces, backslashes",
        ),
        (_item(product_url="https:///mug"), "items[0].product_url: must be an http:// or https://"),
        (lambda o: o.update(items=o["items"] * 1001), "items: may have at most 1000 entries"),
        (
            lambda o: o.update(shipments=[{}] * 101),
            "shipments: may have at most 100 entries",
        ),
        (
            lambda o: o.update(marketplace="m" * 10_000),
            "marketplace: must be at most 64 characters",
        ),
    ],
)
def test_a_value_past_its_limit_is_named(
    order_dict: dict[str, Any], change: Change, expected: str
) -> None:
    change(order_dict)
    with pytest.raises(InputError) as caught:
        parse_order(order_dict, index=3)
    assert str(caught.value).startswith(f"order ACME-1003 (#3): {expected}")


def test_values_at_the_limits_are_accepted(order_dict: dict[str, Any]) -> None:
    item = order_dict["items"][0]
    item.update(sku="S" * 100, title="T" * 500, unit_price="1E+12", quantity=1_000_000)
    order_dict["shipments"] = []
    order_dict["tax"] = "0.30000000000000004"
    order_dict["placed_at"] = "2999-12-31T23:59:59Z"
    order = parse_order(order_dict)
    assert order.subtotal is not None and order.total is not None
    mail = Renderer(sample_seller()).email("shipping_confirmation", order, channel="own")
    assert "1,000,000" in mail.text


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


DEEP = "[" * 10_000 + "]" * 10_000
HUGE_INT = "9" * 5_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (DEEP, "not valid JSON: nested too deeply"),
        ('{"a": ' * 10_000 + "1" + "}" * 10_000, "not valid JSON: nested too deeply"),
        (f"[{HUGE_INT}]", "not valid JSON: a whole number has more than 100 digits"),
        ('{"order_id": "A-1", "order_id": "A-2"}', 'the key "order_id" appears twice'),
    ],
)
def test_an_unreadable_orders_file_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputFileError) as caught:
        list(read_orders(_write(tmp_path / "orders.json", text)))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_duplicate_key_in_an_order_is_refused(tmp_path: Path, order_dict: dict[str, Any]) -> None:
    text = json.dumps(order_dict).replace('"tax":', '"tax": "0", "tax":')
    with pytest.raises(InputFileError, match='not valid JSON: the key "tax" appears twice'):
        list(read_orders(_write(tmp_path / "orders.json", text)))


def test_json_lines_report_bad_lines_in_place(
    tmp_path: Path, order_dicts: list[dict[str, Any]]
) -> None:
    lines = [json.dumps(order_dicts[0]), DEEP, f"[{HUGE_INT}]", json.dumps(order_dicts[1])]
    results = list(read_orders(_write(tmp_path / "orders.jsonl", "\n".join(lines))))
    assert [type(r).__name__ for r in results] == ["Order", "InputError", "InputError", "Order"]
    assert str(results[1]) == "order ? (#2): line 2 is not valid JSON: nested too deeply"
    assert "line 3 is not valid JSON: a whole number has more than 100" in str(results[2])


def test_json_lines_split_at_line_feeds_only(
    tmp_path: Path, order_dicts: list[dict[str, Any]]
) -> None:
    # U+2028, U+0085 and a form feed are valid inside JSON strings and are not line ends.
    order_dicts[0]["items"][0]["title"] = "Mug\u2028blue\x85big\x0cbox"
    lines = [json.dumps(o, ensure_ascii=False) for o in order_dicts[:3]]
    results = list(read_orders(_write(tmp_path / "orders.jsonl", "\r\n".join(lines) + "\r\n")))
    assert [r.order_id for r in results] == [o["order_id"] for o in order_dicts[:3]]
    assert isinstance(results[0], InputError)  # controls are refused in a title, in place
    assert str(results[0]).startswith(f"order {order_dicts[0]['order_id']} (#1): items[0].title")


SELLER = {"name": "Acme", "email": "support@acme.example"}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("seller.json", '{"name": "Acme", "name": "Evil"}', 'the key "name" appears twice'),
        ("seller.json", DEEP, "not valid JSON: nested too deeply"),
        ("seller.json", f'{{"utm": {HUGE_INT}}}', "a whole number has more than 100 digits"),
        ("seller.toml", "a = " + "[" * 10_000 + "]" * 10_000, "not valid TOML"),
        ("seller.toml", f"a = {HUGE_INT}", "not valid TOML"),
    ],
)
def test_an_unreadable_seller_profile_is_one_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    with pytest.raises(InputFileError) as caught:
        load_seller(_write(tmp_path / name, text))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("https://acme.example/f/{}", "a field in braces needs a name"),
        ("https://acme.example/f/{sku:{order_id}}", "write {sku} alone"),
        ("https://acme.example/f/{order_id:>100000000}", "write {order_id} alone"),
        ("https://acme.example/f/{sku!r}", "write {sku} alone"),
        ("https://acme.example/f/{sku", "expected '}' before end of string"),
        ("https://acme.example/" + "{sku}" * 2, "filled in, this link can grow to"),
        ("https://acme.example@evil.example/{sku}", "must not contain a user name or password"),
        ("https://acme.example/" + "x" * 2_048, "must be at most 2048 characters"),
    ],
)
def test_a_link_pattern_is_plain_fields_only(pattern: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_seller({**SELLER, "links": {"review": pattern}})
    assert str(caught.value).startswith(f"links.review: {expected}")


def test_a_pattern_with_literal_braces_still_fills(order_dict: dict[str, Any]) -> None:
    seller = parse_seller(
        {**SELLER, "links": {"feedback": "https://acme.example/f?o={order_id}&x={{1}}"}}
    )
    mail = Renderer(seller).email("shipping_confirmation", parse_order(order_dict))
    assert mail.links.feedback is not None
    assert mail.links.feedback.startswith("https://acme.example/f?o=ACME-1003&x=%7B1%7D")


def _longest_order(order_dict: dict[str, Any], marketplace: str) -> dict[str, Any]:
    # Every value a link takes at its longest, in characters that URL-encode to 12 each.
    wide = "\U0001f4e6"
    order_dict.update(marketplace=marketplace, order_id="X" * 64, shipments=[])
    order_dict["items"] = [
        {
            "sku": wide * 100,
            "title": "Box",
            "quantity": 1,
            "product_id": wide * 64,
            "transaction_id": wide * 64,
        }
    ]
    return order_dict


@pytest.mark.parametrize("marketplace", ["amazon.com", "ebay.co.uk", "etsy", "own"])
def test_the_longest_links_fit_their_qr_codes(order_dict: dict[str, Any], marketplace: str) -> None:
    longest = "https://acme.example/r/{sku}?" + "x" * 650  # close to the 2,048-byte limit
    seller = parse_seller({**SELLER, "links": {"review": longest, "feedback": longest}})
    order = parse_order(_longest_order(order_dict, marketplace))
    (slip,) = Renderer(seller).packing_slip_html(order)
    assert slip.links.feedback is not None
    assert "data:image/png;base64," in slip.html


def test_data_too_long_for_a_qr_code_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="too long for a QR code"):
        qr_png_uri("https://shop.example/" + "x" * 3_000)


@pytest.mark.parametrize(
    "moment",
    ["1970-01-01T00:00:00Z", "2999-12-31T23:59:59Z"],
)
@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12", "UTC"])
def test_plans_at_the_ends_of_the_date_range(
    order_dict: dict[str, Any], moment: str, zone: str
) -> None:
    day = moment[:10]
    order_dict.update(placed_at=moment, timezone=zone)
    order_dict["events"] = {"feedback": {"rating": 1, "left_at": moment}}
    for shipment in order_dict["shipments"]:
        shipment.update(shipped_at=moment, delivered_at=moment, estimated_delivery=day)
    order = parse_order(order_dict)
    for now in (datetime(1970, 1, 1, tzinfo=UTC), datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)):
        plan = due_messages(order, now)
        assert plan.to_dict()["messages"]


@pytest.mark.parametrize(
    "now",
    [
        datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))),
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
    ],
)
def test_a_plan_refuses_a_moment_outside_the_range(
    order_dict: dict[str, Any], now: datetime
) -> None:
    with pytest.raises(ValueError, match="now must be between 1970-01-01 and 2999-12-31"):
        due_messages(parse_order(order_dict), now)


@pytest.mark.parametrize("now", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00"])
def test_plan_refuses_a_now_outside_the_range(
    tmp_path: Path, order_dicts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str], now: str
) -> None:
    path = _write(tmp_path / "orders.json", json.dumps(order_dicts))
    assert main(["plan", "--orders", str(path), "--now", now]) == 2
    assert "--now: " in capsys.readouterr().err


@pytest.mark.parametrize("year", [1, 9999])
def test_plan_reports_orders_dated_out_of_range(
    tmp_path: Path,
    order_dicts: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    year: int,
) -> None:
    order_dicts[1]["placed_at"] = f"{year:04d}-06-01T12:00:00+00:00"
    order_dicts[1]["shipments"] = [{"shipped_at": f"{year:04d}-06-01T12:00:00-05:00"}]
    path = _write(tmp_path / "orders.json", json.dumps(order_dicts))
    assert main(["plan", "--orders", str(path), "--now", "2026-12-01T09:00:00+00:00"]) == 1
    first, second = capsys.readouterr().err.splitlines()
    assert first.startswith(f"order {order_dicts[1]['order_id']} (#2): placed_at: must be at")
    assert second.startswith(f"order {order_dicts[1]['order_id']} (#2): shipments[0].shipped_at")


def test_a_forged_order_id_stays_on_one_line(order_dict: dict[str, Any]) -> None:
    order_dict["order_id"] = "X\norder ACME-9 (#9): ok\u2028\u202e" + "y" * 1_000
    with pytest.raises(InputError) as caught:
        parse_order(order_dict, index=1)
    shown = str(caught.value)
    assert shown.splitlines() == [shown]
    assert shown.isprintable()
    assert shown.startswith("order X\\norder ACME-9 (#9): ok\\u2028\\u202eyyy")
    assert len(shown) < 300


def test_an_echoed_field_value_stays_on_one_line(order_dict: dict[str, Any]) -> None:
    order_dict["shipments"][1]["items"][0]["sku"] = "NOPE\u2029order B (#2): x"
    with pytest.raises(InputError) as caught:
        parse_order(order_dict, index=1)
    assert str(caught.value).isprintable()
    assert "shipments[1].items[0].sku" in str(caught.value)


def test_data_file_duplicates_and_depth_exit_2(
    tmp_path: Path, order_dict: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    orders = _write(tmp_path / "orders.json", json.dumps(order_dict))
    for text, message in [
        ('{"amount": "1", "amount": "1000"}', 'the key "amount" appears twice'),
        ('{"a": ' * 10_000 + "1" + "}" * 10_000, "nested too deeply"),
        (f'{{"amount": {HUGE_INT}}}', "a whole number has more than 100 digits"),
    ]:
        data = _write(tmp_path / "data.json", text)
        argv = ["render", "email", "resolution_refund", "--orders", str(orders)]
        argv += ["--seller", str(sample_seller_path()), "--data", str(data)]
        assert main([*argv, "--out", str(tmp_path / "out")]) == 2
        err = capsys.readouterr().err
        assert message in err
        assert "Traceback" not in err


def test_schema_shows_the_limits(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    item = schema["$defs"]["Item"]["properties"]
    assert item["sku"]["maxLength"] == 100
    assert item["title"]["maxLength"] == 500
    assert item["quantity"]["maximum"] == 1_000_000
    assert item["product_url"]["anyOf"][0]["maxLength"] == 2048
    price = item["unit_price"]["anyOf"][0]
    assert price["anyOf"][0]["maximum"] == 10**12
    assert "at most 20 decimals" in price["description"]
    assert schema["properties"]["items"]["maxItems"] == 1000
    assert "1970-01-01 to 2999-12-31" in schema["properties"]["placed_at"]["description"]
    assert schema["$defs"]["Feedback"]["properties"]["comment"]["anyOf"][0]["maxLength"] == 10_000
