"""Amazon SP-API orders, from the Orders API model's examples and variants, rendered for real."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sellercomms import InputError
from sellercomms.marketplaces import MARKETPLACES
from sellercomms.platforms import PLATFORMS, from_amazon
from tests.platform_helpers import cents, fixture, rendered


def test_the_models_examples() -> None:
    order = PLATFORMS["amazon"](fixture("amazon", "order.json"))
    assert (order.order_id, order.marketplace) == ("902-3159896-1390916", "amazon.com")
    assert order.customer.name == "John Smith"  # getOrderBuyerInfo wins over the order's
    assert order.ship_to.line1 == "1 cross st"  # getOrderAddress wins over the order's
    assert [(i.sku, i.product_id, i.quantity, i.unit_price) for i in order.items] == [
        ("CBA_OTF_1", "BT0093TELA", 1, Decimal("25.99")),
        ("CBA_OTF_5", "BCTU1104UEFB", 2, Decimal("8.975")),  # ItemPrice is the line's price
    ]
    assert order.gift is not None and order.gift.message == "For you!"
    text, slips = rendered(order)
    assert text and slips


def test_amazon_de_prices_include_vat() -> None:
    record = fixture("amazon", "amazon_de_vat.json")
    order = PLATFORMS["amazon"](record)
    assert order.marketplace == "amazon.de" and order.prices_include_tax
    assert order.tax == Decimal("15.97")
    assert cents(order.total) == Decimal("100.00")
    assert [i.line_id for i in order.items] == ["11111111111111"]  # the cancelled line is gone
    assert (
        order.ship_to.line1 == "Musterfirma GmbH" and order.ship_to.line2 == "Friedrichstraße 123"
    )
    text, slips = rendered(order)
    assert "100,00" in text and "115,97" not in text
    assert len(slips) == 2


def test_tax_collected_by_amazon_is_the_marketplaces() -> None:
    order = PLATFORMS["amazon"](fixture("amazon", "restored_address.json"))
    assert (order.tax, order.marketplace_tax, order.prices_include_tax) == (
        Decimal(0),
        Decimal("2.06"),
        False,
    )
    assert cents(order.total) == Decimal("32.05")
    assert order.customer.email == "abc@marketplace.amazon.com"
    text, slips = rendered(order)
    assert "Ada Lovelace" in text and slips


def test_a_redacted_address_names_what_is_missing() -> None:
    with pytest.raises(InputError) as caught:
        PLATFORMS["amazon"](fixture("amazon", "redacted_address.json"))
    assert str(caught.value).split("\n") == [
        "order 113-7654321-1234567: BuyerInfo.BuyerName: is required",
        "order 113-7654321-1234567: ShippingAddress.Name: is required",
        "order 113-7654321-1234567: ShippingAddress.AddressLine1: is required",
    ]


@pytest.mark.parametrize("key", sorted(k for k in MARKETPLACES if k.startswith("amazon.")))
def test_every_registered_marketplace_id(key: str) -> None:
    record = fixture("amazon", "restored_address.json")
    (marketplace_id,) = MARKETPLACES[key].platform_ids
    record["order"]["payload"]["MarketplaceId"] = marketplace_id
    assert (
        from_amazon(record["order"], record["items"], address=record["address"]).marketplace == key
    )


def test_an_unknown_marketplace_id() -> None:
    record = fixture("amazon", "restored_address.json")
    record["order"]["payload"]["MarketplaceId"] = "A0NOTKNOWN"
    with pytest.raises(InputError, match=r"MarketplaceId: 'A0NOTKNOWN' is not a known marketplace"):
        from_amazon(record["order"], record["items"], address=record["address"])


def test_a_file_record_with_a_misnamed_part() -> None:
    with pytest.raises(InputError, match=r"^adress: unknown field; known: address, buyer"):
        PLATFORMS["amazon"]({"order": {}, "adress": {}})
