"""Feedback and review links per marketplace, URL-encoding and UTM tagging."""

from __future__ import annotations

from typing import Any

import pytest

from sellercomms import MARKETPLACES, Seller, parse_order, parse_seller
from sellercomms.links import LinkBuilder
from sellercomms.marketplaces import add_utm, domains, fill_link


def links_for(order_dict: dict[str, Any], seller: Seller, medium: str = "email") -> LinkBuilder:
    return LinkBuilder(parse_order(order_dict), seller, medium=medium, campaign="review_request")


@pytest.mark.parametrize("domain", domains("amazon"))
def test_every_amazon_domain_has_feedback_and_review_links(
    domain: str, order_dict: dict[str, Any], seller: Seller
) -> None:
    order_dict.update(marketplace=f"amazon.{domain}", order_id="113-7654321-1234567")
    order_dict["items"][0]["product_id"] = "B0EXAMPLE1"
    links = links_for(order_dict, seller)
    assert links.feedback_url() == (
        f"https://www.amazon.{domain}/gp/feedback/leave-customer-feedback.html/"
        "?order=113-7654321-1234567&pageSize=1"
    )
    order = parse_order(order_dict)
    assert links.review_url(order.items[0]) == (
        f"https://www.amazon.{domain}/review/create-review?asin=B0EXAMPLE1"
    )
    # Without an ASIN there is no review page to link, rather than a broken link.
    assert links.review_url(order.items[1]) is None


def test_registry_knows_the_defaults() -> None:
    assert MARKETPLACES["amazon.de"].default_locale == "de_DE"
    assert MARKETPLACES["amazon.co.jp"].default_timezone == "Asia/Tokyo"
    assert MARKETPLACES["amazon.sa"].default_locale == "ar_SA"
    assert MARKETPLACES["ebay.co.uk"].default_channel == "ebay"
    assert MARKETPLACES["own"].own_store
    assert {"etsy", "walmart", "own"} <= set(MARKETPLACES)


def test_ebay_feedback_names_item_and_transaction(
    order_dict: dict[str, Any], seller: Seller
) -> None:
    order_dict["marketplace"] = "ebay.de"
    order_dict["items"][0].update(product_id="326543219876", transaction_id="2412345678001")
    assert links_for(order_dict, seller).feedback_url() == (
        "https://www.ebay.de/fdbk/leave_feedback?item_id=326543219876&transaction_id=2412345678001"
    )


def test_own_store_links_carry_utm_by_default(order_dict: dict[str, Any], seller: Seller) -> None:
    links = links_for(order_dict, seller, medium="packing_slip")
    assert links.feedback_url() == (
        "https://acme.example/feedback?order=ACME-1003"
        "&utm_source=sellercomms&utm_medium=packing_slip&utm_campaign=review_request"
    )


def test_utm_can_be_switched_off(order_dict: dict[str, Any], seller: Seller) -> None:
    plain = seller.model_copy(update={"utm": False})
    assert links_for(order_dict, plain).feedback_url() == (
        "https://acme.example/feedback?order=ACME-1003"
    )


def test_marketplace_links_never_get_utm(order_dict: dict[str, Any], seller: Seller) -> None:
    order_dict["marketplace"] = "amazon.com"
    assert "utm_" not in (links_for(order_dict, seller).feedback_url() or "")


def test_inserted_values_are_url_encoded(order_dict: dict[str, Any]) -> None:
    seller = parse_seller(
        {
            "name": "Acme",
            "email": "a@acme.example",
            "utm": False,
            "links": {"review": "https://acme.example/p/{sku}#reviews"},
        }
    )
    order_dict["items"][0]["sku"] = "MUG 01/B&C?"
    order_dict["shipments"] = []
    order = parse_order(order_dict)
    url = LinkBuilder(order, seller, medium="email", campaign="x").review_url(order.items[0])
    assert url == "https://acme.example/p/MUG%2001%2FB%26C%3F#reviews"


def test_own_store_without_links_has_none(order_dict: dict[str, Any]) -> None:
    seller = parse_seller({"name": "Acme", "email": "a@acme.example"})
    assert links_for(order_dict, seller).feedback_url() is None


def test_fill_link_needs_every_field() -> None:
    assert fill_link("https://x.example/{product_id}", {"product_id": None}) is None
    assert fill_link("https://x.example/{product_id}", {"product_id": ""}) is None


def test_add_utm_replaces_existing_utm_and_keeps_the_fragment() -> None:
    url = add_utm("https://x.example/p?utm_source=old&a=1#r", medium="email", campaign="c")
    assert url == "https://x.example/p?a=1&utm_source=sellercomms&utm_medium=email&utm_campaign=c#r"


def test_etsy_links_go_to_purchases(order_dict: dict[str, Any], seller: Seller) -> None:
    order_dict["marketplace"] = "etsy"
    assert links_for(order_dict, seller).feedback_url() == "https://www.etsy.com/your/purchases"
