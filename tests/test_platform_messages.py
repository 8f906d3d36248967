"""Platform orders through every built-in e-mail and the packing slip, read back as a buyer
and a packer would see them: the .eml through the standard library, the slip through pypdf."""

from __future__ import annotations

import email
import html
from decimal import Decimal
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest

from sellercomms import InputError, Order, PolicyError, Renderer, due_messages, parse_order
from sellercomms.formatting import Formatter
from sellercomms.messages import EMAIL_TEMPLATES
from sellercomms.models import PackingSlipSettings
from sellercomms.platforms import PLATFORMS, from_woocommerce
from sellercomms.samples import sample_data, sample_seller
from tests.pdf_helpers import page_texts
from tests.platform_helpers import PLATFORMS_DIR, fixture

# Every platform fixture that maps to an order.  Two are refused, as their own tests show:
# Shopify's published example is inconsistent, and Amazon's redacted address lacks the name.
REFUSED = {("shopify", "order.json"), ("amazon", "redacted_address.json")}
FIXTURES = [
    ("shopify", "taxes_included_two_parcels.json"),
    ("shopify", "pickup_personalised.json"),
    ("woocommerce", "order.json"),
    ("woocommerce", "prices_include_tax_tracked.json"),
    ("woocommerce", "local_pickup.json"),
    ("amazon", "order.json"),
    ("amazon", "amazon_de_vat.json"),
    ("amazon", "restored_address.json"),
    ("ebay", "order.json"),
    ("ebay", "collect_and_remit_two_parcels.json"),
]


def adapted(platform: str, name: str) -> Order:
    payload = fixture(platform, name)
    if (platform, name) == ("woocommerce", "local_pickup.json"):
        # This variant has no date_created_gmt: the shop's time zone reads its dates.
        return from_woocommerce(payload, timezone="America/Los_Angeles")
    return PLATFORMS[platform](payload)


def test_the_list_holds_every_fixture() -> None:
    files = {(p.parent.name, p.name) for p in PLATFORMS_DIR.glob("*/*.json")}
    assert files - set(FIXTURES) == REFUSED
    for platform, name in REFUSED:
        with pytest.raises(InputError):
            PLATFORMS[platform](fixture(platform, name))


def read_back(mail: Any) -> tuple[EmailMessage, str, str]:
    """The message as a mail client parses it: the message, its plain text and its HTML."""
    message = email.message_from_bytes(mail.to_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    plain, rich = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and rich is not None
    text = plain.get_content().replace("\r\n", "\n")
    return message, text, html.unescape(rich.get_content())


def data_for(template: str, order: Order) -> dict[str, Any] | None:
    data = sample_data(template, order)
    if template == "resolution_refund" and data is not None and order.total is not None:
        data["amount"] = str(min(Decimal(data["amount"]), order.total))
    return data


def allowed_templates(renderer: Renderer, order: Order) -> list[str]:
    """The built-in e-mails the order's channel allows.

    Marketplace buyers are written to through the marketplace (their addresses are relays), so
    Amazon's and eBay's rules decide which messages exist.
    """
    rules = renderer.channel_for(order)
    found = []
    for template in EMAIL_TEMPLATES:
        try:
            rules.ensure_allowed(template)
        except PolicyError:
            continue
        found.append(template)
    return found


def every_email(renderer: Renderer, order: Order) -> dict[str, tuple[EmailMessage, str, str]]:
    """Every built-in e-mail the order's channel allows, read back."""
    return {
        template: read_back(renderer.email(template, order, data=data_for(template, order)))
        for template in allowed_templates(renderer, order)
    }


def priced_renderer() -> Renderer:
    """A renderer whose slips show prices and the order's totals."""
    seller = sample_seller()
    return Renderer(
        seller.model_copy(update={"packing_slip": PackingSlipSettings(show_prices=True)})
    )


def money(order: Order, amount: Decimal | None, locale: str) -> str:
    assert amount is not None
    return Formatter(locale).money(amount, order.currency)


@pytest.mark.parametrize(("platform", "name"), FIXTURES)
def test_every_fixture_through_every_email_and_the_slip(platform: str, name: str) -> None:
    order = adapted(platform, name)
    renderer = Renderer(sample_seller())
    locale = renderer.locale_for(order)
    number = order.display_number or order.order_id
    mails = every_email(renderer, order)
    assert "review_request" in mails and "resolution_refund" in mails
    for template, (message, text, rich) in mails.items():
        assert number in text and number in rich, template
        assert "%(" not in text + rich and "{{" not in text + rich, template
        assert not any(line.rstrip().endswith(("SKU", "SKU ·")) for line in text.splitlines())
        if template != "resolution_gift_certificate":
            assert number in str(message["Subject"]), template
    if "shipping_confirmation" in mails:
        _, text, rich = mails["shipping_confirmation"]
        total = money(order, order.total, locale)
        assert total in text and total in rich
        # Tax that the prices already include is not added a second time.
        if order.prices_include_tax and order.tax:
            twice = money(order, order.total + order.tax, locale)  # type: ignore[operator]
            assert twice not in text and twice not in rich
            assert money(order, order.tax, locale) in text
        if order.marketplace_tax:
            collected = money(order, order.marketplace_tax, locale)
            assert collected in text and collected in rich
        for code in order.discount_codes:
            assert code in text and code in rich
        if order.pickup_point is not None:
            assert order.pickup_point.name in text and order.pickup_point.name in rich
            assert order.ship_to is not None and order.ship_to.line1 not in text
    for item in order.items:
        for prop in item.properties:
            for template in ("shipping_confirmation", "delivery_checkin", "return_instructions"):
                assert prop.value in mails[template][1] and prop.value in mails[template][2]
    # The packer's slip: one per parcel, every line, and the buyer's total to the cent.
    slips = page_texts(priced_renderer().packing_slips([order]))
    assert len(slips) >= max(1, len(order.shipments))
    slip_text = " ".join(slips)
    assert order.order_id in slip_text
    for item in order.items:
        assert " ".join(item.title.split())[:20] in slip_text
    if order.gift is None:  # a gift's slip shows no prices
        assert " ".join(money(order, order.total, locale).split()) in slip_text


@pytest.mark.parametrize(
    ("platform", "name", "total", "tax"),
    [
        ("shopify", "taxes_included_two_parcels.json", "597,00\xa0€", "95,32\xa0€"),
        ("woocommerce", "prices_include_tax_tracked.json", None, None),
    ],
)
def test_tax_inclusive_totals_to_the_cent(
    platform: str, name: str, total: str | None, tax: str | None
) -> None:
    order = adapted(platform, name)
    assert order.prices_include_tax and order.currency == "EUR"
    renderer = Renderer(sample_seller())
    _, text, rich = read_back(renderer.email("shipping_confirmation", order, locale="de_DE"))
    total = total or money(order, Decimal(fixture(platform, name)["total"]), "de_DE")
    tax = tax or money(order, order.tax, "de_DE")
    assert f"Gesamt: {total}" in text
    # The tax shows as part of the total, in German words, never as a charge of its own.
    included = [line.strip() for line in text.splitlines() if line.strip().startswith("(inkl.")]
    assert included and all(line.endswith(f"{tax})") for line in included)
    assert "MwSt.:" not in text and "inkl. MwSt." in rich


def test_amazon_de_stays_at_what_the_buyer_paid() -> None:
    order = adapted("amazon", "amazon_de_vat.json")
    slips = page_texts(priced_renderer().packing_slips([order]))
    assert all("100,00 €" in slip for slip in slips)
    assert not any("115,97" in slip for slip in slips)
    _, text, _ = read_back(Renderer(sample_seller()).email("review_request", order))
    assert order.order_id in text  # Amazon's order id, in every message to the buyer


def test_amazon_us_marketplace_tax_is_shown_as_collected_by_amazon() -> None:
    order = adapted("amazon", "restored_address.json")
    assert order.marketplace_tax > 0
    # A seller who also ships the order from a shop of their own, to the buyer's own address.
    order = order.model_copy(
        update={"customer": order.customer.model_copy(update={"email": "ada@example.com"})}
    )
    _, text, rich = read_back(
        Renderer(sample_seller()).email("shipping_confirmation", order, channel="own")
    )
    collected = money(order, order.marketplace_tax, "en_US")
    assert f"Tax collected by Amazon.com: {collected}" in text
    assert "Tax collected by Amazon.com" in rich
    assert f"Total: {money(order, order.total, 'en_US')}" in text


def engraved(order_dict: dict[str, Any]) -> dict[str, Any]:
    """Two mugs of one SKU with two engravings, in two parcels that name them by line id."""
    mug = {"sku": "MUG-ENG", "title": "Engraved mug", "quantity": 1, "unit_price": "20.00"}
    order_dict.update(
        items=[
            {**mug, "line_id": "A", "properties": [{"name": "Engraving", "value": "For Ada"}]},
            {**mug, "line_id": "B", "properties": [{"name": "Engraving", "value": "For Grace"}]},
        ],
        shipping_price="0",
        tax="0",
    )
    first, second = order_dict["shipments"]
    first["items"] = [{"line_id": "A", "quantity": 1}]
    second["items"] = [{"line_id": "B", "quantity": 1}]
    return order_dict


def test_two_lines_with_one_sku_stay_apart_everywhere(
    renderer: Renderer, order_dict: dict[str, Any]
) -> None:
    order = parse_order(engraved(order_dict))
    mail = renderer.email("shipping_confirmation", order)
    assert set(mail.links.reviews) == {"A", "B"}
    _, text, _ = read_back(mail)
    parcels = text.split("PARCEL 2 OF 2")
    assert "For Ada" in parcels[0].split("ITEMS IN YOUR ORDER")[0]
    assert "For Grace" in parcels[1].split("ITEMS IN YOUR ORDER")[0]
    assert "For Grace" not in parcels[0].split("ITEMS IN YOUR ORDER")[0]
    assert text.count("SKU MUG-ENG") == 2
    assert len(page_texts(renderer.packing_slips([order]))) == 2
    slips = renderer.packing_slip_html(order)
    assert [set(slip.links.reviews) for slip in slips] == [{"A"}, {"B"}]


def test_the_planner_counts_lines_not_skus(order_dict: dict[str, Any]) -> None:
    data = engraved(order_dict)
    for shipment in data["shipments"]:
        shipment["delivered_at"] = "2026-11-25T12:00:00-05:00"
    now = parse_order(data).placed_at.replace(year=2026, month=12, day=20)
    assert due_messages(parse_order(data), now).entry("review_request").reason != (
        "awaiting_shipment"
    )
    data["shipments"].pop()  # mug B never shipped, though a mug of its SKU did
    assert due_messages(parse_order(data), now).entry("review_request").reason == (
        "awaiting_shipment"
    )


def test_return_and_replacement_data_name_lines_by_line_id(
    renderer: Renderer, order_dict: dict[str, Any]
) -> None:
    order = parse_order(engraved(order_dict))
    data = {"deadline": "2026-12-20", "items": [{"line_id": "B", "quantity": 1}]}
    text = renderer.email("return_instructions", order, data=data).text
    assert "For Grace" in text and "For Ada" not in text
    data["items"] = [{"sku": "MUG-ENG", "quantity": 1}]
    with pytest.raises(InputError) as caught:
        renderer.email("return_instructions", order, data=data)
    assert caught.value.path == "data.items[0].sku"
    assert "2 items have SKU 'MUG-ENG'; use line_id" in str(caught.value)


def test_lines_without_a_sku_print_no_sku(renderer: Renderer, order_dict: dict[str, Any]) -> None:
    order_dict["items"] = [
        {"title": "Tea towel", "quantity": 1, "unit_price": "8.00"},
        {"sku": "", "title": "Oven glove", "quantity": 2, "unit_price": "6.00"},
    ]
    order_dict["shipments"] = [{"tracking_number": "1Z999AA10123456784", "carrier": "UPS"}]
    order = parse_order(order_dict)
    assert [item.line_id for item in order.items] == ["1", "2"]
    for template in allowed_templates(renderer, order):
        _, text, rich = read_back(renderer.email(template, order, data=data_for(template, order)))
        assert "SKU" not in text and "SKU" not in rich, template
        if template in {"shipping_confirmation", "delivery_checkin", "return_instructions"}:
            assert "Tea towel" in text and "Oven glove" in text, template
    (slip,) = page_texts(renderer.packing_slips([order]))
    assert "Tea towel" in slip and "Oven glove" in slip


def test_a_pickup_point_replaces_the_address(
    renderer: Renderer, order_dict: dict[str, Any]
) -> None:
    order_dict["pickup_point"] = {
        "name": "Packstation 123",
        "line1": "Alexanderplatz 1",
        "postal_code": "10178",
        "city": "Berlin",
        "country": "DE",
    }
    order = parse_order(order_dict)
    mail = renderer.email("shipping_confirmation", order)
    _, text, rich = read_back(mail)
    assert (
        "PICKUP POINT\n------------\nPackstation 123\nAlexanderplatz 1\n10178 Berlin\nGermany"
        in (text)
    )
    assert "Packstation 123<br>" in rich.replace("\n", "")
    assert "Shipping to" not in text + rich and "88 Orbit Way" not in text
    assert "collect it" in text
    german = renderer.email("shipping_confirmation", order, locale="de_DE").text
    assert "ABHOLSTELLE" in german and "Packstation 123" in german


def test_ship_to_is_needed_only_where_the_parcel_goes(
    renderer: Renderer, order_dict: dict[str, Any]
) -> None:
    del order_dict["ship_to"]
    order_dict["gift"] = {"message": "Enjoy!"}
    order = parse_order(order_dict)
    for template in allowed_templates(renderer, order):
        if template == "shipping_confirmation":
            continue
        mail = renderer.email(template, order, data=data_for(template, order))
        assert read_back(mail)[1], template
    with pytest.raises(InputError) as caught:
        renderer.email("shipping_confirmation", order)
    assert str(caught.value) == (
        "order ACME-1003: ship_to: is required for a shipping confirmation"
    )
    with pytest.raises(InputError, match=r"^order ACME-1003: ship_to: is required for a packing"):
        renderer.packing_slips([order])


def test_the_display_number_is_shown_and_the_order_id_stays_the_key(
    renderer: Renderer, order_dict: dict[str, Any]
) -> None:
    order_dict.update(order_id="gid://shopify/Order/450789469", display_number="#1001")
    order = parse_order(order_dict)
    message, text, _ = read_back(renderer.email("review_request", order))
    assert message["Subject"] == "How was your order #1001?"
    assert "Order #1001 · placed on" in text
    assert "gid://" not in text.split("\n-- \n")[0]
    feedback = renderer.email("review_request", order).links.feedback
    assert feedback is not None and "order=gid%3A//shopify/Order/450789469&" in feedback


def test_amazon_messages_name_amazons_order_id(
    renderer: Renderer, order_dicts: list[dict[str, Any]]
) -> None:
    data = next(o for o in order_dicts if o["marketplace"].startswith("amazon."))
    order = parse_order({**data, "display_number": "#77"})
    message, text, _ = read_back(renderer.email("review_request", order))
    assert order.order_id in str(message["Subject"]) and order.order_id in text
    assert "#77" not in text


def test_ebay_collect_and_remit_is_the_only_tax_row() -> None:
    order = adapted("ebay", "collect_and_remit_two_parcels.json")
    _, text, rich = read_back(Renderer(sample_seller()).email("shipping_confirmation", order))
    assert "Von eBay.de erhobene Steuer: 16,01\xa0€" in text
    assert "Von eBay.de erhobene Steuer" in rich
    assert "MwSt." not in text and "MwSt." not in rich
    assert "Gesamt: 99,91\xa0€" in text
