"""Etsy, Walmart and TikTok Shop: their rules as data, from the marketplace by default, and
packing slips that carry only what the channel allows."""

from __future__ import annotations

import email
import re
from datetime import datetime
from email.message import EmailMessage
from email.policy import default
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from sellercomms import Order, PolicyError, Renderer, due_messages, get_channel, parse_order
from sellercomms.channels import CHANNELS
from sellercomms.checks import check_templates
from sellercomms.checks.wording import Texts, wording_issues
from sellercomms.cli import main
from sellercomms.marketplaces import MARKETPLACES
from sellercomms.messages import MESSAGES
from sellercomms.relays import resolve_channel
from sellercomms.samples import sample_data
from tests.template_helpers import seller_template

NOW = datetime.fromisoformat("2026-12-04T12:00:00-05:00")


def on(order_dict: dict[str, Any], marketplace: str) -> Order:
    order_dict["marketplace"] = marketplace
    order_dict.pop("channel", None)
    order_dict["shipments"][0]["delivered_at"] = "2026-11-23T15:00:00-05:00"
    order_dict["shipments"][1]["delivered_at"] = "2026-11-25T15:00:00-05:00"
    return parse_order(order_dict)


def html_part(raw: bytes) -> str:
    parsed = email.message_from_bytes(raw, policy=default)
    assert isinstance(parsed, EmailMessage)
    part = parsed.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


# --- defaults -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marketplace", "channel"),
    [("etsy", "etsy"), ("walmart", "walmart"), ("walmart.ca", "walmart"), ("tiktok.us", "tiktok")],
)
def test_the_marketplace_picks_the_channel(
    order_dict: dict[str, Any], renderer: Renderer, marketplace: str, channel: str
) -> None:
    order = on(order_dict, marketplace)
    assert resolve_channel(order).name == channel
    assert renderer.channel_for(order).name == channel
    assert due_messages(order, NOW).channel == channel


def test_tiktok_shop_marketplaces_are_registered() -> None:
    tiktok = [m for m in MARKETPLACES.values() if m.family == "tiktok"]
    assert {"tiktok.us", "tiktok.uk", "tiktok.de", "tiktok.jp"} <= {m.key for m in tiktok}
    assert all(m.default_channel == "tiktok" and m.feedback_pattern is None for m in tiktok)


def test_every_channel_is_known_to_check_render_and_preview() -> None:
    assert set(CHANNELS) == {"own", "amazon", "ebay", "etsy", "walmart", "tiktok"}
    report = check_templates(locales=["en_US"], messages=["return_instructions"])
    assert set(report.summary.channels) == set(CHANNELS)


def test_check_takes_the_new_channels_on_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["check", "--channel", "tiktok", "--locale", "en_US", "--format", "json"])
    assert status in (0, 1)
    assert '"tiktok"' in capsys.readouterr().out


# --- Etsy ---------------------------------------------------------------------------------


def test_etsy_review_request_links_only_etsy(
    order_dict: dict[str, Any], renderer: Renderer
) -> None:
    mail = renderer.email("review_request", on(order_dict, "etsy"))
    html = html_part(mail.to_bytes())
    links = [h for h in hrefs(html) if h.startswith("http")]
    assert links and all(h.startswith("https://www.etsy.com/") for h in links)
    assert renderer.seller.email not in html and renderer.seller.phone not in html
    assert renderer.seller.email not in mail.text


def test_etsy_forbids_an_off_etsy_gift_certificate(
    order_dict: dict[str, Any], renderer: Renderer
) -> None:
    order = on(order_dict, "etsy")
    with pytest.raises(PolicyError) as caught:
        renderer.email(
            "resolution_gift_certificate",
            order,
            data=sample_data("resolution_gift_certificate", order),
        )
    assert caught.value.rule == "etsy.no-off-etsy-offers"


def test_a_seller_template_linking_the_shop_fails_on_etsy(
    tmp_path: Path, order_dict: dict[str, Any], seller: Any
) -> None:
    seller_template(
        tmp_path,
        "note",
        '<p>Order {{ order.order_id }}: <a href="https://acme.example/sale">our sale</a></p>',
    )
    with pytest.raises(PolicyError) as caught:
        Renderer(seller, tmp_path).email("note", on(order_dict, "etsy"))
    assert caught.value.rule == "etsy.no-off-etsy-links"


def test_etsy_review_window_is_100_days(order_dict: dict[str, Any]) -> None:
    order = on(order_dict, "etsy")
    late = due_messages(order, datetime.fromisoformat("2027-02-20T12:00:00-05:00"))
    assert late.entry("review_request").status == "due"
    closed = due_messages(order, datetime.fromisoformat("2027-03-10T12:00:00-05:00"))
    entry = closed.entry("review_request")
    assert (entry.status, entry.rule) == ("suppressed", "etsy.review-request-window")


def test_etsy_sends_its_own_shipping_notice(order_dict: dict[str, Any]) -> None:
    entry = due_messages(on(order_dict, "etsy"), NOW).entry("shipping_confirmation", 0)
    assert (entry.reason, entry.rule) == (
        "marketplace_notifies",
        "etsy.marketplace-sends-shipping-notice",
    )


# --- Walmart ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "rule"),
    [
        ("shipping_confirmation", "walmart.marketplace-sends-order-emails"),
        ("delivery_checkin", "walmart.no-unsolicited-contact"),
        ("review_request", "walmart.no-review-requests"),
        ("resolution_gift_certificate", "walmart.no-promotional-material"),
    ],
)
def test_walmart_forbids_unsolicited_and_promotional_messages(
    order_dict: dict[str, Any], renderer: Renderer, message: str, rule: str
) -> None:
    order = on(order_dict, "walmart")
    with pytest.raises(PolicyError) as caught:
        renderer.email(message, order, data=sample_data(message, order))
    assert caught.value.rule == rule
    entry = due_messages(order, NOW)
    planned = [e for e in entry.entries if e.message == message]
    assert all(e.status == "suppressed" and e.rule == rule for e in planned)


def test_walmart_return_instructions_link_no_website(
    order_dict: dict[str, Any], renderer: Renderer
) -> None:
    order = on(order_dict, "walmart")
    data = sample_data("return_instructions", order, channel="walmart")
    mail = renderer.email("return_instructions", order, data=data)
    html = html_part(mail.to_bytes())
    assert [h for h in hrefs(html) if h.startswith("http")] == [data["label_url"]]


def test_walmart_packing_slip_asks_for_nothing(
    order_dict: dict[str, Any], renderer: Renderer
) -> None:
    order = on(order_dict, "walmart")
    slips = renderer.packing_slip_html(order)
    assert all(slip.links.feedback is None and not slip.links.reviews for slip in slips)
    assert all("data:image/png" not in slip.html for slip in slips)
    text = PdfReader(BytesIO(renderer.packing_slips([order]))).pages[0].extract_text()
    assert "Packing slip" in text
    assert "feedback" not in text.lower() and "acme.example/feedback" not in text


# --- TikTok Shop --------------------------------------------------------------------------


def test_tiktok_slips_carry_no_codes_even_with_seller_links(
    order_dict: dict[str, Any], renderer: Renderer
) -> None:
    order_dict["channel"] = "tiktok"  # an own-store order sold through TikTok Shop
    order = parse_order(order_dict)
    assert renderer.seller.links.feedback is not None
    slips = renderer.packing_slip_html(order)
    assert all("data:image/png" not in slip.html for slip in slips)
    assert all(slip.links.feedback is None for slip in slips)
    own = renderer.packing_slip_html(parse_order({**order_dict, "channel": "own"}))
    assert all("data:image/png" in slip.html for slip in own)


def test_tiktok_forbids_outside_incentives(order_dict: dict[str, Any], renderer: Renderer) -> None:
    order = on(order_dict, "tiktok.us")
    with pytest.raises(PolicyError) as caught:
        renderer.email(
            "resolution_gift_certificate",
            order,
            data=sample_data("resolution_gift_certificate", order),
        )
    assert caught.value.rule == "tiktok.no-outside-incentives"


def test_tiktok_messages_show_no_contact_details(
    order_dict: dict[str, Any], renderer: Renderer
) -> None:
    mail = renderer.email("delivery_checkin", on(order_dict, "tiktok.us"))
    html = html_part(mail.to_bytes())
    assert renderer.seller.email not in html and "mailto:" not in html


@pytest.mark.parametrize(
    ("words", "rule"),
    [
        ("Leave a review and get a $5 gift card.", "wording.incentive"),
        ("If you loved it, please leave a review.", "wording.positive-review-ask"),
        ("Please update your review now that it is solved.", "wording.feedback-change-ask"),
    ],
)
@pytest.mark.parametrize("channel", ["etsy", "walmart", "tiktok"])
def test_review_manipulation_is_an_error_on_the_new_marketplaces(
    words: str, rule: str, channel: str
) -> None:
    issues = wording_issues(
        Texts("", "", words, words, ()),
        message=MESSAGES["review_request"],
        channel=get_channel(channel),
        locale="en_US",
    )
    assert [(i.rule, i.severity) for i in issues] == [(rule, "error")]


def test_a_neutral_request_is_fine_on_the_new_marketplaces() -> None:
    words = "Whether your experience was good or bad, we would value your review."
    for channel in ("etsy", "walmart", "tiktok"):
        issues = wording_issues(
            Texts("", "", words, words, ()),
            message=MESSAGES["review_request"],
            channel=get_channel(channel),
            locale="en_US",
        )
        assert issues == []


# --- what the slip says about tracking ----------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "words"),
    [
        ("own", "follow by e-mail"),
        ("etsy", "Tracking appears with your order"),
        ("tiktok", "Tracking appears with your order"),
    ],
)
def test_a_slip_before_the_label_says_where_tracking_comes(
    order_dict: dict[str, Any], renderer: Renderer, channel: str, words: str
) -> None:
    order_dict["shipments"] = []
    order_dict["channel"] = channel
    (slip,) = renderer.packing_slip_html(parse_order(order_dict))
    assert words in slip.html
    assert get_channel(channel).tracks_by_email is (channel == "own")
