"""``sellercomms check``: rendered messages checked against every rule."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..channels import CHANNELS
from ..chunks import default_jobs
from ..exceptions import SellerCommsError
from ..loading import load_orders, load_seller
from ..samples import sample_seller
from .common import (
    DEFAULT_SELLER_FILE,
    UsageProblem,
    platform_option,
    sample_orders_option,
    sample_seller_option,
)


@click.command()
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A template folder to check over the built-in templates (default: the built-ins).",
)
@sample_orders_option
@platform_option
@sample_seller_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="One line per finding for people, or JSON for programs (docs/check.md).",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@click.option(
    "--locale",
    "locales",
    multiple=True,
    help="Check only this locale (repeat for more; default: every shipped locale).",
)
@click.option(
    "--channel",
    "channels",
    multiple=True,
    type=click.Choice(sorted(CHANNELS)),
    help="Check only this channel (repeat for more; default: every channel).",
)
@click.option(
    "--message",
    "messages",
    multiple=True,
    help="Check only this message, e.g. review_request (repeat for more; default: all).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes that render and check the e-mails (default: the number of cores).",
)
def check(
    templates: Path | None,
    orders_path: Path | None,
    platform: str | None,
    seller_path: Path | None,
    output_format: str,
    strict: bool,
    locales: tuple[str, ...],
    channels: tuple[str, ...],
    messages: tuple[str, ...],
    jobs: int | None,
) -> None:
    """Check every message before buyers see it: links, policy, size, client support.

    Renders every message for the orders in every locale and channel, CSS inlined, and
    checks the output.  Exit status 0 when nothing is wrong (warnings allowed unless
    --strict), 1 when a rule is broken, 2 for unusable arguments.
    """
    from ..checks import check_templates  # the check loads lxml and tinycss2 only when run

    if seller_path is None and Path(DEFAULT_SELLER_FILE).is_file():
        seller_path = Path(DEFAULT_SELLER_FILE)
    try:
        seller = load_seller(seller_path) if seller_path is not None else sample_seller()
        report = check_templates(
            templates,
            orders=load_orders(orders_path, platform=platform) if orders_path else None,
            seller=seller,
            locales=locales or None,
            channels=channels or None,
            messages=messages or None,
            jobs=jobs or default_jobs(),
        )
    except (SellerCommsError, ValueError) as exc:
        raise UsageProblem(exc.show() if isinstance(exc, SellerCommsError) else str(exc)) from None
    if output_format == "json":
        click.echo(report.to_json(strict=strict), nl=False)
    else:
        click.echo(report.to_text(strict=strict), nl=False)
    sys.exit(report.exit_code(strict=strict))
