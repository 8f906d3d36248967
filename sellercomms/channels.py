"""The channels messages travel through, and their rules as data.

Templates ask the channel what they may show (``channel.may_link_product_pages``) instead of
branching on its name; the renderer refuses forbidden messages and checks every rendered
message against the same rules (compliance.py); the follow-up planner reads the windows and
limits from here too.  A new channel is a new row, not edits across templates.

Every rule has a stable id (``amazon.only-needed-links``) that errors and plans name, and a
reason written for the seller.  docs/follow-ups.md lists them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .exceptions import PolicyError
from .messages import LINK_KINDS, LinkKind, MessageKind

__all__ = ["CHANNELS", "ChannelRules", "ContactWindow", "ReviewWindow", "Rule", "get_channel"]


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a channel: a stable ``id`` and the ``reason``, for people."""

    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReviewWindow:
    """The days after delivery on which the review request may go out, both ends included.

    Days are calendar days in the order's time zone: with ``first_day=5`` a parcel delivered
    on 1 March may be followed up from 6 March, and with ``last_day=30`` until 31 March.
    """

    first_day: int
    last_day: int
    rule: Rule


@dataclass(frozen=True, slots=True)
class ContactWindow:
    """Proactive messages may go out until ``days`` calendar days after delivery."""

    days: int
    rule: Rule


@dataclass(frozen=True, slots=True)
class ChannelRules:
    """What one channel allows.

    * ``forbidden_messages``: messages the channel forbids outright, with the rule.
    * ``allowed_links``: the kinds of link a message may carry (``None``: any link), each
      message further limited to the kinds it uses (:attr:`MessageKind.links`);
      ``link_rule`` is what a link outside them breaks.  ``platform_hosts`` is a regular
      expression of hosts that are the channel's own pages, which are always allowed.
    * ``contact_rule``: when set, no e-mail address or phone number may appear.
    * ``logo_link_rule``: when set, no image may be a link.
    * ``review_window``, ``contact_window``, ``max_solicitations``: timing for the planner.
    * ``marketplace_notices``: messages the marketplace sends itself, so the planner does not
      schedule them (they may still be rendered).
    * ``unsubscribe_rule``: follow-ups (non-transactional messages) carry ``List-Unsubscribe``
      and ``List-Unsubscribe-Post`` (RFC 8058) and need the seller's https unsubscribe link.
    """

    name: str
    label: str
    review_window: ReviewWindow
    solicitation_rule: Rule
    max_solicitations: int = 1
    forbidden_messages: Mapping[str, Rule] = field(default_factory=dict)
    allowed_links: frozenset[LinkKind] | None = None
    link_rule: Rule | None = None
    platform_hosts: str | None = None
    contact_rule: Rule | None = None
    logo_link_rule: Rule | None = None
    contact_window: ContactWindow | None = None
    marketplace_notices: Mapping[str, Rule] = field(default_factory=dict)
    unsubscribe_rule: Rule | None = None

    def forbidding_rule(self, message: str) -> Rule | None:
        """The rule that forbids ``message`` on this channel, if one does."""
        return self.forbidden_messages.get(message)

    def ensure_allowed(self, message: str) -> None:
        """Raise :class:`PolicyError` when this channel forbids ``message``."""
        rule = self.forbidding_rule(message)
        if rule is not None:
            raise PolicyError(f"{message}: {rule.reason}", channel=self.name, rule=rule.id)

    def may_link(self, kind: LinkKind) -> bool:
        """Whether a message on this channel may carry a link of ``kind``."""
        return self.allowed_links is None or kind in self.allowed_links

    def links_for(self, message: MessageKind) -> frozenset[LinkKind]:
        """The kinds of link ``message`` may carry on this channel."""
        allowed = LINK_KINDS if self.allowed_links is None else self.allowed_links
        return message.links & allowed

    @property
    def restricts_output(self) -> bool:
        """Whether rendered messages are checked link by link (compliance.py)."""
        return any(
            rule is not None for rule in (self.link_rule, self.contact_rule, self.logo_link_rule)
        )

    @property
    def sends_unsubscribe_header(self) -> bool:
        """Whether follow-ups on this channel carry one-click unsubscribe headers."""
        return self.unsubscribe_rule is not None

    @property
    def may_link_product_pages(self) -> bool:
        return self.may_link("product")

    @property
    def may_link_storefront(self) -> bool:
        return self.may_link("storefront")

    @property
    def may_link_return_policy(self) -> bool:
        return self.may_link("return_policy")

    @property
    def may_link_tracking(self) -> bool:
        return self.may_link("tracking")

    @property
    def may_link_logo(self) -> bool:
        return self.logo_link_rule is None and self.may_link_storefront

    @property
    def may_show_email_address(self) -> bool:
        return self.contact_rule is None

    @property
    def may_show_phone(self) -> bool:
        return self.contact_rule is None


def _one_request(channel: str, reason: str) -> Rule:
    return Rule(f"{channel}.one-request-per-order", reason)


_AMAZON_INCENTIVE = Rule(
    "amazon.no-incentives",
    "a gift certificate sent after a complaint or negative feedback reads as an incentive to "
    "change it, and one for another store is marketing; Amazon forbids both. Make it right "
    "with a refund or a replacement instead",
)

_AMAZON = ChannelRules(
    name="amazon",
    label="Amazon Buyer-Seller Messaging",
    forbidden_messages=MappingProxyType(
        {
            "shipping_confirmation": Rule(
                "amazon.no-order-or-shipping-confirmation",
                "Amazon sends order and shipping confirmations itself and forbids sellers to",
            ),
            "delivery_checkin": Rule(
                "amazon.no-check-in-or-thank-you",
                "a 'did it arrive well' check-in is none of the reasons Amazon permits a "
                "proactive message for and reads as a thank-you-only message; the review "
                "request is the one follow-up allowed",
            ),
            "resolution_gift_certificate": _AMAZON_INCENTIVE,
        }
    ),
    allowed_links=frozenset({"feedback", "review", "tracking", "return_label"}),
    link_rule=Rule(
        "amazon.only-needed-links",
        "Amazon allows only links needed to complete the order (the review and feedback "
        "pages, tracking, a return label): no product detail pages, storefronts or other sites",
    ),
    contact_rule=Rule(
        "amazon.no-direct-contact",
        "buyers reach the seller through Buyer-Seller Messaging: no e-mail addresses or phone "
        "numbers in messages",
    ),
    logo_link_rule=Rule("amazon.no-linked-logo", "Amazon forbids logos that link"),
    review_window=ReviewWindow(
        5,
        30,
        Rule(
            "amazon.review-request-window",
            "Amazon allows the review and feedback request 5 to 30 days after delivery",
        ),
    ),
    contact_window=ContactWindow(
        30,
        Rule(
            "amazon.contact-window",
            "Amazon allows proactive messages only within 30 days of order completion",
        ),
    ),
    solicitation_rule=_one_request(
        "amazon", "Amazon allows one review or feedback request per order"
    ),
)

_OFF_EBAY = Rule(
    "ebay.no-off-ebay-links",
    "eBay forbids links that take buyers off eBay (shop, product and carrier pages alike); "
    "buyers find tracking in their eBay order",
)

_EBAY = ChannelRules(
    name="ebay",
    label="eBay messages",
    forbidden_messages=MappingProxyType(
        {
            "resolution_gift_certificate": Rule(
                "ebay.no-off-ebay-offers",
                "a gift certificate for the seller's own store invites the buyer to buy "
                "outside eBay, and one sent after negative feedback reads as payment for a "
                "revision; eBay forbids both. Make it right with a refund or a replacement",
            ),
        }
    ),
    allowed_links=frozenset({"feedback", "review"}),
    link_rule=_OFF_EBAY,
    platform_hosts=r"(?:^|\.)ebay\.(?:[a-z]{2,3}|co\.uk|com\.au)$",
    contact_rule=Rule(
        "ebay.no-off-ebay-contact",
        "eBay forbids off-eBay contact details: buyers reach the seller through eBay messages",
    ),
    logo_link_rule=_OFF_EBAY,
    review_window=ReviewWindow(
        1,
        30,
        Rule(
            "ebay.review-request-window",
            "sellercomms asks between the day after delivery and 30 days after it, well "
            "inside the time eBay accepts feedback",
        ),
    ),
    marketplace_notices=MappingProxyType(
        {
            "shipping_confirmation": Rule(
                "ebay.marketplace-sends-shipping-notice",
                "eBay tells the buyer itself when the tracking number is uploaded",
            ),
        }
    ),
    solicitation_rule=_one_request(
        "ebay", "sellercomms asks once per order: a second request costs more goodwill than it wins"
    ),
)

_OWN = ChannelRules(
    name="own",
    label="the seller's own e-mail",
    review_window=ReviewWindow(
        1,
        30,
        Rule(
            "own.review-request-window",
            "sellercomms asks between the day after delivery and 30 days after it; later, "
            "buyers have moved on",
        ),
    ),
    solicitation_rule=_one_request(
        "own", "sellercomms asks once per order: a second request costs more goodwill than it wins"
    ),
    unsubscribe_rule=Rule(
        "own.follow-up-needs-unsubscribe",
        "follow-ups by e-mail carry a one-click unsubscribe (RFC 8058, required by Gmail and "
        "Yahoo of bulk senders); add an https `unsubscribe` link to [links] in the seller "
        "profile",
    ),
)

CHANNELS: Mapping[str, ChannelRules] = MappingProxyType(
    {rules.name: rules for rules in (_OWN, _AMAZON, _EBAY)}
)


def get_channel(name: str) -> ChannelRules:
    """The rules of channel ``name`` (``own``, ``amazon`` or ``ebay``)."""
    try:
        return CHANNELS[name]
    except KeyError:
        known = ", ".join(CHANNELS)
        raise ValueError(f"unknown channel {name!r}; known channels: {known}") from None
