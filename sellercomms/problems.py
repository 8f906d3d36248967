"""The problems pydantic finds in an order or a profile, as errors that say where.

Each problem becomes an :class:`~sellercomms.exceptions.InputError` with our field path and a
plain message (``items[0].quantity: must be at least 1``); an unknown field close to a known
one says which was meant.  Orders read from files and orders mapped from a platform's API
both report through here, so their problems read the same.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .exceptions import InputError, printable
from .models import LINE_PATTERN, ORDER_ID_MAX, TEXT_PATTERN, Order, _FieldError

__all__ = [
    "PROBLEMS_SHOWN",
    "OrderProblems",
    "first_problem",
    "order_label",
    "problems_error",
    "validation_problems",
]

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


def order_label(data: Mapping[str, Any]) -> str | None:
    """How errors name the order: its ``order_id`` shown safely, or ``None`` without one."""
    order_id = data.get("order_id")
    if not isinstance(order_id, str) or order_id == "":
        return None
    # An invalid id is still the best way to find the order, but shown safely: no line breaks
    # or control characters that could forge another failure line, and not a megabyte long.
    shown = printable(order_id)
    return shown if len(shown) <= ORDER_ID_MAX else shown[:ORDER_ID_MAX] + "…"


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


def first_problem(exc: ValidationError) -> tuple[str, str]:
    """The path and message of the first problem (for data that reports one)."""
    first = validation_problems(exc)[0]
    return first.path, first.message
