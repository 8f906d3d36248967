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

from .exceptions import InputError, PolicyError
from .marketplaces import host_pattern
from .messages import LINK_KINDS, MESSAGES, LinkKind, MessageKind

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
    * ``feedback_messages``: the built-in messages that may carry the seller-feedback and
      review links (a seller's own templates always may); ``feedback_rule`` is what such a
      link elsewhere breaks; ``feedback_paths`` tells the channel's own feedback and review
      pages among its other pages.  Packing slips carry the feedback and review codes only where
      ``packing_slip`` is one of them.
    * ``tracks_by_email``: the seller e-mails the tracking number (a packing slip printed
      before the label says so); on marketplaces the buyer finds it in the order.
    * ``platform_paths``: with ``platform_hosts``, only these pages of the channel's own
      site are always allowed (Amazon: order details, Your Orders, review and feedback pages;
      not product detail pages).
    * ``emoji_rule``: when set, no emoji.  ``image_rule``: when set, images come only from
      the seller's own site, the channel's (``image_hosts``) or the message itself, and none
      is a tracking pixel.  ``order_id_rule``: when set, follow-ups name the order id.
    * ``opt_out_rule``: when set, no opt-out wording ("reply STOP"); the marketplace handles
      opt-outs (``sellercomms check`` reads the words).
    * ``proactive_rule``: when set, one proactive message per order in all: the review
      request or one other (the planner suppresses the second).
    * ``language_rule``: when set, messages go out in the buyer's preferred language
      (``buyer_language``) or not at all (the planner).
    * ``sentiment_incentive_rule``, ``suppression_rule``: when set, ``sellercomms check``
      fails wording that offers something for a positive review, or that keeps negative
      reviews from being written (the US FTC rule, 16 CFR 465.4 and 465.7).
    * ``revision_window``, ``revision_rule``: where the channel has a feedback revision
      process (eBay), how long after the feedback the request may go out, and that it goes
      out once (the planner; only after a resolution was sent).
    * ``relay_domains``: a regular expression of the mail domains of the marketplace's relay
      (``marketplace.amazon.de``); a buyer address there means the message goes through the
      marketplace whatever the order's channel says, and ``relay_rule`` is what another
      channel for it breaks (relays.py).
    * ``needs_buyer_address``: messages go to the buyer's own e-mail address (the seller's
      own mail), so an order without one gets none; marketplaces deliver through their own
      messaging instead.
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
    platform_paths: str | None = None
    emoji_rule: Rule | None = None
    image_rule: Rule | None = None
    image_hosts: str | None = None
    order_id_rule: Rule | None = None
    opt_out_rule: Rule | None = None
    proactive_rule: Rule | None = None
    language_rule: Rule | None = None
    sentiment_incentive_rule: Rule | None = None
    suppression_rule: Rule | None = None
    revision_window: ContactWindow | None = None
    revision_rule: Rule | None = None
    relay_domains: str | None = None
    relay_rule: Rule | None = None
    feedback_messages: frozenset[str] = frozenset()
    feedback_rule: Rule | None = None
    feedback_paths: str | None = None
    tracks_by_email: bool = False
    needs_buyer_address: bool = False

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
        if not self.may_carry_feedback(message.name):
            allowed = allowed - _FEEDBACK_LINKS
        return message.links & allowed

    def may_carry_feedback(self, message: str) -> bool:
        """Whether ``message`` may carry the seller-feedback and review links here."""
        return message in self.feedback_messages or message not in MESSAGES

    @property
    def restricts_output(self) -> bool:
        """Whether rendered messages are checked link by link (compliance.py)."""
        return any(
            rule is not None
            for rule in (
                self.link_rule,
                self.contact_rule,
                self.logo_link_rule,
                self.emoji_rule,
                self.image_rule,
                self.order_id_rule,
            )
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


_FEEDBACK_LINKS: frozenset[LinkKind] = frozenset({"feedback", "review"})
# Where a quiet feedback line or the request itself may go when a channel sets no limit.
_EVERY_FEEDBACK_MESSAGE = frozenset(
    {
        "shipping_confirmation",
        "delivery_checkin",
        "review_request",
        "return_instructions",
        "packing_slip",
    }
)


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
                "Amazon sends order and shipping confirmations itself and forbids sellers to "
                "send their own",
            ),
            "delivery_checkin": Rule(
                "amazon.no-check-in-or-thank-you",
                "a 'did it arrive well' check-in is none of the reasons Amazon permits a "
                "proactive message for and reads as a thank-you-only message; the review "
                "request is the one follow-up allowed",
            ),
            "resolution_gift_certificate": _AMAZON_INCENTIVE,
            "feedback_revision": Rule(
                "amazon.no-feedback-change-request",
                "Amazon forbids asking a buyer to change or remove a review or feedback, "
                "even after the problem is solved",
            ),
        }
    ),
    allowed_links=frozenset({"feedback", "review", "tracking", "return_label"}),
    link_rule=Rule(
        "amazon.only-needed-links",
        "Amazon allows only links needed to complete the order (the review and feedback "
        "pages, tracking, a return label): no product detail pages, storefronts or other sites",
    ),
    # Amazon's own pages the buyer needs: order details, Your Orders, the review and
    # feedback pages; product detail pages stay out ("links not needed to complete the order").
    platform_hosts=host_pattern("amazon"),
    platform_paths=r"^/(?:gp/(?:css|your-account)/order-(?:details|history)|your-orders(?:/|$)"
    r"|gp/feedback/leave-customer-feedback|hz/feedback|review/(?:create-review|review-your-"
    r"purchases))",
    emoji_rule=Rule(
        "amazon.no-emoji",
        "Amazon's Communication Guidelines allow no emoji in messages to buyers",
    ),
    image_rule=Rule(
        "amazon.no-third-party-images",
        "Amazon allows no images from third parties, tracking pixels included: only the "
        "seller's own logo, from the seller's own site or Amazon's",
    ),
    image_hosts=r"(?:^|\.)(?:media-amazon\.com|ssl-images-amazon\.com|images-amazon\.com)$",
    order_id_rule=Rule(
        "amazon.order-id-in-message",
        "Amazon wants the order id in every proactive message, so the buyer knows which order "
        "it is about",
    ),
    opt_out_rule=Rule(
        "amazon.no-opt-out-text",
        "Amazon handles buyers' opt-outs itself: messages may not tell buyers how to opt out "
        "('reply STOP', 'unsubscribe')",
    ),
    proactive_rule=Rule(
        "amazon.one-proactive-message-per-order",
        "Amazon allows one unsolicited message per order in all: the review request (Amazon's "
        "Request a Review button counts) or one other, not both",
    ),
    language_rule=Rule(
        "amazon.buyer-language",
        "Amazon wants messages in the buyer's preferred language; where no catalog translates "
        "them, use Amazon's Request a Review button, whose message Amazon translates, instead "
        "of writing in English",
    ),
    contact_rule=Rule(
        "amazon.no-direct-contact",
        "buyers reach the seller through Buyer-Seller Messaging: no e-mail addresses or phone "
        "numbers in messages",
    ),
    logo_link_rule=Rule("amazon.no-linked-logo", "Amazon forbids images that link, logos included"),
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
    feedback_messages=frozenset({"review_request", "packing_slip"}),
    feedback_paths=r"^/(?:gp/feedback/|hz/feedback|review/)",
    feedback_rule=Rule(
        "amazon.feedback-link-in-the-request-only",
        "Amazon allows one review or feedback request per order: the feedback and review "
        "links belong in the review request (and on the packing slip) only, and next to a "
        "resolution they read as asking to change the feedback",
    ),
    relay_domains=r"^marketplace\.amazon\.(?:[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})$",
    relay_rule=Rule(
        "amazon.relay-address",
        "the buyer's address is Amazon's Buyer-Seller Messaging relay "
        "(…@marketplace.amazon.…): whatever the channel says, the message reaches the buyer "
        "through Amazon, and Amazon's rules apply",
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
    feedback_messages=_EVERY_FEEDBACK_MESSAGE | {"feedback_revision"},
    feedback_rule=Rule(
        "ebay.no-feedback-link-with-a-resolution",
        "eBay forbids offering a refund or anything else for particular feedback: a "
        "resolution carries no feedback link; ask for a revision separately, once the "
        "problem is solved (feedback_revision)",
    ),
    feedback_paths=r"^/fdbk/",
    revision_window=ContactWindow(
        30,
        Rule(
            "ebay.feedback-revision-window",
            "eBay takes feedback revision requests within 30 days of the feedback being left",
        ),
    ),
    revision_rule=Rule(
        "ebay.one-revision-request",
        "eBay allows one revision request per feedback, and only once the problem is solved",
    ),
    # eBay gives every member a static alias at members.ebay.<site domain> (developer.ebay.com,
    # Trading API guide, "Member communications").
    relay_domains=r"^members\.ebay\.(?:[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})$",
    relay_rule=Rule(
        "ebay.relay-address",
        "the buyer's address is an eBay alias (…@members.ebay.…): whatever the channel says, "
        "the message reaches the buyer through eBay, and eBay's rules apply",
    ),
)

_OWN = ChannelRules(
    name="own",
    label="the seller's own e-mail",
    needs_buyer_address=True,
    forbidden_messages=MappingProxyType(
        {
            "feedback_revision": Rule(
                "own.no-feedback-revision",
                "only eBay has a feedback revision process; elsewhere asking a buyer to "
                "change a review is pressure on it, which the US FTC rule on reviews "
                "(16 CFR 465.7) and most marketplaces forbid",
            ),
        }
    ),
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
    feedback_messages=_EVERY_FEEDBACK_MESSAGE,
    tracks_by_email=True,
    sentiment_incentive_rule=Rule(
        "own.ftc-sentiment-incentive",
        "the US FTC rule on consumer reviews (16 CFR 465.4, in force since October 2024) "
        "forbids offering anything for a review that expresses a particular sentiment, "
        "positive or negative",
    ),
    suppression_rule=Rule(
        "own.ftc-review-suppression",
        "the US FTC rule on consumer reviews (16 CFR 465.7) forbids keeping negative reviews "
        "from being written or posted, by threats or by intimidation; ask every buyer alike",
    ),
    unsubscribe_rule=Rule(
        "own.follow-up-needs-unsubscribe",
        "follow-ups by e-mail carry a one-click unsubscribe (RFC 8058, required by Gmail and "
        "Yahoo of bulk senders); add an https `unsubscribe` link to [links] in the seller "
        "profile",
    ),
)

_OFF_ETSY = Rule(
    "etsy.no-off-etsy-links",
    "Etsy keeps buyers on Etsy: links may lead only to Etsy's own pages (the purchases page "
    "where buyers review), not to the seller's shop, product or carrier pages elsewhere",
)

_ETSY = ChannelRules(
    name="etsy",
    label="Etsy Messages",
    forbidden_messages=MappingProxyType(
        {
            "resolution_gift_certificate": Rule(
                "etsy.no-off-etsy-offers",
                "a gift certificate for the seller's own store steers the buyer off Etsy, "
                "and one sent after a poor review reads as an incentive tied to the rating; "
                "Etsy forbids both. Make it right with a refund or a replacement",
            ),
            "feedback_revision": Rule(
                "etsy.no-review-pressure",
                "Etsy forbids pressing buyers to change a review: answer it publicly instead",
            ),
        }
    ),
    allowed_links=frozenset({"feedback", "review"}),
    link_rule=_OFF_ETSY,
    platform_hosts=r"(?:^|\.)etsy\.com$",
    contact_rule=Rule(
        "etsy.messages-only",
        "Etsy buyers are contacted through Etsy Messages: no e-mail addresses or phone "
        "numbers, which would take the conversation, or the buyer onto a mailing list, "
        "off Etsy without the buyer's consent",
    ),
    logo_link_rule=_OFF_ETSY,
    review_window=ReviewWindow(
        1,
        100,
        Rule(
            "etsy.review-request-window",
            "Etsy buyers can review a purchase for 100 days after delivery",
        ),
    ),
    marketplace_notices=MappingProxyType(
        {
            "shipping_confirmation": Rule(
                "etsy.marketplace-sends-shipping-notice",
                "Etsy tells the buyer itself when the order is marked as shipped",
            ),
        }
    ),
    solicitation_rule=_one_request(
        "etsy", "sellercomms asks once per order: a second request costs more goodwill than it wins"
    ),
    feedback_messages=_EVERY_FEEDBACK_MESSAGE,
)

_WALMART_UNSOLICITED = Rule(
    "walmart.no-unsolicited-contact",
    "Walmart sends the order, shipping and delivery e-mails and the review requests itself "
    "and bans unsolicited contact: write to a Walmart buyer only to answer them or to solve "
    "a problem with their order",
)
_WALMART_NO_PROMOTION = Rule(
    "walmart.no-promotional-material",
    "Walmart forbids promotional material, in the parcel and in messages: no links to the "
    "seller's website, product pages or other sites; tracking and a return label are what "
    "the buyer needs",
)

_WALMART = ChannelRules(
    name="walmart",
    label="Walmart Seller Center messages",
    forbidden_messages=MappingProxyType(
        {
            "shipping_confirmation": Rule(
                "walmart.marketplace-sends-order-emails",
                "Walmart sends order and shipping e-mails to the buyer at every stage itself",
            ),
            "delivery_checkin": _WALMART_UNSOLICITED,
            "review_request": Rule(
                "walmart.no-review-requests",
                "Walmart sends its own review requests and bans attempts to influence reviews",
            ),
            "resolution_gift_certificate": _WALMART_NO_PROMOTION,
            "feedback_revision": Rule(
                "walmart.no-review-influence",
                "Walmart bans attempts to influence reviews, asking to change one included",
            ),
        }
    ),
    allowed_links=frozenset({"tracking", "return_label"}),
    link_rule=_WALMART_NO_PROMOTION,
    platform_hosts=r"(?:^|\.)walmart\.(?:com|ca)$",
    logo_link_rule=_WALMART_NO_PROMOTION,
    review_window=ReviewWindow(
        5,
        30,
        Rule(
            "walmart.review-request-window",
            "Walmart sends its own review requests; sellercomms sends none",
        ),
    ),
    solicitation_rule=_one_request("walmart", "Walmart sends its own review requests"),
    feedback_rule=Rule(
        "walmart.no-feedback-requests",
        "Walmart asks for reviews itself and forbids promotional inserts: neither messages "
        "nor the packing slip carry a feedback or review request",
    ),
)

_OFF_TIKTOK = Rule(
    "tiktok.no-off-platform-links",
    "TikTok Shop forbids links, QR codes and contact details that take buyers off TikTok "
    "Shop: links may lead only to TikTok's own pages",
)

_TIKTOK = ChannelRules(
    name="tiktok",
    label="TikTok Shop messages",
    forbidden_messages=MappingProxyType(
        {
            "resolution_gift_certificate": Rule(
                "tiktok.no-outside-incentives",
                "TikTok Shop allows rewards around reviews only through its own programme; "
                "a gift certificate for the seller's store after a complaint reads as one, "
                "and takes the buyer off TikTok Shop",
            ),
            "feedback_revision": Rule(
                "tiktok.no-review-change-request",
                "TikTok Shop forbids asking buyers to change a review",
            ),
        }
    ),
    allowed_links=frozenset({"feedback", "review"}),
    link_rule=_OFF_TIKTOK,
    platform_hosts=r"(?:^|\.)tiktok\.com$",
    contact_rule=Rule(
        "tiktok.no-off-platform-contact",
        "TikTok Shop forbids e-mail addresses and phone numbers that take buyers off the "
        "platform: buyers reach the seller through TikTok Shop messages",
    ),
    logo_link_rule=_OFF_TIKTOK,
    review_window=ReviewWindow(
        1,
        30,
        Rule(
            "tiktok.review-request-window",
            "sellercomms asks between the day after delivery and 30 days after it",
        ),
    ),
    marketplace_notices=MappingProxyType(
        {
            "shipping_confirmation": Rule(
                "tiktok.marketplace-sends-shipping-notice",
                "TikTok Shop shows the buyer the shipment and its tracking in the order",
            ),
        }
    ),
    solicitation_rule=_one_request(
        "tiktok",
        "sellercomms asks once per order: a second request costs more goodwill than it wins",
    ),
    feedback_messages=_EVERY_FEEDBACK_MESSAGE - {"packing_slip"},
    feedback_rule=Rule(
        "tiktok.no-codes-on-packages",
        "TikTok Shop forbids QR codes and off-platform links on packages: the packing slip "
        "carries no feedback or review codes",
    ),
)

CHANNELS: Mapping[str, ChannelRules] = MappingProxyType(
    {rules.name: rules for rules in (_OWN, _AMAZON, _EBAY, _ETSY, _WALMART, _TIKTOK)}
)


def get_channel(name: str) -> ChannelRules:
    """The rules of channel ``name`` (``own``, ``amazon``, ``ebay``, ``etsy``, ``walmart``,
    ``tiktok``); :class:`InputError` for an unknown one."""
    try:
        return CHANNELS[name]
    except KeyError:
        known = ", ".join(CHANNELS)
        raise InputError(
            f"unknown channel {name!r}; known channels: {known}", path="channel"
        ) from None
