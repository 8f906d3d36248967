"""Packing slips as PDF, read back: pages, text, links and the codes a phone would scan."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pdf_helpers import POINTS, link_targets, page_sizes, page_texts, scanned_codes

from sellercomms import (
    Order,
    Renderer,
    Seller,
    SlipFailure,
    TemplateError,
    parse_order,
    sample_orders,
    sample_seller,
)
from sellercomms.slips import readable_url

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def sample_pdf(slip_renderer: Renderer) -> bytes:
    """Every sample order on Letter paper, in English whatever the order's locale."""
    return slip_renderer.packing_slips(sample_orders(), locale="en_US")


def test_import_does_not_start_weasyprint() -> None:
    import subprocess
    import sys

    code = (
        "import sys, sellercomms; "
        "assert not {'weasyprint', 'pypdf', 'segno', 'barcode'} & set(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("page_size", ["letter", "a4", "4x6"])
def test_every_page_has_the_chosen_size(
    slip_renderer: Renderer, by_id: dict[str, Order], page_size: str
) -> None:
    orders = [by_id["113-7654321-1234567"], by_id["ACME-2040"]]
    pdf = slip_renderer.packing_slips(orders, page_size=page_size)  # type: ignore[arg-type]
    sizes = page_sizes(pdf)
    # One page for one item; the 40-item order takes two sheets, or three 4x6 labels.
    assert len(sizes) == {"letter": 3, "a4": 3, "4x6": 4}[page_size]
    assert set(sizes) == {POINTS[page_size]}


def test_an_unknown_page_size_is_refused(slip_renderer: Renderer, by_id: dict[str, Order]) -> None:
    with pytest.raises(ValueError, match="legal"):
        slip_renderer.packing_slips([by_id["ACME-1002"]], page_size="legal")  # type: ignore[arg-type]


def test_one_slip_per_parcel_in_input_order(sample_pdf: bytes) -> None:
    orders = sample_orders()
    parcels = sum(max(1, len(order.shipments)) for order in orders)
    texts = page_texts(sample_pdf)
    firsts = [text for text in texts if "Page 1 of" in text]
    assert len(firsts) == parcels
    expected = [order.order_id for order in orders for _ in range(max(1, len(order.shipments)))]
    assert [_order_on(text, orders) for text in firsts] == expected


def _order_on(text: str, orders: list[Order]) -> str:
    return next(o.order_id for o in orders if f"Order {o.order_id}" in text)


def test_each_parcel_lists_its_own_items_and_tracking(
    slip_renderer: Renderer, by_id: dict[str, Order]
) -> None:
    order = by_id["ACME-1003"]
    first, second = page_texts(slip_renderer.packing_slips([order]))
    assert "Parcel 1 of 2" in first and "Parcel 2 of 2" in second
    assert "BOARD-1" in first and "CANDLE-7" not in first
    assert "CANDLE-7" in second and "BOARD-1" not in second
    assert "1Z999AA10123456784" in first and "9400111899223197428497" in second


def test_an_order_before_shipping_gets_one_slip_with_everything(
    slip_renderer: Renderer, order_dict: dict[str, Any]
) -> None:
    order_dict["shipments"] = []
    order = parse_order(order_dict)
    slips = slip_renderer.packing_slip_html(order)
    assert len(slips) == 1
    (text,) = page_texts(slip_renderer.packing_slips([order]))
    for item in order.items:
        assert item.sku in text
    assert "Tracking number" not in text
    assert "tracking number follow by e-mail" in text


def test_text_has_order_tracking_skus_and_feedback_address(
    slip_renderer: Renderer, by_id: dict[str, Order]
) -> None:
    order = by_id["ACME-1002"]
    (slip,) = slip_renderer.packing_slip_html(order)
    text = " ".join(page_texts(slip_renderer.packing_slips([order])))
    assert order.order_id in text
    assert "449044304137821" in text
    for item in order.items:
        assert item.sku in text
    assert slip.links.feedback is not None
    short = readable_url(slip.links.feedback)
    assert short == "acme.example/feedback?order=ACME-1002"
    assert short in text


def test_links_go_to_the_feedback_and_review_pages(
    slip_renderer: Renderer, by_id: dict[str, Order]
) -> None:
    for order_id in ("113-7654321-1234567", "ACME-1002", "ACME-1003", "ACME-2040"):
        order = by_id[order_id]
        slips = slip_renderer.packing_slip_html(order)
        pdf = slip_renderer.packing_slips([order])
        targets = {uri for page in link_targets(pdf) for uri in page}
        for slip in slips:
            assert slip.links.feedback in targets
            assert slip.links.reviews
            assert set(slip.links.reviews.values()) <= targets


def test_own_store_links_are_tagged_as_coming_from_the_slip(
    slip_renderer: Renderer, by_id: dict[str, Order]
) -> None:
    (slip,) = slip_renderer.packing_slip_html(by_id["ACME-1002"])
    assert slip.links.feedback == (
        "https://acme.example/feedback?order=ACME-1002&utm_source=sellercomms"
        "&utm_medium=packing_slip&utm_campaign=packing_slip"
    )


@pytest.mark.parametrize(
    ("page_size", "order_id", "review_codes"),
    [
        ("letter", "113-7654321-1234567", True),
        ("letter", "ACME-1004", True),
        ("a4", "ACME-1003", True),
        ("4x6", "113-7654321-1234567", True),
        # A 4x6 label has room for one review code; two items get short links instead.
        ("4x6", "ACME-1004", False),
    ],
)
def test_codes_scan_to_the_feedback_link_and_the_order_number(
    slip_renderer: Renderer,
    by_id: dict[str, Order],
    page_size: str,
    order_id: str,
    review_codes: bool,
) -> None:
    order = by_id[order_id]
    slip = slip_renderer.packing_slip_html(order, page_size=page_size)[0]  # type: ignore[arg-type]
    pdf = slip_renderer.packing_slips([order], page_size=page_size)  # type: ignore[arg-type]
    first_slip = range(1, len(page_texts(pdf)) + 1) if len(order.shipments) < 2 else [1]
    codes = [code for page in first_slip for code in scanned_codes(pdf, page=page)]
    assert ("CODE-128", order.order_id) in codes
    qr = [data for kind, data in codes if kind == "QR-Code"]
    assert slip.links.feedback in qr
    reviews = set(slip.links.reviews.values()) if review_codes else set()
    assert sorted(qr) == sorted({slip.links.feedback, *reviews})


def test_many_items_get_review_links_instead_of_codes(
    slip_renderer: Renderer, by_id: dict[str, Order]
) -> None:
    order = by_id["ACME-2040"]
    (slip,) = slip_renderer.packing_slip_html(order)
    pdf = slip_renderer.packing_slips([order])
    qr = {data for kind, data in scanned_codes(pdf) if kind == "QR-Code"}
    assert qr == {slip.links.feedback}
    text = " ".join(page_texts(pdf))
    assert len(slip.links.reviews) == 40
    for url in slip.links.reviews.values():
        assert readable_url(url) in text


def test_long_orders_repeat_the_item_header_and_number_pages_per_slip(
    slip_renderer: Renderer, by_id: dict[str, Order]
) -> None:
    orders = [by_id["ACME-2040"], by_id["ACME-1004"]]
    texts = page_texts(slip_renderer.packing_slips(orders, page_size="4x6"))
    big = [text for text in texts if "ACME-2040" in text]
    assert len(big) >= 3
    count = len(big)
    for number, text in enumerate(big, start=1):
        assert f"Page {number} of {count}" in text
    titles = [item.title for item in by_id["ACME-2040"].items]
    with_items = [text for text in big if any(title in text for title in titles)]
    assert len(with_items) >= 2
    assert all("QTY SKU ITEM" in text for text in with_items)
    assert "Page 1 of 1" in texts[-1] and "ACME-1004" in texts[-1]


def _seller_with(seller: Seller, **settings: Any) -> Seller:
    changed = seller.model_copy(
        update={"packing_slip": seller.packing_slip.model_copy(update=settings)}
    )
    changed._base_dir = seller._base_dir
    return changed


def test_prices_show_only_when_the_seller_wants_them(by_id: dict[str, Order]) -> None:
    order = by_id["ACME-1002"]
    plain = " ".join(page_texts(Renderer(sample_seller()).packing_slips([order])))
    assert "$12.50" not in plain
    priced = Renderer(_seller_with(sample_seller(), show_prices=True))
    text = " ".join(page_texts(priced.packing_slips([order])))
    assert "$12.50" in text and "$25.00" in text
    assert "Order total" in text


def test_gift_slips_show_the_message_and_never_prices(
    order_dicts: list[dict[str, Any]],
) -> None:
    gift = next(o for o in order_dicts if o.get("gift"))
    gift["gift"]["hide_prices"] = False  # even then: the slip travels with the gift
    order = parse_order(gift)
    priced = Renderer(_seller_with(sample_seller(), show_prices=True))
    (text,) = page_texts(priced.packing_slips([order]))
    assert "A GIFT FOR YOU" in text
    assert "Happy birthday, Alan!" in text
    assert "$" not in text
    assert not any(
        f"{item.unit_price:.2f}" in text for item in order.items if item.unit_price is not None
    )


def test_normal_slips_log_no_warnings(
    slip_renderer: Renderer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        slip_renderer.packing_slips(sample_orders()[:3], page_size="a4")
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_the_html_before_the_pdf(slip_renderer: Renderer, by_id: dict[str, Order]) -> None:
    order = by_id["ACME-1003"]
    slips = slip_renderer.packing_slip_html(order, page_size="a4")
    assert [(s.parcel, s.parcels) for s in slips] == [(1, 2), (2, 2)]
    first = slips[0]
    assert first.page_size == "a4" and first.locale == "en_US"
    assert "210mm 297mm" in first.html
    assert "ACME-1003" in first.html
    assert first.base_url.endswith("packing_slip/slip.html")
    assert first.links.tracking == (
        "https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784",
    )


def test_worker_processes_give_the_same_slips_in_the_same_order(
    slip_renderer: Renderer,
) -> None:
    orders = list(reversed(sample_orders()))
    one = page_texts(slip_renderer.packing_slips(orders, jobs=1))
    two = page_texts(slip_renderer.packing_slips(orders, jobs=2))
    assert one == two


def test_progress_counts_every_order(slip_renderer: Renderer) -> None:
    seen: list[int] = []
    slip_renderer.packing_slips(sample_orders(), progress=seen.append)
    assert sum(seen) == len(sample_orders())


def _failing_renderer(tmp_path: Any) -> Renderer:
    folder = tmp_path / "templates" / "packing_slip"
    folder.mkdir(parents=True)
    (folder / "slip.html").write_text(
        "<html><body><p>Slip {{ order.order_id }}</p>"
        '{% if order.order_id == "ACME-1003" %}{{ no_such_variable }}{% endif %}'
        "</body></html>",
        encoding="utf-8",
    )
    return Renderer(sample_seller(), tmp_path / "templates")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_order_is_reported_and_the_others_are_kept(tmp_path: Any, jobs: int) -> None:
    renderer = _failing_renderer(tmp_path)
    orders = sample_orders()
    failures: list[SlipFailure] = []
    pdf = renderer.packing_slips(orders, jobs=jobs, on_error=failures.append)
    (failure,) = failures
    assert failure.order_id == "ACME-1003"
    assert failure.position == 2
    assert isinstance(failure.error, TemplateError)
    assert "no_such_variable" in str(failure.error)
    texts = page_texts(pdf)
    produced = [o.order_id for o in orders if any(f"Slip {o.order_id}" in t for t in texts)]
    assert produced == [o.order_id for o in orders if o.order_id != "ACME-1003"]


def test_without_a_handler_the_first_failure_raises(tmp_path: Any) -> None:
    renderer = _failing_renderer(tmp_path)
    with pytest.raises(TemplateError, match="no_such_variable"):
        renderer.packing_slips(sample_orders())
