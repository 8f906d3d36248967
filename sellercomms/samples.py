"""The built-in sample seller and orders that ``sellercomms demo`` and the preview use."""

from __future__ import annotations

from pathlib import Path

from .environment import builtin_templates_dir
from .loading import load_orders, load_seller
from .models import Order, Seller

__all__ = ["sample_orders", "sample_orders_path", "sample_seller", "sample_seller_path"]


def sample_orders_path() -> Path:
    """The file of the sample orders (a JSON array)."""
    return builtin_templates_dir() / "samples" / "orders.json"


def sample_seller_path() -> Path:
    """The file of the sample seller profile (TOML)."""
    return builtin_templates_dir() / "samples" / "seller.toml"


def sample_orders() -> list[Order]:
    """Orders covering the usual shapes: one item, many items, split parcels, a gift, abroad."""
    return load_orders(sample_orders_path())


def sample_seller() -> Seller:
    """A complete seller profile with own-store links and a logo."""
    return load_seller(sample_seller_path())
