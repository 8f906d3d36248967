"""The feedback, review and order-page links of one order, filled from the marketplace or the
seller."""

from __future__ import annotations

from dataclasses import dataclass

from .channels import ChannelRules
from .exceptions import InputError
from .marketplaces import Marketplace, add_utm, fill_link, get_marketplace, link_fields
from .models import Item, Order, Seller
from .unsubscribe import SECRET_VARIABLE, unsubscribe_secret, unsubscribe_token

__all__ = ["LinkBuilder"]


@dataclass(frozen=True, slots=True)
class LinkBuilder:
    """Builds the links of one order for one message.

    ``medium`` (``email`` or ``packing_slip``) and ``campaign`` (the template name) go into the
    UTM parameters of own-store links when the seller keeps UTM tagging on.  With a
    ``channel``, the feedback and review links are left out of messages the channel keeps
    them out of (``ChannelRules.feedback_messages``).
    """

    order: Order
    seller: Seller
    medium: str
    campaign: str
    channel: ChannelRules | None = None

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

    def order_url(self) -> str | None:
        """The buyer's page of this order: the order's own ``order_url``, else the seller's
        ``order`` pattern (own stores), filled like the other patterns; ``None`` without both.

        The platform's link is kept as given (Shopify's carries its own access key).
        """
        if self.order.order_url is not None:
            return self.order.order_url
        pattern = self.seller.links.order if self.marketplace.own_store else None
        if pattern is None:
            return None
        return self._finish(fill_link(pattern, self._values(self.order.items[0])))

    def unsubscribe_url(self) -> str | None:
        """The seller's unsubscribe page for this order's buyer, without UTM parameters.

        ``{unsubscribe_token}`` in the pattern is the token of this order and message
        (unsubscribe.py); :class:`~sellercomms.InputError` when no secret is configured.
        """
        pattern = self.seller.links.unsubscribe
        if pattern is None:
            return None
        values = self._values(self.order.items[0])
        if "unsubscribe_token" in link_fields(pattern):
            secret = unsubscribe_secret(self.seller)
            if secret is None:
                raise InputError(
                    "uses {unsubscribe_token}: set unsubscribe_secret in the seller profile "
                    f"or the {SECRET_VARIABLE} environment variable",
                    path="links.unsubscribe",
                )
            values["unsubscribe_token"] = unsubscribe_token(
                self.order.order_id, self.campaign, secret=secret
            )
        return fill_link(pattern, values)

    def _pattern(self, kind: str) -> str | None:
        if self.channel is not None and not self.channel.may_carry_feedback(self.campaign):
            return None
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
            "message": self.campaign,
        }

    def _finish(self, url: str | None) -> str | None:
        # UTM parameters are for the seller's own analytics; marketplaces ignore or strip them.
        if url is None or not (self.marketplace.own_store and self.seller.utm):
            return url
        return add_utm(url, medium=self.medium, campaign=self.campaign)
