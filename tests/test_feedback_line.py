"""The feedback link wherever the channel lets a message carry it, none where it may not, and
eBay's one feedback revision request after a resolution."""

from __future__ import annotations

import email
from datetime import datetime
from email.message import EmailMessage
from email.policy import default
from html import escape
from pathlib import Path
from typing import Any

import pytest

from sellercomms import Order, PolicyError, Renderer, Seller, due_messages, parse_order
from sellercomms.catalogs import SHIPPED_LOCALES
from sellercomms.checks import check_templates
from sellercomms.samples import sample_data
from tests.template_helpers import seller_template

EBAY_ORDER = "12-34567-89012"
AMAZON_ORDER = "113-7654321-1234567"
NOW = datetime.fromisoformat("2026-12-04T12:00:00-05:00")
QUIET = "leave feedback on this order"


def parts(raw: bytes) -> tuple[str, str]:
    parsed = email.message_from_bytes(raw, policy=default)
    assert isinstance(parsed, EmailMessage)
    html, text = parsed.get_body(("html",)), parsed.get_body(("plain",))
    assert html is not None and text is not None
    return str(html.get_content()), str(text.get_content())


def mail_for(renderer: Renderer, message: str, order: Order, **options: Any) -> Any:
    data = sample_data(message, order, channel=options.get("channel"))
    return renderer.email(message, order, data=data, **options)


# --- the quiet line -----------------------------------------------------------------------


@pytest.mark.parametrize("message", ["delivery_checkin", "return_instructions"])
@pytest.mark.parametrize(("order_id", "channel"), [("ACME-1003", "own"), (EBAY_ORDER, "ebay")])
def test_a_quiet_feedback_line_where_the_channel_allows(
    renderer: Renderer, orders_by_id: dict[str, Order], message: str, order_id: str, channel: str
) -> None:
    mail = mail_for(renderer, message, orders_by_id[order_id], channel=channel)
    html, text = parts(mail.to_bytes())
    feedback = mail.links.feedback
    assert feedback
    assert f'href="{escape(feedback)}"' in html and QUIET in html
    assert feedback in text and QUIET in text
    # One sentence and a link: no button, no second request.
    assert html.count(escape(feedback)) == 1 and 'class="btn' not in html.split(QUIET)[0][-400:]


@pytest.mark.parametrize("message", ["return_instructions", "resolution_refund"])
def test_no_feedback_link_on_amazon_outside_the_request(
    renderer: Renderer, orders_by_id: dict[str, Order], message: str
) -> None:
    mail = mail_for(renderer, message, orders_by_id[AMAZON_ORDER])
    html, text = parts(mail.to_bytes())
    assert mail.links.feedback is None
    assert QUIET not in html and "gp/feedback" not in html + text


@pytest.mark.parametrize(
    "message", ["resolution_refund", "resolution_replacement", "resolution_gift_certificate"]
)
def test_resolutions_carry_no_feedback_link(
    renderer: Renderer, orders_by_id: dict[str, Order], message: str
) -> None:
    mail = mail_for(renderer, message, orders_by_id["ACME-1003"])
    assert mail.links.feedback is None and "feedback" not in mail.text.lower()


def test_a_resolution_that_links_amazon_feedback_is_refused(
    tmp_path: Path, seller: Seller, orders_by_id: dict[str, Order]
) -> None:
    folder = seller_template(
        tmp_path,
        "resolution_refund",
        '<p>Order {{ order.order_id }}: refunded. <a href="https://www.amazon.com/gp/feedback/'
        'leave-customer-feedback.html/?order={{ order.order_id }}">Your feedback</a></p>',
    )
    order = orders_by_id[AMAZON_ORDER]
    with pytest.raises(PolicyError) as caught:
        Renderer(seller, folder).email(
            "resolution_refund", order, data=sample_data("resolution_refund", order)
        )
    assert caught.value.rule == "amazon.feedback-link-in-the-request-only"


def test_an_ebay_resolution_that_links_feedback_is_refused(
    tmp_path: Path, seller: Seller, orders_by_id: dict[str, Order]
) -> None:
    folder = seller_template(
        tmp_path,
        "resolution_refund",
        '<p>Refunded. <a href="https://www.ebay.com/fdbk/leave_feedback?item_id=1">feedback</a></p>',
    )
    order = orders_by_id[EBAY_ORDER]
    with pytest.raises(PolicyError) as caught:
        Renderer(seller, folder).email(
            "resolution_refund", order, data=sample_data("resolution_refund", order)
        )
    assert caught.value.rule == "ebay.no-feedback-link-with-a-resolution"


def test_check_requires_the_quiet_line_of_an_overridden_check_in(
    tmp_path: Path, orders_by_id: dict[str, Order]
) -> None:
    folder = seller_template(tmp_path, "delivery_checkin", "<p>Did it arrive well?</p>")
    report = check_templates(
        folder,
        orders=[orders_by_id["ACME-1003"]],
        locales=["en_US"],
        channels=["own"],
        messages=["delivery_checkin"],
    )
    assert "content.feedback-link" in {finding.rule for finding in report.findings}


# --- eBay's feedback revision request -----------------------------------------------------


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_the_revision_request_renders_in_every_shipped_locale(
    renderer: Renderer, orders_by_id: dict[str, Order], locale: str
) -> None:
    mail = renderer.email("feedback_revision", orders_by_id[EBAY_ORDER], locale=locale)
    html, text = parts(mail.to_bytes())
    assert mail.links.feedback and mail.links.feedback in text
    assert f'href="{escape(mail.links.feedback)}"' in html
    assert EBAY_ORDER in mail.subject
    assert "%(" not in html + text and "{{" not in html + text
    if locale.startswith("en"):
        assert "revise the feedback" in text
    else:
        assert "revise the feedback" not in text


@pytest.mark.parametrize(
    ("order_id", "channel", "rule"),
    [
        (AMAZON_ORDER, "amazon", "amazon.no-feedback-change-request"),
        ("ACME-1003", "own", "own.no-feedback-revision"),
        ("ACME-1003", "etsy", "etsy.no-review-pressure"),
        ("ACME-1003", "walmart", "walmart.no-review-influence"),
        ("ACME-1003", "tiktok", "tiktok.no-review-change-request"),
    ],
)
def test_the_revision_request_is_ebays_alone(
    renderer: Renderer, orders_by_id: dict[str, Order], order_id: str, channel: str, rule: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        renderer.email("feedback_revision", orders_by_id[order_id], channel=channel)
    assert caught.value.rule == rule


def test_check_passes_the_revision_request_on_ebay() -> None:
    report = check_templates(channels=["ebay"], messages=["feedback_revision"])
    assert [f for f in report.findings if f.severity in ("error", "warning")] == []


@pytest.fixture
def ebay_complaint(order_dicts: list[dict[str, Any]]) -> dict[str, Any]:
    data = next(o for o in order_dicts if o["order_id"] == EBAY_ORDER)
    for shipment in data["shipments"]:
        shipment["delivered_at"] = "2026-11-24T15:00:00-05:00"
    data["timezone"] = "America/New_York"
    data["events"] = {"feedback": {"rating": 1, "left_at": "2026-11-26T09:00:00-05:00"}}
    return data


def plan(data: dict[str, Any], now: datetime = NOW) -> Any:
    return due_messages(parse_order(data), now)


def test_the_revision_waits_for_a_resolution(ebay_complaint: dict[str, Any]) -> None:
    entry = plan(ebay_complaint).entry("feedback_revision")
    assert (entry.status, entry.reason, entry.due_at) == ("scheduled", "awaiting_resolution", None)
    assert plan(ebay_complaint).entry("resolution").status == "due"


def test_the_revision_is_due_the_day_after_the_resolution(ebay_complaint: dict[str, Any]) -> None:
    ebay_complaint["events"]["resolved_at"] = "2026-11-30T16:00:00-05:00"
    ebay_complaint["events"]["refunded_at"] = "2026-11-30T16:00:00-05:00"
    current = plan(ebay_complaint)
    entry = current.entry("feedback_revision")
    assert entry.status == "due"
    assert entry.due_at == datetime.fromisoformat("2026-12-01T10:00:00-05:00")
    assert current.entry("resolution").status == "suppressed"


def test_one_revision_request_only(ebay_complaint: dict[str, Any]) -> None:
    ebay_complaint["events"]["resolved_at"] = "2026-11-30T16:00:00-05:00"
    ebay_complaint["events"]["revision_requested_at"] = "2026-12-01T10:00:00-05:00"
    entry = plan(ebay_complaint).entry("feedback_revision")
    assert (entry.status, entry.reason, entry.rule) == (
        "suppressed",
        "already_requested",
        "ebay.one-revision-request",
    )


def test_the_revision_window_closes_30_days_after_the_feedback(
    ebay_complaint: dict[str, Any],
) -> None:
    ebay_complaint["events"]["resolved_at"] = "2026-12-20T16:00:00-05:00"
    entry = plan(ebay_complaint, datetime.fromisoformat("2026-12-28T12:00:00-05:00")).entry(
        "feedback_revision"
    )
    assert (entry.status, entry.rule) == ("suppressed", "ebay.feedback-revision-window")


def test_no_revision_for_positive_feedback_or_off_ebay(ebay_complaint: dict[str, Any]) -> None:
    ebay_complaint["events"]["resolved_at"] = "2026-11-30T16:00:00-05:00"
    ebay_complaint["events"]["feedback"]["rating"] = 5
    assert "feedback_revision" not in [e.message for e in plan(ebay_complaint).entries]
    ebay_complaint["events"]["feedback"]["rating"] = 1
    own = due_messages(parse_order(ebay_complaint), NOW, channel="own")
    assert "feedback_revision" not in [e.message for e in own.entries]
