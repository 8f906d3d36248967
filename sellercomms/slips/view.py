"""What a packing slip shows beyond the message context: the parcel's lines and its codes.

:func:`slip_view` makes the :class:`SlipView` the template sees as ``slip``: the lines of
the parcel being packed, the order barcode, the feedback QR code and short URL, and the
review codes.  The links themselves come from the context; this module only draws and
abbreviates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from markupsafe import Markup

from ..context import ItemView, MessageContext, ShipmentView
from ..marketplaces import Marketplace, get_marketplace
from ..models import Order, Seller
from .codes import code128_svg, qr_png_uri
from .pages import PAGE_SIZES, PageSize

__all__ = ["ReviewCode", "SlipLine", "SlipView", "readable_url", "slip_view"]

# Up to this many items get a QR code each; beyond it a grid of codes would crowd the slip,
# so their review pages are listed as short links instead.
_REVIEW_CODES: Final[dict[str, int]] = {"letter": 4, "a4": 4, "4x6": 1}
# A label has no room for a list of links (forty of them took one and a half labels): beyond
# its one code, it says where the review pages are instead.
_REVIEW_LISTS: Final[frozenset[str]] = frozenset({"letter", "a4"})
# Code 128 module width: 0.25 mm is two dots on a 203 dpi thermal printer and three at 300 dpi.
_MODULE_MM: Final = 0.25
_PAGE: Final = "\x1epage\x1e"
_PAGES: Final = "\x1epages\x1e"


def readable_url(url: str) -> str:
    """``url`` as a person would type it: no scheme, no ``utm_*`` tracking parameters.

    >>> readable_url("https://shop.example/feedback?order=7&utm_source=x&utm_medium=y")
    'shop.example/feedback?order=7'
    >>> readable_url("https://www.etsy.com/your/purchases")
    'www.etsy.com/your/purchases'
    """
    parts = urlsplit(url)
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.startswith("utm_")
    ]
    short = urlunsplit(("", parts.netloc, parts.path, urlencode(query, safe="/"), parts.fragment))
    return short.removeprefix("//")


@dataclass(frozen=True, slots=True)
class ReviewCode:
    """Where the buyer reviews one line of the parcel (``line_id`` as in ``ItemView``).

    ``qr`` is the QR code as a ``data:`` URI of a PNG, ``None`` when the slip lists review
    links instead of drawing codes.
    """

    line_id: str
    sku: str
    title: str
    url: str
    short_url: str
    qr: str | None


@dataclass(frozen=True, slots=True)
class SlipLine:
    """One line of the parcel: the item (with the buyer's personalisation in
    ``item.properties``) and how many of it go in."""

    item: ItemView
    quantity: int

    @property
    def total(self) -> Decimal | None:
        """The line's price for the pieces in this parcel; ``None`` when hidden or unknown."""
        price = self.item.unit_price
        return price * self.quantity if price is not None else None


@dataclass(frozen=True, slots=True)
class SlipView:
    """What the slip template needs beyond the shared message context.

    ``number`` of ``count`` numbers the parcel; an order with no shipment yet has one slip
    for all its items.  ``shipment`` is ``None`` then, and ``ship_date`` is today.
    ``reviews_elsewhere`` is true when the parcel's items have review pages that the slip
    has no room to show (several items on a label): it then says where to find them.
    """

    number: int
    count: int
    page_size: PageSize
    lines: tuple[SlipLine, ...]
    shipment: ShipmentView | None
    ship_date: date | datetime
    show_prices: bool
    show_images: bool
    marketplace: Marketplace
    logo_url: str | None
    order_barcode: Markup
    barcode_width: str
    feedback_url: str | None
    feedback_short_url: str | None
    feedback_qr: str | None
    reviews: tuple[ReviewCode, ...]
    reviews_elsewhere: bool = False

    @property
    def page_size_css(self) -> str:
        """The CSS ``size`` of the page, e.g. ``4in 6in``."""
        return PAGE_SIZES[self.page_size]

    @property
    def units(self) -> int:
        """How many pieces the parcel holds."""
        return sum(line.quantity for line in self.lines)

    @property
    def parcel_subtotal(self) -> Decimal | None:
        """What this parcel's lines cost together; ``None`` when a price is hidden or unknown.

        On a split order this is not what the buyer paid: the order's totals (shipping, tax,
        discount) belong to the order, and the slip shows them apart.
        """
        totals = [line.total for line in self.lines]
        if any(total is None for total in totals):
            return None
        return sum((total for total in totals if total is not None), Decimal(0))

    @property
    def review_codes(self) -> bool:
        """Whether the reviews come as QR codes (few items) or as a list of short links."""
        return bool(self.reviews) and self.reviews[0].qr is not None

    @property
    def page_marker(self) -> str:
        """Pass as ``page`` to the page-number message; :meth:`page_content` replaces it."""
        return _PAGE

    @property
    def pages_marker(self) -> str:
        """Pass as ``pages`` to the page-number message; :meth:`page_content` replaces it."""
        return _PAGES

    def page_content(self, message: str) -> Markup:
        """The translated page-number message as a CSS ``content`` value."""
        return _page_counter_content(message)


def _page_counter_content(message: str) -> Markup:
    """A translated "Page N of M" as a CSS ``content`` value with page counters.

    >>> _page_counter_content(f"Seite {_PAGE} von {_PAGES}")
    Markup('"Seite " counter(page) " von " counter(pages)')
    """
    parts: list[str] = []
    for index, text in enumerate(str(message).split("\x1e")):
        if index % 2:
            parts.append(f"counter({'pages' if text == 'pages' else 'page'})")
        elif text:
            parts.append(_css_string(text))
    return Markup(" ".join(parts))


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string, safe inside a ``<style>`` element.

    >>> _css_string('Say "hi" </style>')
    '"Say \\\\22 hi\\\\22  \\\\3C /style\\\\3E "'
    """
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;-_/()!?'%&+*#@" else f"\\{ord(ch):X} " for ch in text
    )
    return f'"{escaped}"'


def slip_view(
    seller: Seller,
    order: Order,
    context: MessageContext,
    index: int | None,
    page_size: PageSize,
) -> SlipView:
    """The slip of parcel ``index`` of ``order`` (``None``: the whole order, before it
    ships), from the message context of that parcel."""
    items = context.items
    shipment = context.shipments[0] if index is not None else None
    # By position, not by SKU: SKUs may be empty, and two engraved lines may share one.
    positions = (
        order.parcel_lines(order.shipments[index])
        if index is not None
        else [(position, item.quantity) for position, item in enumerate(order.items)]
    )
    lines = tuple(SlipLine(items[position], quantity) for position, quantity in positions)
    feedback = context.links.feedback
    barcode = code128_svg(order.order_id)
    reviews = _review_codes(lines, feedback, _REVIEW_CODES[page_size])
    listed = bool(reviews) and (reviews[0].qr is not None or page_size in _REVIEW_LISTS)
    return SlipView(
        number=shipment.number if shipment else 1,
        count=shipment.count if shipment else 1,
        page_size=page_size,
        lines=lines,
        shipment=shipment,
        ship_date=_ship_date(shipment, context),
        show_prices=seller.packing_slip.show_prices and order.gift is None,
        show_images=seller.packing_slip.allow_remote_images,
        marketplace=get_marketplace(order.marketplace),
        logo_url=_logo_url(seller),
        order_barcode=Markup(barcode.svg),
        barcode_width=f"{barcode.modules * _MODULE_MM:.2f}mm",
        feedback_url=feedback,
        feedback_short_url=readable_url(feedback) if feedback else None,
        feedback_qr=qr_png_uri(feedback) if feedback else None,
        reviews=reviews if listed else (),
        reviews_elsewhere=bool(reviews) and not listed,
    )


def _review_codes(
    lines: tuple[SlipLine, ...], feedback: str | None, most_codes: int
) -> tuple[ReviewCode, ...]:
    # One entry per distinct page: Etsy reviews every purchase on one page, and eBay's feedback
    # page is also the first item's review page, which the feedback block already shows.
    seen = {feedback}
    found: list[tuple[ItemView, str]] = []
    for line in lines:
        url = line.item.review_url
        if url and url not in seen:
            seen.add(url)
            found.append((line.item, url))
    with_codes = len(found) <= most_codes
    return tuple(
        ReviewCode(
            line_id=item.line_id,
            sku=item.sku,
            title=item.title,
            url=url,
            short_url=readable_url(url),
            qr=qr_png_uri(url) if with_codes else None,
        )
        for item, url in found
    )


def _ship_date(shipment: ShipmentView | None, context: MessageContext) -> date | datetime:
    # Slips are usually printed on the morning the parcel leaves, often before the label.
    if shipment is not None and shipment.shipped_at is not None:
        return shipment.shipped_at
    return datetime.now(context.formatter.timezone).date()


def _logo_url(seller: Seller) -> str | None:
    if seller.logo is None:
        return None
    path = seller.logo_path
    if path is None:
        # A remote logo is only named when the slip may fetch it; otherwise the seller's
        # name stands alone instead of a warning on every slip.
        return seller.logo if seller.packing_slip.allow_remote_images else None
    resolved = Path(path).resolve()
    return resolved.as_uri() if resolved.is_file() else None
