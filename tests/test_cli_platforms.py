"""``--from``: every command that reads orders reads the platforms' own payloads."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path
from typing import Any

import pytest
from platform_helpers import PLATFORMS_DIR
from pypdf import PdfReader

from sellercomms import load_orders
from sellercomms.cli import main
from sellercomms.samples import sample_seller_path

SELLER = ["--seller", str(sample_seller_path())]
# One example per platform whose totals add up (Shopify's published one does not).
EXAMPLES = {
    "shopify": "taxes_included_two_parcels.json",
    "woocommerce": "order.json",
    "amazon": "order.json",
    "ebay": "order.json",
}


def _example(platform: str) -> tuple[Path, str]:
    """The example file and the id of the order its adapter reads from it."""
    path = PLATFORMS_DIR / platform / EXAMPLES[platform]
    (order,) = load_orders(path, platform=platform)
    return path, order.order_id


@pytest.mark.parametrize("platform", sorted(EXAMPLES))
def test_render_email_and_slips_read_the_platforms_payloads(
    tmp_path: Path, platform: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path, order_id = _example(platform)
    out = tmp_path / "out"
    # A review request is allowed on every channel, Amazon's and eBay's included.
    argv = ["render", "email", "review_request", "--from", platform, "--orders", str(path)]
    assert main([*argv, *SELLER, "--out", str(out)]) == 0, capsys.readouterr().err
    (eml,) = out.glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert (
        order_id in str(message["Subject"])
        or order_id in message.get_body(("plain",)).get_content()
    )

    pdf = tmp_path / "slips.pdf"
    argv = ["render", "slips", "--from", platform, "--orders", str(path), *SELLER]
    assert main([*argv, "--out", str(pdf)]) == 0, capsys.readouterr().err
    assert PdfReader(pdf).pages


@pytest.mark.parametrize("platform", sorted(EXAMPLES))
def test_plan_and_check_read_the_platforms_payloads(
    platform: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path, order_id = _example(platform)
    argv = ["plan", "--from", platform, "--orders", str(path), "--format", "json"]
    argv += ["--now", "2026-12-01T12:00:00+00:00"]
    assert main(argv) == 0
    planned = json.loads(capsys.readouterr().out)
    assert [order["order_id"] for order in planned["orders"]] == [order_id]

    argv = ["check", "--from", platform, "--orders", str(path), "--message", "review_request"]
    assert main([*argv, "--locale", "en_US", "--format", "json"]) in (0, 1)
    report = json.loads(capsys.readouterr().out)
    assert order_id in json.dumps(report)


def test_without_from_a_platform_payload_is_refused_by_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = PLATFORMS_DIR / "shopify" / EXAMPLES["shopify"]
    argv = ["render", "email", "review_request", "--orders", str(path), *SELLER]
    assert main([*argv, "--out", str(tmp_path / "out")]) == 1
    assert "order_id" in capsys.readouterr().err


def test_an_unknown_platform_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    path = PLATFORMS_DIR / "shopify" / EXAMPLES["shopify"]
    assert main(["plan", "--from", "etsy", "--orders", str(path)]) == 2
    assert "'etsy' is not one of" in capsys.readouterr().err


def test_order_ids_with_separators_stay_inside_the_output_folder(
    tmp_path: Path, order_dict: dict[str, Any]
) -> None:
    ids = ["../../escaped", "/tmp/absolute", "a/b", "CON", "#1001 / Ada"]
    orders = [dict(order_dict, order_id=order_id) for order_id in ids]
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(orders), encoding="utf-8")
    out = tmp_path / "deep" / "out"
    argv = ["render", "email", "review_request", "--orders", str(path), *SELLER]
    assert main([*argv, "--out", str(out)]) == 0
    written = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*.eml"))
    assert len(written) == len(ids)
    assert all(path.parent == Path("deep/out") for path in written)
    subjects = {
        email.message_from_bytes(path.read_bytes(), policy=policy.default)["Message-ID"]
        for path in out.glob("*.eml")
    }
    assert len(subjects) == len(ids)
