r"""Locale-aware formatting: money, numbers, dates, country names and postal addresses.

A :class:`Formatter` is bound to one Babel locale and one time zone; it takes plain values
(``Decimal``, ``int``, aware ``datetime``, ISO codes, an address-like object) and returns
strings.  Babel's output is kept as it is: narrow no-break spaces in fr_FR, the full-width
yen sign in ja_JP and the U+200F marks of Arabic locales are all correct typography.

>>> from decimal import Decimal
>>> Formatter("de_DE").money(Decimal("1234.5"), "EUR")
'1.234,50\xa0€'
>>> str(resolve_locale("xx-YY", "fr-CA"))
'fr_CA'

The ``is_known_*`` functions are the validators the input model uses for its codes.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Final, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import NumberPattern, format_currency, format_decimal, list_currencies

from .addresses import AddressFields, format_address

__all__ = [
    "AddressFields",
    "Formatter",
    "get_formatter",
    "is_known_country",
    "is_known_currency",
    "is_known_locale",
    "is_known_timezone",
    "known_locale",
    "resolve_locale",
]

#: Locale used when no candidate given to :func:`resolve_locale` is usable.
DEFAULT_LOCALE: Final = "en_US"

# CLDR territory codes that name no country an address can be in: the EU, the euro zone,
# the UN, "Outlying Oceania", "Unknown Region" and the two pseudo-locale regions.
_NOT_COUNTRIES: Final = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})
_ALPHA2: Final = re.compile(r"[A-Z]{2}")

# Files in the system zone directory that are not IANA zone names: "localtime" is whatever
# the machine is set to, so accepting it would make the output depend on the host.
_NOT_ZONES: Final = frozenset({"localtime", "posixrules"})


# --- validators and locale resolution -------------------------------------------------------


@functools.lru_cache(maxsize=512)
def known_locale(value: str) -> Locale | None:
    """The Babel locale ``value`` names (``de-DE``, ``de_DE`` or ``de``), ``None`` if unknown.

    >>> known_locale("de-de"), known_locale("klingon")
    (Locale('de', territory='DE'), None)
    """
    # Cached because Locale.parse checks the locale data files on every call.
    text = value.strip().replace("-", "_")
    if not text:
        return None
    try:
        return Locale.parse(text)
    except (ValueError, UnknownLocaleError):
        return None


def resolve_locale(*candidates: str | None) -> Locale:
    """The first candidate Babel knows (``en-us`` is ``en_US``); else ``en_US``.

    >>> str(resolve_locale(None, "", "de-de", "fr_FR"))
    'de_DE'
    >>> str(resolve_locale("klingon"))
    'en_US'
    """
    for candidate in candidates:
        if candidate is None:
            continue
        locale = known_locale(candidate)
        if locale is not None:
            return locale
    return Locale.parse(DEFAULT_LOCALE)


def is_known_locale(value: str) -> bool:
    """Whether Babel has data for ``value`` (``de_DE``, ``de-DE`` and ``de`` all count)."""
    return known_locale(value) is not None


@functools.lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def is_known_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency Babel knows (case-insensitive).

    >>> is_known_currency("EUR"), is_known_currency("EURO")
    (True, False)
    """
    return code.strip().upper() in _currencies()


@functools.lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    names = Locale("en").territories
    codes = {code for code in names if isinstance(code, str) and _ALPHA2.fullmatch(code)}
    return frozenset(codes - _NOT_COUNTRIES)


def is_known_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166 alpha-2 country or territory (case-insensitive).

    >>> is_known_country("DE"), is_known_country("001"), is_known_country("EU")
    (True, False, False)
    """
    return code.strip().upper() in _countries()


def _zone(name: str) -> ZoneInfo:
    if name in _NOT_ZONES:
        raise ValueError(f"unknown time zone {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValueError(f"unknown time zone {name!r}") from error


def is_known_timezone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone such as ``Europe/Berlin`` (case-sensitive).

    >>> is_known_timezone("America/New_York"), is_known_timezone("Mars/Olympus")
    (True, False)
    """
    try:
        _zone(name)
    except ValueError:
        return False
    return True


# --- the formatter ----------------------------------------------------------------------------


def _likely_script(locale: Locale) -> str | None:
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags")
    keys = [locale.language]
    if locale.territory:
        keys.insert(0, f"{locale.language}_{locale.territory}")
    for key in keys:
        tag = likely.get(key)
        if isinstance(tag, str):
            return parse_locale(tag)[2]
    return None


def _decimal(value: object, what: str) -> Decimal:
    # bool is an int and float is binary: neither belongs in an amount shown to a buyer.
    if isinstance(value, bool | float) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"{what} must be Decimal, int or str, not {type(value).__name__}")
    try:
        number = value if isinstance(value, Decimal) else Decimal(value)
    except InvalidOperation as error:
        raise ValueError(f"{what} is not a number: {value!r}") from error
    if not number.is_finite():
        raise ValueError(f"{what} must be finite, not {value!r}")
    return number


class Formatter:
    r"""Formats money, numbers, dates and addresses for one locale and time zone.

    ``locale`` is a Babel locale or an identifier (``de_DE``, ``de-DE``); ``timezone`` an
    IANA name or a ``ZoneInfo``.  Unknown values raise ``ValueError``.  Instances are cheap
    to use but not to create (Babel loads locale data): reuse them through
    :meth:`for_locale`, which caches; cached instances are shared, so never modify one.

    >>> fmt = Formatter("fr_FR", "Europe/Paris")
    >>> fmt.money(Decimal("1234.5"), "EUR"), fmt.direction, fmt.language_tag
    ('1\u202f234,50\xa0€', 'ltr', 'fr-FR')
    """

    __slots__ = ("_dates", "_latin_script", "_money", "_patterns", "locale", "timezone")

    def __init__(self, locale: str | Locale, timezone: str | ZoneInfo = "UTC") -> None:
        if isinstance(locale, str):
            found = known_locale(locale)
            if found is None:
                raise ValueError(f"unknown locale {locale!r}")
            locale = found
        elif not isinstance(locale, Locale):
            raise TypeError(f"locale must be str or babel.Locale, not {type(locale).__name__}")
        if isinstance(timezone, str):
            zone = _zone(timezone)
        elif isinstance(timezone, ZoneInfo):
            zone = timezone
        else:
            raise TypeError(f"timezone must be str or ZoneInfo, not {type(timezone).__name__}")
        self.locale: Final[Locale] = locale
        self.timezone: Final[ZoneInfo] = zone
        self._latin_script = _likely_script(locale) == "Latn"
        self._patterns: dict[int, NumberPattern] = {}
        # Babel takes 10-30 us an amount or a date; a message shows the same ones in its HTML
        # and its text, and a batch the same prices again and again.
        self._money: dict[tuple[str, str], str] = {}
        self._dates: dict[tuple[dt.date, str], str] = {}

    @classmethod
    def for_locale(cls, locale: str | Locale, timezone: str = "UTC") -> Formatter:
        """A shared, cached formatter for ``locale`` and ``timezone`` (always a Formatter).

        >>> shared = Formatter.for_locale("de_DE", "Europe/Berlin")
        >>> shared is get_formatter("de_DE", "Europe/Berlin")
        True
        """
        return _cached_formatter(locale, timezone)

    def __repr__(self) -> str:
        return f"Formatter({str(self.locale)!r}, {self.timezone.key!r})"

    @property
    def direction(self) -> str:
        """``"rtl"`` for right-to-left scripts (Arabic, Hebrew, Persian...), else ``"ltr"``."""
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    @property
    def language(self) -> str:
        """The language subtag, e.g. ``"de"``."""
        return self.locale.language

    @property
    def language_tag(self) -> str:
        """A BCP 47 tag for ``<html lang>``, e.g. ``"en-US"`` or ``"zh-Hant-TW"``."""
        parts = (self.locale.language, self.locale.script, self.locale.territory)
        return "-".join(part for part in (*parts, self.locale.variant) if part)

    def money(self, amount: Decimal | int | str, currency: str) -> str:
        r"""``amount`` of ``currency`` (ISO 4217), rounded to the currency's minor unit.

        Floats raise ``TypeError``; unknown currencies and non-numbers ``ValueError``.

        >>> Formatter("ja_JP").money(1234, "JPY")
        '￥1,234'
        >>> Formatter("en_GB").money("-5.5", "usd")
        '-US$5.50'
        """
        number = _decimal(amount, "amount")
        code = currency.strip().upper()
        # The text of the number, not the number: Decimal("-0") == 0 is shown as "-$0.00".
        key = (str(number), code)
        text = self._money.get(key)
        if text is not None:
            return text
        if code not in _currencies():
            raise ValueError(f"unknown currency {currency!r}")
        try:
            text = format_currency(number, code, locale=self.locale)
        except InvalidOperation:
            # Rounding to the minor unit overflows the decimal context (9E+999999).
            raise ValueError(f"amount {amount!r} is too large to show") from None
        return _kept(self._money, key, text)

    def number(self, value: Decimal | int, *, decimals: int | None = None) -> str:
        r"""``value`` with the locale's separators; ``decimals`` fixes the fraction digits.

        Without ``decimals`` every digit of the value is shown (Babel would cut at three).

        >>> fmt = Formatter("de_DE")
        >>> fmt.number(Decimal("1234.5678")), fmt.number(Decimal("1234.5"), decimals=2)
        ('1.234,5678', '1.234,50')
        """
        if isinstance(value, str):
            raise TypeError("value must be Decimal or int, not str")
        number = _decimal(value, "value")
        if decimals is None:
            return format_decimal(number, locale=self.locale, decimal_quantization=False)
        if decimals < 0:
            raise ValueError(f"decimals must be 0 or more, not {decimals}")
        pattern = self._patterns.get(decimals)
        if pattern is None:
            # The locale's own pattern keeps its grouping (Indian lakh groups, for one).
            pattern = copy.copy(self.locale.decimal_formats[None])
            pattern.frac_prec = (decimals, decimals)
            self._patterns[decimals] = pattern
        return format_decimal(number, format=pattern, locale=self.locale)

    def _local(self, value: dt.datetime) -> dt.datetime:
        if not isinstance(value, dt.datetime):
            raise TypeError(f"expected a datetime, not {type(value).__name__}")
        # A naive datetime has no instant: guessing UTC (as Babel would) can shift the day.
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()}: give it a time zone")
        return value.astimezone(self.timezone)

    def date(self, value: dt.datetime | dt.date, *, format: str = "medium") -> str:
        """The calendar date; a datetime is first moved into this formatter's time zone.

        ``format`` is ``short``, ``medium``, ``long``, ``full`` or a CLDR pattern.

        >>> moment = dt.datetime(2026, 11, 21, 3, 30, tzinfo=dt.timezone.utc)
        >>> Formatter("en_US", "America/New_York").date(moment)
        'Nov 20, 2026'
        >>> Formatter("de_DE").date(dt.date(2026, 11, 21), format="long")
        '21. November 2026'
        """
        if isinstance(value, dt.datetime):
            value = self._local(value).date()
        elif not isinstance(value, dt.date):
            raise TypeError(f"expected a date or datetime, not {type(value).__name__}")
        text = self._dates.get((value, format))
        if text is None:
            text = _kept(self._dates, (value, format), format_date(value, format, self.locale))
        return text

    def datetime(self, value: dt.datetime, *, format: str = "medium") -> str:
        r"""Date and time in this formatter's time zone.

        >>> moment = dt.datetime(2026, 11, 21, 3, 30, tzinfo=dt.timezone.utc)
        >>> Formatter("ja_JP", "Asia/Tokyo").datetime(moment)
        '2026/11/21 12:30:00'
        """
        return format_datetime(self._local(value), format=format, locale=self.locale)

    def time(self, value: dt.datetime, *, format: str = "short") -> str:
        r"""Time of day in this formatter's time zone.

        >>> moment = dt.datetime(2026, 11, 21, 3, 30, tzinfo=dt.timezone.utc)
        >>> Formatter("en_US", "America/New_York").time(moment)
        '10:30\u202fPM'
        """
        return format_time(self._local(value), format=format, locale=self.locale)

    def country(self, code: str) -> str:
        """The localized name of an ISO alpha-2 ``code``; an unknown code comes back as is.

        >>> Formatter("de_DE").country("DE"), Formatter("en_US").country("de")
        ('Deutschland', 'Germany')
        """
        key = code.strip().upper()
        name: str = self.locale.territories.get(key, key)
        return name

    def address_lines(
        self, address: AddressFields, *, origin_country: str | None = None
    ) -> list[str]:
        """The address as lines in the destination country's usual order.

        Countries whose native order differs (Japan, China, Korea...) get their Latin order
        when this locale writes in Latin script.  The localized country name ends the list
        unless ``origin_country`` is the address's own country.

        >>> from types import SimpleNamespace
        >>> home = SimpleNamespace(name="Erika Mustermann", company=None, line1="Hauptstr. 5",
        ...     line2="", city="Berlin", region=None, postal_code="10115", country="DE")
        >>> Formatter("en_US").address_lines(home, origin_country="US")
        ['Erika Mustermann', 'Hauptstr. 5', '10115 Berlin', 'Germany']
        """
        return format_address(
            address,
            latin_script=self._latin_script,
            country_name=self.country,
            origin_country=origin_country,
        )


#: Formatted values a formatter keeps, per kind; beyond it starts again.
_KEPT_VALUES: Final = 4096
_Key = TypeVar("_Key")


def _kept(cache: dict[_Key, str], key: _Key, text: str) -> str:
    if len(cache) >= _KEPT_VALUES:
        cache.clear()
    cache[key] = text
    return text


@functools.lru_cache(maxsize=256)
def _cached_formatter(locale: str | Locale, timezone: str) -> Formatter:
    return Formatter(locale, timezone)


def get_formatter(locale: str | Locale, timezone: str = "UTC") -> Formatter:
    """The shared, cached :class:`Formatter` for ``locale`` and ``timezone``."""
    return Formatter.for_locale(locale, timezone)
