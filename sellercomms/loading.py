"""Reading orders and seller profiles from files and dicts, with errors that say where.

Every problem becomes an :class:`~sellercomms.exceptions.InputError` that names the order, its
position in the input and the field path, e.g.
``order 113-7654321-1234567 (#3): items[0].quantity: must be at least 1``.  An order with
several problems raises one :class:`OrderProblems` that lists them all, one line each.
"""

from __future__ import annotations

import difflib
import json
import tomllib
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .exceptions import InputError, InputFileError, printable
from .models import LINE_PATTERN, ORDER_ID_MAX, TEXT_PATTERN, Order, Seller, _FieldError

__all__ = [
    "PROBLEMS_SHOWN",
    "OrderProblems",
    "decode_json",
    "load_orders",
    "load_seller",
    "parse_order",
    "parse_seller",
    "read_orders",
]

# No field takes a whole number this long; Python refuses to read one over 4,300 digits.
_INT_DIGITS_MAX = 100
#: How many problems of one order are listed; the rest are counted.
PROBLEMS_SHOWN = 20


class OrderProblems(InputError):
    """Every problem of one order: ``problems`` holds one :class:`InputError` each.

    It is an :class:`InputError` itself (``path`` and ``message`` are the first problem's),
    and its text is one line per problem, each naming the order, at most
    :data:`PROBLEMS_SHOWN` of them and then how many more there are.
    """

    def __init__(
        self, problems: Sequence[InputError], *, order_id: str | None, index: int | None
    ) -> None:
        first = problems[0]
        super().__init__(first.message, path=first.path, order_id=order_id, index=index)
        self.problems = list(problems)

    def __str__(self) -> str:
        lines = [
            str(InputError(p.message, path=p.path, order_id=self.order_id or "?", index=self.index))
            for p in self.problems[:PROBLEMS_SHOWN]
        ]
        rest = len(self.problems) - PROBLEMS_SHOWN
        if rest > 0:
            more = InputError(
                f"and {rest} more problem{'s' if rest > 1 else ''}",
                order_id=self.order_id or "?",
                index=self.index,
            )
            lines.append(str(more))
        return "\n".join(lines)


def problems_error(
    problems: Sequence[InputError], *, order_id: str | None, index: int | None
) -> InputError:
    """One :class:`InputError` for one problem, an :class:`OrderProblems` for several."""
    if len(problems) == 1:
        only = problems[0]
        return InputError(only.message, path=only.path, order_id=order_id, index=index)
    return OrderProblems(problems, order_id=order_id, index=index)


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


def order_label(data: Mapping[str, Any]) -> str | None:
    """How errors name the order: its ``order_id`` shown safely, or ``None`` without one."""
    order_id = data.get("order_id")
    if not isinstance(order_id, str) or order_id == "":
        return None
    # An invalid id is still the best way to find the order, but shown safely: no line breaks
    # or control characters that could forge another failure line, and not a megabyte long.
    shown = printable(order_id)
    return shown if len(shown) <= ORDER_ID_MAX else shown[:ORDER_ID_MAX] + "…"


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
            record.index = index
            yield record
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
    from .platforms import READERS  # the adapters are loaded for platform files only

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
        raise _unreadable(exc, path) from None


def _unreadable(exc: OSError, path: Path) -> InputFileError:
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
        raise _unreadable(exc, path) from None
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
            raise _unreadable(exc, path) from None


def validation_problems(exc: ValidationError) -> list[InputError]:
    """Each problem pydantic found, as an :class:`InputError` with our path and message.

    An unknown field close to a known one says which was meant, and then the known field is
    not also reported as missing: ``quantitiy`` is a typo, not a second problem.
    """
    errors = exc.errors(include_url=False)
    problems: list[InputError] = []
    meant: set[tuple[int | str, ...]] = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            guess = _close_field(error["loc"])
            if guess is not None:
                meant.add((*error["loc"][:-1], guess))
    for error in errors:
        if error["type"] == "missing" and tuple(error["loc"]) in meant:
            continue
        problems.append(_problem(error))
    return problems


def _first_problem(exc: ValidationError) -> tuple[str, str]:
    """The path and message of the first problem (for data that reports one)."""
    first = validation_problems(exc)[0]
    return first.path, first.message


def _problem(error: ErrorDetails) -> InputError:
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, _FieldError):
        # A cross-field check knows the field at fault, relative to the object it checks.
        prefix = _dotted(error["loc"])
        path = f"{prefix}.{cause.path}" if prefix else cause.path
        return InputError(cause.message, path=path)
    message = _message(error)
    if error["type"] == "extra_forbidden":
        guess = _close_field(error["loc"])
        if guess is not None:
            message += f"; did you mean {guess}?"
    return InputError(message, path=_dotted(error["loc"]))


def _close_field(loc: tuple[int | str, ...]) -> str | None:
    """The known field of the object at ``loc[:-1]`` closest to the unknown ``loc[-1]``."""
    model = _model_at(Order, loc[:-1])
    if model is None or not isinstance(loc[-1], str):
        return None
    matches = difflib.get_close_matches(loc[-1], list(model.model_fields), n=1, cutoff=0.75)
    return matches[0] if matches else None


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        found = _inner_model(field.annotation)
        if found is None:
            return None
        model = found
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for argument in typing.get_args(annotation):
            found = _inner_model(argument)
            if found is not None:
                return found
    return None


def _dotted(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not part.startswith("function-") and "[" not in part:
            # pydantic adds validator and union-member names to the location; they are not fields.
            path += f".{part}" if path else part
    return path


_MESSAGES = {
    "missing": "is required",
    "address_field_required": "is required for an address in {country}",
    "extra_forbidden": "unknown field",
    "string_too_short": "must not be empty",
    "string_too_long": "must be at most {max_length} characters",
    "too_long": "may have at most {max_length} entries",
    "decimal_max_places": "may have at most {decimal_places} decimal places",
    "timezone_aware": "needs a UTC offset, e.g. 2026-11-20T14:03:00-05:00",
    "datetime_parsing": "is not an ISO 8601 date and time",
    "datetime_from_date_parsing": "is not an ISO 8601 date and time",
    "datetime_type": "must be an ISO 8601 date and time",
    "date_parsing": "is not an ISO 8601 date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "is not an ISO 8601 date (YYYY-MM-DD)",
    "date_type": "must be an ISO 8601 date (YYYY-MM-DD)",
    "decimal_parsing": "is not a decimal number",
    "decimal_type": "must be a decimal number",
    "finite_number": "must be a finite number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
}


_PATTERN_MESSAGES = {
    LINE_PATTERN: "must be a single line, without control characters",
    TEXT_PATTERN: "must not contain control characters",
}


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind].format_map(context)
    if kind in {"greater_than_equal", "greater_than"}:
        word = "at least" if kind == "greater_than_equal" else "more than"
        return f"must be {word} {context.get('ge', context.get('gt'))}"
    if kind in {"less_than_equal", "less_than"}:
        word = "at most" if kind == "less_than_equal" else "less than"
        return f"must be {word} {context.get('le', context.get('lt'))}"
    if kind == "too_short":
        count = context.get("min_length", 1)
        return f"needs at least {count} entr{'y' if count == 1 else 'ies'}"
    if kind == "string_pattern_mismatch":
        return _PATTERN_MESSAGES.get(
            str(context.get("pattern")), "has characters that are not allowed"
        )
    if kind == "literal_error":
        return f"must be one of {context.get('expected')}"
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    return str(error["msg"])
