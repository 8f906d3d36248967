"""Orders as the platforms' APIs return them: Shopify, WooCommerce, Amazon SP-API and eBay.

Each adapter is a pure function from the platform's JSON (decoded, with or without its
envelope) to an :class:`~sellercomms.models.Order`: no network, no platform SDK.  Errors name
the platform's field paths.  docs/platforms.md describes every mapping rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from ..exceptions import InputError
from ..models import Order
from .amazon import from_amazon
from .ebay import from_ebay
from .shopify import from_shopify
from .woocommerce import from_woocommerce

__all__ = ["PLATFORMS", "READERS", "from_amazon", "from_ebay", "from_shopify", "from_woocommerce"]


def _parts(record: Any, platform: str, known: set[str]) -> dict[str, Any]:
    # A record of a platform file: the responses of one order, under the names docs/platforms.md
    # gives; an unknown name is a typo, not something to leave out silently.
    if not isinstance(record, dict) or "order" not in record:
        raise InputError(f'an {platform} record must be a JSON object with "order"')
    unknown = sorted(set(record) - known)
    if unknown:
        raise InputError(f"unknown field; known: {', '.join(sorted(known))}", path=unknown[0])
    return record


def _amazon(record: Any) -> Order:
    parts = _parts(record, "amazon", {"order", "items", "address", "buyer", "shipments"})
    shipments = parts.get("shipments") or []
    if not isinstance(shipments, list):
        raise InputError("must be a list", path="shipments")
    return from_amazon(
        parts["order"],
        parts.get("items") or [],
        address=parts.get("address"),
        buyer=parts.get("buyer"),
        shipments=shipments,
    )


def _ebay(record: Any) -> Order:
    parts = _parts(record, "ebay", {"order", "fulfillments"})
    return from_ebay(parts["order"], fulfillments=parts.get("fulfillments"))


def _reader(adapter: Callable[[Any], Order]) -> Callable[[Any, int], Order]:
    def read(record: Any, index: int) -> Order:
        try:
            return adapter(record)
        except InputError as error:
            raise error.with_order(index=index) from error

    return read


#: The adapter of each ``--from`` platform, taking one record of a platform file.
PLATFORMS: Mapping[str, Callable[[Any], Order]] = MappingProxyType(
    {"shopify": from_shopify, "woocommerce": from_woocommerce, "amazon": _amazon, "ebay": _ebay}
)
#: The same, for :func:`sellercomms.loading.read_orders`: errors carry the record's position.
READERS: Mapping[str, Callable[[Any, int], Order]] = MappingProxyType(
    {name: _reader(adapter) for name, adapter in PLATFORMS.items()}
)
