"""What a template sees: an order turned into links, parcels, totals and formatted values.

:func:`build_context` is the one place that decides this, for e-mails and packing slips alike,
so every message of an order shows the same links and tracking.  docs/templates.md lists
every name it provides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .channels import ChannelRules
from .formatting import Formatter
from .links import LinkBuilder
from .messages import MessageKind
from .models import Address, Item, Order, Seller, Shipment
from .tracking import Tracking, track

__all__ = ["ItemView", "MessageLinks", "ParcelLine", "ShipmentView", "Totals", "build_context"]


@dataclass(frozen=True, slots=True)
class ItemView:
    """One ordered item with its review link; prices are ``None`` when hidden or unknown."""

    sku: str
    title: str
    variant: str | None
    quantity: int
    unit_price: Decimal | None
    line_total: Decimal | None
    review_url: str | None
    product_url: str | None
    image_url: str | None
    product_id: str | None


@dataclass(frozen=True, slots=True)
class ParcelLine:
    """How many of one item a parcel holds."""

    item: ItemView
    quantity: int


@dataclass(frozen=True, slots=True)
class ShipmentView:
    """One parcel: its tracking (``None`` before a label is bought) and contents.

    ``number`` counts parcels from 1; ``count`` is how many parcels the order has.
    """

    number: int
    count: int
    tracking: Tracking | None
    carrier_name: str | None
    service: str | None
    shipped_at: datetime | None
    estimated_delivery: date | None
    delivered_at: datetime | None
    items: tuple[ParcelLine, ...]

    @property
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.items)


@dataclass(frozen=True, slots=True)
class Totals:
    """The order's money; ``subtotal`` and ``total`` are ``None`` when a unit price is missing."""

    subtotal: Decimal | None
    shipping: Decimal
    tax: Decimal
    discount: Decimal
    total: Decimal | None


@dataclass(frozen=True, slots=True)
class MessageLinks:
    """The feedback, review and tracking links a message uses."""

    feedback: str | None
    reviews: Mapping[str, str] = field(default_factory=dict)
    tracking: tuple[str, ...] = ()

    def all(self) -> list[str]:
        """Every link, feedback first."""
        found = [self.feedback] if self.feedback else []
        return [*found, *self.reviews.values(), *self.tracking]


def build_context(
    order: Order,
    seller: Seller,
    *,
    message: MessageKind,
    channel: ChannelRules,
    formatter: Formatter,
    shipment_index: int | None = None,
    data: Any = None,
) -> dict[str, Any]:
    """The variables a template of ``message`` sees for ``order``.

    ``shipment_index`` narrows ``shipments`` to one parcel (a packing slip); ``data`` is the
    validated extra data of messages that need it (a refund amount, a return deadline …,
    see message_data.py).  ``unsubscribe_url`` is set for follow-ups on channels that send
    unsubscribe headers.
    """
    links = LinkBuilder(order, seller, medium=message.medium, campaign=message.name)
    show_prices = order.gift is None or not order.gift.hide_prices
    items = [_item_view(item, links, show_prices) for item in order.items]
    by_sku = {view.sku: view for view in items}
    shipments = [
        _shipment_view(s, n, len(order.shipments), by_sku, order, formatter)
        for n, s in enumerate(order.shipments, start=1)
    ]
    if shipment_index is not None:
        shipments = [shipments[shipment_index]]
    feedback_url = links.feedback_url()
    message_links = MessageLinks(
        feedback=feedback_url,
        reviews={v.sku: v.review_url for v in items if v.review_url},
        tracking=tuple(s.tracking.url for s in shipments if s.tracking and s.tracking.url)
        if channel.may_link_tracking
        else (),
    )
    return {
        "message": message,
        "locale": str(formatter.locale),
        "lang": formatter.language_tag,
        "dir": formatter.direction,
        "formatter": formatter,
        "currency": order.currency,
        "seller": seller,
        "order": order,
        "customer": order.customer,
        "ship_to": order.ship_to,
        "return_address": _return_address(seller),
        "items": items,
        "shipments": shipments,
        "feedback_url": feedback_url,
        # eBay takes feedback per purchased item, on the same page as the item's "review".
        "feedback_per_item": links.marketplace.review_pattern is not None
        and links.marketplace.review_pattern == links.marketplace.feedback_pattern,
        "links": message_links,
        "totals": _totals(order) if show_prices else None,
        "show_prices": show_prices,
        "gift_message": order.gift.message if order.gift else None,
        "channel": channel,
        "support_email": seller.email if channel.may_show_email_address else None,
        "support_phone": seller.phone if channel.may_show_phone else None,
        "website": seller.website if channel.may_link_storefront else None,
        "return_policy_url": seller.return_policy_url if channel.may_link_storefront else None,
        "data": data or {},
        "unsubscribe_url": (
            links.unsubscribe_url()
            if channel.sends_unsubscribe_header and not message.transactional
            else None
        ),
    }


def _item_view(item: Item, links: LinkBuilder, show_prices: bool) -> ItemView:
    price = item.unit_price if show_prices else None
    return ItemView(
        sku=item.sku,
        title=item.title,
        variant=item.variant,
        quantity=item.quantity,
        unit_price=price,
        line_total=price * item.quantity if price is not None else None,
        review_url=links.review_url(item),
        product_url=item.product_url,
        image_url=item.image_url,
        product_id=item.product_id,
    )


def _shipment_view(
    shipment: Shipment,
    number: int,
    count: int,
    items: Mapping[str, ItemView],
    order: Order,
    formatter: Formatter,
) -> ShipmentView:
    tracking = (
        track(shipment.tracking_number, shipment.carrier, locale=str(formatter.locale))
        if shipment.tracking_number
        else None
    )
    carrier_name = tracking.carrier_name if tracking else shipment.carrier
    if shipment.items is None:
        lines = tuple(ParcelLine(items[i.sku], i.quantity) for i in order.items)
    else:
        lines = tuple(ParcelLine(items[line.sku], line.quantity) for line in shipment.items)
    return ShipmentView(
        number=number,
        count=count,
        tracking=tracking,
        carrier_name=carrier_name,
        service=shipment.service,
        shipped_at=shipment.shipped_at,
        estimated_delivery=shipment.estimated_delivery,
        delivered_at=shipment.delivered_at,
        items=lines,
    )


def _totals(order: Order) -> Totals:
    return Totals(
        subtotal=order.subtotal,
        shipping=order.shipping_price,
        tax=order.tax,
        discount=order.discount,
        total=order.total,
    )


def _return_address(seller: Seller) -> Address | None:
    if seller.address is None:
        return None
    return seller.address.model_copy(update={"name": seller.address.name or seller.name})  # type: ignore[return-value]
