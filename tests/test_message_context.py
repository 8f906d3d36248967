"""The context of a message: decided once, frozen, read by attribute, and enough for a slip."""

from __future__ import annotations

import dataclasses

import pytest
from babel import Locale

from sellercomms import Order, Renderer, Seller
from sellercomms.context import MessageContext, TemplateVariables
from sellercomms.environment import TemplateEnvironment
from sellercomms.relays import resolve_channel
from sellercomms.slips import order_slips


def test_the_context_is_frozen_and_read_by_attribute(seller: Seller, orders: list[Order]) -> None:
    order = orders[2]
    context = Renderer(seller).context("shipping_confirmation", order)
    assert isinstance(context, MessageContext)
    with pytest.raises(dataclasses.FrozenInstanceError):
        context.order_number = "changed"  # type: ignore[misc]
    assert context.order is order
    assert context.order_number == (order.display_number or order.order_id)
    assert context.links.feedback == context.feedback_url


def test_templates_get_every_field_but_the_formatter(seller: Seller, orders: list[Order]) -> None:
    context = Renderer(seller).context("shipping_confirmation", orders[2])
    variables = context.variables()
    assert isinstance(variables, TemplateVariables)
    fields = {field.name for field in dataclasses.fields(MessageContext)}
    assert set(variables) == fields - {"formatter"}
    # Records of the order, not the pydantic model with its file-reading class methods.
    assert not hasattr(variables["order"], "model_validate_json")
    assert variables.updated(extra="x")["extra"] == "x"
    assert "extra" not in variables


def test_channel_and_locale_are_decided_once(seller: Seller, orders: list[Order]) -> None:
    renderer = Renderer(seller)
    for order in orders:
        if resolve_channel(order).forbidding_rule("review_request") is not None:
            continue
        context = renderer.context("review_request", order)
        assert context.channel is resolve_channel(order)
        locale = context.formatter.locale
        assert isinstance(locale, Locale)
        assert context.locale == str(locale) == renderer.locale_for(order)


def test_a_slip_needs_an_environment_and_a_seller_only(seller: Seller, orders: list[Order]) -> None:
    order = orders[2]
    slips = order_slips(TemplateEnvironment(), seller, order, page_size="a4")
    expected = Renderer(seller).packing_slip_html(order, page_size="a4")
    assert [slip.parcel for slip in slips] == [1, 2] == [slip.parcel for slip in expected]
    assert [slip.links for slip in slips] == [slip.links for slip in expected]
    assert all(order.order_id in slip.html for slip in slips)
