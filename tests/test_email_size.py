"""Large orders stay under Gmail's clip: e-mails list the first items, the rest by a link.

Every built-in e-mail is rendered, CSS inlined, for a 200-item and a 1,000-item order in
every shipped locale; its HTML must stay under the 90 KB at which ``sellercomms check``
fails (Gmail clips at about 102 KB).  The line after the list links the order page: the
order's ``order_url`` (Shopify's order status page), else the seller's ``links.order``
pattern; without either it says how many items are not listed.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from sellercomms import Order, Renderer, check_templates, sample_seller
from sellercomms.catalogs import SHIPPED_LOCALES
from sellercomms.channels import CHANNELS
from sellercomms.checks.runner import HTML_ERROR_BYTES, SIZE_CHECK_ITEMS
from sellercomms.context import ITEM_LIMIT
from sellercomms.mail import RenderedEmail
from sellercomms.messages import EMAIL_TEMPLATES
from sellercomms.models import ShipmentItem
from sellercomms.platforms import from_shopify
from sellercomms.samples import large_sample_order, sample_data
from tests.platform_helpers import fixture

# The templates that list the order's items (return_instructions: the lines sent back,
# by default all of them).
LISTS_ITEMS = ("shipping_confirmation", "review_request", "delivery_checkin", "return_instructions")
ORDER_PAGE = "https://acme.example/account/orders/{order_id}"
STATUS_PAGE = "https://shop.example/690933842/orders/123456abcd/authenticate?key=abcdefg"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def hrefs(html: str) -> list[str]:
    reader = _Links()
    reader.feed(html)
    reader.close()
    return reader.hrefs


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    """The sample seller without its order-page pattern: only an order's own page links."""
    seller = sample_seller()
    links = seller.links.model_copy(update={"order": None})
    return Renderer(seller.model_copy(update={"links": links}))


@pytest.fixture(scope="module")
def large() -> dict[int, Order]:
    return {count: large_sample_order(count) for count in (200, 1000)}


def render(renderer: Renderer, template: str, order: Order, locale: str = "en_US") -> RenderedEmail:
    """``template`` for ``order`` on the seller's own channel, or the first that allows it."""
    channel = next(name for name, rules in CHANNELS.items() if not rules.forbidding_rule(template))
    data = sample_data(template, order, channel=channel)
    return renderer.email(template, order, locale=locale, channel=channel, data=data)


@pytest.mark.parametrize("count", [200, 1000])
@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
@pytest.mark.parametrize("template", EMAIL_TEMPLATES)
def test_every_email_stays_under_90_kb(
    renderer: Renderer, large: dict[int, Order], template: str, locale: str, count: int
) -> None:
    order = large[count]
    mail = render(renderer, template, order, locale)
    assert len(mail.html.encode("utf-8")) < HTML_ERROR_BYTES
    if template in LISTS_ITEMS:
        links = hrefs(mail.html)
        listed, unlisted = order.items[ITEM_LIMIT - 1], order.items[ITEM_LIMIT]
        assert order.items[0].product_url in links and listed.product_url in links
        assert unlisted.product_url not in links


def test_a_split_order_lists_its_parcels_within_the_limit(
    renderer: Renderer, large: dict[int, Order]
) -> None:
    order = large[1000]
    shipment = order.shipments[0]
    parcels = [
        shipment.model_copy(
            update={"items": [ShipmentItem(sku=i.sku, quantity=i.quantity) for i in half]}
        )
        for half in (order.items[:500], order.items[500:])
    ]
    split = order.model_copy(update={"shipments": parcels})
    for locale in SHIPPED_LOCALES:
        mail = render(renderer, "shipping_confirmation", split, locale)
        assert len(mail.html.encode("utf-8")) < HTML_ERROR_BYTES
    # The parcels share the limit: parcel 1 lists it, parcel 2 only counts its lines.
    english = render(renderer, "shipping_confirmation", split)
    assert f"{500 - ITEM_LIMIT} more items are not listed here." in english.text
    assert "500 more items are not listed here." in english.text
    assert f"{1000 - ITEM_LIMIT} more items are not listed here." in english.text


@pytest.mark.parametrize("template", LISTS_ITEMS)
def test_without_an_order_page_the_rest_are_counted(
    renderer: Renderer, large: dict[int, Order], template: str
) -> None:
    mail = render(renderer, template, large[200])
    line = f"{200 - ITEM_LIMIT} more items are not listed here."
    assert line in mail.html and line in mail.text


@pytest.mark.parametrize("template", LISTS_ITEMS)
def test_the_rest_link_to_the_orders_own_page(
    renderer: Renderer, large: dict[int, Order], template: str
) -> None:
    order = large[200].model_copy(update={"order_url": STATUS_PAGE})
    mail = render(renderer, template, order)
    assert STATUS_PAGE in hrefs(mail.html)
    assert "not listed here" not in mail.html
    assert f"{200 - ITEM_LIMIT} more items are on your order page:\n{STATUS_PAGE}\n" in mail.text


def test_the_sellers_order_pattern_stands_in_for_a_missing_order_url(
    large: dict[int, Order],
) -> None:
    seller = sample_seller()
    assert seller.links.order == ORDER_PAGE
    renderer = Renderer(seller)
    order = large[200]
    (link,) = [
        h for h in hrefs(render(renderer, "shipping_confirmation", order).html) if "/account/" in h
    ]
    assert link.startswith("https://acme.example/account/orders/ACME-LARGE-200?")
    assert "utm_campaign=shipping_confirmation" in link
    # The order's own page wins over the pattern.
    mail = render(
        renderer, "shipping_confirmation", order.model_copy(update={"order_url": STATUS_PAGE})
    )
    assert STATUS_PAGE in hrefs(mail.html)
    assert not [h for h in hrefs(mail.html) if "/account/" in h]


def test_a_channel_links_only_an_order_page_of_its_own(
    renderer: Renderer, large: dict[int, Order]
) -> None:
    order = large[200]
    elsewhere = order.model_copy(update={"order_url": STATUS_PAGE})
    mail = renderer.email("review_request", elsewhere, channel="amazon")
    assert STATUS_PAGE not in mail.html and STATUS_PAGE not in mail.text
    assert f"{200 - ITEM_LIMIT} more items are not listed here." in mail.html
    amazons = "https://www.amazon.com/gp/your-account/order-details?orderID=113-7654321-1234567"
    mail = renderer.email(
        "review_request", order.model_copy(update={"order_url": amazons}), channel="amazon"
    )
    assert amazons in hrefs(mail.html)


def test_shopifys_order_status_page_is_the_order_url() -> None:
    payload = fixture("shopify", "order.json")
    payload["order"]["line_items"].pop()  # the line the fixture's totals leave out
    # The field as Shopify's orders/create webhook example carries it.
    payload["order"]["order_status_url"] = STATUS_PAGE
    assert from_shopify(payload).order_url == STATUS_PAGE
    del payload["order"]["order_status_url"]
    assert from_shopify(payload).order_url is None


def test_check_proves_the_size_with_a_large_order(tmp_path: Path) -> None:
    small = large_sample_order(3)
    report = check_templates(
        orders=[small], messages=["shipping_confirmation"], channels=["own"], locales=["en_US"]
    )
    assert report.summary.renders == 1  # the order given; the size proof is not counted
    assert not [f for f in report.findings if f.rule == "size.html"]
    # A template that lists every item is small for the order given, over 50 KB for 200.
    emails = tmp_path / "emails"
    emails.mkdir()
    (emails / "shipping_confirmation.html").write_text(
        '{% extends "emails/_base.html" %}\n'
        "{% block subject %}Your order {{ order_number }} has shipped{% endblock %}\n"
        "{% block preheader %}It is on its way.{% endblock %}\n"
        "{% block content %}{% for item in items %}\n"
        '<p class="detail">{{ item.title }}, {{ item.sku }}: {{ item.line_total|money }}.</p>\n'
        '<p class="detail">Packed by hand in recycled paper and shipped from our warehouse '
        "today, with care instructions that keep it looking new for years to come.</p>\n"
        "{% endfor %}{% endblock %}\n",
        encoding="utf-8",
    )
    report = check_templates(
        tmp_path,
        orders=[small],
        messages=["shipping_confirmation"],
        channels=["own"],
        locales=["en_US"],
    )
    (finding,) = [f for f in report.findings if f.rule == "size.html"]
    assert f"order ACME-LARGE-{SIZE_CHECK_ITEMS}" in finding.message
