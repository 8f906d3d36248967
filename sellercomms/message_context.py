"""The context of one message for one order, with the channel and the locale decided once.

Both pipelines start here: the e-mail composer (composer.py) and the packing slips
(slips/html.py).  The channel is resolved (relays.py), the message checked against it, the
locale chosen and its formatter taken, the message's extra data validated, and then
:func:`~sellercomms.context.build_context` turns the order into what templates see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel import Locale

from .compliance import check_data_links
from .context import MessageContext, build_context
from .formatting import Formatter, get_formatter, resolve_locale
from .marketplaces import get_marketplace
from .message_data import MessageData, validate_data
from .messages import MessageKind
from .models import Order, Seller
from .relays import resolve_channel

__all__ = ["message_context", "message_formatter", "message_locale"]


def message_locale(order: Order, locale: str | None = None) -> Locale:
    """The message locale: ``locale`` > the buyer's preferred language > the order's >
    the marketplace's > ``en_US``."""
    market = get_marketplace(order.marketplace)
    return resolve_locale(locale, order.buyer_language, order.locale, market.default_locale)


def message_formatter(order: Order, locale: str | None = None) -> Formatter:
    """The formatter of the message locale, in the order's time zone (else the marketplace's)."""
    market = get_marketplace(order.marketplace)
    return get_formatter(message_locale(order, locale), order.timezone or market.default_timezone)


def message_context(
    seller: Seller,
    kind: MessageKind,
    order: Order,
    *,
    locale: str | None = None,
    channel: str | None = None,
    shipment_index: int | None = None,
    data: MessageData | Mapping[str, Any] | None = None,
) -> MessageContext:
    """What the template of ``kind`` sees for ``order``.

    Raises :class:`~sellercomms.PolicyError` when the channel forbids the message or a link
    in ``data``, :class:`~sellercomms.InputError` when ``data`` does not fit the message.
    """
    rules = resolve_channel(order, channel)
    rules.ensure_allowed(kind.name)
    formatter = message_formatter(order, locale)
    data = validate_data(kind.name, data, order, seller, locale=formatter.locale)
    check_data_links(kind, rules, data)
    return build_context(
        order,
        seller,
        message=kind,
        channel=rules,
        formatter=formatter,
        shipment_index=shipment_index,
        data=data,
    )
