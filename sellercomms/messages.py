"""The built-in messages: what each one is for and how it reaches the buyer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, get_args

__all__ = [
    "EMAIL_TEMPLATES",
    "LINK_KINDS",
    "MESSAGES",
    "LinkKind",
    "MessageKind",
    "email_template_files",
]

#: What a link in a message leads to.  Channels allow some kinds (channels.py); every URL a
#: message carries is one of these.
LinkKind = Literal[
    "feedback",  # the seller-feedback page of the order
    "review",  # an item's product-review page
    "tracking",  # a carrier's tracking page
    "product",  # an item's product page
    "storefront",  # the seller's website (and a logo linking to it)
    "return_policy",  # the seller's return-policy page
    "return_label",  # a return label to print
    "redeem",  # where a gift certificate is redeemed
    "unsubscribe",  # the seller's unsubscribe page
]
LINK_KINDS: frozenset[LinkKind] = frozenset(get_args(LinkKind))


@dataclass(frozen=True, slots=True)
class MessageKind:
    """One built-in message.

    ``transactional`` messages answer something the buyer did (an order, a complaint); the
    others are follow-ups, which carry an unsubscribe header on the seller's own channel.
    ``asks_reviews`` messages link every item to its review page.  ``links`` are the kinds of
    link the message may carry; a channel that restricts links allows only those of them it
    permits too.
    """

    name: Literal[
        "shipping_confirmation",
        "delivery_checkin",
        "review_request",
        "resolution_refund",
        "resolution_replacement",
        "resolution_gift_certificate",
        "return_instructions",
        "feedback_revision",
        "packing_slip",
    ]
    medium: Literal["email", "packing_slip"]
    transactional: bool
    asks_reviews: bool
    summary: str
    links: frozenset[LinkKind] = LINK_KINDS


MESSAGES: Mapping[str, MessageKind] = MappingProxyType(
    {
        kind.name: kind
        for kind in (
            MessageKind(
                "shipping_confirmation",
                "email",
                transactional=True,
                asks_reviews=True,
                summary="The order shipped: tracking per parcel, review links, feedback link.",
                links=frozenset(
                    {"feedback", "review", "tracking", "product", "storefront", "return_policy"}
                ),
            ),
            MessageKind(
                "delivery_checkin",
                "email",
                transactional=False,
                asks_reviews=False,
                summary="A day after delivery: did it arrive well, as described? How to reach us.",
                links=frozenset(
                    {
                        "feedback",
                        "tracking",
                        "product",
                        "storefront",
                        "return_policy",
                        "unsubscribe",
                    }
                ),
            ),
            MessageKind(
                "review_request",
                "email",
                transactional=False,
                asks_reviews=True,
                summary="The one neutral request for item reviews and seller feedback.",
                links=frozenset(
                    {"feedback", "review", "product", "storefront", "return_policy", "unsubscribe"}
                ),
            ),
            MessageKind(
                "return_instructions",
                "email",
                transactional=True,
                asks_reviews=False,
                summary="How to return or cancel: return address, deadline, label.",
                links=frozenset({"feedback", "return_label", "storefront", "return_policy"}),
            ),
            MessageKind(
                "resolution_refund",
                "email",
                transactional=True,
                asks_reviews=False,
                summary="Making it right with a refund: apology, the amount, how to reach us.",
                links=frozenset({"storefront", "return_policy"}),
            ),
            MessageKind(
                "resolution_replacement",
                "email",
                transactional=True,
                asks_reviews=False,
                summary="Making it right with a replacement: apology, what we send, its tracking.",
                links=frozenset({"tracking", "product", "storefront", "return_policy"}),
            ),
            MessageKind(
                "resolution_gift_certificate",
                "email",
                transactional=True,
                asks_reviews=False,
                summary="Making it right with a gift certificate: apology, code, value, expiry.",
                links=frozenset({"redeem", "storefront", "return_policy"}),
            ),
            MessageKind(
                "feedback_revision",
                "email",
                transactional=False,
                asks_reviews=False,
                summary="After a problem was solved (eBay only): one request to revise feedback.",
                links=frozenset({"feedback"}),
            ),
            MessageKind(
                "packing_slip",
                "packing_slip",
                transactional=True,
                asks_reviews=True,
                summary="One printed slip per parcel, with feedback and review QR codes.",
            ),
        )
    }
)

#: Names of the built-in e-mail templates, in the order a buyer would receive them.
EMAIL_TEMPLATES: tuple[str, ...] = tuple(k.name for k in MESSAGES.values() if k.medium == "email")


def email_template_files(message: str) -> tuple[str, str]:
    """The HTML and plain-text templates of the e-mail ``message``.

    >>> email_template_files("review_request")
    ('emails/review_request.html', 'emails/review_request.txt')
    """
    return f"emails/{message}.html", f"emails/{message}.txt"
