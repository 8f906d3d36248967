"""Which address lines an order needs depends on the destination country's format."""

from __future__ import annotations

from typing import Any

import pytest

from sellercomms import Renderer, parse_order
from sellercomms.exceptions import InputError
from sellercomms.loading import OrderProblems


def _ship_to(order_dict: dict[str, Any], country: str, *drop: str) -> dict[str, Any]:
    order_dict["ship_to"] = {**order_dict["ship_to"], "country": country}
    for field in drop:
        order_dict["ship_to"].pop(field, None)
    return order_dict


def test_hong_kong_needs_neither_postal_code_nor_city(
    renderer: Renderer, order_dict: dict[str, Any]
) -> None:
    order_dict = _ship_to(order_dict, "HK", "postal_code", "city")
    order_dict["ship_to"]["region"] = "Kowloon"
    order = parse_order(order_dict)
    assert order.ship_to is not None and order.ship_to.postal_code is None
    mail = renderer.email("shipping_confirmation", order)
    address = mail.text[mail.text.index(order.ship_to.name) :]
    assert "Kowloon" in address and "None" not in address


def test_an_irish_address_without_eircode_is_accepted(order_dict: dict[str, Any]) -> None:
    order = parse_order(_ship_to(order_dict, "IE", "postal_code"))
    assert order.ship_to is not None and order.ship_to.city


@pytest.mark.parametrize("country", ["US", "GB", "DE", "JP"])
def test_countries_with_postal_codes_still_need_them(
    order_dict: dict[str, Any], country: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_order(_ship_to(order_dict, country, "postal_code"))
    assert caught.value.path == "ship_to.postal_code"
    assert str(caught.value).endswith(f"is required for an address in {country}")


def test_every_missing_line_is_reported_at_once(order_dict: dict[str, Any]) -> None:
    with pytest.raises(OrderProblems) as caught:
        parse_order(_ship_to(order_dict, "GB", "postal_code", "city"))
    assert [p.path for p in caught.value.problems] == ["ship_to.city", "ship_to.postal_code"]


def test_a_country_without_known_format_needs_both(order_dict: dict[str, Any]) -> None:
    # IC (the Canary Islands) is a territory code the address data does not describe.
    with pytest.raises(InputError) as caught:
        parse_order(_ship_to(order_dict, "IC", "postal_code"))
    assert caught.value.path == "ship_to.postal_code"
