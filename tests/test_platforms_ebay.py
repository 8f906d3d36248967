"""eBay orders of the Sell Fulfillment API, rendered for real."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sellercomms import InputError
from sellercomms.marketplaces import MARKETPLACES
from sellercomms.platforms import PLATFORMS, from_ebay
from sellercomms.relays import resolve_channel
from tests.platform_helpers import cents, fixture, rendered


def test_an_order() -> None:
    order = from_ebay(fixture("ebay", "order.json"))
    assert (order.order_id, order.marketplace, resolve_channel(order).name) == (
        "12-34567-89012",
        "ebay.com",
        "ebay",
    )
    (item,) = order.items
    assert (item.unit_price, item.quantity, item.variant) == (Decimal("12.50"), 3, "Colour: Blue")
    assert (item.product_id, item.line_id) == ("110123456789", "10000000001001")
    assert cents(order.total) == Decimal("42.49")
    text, slips = rendered(order)
    assert "Ceramic mug" in text and slips


def test_collect_and_remit_tax_fulfillments_and_a_cancelled_line() -> None:
    order = PLATFORMS["ebay"](fixture("ebay", "collect_and_remit_two_parcels.json"))
    assert order.marketplace == "ebay.de"
    assert [i.line_id for i in order.items] == ["10000000002001", "10000000002002"]
    assert (order.discount, order.marketplace_tax) == (Decimal("5.00"), Decimal("16.01"))
    assert cents(order.total) == Decimal("99.91")
    assert order.note == "Bitte klingeln"
    assert [(s.tracking_number, s.carrier) for s in order.shipments] == [
        ("00340434161094042557", "DHL"),
        ("H1002345678901", "HERMES"),
    ]
    assert [order.parcel_lines(s) for s in order.shipments] == [[(0, 2)], [(1, 1)]]
    text, slips = rendered(order)
    assert "H1002345678901" in text and len(slips) == 2


def test_a_total_without_collect_and_remit_tax() -> None:
    record = fixture("ebay", "collect_and_remit_two_parcels.json")
    record["order"]["pricingSummary"]["total"]["value"] = "83.90"  # without TAX_BREAKDOWN
    order = PLATFORMS["ebay"](record)
    assert order.marketplace_tax == 0 and cents(order.total) == Decimal("83.90")


@pytest.mark.parametrize(
    "marketplace_id",
    sorted(i for m in MARKETPLACES.values() if m.family == "ebay" for i in m.platform_ids),
)
def test_every_registered_marketplace_id(marketplace_id: str) -> None:
    payload = fixture("ebay", "order.json")
    payload["order"]["lineItems"][0]["purchaseMarketplaceId"] = marketplace_id
    assert marketplace_id in MARKETPLACES[from_ebay(payload).marketplace].platform_ids


def test_errors_name_ebays_fields() -> None:
    payload = fixture("ebay", "order.json")
    payload["order"]["lineItems"][0]["lineItemCost"]["value"] = "12,50"
    del payload["order"]["fulfillmentStartInstructions"][0]["shippingStep"]["shipTo"][
        "contactAddress"
    ]["city"]
    with pytest.raises(InputError) as caught:
        from_ebay(payload)
    assert str(caught.value).split("\n") == [
        "order 12-34567-89012: lineItems[0].lineItemCost.value: is not a decimal number",
        "order 12-34567-89012: fulfillmentStartInstructions[0].shippingStep.shipTo."
        "contactAddress.city: is required for an address in US",
    ]
