"""Tracking numbers: clean them up, find the carrier, check them and link to its tracking page.

``track("1z 999 aa1-0123 4567 84")`` gives a :class:`Tracking` with the clean number, the
carrier code (``"ups"``), its display name, whether the number passed the carrier's check and
the tracking URL.  Detection and check digits come from the ``tracking-numbers`` package; the
carrier names, the formats it does not know and the URLs are ours, so links point at the pages
listed in the domain notes rather than the package's older ones.  A URL is given only for a
number that passed its carrier's check: templates show anything else as plain text instead of
a link that leads nowhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final
from urllib.parse import quote

from tracking_numbers import DEFINITIONS, get_tracking_number

from sellercomms.exceptions import InputError

__all__ = ["Tracking", "is_blank", "normalise", "track"]


@dataclass(frozen=True, slots=True)
class Tracking:
    """A tracking number as the templates use it.

    ``url`` is ``None`` whenever the carrier is unknown, has no tracking page we link to, or
    the number failed its check; ``valid`` says whether the number passed the check we have
    for its carrier (a permissive format check for carriers without a check digit we know).
    """

    number: str
    carrier: str | None
    carrier_name: str | None
    url: str | None
    valid: bool
    raw: str


# --- normalisation -------------------------------------------------------------------------

# Every ASCII character str.isspace() accepts (the \x1c-\x1f separators too), and the dash.
_ASCII_DROP: Final = MappingProxyType(
    str.maketrans("", "", "".join(c for c in map(chr, range(128)) if c.isspace()) + "-")
)
# Japanese input puts the long-vowel mark where a dash belongs; U+2212 is the maths minus.
_DASH_LIKE: Final = frozenset("\u30fc\u2212")
# Unicode dash punctuation and invisible format characters (zero-width space, BOM, LRM/RLM)
# that copying from web pages and spreadsheets leaves inside numbers.
_DROP_CATEGORIES: Final = frozenset({"Pd", "Cf"})
# What spreadsheets and careless exports put in an empty tracking column.
_PLACEHOLDERS: Final = frozenset({"NONE", "NULL", "NIL", "N/A", "NA", "NAN"})


def normalise(number: str) -> str:
    """``number`` without whitespace or dashes, in upper case.

    NFKC first, so full-width digits and letters (common in Japanese input) become ASCII.
    """
    text = unicodedata.normalize("NFKC", number)
    if text.isascii():
        return text.translate(_ASCII_DROP).upper()
    return "".join(
        ch
        for ch in text
        if not (ch.isspace() or ch in _DASH_LIKE or unicodedata.category(ch) in _DROP_CATEGORIES)
    ).upper()


# --- locale ---------------------------------------------------------------------------------

# language, optional script, optional region (two letters; a UN M.49 number counts as none),
# optional encoding or modifier: en_US, de-DE, zh_Hant_TW, es_419, en_US.UTF-8.
_LOCALE_RE: Final = re.compile(
    r"([a-z]{2,3})(?:[-_][a-z]{4})?(?:[-_](?:([a-z]{2})|[0-9]{3}))?(?:[.@].*)?",
    re.IGNORECASE,
)


def _split_locale(locale: str) -> tuple[str, str | None]:
    """(language, country) of ``locale``; ``("en", None)`` when it cannot be read."""
    match = _LOCALE_RE.fullmatch(locale.strip())
    if match is None:
        return "en", None
    country = match.group(2)
    return match.group(1).lower(), country.upper() if country else None


# --- tracking pages -------------------------------------------------------------------------

# (number already percent-encoded, language, country) -> URL
_UrlBuilder = Callable[[str, str, str | None], str]


def _ups_url(n: str, lang: str, country: str | None) -> str:
    loc = f"{lang}_{country}" if country else "en_US"
    return f"https://www.ups.com/track?loc={loc}&tracknum={n}"


def _usps_url(n: str, lang: str, country: str | None) -> str:
    return f"https://tools.usps.com/go/TrackConfirmAction?tLabels={n}"


def _fedex_url(n: str, lang: str, country: str | None) -> str:
    return f"https://www.fedex.com/fedextrack/?trknbr={n}"


def _dhl_express_url(n: str, lang: str, country: str | None) -> str:
    site = f"{country.lower()}-{lang}" if country else "us-en"
    return (
        f"https://www.dhl.com/{site}/home/tracking/tracking-express.html?submit=1&tracking-id={n}"
    )


def _dhl_paket_url(n: str, lang: str, country: str | None) -> str:
    return f"https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={n}"


def _royal_mail_url(n: str, lang: str, country: str | None) -> str:
    return f"https://www.royalmail.com/track-your-item#/tracking-results/{n}"


def _canada_post_url(n: str, lang: str, country: str | None) -> str:
    page_lang = "fr" if lang == "fr" else "en"
    return (
        f"https://www.canadapost-postescanada.ca/track-reperage/{page_lang}#/search?searchFor={n}"
    )


def _australia_post_url(n: str, lang: str, country: str | None) -> str:
    return f"https://auspost.com.au/mypost/track/#/details/{n}"


def _japan_post_url(n: str, lang: str, country: str | None) -> str:
    page_lang = "ja" if lang == "ja" else "en"
    return (
        "https://trackings.post.japanpost.jp/services/srv/search/direct"
        f"?searchKind=S004&locale={page_lang}&reqCodeNo1={n}"
    )


# --- checks ---------------------------------------------------------------------------------

# Our carrier code for each courier code of the tracking-numbers package.  "s10" is missing on
# purpose: the operator of an S10 item follows from its country suffix (_S10_OPERATORS).
_PACKAGE_COURIERS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "ups": "ups",
        "usps": "usps",
        "fedex": "fedex",
        "dhl": "dhl_express",
        "ontrac": "ontrac",
        "amazon": "amazon_logistics",
    }
)


def _group_definitions(definitions: Iterable[Any]) -> Mapping[str, tuple[Any, ...]]:
    grouped: dict[str, list[Any]] = {}
    for definition in definitions:
        code = _PACKAGE_COURIERS.get(definition.courier.code)
        if code is not None:
            grouped.setdefault(code, []).append(definition)
    return MappingProxyType({code: tuple(defs) for code, defs in grouped.items()})


# get_tracking_number() returns only the first valid match over all couriers, so checking a
# number against the carrier the seller named needs that carrier's own definitions.
_DEFINITIONS: Final = _group_definitions(DEFINITIONS)


def _passes_package(carrier: str, number: str) -> bool:
    """Whether one of the package's definitions for ``carrier`` accepts ``number``."""
    for definition in _DEFINITIONS.get(carrier, ()):
        try:
            result = definition.test(number)
        except ValueError:  # the package calls int() on a letter in UPS's check-digit place
            continue
        if result is not None and result.valid:
            return True
    return False


_S10_RE: Final = re.compile(r"[A-Z]{2}([0-9]{8})([0-9])([A-Z]{2})")
_S10_WEIGHTS: Final = (8, 6, 4, 2, 3, 5, 9, 7)
# Postal operators whose tracking page we link, by the S10 issuing-country suffix.
_S10_OPERATORS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "US": "usps",
        "GB": "royal_mail",
        "CA": "canada_post",
        "AU": "australia_post",
        "JP": "japan_post",
        "DE": "dhl_paket",  # Deutsche Post's items are tracked on dhl.de
    }
)


def _s10_country(number: str) -> str | None:
    """Issuing country of a UPU S10 number whose check digit holds, else ``None``."""
    match = _S10_RE.fullmatch(number)
    if match is None:
        return None
    serial, check, country = match.groups()
    check_digit = 11 - sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS, strict=True)) % 11
    check_digit = {10: 0, 11: 5}.get(check_digit, check_digit)
    return country if check_digit == int(check) else None


def _package_check(carrier: str) -> Callable[[str], bool]:
    return lambda number: _passes_package(carrier, number)


def _s10_or(country: str, pattern: str | None = None) -> Callable[[str], bool]:
    """A check accepting a valid S10 number from ``country`` or anything matching ``pattern``."""
    compiled = re.compile(pattern) if pattern is not None else None
    return lambda number: (
        _s10_country(number) == country or bool(compiled is not None and compiled.fullmatch(number))
    )


def _usps_check(number: str) -> bool:
    return _passes_package("usps", number) or _s10_country(number) == "US"


# Carriers without a check digit we know get permissive format checks: they catch numbers
# typed into the wrong column or cut short, not every typo.
#   DHL Paket: 12-20 digits, or JJD + letters and digits (10-39 characters in all).
#   Royal Mail: 2 letters, 9 digits, GB (S10 shape; the check digit is not verified).
#   Canada Post: 16 digits.
#   Australia Post: 10-23 letters and digits.
#   Japan Post: 11-13 digits.
# Each also takes a valid S10 number of its own country.
@dataclass(frozen=True, slots=True)
class _Carrier:
    name: str
    check: Callable[[str], bool]
    url: _UrlBuilder | None


_CARRIERS: Final[Mapping[str, _Carrier]] = MappingProxyType(
    {
        "ups": _Carrier("UPS", _package_check("ups"), _ups_url),
        "usps": _Carrier("USPS", _usps_check, _usps_url),
        "fedex": _Carrier("FedEx", _package_check("fedex"), _fedex_url),
        "dhl_express": _Carrier("DHL Express", _package_check("dhl_express"), _dhl_express_url),
        "dhl_paket": _Carrier(
            "DHL Paket", _s10_or("DE", r"[0-9]{12,20}|JJD[A-Z0-9]{7,36}"), _dhl_paket_url
        ),
        "royal_mail": _Carrier("Royal Mail", _s10_or("GB", r"[A-Z]{2}[0-9]{9}GB"), _royal_mail_url),
        "canada_post": _Carrier("Canada Post", _s10_or("CA", r"[0-9]{16}"), _canada_post_url),
        "australia_post": _Carrier(
            "Australia Post", _s10_or("AU", r"[A-Z0-9]{10,23}"), _australia_post_url
        ),
        "japan_post": _Carrier("Japan Post", _s10_or("JP", r"[0-9]{11,13}"), _japan_post_url),
        # No tracking page of theirs is documented yet: named and checked, never linked.
        "ontrac": _Carrier("OnTrac", _package_check("ontrac"), None),
        "amazon_logistics": _Carrier("Amazon Logistics", _package_check("amazon_logistics"), None),
    }
)


# --- carrier names --------------------------------------------------------------------------

# A bare "DHL" could be either division; the number decides (_resolve_dhl).
_DHL: Final = "dhl"

_SPELLINGS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "ups": (
            "United Parcel Service",
            "UPS Ground",
            "UPS Standard",
            "UPS Express",
            "UPS Express Saver",
            "UPS Next Day Air",
            "UPS 2nd Day Air",
            "UPS SurePost",
            "UPS Mail Innovations",
        ),
        "usps": (
            "United States Postal Service",
            "US Postal Service",
            "U.S. Mail",
            "USPS Priority Mail",
            "USPS Priority Mail Express",
            "USPS First Class",
            "USPS First-Class Mail",
            "USPS Ground Advantage",
            "USPS Media Mail",
        ),
        "fedex": (
            "Federal Express",
            "FedEx Ground",
            "FedEx Express",
            "FedEx Home Delivery",
            "FedEx SmartPost",
            "FedEx Ground Economy",
            "FedEx International Priority",
        ),
        "dhl_express": ("DHL Express Worldwide", "DHL Worldwide Express"),
        "dhl_paket": (
            "Deutsche Post",
            "Deutsche Post DHL",
            "DHL Päckchen",
            "DHL Paket International",
        ),
        "royal_mail": (
            "Royal Mail Tracked 24",
            "Royal Mail Tracked 48",
            "Royal Mail Special Delivery",
            "Royal Mail International Tracked",
        ),
        "canada_post": ("Postes Canada", "Canada Post / Postes Canada"),
        "australia_post": ("AusPost", "Aus Post", "Australia Post eParcel"),
        "japan_post": ("日本郵便", "日本郵政", "ゆうパック", "ゆうパケット", "JP Post", "Yu-Pack"),
        "ontrac": (),
        "amazon_logistics": ("Amazon", "Amazon Shipping", "AMZL"),
    }
)


def _name_key(name: str) -> str:
    """Case, width, spacing and punctuation folded away: 'Fedex  ground' == 'FedEx-Ground'."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", name).casefold() if ch.isalnum())


def _compile_aliases() -> Mapping[str, str]:
    table = {_name_key(_DHL): _DHL}
    for code, spellings in _SPELLINGS.items():
        # The code itself ("royal_mail") and the display name are spellings too.
        for spelling in (code, _CARRIERS[code].name, *spellings):
            table[_name_key(spelling)] = code
    return MappingProxyType(table)


_ALIASES: Final = _compile_aliases()


def _resolve_dhl(number: str) -> str | None:
    """The DHL division whose check ``number`` passes, or ``None``."""
    for code in ("dhl_express", "dhl_paket"):
        if _CARRIERS[code].check(number):
            return code
    return None


# --- detection ------------------------------------------------------------------------------


def _detect(number: str) -> tuple[str | None, bool]:
    """(carrier, valid) for a number whose carrier was not named."""
    try:
        found = get_tracking_number(number)
    except ValueError:  # see _passes_package
        return None, False
    if found is None:
        return None, False
    courier: str = found.courier.code
    if courier == "s10":
        # Valid, but only some operators have a page we link: others stay unnamed.
        return _S10_OPERATORS.get(number[-2:]), True
    return _PACKAGE_COURIERS.get(courier), True


def is_blank(number: str) -> bool:
    """Whether ``number`` is no tracking number at all: empty, dashes only, ``"N/A"`` …"""
    clean = normalise(number)
    return not clean or clean in _PLACEHOLDERS


def track(number: str, carrier: str | None = None, *, locale: str = "en_US") -> Tracking:
    """Normalise ``number``, find and check its carrier, and build the tracking URL.

    A ``carrier`` named by the seller wins over detection; a name we do not know is kept as
    the display name, without a URL.  ``locale`` picks the language of the carrier's page
    where the carrier offers several.  Raises :class:`~sellercomms.exceptions.InputError`
    (a ``ValueError``) when nothing is left of ``number`` after normalisation or it is a
    placeholder such as ``"N/A"`` or ``"None"``.
    """
    if not isinstance(number, str) or is_blank(number):
        raise InputError("tracking number is empty")
    clean = normalise(number)
    # One character repeated ("0000000000") is a placeholder, although the package accepts it
    # as a DHL Express number with a valid check digit.
    placeholder = len(set(clean)) == 1

    named = carrier.strip() if carrier else ""
    code: str | None
    if named:
        code = _ALIASES.get(_name_key(named))
        if code == _DHL:
            code = _resolve_dhl(clean)
            if code is None:
                return Tracking(clean, None, "DHL", None, False, number)
        if code is None:
            return Tracking(clean, None, named, None, False, number)
        valid = not placeholder and _CARRIERS[code].check(clean)
    elif placeholder:
        code, valid = None, False
    else:
        code, valid = _detect(clean)

    info = _CARRIERS[code] if code is not None else None
    url = None
    if valid and info is not None and info.url is not None:
        language, country = _split_locale(locale)
        url = info.url(quote(clean, safe=""), language, country)
    return Tracking(
        number=clean,
        carrier=code,
        carrier_name=info.name if info is not None else None,
        url=url,
        valid=valid,
        raw=number,
    )
