"""Batches on a real Dask cluster: two worker processes started here, one killed midway."""

from __future__ import annotations

import copy
import email
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from sellercomms import Order, Renderer, Seller, parse_order
from sellercomms.environment import builtin_templates_dir
from sellercomms.slips import join_slip_shards, render_slip_shard
from sellercomms.spec import RenderSpec

distributed = pytest.importorskip("distributed")

MARK = "Packed by the night shift"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _orders(order_dict: dict[str, Any], count: int) -> list[Order]:
    orders = []
    for number in range(count):
        copied = copy.deepcopy(order_dict)
        copied["order_id"] = f"ACME-{7000 + number}"
        orders.append(parse_order(copied))
    return orders


def _slip_ids(pdf: Path) -> list[str]:
    """The order id of each page, in page order."""
    ids = []
    for page in PdfReader(pdf).pages:
        text = page.extract_text()
        ids.append(next(word for word in text.split() if word.startswith("ACME-7")))
    return ids


def _own_slip(folder: Path) -> Path:
    """A template folder whose slip says :data:`MARK`: only the caller has it."""
    slip = (builtin_templates_dir() / "packing_slip" / "slip.html").read_text(encoding="utf-8")
    (folder / "packing_slip").mkdir(parents=True)
    (folder / "packing_slip" / "slip.html").write_text(
        slip.replace("</body>", f"<p>{MARK}</p></body>"), encoding="utf-8"
    )
    return folder


def test_a_cluster_prints_what_this_process_prints(
    client: Any, seller: Seller, order_dict: dict[str, Any], tmp_path: Path
) -> None:
    renderer = Renderer(seller, _own_slip(tmp_path / "mine"))
    orders = _orders(order_dict, 20)
    here = renderer.write_packing_slips(orders, tmp_path / "here.pdf")
    there = renderer.write_packing_slips(
        orders, tmp_path / "there.pdf", executor=client.get_executor(pure=False), workers=2
    )
    assert (there.slips, there.pages) == (here.slips, here.pages)
    texts = [
        [page.extract_text() for page in PdfReader(tmp_path / name).pages]
        for name in ("here.pdf", "there.pdf")
    ]
    assert texts[0] == texts[1]
    # The seller's own template travelled with the work.
    assert all(MARK in text for text in texts[1])


def test_a_worker_killed_midway_still_gives_every_slip_once_in_order(
    client: Any, seller: Seller, order_dict: dict[str, Any], tmp_path: Path
) -> None:
    orders = _orders(order_dict, 40)
    victims = list(client.run(os.getpid).values())
    killed: list[int] = []

    def kill_one_worker(done: int) -> None:
        if not killed:
            killed.append(victims[0])
            os.kill(victims[0], signal.SIGKILL)

    batch = Renderer(seller).write_packing_slips(
        orders,
        tmp_path / "slips.pdf",
        executor=client.get_executor(pure=False),
        workers=2,
        progress=kill_one_worker,
    )
    assert killed
    # Each order of the fixture ships in two parcels: two slips, in input order.
    expected = [order.order_id for order in orders for _ in order.shipments]
    assert batch.slips == len(expected)
    assert _slip_ids(tmp_path / "slips.pdf") == expected


def test_shards_render_and_join_anywhere(
    seller: Seller, order_dict: dict[str, Any], tmp_path: Path
) -> None:
    # What a Celery or Ray task does: render shards on their own, join them later.
    spec = RenderSpec.of(Renderer(seller).setup)
    orders = list(enumerate(_orders(order_dict, 5)))
    results = [render_slip_shard(spec, orders[start : start + 2]) for start in (0, 2, 4)]
    assert [result.orders for result in results] == [2, 2, 1]
    batch = join_slip_shards(results, tmp_path / "joined.pdf", title="Slips")
    assert batch.slips == 10
    assert _slip_ids(tmp_path / "joined.pdf") == [
        order.order_id for _, order in orders for _ in order.shipments
    ]


def _without_id_and_date(eml: bytes) -> bytes:
    """The message as written, but for what differs every time: its id, date and boundary."""
    boundary = email.message_from_bytes(eml).get_boundary()
    assert boundary is not None
    kept = [line for line in eml.split(b"\r\n") if not line.startswith((b"Message-ID:", b"Date:"))]
    return b"\r\n".join(kept).replace(boundary.encode(), b"BOUNDARY")


def test_the_command_line_sends_emails_and_slips_to_a_scheduler(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sellercomms.cli import main
    from sellercomms.samples import sample_orders_path, sample_seller_path

    samples = ["--orders", str(sample_orders_path()), "--seller", str(sample_seller_path())]
    email = ["render", "email", "review_request", *samples]
    assert main([*email, "--out", str(tmp_path / "here"), "--jobs", "1"]) == 0
    assert main([*email, "--out", str(tmp_path / "there"), "--scheduler", "local:2"]) == 0
    here = sorted((tmp_path / "here").glob("*.eml"))
    assert [path.name for path in here] == sorted(
        p.name for p in (tmp_path / "there").glob("*.eml")
    )
    for path in here:
        there = tmp_path / "there" / path.name
        assert _without_id_and_date(path.read_bytes()) == _without_id_and_date(there.read_bytes())

    slips = ["render", "slips", *samples, "--scheduler", "local:2"]
    assert main([*slips, "--out", str(tmp_path / "slips.pdf")]) == 0
    assert "packing slips" in capsys.readouterr().out
    assert len(PdfReader(tmp_path / "slips.pdf").pages) >= len(here)


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("tcp://127.0.0.1:9", "no Dask scheduler at tcp://127.0.0.1:9"),
        ("local:0", "local:N needs a number of workers"),
    ],
)
def test_a_scheduler_that_cannot_be_used_is_a_usage_error(
    tmp_path: Path, address: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from sellercomms.cli import main
    from sellercomms.samples import sample_orders_path, sample_seller_path

    argv = ["render", "slips", "--orders", str(sample_orders_path())]
    argv += ["--seller", str(sample_seller_path()), "--scheduler", address]
    assert main([*argv, "--out", str(tmp_path / "s.pdf")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "s.pdf").exists()
