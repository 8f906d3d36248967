"""What a template sees: an order turned into links, parcels, totals and formatted values.

:func:`build_context` is the one place that decides this, for e-mails and packing slips alike,
so every message of an order shows the same links and tracking.  It gives a
:class:`MessageContext`, which code reads by attribute and templates receive as variables
(:meth:`MessageContext.variables`); docs/templates.md lists every name.

Templates receive data only: text, numbers, dates, and read-only records of them.
:func:`template_value` turns the pydantic models of an order or of a message's extra data into
such records, because a model also carries methods that read files (``parse_file``) or change
classes (``model_rebuild``); the seller profile becomes a :class:`SellerView` without the path
of its logo.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final

from babel.numbers import format_percent
from pydantic import BaseModel

from .channels import ChannelRules
from .compliance import image_allowed, on_platform
from .exceptions import InputError
from .formatting import Formatter
from .links import LinkBuilder
from .marketplaces import get_marketplace
from .messages import MessageKind
from .models import Address, Customer, Item, Order, PickupPoint, Property, Seller, Shipment
from .tracking import Tracking, track
from .typography import keep_units_together

__all__ = [
    "ItemView",
    "MessageContext",
    "MessageLinks",
    "ParcelLine",
    "PickupView",
    "SellerView",
    "ShipmentView",
    "TaxLineView",
    "TemplateVariables",
    "Totals",
    "build_context",
    "template_value",
    "template_variables",
]

#: Messages that go to the parcel's address, so cannot do without ``ship_to``.
NEEDS_SHIP_TO: Final = frozenset({"shipping_confirmation", "packing_slip"})

#: How many items an e-mail lists before it links the rest to the order page: with more,
#: the inlined HTML would near the size at which Gmail clips a message (docs/templates.md).
ITEM_LIMIT: Final = 20

#: Values templates hold as they are (``bool`` is an ``int``, ``datetime`` a ``date``, and
#: :class:`~markupsafe.Markup` a ``str``).
_PLAIN: Final = (str, int, float, Decimal, date, time, timedelta, type(None))
# The same types exactly, looked up before the isinstance() checks: most values are one.
_PLAIN_TYPES: Final = frozenset({*_PLAIN, bool, datetime})


@dataclass(frozen=True, slots=True)
class ItemView:
    """One ordered line with its review link; prices are ``None`` when hidden or unknown.

    ``line_id`` keys the line (the platform's id, else its position from 1): two lines with
    the same SKU, or none, stay apart.  ``sku`` is ``""`` when the line has none.
    ``thumbnail_url`` is ``image_url`` where the channel lets e-mails show it, else ``None``.
    """

    line_id: str
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
    properties: tuple[Property, ...] = ()
    thumbnail_url: str | None = None


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
class TaxLineView:
    """One tax of the order; ``rate_text`` is the rate in the locale's form (``19 %``)."""

    name: str
    rate: Decimal | None
    rate_text: str | None
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    """The order's money; ``subtotal`` and ``total`` are ``None`` when a unit price is missing.

    With ``prices_include_tax`` the subtotal and shipping already hold ``tax`` (shown as
    "incl. VAT"); ``marketplace_tax`` is what the marketplace collected on top, part of
    ``total``, and ``marketplace_name`` names who collected it.
    """

    subtotal: Decimal | None
    shipping: Decimal
    tax: Decimal
    discount: Decimal
    total: Decimal | None
    prices_include_tax: bool = False
    tax_lines: tuple[TaxLineView, ...] = ()
    marketplace_tax: Decimal = Decimal(0)
    marketplace_name: str = ""
    discount_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PickupView:
    """Where the buyer collects the order, with the fields an address has."""

    name: str
    line1: str | None
    line2: str | None
    city: str | None
    region: str | None
    postal_code: str | None
    country: str | None
    company: None = None


@dataclass(frozen=True, slots=True)
class MessageLinks:
    """The feedback, review and tracking links a message uses; ``reviews`` maps each line's
    ``line_id`` to its review link."""

    feedback: str | None
    reviews: Mapping[str, str] = field(default_factory=dict)
    tracking: tuple[str, ...] = ()

    def all(self) -> list[str]:
        """Every link, feedback first."""
        found = [self.feedback] if self.feedback else []
        return [*found, *self.reviews.values(), *self.tracking]


@dataclass(frozen=True, slots=True)
class SellerView:
    """The seller profile as templates see it: text only.

    ``logo`` is the profile's value as written (a file name or an https link); the slip gets the
    logo file itself as ``slip.logo_url``, which the PDF fetcher checks.
    """

    name: str
    email: str
    phone: str | None
    website: str | None
    logo: str | None
    return_policy_url: str | None
    address: Any  # a ReturnAddress, given to templates as a record (see template_value)


class TemplateVariables(dict[str, Any]):
    """Variables whose values are template values already (:func:`template_variables`):
    the template environment passes them on as they are."""

    def updated(self, **values: Any) -> TemplateVariables:
        """These variables and ``values`` (made template values) over them."""
        return TemplateVariables({**self, **template_variables(values)})


def template_variables(values: Mapping[str, Any]) -> TemplateVariables:
    """``values`` as templates receive them: each one a :func:`template_value`."""
    if isinstance(values, TemplateVariables):
        return values
    return TemplateVariables({name: template_value(value) for name, value in values.items()})


@dataclass(frozen=True, slots=True)
class MessageContext:
    """Everything the templates of one message see for one order, and how it is formatted.

    Templates get each field as a variable of the same name (``{{ order_number }}``,
    ``{{ links.feedback }}``), all but ``formatter``, whose Babel locale can load data files
    by name: the filters use it instead.  ``locale`` is the message locale's name
    (``de_DE``); the Babel ``Locale`` itself is ``formatter.locale``.
    """

    message: MessageKind
    channel: ChannelRules
    formatter: Formatter
    locale: str
    lang: str
    dir: str
    currency: str
    seller: SellerView
    order: Order
    #: What the buyer knows the order by; ``order.order_id`` stays the key (links, files).
    order_number: str
    customer: Customer
    ship_to: Address | None
    pickup_point: PickupView | None
    return_address: Address | None
    items: tuple[ItemView, ...]
    shipments: tuple[ShipmentView, ...]
    feedback_url: str | None
    #: eBay takes feedback per purchased item, on the same page as the item's "review".
    feedback_per_item: bool
    links: MessageLinks
    #: Lists stop after this many items; the rest are on the order page.
    item_limit: int
    order_url: str | None
    totals: Totals | None
    show_prices: bool
    gift_message: str | None
    support_email: str | None
    support_phone: str | None
    website: str | None
    return_policy_url: str | None
    data: Any
    unsubscribe_url: str | None

    def variables(self) -> TemplateVariables:
        """The variables templates receive: every field but ``formatter``, as template values."""
        return TemplateVariables({name: template_value(getattr(self, name)) for name in _VARIABLES})


def template_value(value: Any) -> Any:
    """``value`` as a template receives it: every pydantic model in it becomes a record.

    A record (a frozen dataclass named like the model) holds the model's fields and public
    properties, each again as a template value; lists become tuples and dicts read-only
    mappings where something inside them changed.  Values that hold no model come back as
    they are.  A property whose value is not data (a ``Path``, say) is a ``TypeError``:
    such a model must reach templates through a view of its own, like :class:`SellerView`.

    >>> from sellercomms import sample_orders
    >>> order = template_value(sample_orders()[0])
    >>> order.order_id, type(order).__name__, hasattr(order, "parse_file")
    ('113-7654321-1234567', 'Order', False)
    """
    if type(value) in _PLAIN_TYPES or isinstance(value, _PLAIN):
        return value
    if _is_frozen(value):
        return _frozen_value(_Same(value))
    return _converted(value)


def _is_frozen(value: Any) -> bool:
    if isinstance(value, tuple | frozenset):
        return True
    if isinstance(value, BaseModel):
        return bool(value.model_config.get("frozen"))
    params = getattr(type(value), "__dataclass_params__", None)
    return params is not None and params.frozen


class _Same:
    """A cache key that matches only the very same object (frozen values may be unhashable)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.value is self.value


@functools.lru_cache(maxsize=4096)
def _frozen_value(key: _Same) -> Any:
    # The cache holds the value itself, so its id cannot be reused while it is cached.
    return _converted(key.value)


def _converted(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _record(value)
    if isinstance(value, list | tuple):
        items = tuple(template_value(item) for item in value)
        return items if _changed(items, value) else value
    if isinstance(value, frozenset | set):
        members = frozenset(template_value(member) for member in value)
        return members if members != value else value
    if isinstance(value, Mapping):
        entries = {key: template_value(entry) for key, entry in value.items()}
        return MappingProxyType(entries) if _changed(entries.values(), value.values()) else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        updates = {
            name: converted
            for name in _field_names(type(value))
            if (converted := template_value(original := getattr(value, name))) is not original
        }
        return dataclasses.replace(value, **updates) if updates else value
    return value


def _changed(new: Any, old: Any) -> bool:
    return any(a is not b for a, b in zip(new, old, strict=True))


def _record(model: BaseModel) -> Any:
    cls = type(model)
    values: dict[str, Any] = {}
    for name in _record_fields(cls):
        value = template_value(getattr(model, name))
        if not _is_data(value):
            raise TypeError(
                f"{cls.__name__}.{name} is a {type(value).__name__}, which templates cannot hold"
            )
        values[name] = value
    return _record_class(cls)(**values)


@functools.cache
def _record_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    properties = [
        name
        for name in dir(cls)
        if not name.startswith("_")
        and isinstance(getattr(cls, name, None), property)
        and not hasattr(BaseModel, name)
    ]
    return (*cls.model_fields, *properties)


@functools.cache
def _record_class(cls: type[BaseModel]) -> type[Any]:
    record = dataclasses.make_dataclass(cls.__name__, _record_fields(cls), frozen=True, slots=True)
    record.__module__ = __name__
    return record


def _is_data(value: Any) -> bool:
    """Whether ``value`` (already a template value) is made of plain values only."""
    if type(value) in _PLAIN_TYPES or isinstance(value, _PLAIN):
        return True
    if isinstance(value, tuple | list | frozenset | set):
        return all(_is_data(item) for item in value)
    if isinstance(value, Mapping):
        return all(_is_data(key) and _is_data(entry) for key, entry in value.items())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return all(_is_data(getattr(value, name)) for name in _field_names(type(value)))
    return False


@functools.cache
def _field_names(cls: type[Any]) -> tuple[str, ...]:
    # dataclasses.fields() builds its answer again on every call.
    return tuple(f.name for f in dataclasses.fields(cls))


#: The fields of :class:`MessageContext` that templates see.
_VARIABLES: Final = tuple(
    f.name for f in dataclasses.fields(MessageContext) if f.name != "formatter"
)


def build_context(
    order: Order,
    seller: Seller,
    *,
    message: MessageKind,
    channel: ChannelRules,
    formatter: Formatter,
    shipment_index: int | None = None,
    data: Any = None,
) -> MessageContext:
    """What a template of ``message`` sees for ``order``.

    ``shipment_index`` narrows ``shipments`` to one parcel (a packing slip); ``data`` is the
    validated extra data of messages that need it (a refund amount, a return deadline …,
    see message_data.py).  ``unsubscribe_url`` is set for follow-ups on channels that send
    unsubscribe headers.
    """
    if order.ship_to is None and message.name in NEEDS_SHIP_TO:
        raise InputError(
            f"is required for a {message.name.replace('_', ' ')}",
            path="ship_to",
            order_id=order.order_id,
        )
    links = LinkBuilder(
        order, seller, medium=message.medium, campaign=message.name, channel=channel
    )
    # Prices stay out of what a gift's recipient sees (the slip in the box); the buyer, who
    # reads the e-mails, paid and sees them.
    show_prices = message.medium == "email" or order.gift is None or not order.gift.hide_prices
    items = [
        _item_view(item, position, links, show_prices)
        for position, item in enumerate(order.items, start=1)
    ]
    shipments = [
        _shipment_view(s, n, len(order.shipments), items, order, formatter, seller.country)
        for n, s in enumerate(order.shipments, start=1)
    ]
    if shipment_index is not None:
        shipments = [shipments[shipment_index]]
    feedback_url = links.feedback_url()
    message_links = MessageLinks(
        feedback=feedback_url,
        reviews={v.line_id: v.review_url for v in items if v.review_url},
        tracking=tuple(s.tracking.url for s in shipments if s.tracking and s.tracking.url)
        if channel.may_link_tracking
        else (),
    )
    return MessageContext(
        message=message,
        channel=channel,
        formatter=formatter,
        locale=str(formatter.locale),
        lang=formatter.language_tag,
        dir=formatter.direction,
        currency=order.currency,
        seller=_seller_view(seller),
        order=order,
        # A channel that wants the order id in its messages (Amazon) gets the id itself.
        order_number=(
            order.order_id
            if channel.order_id_rule is not None
            else order.display_number or order.order_id
        ),
        customer=order.customer,
        ship_to=order.ship_to,
        pickup_point=_pickup_view(order.pickup_point),
        return_address=_return_address(seller),
        # Tuples, so that each render of the message reuses their template values.
        items=tuple(items),
        shipments=tuple(shipments),
        feedback_url=feedback_url,
        feedback_per_item=links.marketplace.review_pattern is not None
        and links.marketplace.review_pattern == links.marketplace.feedback_pattern,
        links=message_links,
        # The rest of a long list is on the order page, when the channel lets the message
        # link one.
        item_limit=ITEM_LIMIT,
        order_url=_order_url(links, channel),
        totals=_totals(order, formatter) if show_prices else None,
        show_prices=show_prices,
        gift_message=order.gift.message if order.gift else None,
        support_email=seller.email if channel.may_show_email_address else None,
        support_phone=seller.phone if channel.may_show_phone else None,
        website=seller.website if channel.may_link_storefront else None,
        return_policy_url=seller.return_policy_url if channel.may_link_storefront else None,
        data=data or {},
        unsubscribe_url=(
            links.unsubscribe_url()
            if channel.sends_unsubscribe_header and not message.transactional
            else None
        ),
    )


def _item_view(item: Item, position: int, links: LinkBuilder, show_prices: bool) -> ItemView:
    price = item.unit_price if show_prices else None
    return ItemView(
        line_id=item.line_id or str(position),
        sku=item.sku,
        title=keep_units_together(item.title),
        variant=keep_units_together(item.variant) if item.variant else item.variant,
        quantity=item.quantity,
        unit_price=price,
        line_total=price * item.quantity if price is not None else None,
        review_url=links.review_url(item),
        product_url=item.product_url,
        image_url=item.image_url,
        product_id=item.product_id,
        properties=tuple(item.properties),
        thumbnail_url=item.image_url if _may_show(item.image_url, links) else None,
    )


def _may_show(image_url: str | None, links: LinkBuilder) -> bool:
    # The channel's own image test (compliance.py): an image it forbids is simply left out.
    if image_url is None:
        return False
    return links.channel is None or image_allowed(image_url, links.channel, links.seller)


def _order_url(links: LinkBuilder, channel: ChannelRules) -> str | None:
    # The order page is no kind of link a restricting channel allows, unless it is its own.
    url = links.order_url()
    if url is None or channel.link_rule is None or on_platform(url, channel):
        return url
    return None


def _shipment_view(
    shipment: Shipment,
    number: int,
    count: int,
    items: list[ItemView],
    order: Order,
    formatter: Formatter,
    origin: str | None,
) -> ShipmentView:
    # The route (where the parcel leaves from and goes to) tells apart carriers whose numbers
    # look alike.
    tracking = (
        track(
            shipment.tracking_number,
            shipment.carrier,
            locale=formatter.locale,
            country=order.ship_to.country if order.ship_to else None,
            origin=origin,
        )
        if shipment.tracking_number
        else None
    )
    carrier_name = tracking.carrier_name if tracking else shipment.carrier
    lines = tuple(ParcelLine(items[i], quantity) for i, quantity in order.parcel_lines(shipment))
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


def _totals(order: Order, formatter: Formatter) -> Totals:
    return Totals(
        subtotal=order.subtotal,
        shipping=order.shipping_price,
        tax=order.tax,
        discount=order.discount,
        total=order.total,
        prices_include_tax=order.prices_include_tax,
        tax_lines=tuple(
            TaxLineView(
                name=line.name,
                rate=line.rate,
                rate_text=(
                    format_percent(line.rate, locale=formatter.locale, decimal_quantization=False)
                    if line.rate is not None
                    else None
                ),
                amount=line.amount,
            )
            for line in order.tax_lines
        ),
        marketplace_tax=order.marketplace_tax,
        marketplace_name=get_marketplace(order.marketplace).name,
        discount_codes=tuple(order.discount_codes),
    )


def _pickup_view(point: PickupPoint | None) -> PickupView | None:
    if point is None:
        return None
    return PickupView(
        name=point.name,
        line1=point.line1,
        line2=point.line2,
        city=point.city,
        region=point.region,
        postal_code=point.postal_code,
        country=point.country,
    )


def _seller_view(seller: Seller) -> SellerView:
    return SellerView(
        name=seller.name,
        email=seller.email,
        phone=seller.phone,
        website=seller.website,
        logo=seller.logo,
        return_policy_url=seller.return_policy_url,
        address=seller.address,
    )


def _return_address(seller: Seller) -> Address | None:
    if seller.address is None:
        return None
    return seller.address.model_copy(update={"name": seller.address.name or seller.name})  # type: ignore[return-value]
