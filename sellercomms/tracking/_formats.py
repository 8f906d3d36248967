"""An interpreter for tracking-number formats written in the tracking_number_data JSON schema.

A courier file lists formats; each has a regex with named groups (``SerialNumber``,
``CheckDigit`` …), an optional ``validation`` block (a checksum, a ``serial_number_format``
prefix, lookups that must succeed) and ``additional`` lookup tables.  The schema is described
in the README of https://github.com/jkeen/tracking_number_data; our own formats are written
in it too.  Numbers reach :meth:`Format.read` already normalised (no spaces or dashes, upper
case), so the patterns' ``\\s*`` and literal dashes are dropped when they are compiled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from ._checksums import CHECKSUMS, Checksum

__all__ = ["Format", "Reading", "load_formats", "widths"]

_GROUP: Final = re.compile(r"\(\?<([A-Za-z][A-Za-z0-9]*)>")
_SPACE: Final = re.compile(r"\\s\*?")
# The group USPS's 420 + ZIP routing prefix is read into: the part before SerialNumber is
# routing, not tracking, and the carriers' pages want the number without it.
_ROUTING_GROUP: Final = "RoutingApplicationId"


def _without_dashes(pattern: str) -> str:
    """``pattern`` without literal dashes outside character classes (input has none)."""
    out: list[str] = []
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch == "-" and not in_class:
            continue
        out.append(ch)
    return "".join(out)


# The regex parser's width of a pattern lets the registry try only the formats a number's
# length can fit.  The parser is private to the standard library, so without it every
# format is tried (slower, same result).
_PARSER: Final[Any] = getattr(re, "_parser", None)
_UNBOUNDED: Final = 1 << 16


def widths(pattern: re.Pattern[str]) -> tuple[int, int]:
    """The shortest and longest text ``pattern`` can match (``(0, 65536)`` if unknown)."""
    if _PARSER is None:
        return 0, _UNBOUNDED
    low, high = _PARSER.parse(pattern.pattern).getwidth()
    return int(low), min(int(high), _UNBOUNDED)


def compile_pattern(regex: str | list[str]) -> re.Pattern[str]:
    """The Python form of a format's PCRE: ``(?<Name>`` → ``(?P<Name>``, no whitespace."""
    pattern = "".join(regex) if isinstance(regex, list) else regex
    pattern = _GROUP.sub(r"(?P<\1>", _SPACE.sub("", pattern))
    return re.compile(_without_dashes(pattern))


@dataclass(frozen=True, slots=True)
class _Lookup:
    """One ``additional`` table: the entry whose ``matches``/``matches_regex`` fits a group."""

    name: str
    group: str
    exact: Mapping[str, Mapping[str, Any]]
    patterns: tuple[tuple[re.Pattern[str], Mapping[str, Any]], ...]

    def find(self, value: str) -> Mapping[str, Any] | None:
        found = self.exact.get(value)
        if found is not None:
            return found
        return next((entry for p, entry in self.patterns if p.search(value)), None)


def _lookup(spec: Mapping[str, Any]) -> _Lookup:
    exact = {e["matches"]: MappingProxyType(e) for e in spec["lookup"] if "matches" in e}
    patterns = tuple(
        (re.compile(e["matches_regex"]), MappingProxyType(e))
        for e in spec["lookup"]
        if "matches" not in e and "matches_regex" in e
    )
    return _Lookup(spec["name"], spec["regex_group_name"], MappingProxyType(exact), patterns)


@dataclass(frozen=True, slots=True)
class Reading:
    """What one format makes of a number that fits its pattern."""

    format: Format
    number: str  # what the carrier's page wants: the routing prefix removed
    checked: bool  # the format has a check digit
    valid: bool  # the check digit (if any) holds and every required lookup found an entry
    found: Mapping[str, Mapping[str, Any]]  # lookup name → the table entry that matched
    groups: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Format:
    """One tracking-number format of one courier file."""

    key: str  # "<courier_code>/<id>", stable across renames of the format
    name: str
    pattern: re.Pattern[str]
    checksum: tuple[Checksum, Mapping[str, Any]] | None
    prepend: tuple[re.Pattern[str], str] | None
    required: tuple[str, ...]
    lookups: tuple[_Lookup, ...]
    valid_examples: tuple[str, ...]
    invalid_examples: tuple[str, ...]

    def read(self, number: str) -> Reading | None:
        """The reading of ``number`` (normalised), or ``None`` if it does not fit at all."""
        match = self.pattern.fullmatch(number)
        if match is None:
            return None
        groups = {k: v for k, v in match.groupdict().items() if v is not None}
        found = {}
        for table in self.lookups:
            value = groups.get(table.group)
            entry = table.find(value) if value is not None else None
            if entry is not None:
                found[table.name] = entry
        valid = all(name in found for name in self.required)
        if self.checksum is not None:
            serial = groups.get("SerialNumber", "")
            if self.prepend is not None and self.prepend[0].search(serial):
                serial = self.prepend[1] + serial
            check = groups.get("CheckDigit")
            algorithm, constants = self.checksum
            valid = valid and check is not None and algorithm(serial, check, constants)
        tracked = number
        if _ROUTING_GROUP in groups and "SerialNumber" in groups:
            tracked = number[match.start("SerialNumber") :]
        return Reading(self, tracked, self.checksum is not None, valid, found, groups)


def _parameterize(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _format(courier_code: str, spec: Mapping[str, Any]) -> Format:
    validation = spec.get("validation") or {}
    checksum_spec = validation.get("checksum")
    checksum = None
    if checksum_spec is not None:
        algorithm = CHECKSUMS.get(checksum_spec["name"])
        if algorithm is None:
            raise ValueError(f"{courier_code}: unknown checksum {checksum_spec['name']!r}")
        checksum = (algorithm, MappingProxyType(dict(checksum_spec)))
    prepend_spec = (validation.get("serial_number_format") or {}).get("prepend_if")
    prepend = None
    if prepend_spec is not None:
        prepend = (
            re.compile(_SPACE.sub("", prepend_spec["matches_regex"])),
            prepend_spec["content"],
        )
    examples = spec.get("test_numbers") or {}
    return Format(
        key=f"{courier_code}/{spec.get('id') or _parameterize(spec['name'])}",
        name=spec["name"],
        pattern=compile_pattern(spec["regex"]),
        checksum=checksum,
        prepend=prepend,
        required=tuple((validation.get("additional") or {}).get("exists", ())),
        lookups=tuple(_lookup(a) for a in spec.get("additional", ()) if "lookup" in a),
        valid_examples=tuple(examples.get("valid", ())),
        invalid_examples=tuple(examples.get("invalid", ())),
    )


def load_formats(couriers: Iterable[Mapping[str, Any]]) -> Iterator[Format]:
    """Every format of every courier file (parsed JSON)."""
    for courier in couriers:
        for spec in courier["tracking_numbers"]:
            yield _format(courier["courier_code"], spec)
