"""Reading orders and seller profiles from files and dicts, with errors that say where.

Every problem becomes an :class:`~sellercomms.exceptions.InputError` that names the order, its
position in the input and the field path, e.g.
``order 113-7654321-1234567 (#3): items[0].quantity: must be at least 1``.  An order with
several problems raises one :class:`OrderProblems` that lists them all, one line each.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .exceptions import InputError, InputFileError, printable
from .models import Order, Seller
from .platforms import READERS
from .problems import (
    PROBLEMS_SHOWN,
    OrderProblems,
    order_label,
    problems_error,
    validation_problems,
)

# PROBLEMS_SHOWN and OrderProblems live with the other problem helpers (problems.py); they are
# exported here too, being what this module's readers raise.
__all__ = [
    "PROBLEMS_SHOWN",
    "OrderProblems",
    "decode_json",
    "load_orders",
    "load_seller",
    "parse_order",
    "parse_seller",
    "read_orders",
    "unreadable",
]

# No field takes a whole number this long; Python refuses to read one over 4,300 digits.
_INT_DIGITS_MAX = 100


def parse_order(data: Mapping[str, Any], *, index: int | None = None) -> Order:
    """Validate one order given as a dict (as decoded from JSON).

    Raises :class:`InputError` naming the order, ``index`` and the wrong field; with several
    wrong fields, an :class:`OrderProblems` naming each.
    """
    if not isinstance(data, Mapping):
        raise InputError("an order must be a JSON object", index=index)
    try:
        return Order.model_validate(data)
    except ValidationError as exc:
        raise problems_error(
            validation_problems(exc), order_id=order_label(data), index=index
        ) from None


def read_orders(source: str | Path, *, platform: str | None = None) -> Iterator[Order | InputError]:
    """Each order of a file in input order, or the :class:`InputError` that stands in its place.

    The file holds one JSON object, a JSON array of objects, or JSON Lines (one object per
    line): orders in our format, or with ``platform`` (``shopify``, ``woocommerce``,
    ``amazon``, ``ebay``) that platform's API payloads (docs/platforms.md).  Raises
    :class:`InputFileError` when the file cannot be read or parsed at all, or ``platform``
    is not one of those.
    """
    path = Path(source)
    parse = _parser(platform, path)
    for index, record in enumerate(_records(path), start=1):
        if isinstance(record, InputError):
            yield record.with_order(index=index)
            continue
        try:
            yield parse(record, index)
        except InputError as error:
            yield error


def _parse(record: Any, index: int) -> Order:
    return parse_order(record, index=index)


def _parser(platform: str | None, path: Path) -> Callable[[Any, int], Order]:
    if platform is None:
        return _parse
    reader = READERS.get(platform)
    if reader is None:
        raise InputFileError(
            f"unknown platform {platform!r}; known: {', '.join(sorted(READERS))}",
            filename=str(path),
        )
    return reader


def load_orders(source: str | Path, *, platform: str | None = None) -> list[Order]:
    """Every order of a file; raises the first :class:`InputError` met.

    Use :func:`read_orders` to keep going past bad orders.
    """
    orders: list[Order] = []
    for result in read_orders(source, platform=platform):
        if isinstance(result, InputError):
            raise result
        orders.append(result)
    return orders


def parse_seller(data: Mapping[str, Any], *, base_dir: str | Path | None = None) -> Seller:
    """Validate a seller profile given as a dict; ``base_dir`` anchors a relative logo path."""
    try:
        seller = Seller.model_validate(data)
    except ValidationError as exc:
        raise problems_error(validation_problems(exc), order_id=None, index=None) from None
    if base_dir is not None:
        seller._base_dir = Path(base_dir).resolve()
    logo = seller.logo_path
    if logo is not None and not logo.is_file():
        raise InputError(f"file not found: {logo}", path="logo")
    return seller


def load_seller(source: str | Path) -> Seller:
    """Read a seller profile from TOML (``.toml``) or JSON (``.json``)."""
    path = Path(source)
    text = _read_text(path)
    if path.suffix.lower() == ".json":
        data = decode_json(text, filename=str(path))
    else:
        try:
            data = tomllib.loads(text)
        except RecursionError:
            raise InputFileError("not valid TOML: nested too deeply", filename=str(path)) from None
        except ValueError as exc:  # TOMLDecodeError, or an integer too long to read
            raise InputFileError(f"not valid TOML: {exc}", filename=str(path)) from None
    if not isinstance(data, dict):
        raise InputFileError("a seller profile must be a table of settings", filename=str(path))
    try:
        return parse_seller(data, base_dir=path.parent)
    except InputError as exc:
        raise InputFileError(str(exc), filename=str(path)) from None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError("not UTF-8 text", filename=str(path)) from None
    except OSError as exc:
        raise unreadable(exc, path) from None


def unreadable(exc: OSError, path: Path) -> InputFileError:
    """The :class:`InputFileError` for a file that cannot be read, as every reader reports it."""
    reason = "no such file" if isinstance(exc, FileNotFoundError) else exc.strerror or str(exc)
    return InputFileError(reason, filename=str(path))


def decode_json(text: str, *, filename: str) -> Any:
    """``text`` decoded as sellercomms reads JSON; :class:`InputFileError` when it is not.

    Amounts given as JSON numbers are read from their text, never through float; a key given
    twice in one object, a whole number of more than 100 digits and nesting deeper than
    Python's recursion limit are refused with a one-line message.
    """
    try:
        return _decode(text)
    except _NotJSON as exc:
        raise InputFileError(f"not valid JSON{exc.where}: {exc}", filename=filename) from None


class _NotJSON(ValueError):
    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.where = where


def _decode(text: str) -> Any:
    try:
        return json.loads(
            text, parse_float=Decimal, parse_int=_whole_number, object_pairs_hook=_unique_keys
        )
    except json.JSONDecodeError as exc:
        raise _NotJSON(exc.msg, f" (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise _NotJSON("nested too deeply") from None


def _whole_number(digits: str) -> int:
    if len(digits.lstrip("-")) > _INT_DIGITS_MAX:
        raise _NotJSON(f"a whole number has more than {_INT_DIGITS_MAX} digits")
    return int(digits)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _NotJSON(f"the key {printable(json.dumps(key))} appears twice in an object")
            seen.add(key)
    return result


def _records(path: Path) -> Iterator[Any]:
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        yield from _json_lines(path)
        return
    data = decode_json(_read_text(path), filename=str(path))
    if isinstance(data, list):
        yield from data
    elif isinstance(data, dict):
        yield data
    else:
        raise InputFileError("expected a JSON object or an array of orders", filename=str(path))


def _json_lines(path: Path) -> Iterator[Any]:
    """Each line of a JSON Lines file, decoded, read one at a time: memory stays flat.

    Lines end at \\n only (a \\r before it is whitespace to JSON), as a binary file splits
    them; str.splitlines() would also split at U+2028, U+0085 and others that are valid
    inside a JSON string.  A line that is not UTF-8 or not JSON stands in its own place.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise unreadable(exc, path) from None
    with handle:
        try:
            for number, raw in enumerate(handle, start=1):
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError:
                    yield InputError(f"line {number} is not UTF-8 text")
                    continue
                if not line.strip():
                    continue
                try:
                    yield _decode(line)
                except _NotJSON as exc:
                    yield InputError(f"line {number} is not valid JSON: {exc}")
        except OSError as exc:
            raise unreadable(exc, path) from None
