"""The marketplace registry: where buyers leave feedback and reviews, and local defaults.

Each marketplace key (``amazon.de``, ``ebay.co.uk``, ``etsy``, ``walmart``, ``own``) maps to a
:class:`Marketplace`: link patterns for seller feedback (one per order) and product reviews (one
per item), the locale and time zone used when an order names none, and the channel its messages
travel through by default.  Patterns are data, so adding a marketplace is adding a row.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

__all__ = [
    "LINK_FIELDS",
    "MARKETPLACES",
    "Marketplace",
    "add_utm",
    "fill_link",
    "get_marketplace",
    "link_fields",
    "link_parts",
]

#: Fields a link pattern may name in braces; they come from the order and the item.
LINK_FIELDS = frozenset({"order_id", "sku", "product_id", "transaction_id"})


@dataclass(frozen=True, slots=True)
class Marketplace:
    """One marketplace: its link patterns and local defaults.

    A pattern of ``None`` means the marketplace has no such page; an own-store pattern comes
    from the seller profile instead (``own_store`` is true).
    """

    key: str
    family: str
    name: str
    default_locale: str
    default_timezone: str
    default_channel: str
    feedback_pattern: str | None
    review_pattern: str | None
    own_store: bool = False


def _amazon(domain: str, locale: str, timezone: str) -> Marketplace:
    base = f"https://www.amazon.{domain}"
    return Marketplace(
        key=f"amazon.{domain}",
        family="amazon",
        name=f"Amazon.{domain}",
        default_locale=locale,
        default_timezone=timezone,
        default_channel="amazon",
        feedback_pattern=f"{base}/gp/feedback/leave-customer-feedback.html/?order={{order_id}}&pageSize=1",
        review_pattern=f"{base}/review/create-review?asin={{product_id}}",
    )


def _ebay(domain: str, locale: str, timezone: str) -> Marketplace:
    # eBay feedback is left per purchased item (transaction); it is also the item's review.
    pattern = (
        f"https://www.ebay.{domain}/fdbk/leave_feedback"
        "?item_id={product_id}&transaction_id={transaction_id}"
    )
    return Marketplace(
        key=f"ebay.{domain}",
        family="ebay",
        name=f"eBay.{domain}",
        default_locale=locale,
        default_timezone=timezone,
        default_channel="ebay",
        feedback_pattern=pattern,
        review_pattern=pattern,
    )


_AMAZON = [
    ("com", "en_US", "America/New_York"),
    ("ca", "en_CA", "America/Toronto"),
    ("com.mx", "es_MX", "America/Mexico_City"),
    ("com.br", "pt_BR", "America/Sao_Paulo"),
    ("co.uk", "en_GB", "Europe/London"),
    ("de", "de_DE", "Europe/Berlin"),
    ("fr", "fr_FR", "Europe/Paris"),
    ("it", "it_IT", "Europe/Rome"),
    ("es", "es_ES", "Europe/Madrid"),
    ("nl", "nl_NL", "Europe/Amsterdam"),
    ("se", "sv_SE", "Europe/Stockholm"),
    ("pl", "pl_PL", "Europe/Warsaw"),
    ("com.be", "fr_BE", "Europe/Brussels"),
    ("com.tr", "tr_TR", "Europe/Istanbul"),
    ("ae", "en_AE", "Asia/Dubai"),
    ("sa", "ar_SA", "Asia/Riyadh"),
    ("eg", "ar_EG", "Africa/Cairo"),
    ("in", "en_IN", "Asia/Kolkata"),
    ("co.jp", "ja_JP", "Asia/Tokyo"),
    ("com.au", "en_AU", "Australia/Sydney"),
    ("sg", "en_SG", "Asia/Singapore"),
]

_EBAY = [
    ("com", "en_US", "America/New_York"),
    ("ca", "en_CA", "America/Toronto"),
    ("co.uk", "en_GB", "Europe/London"),
    ("ie", "en_IE", "Europe/Dublin"),
    ("de", "de_DE", "Europe/Berlin"),
    ("at", "de_AT", "Europe/Vienna"),
    ("ch", "de_CH", "Europe/Zurich"),
    ("fr", "fr_FR", "Europe/Paris"),
    ("be", "fr_BE", "Europe/Brussels"),
    ("it", "it_IT", "Europe/Rome"),
    ("es", "es_ES", "Europe/Madrid"),
    ("nl", "nl_NL", "Europe/Amsterdam"),
    ("pl", "pl_PL", "Europe/Warsaw"),
    ("com.au", "en_AU", "Australia/Sydney"),
]

_OTHERS = [
    Marketplace(
        key="etsy",
        family="etsy",
        name="Etsy",
        default_locale="en_US",
        default_timezone="UTC",
        default_channel="own",
        # Etsy buyers review every purchase from one page, for 100 days after delivery.
        feedback_pattern="https://www.etsy.com/your/purchases",
        review_pattern="https://www.etsy.com/your/purchases",
    ),
    Marketplace(
        key="walmart",
        family="walmart",
        name="Walmart",
        default_locale="en_US",
        default_timezone="America/Chicago",
        default_channel="own",
        feedback_pattern="https://www.walmart.com/orders/{order_id}",
        review_pattern="https://www.walmart.com/reviews/write-review?productId={product_id}",
    ),
    Marketplace(
        key="own",
        family="own",
        name="Online store",
        default_locale="en_US",
        default_timezone="UTC",
        default_channel="own",
        feedback_pattern=None,
        review_pattern=None,
        own_store=True,
    ),
]

MARKETPLACES: Mapping[str, Marketplace] = MappingProxyType(
    {
        m.key: m
        for m in [
            *(_amazon(*row) for row in _AMAZON),
            *(_ebay(*row) for row in _EBAY),
            *_OTHERS,
        ]
    }
)


def get_marketplace(key: str) -> Marketplace:
    """The marketplace registered under ``key``; :class:`KeyError` for an unknown one."""
    return MARKETPLACES[key]


@functools.lru_cache(maxsize=256)
def link_parts(pattern: str) -> tuple[tuple[str, str | None], ...]:
    """``pattern`` as pairs of literal text and the field in braces after it (or ``None``).

    Only a plain ``{field}`` is a field: an empty one (``{}``), a conversion (``{sku!r}``) or
    a format spec (``{order_id:>99}``) raises :class:`ValueError`, since filling those fails
    or grows a link without bound.  ``{{`` and ``}}`` stand for literal braces.

    >>> link_parts("https://shop.example/p/{sku}?o={order_id}")
    (('https://shop.example/p/', 'sku'), ('?o=', 'order_id'))
    """
    parts: list[tuple[str, str | None]] = []
    for literal, field, spec, conversion in string.Formatter().parse(pattern):
        if field == "":
            raise ValueError("a field in braces needs a name, e.g. {order_id}")
        if spec or conversion:
            raise ValueError(f"write {{{field}}} alone: a field may not have ':' or '!' options")
        parts.append((literal, field))
    return tuple(parts)


def link_fields(pattern: str) -> set[str]:
    """The field names a link pattern uses in braces (``{order_id}``, ``{sku}`` …)."""
    return {field for _, field in link_parts(pattern) if field is not None}


def fill_link(pattern: str, values: Mapping[str, str | None]) -> str | None:
    """Fill ``pattern`` with URL-encoded ``values``; ``None`` when a field it needs is unknown.

    >>> fill_link("https://shop.example/p/{sku}#reviews", {"sku": "MUG 01/B"})
    'https://shop.example/p/MUG%2001%2FB#reviews'
    """
    pieces: list[str] = []
    for literal, field in link_parts(pattern):
        pieces.append(literal)
        if field is not None:
            value = values.get(field)
            if value is None or value == "":
                return None
            pieces.append(quote(str(value), safe=""))
    return "".join(pieces)


def add_utm(url: str, *, medium: str, campaign: str) -> str:
    """``url`` tagged with ``utm_source=sellercomms`` and the given medium and campaign.

    Parameters the URL already has are kept; the fragment stays at the end.

    >>> add_utm("https://a.example/p?x=1#reviews", medium="email", campaign="review_request")
    'https://a.example/p?x=1&utm_source=sellercomms&utm_medium=email&utm_campaign=review_request#reviews'
    """
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in {"utm_source", "utm_medium", "utm_campaign"}
    ]
    query += [("utm_source", "sellercomms"), ("utm_medium", medium), ("utm_campaign", campaign)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="/")))
