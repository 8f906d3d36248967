"""Hostile input through the command line, end to end.

Buyer names, addresses, titles and gift messages, the seller profile and ``--data`` are filled
with text chosen to break things: encoded words, line breaks of every kind, quotes, angle
brackets, right-to-left marks, huge numbers, deep nesting.  Whatever comes in, a run must
end with an exit status (never a traceback), add no header and no recipient, write each
order's files as a complete set or not at all, and write nothing outside its output folder.
"""

from __future__ import annotations

import copy
import email
import json
import tempfile
from email import policy
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sellercomms.cli import main
from sellercomms.samples import sample_orders_path, sample_seller_path

EMAIL_FILES = (".eml", ".html", ".txt")
#: The headers a shipping confirmation has; nothing from an order may add to them.
HEADERS = {
    "From",
    "Reply-To",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
}

_SAMPLE_ORDERS: list[dict[str, Any]] = json.loads(sample_orders_path().read_text("utf-8"))
OWN_ORDER = next(o for o in _SAMPLE_ORDERS if o["order_id"] == "ACME-1003")

# Pieces that have broken e-mail writers, parsers and layouts before, mixed with any text.
HOSTILE_PIECES = [
    "=?utf-8?q?x=0D=0ABcc=3A_b=40evil.example?=",
    "=?utf-8?b?QmNjOiBldmlsQGV2aWwuZXhhbXBsZQ==?=",
    "=?UTF-8?Q?Grace=2C_a=40evil=2Eexample=2C?=",
    "\r\nBcc: evil@evil.example",
    "\nReply-To: evil@evil.example",
    "\u2028",
    "\x85",
    "\x00",
    "\x1b[2J",
    "\u202e",
    "\u2066",
    '"',
    "<evil@evil.example>",
    ", evil@evil.example",
    ";",
    "{{ 7 * 7 }}",
    "{% raw %}",
    "</style><script>alert(1)</script>",
    "https://evil.example/",
    "../../escaped",
    "/tmp/x",
    "CON",
    "ر.س.",
    "日本語",
    "x" * 300,
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=20)), min_size=1, max_size=4
).map("".join)
hostile_value = st.one_of(
    hostile_text,
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([None, True, [], {}, 1e308, "9E+999999", "-0", "NaN"]),
)

#: Where hostile values go in an order: the paths of fields buyers and platforms control.
ORDER_FIELDS = [
    ("customer", "name"),
    ("customer", "email"),
    ("ship_to", "name"),
    ("ship_to", "company"),
    ("ship_to", "line1"),
    ("ship_to", "city"),
    ("ship_to", "postal_code"),
    ("items", 0, "title"),
    ("items", 0, "sku"),
    ("items", 0, "variant"),
    ("items", 0, "quantity"),
    ("items", 0, "unit_price"),
    ("items", 0, "product_url"),
    ("gift", "message"),
    ("order_id",),
    ("placed_at",),
    ("shipping_price",),
    ("shipments", 0, "tracking_number"),
    ("shipments", 0, "carrier"),
]
SELLER_FIELDS = ["name", "email", "phone", "website"]


def _set(document: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    target: Any = document
    for key in path[:-1]:
        if isinstance(target, dict) and key not in target:
            target[key] = {}
        target = target[key]
    target[path[-1]] = value


@st.composite
def hostile_orders(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Two copies of an own-store order, the first spoiled in a few fields."""
    spoiled = copy.deepcopy(OWN_ORDER)
    spoiled.pop("gift", None)
    for path in draw(st.lists(st.sampled_from(ORDER_FIELDS), min_size=1, max_size=4)):
        _set(spoiled, path, draw(hostile_value))
    clean = copy.deepcopy(OWN_ORDER)
    clean["order_id"] = "CLEAN-1"
    return [spoiled, clean]


def _seller_json(overrides: dict[str, Any]) -> dict[str, Any]:
    import tomllib

    seller = tomllib.loads(sample_seller_path().read_text("utf-8"))
    seller.pop("logo", None)
    seller.update(overrides)
    return seller


def _run(folder: Path, orders: Any, seller: dict[str, Any], *extra: str) -> int:
    (folder / "orders.json").write_text(json.dumps(orders), encoding="utf-8")
    (folder / "seller.json").write_text(json.dumps(seller), encoding="utf-8")
    argv = [
        "render",
        "email",
        "shipping_confirmation",
        "--orders",
        str(folder / "orders.json"),
        "--seller",
        str(folder / "seller.json"),
        "--out",
        str(folder / "out"),
        *extra,
    ]
    return main(argv)


def _assert_sound_output(folder: Path, customer_emails: dict[str, Any]) -> None:
    """Only the inputs and ``out/`` exist; each order's files are a complete, clean set."""
    assert {p.name for p in folder.iterdir()} <= {"orders.json", "seller.json", "data.json", "out"}
    out = folder / "out"
    if not out.exists():
        return
    files = list(out.iterdir())
    assert all(f.is_file() and not f.name.startswith(".") for f in files), files
    stems = {f.name.rsplit(".", 1)[0] for f in files}
    for stem in stems:
        assert {f"{stem}{suffix}" for suffix in EMAIL_FILES} <= {f.name for f in files}, stem
        message = email.message_from_bytes(
            (out / f"{stem}.eml").read_bytes(), policy=policy.default
        )
        assert set(message.keys()) == HEADERS, message.keys()
        assert all(len(message.get_all(name) or []) == 1 for name in HEADERS)
        recipients = getaddresses(message.get_all("To") or [])
        assert len(recipients) == 1
        assert recipients[0][1] == customer_emails.get(stem, recipients[0][1])
        assert len(getaddresses(message.get_all("From") or [])) == 1


@given(orders=hostile_orders())
def test_hostile_orders_never_break_a_run(orders: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        code = _run(folder, orders, _seller_json({}))
        assert code in (0, 1)
        emails = {
            o["order_id"]: o["customer"].get("email")
            for o in orders
            if isinstance(o.get("order_id"), str) and isinstance(o.get("customer"), dict)
        }
        _assert_sound_output(folder, emails)
        # The clean order of the batch is always written, whatever its neighbour held.
        assert (folder / "out" / "CLEAN-1.eml").is_file()


@given(field=st.sampled_from(SELLER_FIELDS), value=hostile_value)
def test_a_hostile_seller_profile_is_refused_or_used_safely(field: str, value: Any) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        clean = copy.deepcopy(OWN_ORDER)
        code = _run(folder, [clean], _seller_json({field: value}))
        assert code in (0, 1, 2)
        _assert_sound_output(folder, {clean["order_id"]: clean["customer"]["email"]})


@st.composite
def nested(draw: st.DrawFn) -> Any:
    depth = draw(st.integers(min_value=1, max_value=20_000))
    return "[" * depth + "1" + "]" * depth


@given(data=st.one_of(nested(), st.just("1" * 5000), hostile_text.map(json.dumps)))
def test_hostile_data_files_are_refused_cleanly(data: str) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "data.json").write_text(data, encoding="utf-8")
        code = _run(
            folder,
            [copy.deepcopy(OWN_ORDER)],
            _seller_json({}),
            "--data",
            str(folder / "data.json"),
        )
        assert code in (0, 1, 2)
        _assert_sound_output(folder, {})
