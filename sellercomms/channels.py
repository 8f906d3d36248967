"""The channels messages travel through, and their rules as data.

Templates ask the channel what they may show (``channel.may_link_product_pages``) instead of
branching on its name, so a new channel is a new row here, not edits across templates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .exceptions import PolicyError

__all__ = ["CHANNELS", "ChannelRules", "get_channel"]


@dataclass(frozen=True, slots=True)
class ChannelRules:
    """What one channel allows.

    ``forbidden_messages`` maps a message name to the id of the rule that forbids it and the
    reason, e.g. ``{"shipping_confirmation": ("amazon.no-shipping-confirmation", "…")}``.
    """

    name: str
    label: str
    forbidden_messages: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    may_link_product_pages: bool = True
    may_link_storefront: bool = True
    may_show_email_address: bool = True
    may_show_phone: bool = True
    may_link_logo: bool = True
    sends_unsubscribe_header: bool = False

    def ensure_allowed(self, message: str) -> None:
        """Raise :class:`PolicyError` when this channel forbids ``message``."""
        if message in self.forbidden_messages:
            rule, reason = self.forbidden_messages[message]
            raise PolicyError(f"{message}: {reason}", channel=self.name, rule=rule)


CHANNELS: Mapping[str, ChannelRules] = MappingProxyType(
    {
        "own": ChannelRules(
            name="own", label="the seller's own e-mail", sends_unsubscribe_header=True
        ),
        "amazon": ChannelRules(
            name="amazon",
            label="Amazon Buyer-Seller Messaging",
            forbidden_messages={
                "shipping_confirmation": (
                    "amazon.no-order-or-shipping-confirmation",
                    "Amazon sends order and shipping confirmations itself and forbids sellers to",
                ),
            },
            may_link_product_pages=False,
            may_link_storefront=False,
            may_show_email_address=False,
            may_show_phone=False,
            may_link_logo=False,
        ),
        "ebay": ChannelRules(
            name="ebay",
            label="eBay messages",
            may_link_product_pages=False,
            may_link_storefront=False,
            may_show_email_address=False,
            may_show_phone=False,
            may_link_logo=False,
        ),
    }
)


def get_channel(name: str) -> ChannelRules:
    """The rules of channel ``name`` (``own``, ``amazon`` or ``ebay``)."""
    try:
        return CHANNELS[name]
    except KeyError:
        known = ", ".join(CHANNELS)
        raise ValueError(f"unknown channel {name!r}; known channels: {known}") from None
