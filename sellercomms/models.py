"""The input: orders and the seller profile, validated with pydantic.

The shapes follow the documented contract (docs/input.md).  Unknown fields are errors, money
is :class:`~decimal.Decimal`, timestamps carry a UTC offset, and customer text is kept as
given: templates escape it, nothing evaluates it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Final, Literal, Self
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    model_validator,
)

from .formatting import is_known_country, is_known_currency, is_known_locale, is_known_timezone
from .mailboxes import MAX_ADDRESS, address_problem
from .marketplaces import (
    LINK_FIELDS,
    MARKETPLACES,
    add_utm,
    fill_link,
    get_marketplace,
    link_fields,
)
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

# Limits of every field (docs/input.md lists them).  They keep one order's cost bounded, keep
# every value far from the limits of what consumes it (Decimal precision in Babel, datetime's
# year range, QR code capacity, lxml's 10 MB text nodes), and they show in `sellercomms schema`.
ID_MAX: Final = 64  # order_id, product_id, transaction_id
CODE_MAX: Final = 100  # SKU, tracking number
CODE_NAME_MAX: Final = 64  # marketplace, currency, locale, time zone, country: echoed in errors
LINE_MAX: Final = 200  # names, address lines, carrier, service, phone
TITLE_MAX: Final = 500  # item title and variant
MESSAGE_MAX: Final = 2_000  # gift message
COMMENT_MAX: Final = 10_000  # feedback comment
URL_MAX: Final = 2_048  # what browsers and QR codes reliably take
MONEY_MAX: Final = Decimal(10**12)
MONEY_PLACES: Final = 20  # a float written out in full (0.30000000000000004) still fits
QUANTITY_MAX: Final = 1_000_000
ITEMS_MAX: Final = 1_000
SHIPMENTS_MAX: Final = 100
# Far enough inside datetime's years 1 to 9999 that time zones and follow-up delays never
# leave them.
EARLIEST: Final = datetime(1970, 1, 1, tzinfo=UTC)
LATEST: Final = datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)

# Checked by pydantic itself (no Python call per field), and shown in the schema: C0 and C1
# controls other than tab, line feed and carriage return are never text, and XML (so lxml,
# premailer and WeasyPrint) refuses most of them.  A one-line field also refuses line feed,
# carriage return and every other character str.splitlines() splits on: names and addresses
# end up in e-mail headers and one-line layouts, where a line break is a mistake or an attempt
# to inject a header.
TEXT_PATTERN: Final = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
LINE_PATTERN: Final = r"^[^\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]*$"
# Whitespace, controls and invisible formatting characters (bidi overrides and isolates,
# zero-width characters): in a link they hide where it goes.
_URL_UNSAFE = re.compile(
    r"[\s\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\\]"
)
_NUMBER = re.compile(r"\s*[+-]?[\d.]+(?:[eE][+-]?\d+)?\s*")


def _http_url(value: str) -> str:
    if _URL_UNSAFE.search(value):
        raise ValueError("must not contain spaces, backslashes, control or invisible characters")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError("is not a valid link") from None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValueError("must be an http:// or https:// link")
    if "@" in parts.netloc:
        # https://shop.example@evil.example/ goes to evil.example.
        raise ValueError("must not contain a user name or password (user@host)")
    return value


def _iso_text(value: Any) -> Any:
    # pydantic would read a number, or a string of digits, as a Unix timestamp: an export
    # that writes those has mixed up its fields or units, so say so instead of guessing.
    if isinstance(value, int | float | Decimal) or (
        isinstance(value, str) and _NUMBER.fullmatch(value)
    ):
        raise ValueError("must be ISO 8601 text, not a number")
    return value


def _email_address(value: str) -> str:
    # The rules of the e-mail writer: an order that loads can be addressed.
    problem = address_problem(value)
    if problem is not None:
        raise ValueError(problem)
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


def _text(max_length: int, pattern: str = TEXT_PATTERN) -> StringConstraints:
    return StringConstraints(
        strip_whitespace=True, min_length=1, max_length=max_length, pattern=pattern
    )


Text = Annotated[str, _text(TITLE_MAX)]
Message = Annotated[str, _text(MESSAGE_MAX)]
Comment = Annotated[str, StringConstraints(max_length=COMMENT_MAX, pattern=TEXT_PATTERN)]
Line = Annotated[str, _text(LINE_MAX, LINE_PATTERN)]
Code = Annotated[str, _text(CODE_MAX, LINE_PATTERN)]
ExternalId = Annotated[str, _text(ID_MAX, LINE_PATTERN)]
HttpUrl = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=URL_MAX), AfterValidator(_http_url)
]
# The length is checked with the other address rules, so the message says what is wrong.
EmailAddress = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    AfterValidator(_email_address),
    Field(json_schema_extra={"maxLength": MAX_ADDRESS}),
]
CountryCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, max_length=CODE_NAME_MAX),
    AfterValidator(_country),
]
Money = Annotated[
    Decimal,
    Field(
        ge=0,
        le=MONEY_MAX,
        decimal_places=MONEY_PLACES,
        allow_inf_nan=False,
        description=f"A decimal string or number, 0 to 10^12, at most {MONEY_PLACES} decimals.",
    ),
]
Quantity = Annotated[int, Field(ge=1, le=QUANTITY_MAX, strict=True)]
# The range goes on the datetime itself, inside the text check: so errors state the bounds in
# ISO 8601 and the schema gets no keywords JSON Schema does not know.
Timestamp = Annotated[
    AwareDatetime,
    Field(
        ge=EARLIEST,
        le=LATEST,
        description="ISO 8601 with a UTC offset, 1970-01-01 to 2999-12-31.",
    ),
    BeforeValidator(_iso_text),
]
Day = Annotated[
    date,
    Field(ge=EARLIEST.date(), le=LATEST.date(), description="ISO 8601, 1970-01-01 to 2999-12-31."),
    BeforeValidator(_iso_text),
]


def _logo(value: str) -> str:
    return _http_url(value) if _REMOTE.match(value) else value


_REMOTE = re.compile(r"https?://")


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

    sku: Code
    title: Text
    variant: Text | None = None
    quantity: Quantity
    unit_price: Money | None = None
    product_id: ExternalId | None = Field(
        default=None, description="The marketplace's product id: ASIN on Amazon, item id on eBay."
    )
    transaction_id: ExternalId | None = Field(
        default=None, description="eBay transaction id; with product_id it names the feedback page."
    )
    product_url: HttpUrl | None = None
    image_url: HttpUrl | None = None


class ShipmentItem(_Model):
    """How many of one SKU a parcel holds."""

    sku: Code
    quantity: Quantity


class Shipment(_Model):
    """One parcel.  ``carrier`` from the input wins over detection from the number."""

    tracking_number: Annotated[Code, AfterValidator(_tracking_number)] | None = None
    carrier: Line | None = None
    service: Line | None = None
    shipped_at: Timestamp | None = None
    estimated_delivery: Day | None = None
    delivered_at: Timestamp | None = None
    items: list[ShipmentItem] | None = Field(
        default=None,
        max_length=ITEMS_MAX,
        description="The items in this parcel; default: every item of the order.",
    )


class Gift(_Model):
    """A gift order: the message is printed, prices are hidden unless told otherwise."""

    message: Message | None = None
    hide_prices: bool = True


class Feedback(_Model):
    """The feedback the buyer left, 1 (worst) to 5 (best)."""

    rating: Annotated[int, Field(ge=1, le=5, strict=True)]
    comment: Comment | None = None
    left_at: Timestamp | None = None


class Events(_Model):
    """What happened after the sale; the follow-up planner reads it."""

    cancelled_at: Timestamp | None = None
    returned_at: Timestamp | None = None
    refunded_at: Timestamp | None = None
    feedback: Feedback | None = None
    opted_out: bool = False
    solicited_at: Timestamp | None = None


class Order(_Model):
    """One order, as the seller's system knows it."""

    order_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.\-]{1,64}$")]
    marketplace: Annotated[
        str, StringConstraints(max_length=CODE_NAME_MAX), AfterValidator(_marketplace)
    ]
    channel: Channel | None = Field(
        default=None,
        description="How messages reach the buyer; default: the marketplace's own messaging.",
    )
    placed_at: Timestamp
    currency: Annotated[
        str,
        StringConstraints(strip_whitespace=True, to_upper=True, max_length=CODE_NAME_MAX),
        AfterValidator(_currency),
    ]
    locale: (
        Annotated[str, StringConstraints(max_length=CODE_NAME_MAX), AfterValidator(_locale)] | None
    ) = None
    timezone: (
        Annotated[str, StringConstraints(max_length=CODE_NAME_MAX), AfterValidator(_timezone)]
        | None
    ) = None
    customer: Customer
    ship_to: Address
    items: Annotated[list[Item], Field(min_length=1, max_length=ITEMS_MAX)]
    shipping_price: Money = Decimal(0)
    tax: Money = Decimal(0)
    discount: Money = Decimal(0)
    shipments: list[Shipment] = Field(default_factory=list, max_length=SHIPMENTS_MAX)
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


# Every field at its longest, in a character that takes the most room URL-encoded (4 UTF-8
# bytes, 12 characters): what a pattern may grow to once filled in.
_LONGEST_VALUES: Final = {
    "order_id": "X" * ID_MAX,
    "sku": "\U0001f4e6" * CODE_MAX,
    "product_id": "\U0001f4e6" * ID_MAX,
    "transaction_id": "\U0001f4e6" * ID_MAX,
}


def _link_pattern(value: str) -> str:
    _http_url(value)
    unknown = link_fields(value) - LINK_FIELDS
    if unknown:
        raise ValueError(
            f"unknown field {{{sorted(unknown)[0]}}}; a link may use "
            + ", ".join(f"{{{f}}}" for f in sorted(LINK_FIELDS))
        )
    # A filled link goes into a QR code on packing slips, which holds about 2,300 bytes.
    filled = fill_link(value, _LONGEST_VALUES) or value
    longest = len(add_utm(filled, medium="packing_slip", campaign="x" * ID_MAX).encode())
    if longest > URL_MAX:
        raise ValueError(
            f"filled in, this link can grow to {longest} bytes; at most {URL_MAX} fit: "
            "shorten it or use fewer fields"
        )
    return value


LinkPattern = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=URL_MAX),
    AfterValidator(_link_pattern),
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
    logo: Annotated[str, _text(URL_MAX, LINE_PATTERN), AfterValidator(_logo)] | None = Field(
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
    def country(self) -> str | None:
        """The country parcels leave from (the return address's), when the profile says."""
        return self.address.country if self.address is not None else None

    @property
    def logo_path(self) -> Path | None:
        """The logo as a local file, when it is one."""
        if self.logo is None or _REMOTE.match(self.logo):
            return None
        path = Path(self.logo)
        return path if path.is_absolute() or self._base_dir is None else self._base_dir / path
