"""Packing slips as accessible PDF: tags, each slip's language, a title and XMP metadata."""

from __future__ import annotations

import re

import pytest
from pdf_helpers import pdfinfo, reader
from pypdf.generic import ArrayObject, IndirectObject, NumberObject

from sellercomms import Order, Renderer, sample_orders

pytestmark = pytest.mark.filterwarnings("error")

# English, German, Japanese and Arabic slips, and an order in two parcels.
MIXED = ["ACME-1003", "302-1234567-7654321", "503-7654321-1234567", "ACME-1006"]


@pytest.fixture(scope="module")
def mixed(slip_renderer: Renderer) -> list[Order]:
    by_id = {order.order_id: order for order in sample_orders()}
    return [by_id[order_id] for order_id in MIXED]


@pytest.fixture(scope="module", params=[1, 2], ids=["one-chunk", "two-chunks"])
def mixed_pdf(request: pytest.FixtureRequest, slip_renderer: Renderer, mixed: list[Order]) -> bytes:
    # Two worker processes split four orders into two chunks: two tagged files joined.
    return slip_renderer.packing_slips(mixed, jobs=request.param)


def _html_langs(renderer: Renderer, orders: list[Order]) -> list[tuple[str, str]]:
    """(lang, title) of every slip's HTML, in batch order."""
    found = []
    for order in orders:
        for slip in renderer.packing_slip_html(order):
            lang = re.search(r'<html lang="([^"]+)"', slip.html)
            title = re.search(r"<title>(.*?)</title>", slip.html)
            assert lang and title
            found.append((lang[1], title[1]))
    return found


def test_the_file_is_tagged_with_one_part_per_slip_in_its_language(
    slip_renderer: Renderer, mixed: list[Order], mixed_pdf: bytes
) -> None:
    root = reader(mixed_pdf).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    (document,) = [kid.get_object() for kid in root["/StructTreeRoot"]["/K"]]
    assert document["/S"] == "/Document"
    parts = [kid.get_object() for kid in document["/K"]]
    assert {part["/S"] for part in parts} == {"/Part"}
    expected = _html_langs(slip_renderer, mixed)
    assert [(str(p["/Lang"]), str(p["/T"])) for p in parts] == expected
    assert [lang for lang, _ in expected] == ["en-US", "en-US", "de-DE", "ja-JP", "ar-SA"]
    # The document's own language is the first slip's.
    assert root["/Lang"] == "en-US"


def test_every_marked_content_and_link_is_reachable_from_the_tag_tree(mixed_pdf: bytes) -> None:
    pdf = reader(mixed_pdf)
    tree = pdf.trailer["/Root"]["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert len(parent_tree) == len(nums) // 2  # keys unique across the joined files
    assert tree["/ParentTreeNextKey"] > max(parent_tree)
    for page in pdf.pages:
        owners = parent_tree[page["/StructParents"]].get_object()
        assert isinstance(owners, ArrayObject) and len(owners) > 0
        for owner in owners:
            assert owner.get_object()["/Pg"].get_object() == page
        for annotation in page.get("/Annots") or []:
            # The element that holds the link: a Link, or the Figure of a linked QR code.
            owner = parent_tree[annotation.get_object()["/StructParent"]].get_object()
            kids = owner["/K"] if isinstance(owner["/K"], ArrayObject) else [owner["/K"]]
            # Kids are marked-content numbers, or object references (/OBJR) to annotations.
            references = [k.get_object() for k in kids if not isinstance(k, NumberObject)]
            objects = [r.raw_get("/Obj") for r in references if "/Obj" in r]
            assert any(
                isinstance(o, IndirectObject) and o.idnum == annotation.idnum for o in objects
            )


def test_poppler_reads_the_tags_title_and_metadata(mixed_pdf: bytes) -> None:
    info = pdfinfo(mixed_pdf)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(r"^Title:\s+Packing slips – Acme Home Goods$", info, re.MULTILINE)
    assert re.search(r"^Metadata Stream:\s+yes$", info, re.MULTILINE)
    tags = pdfinfo(mixed_pdf, "-enc", "UTF-8", "-struct-text")
    # Each slip's text is reached through the tags.  (Arabic comes out in visual order: WeasyPrint
    # writes no /ActualText, so it is not checked here.)
    for words in ("Lieferschein", "納品書", "How did we do?", "1Z999AA10123456784"):
        assert words in tags


def test_xmp_metadata_agrees_with_the_document_information(mixed_pdf: bytes) -> None:
    pdf = reader(mixed_pdf)
    xmp = pdf.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title == {"x-default": "Packing slips – Acme Home Goods"}
    assert xmp.dc_language == ["en-US", "de-DE", "ja-JP", "ar-SA"]
    assert xmp.dc_creator == ["Acme Home Goods"]
    assert xmp.pdf_producer == pdf.metadata.producer == "sellercomms with WeasyPrint"
    assert pdf.metadata.author == "Acme Home Goods"
    assert pdf.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"].value is True
