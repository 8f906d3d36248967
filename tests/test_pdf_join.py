"""The joiner copies each shard's objects through qpdf: the joined file is the shards' pages,
text and tags, in order, with one Part per slip in its language, and poppler and qpdf accept it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from pdf_helpers import page_texts, pdfinfo, reader

from sellercomms import Order, Renderer, sample_orders
from sellercomms.slips import ShardResult, render_slip_shard
from sellercomms.slips.joiner import PdfJoiner
from sellercomms.spec import RenderSpec

# English, German, Japanese and Arabic slips, and an order in two parcels, in two shards.
SHARDS = [["ACME-1003", "302-1234567-7654321"], ["503-7654321-1234567", "ACME-1006"]]


@pytest.fixture(scope="module")
def shards(slip_renderer: Renderer) -> list[ShardResult]:
    by_id = {order.order_id: order for order in sample_orders()}
    spec = RenderSpec.of(slip_renderer.setup)
    numbered: Iterator[tuple[int, Order]] = enumerate(
        by_id[order_id] for shard in SHARDS for order_id in shard
    )
    return [
        render_slip_shard(spec, [next(numbered) for _ in shard], page_size="a4") for shard in SHARDS
    ]


def _join(shards: list[ShardResult]) -> bytes:
    out = io.BytesIO()
    joiner = PdfJoiner(out, title="Packing slips – Acme Home Goods", author="Acme Home Goods")
    for shard in shards:
        for pdf, layout in zip(shard.pdfs, shard.layouts, strict=True):
            joiner.append(pdf, layout)
    joiner.close()
    return out.getvalue()


@pytest.fixture(scope="module")
def joined(shards: list[ShardResult]) -> bytes:
    return _join(shards)


def _shard_pdfs(shards: list[ShardResult]) -> list[bytes]:
    return [pdf for shard in shards for pdf in shard.pdfs]


def test_every_page_once_in_input_order_with_its_text(
    shards: list[ShardResult], joined: bytes
) -> None:
    expected = [text for pdf in _shard_pdfs(shards) for text in page_texts(pdf)]
    assert len(expected) == sum(shard.pages for shard in shards) > len(SHARDS)
    assert page_texts(joined) == expected


def test_each_slip_is_a_part_in_its_language_over_its_own_pages(
    shards: list[ShardResult], joined: bytes
) -> None:
    pdf = reader(joined)
    (document,) = [kid.get_object() for kid in pdf.trailer["/Root"]["/StructTreeRoot"]["/K"]]
    parts = [kid.get_object() for kid in document["/K"]]
    slips = [slip for shard in shards for layout in shard.layouts for slip in layout]
    assert [(str(p["/Lang"]), str(p["/T"])) for p in parts] == [(s.lang, s.title) for s in slips]
    assert {"en-US", "de-DE", "ja-JP", "ar-SA"} <= {slip.lang for slip in slips}
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(pdf.pages)}
    first = 0
    for part, slip in zip(parts, slips, strict=True):
        own = range(first, first + slip.pages)
        first += slip.pages
        for kid in part["/K"]:
            element = kid.get_object()
            assert element["/P"].get_object() == part
            if "/Pg" in element:
                assert page_numbers[element.raw_get("/Pg").idnum] in own


def test_the_tag_tree_is_the_shards_trees_under_their_parts(
    shards: list[ShardResult], joined: bytes
) -> None:
    def tree(pdf: bytes) -> list[str]:
        # Annotations are shown by object number, which the join changes.
        text = pdfinfo(pdf, "-enc", "UTF-8", "-struct-text")
        return re.sub(r"Object \d+ 0", "Object", text).splitlines()

    expected = []
    for pdf in _shard_pdfs(shards):
        lines = tree(pdf)
        assert lines[0] == "Document"
        expected += lines[1:]
    lines = tree(joined)
    assert lines[0] == "Document"
    parts = [line for line in lines if re.match(r"  Part\b", line)]
    assert len(parts) == sum(len(layout) for shard in shards for layout in shard.layouts)
    # Everything below the parts, one level up, is what the shards had below their documents.
    # (A part's title may be printed as UTF-16 over several lines: those are not indented.)
    assert [line[2:] for line in lines if line.startswith("    ")] == expected


def test_structure_keys_stay_unique_and_reach_every_page(joined: bytes) -> None:
    pdf = reader(joined)
    tree = pdf.trailer["/Root"]["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    assert len(set(keys)) == len(keys)
    assert tree["/ParentTreeNextKey"] > max(keys)
    for page in pdf.pages:
        owners = nums[keys.index(page["/StructParents"]) * 2 + 1].get_object()
        assert all(owner.get_object()["/Pg"].get_object() == page for owner in owners)


def test_poppler_reads_the_joined_file(shards: list[ShardResult], joined: bytes) -> None:
    info = pdfinfo(joined)
    assert re.search(rf"^Pages:\s+{sum(shard.pages for shard in shards)}$", info, re.MULTILINE)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(r"^Title:\s+Packing slips – Acme Home Goods$", info, re.MULTILINE)
    assert re.search(r"^Metadata Stream:\s+yes$", info, re.MULTILINE)
    # Poppler reports what it had to repair on stderr, and says nothing for a sound file.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "joined.pdf"
        path.write_bytes(joined)
        done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert done.stderr == ""


def _qpdf_check(pdf: bytes) -> str:
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.fail("qpdf is missing: run .ci/setup --test")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "joined.pdf"
        path.write_bytes(pdf)
        done = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_qpdf_finds_no_error(joined: bytes) -> None:
    assert "No syntax or stream encoding errors found" in _qpdf_check(joined)


def test_the_document_language_and_metadata_are_the_batch_s(joined: bytes) -> None:
    pdf = reader(joined)
    assert pdf.trailer["/Root"]["/Lang"] == "en-US"
    xmp = pdf.xmp_metadata
    assert xmp is not None
    assert xmp.dc_language == ["en-US", "de-DE", "ja-JP", "ar-SA"]
    assert pdf.metadata.title == "Packing slips – Acme Home Goods"
    # What belonged to each shard as a whole is not carried over.
    assert "/Outlines" not in pdf.trailer["/Root"]


def test_a_string_that_reads_like_a_reference_is_copied_as_it_is(
    shards: list[ShardResult],
) -> None:
    text = "Mug (red) 12 0 R \\ 3 0 R"
    with pikepdf.open(io.BytesIO(shards[0].pdfs[0])) as source:
        figure = next(obj for obj in source.objects if obj.get("/S") == "/Figure" and "/Alt" in obj)
        figure.Alt = pikepdf.String(text)
        changed = io.BytesIO()
        source.save(changed)
    out = io.BytesIO()
    joiner = PdfJoiner(out, title="Slips")
    joiner.append(changed.getvalue(), shards[0].layouts[0])
    joiner.close()
    _qpdf_check(out.getvalue())
    with pikepdf.open(io.BytesIO(out.getvalue())) as result:
        alts = [str(obj.get("/Alt")) for obj in result.objects if obj.get("/S") == "/Figure"]
    assert text in alts


def test_a_page_gets_what_it_inherits_from_the_page_tree() -> None:
    source = pikepdf.new()
    source.add_blank_page(page_size=(200, 300))
    page = source.pages[0].obj
    del page["/MediaBox"]
    source.Root.Pages.MediaBox = pikepdf.Array([0, 0, 200, 300])
    untagged = io.BytesIO()
    source.save(untagged)
    out = io.BytesIO()
    joiner = PdfJoiner(out, title="Plain")
    assert joiner.append(untagged.getvalue()) == 1
    joiner.close()
    _qpdf_check(out.getvalue())
    joined = reader(out.getvalue())
    assert [float(v) for v in joined.pages[0]["/MediaBox"]] == [0, 0, 200, 300]
    # An untagged file gives an untagged join.
    assert "/StructTreeRoot" not in joined.trailer["/Root"]
