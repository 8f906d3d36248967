"""WooCommerce orders, from the REST API reference's example and variants, rendered for real."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from sellercomms import InputError
from sellercomms.platforms import from_woocommerce
from tests.platform_helpers import cents, fixture, rendered


def test_the_reference_example() -> None:
    order = from_woocommerce(fixture("woocommerce", "order.json"))
    assert (order.order_id, order.display_number) == ("727", "#727")
    assert order.placed_at == datetime(2017, 3, 22, 19, 28, 2, tzinfo=UTC)  # date_created_gmt
    assert [(i.sku, i.line_id, i.quantity, i.unit_price) for i in order.items] == [
        ("", "315", 2, Decimal("3.00")),
        ("Bar3", "316", 1, Decimal("12.00")),
    ]
    assert order.items[1].title == "Ship Your Idea – Color: Black, Size: M Test"
    assert [(p.name, p.value) for p in order.items[1].properties] == [
        ("pa_color", "black"),
        ("size", "M Test"),
    ]
    assert (order.shipping_price, order.tax, order.prices_include_tax) == (
        Decimal("10.00"),
        Decimal("1.35"),
        False,
    )
    assert cents(order.total) == Decimal("29.35")
    text, slips = rendered(order)
    assert "Ship Your Idea – Color" in text and "&ndash;" not in text
    assert all("&amp;ndash;" not in html for html in slips)


def test_prices_including_tax_are_shown_as_the_buyer_paid_them() -> None:
    order = from_woocommerce(fixture("woocommerce", "prices_include_tax_tracked.json"))
    assert order.prices_include_tax
    assert order.items[0].unit_price == Decimal("100.00")  # 84.03 + 15.97 VAT
    assert (order.shipping_price, order.discount) == (Decimal("4.90"), Decimal("10.00"))
    assert cents(order.total) == Decimal("94.90")
    assert [(t.name, t.rate, t.amount) for t in order.tax_lines] == [
        ("MwSt.", Decimal("0.19"), Decimal("15.15"))
    ]
    assert order.discount_codes == ["herbst10"] and order.note == "Please leave at the door"
    assert [(p.name, p.value) for p in order.items[0].properties] == [("Gravur", "Für Oma")]
    assert order.items[0].title == "Teekanne – Gusseisen, 1,2\u00a0l"


def test_shipment_tracking_meta_becomes_parcels() -> None:
    order = from_woocommerce(fixture("woocommerce", "prices_include_tax_tracked.json"))
    assert [(s.tracking_number, s.carrier, s.tracking_url) for s in order.shipments] == [
        ("00340434161094042557", "dhl", None),
        (
            "H1002345678901",
            "Hermes",
            "https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation/"
            "#H1002345678901",
        ),
    ]
    assert order.shipments[0].shipped_at == datetime(2025, 11, 21, 10, 0, tzinfo=UTC)
    text, slips = rendered(order)
    assert "H1002345678901" in text and len(slips) == 2


def test_local_pickup_and_a_cancelled_line() -> None:
    order = from_woocommerce(
        fixture("woocommerce", "local_pickup.json"), timezone="America/Los_Angeles"
    )
    assert order.pickup_point is not None
    assert order.pickup_point.name == "Local pickup: Market St counter"
    assert order.ship_to.line1 == "969 Market"  # the billing address
    assert [i.line_id for i in order.items] == ["315"]
    assert order.placed_at.isoformat() == "2026-11-20T18:30:00-08:00"
    assert cents(order.total) == Decimal("6.45")
    text, slips = rendered(order)
    assert text and slips


def test_dates_without_gmt_need_the_shops_time_zone() -> None:
    with pytest.raises(InputError, match=r"^order 812: date_created: needs a UTC offset"):
        from_woocommerce(fixture("woocommerce", "local_pickup.json"))


def test_a_fee_the_adapter_does_not_map_is_reported_not_hidden() -> None:
    payload = fixture("woocommerce", "order.json")
    payload["fee_lines"] = [{"id": 1, "name": "Gift wrap", "total": "2.00", "total_tax": "0.00"}]
    payload["total"] = "31.35"
    with pytest.raises(InputError, match=r"^order 727: total: is 31.35, but .* come to 29.35"):
        from_woocommerce(payload)
