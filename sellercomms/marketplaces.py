"""The marketplace registry: where buyers leave feedback and reviews, and local defaults.

Each marketplace key (``amazon.de``, ``ebay.co.uk``, ``etsy``, ``walmart``, ``tiktok.us``,
``own``) maps to a :class:`Marketplace`: link patterns for seller feedback (one per order) and
product reviews (one per item), the locale and time zone used when an order names none, and the
channel its messages travel through by default.  Patterns are data, so adding a marketplace is
adding a row.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from .exceptions import InputError

__all__ = [
    "LINK_FIELDS",
    "MARKETPLACES",
    "Marketplace",
    "add_utm",
    "domains",
    "fill_link",
    "get_marketplace",
    "host_pattern",
    "link_fields",
    "link_parts",
    "marketplace_for_id",
]

#: Fields a link pattern may name in braces; they come from the order and the item, and
#: ``message`` (the template name) and ``unsubscribe_token`` (unsubscribe.py) from the message.
LINK_FIELDS = frozenset(
    {"order_id", "sku", "product_id", "transaction_id", "message", "unsubscribe_token"}
)


@dataclass(frozen=True, slots=True)
class Marketplace:
    """One marketplace: its link patterns and local defaults.

    A pattern of ``None`` means the marketplace has no such page; an own-store pattern comes
    from the seller profile instead (``own_store`` is true).  ``platform_ids`` are the ids the
    platform's API names the marketplace by (Amazon's MarketplaceId, eBay's marketplace id).
    ``returns_start`` is where the buyer starts a return on the marketplace's own pages
    (``"orders"``: Amazon's Your Orders, ``"purchases"``: eBay's purchase history); ``None``
    where the buyer arranges it with the seller, who then prints the return address.
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
    platform_ids: tuple[str, ...] = ()
    returns_start: Literal["orders", "purchases"] | None = None


def _amazon(domain: str, locale: str, timezone: str, marketplace_id: str) -> Marketplace:
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
        platform_ids=(marketplace_id,),
        returns_start="orders",
    )


def _ebay(domain: str, locale: str, timezone: str, *marketplace_ids: str) -> Marketplace:
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
        platform_ids=marketplace_ids,
        returns_start="purchases",
    )


# Domain, locale, time zone and the SP-API MarketplaceId (developer-docs.amazon.com,
# "Marketplace IDs").
_AMAZON = [
    ("com", "en_US", "America/New_York", "ATVPDKIKX0DER"),
    ("ca", "en_CA", "America/Toronto", "A2EUQ1WTGCTBG2"),
    ("com.mx", "es_MX", "America/Mexico_City", "A1AM78C64UM0Y8"),
    ("com.br", "pt_BR", "America/Sao_Paulo", "A2Q3Y263D00KWC"),
    ("co.uk", "en_GB", "Europe/London", "A1F83G8C2ARO7P"),
    ("ie", "en_IE", "Europe/Dublin", "A28R8C7NBKEWEA"),
    ("de", "de_DE", "Europe/Berlin", "A1PA6795UKMFR9"),
    ("fr", "fr_FR", "Europe/Paris", "A13V1IB3VIYZZH"),
    ("it", "it_IT", "Europe/Rome", "APJ6JRA9NG5V4"),
    ("es", "es_ES", "Europe/Madrid", "A1RKKUPIHCS9HS"),
    ("nl", "nl_NL", "Europe/Amsterdam", "A1805IZSGTT6HS"),
    ("se", "sv_SE", "Europe/Stockholm", "A2NODRKZP88ZB9"),
    ("pl", "pl_PL", "Europe/Warsaw", "A1C3SOZRARQ6R3"),
    ("com.be", "fr_BE", "Europe/Brussels", "AMEN7PMS3EDWL"),
    ("com.tr", "tr_TR", "Europe/Istanbul", "A33AVAJ2PDY3EV"),
    ("ae", "en_AE", "Asia/Dubai", "A2VIGQ35RCS4UG"),
    ("sa", "ar_SA", "Asia/Riyadh", "A17E79C6D8DWNP"),
    ("eg", "ar_EG", "Africa/Cairo", "ARBP9OOSHTCHU"),
    ("co.za", "en_ZA", "Africa/Johannesburg", "AE08WJ6YKNBMC"),
    ("in", "en_IN", "Asia/Kolkata", "A21TJRUUN4KGV"),
    ("co.jp", "ja_JP", "Asia/Tokyo", "A1VC38T7YXB528"),
    ("com.au", "en_AU", "Australia/Sydney", "A39IBJ37TRP1C6"),
    ("sg", "en_SG", "Asia/Singapore", "A19VAU5U5O7RUS"),
]

# Domain, locale, time zone and the Sell APIs' marketplace ids (developer.ebay.com,
# "MarketplaceIdEnum"); eBay Motors orders are placed on ebay.com.
_EBAY = [
    ("com", "en_US", "America/New_York", "EBAY_US", "EBAY_MOTORS_US"),
    ("ca", "en_CA", "America/Toronto", "EBAY_CA"),
    ("co.uk", "en_GB", "Europe/London", "EBAY_GB"),
    ("ie", "en_IE", "Europe/Dublin", "EBAY_IE"),
    ("de", "de_DE", "Europe/Berlin", "EBAY_DE"),
    ("at", "de_AT", "Europe/Vienna", "EBAY_AT"),
    ("ch", "de_CH", "Europe/Zurich", "EBAY_CH"),
    ("fr", "fr_FR", "Europe/Paris", "EBAY_FR"),
    ("be", "fr_BE", "Europe/Brussels", "EBAY_BE"),
    ("it", "it_IT", "Europe/Rome", "EBAY_IT"),
    ("es", "es_ES", "Europe/Madrid", "EBAY_ES"),
    ("nl", "nl_NL", "Europe/Amsterdam", "EBAY_NL"),
    ("pl", "pl_PL", "Europe/Warsaw", "EBAY_PL"),
    ("com.au", "en_AU", "Australia/Sydney", "EBAY_AU"),
    ("com.hk", "zh_Hant_HK", "Asia/Hong_Kong", "EBAY_HK"),
    ("com.sg", "en_SG", "Asia/Singapore", "EBAY_SG"),
    ("com.my", "en_MY", "Asia/Kuala_Lumpur", "EBAY_MY"),
    ("ph", "en_PH", "Asia/Manila", "EBAY_PH"),
]


def _tiktok(region: str, locale: str, timezone: str) -> Marketplace:
    # Buyers review in the TikTok app from the order: there is no page to link or print.
    return Marketplace(
        key=f"tiktok.{region}",
        family="tiktok",
        name=f"TikTok Shop {region.upper()}",
        default_locale=locale,
        default_timezone=timezone,
        default_channel="tiktok",
        feedback_pattern=None,
        review_pattern=None,
    )


# The countries TikTok Shop sells in (seller-us.tiktok.com and the regional Seller Centers),
# with their locale and time zone.
_TIKTOK = [
    ("us", "en_US", "America/New_York"),
    ("uk", "en_GB", "Europe/London"),
    ("ie", "en_IE", "Europe/Dublin"),
    ("de", "de_DE", "Europe/Berlin"),
    ("fr", "fr_FR", "Europe/Paris"),
    ("it", "it_IT", "Europe/Rome"),
    ("es", "es_ES", "Europe/Madrid"),
    ("mx", "es_MX", "America/Mexico_City"),
    ("br", "pt_BR", "America/Sao_Paulo"),
    ("jp", "ja_JP", "Asia/Tokyo"),
    ("sg", "en_SG", "Asia/Singapore"),
    ("my", "ms_MY", "Asia/Kuala_Lumpur"),
    ("ph", "en_PH", "Asia/Manila"),
    ("th", "th_TH", "Asia/Bangkok"),
    ("vn", "vi_VN", "Asia/Ho_Chi_Minh"),
    ("id", "id_ID", "Asia/Jakarta"),
]

_OTHERS = [
    Marketplace(
        key="etsy",
        family="etsy",
        name="Etsy",
        default_locale="en_US",
        default_timezone="UTC",
        default_channel="etsy",
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
        default_channel="walmart",
        feedback_pattern="https://www.walmart.com/orders/{order_id}",
        review_pattern="https://www.walmart.com/reviews/write-review?productId={product_id}",
    ),
    Marketplace(
        key="walmart.ca",
        family="walmart",
        name="Walmart.ca",
        default_locale="en_CA",
        default_timezone="America/Toronto",
        default_channel="walmart",
        feedback_pattern="https://www.walmart.ca/en/orders/{order_id}",
        review_pattern="https://www.walmart.ca/en/ip/{product_id}",
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
            *(_tiktok(*row) for row in _TIKTOK),
            *_OTHERS,
        ]
    }
)


_BY_PLATFORM_ID: Mapping[str, Marketplace] = MappingProxyType(
    {platform_id: m for m in MARKETPLACES.values() for platform_id in m.platform_ids}
)


def get_marketplace(key: str) -> Marketplace:
    """The marketplace registered under ``key``; :class:`InputError` for an unknown one."""
    try:
        return MARKETPLACES[key]
    except KeyError:
        raise InputError(
            f"unknown marketplace {key!r}; see docs/marketplaces.md", path="marketplace"
        ) from None


def domains(family: str) -> tuple[str, ...]:
    """The domains of the marketplaces of ``family`` keyed ``<family>.<domain>``, in order.

    >>> domains("amazon")[:4]
    ('com', 'ca', 'com.mx', 'com.br')
    """
    prefix = f"{family}."
    return tuple(
        m.key.removeprefix(prefix)
        for m in MARKETPLACES.values()
        if m.family == family and m.key.startswith(prefix)
    )


def host_pattern(family: str) -> str:
    """A regular expression for the host names of :func:`domains` of ``family``, subdomains
    included: what the family's own pages are served from.

    >>> amazon = re.compile(host_pattern("amazon"))
    >>> [bool(amazon.search(host)) for host in ("www.amazon.co.jp", "amazon.co.jp.example")]
    [True, False]
    """
    names = "|".join(re.escape(domain) for domain in domains(family))
    return rf"(?:^|\.){re.escape(family)}\.(?:{names})$"


def marketplace_for_id(platform_id: str) -> Marketplace | None:
    """The marketplace an Amazon MarketplaceId or eBay marketplace id names, if registered.

    >>> marketplace_for_id("A1PA6795UKMFR9").key, marketplace_for_id("EBAY_SG").key
    ('amazon.de', 'ebay.com.sg')
    """
    return _BY_PLATFORM_ID.get(platform_id)


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
