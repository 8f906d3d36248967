"""What a packing slip says about the parcel and the order, read back from the PDF."""

from __future__ import annotations

from typing import Any

import pytest
from pdf_helpers import page_texts, scanned_codes

from sellercomms import Order, Renderer, Seller, parse_order, sample_seller

pytestmark = pytest.mark.filterwarnings("error")


def _priced(seller: Seller) -> Renderer:
    changed = seller.model_copy(
        update={"packing_slip": seller.packing_slip.model_copy(update={"show_prices": True})}
    )
    changed._base_dir = seller._base_dir
    return Renderer(changed)


@pytest.fixture(scope="module")
def priced() -> Renderer:
    return _priced(sample_seller())


def _slip_texts(renderer: Renderer, order: Order, **options: Any) -> list[str]:
    """The whole text of each slip of ``order`` (one slip per parcel, pages joined), for an
    English slip: its footer says where each slip starts."""
    texts = page_texts(renderer.packing_slips([order], **options))
    slips: list[str] = []
    for text in texts:
        if "Page 1 of" in text:
            slips.append(text)
        else:
            slips[-1] += " " + text
    return slips


def test_each_parcel_sums_its_own_lines_and_shows_the_order_total_apart(
    priced: Renderer, by_id: dict[str, Order]
) -> None:
    # BOARD-1 49.00 + 2 × MUG-01 12.50 in the first parcel; 2 × MUG-01 + 2 × CANDLE-7 18.00
    # in the second; the order is 135.00 + 9.90 shipping + 8.60 tax.
    first, second = _slip_texts(priced, by_id["ACME-1003"])
    for text, parcel_sum in ((first, "$74.00"), (second, "$61.00")):
        parcel, order = text.split("ALL PARCELS OF THIS ORDER")
        assert f"Items in this parcel {parcel_sum}" in parcel
        for order_money in ("$135.00", "$9.90", "$8.60", "$153.50"):
            assert order_money not in parcel
        assert "Subtotal $135.00" in order
        assert "Order total, all parcels $153.50" in order


def test_a_single_parcel_shows_the_order_totals_only(
    priced: Renderer, by_id: dict[str, Order]
) -> None:
    (text,) = _slip_texts(priced, by_id["ACME-1005"])
    assert "Items in this parcel" not in text
    assert "ALL PARCELS" not in text
    assert "Order total" in text


def _shop_order(**changes: Any) -> dict[str, Any]:
    """A German own-store order as a shop sends it: prices include VAT, a display number,
    engraved lines sharing a SKU, a line without one, a note and a pickup point."""
    order: dict[str, Any] = {
        "order_id": "gid-5524198916",
        "display_number": "#1001",
        "marketplace": "own",
        "placed_at": "2026-11-20T10:00:00+01:00",
        "currency": "EUR",
        "locale": "de_DE",
        "timezone": "Europe/Berlin",
        "customer": {"name": "Erika Mustermann", "email": "erika@example.com"},
        "ship_to": {"name": "Erika Mustermann", "line1": "Hauptstr. 5", "city": "Berlin",
                    "postal_code": "10115", "country": "DE"},
        "pickup_point": {"name": "DHL Packstation 112", "line1": "Friedrichstr. 50",
                         "city": "Berlin", "postal_code": "10117", "country": "DE"},
        "items": [
            {"sku": "MUG-01", "line_id": "11", "title": "Mug, engraved", "quantity": 1,
             "unit_price": "29.00", "properties": [{"name": "Engraving", "value": "For Ada"}]},
            {"sku": "MUG-01", "line_id": "12", "title": "Mug, engraved", "quantity": 1,
             "unit_price": "29.00", "properties": [{"name": "Engraving", "value": "For Alan"}]},
            {"line_id": "13", "title": "Gift wrap", "quantity": 1, "unit_price": "3.00"},
        ],
        "shipping_price": "4.90",
        "tax": "10.33",
        "prices_include_tax": True,
        "tax_lines": [{"name": "MwSt.", "rate": "0.19", "amount": "10.33"}],
        "discount": "5.00",
        "discount_codes": ["WELCOME5"],
        "note": "Please wrap each mug in paper.",
        "shipments": [
            {"carrier": "DHL", "items": [{"line_id": "11", "quantity": 1},
                                         {"line_id": "13", "quantity": 1}]},
            {"carrier": "DHL", "items": [{"line_id": "12", "quantity": 1}]},
        ],
    }  # fmt: skip
    order.update(changes)
    return order


def test_the_buyer_sees_the_display_number_and_the_barcode_holds_the_key(
    priced: Renderer,
) -> None:
    order = parse_order(_shop_order())
    pdf = priced.packing_slips([order], locale="en_US")
    first = page_texts(pdf)[0]
    assert "Order #1001" in first
    assert ("CODE-128", "gid-5524198916") in scanned_codes(pdf, page=1)
    (slip, _) = priced.packing_slip_html(order, locale="en_US")
    assert "<title>Packing slip #1001</title>" in slip.html


def test_personalisation_is_printed_under_its_line(priced: Renderer) -> None:
    first, second = _slip_texts(priced, parse_order(_shop_order()), locale="en_US")
    # Both lines have the SKU MUG-01: each parcel holds its own engraving.
    assert "Mug, engraved Engraving: For Ada" in first and "For Alan" not in first
    assert "Mug, engraved Engraving: For Alan" in second and "For Ada" not in second
    assert "Gift wrap" in first


def test_the_buyers_note_is_printed_except_for_a_gift(priced: Renderer) -> None:
    (text, _) = _slip_texts(priced, parse_order(_shop_order()), locale="en_US")
    assert "NOTE FROM THE BUYER Please wrap each mug in paper." in text
    gift = parse_order(_shop_order(gift={"message": "Enjoy!"}))
    (text, _) = _slip_texts(priced, gift, locale="en_US")
    assert "Please wrap" not in text and "Enjoy!" in text


def test_a_pickup_order_goes_to_the_pickup_point(priced: Renderer) -> None:
    (text, _) = _slip_texts(priced, parse_order(_shop_order()), locale="en_US")
    assert "PICKUP POINT Erika Mustermann DHL Packstation 112 Friedrichstr. 50 10117 Berlin" in (
        text
    )
    assert "Hauptstr. 5" not in text and "SHIP TO" not in text


def test_prices_with_vat_included_are_not_taxed_again(priced: Renderer) -> None:
    # 61.00 items + 4.90 shipping - 5.00 discount = 60.90, of which 10.33 is VAT.
    (_, second) = _slip_texts(priced, parse_order(_shop_order()), locale="en_US")
    assert "Discount WELCOME5 −€5.00" in second
    assert "Order total, all parcels €60.90 incl. MwSt. 19% €10.33" in second
    assert "€71.23" not in second
    german = " ".join(page_texts(priced.packing_slips([parse_order(_shop_order())])))
    assert german.count("Bestellsumme (alle Pakete) 60,90 € inkl. MwSt. 19 % 10,33 €") == 2


def test_tax_without_tax_lines_reads_incl_vat_in_each_language(priced: Renderer) -> None:
    order = parse_order(_shop_order(tax_lines=[], shipments=[]))
    (english,) = _slip_texts(priced, order, locale="en_US")
    assert "Order total €60.90 incl. VAT €10.33" in english
    french = " ".join(page_texts(priced.packing_slips([order], locale="fr_FR")))
    assert "Total de la commande 60,90 € dont TVA 10,33 €" in french
    assert "71,23" not in french


def test_tax_the_marketplace_collected_is_named_and_part_of_the_total(priced: Renderer) -> None:
    order = parse_order(
        {
            "order_id": "24-11111-22222",
            "marketplace": "ebay.com",
            "placed_at": "2026-11-20T10:00:00-05:00",
            "currency": "USD",
            "customer": {"name": "Sam Buyer"},
            "ship_to": {
                "name": "Sam Buyer",
                "line1": "1 Elm St",
                "city": "Austin",
                "region": "TX",
                "postal_code": "78701",
                "country": "US",
            },
            "items": [
                {"sku": "LAMP-2", "title": "Desk lamp", "quantity": 1, "unit_price": "40.00"}
            ],
            "shipping_price": "5.00",
            "marketplace_tax": "3.60",
        }
    )
    (text,) = _slip_texts(priced, order)
    assert "Tax collected by eBay.com $3.60 Order total $48.60" in text
