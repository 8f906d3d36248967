"""Check-digit algorithms of the tracking_number_data format.

Each function takes the serial number (as the format's ``SerialNumber`` group reads, after any
``serial_number_format`` prefix), the check character and the constants from the format's
``validation.checksum`` block, and says whether the check character is right.  The arithmetic
follows CHECKSUM_ALGORITHMS.md of that data set and its reference implementations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

__all__ = ["CHECKSUMS", "Checksum"]

Checksum = Callable[[str, str, Mapping[str, Any]], bool]

_BASE36: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _digit(character: str) -> int:
    return int(character) if character.isdigit() else -1


def _value(character: str) -> int:
    """A digit's value; a letter counts as ``(ord - 3) % 10`` (UPS's rule for 1Z numbers)."""
    return int(character) if character.isdigit() else (ord(character) - 3) % 10


def _complement(total: int, modulo: int) -> int:
    return (modulo - total % modulo) % modulo


def mod10(serial: str, check: str, spec: Mapping[str, Any]) -> bool:
    characters = serial[::-1] if spec.get("reverse") else serial
    evens = spec.get("evens_multiplier", 1)
    odds = spec.get("odds_multiplier", 1)
    total = sum(_value(c) * (odds if i % 2 else evens) for i, c in enumerate(characters))
    return _complement(total, spec.get("modulo", 10)) == _digit(check)


def mod7(serial: str, check: str, spec: Mapping[str, Any]) -> bool:
    return serial.isdigit() and int(serial) % spec.get("modulo", 7) == _digit(check)


def s10(serial: str, check: str, spec: Mapping[str, Any]) -> bool:
    weights = spec.get("weightings", (8, 6, 4, 2, 3, 5, 9, 7))
    modulo = spec.get("modulo", 11)
    remainder = sum(_digit(c) * w for c, w in zip(serial, weights, strict=False)) % modulo
    expected = {0: 5, 1: 0}.get(remainder, modulo - remainder)
    return serial.isdigit() and expected == _digit(check)


def luhn(serial: str, check: str, spec: Mapping[str, Any]) -> bool:
    total = 0
    for i, c in enumerate(reversed(serial)):
        value = _digit(c) * (2 if i % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return serial.isdigit() and _complement(total, spec.get("modulo", 10)) == _digit(check)


def mod_37_36(serial: str, check: str, spec: Mapping[str, Any]) -> bool:
    """ISO 7064 MOD 37,36 hybrid, as DPD's parcel label specification uses it."""
    modulo = spec.get("modulo", 36)
    alphabet = spec.get("alphabet", _BASE36)
    running = modulo
    for c in serial:
        running += _BASE36.index(c) if c in _BASE36 else 0
        if running > modulo:
            running -= modulo
        running *= 2
        if running > modulo:
            running -= modulo + 1
    expected = modulo + 1 - running
    computed: str = alphabet[0 if expected == modulo else expected]
    return computed == check


def sum_product_with_weightings_and_modulo(
    serial: str, check: str, spec: Mapping[str, Any]
) -> bool:
    weights = spec.get("weightings", ())
    total = sum(_digit(c) * w for c, w in zip(serial, weights, strict=False))
    return serial.isdigit() and total % spec["modulo1"] % spec["modulo2"] == _digit(check)


CHECKSUMS: Final[Mapping[str, Checksum]] = {
    "mod10": mod10,
    "mod7": mod7,
    "s10": s10,
    "luhn": luhn,
    "mod_37_36": mod_37_36,
    "sum_product_with_weightings_and_modulo": sum_product_with_weightings_and_modulo,
}
