"""Marketplace relay addresses decide the channel, in the renderer, the planner and the check."""

from __future__ import annotations

import email
import json
from datetime import datetime
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from sellercomms import PolicyError, Renderer, due_messages, parse_order
from sellercomms.checks import check_templates
from sellercomms.cli import main
from sellercomms.relays import relay_channel

NOW = datetime.fromisoformat("2026-12-04T12:00:00-05:00")


@pytest.mark.parametrize(
    ("address", "channel"),
    [
        ("2x7kq9s0v1m3@marketplace.amazon.com", "amazon"),
        ("2x7kq9s0v1m3@marketplace.amazon.co.uk", "amazon"),
        ("2x7kq9s0v1m3@Marketplace.Amazon.DE", "amazon"),
        ("2x7kq9s0v1m3@marketplace.amazon.co.jp", "amazon"),
        ("2x7kq9s0v1m3@marketplace.amazon.com.au", "amazon"),
        ("63ae59ac280fe0fa69@members.ebay.com", "ebay"),
        ("63ae59ac280fe0fa69@members.ebay.de", "ebay"),
        ("63ae59ac280fe0fa69@members.ebay.co.uk", "ebay"),
        ("63ae59ac280fe0fa69@members.ebay.com.au", "ebay"),
    ],
)
def test_relay_addresses_name_their_marketplace(address: str, channel: str) -> None:
    found = relay_channel(address)
    assert found is not None and found.name == channel


@pytest.mark.parametrize(
    "address",
    [
        "ada@example.com",
        "orders@amazon.com",
        "someone@ebay.com",
        "x@marketplace.amazon.com.evil.example",
        "x@members.ebay.com.example",
        "x@notmarketplace.amazon.com",
        None,
    ],
)
def test_other_addresses_are_no_relay(address: str | None) -> None:
    assert relay_channel(address) is None


@pytest.fixture
def relayed(order_dict: dict[str, Any]) -> dict[str, Any]:
    """ACME-1003, an own-store order, with an Amazon relay address and no channel named."""
    order_dict["customer"]["email"] = "2x7kq9s0v1m3@marketplace.amazon.com"
    order_dict.pop("channel", None)
    order_dict["shipments"][0]["delivered_at"] = "2026-11-23T15:00:00-05:00"
    order_dict["shipments"][1]["delivered_at"] = "2026-11-25T15:00:00-05:00"
    return order_dict


def test_a_relay_address_puts_the_order_on_amazon(
    renderer: Renderer, relayed: dict[str, Any]
) -> None:
    order = parse_order(relayed)
    assert renderer.channel_for(order).name == "amazon"
    mail = renderer.email("review_request", order)
    assert mail.channel == "amazon"
    parsed = email.message_from_bytes(mail.to_bytes(), policy=default)
    assert isinstance(parsed, EmailMessage)
    html = parsed.get_body(("html",))
    assert html is not None
    body = html.get_content()
    assert renderer.seller.phone not in body
    assert renderer.seller.email not in body
    assert "List-Unsubscribe" not in parsed


def test_amazon_rules_apply_to_a_relay_address(renderer: Renderer, relayed: dict[str, Any]) -> None:
    with pytest.raises(PolicyError) as caught:
        renderer.email("shipping_confirmation", parse_order(relayed))
    assert caught.value.rule == "amazon.no-order-or-shipping-confirmation"


@pytest.mark.parametrize("where", ["order", "argument"])
def test_own_for_a_relay_address_is_refused(
    renderer: Renderer, relayed: dict[str, Any], where: str
) -> None:
    options: dict[str, Any] = {}
    if where == "order":
        relayed["channel"] = "own"
    else:
        options["channel"] = "own"
    with pytest.raises(PolicyError) as caught:
        renderer.email("review_request", parse_order(relayed), **options)
    assert caught.value.rule == "amazon.relay-address"
    assert caught.value.channel == "amazon"
    assert "marketplace.amazon.com" in str(caught.value)


def test_the_marketplace_named_for_its_own_relay_is_fine(
    renderer: Renderer, relayed: dict[str, Any]
) -> None:
    relayed["channel"] = "amazon"
    assert renderer.email("review_request", parse_order(relayed)).channel == "amazon"


def test_an_ebay_alias_on_another_marketplace_channel_is_refused(
    renderer: Renderer, relayed: dict[str, Any]
) -> None:
    relayed["customer"]["email"] = "63ae59ac280fe0fa69@members.ebay.com"
    with pytest.raises(PolicyError) as caught:
        renderer.email("review_request", parse_order(relayed), channel="amazon")
    assert caught.value.rule == "ebay.relay-address"


def test_relay_packing_slips_follow_the_marketplace(
    renderer: Renderer, relayed: dict[str, Any]
) -> None:
    slips = renderer.packing_slip_html(parse_order(relayed))
    assert slips and all(renderer.seller.phone not in slip.html for slip in slips)
    relayed["channel"] = "own"
    with pytest.raises(PolicyError, match=r"amazon\.relay-address"):
        renderer.packing_slip_html(parse_order(relayed))


def test_the_planner_plans_on_the_relays_channel(relayed: dict[str, Any]) -> None:
    plan = due_messages(parse_order(relayed), NOW)
    assert plan.channel == "amazon"
    checkin = plan.entry("delivery_checkin")
    assert (checkin.status, checkin.rule) == ("suppressed", "amazon.no-check-in-or-thank-you")


def test_the_planner_refuses_own_for_a_relay_address(relayed: dict[str, Any]) -> None:
    relayed["channel"] = "own"
    with pytest.raises(PolicyError) as caught:
        due_messages(parse_order(relayed), NOW)
    assert caught.value.rule == "amazon.relay-address"


def test_plan_on_the_command_line_reports_the_order_and_goes_on(
    tmp_path: Path,
    relayed: dict[str, Any],
    order_dicts: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    relayed["channel"] = "own"
    other = next(o for o in order_dicts if o["order_id"] == "ACME-1005")
    path = tmp_path / "orders.json"
    path.write_text(json.dumps([relayed, other]), encoding="utf-8")
    status = main(["plan", "--orders", str(path), "--now", NOW.isoformat(), "--format", "json"])
    captured = capsys.readouterr()
    assert status == 1
    assert "order ACME-1003 (#1): channel:" in captured.err
    assert "amazon.relay-address" in captured.err
    document = json.loads(captured.out)
    assert [entry["order_id"] for entry in document["orders"]] == ["ACME-1005"]


def test_check_reports_own_for_a_relay_address(relayed: dict[str, Any]) -> None:
    relayed["channel"] = "own"
    report = check_templates(
        orders=[parse_order(relayed)], locales=["en_US"], messages=["review_request"]
    )
    rules = {finding.rule for finding in report.findings}
    assert "amazon.relay-address" in rules


def test_check_renders_a_relay_order_on_its_marketplace_only(relayed: dict[str, Any]) -> None:
    report = check_templates(
        orders=[parse_order(relayed)], locales=["en_US"], messages=["review_request"]
    )
    assert {finding.rule for finding in report.findings} <= {"client.support"}
    assert report.summary.renders == 1
