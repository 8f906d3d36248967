"""The feedback and review links of one order, filled from the marketplace or the seller."""

from __future__ import annotations

from dataclasses import dataclass

from .marketplaces import Marketplace, add_utm, fill_link, get_marketplace
from .models import Item, Order, Seller

__all__ = ["LinkBuilder"]


@dataclass(frozen=True, slots=True)
class LinkBuilder:
    """Builds the links of one order for one message.

    ``medium`` (``email`` or ``packing_slip``) and ``campaign`` (the template name) go into the
    UTM parameters of own-store links when the seller keeps UTM tagging on.
    """

    order: Order
    seller: Seller
    medium: str
    campaign: str

    @property
    def marketplace(self) -> Marketplace:
        return get_marketplace(self.order.marketplace)

    def feedback_url(self) -> str | None:
        """Where the buyer leaves seller feedback for this order."""
        pattern = self._pattern("feedback")
        if pattern is None:
            return None
        # eBay names feedback per purchased item; the first item stands for the order.
        first = self.order.items[0]
        return self._finish(fill_link(pattern, self._values(first)))

    def review_url(self, item: Item) -> str | None:
        """Where the buyer reviews ``item``; ``None`` when the marketplace needs an id we lack."""
        pattern = self._pattern("review")
        if pattern is None:
            return None
        return self._finish(fill_link(pattern, self._values(item)))

    def unsubscribe_url(self) -> str | None:
        """The seller's unsubscribe page for this order's buyer, without UTM parameters."""
        pattern = self.seller.links.unsubscribe
        return None if pattern is None else fill_link(pattern, self._values(self.order.items[0]))

    def _pattern(self, kind: str) -> str | None:
        market = self.marketplace
        if market.own_store:
            return getattr(self.seller.links, kind)  # type: ignore[no-any-return]
        return market.feedback_pattern if kind == "feedback" else market.review_pattern

    def _values(self, item: Item) -> dict[str, str | None]:
        return {
            "order_id": self.order.order_id,
            "sku": item.sku,
            "product_id": item.product_id,
            "transaction_id": item.transaction_id,
        }

    def _finish(self, url: str | None) -> str | None:
        # UTM parameters are for the seller's own analytics; marketplaces ignore or strip them.
        if url is None or not (self.marketplace.own_store and self.seller.utm):
            return url
        return add_utm(url, medium=self.medium, campaign=self.campaign)
