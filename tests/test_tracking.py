"""Tests of sellercomms.tracking: detection, checks, normalisation and tracking URLs."""

from __future__ import annotations

import dataclasses

import pytest

from sellercomms.tracking import Tracking, normalise, track

UPS = "1Z999AA10123456784"
USPS = "9400111899223197428497"
FEDEX = "449044304137821"
DHL = "3318810025"
S10_US = "RB123456785US"
# A DHL Paket number (SSCC with DHL's company prefix); its shape and check digit are also
# those of a USPS 20-digit number, so only the route or the carrier's name tells them apart.
PAKET = "00340434161094042557"
# Japan Post, Yamato and Sagawa share the 12-digit shape and its mod-7 check digit.
JAPAN_POST = "405548424886"


@pytest.mark.parametrize(
    ("number", "carrier", "name", "url"),
    [
        (UPS, "ups", "UPS", f"https://www.ups.com/track?loc=en_US&tracknum={UPS}"),
        (USPS, "usps", "USPS", f"https://tools.usps.com/go/TrackConfirmAction?tLabels={USPS}"),
        (FEDEX, "fedex", "FedEx", f"https://www.fedex.com/fedextrack/?trknbr={FEDEX}"),
        (
            DHL,
            "dhl_express",
            "DHL Express",
            "https://www.dhl.com/us-en/home/tracking/tracking-express.html"
            f"?submit=1&tracking-id={DHL}",
        ),
        (S10_US, "usps", "USPS", f"https://tools.usps.com/go/TrackConfirmAction?tLabels={S10_US}"),
        (
            "RB123456785GB",
            "royal_mail",
            "Royal Mail",
            "https://www.royalmail.com/track-your-item#/tracking-results/RB123456785GB",
        ),
        (
            "RB123456785CA",
            "canada_post",
            "Canada Post",
            "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=RB123456785CA",
        ),
        (
            "RB123456785AU",
            "australia_post",
            "Australia Post",
            "https://auspost.com.au/mypost/track/#/details/RB123456785AU",
        ),
        (
            "RB123456785JP",
            "japan_post",
            "Japan Post",
            "https://trackings.post.japanpost.jp/services/srv/search/direct"
            "?searchKind=S004&locale=en&reqCodeNo1=RB123456785JP",
        ),
        (
            "RB123456785DE",
            "dhl_paket",
            "DHL Paket",
            "https://www.dhl.de/en/privatkunden/pakete-empfangen/verfolgen.html"
            "?piececode=RB123456785DE",
        ),
    ],
)
def test_detects_carrier_and_url(number: str, carrier: str, name: str, url: str) -> None:
    result = track(number)
    assert result == Tracking(
        number=number, carrier=carrier, carrier_name=name, url=url, valid=True, raw=number
    )


@pytest.mark.parametrize(
    ("number", "carrier", "name", "url"),
    [
        (
            "TBA123456789012",
            "amazon_logistics",
            "Amazon Logistics",
            "https://track.amazon.com/tracking/TBA123456789012",
        ),
        (
            "C11031500001879",
            "ontrac",
            "OnTrac",
            "https://www.ontrac.com/tracking/?number=C11031500001879",
        ),
    ],
)
def test_amazon_logistics_and_ontrac_are_linked(
    number: str, carrier: str, name: str, url: str
) -> None:
    result = track(number)
    assert (result.carrier, result.carrier_name, result.valid, result.url) == (
        carrier,
        name,
        True,
        url,
    )


def test_s10_of_an_operator_without_a_page_is_named_but_unlinked() -> None:
    result = track("RB123456785CV")
    assert (result.carrier, result.carrier_name, result.url, result.valid) == (
        "post_cv",
        "Correios de Cabo Verde",
        None,
        True,
    )


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("1z 999 aa1-0123 4567 84", UPS),
        ("\t1Z999AA1\n0123456784 ", UPS),
        ("1Z999AA1\u00a00123\u2013456784", UPS),  # no-break space, en dash
        ("1Z999AA1\u200b0123456784", UPS),  # zero-width space from a web page
        ("１Ｚ９９９ＡＡ１０１２３４５６７８４", UPS),  # full-width, as typed in Japan
        ("1234ー5678ー9012", "123456789012"),  # long-vowel mark typed for a dash
        ("", ""),
    ],
)
def test_normalise(raw: str, clean: str) -> None:
    assert normalise(raw) == clean


def test_messy_input_gives_a_clean_url() -> None:
    result = track("1z 999 aa1-0123 4567 84")
    assert result.number == UPS
    assert result.carrier == "ups"
    assert result.url == f"https://www.ups.com/track?loc=en_US&tracknum={UPS}"
    assert result.raw == "1z 999 aa1-0123 4567 84"


@pytest.mark.parametrize("spelling", ["UPS", "ups", "United Parcel Service", " Ups "])
def test_ups_spellings(spelling: str) -> None:
    result = track(UPS, spelling)
    assert (result.carrier, result.carrier_name, result.valid) == ("ups", "UPS", True)


@pytest.mark.parametrize(
    ("spelling", "number", "carrier"),
    [
        ("USPS", USPS, "usps"),
        ("United States Postal Service", USPS, "usps"),
        ("usps", S10_US, "usps"),
        ("FedEx", FEDEX, "fedex"),
        ("Fedex Ground", FEDEX, "fedex"),
        ("federal express", FEDEX, "fedex"),
        ("DHL Express", DHL, "dhl_express"),
        ("DHL", DHL, "dhl_express"),
        ("DHL", PAKET, "dhl_paket"),
        ("DHL Paket", PAKET, "dhl_paket"),
        ("Deutsche Post DHL", PAKET, "dhl_paket"),
        ("dhl_paket", "JJD000390007827372773", "dhl_paket"),
        ("Royal Mail", "AB123456789GB", "royal_mail"),
        ("Canada Post", "0073938000549297", "canada_post"),
        ("Postes Canada", "RB123456785CA", "canada_post"),
        ("Australia Post", "33ABC1234567", "australia_post"),
        ("AusPost", "RB123456785AU", "australia_post"),
        ("Japan Post", JAPAN_POST, "japan_post"),
        ("日本郵便", "RB123456785JP", "japan_post"),
        ("Amazon", "TBA123456789012", "amazon_logistics"),
        ("OnTrac", "C11031500001879", "ontrac"),
    ],
)
def test_named_carrier_accepts_its_numbers(spelling: str, number: str, carrier: str) -> None:
    result = track(number, spelling)
    assert (result.carrier, result.valid) == (carrier, True)


def test_named_carrier_wins_over_detection() -> None:
    unnamed = track(PAKET)  # fits USPS and DHL Paket: no guess without a route
    assert (unnamed.carrier, unnamed.url, unnamed.valid) == (None, None, True)
    assert set(unnamed.candidates) == {"usps", "dhl_paket"}
    assert track(PAKET, country="DE", origin="DE").carrier == "dhl_paket"
    result = track(PAKET, "DHL Paket", locale="de_DE")
    assert result.carrier == "dhl_paket"
    assert result.carrier_name == "DHL Paket"
    assert result.url == (
        f"https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={PAKET}"
    )


@pytest.mark.parametrize(
    ("spelling", "number", "carrier"),
    [
        ("UPS", "1Z999AA10123456785", "ups"),  # wrong check digit
        ("UPS", "1Z999AA1012345678A", "ups"),  # a letter as check digit: the package raises
        ("UPS", FEDEX, "ups"),
        ("FedEx", USPS, "fedex"),
        ("DHL Express", "3318810026", "dhl_express"),
        ("DHL Express", "0000000000", "dhl_express"),
        ("USPS", "RB123456785GB", "usps"),
        ("Royal Mail", "RB123456785US", "royal_mail"),
        ("Canada Post", "123456789012345", "canada_post"),
        ("Canada Post", "RB123456784CA", "canada_post"),  # S10 with a wrong check digit
        ("Japan Post", "1234567890", "japan_post"),
        ("Australia Post", "AB/1234567890", "australia_post"),
        ("DHL Paket", "12345678901", "dhl_paket"),
    ],
)
def test_named_carrier_rejects_numbers_failing_its_check(
    spelling: str, number: str, carrier: str
) -> None:
    result = track(number, spelling)
    assert (result.carrier, result.valid, result.url) == (carrier, False, None)
    assert result.carrier_name is not None


@pytest.mark.parametrize("number", ["1Z999AA10123456785", "1Z999AA1012345678A", "RB123456784US"])
def test_undetected_number_has_no_carrier_and_no_url(number: str) -> None:
    result = track(number)
    assert (result.carrier, result.carrier_name, result.url, result.valid) == (
        None,
        None,
        None,
        False,
    )


@pytest.mark.parametrize("number", ["0000000000", "1111111111", "9999999999"])
def test_repeated_digit_is_not_a_dhl_number(number: str) -> None:
    result = track(number)
    assert result.carrier is None
    assert result.url is None
    assert not result.valid


def test_bare_dhl_with_a_number_of_neither_division_keeps_the_name() -> None:
    result = track("ABC", "dhl")
    assert (result.carrier, result.carrier_name, result.url, result.valid) == (
        None,
        "DHL",
        None,
        False,
    )


@pytest.mark.parametrize("name", ["Bob's Couriers", "Speedy Local Delivery"])
def test_unknown_carrier_keeps_its_name_and_gets_no_url(name: str) -> None:
    result = track("ABC-123", f"  {name} ")
    assert (result.carrier, result.carrier_name, result.url, result.valid) == (
        None,
        name,
        None,
        False,
    )


@pytest.mark.parametrize("name", ["Bob's Couriers", "Other", "CustomCode", "その他"])
def test_a_name_does_not_switch_detection_off(name: str) -> None:
    result = track(UPS, name)
    assert (result.carrier, result.valid) == ("ups", True)
    assert result.carrier_name == ("UPS" if name in {"Other", "CustomCode", "その他"} else name)
    assert result.url == f"https://www.ups.com/track?loc=en_US&tracknum={UPS}"


@pytest.mark.parametrize("carrier", [None, "", "   "])
def test_blank_carrier_means_detect(carrier: str | None) -> None:
    assert track(UPS, carrier).carrier == "ups"


@pytest.mark.parametrize(
    ("number", "carrier", "locale", "url"),
    [
        (UPS, None, "de_DE", f"https://www.ups.com/track?loc=de_DE&tracknum={UPS}"),
        (UPS, None, "fr-CA", f"https://www.ups.com/track?loc=fr_CA&tracknum={UPS}"),
        (UPS, None, "de", f"https://www.ups.com/track?loc=en_US&tracknum={UPS}"),
        (
            DHL,
            None,
            "de_DE",
            "https://www.dhl.com/de-de/home/tracking/tracking-express.html"
            f"?submit=1&tracking-id={DHL}",
        ),
        (
            DHL,
            None,
            "en_GB.UTF-8",
            "https://www.dhl.com/gb-en/home/tracking/tracking-express.html"
            f"?submit=1&tracking-id={DHL}",
        ),
        (
            DHL,
            None,
            "ja",
            "https://www.dhl.com/us-en/home/tracking/tracking-express.html"
            f"?submit=1&tracking-id={DHL}",
        ),
        (
            "0073938000549297",
            "Canada Post",
            "fr_CA",
            "https://www.canadapost-postescanada.ca/track-reperage/fr#/search"
            "?searchFor=0073938000549297",
        ),
        (
            JAPAN_POST,
            "Japan Post",
            "ja_JP",
            "https://trackings.post.japanpost.jp/services/srv/search/direct"
            f"?searchKind=S004&locale=ja&reqCodeNo1={JAPAN_POST}",
        ),
        (
            PAKET,
            "DHL Paket",
            "en_US",
            f"https://www.dhl.de/en/privatkunden/pakete-empfangen/verfolgen.html?piececode={PAKET}",
        ),
    ],
)
def test_locale_dependent_urls(number: str, carrier: str | None, locale: str, url: str) -> None:
    assert track(number, carrier, locale=locale).url == url


@pytest.mark.parametrize("number", ["", "   ", " - – ", "None", "n/a", "NULL"])
def test_empty_number_raises(number: str) -> None:
    with pytest.raises(ValueError, match="tracking number is empty"):
        track(number)


def test_tracking_is_immutable() -> None:
    result = track(UPS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.url = "https://example.com/"  # type: ignore[misc]
