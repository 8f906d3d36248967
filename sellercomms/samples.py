"""The built-in sample seller and orders that ``sellercomms demo`` and the preview use."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from .environment import builtin_templates_dir
from .exceptions import PolicyError
from .loading import load_orders, load_seller, parse_order
from .models import Order, Seller
from .relays import resolve_channel

__all__ = [
    "large_sample_order",
    "sample_data",
    "sample_orders",
    "sample_orders_path",
    "sample_seller",
    "sample_seller_path",
]


def sample_orders_path() -> Path:
    """The file of the sample orders (a JSON array)."""
    return builtin_templates_dir() / "samples" / "orders.json"


def sample_seller_path() -> Path:
    """The file of the sample seller profile (TOML)."""
    return builtin_templates_dir() / "samples" / "seller.toml"


def sample_orders() -> list[Order]:
    """Orders covering the usual shapes: one item, many items, split parcels, a gift, abroad."""
    return load_orders(sample_orders_path())


def large_sample_order(count: int = 200) -> Order:
    """An own-store order of ``count`` items (at most 1,000) in one parcel, for size checks.

    The items are the 40-item sample's (ACME-2040), repeated with their own SKUs, product
    pages and images on the seller's site.  ``sellercomms check`` proves with it that no
    built-in e-mail nears the size at which Gmail clips; the demo does not write it.
    """
    records = json.loads(sample_orders_path().read_text(encoding="utf-8"))
    order = next(record for record in records if record["order_id"] == "ACME-2040")
    template = order["items"]
    items = []
    for n in range(count):
        item = dict(template[n % len(template)])
        item["sku"] = sku = f"{item['sku']}-{n + 1:04d}"
        item["product_url"] = f"https://acme.example/products/{sku.lower()}"
        item["image_url"] = f"https://acme.example/images/{sku.lower()}.jpg"
        items.append(item)
    shipment = {key: value for key, value in order["shipments"][0].items() if key != "items"}
    large = {**order, "order_id": f"ACME-LARGE-{count}", "items": items, "shipments": [shipment]}
    return parse_order(large)


def sample_seller() -> Seller:
    """A complete seller profile with own-store links and a logo."""
    return load_seller(sample_seller_path())


def sample_data(
    template: str, order: Order, *, channel: str | None = None
) -> dict[str, Any] | None:
    """Plausible extra data for ``template`` and a sample ``order``; ``None`` if it takes none.

    The demo and the preview use it for the messages that need data (message_data.py).
    Links the message's channel (``channel``, else the order's) does not allow are left out.
    """
    first = order.items[0]
    placed = order.placed_at.date()
    if template == "resolution_refund":
        amount = first.unit_price if first.unit_price else "5.00"
        return {"amount": str(amount), "reason": "One item arrived damaged."}
    if template == "resolution_replacement":
        return {
            "items": [{"line_id": first.line_id or "1", "quantity": 1}],
            "tracking_number": "1Z999AA10123456784",
            "carrier": "UPS",
            "estimated_delivery": (placed + timedelta(days=12)).isoformat(),
            "reason": "One item arrived damaged.",
        }
    if template == "resolution_gift_certificate":
        return {
            "code": f"SORRY-{order.order_id[-4:]}",
            "value": "10.00",
            "expires_on": (placed + timedelta(days=365)).isoformat(),
            "redeem_url": "https://acme.example/gift-card",
            "reason": "Your parcel arrived a week later than we promised.",
        }
    if template == "return_instructions":
        data = {
            "deadline": (placed + timedelta(days=30)).isoformat(),
            "return_number": f"R-{order.order_id[-4:]}",
        }
        if _may_link_label(order, channel):
            data["label_url"] = f"https://acme.example/returns/label?order={order.order_id}"
        return data
    return None


def _may_link_label(order: Order, channel: str | None) -> bool:
    try:
        rules = resolve_channel(order, channel)
    except PolicyError:  # another channel named for a relay address: no message at all
        return False
    return rules.may_link("return_label")
