"""Shopify: an order of the Admin REST API (``GET /admin/api/<version>/orders/<id>.json``)."""

from __future__ import annotations

from typing import Any

from ..models import Order
from ._mapping import Mapping, joined, obj, objs, text, unwrap

# Fulfillments that did not happen: their tracking numbers are no parcels.
_NOT_SHIPPED = {"cancelled", "error", "failure"}


def from_shopify(payload: Any) -> Order:
    """The order of a Shopify order payload, with or without its ``{"order": …}`` envelope.

    Raises :class:`~sellercomms.exceptions.InputError` naming Shopify's field paths.
    """
    source = unwrap(payload, "order", "Shopify")
    m = Mapping("shopify")
    customer = obj(source.get("customer"))
    shipping = obj(source.get("shipping_address"))
    billing = obj(source.get("billing_address"))
    lines = objs(source.get("shipping_lines"))
    # A local pickup order has no shipping address: the buyer's is the billing address, and
    # the shipping line names the pickup location.
    pickup = not shipping and bool(lines)
    address, address_path = (
        (billing, "billing_address") if pickup else (shipping, "shipping_address")
    )
    m.came_from("order_id", "id")
    m.came_from("display_number", "name")
    m.came_from("placed_at", "created_at")
    m.came_from("currency", "currency")
    m.came_from("locale", "customer_locale")
    m.came_from("customer.name", "customer.first_name")
    m.came_from("customer.email", "email")
    m.came_from("ship_to", address_path)
    m.came_from("note", "note")
    m.came_from("shipping_price", "shipping_lines")
    m.came_from("tax", "total_tax")
    m.came_from("tax_lines", "tax_lines")
    m.came_from("discount", "total_discounts")
    m.came_from("discount_codes", "discount_codes")
    data: dict[str, Any] = {
        "order_id": text(source.get("id")),
        "display_number": text(source.get("name")),
        "marketplace": "own",
        "placed_at": source.get("created_at"),
        "currency": source.get("currency"),
        "customer": {
            "name": joined(customer.get("first_name"), customer.get("last_name"))
            or text(address.get("name"))
            or joined(address.get("first_name"), address.get("last_name")),
            "email": text(source.get("email")) or text(customer.get("email")),
        },
        "ship_to": _address(address, m, address_path),
        "items": _items(source, m),
        "shipping_price": m.moneys(
            (line.get("price"), f"shipping_lines[{i}].price") for i, line in enumerate(lines)
        ),
        "tax": source.get("total_tax") or "0",
        "prices_include_tax": source.get("taxes_included") is True,
        "tax_lines": [
            {"name": text(t.get("title")), "rate": t.get("rate"), "amount": t.get("price")}
            for t in objs(source.get("tax_lines"))
        ],
        "discount": source.get("total_discounts") or "0",
        "discount_codes": [text(d.get("code")) for d in objs(source.get("discount_codes"))],
        "shipments": _shipments(source, m),
    }
    if text(source.get("customer_locale")):
        data["locale"] = text(source.get("customer_locale"))
    if text(source.get("note")):
        data["note"] = text(source.get("note"))
    if text(source.get("order_status_url")):
        # The buyer's order status page: e-mails that list only the first items link it.
        m.came_from("order_url", "order_status_url")
        data["order_url"] = text(source.get("order_status_url"))
    if pickup:
        m.came_from("pickup_point", "shipping_lines[0]")
        data["pickup_point"] = {"name": text(lines[0].get("title"))}
    total, total_path = (
        ("current_total_price", "current_total_price")
        if "current_total_price" in source
        else ("total_price", "total_price")
    )
    return m.finish(data, total=source.get(total), total_path=total_path)


def _address(address: dict[str, Any], m: Mapping, path: str) -> dict[str, Any]:
    for ours, theirs in [
        ("name", "name"),
        ("line1", "address1"),
        ("line2", "address2"),
        ("region", "province_code"),
        ("postal_code", "zip"),
        ("country", "country_code"),
    ]:
        m.came_from(f"ship_to.{ours}", f"{path}.{theirs}")
    return {
        "name": text(address.get("name"))
        or joined(address.get("first_name"), address.get("last_name")),
        "company": text(address.get("company")),
        "line1": text(address.get("address1")),
        "line2": text(address.get("address2")),
        "city": text(address.get("city")),
        "region": text(address.get("province_code")) or text(address.get("province")),
        "postal_code": text(address.get("zip")),
        "country": text(address.get("country_code")),
    }


def _items(source: dict[str, Any], m: Mapping) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for index, line in enumerate(objs(source.get("line_items"))):
        path = f"line_items[{index}]"
        # After an order edit, current_quantity is what is still ordered; 0 is a removed line.
        field = "current_quantity" if "current_quantity" in line else "quantity"
        quantity = m.quantity(line.get(field), f"{path}.{field}")
        if quantity == 0:
            continue
        ours = f"items[{len(items)}]"
        m.came_from(ours, path)
        m.came_from(f"{ours}.unit_price", f"{path}.price")
        m.came_from(f"{ours}.variant", f"{path}.variant_title")
        m.came_from(f"{ours}.line_id", f"{path}.id")
        items.append(
            {
                "sku": text(line.get("sku")) or "",
                "line_id": text(line.get("id")),
                "title": text(line.get("title")) or text(line.get("name")),
                "variant": text(line.get("variant_title")),
                "quantity": quantity,
                "unit_price": line.get("price"),
                # Properties whose name starts with "_" are the shop's own, hidden at checkout.
                "properties": [
                    {"name": text(p.get("name")), "value": text(p.get("value"))}
                    for p in objs(line.get("properties"))
                    if not str(p.get("name", "")).startswith("_") and text(p.get("value"))
                ],
            }
        )
    return items


def _shipments(source: dict[str, Any], m: Mapping) -> list[dict[str, Any]]:
    kept = {
        text(line.get("id"))
        for line in objs(source.get("line_items"))
        if (line.get("current_quantity", line.get("quantity")) or 0) != 0
    }
    shipments: list[dict[str, Any]] = []
    for index, fulfillment in enumerate(objs(source.get("fulfillments"))):
        if fulfillment.get("status") in _NOT_SHIPPED:
            continue
        path = f"fulfillments[{index}]"
        numbers = [n for n in fulfillment.get("tracking_numbers") or [] if text(n)]
        if not numbers and text(fulfillment.get("tracking_number")):
            numbers = [fulfillment["tracking_number"]]
        urls = fulfillment.get("tracking_urls") or []
        if not urls and text(fulfillment.get("tracking_url")):
            urls = [fulfillment["tracking_url"]]
        contents = [
            {"line_id": text(line.get("id")), "quantity": line.get("quantity")}
            for line in objs(fulfillment.get("line_items"))
            if text(line.get("id")) in kept
        ]
        # Shopify does not say which lines travel in which parcel of one fulfillment: each
        # of its parcels lists the fulfillment's lines.
        for n_index, number in enumerate(numbers or [None]):
            ours = f"shipments[{len(shipments)}]"
            m.came_from(ours, path)
            m.came_from(f"{ours}.tracking_number", f"{path}.tracking_numbers[{n_index}]")
            m.came_from(f"{ours}.tracking_url", f"{path}.tracking_urls[{n_index}]")
            shipment: dict[str, Any] = {
                "tracking_number": text(number),
                "tracking_url": text(urls[n_index]) if n_index < len(urls) else None,
                "carrier": text(fulfillment.get("tracking_company")),
                "shipped_at": fulfillment.get("created_at"),
                "items": contents or None,
            }
            shipments.append({k: v for k, v in shipment.items() if v is not None})
    return shipments
