"""Marketplace relay addresses: the buyer's address decides the channel.

Amazon hands sellers a Buyer-Seller Messaging address (``…@marketplace.amazon.de``) and eBay
a member alias (``…@members.ebay.com``).  Mail to either reaches the buyer through the
marketplace, which applies its own rules to it, so an order with such an address is on that
marketplace's channel whatever its ``channel`` field says.  Asking for another channel
explicitly is a :class:`~sellercomms.PolicyError` naming the relay rule, rather than a message
with the seller's phone number and website that the marketplace would hold against the
seller.  The relay domains are data on each channel (``ChannelRules.relay_domains``).
"""

from __future__ import annotations

import re

from .channels import CHANNELS, ChannelRules, get_channel
from .exceptions import PolicyError
from .marketplaces import get_marketplace
from .models import Order

__all__ = ["relay_channel", "resolve_channel"]


def relay_channel(address: str | None) -> ChannelRules | None:
    """The channel whose relay ``address`` belongs to, if it is a marketplace relay address.

    >>> relay_channel("x7k2@marketplace.amazon.co.uk").name
    'amazon'
    >>> relay_channel("63ae59ac280fe0fa69@members.ebay.de").name
    'ebay'
    >>> relay_channel("ada@example.com") is None
    True
    """
    if not address or "@" not in address:
        return None
    domain = address.rpartition("@")[2].strip().lower().rstrip(".")
    for rules in CHANNELS.values():
        if rules.relay_domains is not None and re.search(rules.relay_domains, domain):
            return rules
    return None


def resolve_channel(order: Order, channel: str | None = None) -> ChannelRules:
    """The channel messages of ``order`` travel through.

    ``channel`` (an argument, e.g. ``--channel``) wins over the order's ``channel`` field,
    which wins over the marketplace's default; a relay address wins over all of them, and
    naming another channel for it raises :class:`~sellercomms.PolicyError` with the relay's
    rule (``amazon.relay-address``, ``ebay.relay-address``).
    """
    relay = relay_channel(order.customer.email)
    requested = channel or order.channel
    if relay is None:
        return get_channel(requested or get_marketplace(order.marketplace).default_channel)
    if requested is not None and requested != relay.name:
        rule = relay.relay_rule
        assert rule is not None  # every channel with relay domains names its rule
        raise PolicyError(
            f"channel {requested!r} for {order.customer.email}: {rule.reason}",
            channel=relay.name,
            rule=rule.id,
        )
    return relay
