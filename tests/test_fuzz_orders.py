"""Hostile orders and seller profiles: each is a valid model or an InputError, never a crash.

Every example starts from a sample order (or seller) and replaces fields with values built to
break things: numbers at and past every limit, Unicode and control characters, deep nesting,
wrong types.  A valid result must also render the shipping confirmation.
``--hypothesis-profile=long`` searches much longer.
"""

from __future__ import annotations

import copy
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sellercomms import (
    InputError,
    Order,
    PolicyError,
    Renderer,
    Seller,
    load_seller,
    parse_order,
    read_orders,
    sample_seller,
)
from sellercomms.samples import sample_orders_path

SAMPLES: list[dict[str, Any]] = json.loads(sample_orders_path().read_text(encoding="utf-8"))
SELLER: dict[str, Any] = {
    "name": "Acme Home Goods",
    "email": "support@acme.example",
    "phone": "+1 555 0100",
    "website": "https://acme.example",
    "return_policy_url": "https://acme.example/returns",
    "address": {"line1": "1 Market St", "city": "San Francisco", "country": "US"},
    "links": {
        "feedback": "https://acme.example/feedback?order={order_id}",
        "review": "https://acme.example/products/{sku}#reviews",
        "unsubscribe": "https://acme.example/unsubscribe?order={order_id}",
    },
    "utm": True,
    "packing_slip": {"show_prices": True},
}
RENDERER = Renderer(sample_seller())


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


NUMBERS = (
    st.sampled_from(
        [0, -1, 1, 5, 10**6, 10**6 + 1, 10**12, 10**30, -(10**30), 2**63, 10**99, 1e308, -0.0]
    )
    | st.integers()
)
DECIMAL_TEXT = st.sampled_from(
    [
        "9E+999999",
        "-9E+999999",
        "1E-999999",
        "1e12",
        "1e12000",
        "NaN",
        "sNaN",
        "Infinity",
        "-0",
        "0.30000000000000004",
        "12,50",
        " 12.50 ",
        "1_000",
        "0x10",
        "١٢",
        "1" * 5_000,
    ]
)
TIMESTAMPS = st.sampled_from(
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-12:00",
        "1970-01-01T00:00:00Z",
        "2999-12-31T23:59:59Z",
        "2026-02-30T10:00:00Z",
        "2026-11-20T14:03:00",
        "1764000000",
        "9999-12-31",
        "0001-01-01",
        "2026-11-20T25:00:00Z",
        "2026-11-20T14:03:00+24:00",
    ]
) | st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())
CONTROL = st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs", "Co"]), max_size=20)
TEXT = (
    st.text(max_size=50)
    | CONTROL
    | st.sampled_from(
        [
            "",
            " ",
            "{{ 7*7 }}",
            "<script>alert(1)</script>",
            "\u202egnp.exe",
            "a\r\nBcc: x@y.z",
            "https://acme.example@evil.example/",
            "javascript:alert(1)",
            "{order_id:>99999999}",
            "\ud800",
            "\x00",
            "x" * 10_000,
            "😀" * 3_000,
            "https://a.example/" + "%F0" * 1_000,
        ]
    )
)
WRONG_TYPES = st.sampled_from([None, True, False, [], {}, [1, 2], {"a": 1}, _nested(200)])
HOSTILE = NUMBERS | DECIMAL_TEXT | TIMESTAMPS | TEXT | WRONG_TYPES


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key and index path inside ``value``."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        # A copy, so that a later mutation never changes a shared value.
        if action == "replace":
            parent[path[-1]] = copy.deepcopy(draw(HOSTILE))
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(TEXT)] = copy.deepcopy(draw(HOSTILE))
    return data


@st.composite
def hostile_orders(draw: st.DrawFn) -> dict[str, Any]:
    return draw(mutated(draw(st.sampled_from(SAMPLES))))


def _renders(order: Order, renderer: Renderer = RENDERER) -> None:
    try:
        mail = renderer.email("shipping_confirmation", order, channel="own")
    except PolicyError:
        return
    except InputError as error:  # an order without ship_to gets no shipping confirmation
        assert error.path == "ship_to", error
        return
    assert mail.html and mail.text


@given(hostile_orders())
def test_a_hostile_order_is_an_order_or_an_input_error(data: dict[str, Any]) -> None:
    try:
        order = parse_order(data, index=1)
    except InputError as error:
        # Every problem of the order is one line of its own, each naming the order.
        for line in str(error).split("\n"):
            assert line.startswith("order ") and line.isprintable()
        return
    _renders(order)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


@given(st.lists(hostile_orders(), min_size=1, max_size=3), st.sampled_from([".json", ".jsonl"]))
def test_a_hostile_orders_file_reads_without_crashing(
    orders: list[dict[str, Any]], suffix: str
) -> None:
    text = _json(orders) if suffix == ".json" else "\n".join(_json(o) for o in orders)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"orders{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            results = list(read_orders(path))
        except InputError:  # InputFileError: the file as a whole is unreadable
            return
    for result in results:
        if isinstance(result, Order):
            _renders(result)
        else:
            assert isinstance(result, InputError)


RAW_JSON = st.sampled_from(
    [
        "[" * 10_000,
        "[" * 10_000 + "]" * 10_000,
        '{"a":' * 5_000 + "1" + "}" * 5_000,
        "9" * 5_000,
        '{"order_id": "A", "order_id": "B"}',
        "\ufeff{}",
        "[1, 2",
        "\x00",
        "",
        '{"items": [' + "{}," * 1_000 + "{}]}",
        "1e999999",
        '"\\ud800"',
        "[" + "1," * 10_000 + "1]",
    ]
) | st.text(max_size=200)


@given(RAW_JSON, st.sampled_from([".json", ".jsonl", ".toml"]))
def test_any_text_as_orders_is_orders_or_input_errors(text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"orders{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            results = list(read_orders(path))
        except InputError:
            return
    assert all(isinstance(r, Order | InputError) for r in results)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(_toml_pairs(value)) + "}"
    return json.dumps(str(value))


def _toml_pairs(table: dict[str, Any]) -> list[str]:
    return [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in table.items() if v is not None]


def _toml(seller: dict[str, Any]) -> str:
    return "\n".join(_toml_pairs(seller)) + "\n"


@given(mutated(SELLER), st.sampled_from([".toml", ".json"]))
def test_a_hostile_seller_profile_is_a_seller_or_an_input_error(
    data: dict[str, Any], suffix: str
) -> None:
    text = _toml(data) if suffix == ".toml" else _json(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"seller{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            seller = load_seller(path)
        except InputError as error:
            assert str(error).isprintable()
            return
    assert isinstance(seller, Seller)
    own = next(o for o in SAMPLES if o["marketplace"] == "own")
    _renders(parse_order(own), Renderer(seller))


@given(RAW_JSON, st.sampled_from([".toml", ".json"]))
def test_any_text_as_a_seller_profile_is_a_seller_or_an_input_error(text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"seller{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            seller = load_seller(path)
        except InputError as error:
            assert str(error).isprintable()
            return
    assert isinstance(seller, Seller)
