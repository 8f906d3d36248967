"""The ``sellercomms`` command line: a thin layer over the Python API.

Exit status: 0 when everything was produced; 1 when some orders failed (each one line on
stderr, the others still written); 2 for unusable arguments or an unreadable input file.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

import click

from .check import check
from .demo import demo
from .feedback import feedback
from .plan import plan
from .preview import preview
from .project import init, schema
from .render import render
from .track import track

__all__ = ["cli", "console_main", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sellercomms")
@click.option("-v", "--verbose", is_flag=True, help="Log what is being done.")
def cli(verbose: bool) -> None:
    """Packing slips, shipping confirmations and follow-ups that earn seller feedback."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


for command in (render, demo, plan, check, feedback, preview, schema, init, track):
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="sellercomms")
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
    return 0


def console_main() -> None:
    """Entry point of the ``sellercomms`` script."""
    sys.exit(main())
