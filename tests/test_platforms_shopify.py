"""Shopify orders, from Shopify's own fixture and variants of it, rendered for real."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sellercomms import InputError
from sellercomms.platforms import from_shopify
from tests.platform_helpers import cents, fixture, rendered


def test_the_published_fixture_is_inconsistent_and_says_where() -> None:
    # Shopify's fixture lists three lines at 199.00 but a total of 409.94 (398.00 + tax):
    # a total that does not add up is reported, never shown to a buyer.
    with pytest.raises(InputError) as caught:
        from_shopify(fixture("shopify", "order.json"))
    assert str(caught.value) == (
        "order 450789469: total_price: is 409.94, but the mapped items, shipping, tax and "
        "discount come to 608.94: an amount of this order is not mapped"
    )


def test_the_published_fixture_maps_field_for_field() -> None:
    payload = fixture("shopify", "order.json")
    payload["order"]["line_items"].pop()  # the line the fixture's totals leave out
    order = from_shopify(payload)
    assert (order.order_id, order.display_number, order.marketplace) == (
        "450789469",
        "#1001",
        "own",
    )
    assert order.customer.name == "Bob Norman" and order.customer.email == "bob.norman@hostmail.com"
    assert (order.ship_to.line1, order.ship_to.line2, order.ship_to.region) == (
        "Chestnut Street 92",
        None,
        "KY",
    )
    assert [(i.sku, i.variant, i.line_id) for i in order.items] == [
        ("IPOD2008GREEN", "green", "466157049"),
        ("IPOD2008RED", "red", "518995019"),
    ]
    assert [(p.name, p.value) for p in order.items[0].properties] == [
        ("Custom Engraving", "Happy Birthday")
    ]
    assert [(t.name, t.rate, t.amount) for t in order.tax_lines] == [
        ("State Tax", Decimal("0.06"), Decimal("11.94"))
    ]
    assert order.discount_codes == ["TENOFF"]
    assert order.shipments == []  # its only fulfillment has status "failure"
    assert cents(order.total) == Decimal("409.94")
    text, slips = rendered(order)
    assert "Bob Norman" in text and slips


def test_taxes_included_are_not_added_again() -> None:
    order = from_shopify(fixture("shopify", "taxes_included_two_parcels.json"))
    assert order.prices_include_tax and order.tax == Decimal("95.32")
    assert cents(order.total) == Decimal("597.00")
    assert order.locale == "de_DE"
    text, slips = rendered(order)
    assert "597,00" in text and "692,32" not in text
    assert all("692,32" not in html for html in slips)


def test_several_tracking_numbers_are_several_parcels_with_shopifys_links() -> None:
    order = from_shopify(fixture("shopify", "taxes_included_two_parcels.json"))
    assert [(s.tracking_number, s.carrier) for s in order.shipments] == [
        ("00340434161094042557", "DHL Express"),
        ("00340434161094042564", "DHL Express"),
    ]
    assert [s.tracking_url for s in order.shipments] == [
        "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=" + number
        for number in ("00340434161094042557", "00340434161094042564")
    ]
    _, slips = rendered(order)
    assert len(slips) == 2


def test_pickup_personalisation_removed_lines_codes_and_note() -> None:
    order = from_shopify(fixture("shopify", "pickup_personalised.json"))
    assert order.pickup_point is not None
    assert order.pickup_point.name == "Pickup at Louisville store"
    assert order.ship_to.line1 == "Chestnut Street 92"  # the billing address
    assert [i.sku for i in order.items] == ["IPOD2008GREEN", "IPOD2008RED"]
    assert [(p.name, p.value) for p in order.items[0].properties] == [
        ("Engraving", "For Ada – always")
    ]
    assert order.discount_codes == ["WELCOME15"] and order.note == "Bitte als Geschenk verpacken"
    assert order.locale == "en"
    assert cents(order.total) == Decimal("383.00")
    text, slips = rendered(order)
    assert text and slips


def test_errors_name_shopifys_fields_all_at_once() -> None:
    payload = fixture("shopify", "taxes_included_two_parcels.json")
    payload["order"]["line_items"][1]["price"] = "ninety-nine"
    payload["order"]["shipping_address"]["country_code"] = "Germany"
    payload["order"]["fulfillments"][0]["tracking_urls"][1] = "javascript:alert(1)"
    with pytest.raises(InputError) as caught:
        from_shopify(payload)
    assert str(caught.value).split("\n") == [
        "order 5120000001: shipping_address.country_code: 'GERMANY' is not an ISO 3166 "
        "alpha-2 country code",
        "order 5120000001: line_items[1].price: is not a decimal number",
        "order 5120000001: fulfillments[0].tracking_urls[1]: must be an http:// or https:// link",
    ]
