"""Channel rules: forbidden messages, allowed links, contact details and logos, as data.

The built-in templates ask the channel what they may show; the rendered output is checked
against the same rules, so a seller's own template cannot slip past them either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sellercomms import Order, PolicyError, Renderer, Seller, get_channel, parse_order
from sellercomms.channels import CHANNELS
from sellercomms.environment import builtin_templates_dir
from sellercomms.exceptions import InputError
from sellercomms.marketplaces import get_marketplace
from sellercomms.messages import EMAIL_TEMPLATES, MESSAGES
from sellercomms.samples import sample_data

AMAZON_ORDER = "113-7654321-1234567"
EBAY_ORDER = "12-34567-89012"


def render(renderer: Renderer, template: str, order: Order, **options: Any) -> Any:
    return renderer.email(template, order, data=sample_data(template, order), **options)


# --- the rules as data -------------------------------------------------------------------


def test_every_rule_id_names_its_channel() -> None:
    for channel in CHANNELS.values():
        rules = [
            *channel.forbidden_messages.values(),
            *channel.marketplace_notices.values(),
            channel.review_window.rule,
            channel.solicitation_rule,
        ]
        rules += [r for r in (channel.link_rule, channel.contact_rule, channel.logo_link_rule) if r]
        rules += [channel.unsubscribe_rule] if channel.unsubscribe_rule else []
        assert rules
        for rule in rules:
            assert rule.id.startswith(f"{channel.name}."), rule.id
            assert rule.reason
        assert set(channel.forbidden_messages) <= set(MESSAGES)


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        ("own", (True, True, True, True, True, True)),
        ("amazon", (False, False, True, False, False, False)),
        ("ebay", (False, False, False, False, False, False)),
    ],
)
def test_what_templates_may_show(channel: str, expected: tuple[bool, ...]) -> None:
    rules = get_channel(channel)
    assert (
        rules.may_link_product_pages,
        rules.may_link_storefront,
        rules.may_link_tracking,
        rules.may_show_email_address,
        rules.may_show_phone,
        rules.may_link_logo,
    ) == expected


def test_amazon_review_request_links_only_reviews_and_feedback() -> None:
    assert get_channel("amazon").links_for(MESSAGES["review_request"]) == {"feedback", "review"}
    assert get_channel("ebay").links_for(MESSAGES["review_request"]) == {"feedback", "review"}
    assert "product" in get_channel("own").links_for(MESSAGES["review_request"])


def test_review_windows() -> None:
    amazon = get_channel("amazon").review_window
    assert (amazon.first_day, amazon.last_day) == (5, 30)
    assert all(c.max_solicitations == 1 for c in CHANNELS.values())


def test_unknown_channel() -> None:
    with pytest.raises(InputError, match="known channels: own, amazon, ebay") as caught:
        get_channel("fax")
    assert caught.value.path == "channel"


def test_unknown_marketplace() -> None:
    with pytest.raises(InputError, match=r"unknown marketplace 'amazon\.xx'") as caught:
        get_marketplace("amazon.xx")
    assert caught.value.path == "marketplace"


def test_templates_ask_the_channel_never_its_name() -> None:
    for path in (builtin_templates_dir() / "emails").iterdir():
        source = path.read_text(encoding="utf-8")
        assert "channel.name" not in source, path.name
        assert "|safe" not in source.replace(" ", ""), path.name


# --- forbidden messages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "order_id", "rule"),
    [
        ("shipping_confirmation", AMAZON_ORDER, "amazon.no-order-or-shipping-confirmation"),
        ("delivery_checkin", AMAZON_ORDER, "amazon.no-check-in-or-thank-you"),
        ("resolution_gift_certificate", AMAZON_ORDER, "amazon.no-incentives"),
        ("resolution_gift_certificate", EBAY_ORDER, "ebay.no-off-ebay-offers"),
    ],
)
def test_forbidden_messages_raise_naming_the_rule(
    renderer: Renderer, orders_by_id: dict[str, Order], template: str, order_id: str, rule: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        render(renderer, template, orders_by_id[order_id])
    assert caught.value.rule == rule
    assert caught.value.channel == rule.partition(".")[0]
    assert template in str(caught.value)


@pytest.mark.parametrize("order_id", [AMAZON_ORDER, EBAY_ORDER, "ACME-1003"])
def test_every_other_message_renders(
    renderer: Renderer, orders_by_id: dict[str, Order], order_id: str
) -> None:
    order = orders_by_id[order_id]
    rules = renderer.channel_for(order)
    for template in EMAIL_TEMPLATES:
        if rules.forbidding_rule(template) is None:
            assert render(renderer, template, order).channel == rules.name


def test_channel_option_changes_the_rules(
    renderer: Renderer, orders_by_id: dict[str, Order]
) -> None:
    order = orders_by_id["ACME-1003"]
    with pytest.raises(PolicyError):
        render(renderer, "delivery_checkin", order, channel="amazon")
    assert render(renderer, "delivery_checkin", orders_by_id[AMAZON_ORDER], channel="own")


# --- what built-in templates show per channel --------------------------------------------


def test_amazon_review_request_shows_only_review_and_feedback_links(
    renderer: Renderer, orders_by_id: dict[str, Order]
) -> None:
    mail = render(renderer, "review_request", orders_by_id[AMAZON_ORDER])
    for part in (mail.html, mail.text):
        assert "https://www.amazon.com/review/create-review?asin=B0EXAMPLE1" in part
        assert "leave-customer-feedback.html" in part
        assert "acme.example" not in part  # no product page, storefront or e-mail address
        assert "@" not in part.split("</style>")[-1]
        assert "555 0100" not in part
    assert "<img" not in mail.html


def test_ebay_messages_stay_on_ebay(renderer: Renderer, orders_by_id: dict[str, Order]) -> None:
    order = orders_by_id[EBAY_ORDER]
    for template in ("shipping_confirmation", "delivery_checkin", "review_request"):
        mail = render(renderer, template, order)
        for part in (mail.html, mail.text):
            assert "acme.example" not in part
            assert "dhl.com" not in part  # carrier pages are off eBay too
            assert "3318810025" in part or template == "review_request"
        assert mail.links.tracking == ()


def test_own_channel_shows_everything(renderer: Renderer, orders_by_id: dict[str, Order]) -> None:
    mail = render(renderer, "delivery_checkin", orders_by_id["ACME-1003"])
    for part in (mail.html, mail.text):
        assert "support@acme.example" in part
        assert "+1 555 0100" in part
        assert "https://www.ups.com/track" in part


# --- seller templates that break the rules -----------------------------------------------


def override(tmp_path: Path, html: str, text: str = "{{ order.order_id }}") -> Path:
    folder = tmp_path / "templates" / "emails"
    folder.mkdir(parents=True)
    layout = (
        '{% extends "emails/_base.html" %}{% block subject %}Hello{% endblock %}'
        "{% block preheader %}Hi{% endblock %}{% block content %}" + html + "{% endblock %}"
    )
    (folder / "review_request.html").write_text(layout, encoding="utf-8")
    (folder / "review_request.txt").write_text(text, encoding="utf-8")
    return tmp_path / "templates"


@pytest.mark.parametrize(
    ("html", "text", "rule"),
    [
        ('<a href="{{ items[0].product_url }}">mug</a>', "", "amazon.only-needed-links"),
        ("", "{{ items[0].product_url }}", "amazon.only-needed-links"),
        ("", "See www.acme.example for more.", "amazon.only-needed-links"),
        ('<a href="{{ seller.website }}">shop</a>', "", "amazon.only-needed-links"),
        (
            '<!--[if mso]><v:rect href="https://acme.example/"></v:rect><![endif]-->',
            "",
            "amazon.only-needed-links",
        ),
        ('<a href="mailto:{{ seller.email }}">write</a>', "", "amazon.no-direct-contact"),
        ("", "Write to {{ seller.email }}", "amazon.no-direct-contact"),
        ("Call {{ seller.phone }}", "", "amazon.no-direct-contact"),
        ("", "Call 1-555-0100 today", "amazon.no-direct-contact"),
        (
            '<a href="{{ feedback_url }}"><img src="x.png" width="10"></a>',
            "",
            "amazon.no-linked-logo",
        ),
    ],
)
def test_amazon_output_is_checked(
    tmp_path: Path,
    seller: Seller,
    orders_by_id: dict[str, Order],
    html: str,
    text: str,
    rule: str,
) -> None:
    renderer = Renderer(seller, override(tmp_path, html, text))
    with pytest.raises(PolicyError) as caught:
        renderer.email("review_request", orders_by_id[AMAZON_ORDER])
    assert caught.value.rule == rule


def test_allowed_links_pass_the_check(
    tmp_path: Path, seller: Seller, orders_by_id: dict[str, Order]
) -> None:
    html = (
        '<a href="{{ feedback_url }}">feedback</a> <a href="{{ items[0].review_url }}">review</a>'
    )
    text = "{{ feedback_url }}\n{{ items[0].review_url }}."
    renderer = Renderer(seller, override(tmp_path, html, text))
    mail = renderer.email("review_request", orders_by_id[AMAZON_ORDER])
    assert mail.channel == "amazon"
    review = mail.links.reviews["1"]
    assert mail.links.feedback is not None and mail.links.feedback in mail.text
    assert review in mail.text and f'href="{review}"' in mail.html


def test_links_the_message_does_not_need_fail_even_if_the_channel_allows_them(
    tmp_path: Path, seller: Seller, order_dicts: list[dict[str, Any]]
) -> None:
    # Tracking links are fine on Amazon where they help (a replacement), not in a review request.
    order = parse_order(order_dicts[0])
    renderer = Renderer(
        seller, override(tmp_path, '<a href="{{ shipments[0].tracking.url }}">t</a>')
    )
    with pytest.raises(PolicyError) as caught:
        renderer.email("review_request", order)
    assert caught.value.rule == "amazon.only-needed-links"
    assert "a tracking page" in str(caught.value)


@pytest.mark.parametrize(
    ("html", "rule"),
    [
        ('<a href="{{ items[0].product_url }}">spoon</a>', "ebay.no-off-ebay-links"),
        ('<a href="https://www.ebay.com.evil.example/">x</a>', "ebay.no-off-ebay-links"),
        ("Phone {{ seller.phone }}", "ebay.no-off-ebay-contact"),
        ('<a href="{{ feedback_url }}"><img src="x.png" width="10"></a>', "ebay.no-off-ebay-links"),
    ],
)
def test_ebay_output_is_checked(
    tmp_path: Path, seller: Seller, orders_by_id: dict[str, Order], html: str, rule: str
) -> None:
    renderer = Renderer(seller, override(tmp_path, html))
    with pytest.raises(PolicyError) as caught:
        renderer.email("review_request", orders_by_id[EBAY_ORDER])
    assert caught.value.rule == rule


def test_ebay_pages_are_always_allowed_on_ebay(
    tmp_path: Path, seller: Seller, orders_by_id: dict[str, Order]
) -> None:
    html = '<a href="https://www.ebay.com/mye/myebay/purchase">your purchases</a>'
    renderer = Renderer(seller, override(tmp_path, html))
    assert "ebay.com/mye" in renderer.email("review_request", orders_by_id[EBAY_ORDER]).html


def test_own_channel_output_is_not_restricted(
    tmp_path: Path, seller: Seller, orders_by_id: dict[str, Order]
) -> None:
    html = (
        '<a href="{{ items[0].product_url }}"><img src="x.png" width="10"></a> {{ seller.email }}'
    )
    renderer = Renderer(seller, override(tmp_path, html))
    assert (
        "support@acme.example" in renderer.email("review_request", orders_by_id["ACME-1003"]).html
    )


def test_data_links_the_channel_forbids_fail_before_rendering(
    renderer: Renderer, orders_by_id: dict[str, Order]
) -> None:
    data = {"deadline": "2026-12-20", "label_url": "https://labels.example/x.pdf"}
    with pytest.raises(PolicyError) as caught:
        renderer.email("return_instructions", orders_by_id[EBAY_ORDER], data=data)
    assert caught.value.rule == "ebay.no-off-ebay-links"
    assert "data.label_url" in str(caught.value)
    # Amazon allows a return label: it is needed to complete the return.
    amazon = renderer.email("return_instructions", orders_by_id[AMAZON_ORDER], data=data)
    assert "https://labels.example/x.pdf" in amazon.text
