"""``sellercomms preview``: the local preview server."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

import click

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
    help="A template folder to preview over the built-in templates.",
)
@sample_orders_option
@platform_option
@sample_seller_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Loopback address to listen on: 127.0.0.1, ::1 or localhost.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8025,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a web browser.")
def preview(
    templates: Path | None,
    orders_path: Path | None,
    platform: str | None,
    seller_path: Path | None,
    host: str,
    port: int,
    open_browser: bool,
) -> None:
    """Show every message in a local web page that updates whenever a file is saved."""
    import webbrowser

    # Imported here: the web server is loaded for this command only.
    from ..preview import PreviewServer, Sources

    if seller_path is None and Path(DEFAULT_SELLER_FILE).is_file():
        seller_path = Path(DEFAULT_SELLER_FILE)
    sources = Sources(
        templates=templates, orders=orders_path, seller=seller_path, platform=platform
    )
    try:
        server = PreviewServer(sources, host=host, port=port)
    except (ValueError, OSError) as error:
        raise UsageProblem(str(error)) from None
    for problem in server.workspace.snapshot().problems:
        click.echo(f"{problem.title}: {problem.message} (shown in the page too)", err=True)
    click.echo(f"Previewing at {server.url} (Ctrl+C to stop)")
    if open_browser:
        webbrowser.open(server.url)
    # uvicorn raises Ctrl+C again once it has shut down cleanly: that is the normal way out.
    with suppress(KeyboardInterrupt):
        server.run()
