"""``sellercomms init`` and ``sellercomms schema``: starting and describing a project."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..environment import builtin_templates_dir
from ..models import Order
from ..output import write_atomic
from .common import (
    DEFAULT_SELLER_FILE,
    UsageProblem,
)


@click.command()
def schema() -> None:
    """Print the JSON Schema of an order."""
    click.echo(json.dumps(Order.model_json_schema(), indent=2, ensure_ascii=False))


#: The override folder ``init`` starts; not ``templates``, which in a clone of sellercomms is
#: the built-in one.
OVERRIDE_FOLDER = "my-templates"


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=Path())
def init(directory: Path) -> None:
    """Write a starter sellercomms.toml and an empty template override folder (my-templates/)."""
    builtin = builtin_templates_dir()
    if directory.resolve().is_relative_to(builtin):
        raise UsageProblem(
            f"{directory} is inside sellercomms' built-in templates ({builtin}); "
            "run init in your own project's folder"
        )
    profile = directory / DEFAULT_SELLER_FILE
    if profile.exists():
        raise UsageProblem(f"{profile} exists already; nothing was changed")
    starter = builtin / "starter"
    write_atomic(profile, (starter / DEFAULT_SELLER_FILE).read_bytes())
    readme = directory / OVERRIDE_FOLDER / "README.txt"
    if not readme.exists():
        write_atomic(readme, (starter / "README.txt").read_bytes())
    click.echo(f"wrote {profile} and {readme.parent}/; edit the profile, then run sellercomms")
