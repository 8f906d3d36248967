"""``sellercomms check``: each rule against a small template that breaks it and one that does not.

The templates are in tests/resources/check: ``cases`` holds a seller's own e-mails (one per
rule, each file named after what it does), ``content_bad`` and ``content_good`` override
built-in messages, ``slip_bad`` the packing slip.  Checks run on one order, locale and
channel at a time to stay fast; test_check_cli.py runs the built-ins in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from sellercomms import CheckFinding, CheckReport, Order, Seller, check_templates, parse_order
from sellercomms.checks import CHECK_FORMAT, RULES

CHECK = Path(__file__).parent / "resources" / "check"


@pytest.fixture
def order(orders_by_id: dict[str, Order]) -> Order:
    """An own-store order in two parcels, with a feedback page and three review pages."""
    return orders_by_id["ACME-1003"]


def run(
    folder: str,
    message: str,
    order: Order,
    *,
    channel: str = "own",
    locales: Sequence[str] = ("en_US",),
) -> CheckReport:
    return check_templates(
        CHECK / folder,
        orders=[order],
        messages=[message],
        channels=[channel],
        locales=list(locales),
    )


def found(report: CheckReport, rule: str) -> list[CheckFinding]:
    return [finding for finding in report.findings if finding.rule == rule]


def only(report: CheckReport, rule: str) -> CheckFinding:
    (finding,) = found(report, rule)
    return finding


# Rendering


def test_a_template_that_fails_is_a_finding_with_its_line(order: Order) -> None:
    finding = only(run("cases", "broken", order), "render.failed")
    assert finding.severity == "error"
    assert finding.file == "tests/resources/check/cases/emails/broken.html"
    assert finding.line == 5
    assert "nickname" in finding.message


def test_a_template_that_renders_is_no_finding(order: Order) -> None:
    assert not found(run("cases", "neutral", order), "render.failed")


# Required content


def test_review_request_without_feedback_link_or_review_links(order: Order) -> None:
    report = run("content_bad", "review_request", order)
    feedback = only(report, "content.feedback-link")
    assert (feedback.severity, feedback.message) == (
        "error",
        "the HTML part lacks the feedback link",
    )
    assert feedback.file == "tests/resources/check/content_bad/emails/review_request.html"
    reviews = only(report, "content.review-links")
    assert reviews.message == "the text part lacks the review links of 3 of 3 items"
    assert reviews.file == "tests/resources/check/content_bad/emails/review_request.txt"


def test_shipping_confirmation_without_tracking(order: Order) -> None:
    messages = {
        f.message
        for f in found(run("content_bad", "shipping_confirmation", order), "content.tracking")
    }
    assert messages == {
        "the HTML part lacks the tracking number of parcel 1",
        "the HTML part lacks the tracking number of parcel 2",
        "the text part lacks the carrier's tracking link for parcel 1 (UPS)",
        "the text part lacks the carrier's tracking link for parcel 2 (USPS)",
    }


@pytest.mark.parametrize("message", ["review_request", "shipping_confirmation"])
@pytest.mark.parametrize("channel", ["own", "ebay"])
def test_complete_messages_lack_nothing(order: Order, message: str, channel: str) -> None:
    report = run("content_good", message, order, channel=channel)
    assert not [f for f in report.findings if f.rule.startswith("content.")]


def test_packing_slip_without_its_codes(order: Order) -> None:
    report = run("slip_bad", "packing_slip", order)
    assert only(report, "content.feedback-link").count == 2  # one slip per parcel
    assert "2 of 2 items" in only(report, "content.review-links").message


def test_the_built_in_packing_slip_carries_its_codes(order: Order) -> None:
    assert not run("cases", "packing_slip", order).findings


# Channel policy


def test_channel_rules_become_findings_not_errors(order: Order) -> None:
    report = run("cases", "off_channel", order, channel="amazon")
    links = found(report, "amazon.only-needed-links")
    assert {f.line for f in links} == {5}
    assert any("https://acme.example/sale" in f.message for f in links)
    contact = only(report, "amazon.no-direct-contact")
    assert (contact.severity, contact.line) == ("error", 6)
    assert only(report, "amazon.no-linked-logo").line == 7


def test_channel_rules_hold_for_a_template_that_asks_the_channel(order: Order) -> None:
    report = run("cases", "neutral", order, channel="amazon")
    assert not [f for f in report.findings if f.rule.startswith("amazon.")]


def test_a_forbidden_built_in_message_is_skipped_and_listed(order: Order) -> None:
    report = run("cases", "shipping_confirmation", order, channel="amazon")
    assert report.summary.renders == 0
    (skipped,) = report.summary.skipped
    assert skipped.rule == "amazon.no-order-or-shipping-confirmation"


def test_a_seller_template_that_is_a_shipping_confirmation_on_amazon(order: Order) -> None:
    finding = only(
        run("cases", "shipped_notice", order, channel="amazon"),
        "amazon.no-order-or-shipping-confirmation",
    )
    assert (finding.severity, finding.line) == ("error", 2)
    assert not found(
        run("cases", "shipped_notice", order, channel="own"),
        "amazon.no-order-or-shipping-confirmation",
    )
    assert not found(
        run("cases", "neutral", order, channel="amazon"), "amazon.no-order-or-shipping-confirmation"
    )


@pytest.mark.parametrize(
    ("message", "rule", "line"),
    [
        ("incentive", "wording.incentive", 6),
        ("positive_ask", "wording.positive-review-ask", 5),
        ("feedback_change", "wording.feedback-change-ask", 5),
        ("important_tag", "wording.important-tag", 2),
    ],
)
def test_policy_wording(order: Order, message: str, rule: str, line: int) -> None:
    on_amazon = found(run("cases", message, order, channel="amazon"), rule)
    assert on_amazon
    assert all(f.severity == "error" and f.line == line for f in on_amazon)
    assert not found(run("cases", "neutral", order, channel="amazon"), rule)


def test_wording_is_a_warning_on_the_sellers_own_channel(order: Order) -> None:
    assert only(run("cases", "incentive", order), "wording.incentive").severity == "warning"
    # "[Important]" means something only in Amazon's messaging.
    assert not found(run("cases", "important_tag", order), "wording.important-tag")


# Size


def test_html_over_50_kb_is_a_warning_and_over_90_kb_an_error(order: Order) -> None:
    big = only(run("cases", "big", order), "size.html")
    assert big.severity == "warning"
    assert "over 50 KB" in big.message
    assert only(run("cases", "huge", order), "size.html").severity == "error"
    assert not found(run("cases", "clean", order), "size.html")


def test_a_style_block_over_16_kb(order: Order) -> None:
    finding = only(run("cases", "big_style", order), "size.style-block")
    assert (finding.severity, finding.line) == ("warning", 5)
    assert not found(run("cases", "clean", order), "size.style-block")


# E-mail client support


def test_unsupported_layout_is_an_error(order: Order) -> None:
    report = run("cases", "flex_layout", order)
    by_feature = {f.message.split(" is not")[0]: f for f in found(report, "client.support")}
    flex = by_feature["display:flex"]
    assert (flex.severity, flex.line) == ("error", 5)
    assert "Outlook (Windows)" in flex.message
    assert by_feature["space-separated rgb() in color"].severity == "error"
    assert by_feature["border-radius"].severity == "info"


def test_supported_layout_has_no_client_errors_or_warnings(order: Order) -> None:
    report = run("cases", "neutral", order)
    assert not [f for f in found(report, "client.support") if f.severity in {"error", "warning"}]


# Accessibility and hygiene


def test_html_without_lang_and_dir(order: Order) -> None:
    report = run("cases", "no_lang", order)
    assert only(report, "a11y.html-lang").message == "<html> has no lang attribute (expected en-US)"
    assert only(report, "a11y.html-dir").line == 2


def test_html_lang_and_dir_must_be_the_messages(order: Order) -> None:
    report = run("cases", "fixed_lang", order, locales=["ar_SA"])
    assert "does not match the message's language ar-SA" in only(report, "a11y.html-lang").message
    assert "does not match the message's direction rtl" in only(report, "a11y.html-dir").message


def test_images_need_alt_and_width(order: Order) -> None:
    report = run("cases", "bare_image", order)
    assert only(report, "a11y.img-alt").line == 5
    assert only(report, "hygiene.img-width").severity == "warning"


@pytest.mark.parametrize(
    ("message", "rule", "severity"),
    [
        ("empty_link", "hygiene.empty-link", "error"),
        ("http_link", "hygiene.https-links", "warning"),
        ("vague_link", "a11y.link-text", "warning"),
        ("leftover_code", "hygiene.template-syntax", "error"),
        ("escaped_markup", "hygiene.escaped-markup", "error"),
    ],
)
def test_hygiene(order: Order, message: str, rule: str, severity: str) -> None:
    assert only(run("cases", message, order), rule).severity == severity


def test_a_clean_page_breaks_no_hygiene_rule(order: Order) -> None:
    report = run("cases", "clean", order)
    assert not [f for f in report.findings if f.rule.startswith(("a11y.", "hygiene."))]
    assert report.passed(strict=True)


# Locales


def test_a_text_no_catalog_translates(order: Order) -> None:
    finding = only(run("cases", "new_words", order, locales=["fr_FR"]), "locale.untranslated")
    assert (
        finding.message == '"Your parcel is on its way back to our warehouse." has no translation'
    )
    assert (finding.file, finding.line) == ("tests/resources/check/cases/emails/new_words.html", 5)
    assert finding.template == "emails/new_words.html"


def test_the_sellers_own_catalog_counts(order: Order) -> None:
    assert not found(run("cases", "new_words", order, locales=["de_DE"]), "locale.untranslated")


# The report


def test_identical_findings_are_counted_once(order: Order) -> None:
    report = run("cases", "no_lang", order, locales=["en_US", "de_DE", "fr_FR"])
    finding = only(report, "a11y.html-dir")
    assert finding.count == 3
    assert finding.locales == ("en_US", "de_DE", "fr_FR")
    assert finding.locale == "en_US"


def test_json_shape(order: Order) -> None:
    document = run("cases", "no_lang", order).to_dict(strict=True)
    assert document["format"] == CHECK_FORMAT == "sellercomms.check/1"
    assert set(document) == {"format", "findings", "summary"}
    finding = document["findings"][0]
    assert set(finding) == {
        "rule",
        "severity",
        "template",
        "locale",
        "channel",
        "order",
        "message",
        "file",
        "line",
        "count",
        "templates",
        "locales",
        "channels",
        "orders",
    }
    assert finding["template"] == "no_lang"
    assert (finding["locale"], finding["channel"], finding["order"]) == (
        "en_US",
        "own",
        "ACME-1003",
    )
    assert set(document["summary"]) == {
        "passed",
        "strict",
        "errors",
        "warnings",
        "infos",
        "renders",
        "seconds",
        "templates",
        "orders",
        "locales",
        "channels",
        "skipped",
        "caniemail",
    }
    assert document["summary"]["passed"] is False
    assert document["summary"]["warnings"] == 2


def test_text_lines(order: Order) -> None:
    text = run("cases", "no_lang", order).to_text()
    assert (
        "warning a11y.html-dir no_lang[en_US/own/ACME-1003] "
        "tests/resources/check/cases/emails/no_lang.html:2 <html> has no dir attribute "
        "(expected ltr)"
    ) in text.splitlines()
    assert text.splitlines()[-1].startswith("0 errors, 2 warnings, ")


def test_every_rule_found_is_documented(order: Order) -> None:
    report = run("cases", "off_channel", order, channel="amazon")
    assert report.findings
    undocumented = [f.rule for f in report.findings if f.rule not in RULES]
    assert all(rule.startswith("amazon.") for rule in undocumented), undocumented


def test_what_the_order_holds_is_shown_as_typed(order_dict: dict[str, Any]) -> None:
    order_dict["customer"]["name"] = "{{ 7*7 }} <b>Ada</b>"
    report = check_templates(
        orders=[parse_order(order_dict)],
        messages=["review_request"],
        channels=["own"],
        locales=["en_US"],
    )
    assert not [f for f in report.findings if "7*7" in f.message or "Ada" in f.message]


def test_a_render_the_channel_refuses_is_a_finding(seller: Seller, order: Order) -> None:
    links = seller.links.model_copy(update={"unsubscribe": None})
    report = check_templates(
        seller=seller.model_copy(update={"links": links}),
        orders=[order],
        messages=["review_request"],
        channels=["own"],
        locales=["en_US"],
    )
    finding = only(report, "own.follow-up-needs-unsubscribe")
    assert (finding.severity, finding.file) == ("error", "templates/emails/review_request.html")


def test_a_finding_points_into_the_sellers_stylesheet(order: Order) -> None:
    report = run("stylesheet", "review_request", order)
    flex = [f for f in found(report, "client.support") if f.message.startswith("display:flex")]
    assert [(f.file, f.line) for f in flex] == [
        ("tests/resources/check/stylesheet/emails/email.css", 3)
    ]


def test_a_translation_is_found_at_its_catalog_line(order: Order) -> None:
    report = run("translated", "review_request", order, channel="amazon", locales=["fr_FR"])
    finding = only(report, "wording.positive-review-ask")
    assert finding.message == 'asks for a positive rating: "5 étoiles"'
    assert (finding.file, finding.line) == (
        "tests/resources/check/translated/locale/fr/LC_MESSAGES/messages.po",
        7,
    )
