"""What every command shares: exit statuses, batch reports, the seller and the options."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from ..exceptions import InputError, PolicyError, SellerCommsError, TemplateError
from ..loading import load_seller, read_orders
from ..mail import RenderedEmail
from ..models import Order, Seller
from ..output import write_atomic
from ..renderer import Renderer

DEFAULT_SELLER_FILE = "sellercomms.toml"


class UsageProblem(click.ClickException):
    """Unusable arguments or an unreadable input file: exit 2."""

    exit_code = 2


@dataclass
class BatchReport:
    """Counts what a batch produced and prints one stderr line per failed order."""

    done: int = 0
    failures: list[str] = field(default_factory=list)

    def fail(self, error: SellerCommsError, order_id: str | None, index: int) -> None:
        line = failure_line(error, order_id, index)
        self.failures.append(line)
        click.echo(line, err=True)

    @property
    def exit_code(self) -> int:
        return 1 if self.failures else 0


def failure_line(error: SellerCommsError, order_id: str | None, index: int) -> str:
    """``order <order_id> (#<index>): <field path>: <what is wrong>``."""
    if isinstance(error, InputError):
        if error.index is None:
            error.index = index
        if error.order_id is None:
            error.order_id = order_id
        return str(error)
    prefix = f"order {order_id or '?'} (#{index})"
    if isinstance(error, PolicyError):
        return f"{prefix}: channel: {error}"
    if isinstance(error, TemplateError):
        return f"{prefix}: template: {error}"
    return f"{prefix}: {error}"


def indexed_orders(path: Path, report: BatchReport) -> Iterator[tuple[int, Order]]:
    """Each valid order with its 1-based position; bad ones are reported and skipped."""
    try:
        for index, result in enumerate(read_orders(path), start=1):
            if isinstance(result, InputError):
                report.fail(result, result.order_id, index)
            else:
                yield index, result
    except SellerCommsError as exc:
        raise UsageProblem(exc.show()) from None


def resolve_seller(path: Path | None) -> Seller:
    """The seller profile from ``--seller``, else ``./sellercomms.toml``; exit 2 without one."""
    if path is None:
        path = Path(DEFAULT_SELLER_FILE)
        if not path.is_file():
            raise UsageProblem(
                f"no seller profile: pass --seller FILE or create ./{DEFAULT_SELLER_FILE} "
                "with `sellercomms init`"
            )
    try:
        return load_seller(path)
    except SellerCommsError as exc:
        raise UsageProblem(exc.show()) from None


def make_renderer(seller: Seller, templates: Path | None) -> Renderer:
    try:
        return Renderer(seller, templates)
    except SellerCommsError as exc:
        raise UsageProblem(exc.show()) from None


def write_email_files(out: Path, stem: str, mail: RenderedEmail) -> None:
    """Write ``<stem>.eml``, ``.html`` and ``.txt`` of one e-mail, each atomically."""
    write_atomic(out / f"{stem}.eml", mail.to_bytes())
    write_atomic(out / f"{stem}.html", mail.html)
    write_atomic(out / f"{stem}.txt", mail.text)


orders_option = click.option(
    "--orders",
    "orders_path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Orders: a JSON object, a JSON array, or JSON Lines (.jsonl).",
)
seller_option = click.option(
    "--seller",
    "seller_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"Seller profile (TOML or JSON); default ./{DEFAULT_SELLER_FILE}.",
)
templates_option = click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    help="A template folder whose files override the built-in templates by name.",
)
locale_option = click.option(
    "--locale", help="Locale of every message, e.g. de_DE (default: each order's)."
)


def read_data(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        # Amounts given as JSON numbers are read from their text, never through float.
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, ValueError) as exc:
        raise UsageProblem(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise UsageProblem(f"{path}: expected a JSON object")
    return data


# For commands that fall back on the built-in samples when given no orders or seller.
sample_orders_option = click.option(
    "--orders",
    "orders_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Orders to render the messages for (default: the built-in sample orders).",
)
sample_seller_option = click.option(
    "--seller",
    "seller_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help=f"Seller profile (default: ./{DEFAULT_SELLER_FILE} if it exists, else the sample seller).",
)
