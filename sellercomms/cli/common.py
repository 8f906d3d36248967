"""What every command shares: exit statuses, batch reports, the seller and the options."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from babel import Locale, UnknownLocaleError

from ..catalogs import SHIPPED_LOCALES, catalog_files
from ..exceptions import InputError, PolicyError, SellerCommsError, TemplateError
from ..filenames import file_stem
from ..loading import decode_json, load_seller, read_orders
from ..mail import RenderedEmail
from ..models import Order, Seller
from ..output import write_file_set
from ..platforms import PLATFORMS
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
        return str(error.with_order(order_id, index=index))
    prefix = f"order {order_id or '?'} (#{index})"
    if isinstance(error, PolicyError):
        return f"{prefix}: channel: {error.channel} forbids {error.message} ({error.rule})"
    if isinstance(error, TemplateError):
        return f"{prefix}: template: {error}"
    return f"{prefix}: {error}"


def indexed_orders(
    path: Path, report: BatchReport, *, platform: str | None = None, required: bool = False
) -> Iterator[tuple[int, Order]]:
    """Each valid order with its 1-based position; bad ones are reported and skipped.

    ``platform`` reads the file as that platform's API payloads (docs/platforms.md).

    With ``required``, a file that holds no order at all (not even an invalid one) stops
    the command with exit 2 once it has been read.
    """
    index = 0
    try:
        for index, result in enumerate(read_orders(path, platform=platform), start=1):
            if isinstance(result, InputError):
                report.fail(result, result.order_id, index)
            else:
                yield index, result
    except SellerCommsError as exc:
        raise UsageProblem(exc.show()) from None
    if required and index == 0:
        raise UsageProblem(f"no orders in {path}")


def counted(number: int, thing: str, things: str | None = None) -> str:
    """``1 e-mail``, ``2 e-mails``: a count with its noun in the right number.

    >>> counted(1, "page"), counted(3, "page"), counted(1, "packing slip")
    ('1 page', '3 pages', '1 packing slip')
    """
    return f"{number} {thing if number == 1 else things or thing + 's'}"


def check_locale(renderer: Renderer, locale: str | None) -> str:
    """Where the texts of ``--locale`` come from, e.g. `` (de_AT: the de catalog)``; empty
    without ``--locale``.

    Exit 2 for a locale that Babel does not know or that no catalog translates: English
    needs no catalog (the templates are written in it), any other language without one
    would mix English text with that locale's dates and numbers.
    """
    if locale is None:
        return ""
    try:
        parsed = Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        raise UsageProblem(f"--locale {locale!r}: not a locale, e.g. de_DE or fr_CA") from None
    files = catalog_files(str(parsed), renderer.environment.folders)
    if files:
        # <folder>/locale/<name>/LC_MESSAGES/messages.po
        return f" ({parsed}: the {files[0].parent.parent.name} catalog)"
    if parsed.language != "en":
        raise UsageProblem(
            f"--locale {locale}: no catalog translates it (shipped: {', '.join(SHIPPED_LOCALES)}); "
            f"add locale/{parsed.language}/LC_MESSAGES/messages.po to your templates "
            "(docs/localisation.md)"
        )
    return f" ({parsed}: the English of the templates)"


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


def write_email_files(out: Path, mail: RenderedEmail) -> None:
    """Write ``<stem>.html``, ``.txt`` and ``.eml`` of one e-mail as one set: all or none.

    The stem is the order id made safe as a file name (:func:`~sellercomms.filenames.file_stem`).

    The ``.eml`` is renamed into place last, so a set without it is incomplete (see
    :func:`~sellercomms.output.write_file_set`); raises :class:`OSError` naming the file.
    """
    stem = file_stem(mail.order_id)
    write_file_set(out, stem, {".html": mail.html, ".txt": mail.text, ".eml": mail.to_bytes()})


orders_option = click.option(
    "--orders",
    "orders_path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Orders: a JSON object, a JSON array, or JSON Lines (.jsonl).",
)
platform_option = click.option(
    "--from",
    "platform",
    type=click.Choice(sorted(PLATFORMS)),
    help="Read --orders as this platform's API payloads (docs/platforms.md); "
    "default: sellercomms' own order format.",
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
    """The ``--data`` JSON object, read as orders are (amounts as Decimal, no duplicate keys)."""
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
        if not text.strip():
            raise UsageProblem(f"{path}: the file is empty; expected a JSON object")
        data = decode_json(text, filename=str(path))
    except InputError as exc:
        raise UsageProblem(exc.show()) from None
    except (OSError, UnicodeDecodeError) as exc:
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
