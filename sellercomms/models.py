"""The input: orders and the seller profile, validated with pydantic.

The shapes follow the documented contract (docs/input.md).  Unknown fields are errors, money
is :class:`~decimal.Decimal`, timestamps carry a UTC offset, and customer text is kept as
given: templates escape it, nothing evaluates it.
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Final, Literal, Self
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from .addresses import required_fields
from .formatting import is_known_country, is_known_currency, is_known_locale, is_known_timezone
from .mailboxes import MAX_ADDRESS, address_problem
from .marketplaces import (
    LINK_FIELDS,
    MARKETPLACES,
    add_utm,
    fill_link,
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
    "PickupPoint",
    "Property",
    "ReturnAddress",
    "Seller",
    "SellerLinks",
    "Shipment",
    "ShipmentItem",
    "TaxLine",
]

Channel = Literal["own", "amazon", "ebay", "etsy", "walmart", "tiktok"]

# Limits of every field (docs/input.md lists them).  They keep one order's cost bounded, keep
# every value far from the limits of what consumes it (Decimal precision in Babel, datetime's
# year range, QR code capacity, lxml's 10 MB text nodes), and they show in `sellercomms schema`.
ID_MAX: Final = 64  # product_id, transaction_id
ORDER_ID_MAX: Final = 100  # order_id: the platforms' ids, of any printable text
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
ENTRIES_MAX: Final = 100  # tax lines, discount codes, properties of one line
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


def _order_id(value: str) -> str:
    # The id is the order's key and part of file names (see sellercomms.filenames): any text
    # a platform uses, but on one visible line, without invisible or surrounding spaces.
    if not value.isprintable() or value != value.strip():
        raise ValueError(
            "must be printable text on one line, without control or invisible characters "
            "and without spaces at either end"
        )
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
    """A postal address; ``country`` is ISO 3166 alpha-2.

    ``city`` and ``postal_code`` are required where the country's address format needs them
    (no postal code in Hong Kong, an optional Eircode in Ireland).
    """

    name: Line
    company: Line | None = None
    line1: Line
    line2: Line | None = None
    city: Line | None = None
    region: Line | None = None
    postal_code: Line | None = None
    country: CountryCode

    @model_validator(mode="after")
    def _has_what_the_country_needs(self) -> Self:
        needed = required_fields(self.country)
        missing = [field for field in sorted(needed) if getattr(self, field) is None]
        if missing:
            # One error per field, each at its own path, so all of them are reported at once.
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [
                    InitErrorDetails(
                        type=PydanticCustomError(
                            "address_field_required",
                            "is required for an address in {country}",
                            {"country": self.country},
                        ),
                        loc=(field,),
                        input=None,
                    )
                    for field in missing
                ],
            )
        return self


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


class Property(_Model):
    """One personalisation of a line, e.g. ``Engraving: Happy Birthday``."""

    name: Line
    value: Text


class TaxLine(_Model):
    """One tax of the order, e.g. ``MwSt. 19 %``; ``rate`` is a fraction (0.19)."""

    name: Line
    rate: Annotated[Decimal, Field(ge=0, le=1, decimal_places=MONEY_PLACES)] | None = None
    amount: Money


class Item(_Model):
    """One ordered product; ``line_id`` keeps lines apart when SKUs are empty or repeat."""

    sku: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=CODE_MAX, pattern=LINE_PATTERN)
    ] = Field(default="", description="May be empty: some platforms sell lines without a SKU.")
    line_id: Code | None = Field(
        default=None,
        description=(
            "The platform's id of this line, unique in the order; default: the line's position "
            "from 1. Shipments may refer to the line by it."
        ),
    )
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
    properties: list[Property] = Field(
        default_factory=list,
        max_length=ENTRIES_MAX,
        description="Personalisation the buyer chose (engraving, names), as name/value pairs.",
    )


class ShipmentItem(_Model):
    """How many of one line a parcel holds: the line named by ``line_id``, else by ``sku``."""

    sku: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=CODE_MAX, pattern=LINE_PATTERN)
    ] = ""
    line_id: Code | None = None
    quantity: Quantity

    @model_validator(mode="after")
    def _names_a_line(self) -> Self:
        if not self.sku and self.line_id is None:
            raise _FieldError("sku", "is required (or line_id)")
        return self


class Shipment(_Model):
    """One parcel.  ``carrier`` from the input wins over detection from the number."""

    tracking_number: Annotated[Code, AfterValidator(_tracking_number)] | None = None
    tracking_url: HttpUrl | None = Field(
        default=None, description="The carrier's tracking page; wins over the detected link."
    )
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


class PickupPoint(_Model):
    """Where the buyer collects the order: a locker, a shop, the seller's own counter."""

    name: Line
    line1: Line | None = None
    line2: Line | None = None
    city: Line | None = None
    region: Line | None = None
    postal_code: Line | None = None
    country: CountryCode | None = None


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
    solicited_at: Timestamp | None = Field(
        default=None,
        description="When the review request went out (Amazon's Request a Review button too).",
    )
    resolved_at: Timestamp | None = Field(
        default=None, description="When a resolution (refund, replacement …) was sent."
    )
    revision_requested_at: Timestamp | None = Field(
        default=None, description="When eBay's feedback revision request was sent."
    )


class Order(_Model):
    """One order, as the seller's system knows it."""

    order_id: Annotated[
        str, StringConstraints(min_length=1, max_length=ORDER_ID_MAX), AfterValidator(_order_id)
    ]
    display_number: Line | None = Field(
        default=None,
        description="The number the buyer knows the order by (#1001); order_id stays the key.",
    )
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
    buyer_language: (
        Annotated[str, StringConstraints(max_length=CODE_NAME_MAX), AfterValidator(_locale)] | None
    ) = Field(
        default=None,
        description="The buyer's preferred language (Amazon's Messaging getAttributes, e.g. "
        "en-US); it picks the locale of messages.",
    )
    timezone: (
        Annotated[str, StringConstraints(max_length=CODE_NAME_MAX), AfterValidator(_timezone)]
        | None
    ) = Field(
        default=None,
        description="Dates are shown in it; timestamps without a UTC offset are read in it.",
    )
    customer: Customer
    ship_to: Address | None = Field(
        default=None,
        description="Where the parcels go; required for packing slips and shipping confirmations.",
    )
    pickup_point: PickupPoint | None = Field(
        default=None, description="Where the buyer collects the order, for pickup orders."
    )
    items: Annotated[list[Item], Field(min_length=1, max_length=ITEMS_MAX)]
    shipping_price: Money = Decimal(0)
    tax: Money = Decimal(0)
    prices_include_tax: bool = Field(
        default=False,
        description="Prices and shipping include the tax (EU VAT): the total does not add it.",
    )
    tax_lines: list[TaxLine] = Field(default_factory=list, max_length=ENTRIES_MAX)
    marketplace_tax: Money = Field(
        default=Decimal(0),
        description="Tax the marketplace collected from the buyer and remits (eBay, Amazon).",
    )
    discount: Money = Decimal(0)
    discount_codes: list[Code] = Field(default_factory=list, max_length=ENTRIES_MAX)
    note: Message | None = Field(default=None, description="The buyer's note to the seller.")
    shipments: list[Shipment] = Field(default_factory=list, max_length=SHIPMENTS_MAX)
    gift: Gift | None = None
    events: Events = Field(default_factory=Events)
    order_url: HttpUrl | None = Field(
        default=None,
        description="The buyer's page of this order (Shopify's order status page); e-mails "
        "that list only the first items link the rest to it.",
    )

    @model_validator(mode="before")
    @classmethod
    def _local_timestamps(cls, data: Any) -> Any:
        return _with_parcel_skus(_with_line_ids(_with_offsets(data)))

    @model_validator(mode="after")
    def _shipments_name_ordered_items(self) -> Self:
        seen: set[str] = set()
        for index, item in enumerate(self.items):
            if item.line_id in seen:
                raise _FieldError(
                    f"items[{index}].line_id", f"another item has line_id {item.line_id!r}"
                )
            if item.line_id is not None:
                seen.add(item.line_id)
        for s_index, shipment in enumerate(self.shipments):
            for i_index, line in enumerate(shipment.items or []):
                self.line_index(line, f"shipments[{s_index}].items[{i_index}]")
        return self

    def line_index(self, line: ShipmentItem, path: str) -> int:
        """The position of the item ``line`` names (by ``line_id``, else by SKU); a
        ``ValueError`` whose ``path`` is ``path`` plus the field when none or several match."""
        if line.line_id is not None:
            found = [i for i, item in enumerate(self.items) if item.line_id == line.line_id]
            what, field = f"line_id {line.line_id!r}", "line_id"
        else:
            found = [i for i, item in enumerate(self.items) if item.sku and item.sku == line.sku]
            what, field = f"SKU {line.sku!r}", "sku"
        if not found:
            raise _FieldError(f"{path}.{field}", f"no item of this order has {what}")
        if len(found) > 1:
            raise _FieldError(f"{path}.{field}", f"{len(found)} items have {what}; use line_id")
        return found[0]

    def parcel_lines(self, shipment: Shipment) -> list[tuple[int, int]]:
        """The (item position, quantity) pairs a parcel holds; every item when it says none."""
        if shipment.items is None:
            return [(index, item.quantity) for index, item in enumerate(self.items)]
        return [(self.line_index(line, "items"), line.quantity) for line in shipment.items]

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
        """What the buyer paid: items and shipping, plus tax unless prices include it, plus
        the marketplace's tax, less the discount; ``None`` when an item has no price."""
        subtotal = self.subtotal
        if subtotal is None:
            return None
        tax = Decimal(0) if self.prices_include_tax else self.tax
        return subtotal + self.shipping_price + tax + self.marketplace_tax - self.discount


# Where an order holds timestamps: (path to a list or object, field) pairs.
_TIMESTAMPS: Final = (
    ((), "placed_at"),
    (("shipments", "*"), "shipped_at"),
    (("shipments", "*"), "delivered_at"),
    (("events",), "cancelled_at"),
    (("events",), "returned_at"),
    (("events",), "refunded_at"),
    (("events",), "solicited_at"),
    (("events",), "resolved_at"),
    (("events",), "revision_requested_at"),
    (("events", "feedback"), "left_at"),
)


def _with_offsets(data: Any) -> Any:
    """``data`` (an order as decoded JSON) with each timestamp that has no UTC offset read in
    the order's ``timezone``; unchanged when it names no valid one (the offset is then missing).

    >>> _with_offsets({"timezone": "Europe/Berlin", "placed_at": "2026-07-01T10:00:00"})
    {'timezone': 'Europe/Berlin', 'placed_at': '2026-07-01T10:00:00+02:00'}
    """
    if not isinstance(data, dict):
        return data
    zone = data.get("timezone")
    if not isinstance(zone, str) or not is_known_timezone(zone):
        return data
    tzinfo = ZoneInfo(zone)
    data = copy.deepcopy(data)
    for where, field in _TIMESTAMPS:
        for holder in _holders(data, where):
            value = holder.get(field)
            if isinstance(value, str) and not _NUMBER.fullmatch(value):
                holder[field] = _localised(value, tzinfo)
    return data


def _with_line_ids(data: Any) -> Any:
    """``data`` with each item that has no ``line_id`` given its position, from 1, as one:
    every line then has a key, whatever its SKU.

    >>> _with_line_ids({"items": [{"sku": "A"}, {"sku": "A", "line_id": "x"}]})["items"]
    [{'sku': 'A', 'line_id': '1'}, {'sku': 'A', 'line_id': 'x'}]
    """
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return data
    items = data["items"]
    if all(not isinstance(item, dict) or item.get("line_id") is not None for item in items):
        return data
    data = {**data, "items": list(items)}
    for position, item in enumerate(items, start=1):
        if isinstance(item, dict) and item.get("line_id") is None:
            data["items"][position - 1] = {**item, "line_id": str(position)}
    return data


def _with_parcel_skus(data: Any) -> Any:
    """``data`` with each parcel line that names its item by ``line_id`` given the item's SKU
    too, when the item has one: what reads parcels by SKU then finds the item.

    >>> parcel = {"items": [{"line_id": "7", "quantity": 1}]}
    >>> order = {"items": [{"sku": "A", "line_id": "7"}], "shipments": [parcel]}
    >>> _with_parcel_skus(order)["shipments"][0]["items"]
    [{'line_id': '7', 'quantity': 1, 'sku': 'A'}]
    """
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return data
    skus = {
        item.get("line_id"): item.get("sku")
        for item in data["items"]
        if isinstance(item, dict) and isinstance(item.get("line_id"), str) and item.get("sku")
    }
    if not skus:
        return data
    data = copy.deepcopy(data)
    # Whatever the values are: the fields' own checks say what is wrong with them.
    for line in _holders(data, ("shipments", "*", "items", "*")):
        line_id = line.get("line_id")
        if "sku" not in line and isinstance(line_id, str) and line_id in skus:
            line["sku"] = skus[line_id]
    return data


def _holders(data: dict[str, Any], where: tuple[str, ...]) -> list[dict[str, Any]]:
    found: list[Any] = [data]
    for key in where:
        if key == "*":
            found = [x for f in found if isinstance(f, list) for x in f]
        else:
            found = [f.get(key) for f in found if isinstance(f, dict)]
    return [f for f in found if isinstance(f, dict)]


def _localised(value: str, tzinfo: ZoneInfo) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value  # the field's own check says what is wrong
    if moment.tzinfo is not None:
        return value
    return moment.replace(tzinfo=tzinfo).isoformat()


class _FieldError(ValueError):
    """A cross-field error that knows the path of the field at fault."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


# Every field at its longest, in a character that takes the most room URL-encoded (4 UTF-8
# bytes, 12 characters): what a pattern may grow to once filled in.
_LONGEST_VALUES: Final = {
    "order_id": "\U0001f4e6" * ORDER_ID_MAX,
    "sku": "\U0001f4e6" * CODE_MAX,
    "product_id": "\U0001f4e6" * ID_MAX,
    "transaction_id": "\U0001f4e6" * ID_MAX,
    "message": "x" * ID_MAX,  # a template name: a file name of letters and underscores
    "unsubscribe_token": "x" * 43,  # base64url of a SHA-256 HMAC
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
    order: LinkPattern | None = Field(
        default=None,
        description="The buyer's page of an order, for orders that bring no order_url.",
    )


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
    unsubscribe_secret: SecretStr | None = Field(
        default=None,
        min_length=16,
        description="The key of {unsubscribe_token} in link patterns; default: the "
        "SELLERCOMMS_UNSUBSCRIBE_SECRET environment variable.",
    )
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
