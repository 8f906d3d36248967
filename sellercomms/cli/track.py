"""``sellercomms track``: which carrier a tracking number belongs to, its link, and why."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from ..exceptions import InputError
from ..tracking import track as track_number
from .common import UsageProblem


def _country(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise click.BadParameter(f"{value!r} is not an ISO 3166 alpha-2 country code")
    return code


@click.command()
@click.argument("number")
@click.option("--carrier", help='The carrier as the order names it ("UPS", "DHL", "Other" …).')
@click.option("--country", callback=_country, help="Ship-to country (ISO 3166 alpha-2).")
@click.option("--origin", callback=_country, help="Country the parcel leaves from.")
@click.option("--locale", default="en_US", show_default=True, help="Language of the page.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Lines for people or a JSON object for programs.",
)
def track(
    number: str,
    carrier: str | None,
    country: str | None,
    origin: str | None,
    locale: str,
    output_format: str,
) -> None:
    """Show the carrier, the tracking link and the reason for NUMBER."""
    try:
        result = track_number(number, carrier, locale=locale, country=country, origin=origin)
    except InputError as error:
        raise UsageProblem(f"NUMBER: {error}") from None
    if output_format == "json":
        fields = asdict(result)
        fields["candidates"] = list(result.candidates)
        click.echo(json.dumps(fields, ensure_ascii=False, indent=2))
        return
    click.echo(f"number:  {result.number}")
    click.echo(
        f"carrier: {result.carrier_name or '-'}"
        + (f" ({result.carrier})" if result.carrier else "")
    )
    click.echo(f"link:    {result.url or '- (shown as text)'}")
    click.echo(f"valid:   {'yes' if result.valid else 'no'}")
    click.echo(f"why:     {result.reason}")
    if len(result.candidates) > 1:
        click.echo(f"fits:    {', '.join(result.candidates)}")
