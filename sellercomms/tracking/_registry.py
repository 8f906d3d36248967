"""The carriers we know, loaded once from the JSON files in ``data/``.

``data/tracking_number_data/couriers`` is vendored from jkeen/tracking_number_data (MIT);
``data/formats`` holds our own formats in the same schema; ``data/carriers.json`` says which
carrier each format belongs to, where the carrier's tracking page is and which routes it
serves; ``data/names.json`` how platforms and people spell the carriers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any, Final, Literal
from urllib.parse import quote

from babel import Locale

from ._formats import Format, Reading, load_formats, widths
from ._text import name_key, normalise, split_locale

__all__ = ["Carrier", "Example", "Match", "Registry", "examples", "registry"]

Mode = Literal["detect", "named"]
_S10_KEY: Final = "s10/s10"
# Numbers up to this length are matched only against the formats their length fits.
_INDEXED_LENGTH: Final = 64


@dataclass(frozen=True, slots=True)
class Carrier:
    """One carrier: its page, its home countries and how far it reaches from them."""

    code: str
    name: str
    url: str | None
    languages: tuple[str, ...]
    default_locale: str | None
    urls_by_country: Mapping[str, str]
    countries: frozenset[str]
    reach: Literal["domestic", "international", "worldwide"]

    def serves(self, origin: str | None, country: str | None) -> bool:
        """Whether the carrier carries parcels on this route (unknown ends fit anything)."""
        ends = [end for end in (origin, country) if end]
        if self.reach == "worldwide":
            # Express carriers cross every border but deliver domestically only at home.
            return not (origin and origin == country and origin not in self.countries)
        if self.reach == "international":
            # From home to anywhere, or from anywhere to home; an unknown end may be home.
            return any(end is None or end in self.countries for end in (origin, country))
        domestic = not (origin and country and origin != country)
        return domestic and all(end in self.countries for end in ends)

    def route_score(self, origin: str | None, country: str | None) -> int:
        """0 when the carrier does not serve the route, else 1 + the route ends it is at home in."""
        if not self.serves(origin, country):
            return 0
        return 1 + sum(1 for end in (origin, country) if end and end in self.countries)

    def page(
        self, number: str, locale: str | Locale, origin: str | None, country: str | None
    ) -> str | None:
        """The tracking page of ``number``, in the locale's language where the page has it."""
        template = (
            self.urls_by_country.get(country or "")
            or self.urls_by_country.get(origin or "")
            or self.url
        )
        if template is None:
            return None
        language, region = split_locale(locale)
        if region is None and self.default_locale is not None:
            language, region = split_locale(self.default_locale)
        if self.languages and language not in self.languages:
            language = self.languages[0]
        return template.format(
            number=quote(number, safe=""),
            lang=language,
            country=region or "",
            country_lower=(region or "").lower(),
        )


@dataclass(frozen=True, slots=True)
class Match:
    """A carrier a number may belong to, through one of its formats."""

    carrier: Carrier
    reading: Reading
    mode: Mode


@dataclass(frozen=True, slots=True)
class Registry:
    formats: tuple[Format, ...]
    by_length: tuple[tuple[Format, ...], ...]  # index = length of the number
    carriers: Mapping[str, Carrier]
    owners: Mapping[str, tuple[tuple[str, Mode], ...]]  # format key → (carrier code, mode)
    s10_owners: Mapping[str, str]  # S10 country suffix → carrier code
    aliases: Mapping[str, tuple[str, ...]]  # folded name → carrier codes
    group_names: Mapping[str, str]  # folded name of a group → how the group is spelt
    generic: frozenset[str]  # folded names that name no carrier
    own_couriers: frozenset[str]  # courier codes of our format files, not vendored ones

    def matches(self, number: str, only: tuple[str, ...] | None = None) -> Iterator[Match]:
        """Every (carrier, reading) ``number`` fits; ``only`` limits them to these carriers
        and lets their name-only formats count too."""
        candidates = self.by_length[len(number)] if len(number) <= _INDEXED_LENGTH else self.formats
        for fmt in candidates:
            reading = fmt.read(number)
            if reading is None:
                continue
            if fmt.key == _S10_KEY:
                owner = self.s10_owners.get(reading.groups.get("CountryCode", ""))
                owners: tuple[tuple[str, Mode], ...] = ((owner, "detect"),) if owner else ()
            else:
                owners = self.owners.get(fmt.key, ())
            for code, mode in owners:
                if code in only if only is not None else mode == "detect":
                    yield Match(self.carriers[code], reading, mode)


@dataclass(frozen=True, slots=True)
class Example:
    """A test number of the data set, with the carrier it belongs to."""

    number: str
    carrier: Carrier
    format: Format
    mode: Mode
    valid: bool
    vendored: bool  # from tracking_number_data rather than our own formats


def examples(reg: Registry) -> Iterator[Example]:
    """Every valid and invalid test number of every format that belongs to a carrier."""
    for fmt in reg.formats:
        vendored = fmt.key.split("/")[0] not in reg.own_couriers
        for valid, numbers in ((True, fmt.valid_examples), (False, fmt.invalid_examples)):
            for raw in numbers:
                number = normalise(raw)
                if fmt.key == _S10_KEY:
                    code = reg.s10_owners.get(number[-2:])
                    owners: tuple[tuple[str, Mode], ...] = ((code, "detect"),) if code else ()
                else:
                    owners = reg.owners.get(fmt.key, ())
                for code, mode in owners:
                    yield Example(number, reg.carriers[code], fmt, mode, valid, vendored)


def _json(resource: Traversable) -> Any:
    return json.loads(resource.read_text(encoding="utf-8"))


def _courier_files(data: Traversable) -> Iterator[tuple[bool, Any]]:
    """(ours, parsed courier file) for the vendored files, then ours."""
    for ours, folder in (
        (False, data / "tracking_number_data" / "couriers"),
        (True, data / "formats"),
    ):
        for resource in sorted(folder.iterdir(), key=lambda r: r.name):
            if resource.name.endswith(".json"):
                yield ours, _json(resource)


def _carrier(code: str, spec: Mapping[str, Any]) -> Carrier:
    return Carrier(
        code=code,
        name=spec["name"],
        url=spec.get("url"),
        languages=tuple(spec.get("languages", ())),
        default_locale=spec.get("default_locale"),
        urls_by_country=MappingProxyType(dict(spec.get("urls_by_country", {}))),
        countries=frozenset(spec["countries"]),
        reach=spec["reach"],
    )


def _postal_operators(s10: Format, taken: Mapping[str, str]) -> Iterator[tuple[str, Carrier]]:
    """A carrier without a page for every UPU operator of the S10 data we have none for."""
    table = next(t for t in s10.lookups if t.name == "Courier")
    for country, entry in table.exact.items():
        if country not in taken:
            code = f"post_{country.lower()}"
            yield code, Carrier(
                code, entry["courier"], None, (), None, MappingProxyType({}),
                frozenset({country}), "international",
            )  # fmt: skip


@cache
def registry() -> Registry:
    """The registry, built on first use: importing sellercomms stays cheap."""
    data = files("sellercomms.tracking") / "data"
    couriers = list(_courier_files(data))
    formats = tuple(load_formats(c for _, c in couriers))
    keys = {f.key for f in formats}
    spec = _json(data / "carriers.json")["carriers"]
    carriers = {code: _carrier(code, entry) for code, entry in spec.items()}
    owners: dict[str, list[tuple[str, Mode]]] = {}
    s10_owners: dict[str, str] = {}
    for code, entry in spec.items():
        for key, mode in entry["formats"].items():
            if key not in keys:
                raise ValueError(f"carriers.json: {code}: no format {key!r}")
            owners.setdefault(key, []).append((code, mode))
        for country in entry.get("s10", ()):
            s10_owners[country] = code
    s10 = next(f for f in formats if f.key == _S10_KEY)
    for code, carrier in _postal_operators(s10, s10_owners):
        carriers[code] = carrier
        s10_owners[next(iter(carrier.countries))] = code
    names = _json(data / "names.json")
    aliases: dict[str, tuple[str, ...]] = {}
    for code, carrier in carriers.items():
        aliases[name_key(code)] = aliases[name_key(carrier.name)] = (code,)
    for code, spellings in names["names"].items():
        for spelling in spellings:
            aliases[name_key(spelling)] = (code,)
    group_names = {}
    for spelling, codes in names["groups"].items():
        aliases[name_key(spelling)] = tuple(codes)
        group_names[name_key(spelling)] = spelling
    spans = [(f, widths(f.pattern)) for f in formats]
    by_length = tuple(
        tuple(f for f, (low, high) in spans if low <= length <= high)
        for length in range(_INDEXED_LENGTH + 1)
    )
    return Registry(
        formats=formats,
        by_length=by_length,
        carriers=MappingProxyType(carriers),
        owners=MappingProxyType({k: tuple(v) for k, v in owners.items()}),
        s10_owners=MappingProxyType(s10_owners),
        aliases=MappingProxyType(aliases),
        group_names=MappingProxyType(group_names),
        generic=frozenset(name_key(n) for n in names["generic"]),
        own_couriers=frozenset(c["courier_code"] for ours, c in couriers if ours),
    )
