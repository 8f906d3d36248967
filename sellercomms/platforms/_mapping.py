"""What every adapter shares: reading the platform's values, and errors in its field paths.

An adapter builds an order in our format and notes, for each field it fills, the platform
field it came from.  :meth:`Mapping.finish` validates the order once, and reports every
problem under the platform's path (``line_items[2].price``), so the seller can find it in
what the platform sent.  It also checks that the order's total is the platform's, to the
cent: a total that differs means some amount was not mapped, and a message with a wrong
total is worse than none.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from ..exceptions import InputError
from ..models import Order
from ..problems import order_label, problems_error, validation_problems

_CENT = Decimal("0.01")


def unwrap(payload: Any, key: str, platform: str) -> dict[str, Any]:
    """``payload`` without its envelope (``{"order": …}``); an error unless it is an object."""
    if isinstance(payload, dict) and set(payload) == {key} and isinstance(payload[key], dict):
        payload = payload[key]
    if not isinstance(payload, dict):
        raise InputError(f"a {platform} order must be a JSON object")
    return payload


def obj(value: Any) -> dict[str, Any]:
    """``value`` if it is an object, else an empty one (a missing part reads as empty)."""
    return value if isinstance(value, dict) else {}


def objs(value: Any) -> list[dict[str, Any]]:
    """The objects of a list; anything else reads as an empty list."""
    return [v if isinstance(v, dict) else {} for v in value] if isinstance(value, list) else []


def text(value: Any) -> str | None:
    """Text with HTML entities decoded (WooCommerce sends ``&ndash;``); ``None`` when blank."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = html.unescape(value).strip()
    return value or None


def joined(*parts: Any) -> str | None:
    """The non-blank parts joined by spaces (first and last name)."""
    return " ".join(p for p in (text(part) for part in parts) if p) or None


class Mapping:
    """One order being mapped: our fields, where each came from, and the problems met."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.origins: dict[str, str] = {}
        self.problems: list[InputError] = []

    def came_from(self, ours: str, theirs: str) -> None:
        """Our field ``ours`` (and everything under it) is the platform's ``theirs``."""
        self.origins[ours] = theirs

    def problem(self, theirs: str, message: str) -> None:
        self.problems.append(InputError(message, path=theirs))

    def money(self, value: Any, theirs: str) -> Decimal | None:
        """An amount as Decimal; ``None`` (and a problem) when it is not a number."""
        if value is None or value == "":
            return None
        if isinstance(value, float):
            value = str(value)  # a Python float as written, not its binary expansion
        try:
            amount = Decimal(value) if isinstance(value, str | int | Decimal) else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or isinstance(value, bool):
            self.problem(theirs, "is not a decimal number")
            return None
        return amount

    def moneys(self, pairs: Iterable[tuple[Any, str]]) -> Decimal:
        """The sum of the amounts that are given."""
        return sum((a for v, p in pairs if (a := self.money(v, p)) is not None), Decimal(0))

    def quantity(self, value: Any, theirs: str) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        self.problem(theirs, "must be a whole number")
        return None

    def unix_time(self, value: Any, theirs: str) -> str | None:
        """A Unix timestamp (WooCommerce's tracking dates) as ISO 8601 in UTC."""
        if value in (None, ""):
            return None
        try:
            return datetime.fromtimestamp(int(str(value)), UTC).isoformat()
        except (ValueError, OverflowError, OSError):
            self.problem(theirs, "is not a Unix timestamp")
            return None

    def finish(self, data: dict[str, Any], *, total: Any, total_path: str) -> Order:
        """The order validated, its total checked against ``total``; every problem at once."""
        order: Order | None = None
        data = _without_nulls(data)
        try:
            order = Order.model_validate(data)
        except ValidationError as exc:
            self.problems.extend(self._theirs(p) for p in validation_problems(exc))
        expected = self.money(total, total_path)
        if order is not None and expected is not None and order.total is not None:
            ours = order.total.quantize(_CENT, ROUND_HALF_UP)
            if ours != expected.quantize(_CENT, ROUND_HALF_UP):
                self.problem(
                    total_path,
                    f"is {expected}, but the mapped items, shipping, tax and discount come to "
                    f"{ours}: an amount of this order is not mapped",
                )
        if self.problems:
            raise problems_error(self.problems, order_id=order_label(data), index=None)
        assert order is not None
        return order

    def _theirs(self, problem: InputError) -> InputError:
        # The longest of our paths that holds the problem's, replaced by the platform's.
        path = problem.path
        for ours in sorted(self.origins, key=len, reverse=True):
            if path == ours or path.startswith((f"{ours}.", f"{ours}[")):
                path = self.origins[ours] + path[len(ours) :]
                break
        return InputError(problem.message, path=path)


def _without_nulls(value: Any) -> Any:
    # A value the platform left out is missing, so the error says "is required".
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value
