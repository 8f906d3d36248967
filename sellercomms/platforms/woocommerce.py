"""WooCommerce: an order of the REST API v3 (``GET /wp-json/wc/v3/orders/<id>``)."""

from __future__ import annotations

from typing import Any

from ..models import Order
from ._mapping import Mapping, joined, obj, objs, text, unwrap

# The meta key the Shipment Tracking extension keeps its parcels under.
TRACKING_META = "_wc_shipment_tracking_items"


def from_woocommerce(payload: Any, *, timezone: str | None = None) -> Order:
    """The order of a WooCommerce order payload, with or without an ``{"order": …}`` envelope.

    ``timezone`` is the shop's (its WordPress setting): dates without ``_gmt`` are read in it.
    WooCommerce stores line amounts without tax; when the shop's prices include tax
    (``prices_include_tax``), the order shows them with it, as the buyer saw them.
    """
    source = unwrap(payload, "order", "WooCommerce")
    m = Mapping("woocommerce")
    billing = obj(source.get("billing"))
    shipping = obj(source.get("shipping"))
    with_tax = source.get("prices_include_tax") is True
    lines = objs(source.get("shipping_lines"))
    pickup = next((line for line in lines if "pickup" in str(line.get("method_id", ""))), None)
    address, address_path = (
        (billing, "billing")
        if pickup or not text(shipping.get("address_1"))
        else (shipping, "shipping")
    )
    gmt = text(source.get("date_created_gmt"))
    m.came_from("order_id", "id")
    m.came_from("display_number", "number")
    m.came_from("placed_at", "date_created_gmt" if gmt else "date_created")
    m.came_from("currency", "currency")
    m.came_from("customer.name", "billing.first_name")
    m.came_from("customer.email", "billing.email")
    m.came_from("note", "customer_note")
    m.came_from("shipping_price", "shipping_total")
    m.came_from("tax", "total_tax")
    m.came_from("discount", "discount_total")
    m.came_from("discount_codes", "coupon_lines")
    m.came_from("tax_lines", "tax_lines")
    number = text(source.get("number"))
    data: dict[str, Any] = {
        "order_id": text(source.get("id")),
        "display_number": f"#{number}" if number else None,
        "marketplace": "own",
        # The _gmt dates are UTC without an offset; the others are in the shop's zone.
        "placed_at": f"{gmt}+00:00" if gmt and "+" not in gmt else source.get("date_created"),
        "timezone": timezone,
        "currency": source.get("currency"),
        "customer": {
            "name": joined(billing.get("first_name"), billing.get("last_name"))
            or joined(shipping.get("first_name"), shipping.get("last_name")),
            "email": text(billing.get("email")),
        },
        "ship_to": _address(address, m, address_path),
        "items": _items(source, m, with_tax),
        "shipping_price": m.moneys(
            [(source.get("shipping_total"), "shipping_total")]
            + ([(source.get("shipping_tax"), "shipping_tax")] if with_tax else [])
        ),
        "tax": source.get("total_tax") or "0",
        "prices_include_tax": with_tax,
        "tax_lines": [_tax_line(t, i, m) for i, t in enumerate(objs(source.get("tax_lines")))],
        "discount": m.moneys(
            [(source.get("discount_total"), "discount_total")]
            + ([(source.get("discount_tax"), "discount_tax")] if with_tax else [])
        ),
        "discount_codes": [text(c.get("code")) for c in objs(source.get("coupon_lines"))],
        "note": text(source.get("customer_note")),
        "shipments": _shipments(source, m),
    }
    if pickup is not None:
        m.came_from("pickup_point", f"shipping_lines[{lines.index(pickup)}]")
        data["pickup_point"] = {"name": text(pickup.get("method_title"))}
    return m.finish(data, total=source.get("total"), total_path="total")


def _address(address: dict[str, Any], m: Mapping, path: str) -> dict[str, Any]:
    for ours, theirs in [
        ("name", "first_name"),
        ("line1", "address_1"),
        ("line2", "address_2"),
        ("region", "state"),
        ("postal_code", "postcode"),
    ]:
        m.came_from(f"ship_to.{ours}", f"{path}.{theirs}")
    m.came_from("ship_to", path)
    return {
        "name": joined(address.get("first_name"), address.get("last_name")),
        "company": text(address.get("company")),
        "line1": text(address.get("address_1")),
        "line2": text(address.get("address_2")),
        "city": text(address.get("city")),
        "region": text(address.get("state")),
        "postal_code": text(address.get("postcode")),
        "country": text(address.get("country")),
    }


def _items(source: dict[str, Any], m: Mapping, with_tax: bool) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for index, line in enumerate(objs(source.get("line_items"))):
        path = f"line_items[{index}]"
        quantity = m.quantity(line.get("quantity"), f"{path}.quantity")
        if quantity == 0:
            continue
        # subtotal is the line before coupons, without tax: coupons are the order's discount.
        amount = m.moneys(
            [(line.get("subtotal"), f"{path}.subtotal")]
            + ([(line.get("subtotal_tax"), f"{path}.subtotal_tax")] if with_tax else [])
        )
        ours = f"items[{len(items)}]"
        m.came_from(ours, path)
        m.came_from(f"{ours}.title", f"{path}.name")
        m.came_from(f"{ours}.unit_price", f"{path}.subtotal")
        m.came_from(f"{ours}.properties", f"{path}.meta_data")
        items.append(
            {
                "sku": text(line.get("sku")) or "",
                "line_id": text(line.get("id")),
                "title": text(line.get("name")),
                "quantity": quantity,
                "unit_price": amount / quantity if quantity else None,
                "properties": _properties(line),
            }
        )
    return items


def _properties(line: dict[str, Any]) -> list[dict[str, Any]]:
    # Meta keys starting with "_" are the shop's own; the rest is what the buyer chose
    # (attributes, personalisation), with display_key and display_value where the API gives them.
    found = []
    for meta in objs(line.get("meta_data")):
        name = text(meta.get("display_key")) or text(meta.get("key"))
        value = text(meta.get("display_value")) or text(meta.get("value"))
        if name and value and not str(meta.get("key", "")).startswith("_"):
            found.append({"name": name, "value": value})
    return found


def _tax_line(tax: dict[str, Any], index: int, m: Mapping) -> dict[str, Any]:
    path = f"tax_lines[{index}]"
    m.came_from(f"tax_lines[{index}]", path)
    percent = m.money(tax.get("rate_percent"), f"{path}.rate_percent")
    return {
        "name": text(tax.get("label")) or text(tax.get("rate_code")),
        "rate": percent / 100 if percent is not None else None,
        "amount": m.moneys(
            [
                (tax.get("tax_total"), f"{path}.tax_total"),
                (tax.get("shipping_tax_total"), f"{path}.shipping_tax_total"),
            ]
        ),
    }


def _shipments(source: dict[str, Any], m: Mapping) -> list[dict[str, Any]]:
    shipments: list[dict[str, Any]] = []
    for m_index, meta in enumerate(objs(source.get("meta_data"))):
        if meta.get("key") != TRACKING_META:
            continue
        for t_index, parcel in enumerate(objs(meta.get("value"))):
            path = f"meta_data[{m_index}].value[{t_index}]"
            ours = f"shipments[{len(shipments)}]"
            m.came_from(ours, path)
            m.came_from(f"{ours}.tracking_url", f"{path}.custom_tracking_link")
            m.came_from(f"{ours}.shipped_at", f"{path}.date_shipped")
            shipments.append(
                {
                    "tracking_number": text(parcel.get("tracking_number")),
                    "tracking_url": text(parcel.get("custom_tracking_link")),
                    "carrier": text(parcel.get("custom_tracking_provider"))
                    or text(parcel.get("tracking_provider")),
                    "shipped_at": m.unix_time(parcel.get("date_shipped"), f"{path}.date_shipped"),
                }
            )
    return shipments
