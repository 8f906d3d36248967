"""Where things land on a packing slip: mirrored for right-to-left, apart, unbroken, and
fitting the page, measured on the rendered PDF."""

from __future__ import annotations

from collections.abc import Iterator

import pypdfium2 as pdfium
import pytest
from pdf_helpers import page_texts

from sellercomms import Order, Renderer

pytestmark = pytest.mark.filterwarnings("error")

MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture(scope="module")
def arabic_pdf(slip_renderer: Renderer, by_id: dict[str, Order]) -> bytes:
    return slip_renderer.packing_slips([by_id["ACME-1006"]], page_size="a4")


def _found(pdf: bytes, needle: str, page: int = 0) -> Iterator[list[tuple[float, ...]]]:
    """The character boxes (left, bottom, right, top, in points) of each match of ``needle``."""
    document = pdfium.PdfDocument(pdf)
    text = document[page].get_textpage()
    search = text.search(needle)
    while (match := search.get_next()) is not None:
        start, count = match
        yield [text.get_charbox(index) for index in range(start, start + count)]


def _bars(pdf: bytes, *, top_mm: float = 45) -> tuple[float, float]:
    """Left and right edge, in mm, of the barcode in the top ``top_mm`` of the first page.

    A bar is a column of near-black pixels at least 6 mm tall: taller than any letter,
    and the logo is not black.
    """
    page = pdfium.PdfDocument(pdf)[0]
    scale = 4  # 288 dpi: a 0.25 mm module is almost 3 pixels
    image = page.render(scale=scale).to_pil().convert("L")
    px_per_mm = MM * scale
    height = int(top_mm * px_per_mm)
    run_needed = int(6 * px_per_mm)
    pixels = image.load()
    assert pixels is not None
    columns = []
    for x in range(image.width):
        run = best = 0
        for y in range(height):
            run = run + 1 if pixels[x, y] < 80 else 0
            best = max(best, run)
        if best >= run_needed:
            columns.append(x)
    assert columns, "no barcode found"
    return columns[0] / px_per_mm, columns[-1] / px_per_mm


def test_the_barcode_sits_at_the_end_of_the_header_in_both_directions(
    slip_renderer: Renderer, by_id: dict[str, Order], arabic_pdf: bytes
) -> None:
    margin, width = 12, 210  # A4, 12 mm margins
    left, right = _bars(slip_renderer.packing_slips([by_id["ACME-1005"]], page_size="a4"))
    assert right > width - margin - 6 and left > width / 2
    left, right = _bars(arabic_pdf)
    assert left < margin + 6 and right < width / 2


@pytest.mark.parametrize("page_size", ["letter", "a4", "4x6"])
def test_arabic_returns_and_questions_keep_apart(
    slip_renderer: Renderer, by_id: dict[str, Order], page_size: str
) -> None:
    # The two columns share the footer, Returns at the right and Questions at the left:
    # the text of one must stay clear of the other.
    pdf = slip_renderer.packing_slips([by_id["ACME-1006"]], page_size=page_size)  # type: ignore[arg-type]
    page = pdfium.PdfDocument(pdf)[0]
    middle = page.get_size()[0] / 2
    text = page.get_textpage()
    (contact,) = _found(pdf, "support@acme.example")
    footer_top = contact[0][3] + 30
    boxes = [text.get_charbox(index) for index in range(text.count_chars())]
    footer = [b for b in boxes if 20 * MM < b[1] < footer_top and b[2] > b[0]]
    questions_end = max(b[2] for b in footer if b[0] + b[2] < 2 * middle)
    returns_start = min(b[0] for b in footer if b[0] + b[2] >= 2 * middle)
    assert returns_start - questions_end > 3 * MM


@pytest.mark.parametrize("page_size", ["a4", "4x6"])
def test_latin_address_lines_in_arabic_slips_do_not_wrap_inside(
    slip_renderer: Renderer, by_id: dict[str, Order], page_size: str
) -> None:
    pdf = slip_renderer.packing_slips([by_id["ACME-1006"]], page_size=page_size)  # type: ignore[arg-type]
    for line in ("1 Market St", "Suite 300", "San Francisco, CA 94103"):
        matches = list(_found(pdf, line))
        # The masthead and the return address on A4; the return address alone on 4x6.
        assert len(matches) == (2 if page_size == "a4" else 1), line
        for boxes in matches:
            # Glyph boxes differ by a point or so; a second line is a whole line lower.
            bottoms = [box[1] for box in boxes if box[2] > box[0]]
            assert max(bottoms) - min(bottoms) < 3, f"{line!r} is broken over lines"


@pytest.mark.parametrize(
    ("order_id", "labels"),
    [
        ("113-7654321-1234567", 1),  # one item
        ("ACME-1004", 1),  # a gift with two items
        ("ACME-1006", 1),  # Arabic, two items
        ("ACME-1002", 2),  # twelve items
        ("ACME-2040", 3),  # forty items
    ],
)
def test_small_orders_fit_one_label(
    slip_renderer: Renderer, by_id: dict[str, Order], order_id: str, labels: int
) -> None:
    texts = page_texts(slip_renderer.packing_slips([by_id[order_id]], page_size="4x6"))
    assert len(texts) == labels


def test_labels_list_no_review_links_but_say_where_to_review(
    slip_renderer: Renderer, by_id: dict[str, Order]
) -> None:
    order = by_id["ACME-2040"]
    (slip,) = slip_renderer.packing_slip_html(order, page_size="4x6")
    assert dict(slip.links.reviews) == {}
    text = " ".join(page_texts(slip_renderer.packing_slips([order], page_size="4x6")))
    assert "#reviews" not in text
    assert "To review an item, open its page on acme.example." in text


def test_every_page_names_the_order_and_the_recipient(
    slip_renderer: Renderer, by_id: dict[str, Order]
) -> None:
    order = by_id["ACME-2040"]
    for page_size in ("letter", "a4", "4x6"):
        texts = page_texts(slip_renderer.packing_slips([order], page_size=page_size))  # type: ignore[arg-type]
        assert len(texts) >= 2
        for text in texts:
            assert f"Order {order.order_id} · {order.ship_to.name}" in text


def test_the_recipient_is_named_where_the_country_writes_the_name(
    slip_renderer: Renderer, by_id: dict[str, Order]
) -> None:
    # A Japanese address ends with the name: the footer names the person, not the postcode.
    order = by_id["503-7654321-1234567"]
    assert order.ship_to is not None
    (text,) = page_texts(slip_renderer.packing_slips([order]))
    assert text.endswith(f"{order.ship_to.name} 1/1ページ")
