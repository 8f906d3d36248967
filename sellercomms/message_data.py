"""The extra data some messages need: a refund amount, a replacement's tracking, a deadline.

Each message that needs data names a pydantic model in :data:`DATA_MODELS`.
:func:`validate_data` checks what the caller passes (a dict, e.g. read from ``--data FILE``)
against it, fills the defaults that come from the order and the seller (the currency, the
return address), and templates receive the finished model as ``data``.  Errors are
:class:`~sellercomms.InputError` with a path below ``data``, e.g. ``data.amount``.
docs/follow-ups.md describes every field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Self

from babel import Locale
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
)

from .exceptions import InputError
from .messages import MESSAGES, LinkKind
from .models import (
    Item,
    Line,
    Order,
    ReturnAddress,
    Seller,
    ShipmentItem,
    Text,
    _currency,
    _FieldError,
)
from .problems import first_problem
from .tracking import Tracking, track

__all__ = [
    "DATA_MODELS",
    "GiftCertificateData",
    "ItemLine",
    "MessageData",
    "RefundData",
    "ReplacementData",
    "ReturnData",
    "validate_data",
]


def _https_url(value: str) -> str:
    if not re.match(r"https://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
        raise ValueError("must be an https:// link")
    return value


HttpsUrl = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_https_url)]
Amount = Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]
Currency = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True), AfterValidator(_currency)
]
Code = Annotated[Line, StringConstraints(max_length=64)]


class MessageData(BaseModel):
    """Base of the data models: unknown fields are errors, instances are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The fields that hold a link the seller gives, and the kind of link each is.
    url_fields: ClassVar[Mapping[str, LinkKind]] = {}

    def complete(self, order: Order, seller: Seller, *, locale: Locale) -> Self:
        """This data with the defaults that come from ``order`` and ``seller`` filled in."""
        return self

    def given_links(self) -> Iterator[tuple[str, LinkKind, str]]:
        """Each link the seller gave: field name, kind of link, URL."""
        for name, kind in self.url_fields.items():
            url = getattr(self, name)
            if url:
                yield name, kind, url

    def links(self) -> Iterator[tuple[LinkKind, str]]:
        """Every link this data adds to the message, with its kind."""
        for _, kind, url in self.given_links():
            yield kind, url


@dataclass(frozen=True, slots=True)
class ItemLine:
    """How many of one ordered item the data concerns."""

    item: Item
    quantity: int


class _Lines(MessageData):
    """Data that names some of the order's items (default: all of them)."""

    items: list[ShipmentItem] | None = Field(
        default=None,
        description="Each line concerned (by line_id, else SKU) and its quantity; default: all.",
    )
    _lines: tuple[ItemLine, ...] = PrivateAttr(default=())

    @property
    def lines(self) -> tuple[ItemLine, ...]:
        """Each item concerned with its quantity (after :meth:`complete`)."""
        return self._lines

    def _resolve_lines(self, order: Order) -> None:
        if self.items is None:
            self._lines = tuple(ItemLine(item, item.quantity) for item in order.items)
            return
        lines = []
        for index, line in enumerate(self.items):
            try:
                item = order.items[order.line_index(line, f"data.items[{index}]")]
            except _FieldError as error:
                raise InputError(error.message, path=error.path) from None
            if line.quantity > item.quantity:
                raise InputError(
                    f"is more than the {item.quantity} ordered",
                    path=f"data.items[{index}].quantity",
                )
            lines.append(ItemLine(item, line.quantity))
        self._lines = tuple(lines)


class RefundData(MessageData):
    """A refund that makes a bad experience right."""

    amount: Amount = Field(description="The amount refunded, more than 0.")
    currency: Currency | None = Field(default=None, description="Default: the order's.")
    reason: Text | None = Field(
        default=None, description="What went wrong, in the seller's words, shown to the buyer."
    )
    refunded_on: date | None = Field(default=None, description="When the refund was issued.")
    return_required: bool = Field(
        default=False, description="Whether the buyer needs to send the item back."
    )

    def complete(self, order: Order, seller: Seller, *, locale: Locale) -> Self:
        done = self.model_copy(update={"currency": self.currency or order.currency})
        total = order.total
        if done.currency == order.currency and total is not None and done.amount > total:
            raise InputError(f"is more than the order total of {total}", path="data.amount")
        return done


class ReplacementData(_Lines):
    """A replacement sent to make a bad experience right."""

    tracking_number: Line | None = Field(default=None, description="Of the replacement parcel.")
    carrier: Line | None = Field(default=None, description="Wins over detection, as in orders.")
    estimated_delivery: date | None = None
    reason: Text | None = Field(
        default=None, description="What went wrong, in the seller's words, shown to the buyer."
    )
    return_required: bool = Field(
        default=False, description="Whether the buyer needs to send the original back."
    )
    _tracking: Tracking | None = PrivateAttr(default=None)

    @property
    def tracking(self) -> Tracking | None:
        """The replacement's tracking (after :meth:`complete`)."""
        return self._tracking

    def complete(self, order: Order, seller: Seller, *, locale: Locale) -> Self:
        done = self.model_copy()
        done._resolve_lines(order)
        if self.tracking_number is not None:
            try:
                done._tracking = track(
                    self.tracking_number,
                    self.carrier,
                    locale=locale,
                    country=order.ship_to.country if order.ship_to else None,
                    origin=seller.country,
                )
            except InputError as error:
                raise InputError(error.message, path="data.tracking_number") from None
        return done

    def links(self) -> Iterator[tuple[LinkKind, str]]:
        # Derived from the number, so a channel without tracking links just shows the number.
        if self._tracking is not None and self._tracking.url:
            yield "tracking", self._tracking.url


class GiftCertificateData(MessageData):
    """A complimentary gift certificate that makes a bad experience right."""

    url_fields: ClassVar[Mapping[str, LinkKind]] = {"redeem_url": "redeem"}

    code: Code = Field(description="The code the buyer enters at checkout.")
    value: Amount = Field(description="Its value, more than 0.")
    currency: Currency | None = Field(default=None, description="Default: the order's.")
    expires_on: date | None = None
    redeem_url: HttpsUrl | None = Field(
        default=None, description="Where to use it (https); default: no link."
    )
    reason: Text | None = Field(
        default=None, description="What went wrong, in the seller's words, shown to the buyer."
    )

    def complete(self, order: Order, seller: Seller, *, locale: Locale) -> Self:
        if self.expires_on is not None and self.expires_on < order.placed_at.date():
            raise InputError("is before the order was placed", path="data.expires_on")
        return self.model_copy(update={"currency": self.currency or order.currency})


class ReturnData(_Lines):
    """How the buyer returns the order (or part of it)."""

    url_fields: ClassVar[Mapping[str, LinkKind]] = {"label_url": "return_label"}

    deadline: date = Field(description="The last day the return may be sent.")
    label_url: HttpsUrl | None = Field(default=None, description="A return label to print (https).")
    return_address: ReturnAddress | None = Field(
        default=None, description="Where the parcel goes; default: the seller's address."
    )
    return_number: Code | None = Field(
        default=None, description="A return authorisation number to write on the parcel."
    )

    def complete(self, order: Order, seller: Seller, *, locale: Locale) -> Self:
        if self.deadline < order.placed_at.date():
            raise InputError("is before the order was placed", path="data.deadline")
        address = self.return_address or seller.address
        if address is None:
            raise InputError(
                "is required: the seller profile has no address to return to",
                path="data.return_address",
            )
        done = self.model_copy(
            update={
                "return_address": address.model_copy(update={"name": address.name or seller.name})
            }
        )
        done._resolve_lines(order)
        return done


#: The data model of each message that needs extra data.
DATA_MODELS: Mapping[str, type[MessageData]] = {
    "resolution_refund": RefundData,
    "resolution_replacement": ReplacementData,
    "resolution_gift_certificate": GiftCertificateData,
    "return_instructions": ReturnData,
}


def validate_data(
    message: str,
    data: MessageData | Mapping[str, Any] | None,
    order: Order,
    seller: Seller,
    *,
    locale: Locale,
) -> MessageData | Mapping[str, Any] | None:
    """``data`` checked against the model of ``message`` and completed from the order.

    Messages without a model take no data, except a seller's own templates, which get
    ``data`` as given.  Raises :class:`InputError` (path ``data…``) when it does not fit.
    """
    model = DATA_MODELS.get(message)
    if model is None:
        if data and message in MESSAGES:
            raise InputError(f"{message} takes no extra data", path="data", order_id=order.order_id)
        return data
    if data is None:
        required = [name for name, info in model.model_fields.items() if info.is_required()]
        raise InputError(
            f"{message} needs extra data ({', '.join(required)})",
            path="data",
            order_id=order.order_id,
        )
    try:
        checked = data if isinstance(data, model) else model.model_validate(data)
        return checked.complete(order, seller, locale=locale)
    except ValidationError as exc:
        path, problem = first_problem(exc)
        raise InputError(
            problem, path=f"data.{path}" if path else "data", order_id=order.order_id
        ) from None
    except InputError as error:
        raise error.with_order(order.order_id) from error
