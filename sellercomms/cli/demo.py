"""``sellercomms demo``: every built-in message for the sample orders."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..chunks import default_jobs
from ..exceptions import PolicyError, SellerCommsError
from ..messages import EMAIL_TEMPLATES
from ..renderer import Renderer
from ..samples import sample_data, sample_orders_path, sample_seller
from .common import (
    BatchReport,
    counted,
    indexed_orders,
    write_email_files,
)
from .render import Engine, print_slips, slips_written


@click.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("sellercomms-demo"),
    show_default=True,
    help="Folder to write the demo output to.",
)
def demo(out: Path) -> None:
    """Render every built-in message for the built-in sample orders and seller."""
    renderer = Renderer(sample_seller())
    report = BatchReport()
    skipped = 0
    orders = list(indexed_orders(sample_orders_path(), report))
    for template in EMAIL_TEMPLATES:
        for index, order in orders:
            try:
                renderer.channel_for(order).ensure_allowed(template)
            except PolicyError as rule:
                skipped += 1
                click.echo(f"skipped {template} for {order.order_id}: {rule}")
                continue
            try:
                mail = renderer.email(template, order, data=sample_data(template, order))
                write_email_files(out / "emails" / template, mail)
            except SellerCommsError as error:
                report.fail(error, order.order_id, index)
            else:
                report.done += 1
    click.echo(
        f"{counted(report.done, 'e-mail')} written to {out / 'emails'} "
        f"({skipped} skipped by channel rules)"
    )
    slips = out / "packing-slips.pdf"
    batch = print_slips(
        renderer,
        orders,
        slips,
        page_size="letter",
        locale=None,
        report=report,
        engine=Engine(jobs=default_jobs()),
        total=len(orders),
    )
    if batch is not None:
        click.echo(f"{slips_written(batch)} to {slips}")
    sys.exit(report.exit_code)
