"""eBay: an order of the Sell Fulfillment API (getOrder, getShippingFulfillments)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..marketplaces import marketplace_for_id
from ..models import Order
from ._mapping import Mapping, obj, objs, text, unwrap


def from_ebay(order: Any, *, fulfillments: Any = None) -> Order:
    """The order of a getOrder response, with or without an ``{"order": …}`` envelope.

    ``fulfillments`` is the getShippingFulfillments response (or its ``fulfillments`` list):
    one parcel each.  eBay's ``pricingSummary.total`` holds its Collect and Remit tax only
    when asked for with ``fieldGroups=TAX_BREAKDOWN``; the order's total follows it either way.
    """
    source = unwrap(order, "order", "eBay")
    m = Mapping("ebay")
    pricing = obj(source.get("pricingSummary"))
    lines = objs(source.get("lineItems"))
    instructions = objs(source.get("fulfillmentStartInstructions"))
    first = instructions[0] if instructions else {}
    ship_to = obj(obj(first.get("shippingStep")).get("shipTo"))
    buyer = obj(obj(source.get("buyer")).get("buyerRegistrationAddress"))
    market_id = text(lines[0].get("purchaseMarketplaceId")) if lines else None
    market = marketplace_for_id(market_id or "")
    if market is None:
        m.problem("lineItems[0].purchaseMarketplaceId", f"{market_id!r} is not a known marketplace")

    def amount(field: str) -> Decimal:
        # eBay writes discounts as negative amounts.
        value = m.money(obj(pricing.get(field)).get("value"), f"pricingSummary.{field}.value")
        return abs(value) if value is not None else Decimal(0)

    m.came_from("order_id", "orderId")
    m.came_from("placed_at", "creationDate")
    m.came_from("currency", "pricingSummary.total.currency")
    m.came_from("customer.name", "buyer.buyerRegistrationAddress.fullName")
    m.came_from("customer.email", "buyer.buyerRegistrationAddress.email")
    m.came_from("note", "buyerCheckoutNotes")
    m.came_from("shipping_price", "pricingSummary.deliveryCost")
    m.came_from("tax", "pricingSummary.tax")
    m.came_from("discount", "pricingSummary.priceDiscount")
    items = _items(lines, m)
    shipping = amount("deliveryCost") - amount("deliveryDiscount")
    discount = amount("priceDiscount")
    tax = amount("tax")
    data: dict[str, Any] = {
        "order_id": text(source.get("orderId")),
        "marketplace": market.key if market else "ebay.com",
        "placed_at": source.get("creationDate"),
        "currency": text(obj(pricing.get("total")).get("currency")),
        "customer": {
            "name": text(buyer.get("fullName"))
            or text(ship_to.get("fullName"))
            or text(obj(source.get("buyer")).get("username")),
            "email": text(buyer.get("email")) or text(ship_to.get("email")),
        },
        "ship_to": _address(ship_to, m),
        "items": items,
        "shipping_price": shipping,
        "tax": tax,
        "discount": discount,
        "note": text(source.get("buyerCheckoutNotes")),
        "shipments": _shipments(fulfillments, m),
    }
    collected = m.moneys(
        (obj(t.get("amount")).get("value"), f"lineItems[{i}].ebayCollectAndRemitTaxes[{j}]")
        for i, line in enumerate(lines)
        for j, t in enumerate(objs(line.get("ebayCollectAndRemitTaxes")))
    )
    subtotal = sum(
        (i["unit_price"] * i["quantity"] for i in items if i["unit_price"] is not None),
        Decimal(0),
    )
    expected = m.money(obj(pricing.get("total")).get("value"), "pricingSummary.total.value")
    if collected and expected == subtotal + shipping + tax - discount + collected:
        data["marketplace_tax"] = collected
    return m.finish(
        data, total=obj(pricing.get("total")).get("value"), total_path="pricingSummary.total.value"
    )


def _address(ship_to: dict[str, Any], m: Mapping) -> dict[str, Any]:
    path = "fulfillmentStartInstructions[0].shippingStep.shipTo"
    address = obj(ship_to.get("contactAddress"))
    m.came_from("ship_to", path)
    m.came_from("ship_to.name", f"{path}.fullName")
    for ours, theirs in [
        ("line1", "addressLine1"),
        ("line2", "addressLine2"),
        ("city", "city"),
        ("region", "stateOrProvince"),
        ("postal_code", "postalCode"),
        ("country", "countryCode"),
    ]:
        m.came_from(f"ship_to.{ours}", f"{path}.contactAddress.{theirs}")
    return {
        "name": text(ship_to.get("fullName")),
        "company": text(ship_to.get("companyName")),
        "line1": text(address.get("addressLine1")),
        "line2": text(address.get("addressLine2")),
        "city": text(address.get("city")),
        "region": text(address.get("stateOrProvince")),
        "postal_code": text(address.get("postalCode")),
        "country": text(address.get("countryCode")),
    }


def _items(lines: list[dict[str, Any]], m: Mapping) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for index, line in enumerate(lines):
        path = f"lineItems[{index}]"
        quantity = m.quantity(line.get("quantity"), f"{path}.quantity")
        if quantity == 0:
            continue
        # lineItemCost is the line's price: the unit price times the quantity.
        cost = m.money(obj(line.get("lineItemCost")).get("value"), f"{path}.lineItemCost.value")
        aspects = [
            f"{text(a.get('name'))}: {text(a.get('value'))}"
            for a in objs(line.get("variationAspects"))
            if text(a.get("name")) and text(a.get("value"))
        ]
        ours = f"items[{len(items)}]"
        m.came_from(ours, path)
        m.came_from(f"{ours}.unit_price", f"{path}.lineItemCost.value")
        m.came_from(f"{ours}.product_id", f"{path}.legacyItemId")
        m.came_from(f"{ours}.line_id", f"{path}.lineItemId")
        items.append(
            {
                "sku": text(line.get("sku")) or "",
                "line_id": text(line.get("lineItemId")),
                "title": text(line.get("title")),
                "variant": ", ".join(aspects) or None,
                "quantity": quantity,
                "unit_price": cost / quantity if cost is not None and quantity else None,
                "product_id": text(line.get("legacyItemId")),
            }
        )
    return items


def _shipments(fulfillments: Any, m: Mapping) -> list[dict[str, Any]]:
    if isinstance(fulfillments, dict):
        fulfillments = fulfillments.get("fulfillments")
    shipments: list[dict[str, Any]] = []
    for index, parcel in enumerate(objs(fulfillments)):
        path = f"fulfillments[{index}]"
        m.came_from(f"shipments[{index}]", path)
        m.came_from(f"shipments[{index}].tracking_number", f"{path}.shipmentTrackingNumber")
        m.came_from(f"shipments[{index}].items", f"{path}.lineItems")
        shipments.append(
            {
                "tracking_number": text(parcel.get("shipmentTrackingNumber")),
                "carrier": text(parcel.get("shippingCarrierCode")),
                "shipped_at": parcel.get("shippedDate"),
                "items": [
                    {"line_id": text(line.get("lineItemId")), "quantity": line.get("quantity")}
                    for line in objs(parcel.get("lineItems"))
                ]
                or None,
            }
        )
    return shipments
