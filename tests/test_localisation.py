"""Every built-in message in every shipped locale: complete catalogs, local formats, RTL."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from sellercomms import Order, PolicyError, Renderer, parse_order
from sellercomms.catalogs import SHIPPED_LOCALES, catalog_files
from sellercomms.environment import builtin_templates_dir
from sellercomms.messages import EMAIL_TEMPLATES
from sellercomms.samples import sample_data

TEMPLATES = builtin_templates_dir()
TRANSLATED = [locale for locale in SHIPPED_LOCALES if locale != "en_US"]


def source_messages() -> set[tuple[str, str | None]]:
    """The (msgid, context) pairs the templates use today, extracted the way pybabel does."""
    patterns = ("**.html", "emails/**.txt", "packing_slip/**.css")
    method_map = [(pattern, "jinja2") for pattern in patterns]
    options = {pattern: {"extensions": "jinja2.ext.i18n"} for pattern in patterns}
    found: set[tuple[str, str | None]] = set()
    for _, _, message, _, context in extract_from_dir(str(TEMPLATES), method_map, options):
        found.add((message if isinstance(message, str) else message[0], context))
    return found


def shipped_catalog(locale: str) -> Catalog:
    (path,) = catalog_files(locale, [TEMPLATES])[:1]
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalog_translates_every_template_string(locale: str) -> None:
    catalog = shipped_catalog(locale)
    missing = []
    for key, context in source_messages():
        message = catalog.get(key, context=context)
        strings = message.string if message is not None else None
        if isinstance(strings, tuple):
            done = all(strings) and len(strings) == catalog.num_plurals
        else:
            done = bool(strings)
        if message is None or not done or message.fuzzy:
            missing.append(key)
    assert not missing, f"{locale}: {len(missing)} untranslated, e.g. {sorted(missing)[:3]}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalog_keeps_every_placeholder(locale: str) -> None:
    problems = [(m.id, errors) for m, errors in shipped_catalog(locale).check()]
    assert not problems


def render_all(renderer: Renderer, order: Order, locale: str) -> dict[str, Any]:
    mails = {}
    for template in EMAIL_TEMPLATES:
        try:
            mails[template] = renderer.email(
                template, order, locale=locale, data=sample_data(template, order)
            )
        except PolicyError:
            continue
    return mails


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_template_renders_translated(
    renderer: Renderer, orders_by_id: dict[str, Order], locale: str
) -> None:
    order = orders_by_id["ACME-1003"]
    english = render_all(renderer, order, "en_US")
    local = render_all(renderer, order, locale)
    assert set(local) == set(EMAIL_TEMPLATES) - {"feedback_revision"}  # eBay's alone
    for template, mail in local.items():
        assert mail.subject, template
        assert mail.text.strip() and mail.html.strip(), template
        if locale != "en_GB":
            assert mail.subject != english[template].subject, (template, mail.subject)
            assert mail.text != english[template].text, template
        assert "%(" not in mail.text + mail.html + mail.subject, template
        assert re.search(r"\{[{%]", mail.text + mail.html) is None, template


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de_DE", "1.234,50\xa0€"),
        ("fr_FR", "1\u202f234,50\xa0€"),
        ("es_ES", "1.234,50\xa0€"),
        ("it_IT", "1.234,50\xa0€"),
    ],
)
def test_money_in_the_local_form(
    renderer: Renderer, order_dict: dict[str, Any], locale: str, expected: str
) -> None:
    order_dict.update(currency="EUR", shipping_price="0", tax="0")
    order_dict["items"] = [
        {"sku": "BOARD-1", "title": "Board", "quantity": 1, "unit_price": "1234.50"}
    ]
    order_dict["shipments"] = []
    mail = renderer.email("shipping_confirmation", parse_order(order_dict), locale=locale)
    assert expected in mail.text


def test_yen_in_japanese(renderer: Renderer, order_dict: dict[str, Any]) -> None:
    order_dict.update(currency="JPY", shipping_price="0", tax="0", locale="ja_JP")
    order_dict["items"] = [
        {"sku": "BOARD-1", "title": "木製ボード", "quantity": 1, "unit_price": "1234"}
    ]
    order_dict["shipments"] = []
    mail = renderer.email("shipping_confirmation", parse_order(order_dict))
    assert "￥1,234" in mail.text


def test_dates_in_the_local_form(renderer: Renderer, orders_by_id: dict[str, Order]) -> None:
    order = orders_by_id["ACME-1003"]  # estimated delivery 2026-11-24
    assert (
        "24. November 2026" in renderer.email("shipping_confirmation", order, locale="de_DE").text
    )
    assert "2026年11月24日" in renderer.email("shipping_confirmation", order, locale="ja_JP").text


def test_arabic_is_right_to_left(renderer: Renderer, orders_by_id: dict[str, Order]) -> None:
    mail = renderer.email("shipping_confirmation", orders_by_id["ACME-1003"], locale="ar_SA")
    assert re.search(r'<html[^>]* lang="ar-SA"', mail.html)
    assert re.search(r'<html[^>]* dir="rtl"', mail.html)
    # Order ids and tracking numbers stay left-to-right inside the Arabic text, on one line.
    ltr = '<bdi dir="ltr" style="white-space:nowrap">'
    assert f"{ltr}1Z999AA10123456784</bdi>" in mail.html
    assert "\u2066ACME-1003\u2069" in mail.subject
    assert re.search(r"<title>[^<]*\u2066ACME-1003\u2069[^<]*</title>", mail.html)
    assert "\u20661Z999AA10123456784\u2069" in mail.text
    # Latin address lines keep their own order, amounts their Latin currency code.
    assert "<bdi>88 Orbit Way</bdi>" in mail.html
    assert "\u206888 Orbit Way\u2069" in mail.text
    assert re.search(re.escape(ltr) + r"\u200f?49\.00\xa0US\$\u200f?</bdi>", mail.html)


def test_left_to_right_messages_carry_no_isolates(
    renderer: Renderer, orders_by_id: dict[str, Order]
) -> None:
    mail = renderer.email("shipping_confirmation", orders_by_id["ACME-1003"], locale="de_DE")
    assert "\u2066" not in mail.text + mail.subject
    assert "<bdi>" not in mail.html


@pytest.mark.parametrize(
    ("locale", "catalog"),
    [("fr_CA", "fr"), ("de_AT", "de"), ("es_MX", "es"), ("en_AU", None), ("pt_BR", None)],
)
def test_unsupported_locale_falls_back_to_its_language(
    renderer: Renderer, orders_by_id: dict[str, Order], locale: str, catalog: str | None
) -> None:
    files = catalog_files(locale, [TEMPLATES])
    assert [p.parent.parent.name for p in files][:1] == ([catalog] if catalog else [])
    mail = renderer.email("shipping_confirmation", orders_by_id["ACME-1003"], locale=locale)
    assert mail.locale == locale
    assert "%(" not in mail.text


def test_french_canadian_formats_money_the_canadian_way(
    renderer: Renderer, order_dict: dict[str, Any]
) -> None:
    order_dict.update(currency="CAD", locale="fr_CA", shipping_price="0", tax="0")
    order_dict["items"] = [{"sku": "B", "title": "Planche", "quantity": 1, "unit_price": "1234.50"}]
    order_dict["shipments"] = []
    text = renderer.email("shipping_confirmation", parse_order(order_dict)).text
    assert "1\xa0234,50\xa0$" in text


def test_locale_argument_wins(renderer: Renderer, orders_by_id: dict[str, Order]) -> None:
    order = orders_by_id["ACME-1005"]  # en_GB order
    assert renderer.email("shipping_confirmation", order, locale="de_DE").locale == "de_DE"


def test_marketplace_default_locale(renderer: Renderer, order_dict: dict[str, Any]) -> None:
    order_dict.update(marketplace="amazon.de", currency="EUR", channel="own")
    order_dict.pop("locale", None)
    mail = renderer.email("shipping_confirmation", parse_order(order_dict))
    assert mail.locale == "de_DE"


def test_pot_file_is_current() -> None:
    pot = Path(TEMPLATES) / "locale" / "messages.pot"
    with pot.open("rb") as handle:
        recorded = {
            (m.id if isinstance(m.id, str) else m.id[0], m.context) for m in read_po(handle) if m.id
        }
    current = source_messages()
    assert recorded == current, (
        "run: pybabel extract -F pyproject.toml -o templates/locale/messages.pot ."
    )


def test_japanese_slip_text_extracts_as_japanese(
    renderer: Renderer, orders_by_id: dict[str, Order]
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    pdf = renderer.packing_slips([orders_by_id["503-7654321-1234567"]], page_size="a4")
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "納品書" in text
    assert "陶器のボウル" in text
    assert "東京都" in text


def test_arabic_slip_is_right_to_left(renderer: Renderer, orders_by_id: dict[str, Order]) -> None:
    (slip,) = renderer.packing_slip_html(orders_by_id["ACME-1006"], page_size="a4")
    assert re.search(r'<html[^>]* lang="ar-SA"', slip.html)
    assert re.search(r'<html[^>]* dir="rtl"', slip.html)
