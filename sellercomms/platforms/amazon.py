"""Amazon: an order of the Selling Partner API, Orders v0 (getOrder, getOrderItems and, for
the restricted data, getOrderAddress and getOrderBuyerInfo)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..marketplaces import marketplace_for_id
from ..models import Order
from ._mapping import Mapping, obj, objs, text, unwrap

# Where Amazon's prices exclude tax when the order total does not tell (a pending order).
_TAX_ADDED = {"amazon.com", "amazon.ca"}


def from_amazon(
    order: Any,
    items: Any,
    *,
    address: Any = None,
    buyer: Any = None,
    shipments: Sequence[Any] = (),
) -> Order:
    """The order of SP-API responses, each with or without its ``{"payload": …}`` envelope.

    ``items`` is the getOrderItems response (or its ``OrderItems`` list); ``address`` and
    ``buyer`` are the getOrderAddress and getOrderBuyerInfo responses, needed where the
    order's own address is redacted; ``shipments`` are in our shipment shape (docs/input.md).
    """
    source = unwrap(order, "payload", "Amazon")
    lines = items.get("payload", items) if isinstance(items, dict) else items
    lines = lines.get("OrderItems") if isinstance(lines, dict) else lines
    m = Mapping("amazon")
    info = obj(buyer).get("payload", buyer) if buyer is not None else source.get("BuyerInfo")
    shipping_path = "address.ShippingAddress" if address is not None else "ShippingAddress"
    shipping = obj(obj(obj(address).get("payload", address)).get("ShippingAddress"))
    if address is None:
        shipping = obj(source.get("ShippingAddress"))
    market = marketplace_for_id(str(source.get("MarketplaceId")))
    if market is None:
        m.problem("MarketplaceId", f"{source.get('MarketplaceId')!r} is not a known marketplace")
    order_total = obj(source.get("OrderTotal"))
    m.came_from("order_id", "AmazonOrderId")
    m.came_from("placed_at", "PurchaseDate")
    m.came_from("currency", "OrderTotal.CurrencyCode")
    m.came_from("customer.name", "BuyerInfo.BuyerName")
    m.came_from("customer.email", "BuyerInfo.BuyerEmail")
    m.came_from("shipments", "shipments")
    mapped_items, amounts = _items(lines, m)
    currency = text(order_total.get("CurrencyCode")) or next(
        (text(obj(line.get("ItemPrice")).get("CurrencyCode")) for line in objs(lines)), None
    )
    data: dict[str, Any] = {
        "order_id": text(source.get("AmazonOrderId")),
        "marketplace": market.key if market else "amazon.com",
        "placed_at": source.get("PurchaseDate"),
        "currency": currency,
        "customer": {
            "name": text(obj(info).get("BuyerName")) or text(shipping.get("Name")),
            "email": text(obj(info).get("BuyerEmail")),
        },
        "ship_to": _address(shipping, m, shipping_path),
        "items": mapped_items,
        "shipping_price": amounts["shipping"],
        "discount": amounts["discount"],
        "shipments": list(shipments),
    }
    if amounts["gift"]:
        data["gift"] = {"message": amounts["gift"]}
    # Whether the prices include the tax: the order total says (items + shipping is the total
    # on amazon.de), else the marketplace does.
    before_tax = sum((amounts["items"], amounts["shipping"], -amounts["discount"]), Decimal(0))
    expected = m.money(order_total.get("Amount"), "OrderTotal.Amount")
    included = (
        expected == before_tax
        if expected is not None and amounts["tax"]
        else (market is None or market.key not in _TAX_ADDED)
    )
    facilitator = obj(source.get("TaxCollection")).get("Model") == "MarketplaceFacilitator"
    if facilitator and not included:
        data["marketplace_tax"] = amounts["tax"]
    else:
        data["tax"] = amounts["tax"]
        data["prices_include_tax"] = included
    return m.finish(data, total=order_total.get("Amount"), total_path="OrderTotal.Amount")


def _address(address: dict[str, Any], m: Mapping, path: str) -> dict[str, Any]:
    # Amazon puts a company or "c/o" in AddressLine1 and the street in AddressLine2 on some
    # European addresses; a blank first line moves the others up.
    street = [t for t in (text(address.get(f"AddressLine{n}")) for n in (1, 2, 3)) if t]
    for ours, theirs in [
        ("name", "Name"),
        ("line1", "AddressLine1"),
        ("line2", "AddressLine2"),
        ("city", "City"),
        ("region", "StateOrRegion"),
        ("postal_code", "PostalCode"),
        ("country", "CountryCode"),
    ]:
        m.came_from(f"ship_to.{ours}", f"{path}.{theirs}")
    return {
        "name": text(address.get("Name")),
        "company": text(address.get("CompanyName")),
        "line1": street[0] if street else None,
        "line2": ", ".join(street[1:]) or None,
        "city": text(address.get("City")),
        "region": text(address.get("StateOrRegion")),
        "postal_code": text(address.get("PostalCode")),
        "country": text(address.get("CountryCode")),
    }


def _items(lines: Any, m: Mapping) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    items: list[dict[str, Any]] = []
    amounts: dict[str, Any] = {k: Decimal(0) for k in ("items", "shipping", "tax", "discount")}
    amounts["gift"] = None
    for index, line in enumerate(objs(lines)):
        path = f"OrderItems[{index}]"
        quantity = m.quantity(line.get("QuantityOrdered"), f"{path}.QuantityOrdered")
        if quantity == 0:
            continue  # a cancelled line

        def amount(field: str, line: dict[str, Any] = line, path: str = path) -> Decimal:
            return m.money(obj(line.get(field)).get("Amount"), f"{path}.{field}.Amount") or (
                Decimal(0)
            )

        # ItemPrice is the line's price: the unit price times the quantity.
        price = amount("ItemPrice")
        amounts["items"] += price
        amounts["shipping"] += amount("ShippingPrice") + amount("GiftWrapPrice")
        amounts["tax"] += amount("ItemTax") + amount("ShippingTax") + amount("GiftWrapTax")
        amounts["discount"] += amount("PromotionDiscount") + amount("ShippingDiscount")
        gift = text(obj(line.get("BuyerInfo")).get("GiftMessageText"))
        amounts["gift"] = amounts["gift"] or gift
        ours = f"items[{len(items)}]"
        m.came_from(ours, path)
        m.came_from(f"{ours}.sku", f"{path}.SellerSKU")
        m.came_from(f"{ours}.title", f"{path}.Title")
        m.came_from(f"{ours}.unit_price", f"{path}.ItemPrice.Amount")
        m.came_from(f"{ours}.product_id", f"{path}.ASIN")
        m.came_from(f"{ours}.line_id", f"{path}.OrderItemId")
        items.append(
            {
                "sku": text(line.get("SellerSKU")) or "",
                "line_id": text(line.get("OrderItemId")),
                "title": text(line.get("Title")),
                "quantity": quantity,
                "unit_price": price / quantity if quantity and "ItemPrice" in line else None,
                "product_id": text(line.get("ASIN")),
            }
        )
    return items, amounts
