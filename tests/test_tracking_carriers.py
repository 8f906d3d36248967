"""Carriers, formats, names and routes of sellercomms.tracking.

The valid and invalid test numbers come from the format files: those of
https://github.com/jkeen/tracking_number_data (MIT, commit b79ce4bf, vendored under
sellercomms/tracking/data/tracking_number_data) and our own in sellercomms/tracking/data/formats.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from sellercomms.cli import cli
from sellercomms.tracking import track
from sellercomms.tracking._checksums import CHECKSUMS
from sellercomms.tracking._registry import Example, examples, registry

EXAMPLES = list(examples(registry()))


def _id(example: Example) -> str:
    return f"{example.carrier.code}-{example.number}"


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.valid], ids=_id)
def test_valid_test_number_is_linked_when_its_carrier_is_named(example: Example) -> None:
    result = track(example.number, example.carrier.name)
    assert (result.carrier, result.valid) == (example.carrier.code, True)
    assert (result.url is not None) == (example.carrier.url is not None)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if not e.valid], ids=_id)
def test_invalid_test_number_is_never_linked_through_its_format(example: Example) -> None:
    home = min(example.carrier.countries, default=None)
    for result in (
        track(example.number),
        track(example.number, example.carrier.name),
        track(example.number, country=home, origin=home),
    ):
        assert result.url is None or result.format != example.format.key


@pytest.mark.parametrize(
    ("algorithm", "serial", "check", "constants"),
    [
        ("mod10", "999AA1012345678", "4", {"evens_multiplier": 1, "odds_multiplier": 2}),
        ("mod7", "331881002", "5", {}),
        ("s10", "12345678", "5", {}),
        ("luhn", "32059546393", "8", {}),
        ("mod_37_36", "09980000020033", "F", {}),
        (
            "sum_product_with_weightings_and_modulo",
            "98657878885",
            "5",
            {"weightings": [3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1], "modulo1": 11, "modulo2": 10},
        ),
    ],
)
def test_check_digit_algorithms(
    algorithm: str, serial: str, check: str, constants: dict[str, Any]
) -> None:
    assert CHECKSUMS[algorithm](serial, check, constants)
    wrong = "0" if check != "0" else "1"
    assert not CHECKSUMS[algorithm](serial, wrong, constants)


def test_dhl_paket_12_digits_on_a_german_route_is_not_fedex() -> None:
    number = "340434188230"  # the Identcode check digit holds, and so does FedEx's
    assert track(number, "DHL").carrier == "dhl_paket"
    assert track(number, country="DE", origin="DE").carrier == "dhl_paket"


mod7_12 = st.integers(0, 10**11 - 1).map(lambda n: f"{n:011d}{n % 7}")


@given(mod7_12)
def test_japanese_12_digit_numbers_get_no_guessed_link(number: str) -> None:
    result = track(number, country="JP", origin="JP")
    assert result.url is None
    assert track(number, "ヤマト運輸").carrier == "yamato"


@given(st.integers(10**9, 10**11 - 1).map(str), st.sampled_from(["US", "DE", "GB", "FR", "JP"]))
def test_short_numbers_get_no_dhl_express_link_on_a_domestic_route(number: str, cc: str) -> None:
    assert track(number, country=cc, origin=cc).carrier != "dhl_express"


def test_dhl_names_the_service_the_number_belongs_to() -> None:
    assert track("GM2951173225174494", "DHL").carrier == "dhl_ecommerce"
    assert track("3318810025", "DHL").carrier == "dhl_express"
    assert track("RB123456785DE", "DHL").carrier == "dhl_paket"


@pytest.mark.parametrize(
    ("name", "number", "carrier"),
    [
        ("AMZL_US", "TBA123456789012", "amazon_logistics"),
        ("Amazon Logistics UK", "TBA123456789012", "amazon_logistics"),
        ("佐川急便", "512547514334", "sagawa"),
        ("日本郵便", "405548424886", "japan_post"),
        ("Correos Express", "3230001234567890", "correos_express"),
        ("Correos", "PQ4F6P0700020610128001J", "correos"),
        ("DeutschePost", "RB123456785DE", "dhl_paket"),
        ("ColiposteDomestic", "6A12345678901", "la_poste"),
        ("FEDEXSP", "92748931507708513018050063", "fedex"),
        ("UPSMI", "92748931507708513018050063", "ups_mi"),
        ("USPS", "92748931507708513018050063", "usps"),
        ("Hermes UK", "1234567890123456", "evri"),
    ],
)
def test_platform_spellings(name: str, number: str, carrier: str) -> None:
    result = track(number, name)
    assert (result.carrier, result.valid) == (carrier, True)
    assert result.url is not None


def test_hermes_is_decided_by_the_route() -> None:
    assert track("1234567890123456", "Hermes", country="GB", origin="GB").carrier == "evri"
    assert track("01234567890123", "Hermes", country="DE").carrier == "hermes_de"


def test_usps_routing_prefix_is_left_out_of_the_link() -> None:
    result = track("420 78745 9400111206206406260787")
    assert result.number == "9400111206206406260787"
    assert (
        result.url == "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111206206406260787"
    )


def test_route_excludes_carriers_that_do_not_serve_it() -> None:
    # A Yamato-shaped number is nobody's on a US domestic route, and a China Post item
    # is not delivered by China Post inside Germany.
    assert track("444413758703", country="US", origin="US").url is None
    assert track("RB123456785CN", country="DE", origin="DE").url is None
    assert track("RB123456785CN", country="DE").carrier == "china_post"


PLATFORM = "https://example-shop.myshopify.com/orders/1/tracking"


def test_platform_url_is_used_when_the_carrier_is_not_clear() -> None:
    result = track("444413758703", country="JP", origin="JP", platform_url=PLATFORM)
    assert (result.carrier, result.url) == (None, PLATFORM)
    assert set(result.candidates) == {"yamato", "sagawa", "japan_post"}


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "https://", "https://a b/", "//x.example"])
def test_unsafe_platform_url_is_ignored(bad: str) -> None:
    assert track("444413758703", country="JP", platform_url=bad).url is None


def test_a_failed_check_digit_is_never_linked_even_by_the_platform() -> None:
    result = track("1Z999AA10123456785", platform_url=PLATFORM)
    assert (result.url, result.valid) == (None, False)
    assert "check digit" in result.reason


@pytest.mark.parametrize(
    ("number", "locale", "url"),
    [
        ("RB123456785DE", "de_DE", "https://www.dhl.de/de/privatkunden/"),
        ("RB123456785DE", "fr_FR", "https://www.dhl.de/en/privatkunden/"),
        ("0073938000549297", "fr_CA", "https://www.canadapost-postescanada.ca/track-reperage/fr#"),
        ("323299901234567890123456", "nl_BE", "https://track.bpost.cloud/btr/web/#/search"),
    ],
)
def test_pages_in_the_buyers_language(number: str, locale: str, url: str) -> None:
    result = track(number, "bpost" if number.startswith("32") else None, locale=locale)
    assert result.url is not None and result.url.startswith(url)
    if number.startswith("32"):
        assert result.url.endswith("&lang=nl")


@given(st.text(max_size=40), st.one_of(st.none(), st.text(max_size=20)))
def test_any_input_gives_a_safe_result(number: str, carrier: str | None) -> None:
    try:
        result = track(number, carrier, country="US")
    except ValueError:
        return
    if result.url is not None:
        assert result.url.startswith("https://")
        assert not any(ch.isspace() or ch in "<>\"'" for ch in result.url)


def test_cli_prints_carrier_link_and_reason() -> None:
    out = CliRunner().invoke(cli, ["track", "1Z999AA10123456784", "--carrier", "Other"])
    assert out.exit_code == 0, out.output
    assert "carrier: UPS (ups)" in out.output
    assert "https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784" in out.output
    assert "why:" in out.output


def test_cli_json_and_ambiguity() -> None:
    out = CliRunner().invoke(
        cli, ["track", "444413758703", "--country", "jp", "--origin", "JP", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["url"] is None and data["carrier"] is None
    assert sorted(data["candidates"]) == ["japan_post", "sagawa", "yamato"]


@pytest.mark.parametrize("args", [["track", "n/a"], ["track", "1Z", "--country", "USA"]])
def test_cli_usage_errors_exit_2(args: list[str]) -> None:
    assert CliRunner().invoke(cli, args).exit_code == 2
