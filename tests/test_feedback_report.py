"""The report's three outputs (HTML, text, JSON) and the resolution data it suggests."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sellercomms import FeedbackReport, Renderer, feedback_report, load_orders
from sellercomms.feedback.resolution import data_stub

FEEDBACK = Path(__file__).parent / "resources" / "feedback"
AS_OF = date(2025, 12, 1)


@pytest.fixture(scope="module")
def us() -> FeedbackReport:
    orders = load_orders(FEEDBACK / "orders.json")
    return feedback_report(
        FEEDBACK / "amazon-us.tsv",
        as_of=AS_OF,
        orders=orders,
        orders_file="orders.json",
        totals=FEEDBACK / "us-every-rating.csv",
    )


@pytest.fixture(scope="module")
def own() -> FeedbackReport:
    orders = load_orders(FEEDBACK / "orders.json")
    return feedback_report(
        FEEDBACK / "own.csv",
        as_of=AS_OF,
        orders=orders,
        orders_file="orders.json",
        data_dir="resolutions",
    )


class Page(HTMLParser):
    """Every start tag of a page with its attributes, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def count(self, tag: str, **attrs: str) -> int:
        return sum(
            1
            for name, found in self.tags
            if name == tag and all(found.get(k) == v for k, v in attrs.items())
        )

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def test_html_report_content(us: FeedbackReport) -> None:
    html = us.to_html()
    page = Page(html)
    text = page.plain
    assert html.startswith("<!DOCTYPE html>")
    assert "Feedback as of Monday 01 December 2025" in text
    # The cards: last complete week (W48), then 30, 90 and 365 days, each against both targets.
    assert re.search(r"Last week 2025-W48 50\.0 % positive ✗ missed 3\.25 average ✗ missed", text)
    assert re.search(r"Last 30 days 75\.0 % positive ✗ missed 4\.08 average ✗ missed", text)
    assert re.search(r"Last 90 days 77\.7 %", text)
    assert "12 feedback: 9 positive, 1 neutral, 2 negative" in text
    assert "▼ worse" in text and "(-2.3 points, +0.00 stars)" in text
    # Week table, newest first, the running week marked.
    assert re.search(r"2025-W49 \(so far\) 2025-12-01 1 1 0 0 100\.0 % ✓ met 5\.00 ✓ met", text)
    assert re.search(r"2025-W45 2025-11-03 2 2 0 0 100\.0 % ✓ met 4\.50 ✓ met", text)
    # Triage: every bad feedback with its causes, evidence and remedy.
    assert "To investigate: 5 negative, 1 neutral" in text
    assert "5 of 6 without a response yet" in text
    for label in ("Shipping speed", "Packing", "Tracking not communicated", "Slow replies"):
        assert label in text
    assert "Hard to cancel or return" in text and "Hard to reach" in text
    assert "Not as described" in text and "Item as Described = No" in text
    assert "“crushed” en" in text
    assert "Our response: Sorry! We sent a replacement." in text
    assert "Make it right: Replacement — e-mail resolution_replacement (for packing)" in text
    assert (
        "sellercomms render email resolution_replacement --orders orders.json --order-id "
        "111-0000002-0000002 --data 111-0000002-0000002.resolution_replacement.json "
        "--out outbox" in text
    )
    assert "1 feedback dated after 2025-12-01 is not counted." in text
    # Buyers' e-mail addresses stay out of a page meant to be forwarded.
    assert "@marketplace.amazon.com" not in html


def test_html_report_charts(us: FeedbackReport) -> None:
    page = Page(us.to_html())
    assert page.count("svg", role="img") == 2
    # A point per week with feedback (10 of the 13: W37, W38 and W43 had none), in each
    # chart; the running week's is hollow.
    assert page.count("circle") == 2 * 10
    assert page.count("circle", fill="#ffffff") == 2
    assert page.count("polyline") > 0
    assert "target 95.0 %" in page.plain and "target 4.5" in page.plain
    assert "W48: 50.0%" in page.plain and "W45: 4.50" in page.plain


def test_html_report_is_self_contained(us: FeedbackReport) -> None:
    page = Page(us.to_html())
    assert page.count("script") == 0
    assert page.count("link") == 0 and page.count("img") == 0
    for _, attrs in page.tags:
        for name in ("src", "href"):
            assert attrs.get(name) is None, attrs
        assert not any(name.startswith("on") for name in attrs)


def test_buyer_text_is_escaped_everywhere(tmp_path: Path) -> None:
    path = tmp_path / "evil.csv"
    path.write_text(
        'date,rating,comment,order_id\n2025-11-24,1,"<script>alert(1)</script> late & <b>x</b>",'
        "A-1\n",
        encoding="utf-8",
    )
    report = feedback_report(path, as_of=AS_OF)
    html = report.to_html()
    assert "<script>" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; late &amp; &lt;b&gt;x&lt;/b&gt;" in html
    assert Page(html).count("script") == 0


def test_html_report_with_resolution_data(own: FeedbackReport) -> None:
    page = Page(own.to_html())
    text = page.plain
    assert "Make it right: Gift certificate — e-mail resolution_gift_certificate" in text
    assert "Data for resolutions/ACME-1003.resolution_gift_certificate.json" in text
    assert '"value": "5.49"' in text
    assert "The parcel took three weeks, and nobody answered my e-mails" in text


def test_a_seller_template_folder_overrides_the_report(tmp_path: Path, us: FeedbackReport) -> None:
    folder = tmp_path / "templates" / "reports"
    folder.mkdir(parents=True)
    (folder / "feedback.html").write_text(
        "{{ report.windows[0].positive_percent }} {{ report.triage|length }}", encoding="utf-8"
    )
    assert us.to_html(tmp_path / "templates") == "75.0 6"


def test_text_report(us: FeedbackReport) -> None:
    text = us.to_text()
    lines = text.splitlines()
    assert lines[0] == "FEEDBACK REPORT as of Monday 2025-12-01"
    assert "Targets: at least 95 % positive, an average of 4.5 or more" in text
    row = next(line for line in lines if line.startswith("Last 30 days"))
    assert row.split() == [
        *("Last", "30", "days", "2025-11-02", "2025-12-01"),
        *("12", "9", "1", "2", "75.0", "%", "MISS", "4.08", "MISS"),
    ]
    week = next(line for line in lines if line.startswith("2025-W49"))
    assert week.endswith("so far")
    assert "Trend: WORSE." in text
    assert "TO INVESTIGATE: 5 negative, 1 neutral, newest first" in text
    assert "  > Arrived late and the box was crushed." in text
    assert "a1@marketplace.amazon.com" not in text
    assert "\x1b" not in text


def test_text_report_removes_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text('date,rating,comment\n2025-11-24,1,"late\x1b[2J\u202eevil"\n', encoding="utf-8")
    text = feedback_report(path, as_of=AS_OF).to_text()
    assert "\x1b" not in text and "\u202e" not in text
    assert "> late [2J evil" in text


def keys(value: object) -> object:
    """The shape of a JSON value: the keys of objects, the shape of a list's first item."""
    if isinstance(value, dict):
        return {key: keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [keys(value[0])] if value else []
    return type(value).__name__


FIGURES = {
    "figures_from": "str",
    "count": "int",
    "positive": "int",
    "neutral": "int",
    "negative": "int",
    "rating_sum": "int",
    "positive_percent": "str",
    "average": "str",
    "meets_positive_target": "bool",
    "meets_average_target": "bool",
}
WINDOW = {**FIGURES, "key": "str", "label": "str", "days": "int", "start": "str", "end": "str"}


def test_json_document_shape(us: FeedbackReport) -> None:
    document = json.loads(us.to_json())
    assert document == us.model_dump(mode="json")
    assert keys(document) == {
        "schema_version": "int",
        "as_of": "str",
        "source": {
            "file": "str",
            "format": "str",
            "layout": "str",
            "encoding": "str",
            "marketplace": "NoneType",
            "channel": "str",
            "date_order": "str",
            "date_order_from": "str",
            "rows": "int",
            "ignored_columns": [],
            "columns_by_position": "bool",
            "holds": "str",
            "percent_of": "str",
            "stars": "bool",
        },
        "targets": {"positive_percent": "str", "average": "str"},
        "windows": [WINDOW],
        "weeks": [
            {
                **FIGURES,
                **dict.fromkeys(["positive_percent", "average"], "NoneType"),
                **dict.fromkeys(["meets_positive_target", "meets_average_target"], "NoneType"),
                "week": "str",
                "start": "str",
                "end": "str",
                "partial": "bool",
            }
        ],
        "trend": {
            "weeks": "int",
            "recent": WINDOW,
            "previous": WINDOW,
            "positive_change": "str",
            "average_change": "str",
            "direction": "str",
        },
        "triage": [
            {
                "entry": {
                    "line": "int",
                    "date": "str",
                    "rating": "int",
                    "kind": "str",
                    "comment": "str",
                    "response": "str",
                    "arrived_on_time": "bool",
                    "item_as_described": "bool",
                    "customer_service": "NoneType",
                    "order_id": "str",
                    "rater_email": "str",
                },
                "kind": "str",
                "age_days": "int",
                "responded": "bool",
                "channel": "str",
                "order_known": "bool",
                "causes": [
                    {
                        "cause": "str",
                        "label": "str",
                        "check": "str",
                        "evidence": [
                            {
                                "source": "str",
                                "phrase": "str",
                                "language": "str",
                                "column": "NoneType",
                                "value": "NoneType",
                            }
                        ],
                    }
                ],
                "primary_cause": "str",
                "resolution": {
                    "remedy": "str",
                    "message": "str",
                    "note": "NoneType",
                    "data": {
                        "items": [{"sku": "str", "quantity": "int"}],
                        "return_required": "bool",
                    },
                    "data_file": "str",
                    "command": "str",
                },
            }
        ],
        "problems": [],
        "after_as_of": "int",
        "orders_given": "int",
        "notes": ["str"],
        "no_percentage_reason": "NoneType",
        "totals_source": "str",
        "detailed_ratings": [],
    }
    assert document["schema_version"] == 1
    assert document["windows"][1]["positive_percent"] == "77.7"
    assert document["targets"] == {"positive_percent": "95", "average": "4.5"}


def test_resolution_data_for_known_orders(us: FeedbackReport, own: FeedbackReport) -> None:
    by_order = {t.entry.order_id: t.resolution for t in [*us.triage, *own.triage]}
    replacement = by_order["111-0000002-0000002"]
    assert replacement is not None and replacement.data == {
        "items": [{"sku": "LAMP-02", "quantity": 1}, {"sku": "BULB-01", "quantity": 2}],
        "return_required": False,
    }
    # Tracking (a service problem) on Amazon: a refund of 10 % of 25.00 + 4.99 + 2.10 = 32.09.
    refund = by_order["111-0000005-0000005"]
    assert refund is not None and refund.data == {
        "amount": "3.21",
        "currency": "USD",
        "return_required": False,
    }
    # Own store: a gift certificate of 10 % of 48.00 + 6.90 = 54.90 EUR.
    gift = by_order["ACME-1003"]
    assert gift is not None and gift.data == {
        "code": "SORRY-ACME1003",
        "value": "5.49",
        "currency": "EUR",
    }
    assert gift.data_file == "resolutions/ACME-1003.resolution_gift_certificate.json"
    # Orders not in the file get the remedy, but no data.
    unknown = by_order["111-0000014-0000014"]
    assert unknown is not None and (unknown.data, unknown.command) == (None, None)
    assert us.orders_given == 4


def test_the_suggested_data_renders(
    us: FeedbackReport, own: FeedbackReport, renderer: Renderer
) -> None:
    orders = {order.order_id: order for order in load_orders(FEEDBACK / "orders.json")}
    rendered = set()
    for item in [*us.triage, *own.triage]:
        suggestion = item.resolution
        if suggestion is None or suggestion.data is None or item.entry.order_id is None:
            continue
        order = orders[item.entry.order_id]
        mail = renderer.email(suggestion.message, order, data=suggestion.data)
        assert order.order_id in mail.text
        rendered.add(suggestion.message)
    assert rendered == {
        "resolution_refund",
        "resolution_replacement",
        "resolution_gift_certificate",
    }


def test_data_stub_amounts() -> None:
    orders = {order.order_id: order for order in load_orders(FEEDBACK / "orders.json")}
    lamp = orders["111-0000002-0000002"]
    # 39.00 + 2 × 4.50 + 5.99 shipping + 3.20 tax = 57.19.
    assert lamp.total == Decimal("57.19")
    assert data_stub("refund", "hard_to_return", lamp)["amount"] == "57.19"
    assert data_stub("refund", "shipping_speed", lamp)["amount"] == "5.72"
    # Yen have no minor unit: 10 % of 3280 + 500 = 378.
    assert data_stub("gift_certificate", "shipping_speed", orders["ACME-1005"])["value"] == "378"
