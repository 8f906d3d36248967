"""The follow-up planner: due times in the order's time zone, windows, every suppression."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from sellercomms import Order, Plan, due_messages, parse_order
from sellercomms.cli import main

ENTRY_KEYS = {
    "message",
    "status",
    "due_at",
    "closes_at",
    "reason",
    "rule",
    "detail",
    "shipment_index",
    "options",
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def base(order_dict: dict[str, Any]) -> dict[str, Any]:
    """ACME-1003 in New York, both parcels delivered; the last at 23:30 local time."""
    order_dict["timezone"] = "America/New_York"
    order_dict["shipments"][0]["delivered_at"] = "2026-11-23T15:00:00-05:00"
    order_dict["shipments"][1]["delivered_at"] = "2026-11-25T23:30:00-05:00"
    return order_dict


def plan_for(data: dict[str, Any], now: str, **options: Any) -> Plan:
    return due_messages(parse_order(data), at(now), **options)


def amazon(data: dict[str, Any]) -> dict[str, Any]:
    data["marketplace"] = "amazon.com"
    data["items"] = [
        {**item, "product_id": f"B0TEST{n:04d}"} for n, item in enumerate(data["items"])
    ]
    return data


# --- due times ---------------------------------------------------------------------------


def test_delivery_at_2330_local_counts_days_in_the_orders_zone(base: dict[str, Any]) -> None:
    # 23:30 in New York is already the next day in UTC; days count in New York.
    plan = plan_for(base, "2026-11-26T09:59:00-05:00")
    checkin = plan.entry("delivery_checkin")
    assert checkin.due_at == at("2026-11-26T10:00:00-05:00")
    assert (checkin.status, checkin.reason) == ("scheduled", "delivered")
    assert plan_for(base, "2026-11-26T10:00:00-05:00").entry("delivery_checkin").status == "due"
    review = plan.entry("review_request")
    assert review.due_at == at("2026-12-02T10:00:00-05:00")
    assert review.detail == "7 days after delivery on 2026-11-25"


def test_the_same_instant_in_tokyo_is_a_day_later(base: dict[str, Any]) -> None:
    base["timezone"] = "Asia/Tokyo"  # 2026-11-25T23:30-05:00 is 13:30 on the 26th in Tokyo
    plan = plan_for(base, "2026-11-27T00:00:00+09:00")
    assert plan.entry("delivery_checkin").due_at == at("2026-11-27T10:00:00+09:00")
    assert plan.timezone == "Asia/Tokyo"


def test_marketplace_time_zone_when_the_order_names_none(base: dict[str, Any]) -> None:
    del base["timezone"]
    amazon(base)  # amazon.com: America/New_York
    plan = plan_for(base, "2026-11-28T00:00:00Z")
    assert plan.timezone == "America/New_York"
    assert plan.entry("review_request").due_at == at("2026-12-02T10:00:00-05:00")


def test_shipping_confirmation_per_parcel_at_shipping(base: dict[str, Any]) -> None:
    for shipment in base["shipments"]:
        shipment["delivered_at"] = None
    plan = plan_for(base, "2026-11-22T15:00:00-05:00")
    first = plan.entry("shipping_confirmation", 0)
    second = plan.entry("shipping_confirmation", 1)
    assert (first.status, first.due_at) == ("due", at("2026-11-20T11:00:00-05:00"))
    assert (second.status, second.due_at) == ("scheduled", at("2026-11-22T15:30:00-05:00"))
    # The first parcel's estimated day (24th) has not passed: still worth telling.
    assert first.closes_at == at("2026-11-25T00:00:00-05:00")


def test_review_waits_for_the_last_parcel(base: dict[str, Any]) -> None:
    base["shipments"][1]["delivered_at"] = None  # estimated 2026-11-27
    plan = plan_for(base, "2026-11-26T12:00:00-05:00")
    review = plan.entry("review_request")
    assert (review.reason, review.due_at) == ("estimated_delivery", at("2026-12-04T10:00:00-05:00"))
    assert "estimated delivery on 2026-11-27" in review.detail


def test_delivery_after_now_has_not_happened_yet(base: dict[str, Any]) -> None:
    plan = plan_for(base, "2026-11-25T12:00:00-05:00")  # the 23:30 delivery is still to come
    assert plan.entry("review_request").reason == "estimated_delivery"


def test_review_delay_is_an_option(base: dict[str, Any]) -> None:
    plan = plan_for(base, "2026-11-26T12:00:00-05:00", review_delay_days=10)
    assert plan.entry("review_request").due_at == at("2026-12-05T10:00:00-05:00")


# --- the channel's review window ---------------------------------------------------------


def test_amazon_window_opens_on_day_five(base: dict[str, Any]) -> None:
    plan = plan_for(amazon(base), "2026-11-26T12:00:00-05:00", review_delay_days=2)
    review = plan.entry("review_request")
    assert review.due_at == at("2026-11-30T10:00:00-05:00")
    assert "moved into the 5–30 day window" in review.detail


def test_amazon_window_closes_after_day_thirty(base: dict[str, Any]) -> None:
    amazon(base)
    last = plan_for(base, "2026-12-25T23:59:59-05:00").entry("review_request")
    assert last.status == "due"
    assert last.closes_at == at("2026-12-26T00:00:00-05:00")
    closed = plan_for(base, "2026-12-26T00:00:00-05:00").entry("review_request")
    assert (closed.status, closed.reason) == ("suppressed", "window_closed")
    assert closed.rule == "amazon.review-request-window"


def test_a_late_delay_is_kept_inside_the_window(base: dict[str, Any]) -> None:
    plan = plan_for(amazon(base), "2026-11-26T12:00:00-05:00", review_delay_days=45)
    assert plan.entry("review_request").due_at == at("2026-12-25T10:00:00-05:00")


def test_own_channel_window_closes_after_thirty_days_too(base: dict[str, Any]) -> None:
    closed = plan_for(base, "2026-12-26T00:00:00-05:00").entry("review_request")
    assert (closed.reason, closed.rule) == ("window_closed", "own.review-request-window")


def test_checkin_goes_stale(base: dict[str, Any]) -> None:
    assert plan_for(base, "2026-11-28T23:59:00-05:00").entry("delivery_checkin").status == "due"
    stale = plan_for(base, "2026-11-29T00:00:00-05:00").entry("delivery_checkin")
    assert (stale.status, stale.reason) == ("suppressed", "window_closed")


def test_shipping_confirmation_is_stale_once_delivered(base: dict[str, Any]) -> None:
    entry = plan_for(base, "2026-11-24T09:00:00-05:00").entry("shipping_confirmation", 0)
    assert (entry.status, entry.reason) == ("suppressed", "window_closed")
    assert entry.closes_at == at("2026-11-23T15:00:00-05:00")


# --- waiting -----------------------------------------------------------------------------


def test_nothing_shipped_yet(base: dict[str, Any]) -> None:
    base["shipments"] = []
    plan = plan_for(base, "2026-11-20T12:00:00-05:00")
    for name in ("delivery_checkin", "review_request"):
        entry = plan.entry(name)
        assert (entry.status, entry.reason, entry.due_at) == (
            "scheduled",
            "awaiting_shipment",
            None,
        )


def test_part_of_the_order_not_shipped(base: dict[str, Any]) -> None:
    base["shipments"].pop()
    assert plan_for(base, "2026-12-01T12:00:00Z").entry("review_request").reason == (
        "awaiting_shipment"
    )


def test_parcel_without_a_label_yet(base: dict[str, Any]) -> None:
    base["shipments"][1] = {"items": base["shipments"][1]["items"]}
    plan = plan_for(base, "2026-11-21T12:00:00Z")
    entry = plan.entry("shipping_confirmation", 1)
    assert (entry.status, entry.reason, entry.due_at) == ("scheduled", "awaiting_shipment", None)


def test_no_delivery_date_or_estimate(base: dict[str, Any]) -> None:
    for shipment in base["shipments"]:
        shipment["delivered_at"] = shipment["estimated_delivery"] = None
    entry = plan_for(base, "2026-11-30T12:00:00Z").entry("review_request")
    assert (entry.status, entry.reason, entry.due_at) == ("scheduled", "awaiting_delivery", None)


# --- suppressions ------------------------------------------------------------------------


def test_opted_out_buyers_get_nothing(base: dict[str, Any]) -> None:
    base["events"] = {"opted_out": True, "feedback": {"rating": 1}}
    plan = plan_for(base, "2026-11-27T12:00:00-05:00")
    assert {(e.status, e.reason) for e in plan.entries} == {("suppressed", "opted_out")}
    assert len(plan.entries) == 5  # two confirmations, check-in, review, resolution


@pytest.mark.parametrize("event", ["cancelled", "refunded", "returned"])
def test_nothing_after_cancellation_refund_or_return(base: dict[str, Any], event: str) -> None:
    base["events"] = {f"{event}_at": "2026-11-26T08:00:00-05:00"}
    plan = plan_for(base, "2026-11-27T12:00:00-05:00")
    assert {(e.status, e.reason) for e in plan.entries} == {("suppressed", event)}
    # Before the event, the plan is as usual.
    before = plan_for(base, "2026-11-26T07:00:00-05:00")
    assert before.entry("review_request").status == "scheduled"


@pytest.mark.parametrize("rating", [1, 2])
def test_negative_feedback_calls_for_a_resolution(base: dict[str, Any], rating: int) -> None:
    base["events"] = {"feedback": {"rating": rating, "left_at": "2026-11-26T18:00:00-05:00"}}
    plan = plan_for(base, "2026-11-27T12:00:00-05:00")
    review = plan.entry("review_request")
    assert (review.status, review.reason) == ("suppressed", "negative_feedback")
    assert plan.entry("delivery_checkin").reason == "negative_feedback"
    resolution = plan.entry("resolution")
    assert (resolution.status, resolution.reason) == ("due", "negative_feedback")
    assert resolution.due_at == at("2026-11-26T18:00:00-05:00")
    assert resolution.options == (
        "resolution_refund",
        "resolution_replacement",
        "resolution_gift_certificate",
    )


def test_amazon_resolution_options_leave_out_gift_certificates(base: dict[str, Any]) -> None:
    base["events"] = {"feedback": {"rating": 1}}
    resolution = plan_for(amazon(base), "2026-11-27T12:00:00-05:00").entry("resolution")
    assert resolution.options == ("resolution_refund", "resolution_replacement")


def test_amazon_resolution_inside_the_contact_window(base: dict[str, Any]) -> None:
    base["events"] = {"feedback": {"rating": 2, "left_at": "2026-12-27T09:00:00-05:00"}}
    resolution = plan_for(amazon(base), "2026-12-27T10:00:00-05:00").entry("resolution")
    assert (resolution.status, resolution.reason) == ("suppressed", "window_closed")
    assert resolution.rule == "amazon.contact-window"


@pytest.mark.parametrize("rating", [3, 4, 5])
def test_any_other_feedback_ends_the_asking(base: dict[str, Any], rating: int) -> None:
    # Not asking whoever already rated us, whatever the rating: never only the happy ones.
    base["events"] = {"feedback": {"rating": rating}}
    plan = plan_for(base, "2026-11-27T12:00:00-05:00")
    assert plan.entry("review_request").reason == "feedback_left"
    with pytest.raises(KeyError):
        plan.entry("resolution")


def test_never_a_second_solicitation(base: dict[str, Any]) -> None:
    base["events"] = {"solicited_at": "2026-11-30T10:00:00-05:00"}
    review = plan_for(base, "2026-12-02T12:00:00-05:00").entry("review_request")
    assert (review.status, review.reason) == ("suppressed", "already_solicited")
    assert review.rule == "own.one-request-per-order"
    amazon_review = plan_for(amazon(base), "2026-12-02T12:00:00-05:00").entry("review_request")
    assert amazon_review.rule == "amazon.one-request-per-order"


def test_amazon_forbids_confirmations_and_checkins(base: dict[str, Any]) -> None:
    plan = plan_for(amazon(base), "2026-11-26T12:00:00-05:00")
    for name, index, rule in [
        ("shipping_confirmation", 0, "amazon.no-order-or-shipping-confirmation"),
        ("delivery_checkin", None, "amazon.no-check-in-or-thank-you"),
    ]:
        entry = plan.entry(name, index)
        assert (entry.status, entry.reason, entry.rule) == ("suppressed", "channel_forbids", rule)


def test_ebay_sends_its_own_shipping_notice(base: dict[str, Any]) -> None:
    base["marketplace"] = "ebay.com"
    entry = plan_for(base, "2026-11-20T12:00:00-05:00").entry("shipping_confirmation", 0)
    assert (entry.reason, entry.rule) == (
        "marketplace_notifies",
        "ebay.marketplace-sends-shipping-notice",
    )


def test_own_channel_needs_an_email_address(base: dict[str, Any]) -> None:
    del base["customer"]["email"]
    plan = plan_for(base, "2026-11-27T12:00:00-05:00")
    assert {e.reason for e in plan.entries} == {"no_email_address"}


def test_channel_can_be_overridden(base: dict[str, Any]) -> None:
    plan = due_messages(parse_order(amazon(base)), at("2026-11-27T12:00:00Z"), channel="own")
    assert plan.channel == "own"
    assert plan.entry("delivery_checkin").reason == "delivered"


def test_now_must_be_aware(base: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="aware"):
        due_messages(parse_order(base), datetime(2026, 11, 27, 12))


# --- output ------------------------------------------------------------------------------


def test_plan_to_dict_shape(base: dict[str, Any]) -> None:
    base["events"] = {"feedback": {"rating": 1}}
    data = plan_for(base, "2026-11-27T12:00:00-05:00").to_dict()
    assert set(data) == {"order_id", "channel", "timezone", "messages"}
    assert all(set(entry) == ENTRY_KEYS for entry in data["messages"])
    resolution = data["messages"][-1]
    assert resolution["message"] == "resolution"
    assert resolution["options"][0] == "resolution_refund"
    assert data["messages"][0]["due_at"] == "2026-11-20T11:00:00-05:00"
    assert data["messages"][0]["shipment_index"] == 0
    json.dumps(data)


def write_orders(path: Path, orders: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(orders), encoding="utf-8")
    return path


def test_cli_plan_json(
    tmp_path: Path, order_dicts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    orders = write_orders(tmp_path / "orders.json", order_dicts)
    code = main(
        ["plan", "--orders", str(orders), "--now", "2026-11-28T12:00:00Z", "--format", "json"]
    )
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"format", "now", "orders"}
    assert document["format"] == "sellercomms.plan/1"
    assert document["now"] == "2026-11-28T12:00:00+00:00"
    assert [o["index"] for o in document["orders"]] == list(range(1, len(order_dicts) + 1))
    for order in document["orders"]:
        assert set(order) == {"index", "order_id", "channel", "timezone", "messages"}
        for entry in order["messages"]:
            assert set(entry) == ENTRY_KEYS
            assert entry["status"] in {"due", "scheduled", "suppressed"}
    amazon_order = document["orders"][0]
    assert amazon_order["channel"] == "amazon"
    assert amazon_order["messages"][0]["rule"] == "amazon.no-order-or-shipping-confirmation"


def test_cli_plan_table(
    tmp_path: Path, order_dicts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    orders = write_orders(tmp_path / "orders.json", order_dicts[:3])
    assert main(["plan", "--orders", str(orders), "--now", "2026-11-28T12:00:00Z"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "ORDER",
        "MESSAGE",
        "PARCEL",
        "STATUS",
        "DUE",
        "(LOCAL)",
        "REASON",
        "DETAIL",
    ]
    assert any(
        "ACME-1003" in line and "delivery_checkin" in line and " due " in line for line in lines
    )
    assert any("amazon.no-check-in-or-thank-you" in line for line in lines)


def test_cli_plan_reports_bad_orders_and_plans_the_rest(
    tmp_path: Path, order_dicts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    order_dicts[1]["events"] = {"feedback": {"rating": 9}}
    orders = write_orders(tmp_path / "orders.json", order_dicts)
    code = main(
        ["plan", "--orders", str(orders), "--now", "2026-11-28T12:00:00Z", "--format", "json"]
    )
    assert code == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == ["order ACME-1002 (#2): events.feedback.rating: must be at most 5"]
    assert len(json.loads(out)["orders"]) == len(order_dicts) - 1


@pytest.mark.parametrize("now", ["2026-11-28T12:00:00", "yesterday"])
def test_cli_plan_needs_an_aware_now(
    tmp_path: Path, order_dicts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str], now: str
) -> None:
    orders = write_orders(tmp_path / "orders.json", order_dicts)
    assert main(["plan", "--orders", str(orders), "--now", now]) == 2
    assert "--now" in capsys.readouterr().err


def test_sample_orders_plan_consistently(orders: list[Order]) -> None:
    now = at("2026-11-28T12:00:00Z")
    for order in orders:
        plan = due_messages(order, now)
        confirmations = [e for e in plan.entries if e.message == "shipping_confirmation"]
        # One confirmation per parcel, one review request per order.
        assert [e.shipment_index for e in confirmations] == list(range(len(order.shipments)))
        assert [e.message for e in plan.entries].count("review_request") == 1
        if plan.channel == "amazon":
            assert {(e.status, e.reason) for e in confirmations} == {
                ("suppressed", "channel_forbids")
            }
            assert all(e.rule and e.rule.startswith("amazon.") for e in confirmations)
        for entry in plan.entries:
            assert entry.detail, entry
            if entry.status == "due":
                assert entry.due_at is not None and entry.due_at <= now, entry
            if entry.status == "scheduled" and entry.due_at is not None:
                assert entry.due_at > now, entry


def test_a_parcel_shipping_after_now_has_not_shipped(base: dict[str, Any]) -> None:
    plan = plan_for(base, "2026-11-21T12:00:00-05:00")  # the second parcel ships on the 22nd
    assert plan.entry("shipping_confirmation", 1).status == "scheduled"
    assert plan.entry("review_request").reason == "awaiting_shipment"
