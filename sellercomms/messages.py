"""The built-in messages: what each one is for and how it reaches the buyer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

__all__ = ["EMAIL_TEMPLATES", "MESSAGES", "MessageKind"]


@dataclass(frozen=True, slots=True)
class MessageKind:
    """One built-in message.

    ``transactional`` messages answer something the buyer did (an order, a complaint); the
    others are follow-ups, which carry an unsubscribe header on the seller's own channel.
    ``asks_reviews`` messages link every item to its review page.
    """

    name: Literal[
        "shipping_confirmation",
        "delivery_checkin",
        "review_request",
        "resolution_refund",
        "resolution_replacement",
        "resolution_gift_certificate",
        "return_instructions",
        "packing_slip",
    ]
    medium: Literal["email", "packing_slip"]
    transactional: bool
    asks_reviews: bool
    summary: str


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
