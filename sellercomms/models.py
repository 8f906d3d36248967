"""The input: orders and the seller profile, validated with pydantic.

The shapes follow the documented contract (docs/input.md).  Unknown fields are errors, money
is :class:`~decimal.Decimal`, timestamps carry a UTC offset, and customer text is kept as
given: templates escape it, nothing evaluates it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    model_validator,
)

from .formatting import is_known_country, is_known_currency, is_known_locale, is_known_timezone
from .marketplaces import LINK_FIELDS, MARKETPLACES, get_marketplace, link_fields
from .tracking import is_blank

__all__ = [
    "Address",
    "Channel",
    "Customer",
    "Events",
    "Feedback",
    "Gift",
    "Item",
    "Order",
    "PackingSlipSettings",
    "ReturnAddress",
    "Seller",
    "SellerLinks",
    "Shipment",
    "ShipmentItem",
]

Channel = Literal["own", "amazon", "ebay"]


def _single_line(value: str) -> str:
    # Names and addresses end up in e-mail headers and one-line layouts; a line break in them
    # is either a mistake or an attempt to inject a header.
    if "\r" in value or "\n" in value:
        raise ValueError("must be a single line")
    return value


def _http_url(value: str) -> str:
    if not re.match(r"https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
        raise ValueError("must be an http:// or https:// link")
    return value


def _email_address(value: str) -> str:
    if not re.fullmatch(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\"]+", value):
        raise ValueError("is not an e-mail address")
    return value


def _tracking_number(value: str) -> str:
    if is_blank(value):
        raise ValueError("is empty; leave it out until the label is bought")
    return value


def _currency(value: str) -> str:
    if not is_known_currency(value):
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return value


def _country(value: str) -> str:
    if not is_known_country(value):
        raise ValueError(f"{value!r} is not an ISO 3166 alpha-2 country code")
    return value


def _locale(value: str) -> str:
    if not is_known_locale(value):
        raise ValueError(f"{value!r} is not a known locale")
    return value.replace("-", "_")


def _timezone(value: str) -> str:
    if not is_known_timezone(value):
        raise ValueError(f"{value!r} is not an IANA time zone name")
    return value


def _marketplace(value: str) -> str:
    if value not in MARKETPLACES:
        raise ValueError(
            f"{value!r} is not a known marketplace (amazon.<domain>, ebay.<domain>, etsy, "
            "walmart or own)"
        )
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Line = Annotated[Text, AfterValidator(_single_line)]
HttpUrl = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_http_url)]
EmailAddress = Annotated[
    str, StringConstraints(strip_whitespace=True), AfterValidator(_email_address)
]
CountryCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True), AfterValidator(_country)
]
Money = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Quantity = Annotated[int, Field(ge=1, strict=True)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Customer(_Model):
    """The buyer; ``name`` is any text and always shown escaped."""

    name: Line
    email: EmailAddress | None = None


class Address(_Model):
    """A postal address; ``country`` is ISO 3166 alpha-2."""

    name: Line
    company: Line | None = None
    line1: Line
    line2: Line | None = None
    city: Line
    region: Line | None = None
    postal_code: Line
    country: CountryCode


class ReturnAddress(_Model):
    """The seller's address, where returns go; ``name`` defaults to the seller's name."""

    name: Line | None = None
    company: Line | None = None
    line1: Line
    line2: Line | None = None
    city: Line
    region: Line | None = None
    postal_code: Line | None = None
    country: CountryCode


class Item(_Model):
    """One ordered product."""

    sku: Line
    title: Text
    variant: Text | None = None
    quantity: Quantity
    unit_price: Money | None = None
    product_id: Line | None = Field(
        default=None, description="The marketplace's product id: ASIN on Amazon, item id on eBay."
    )
    transaction_id: Line | None = Field(
        default=None, description="eBay transaction id; with product_id it names the feedback page."
    )
    product_url: HttpUrl | None = None
    image_url: HttpUrl | None = None


class ShipmentItem(_Model):
    """How many of one SKU a parcel holds."""

    sku: Line
    quantity: Quantity


class Shipment(_Model):
    """One parcel.  ``carrier`` from the input wins over detection from the number."""

    tracking_number: Annotated[Line, AfterValidator(_tracking_number)] | None = None
    carrier: Line | None = None
    service: Line | None = None
    shipped_at: AwareDatetime | None = None
    estimated_delivery: date | None = None
    delivered_at: AwareDatetime | None = None
    items: list[ShipmentItem] | None = Field(
        default=None, description="The items in this parcel; default: every item of the order."
    )


class Gift(_Model):
    """A gift order: the message is printed, prices are hidden unless told otherwise."""

    message: Text | None = None
    hide_prices: bool = True


class Feedback(_Model):
    """The feedback the buyer left, 1 (worst) to 5 (best)."""

    rating: Annotated[int, Field(ge=1, le=5, strict=True)]
    comment: str | None = None
    left_at: AwareDatetime | None = None


class Events(_Model):
    """What happened after the sale; the follow-up planner reads it."""

    cancelled_at: AwareDatetime | None = None
    returned_at: AwareDatetime | None = None
    refunded_at: AwareDatetime | None = None
    feedback: Feedback | None = None
    opted_out: bool = False
    solicited_at: AwareDatetime | None = None


class Order(_Model):
    """One order, as the seller's system knows it."""

    order_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.\-]{1,64}$")]
    marketplace: Annotated[str, AfterValidator(_marketplace)]
    channel: Channel | None = Field(
        default=None,
        description="How messages reach the buyer; default: the marketplace's own messaging.",
    )
    placed_at: AwareDatetime
    currency: Annotated[
        str, StringConstraints(strip_whitespace=True, to_upper=True), AfterValidator(_currency)
    ]
    locale: Annotated[str, AfterValidator(_locale)] | None = None
    timezone: Annotated[str, AfterValidator(_timezone)] | None = None
    customer: Customer
    ship_to: Address
    items: Annotated[list[Item], Field(min_length=1)]
    shipping_price: Money = Decimal(0)
    tax: Money = Decimal(0)
    discount: Money = Decimal(0)
    shipments: list[Shipment] = Field(default_factory=list)
    gift: Gift | None = None
    events: Events = Field(default_factory=Events)

    @model_validator(mode="after")
    def _shipments_name_ordered_items(self) -> Self:
        skus = {item.sku for item in self.items}
        for s_index, shipment in enumerate(self.shipments):
            for i_index, line in enumerate(shipment.items or []):
                if line.sku not in skus:
                    raise _FieldError(
                        f"shipments[{s_index}].items[{i_index}].sku",
                        f"no item of this order has SKU {line.sku!r}",
                    )
        return self

    @property
    def subtotal(self) -> Decimal | None:
        """The items' prices times their quantities; ``None`` when an item has no price."""
        if any(item.unit_price is None for item in self.items):
            return None
        return sum(
            (item.unit_price * item.quantity for item in self.items if item.unit_price is not None),
            Decimal(0),
        )

    @property
    def total(self) -> Decimal | None:
        """Items, shipping and tax, less the discount; ``None`` when an item has no price."""
        subtotal = self.subtotal
        if subtotal is None:
            return None
        return subtotal + self.shipping_price + self.tax - self.discount

    @property
    def channel_or_default(self) -> Channel:
        """The channel given, else the marketplace's own messaging, else ``own``."""
        if self.channel is not None:
            return self.channel
        default = get_marketplace(self.marketplace).default_channel
        return "amazon" if default == "amazon" else "ebay" if default == "ebay" else "own"


class _FieldError(ValueError):
    """A cross-field error that knows the path of the field at fault."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _link_pattern(value: str) -> str:
    _http_url(value.replace("{", "").replace("}", ""))
    unknown = link_fields(value) - LINK_FIELDS
    if unknown:
        raise ValueError(
            f"unknown field {{{sorted(unknown)[0]}}}; a link may use "
            + ", ".join(f"{{{f}}}" for f in sorted(LINK_FIELDS))
        )
    return value


LinkPattern = Annotated[
    str, StringConstraints(strip_whitespace=True), AfterValidator(_link_pattern)
]


class SellerLinks(_Model):
    """Own-store link patterns; fields in braces are filled from the order and the item."""

    feedback: LinkPattern | None = None
    review: LinkPattern | None = None
    unsubscribe: LinkPattern | None = None


class PackingSlipSettings(_Model):
    """How packing slips look and what they may load."""

    show_prices: bool = False
    allow_remote_images: bool = Field(
        default=False,
        description="Fetch http(s) images (product images, a logo URL) while making slips.",
    )


class Seller(_Model):
    """The seller profile (``sellercomms.toml``)."""

    name: Line
    email: EmailAddress
    phone: Line | None = None
    website: HttpUrl | None = None
    logo: str | None = Field(
        default=None, description="A file relative to the profile, or an https:// link."
    )
    return_policy_url: HttpUrl | None = None
    address: ReturnAddress | None = None
    links: SellerLinks = Field(default_factory=SellerLinks)
    utm: bool = Field(
        default=True,
        description="Tag own-store links with utm_source=sellercomms, utm_medium and utm_campaign.",
    )
    packing_slip: PackingSlipSettings = Field(default_factory=PackingSlipSettings)
    # The folder of the profile file: a relative logo path is read from it.
    _base_dir: Path | None = PrivateAttr(default=None)

    @property
    def logo_path(self) -> Path | None:
        """The logo as a local file, when it is one."""
        if self.logo is None or re.match(r"https?://", self.logo):
            return None
        path = Path(self.logo)
        return path if path.is_absolute() or self._base_dir is None else self._base_dir / path
