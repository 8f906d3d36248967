"""The caller's join alone: pages per second of PdfJoiner, against pypdf's PdfWriter merge.

Usage::

    python bench/join.py                        # 40 shards of 25 orders, best of 3 rounds
    python bench/join.py --shards 8 --rounds 5

The shards are rendered once (on ``--jobs`` worker processes, as a batch would render them)
and kept in a file in the temporary folder, so later runs measure the join only; ``--fresh``
renders them again.  Each round joins every shard, in order, into one PDF in memory with
:class:`sellercomms.slips.joiner.PdfJoiner` and with the baseline, what a first version does (each
shard read with pypdf and appended to one ``PdfWriter``, written at the end), taking turns;
the figure is pages per CPU second of this process, best of the rounds, so other work on the
machine counts against neither.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import pickle
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from slips import make_orders


class WriterJoiner:
    """The baseline: pypdf parses every shard and its ``PdfWriter`` holds them all."""

    def __init__(self, out: Any, *, title: str, author: str | None = None) -> None:
        from pypdf import PdfWriter

        self._out = out
        self._writer = PdfWriter()
        self._writer.add_metadata({"/Title": title, "/Author": author or ""})

    @property
    def pages(self) -> int:
        return len(self._writer.pages)

    def append(self, pdf: bytes, slips: Any = ()) -> None:
        from pypdf import PdfReader

        self._writer.append(PdfReader(BytesIO(pdf)))

    def close(self) -> None:
        self._writer.write(self._out)


def render_shards(count: int, size: int, jobs: int) -> list[Any]:
    """``count`` shard results of ``size`` orders each, rendered on ``jobs`` processes."""
    from sellercomms import Renderer, sample_seller
    from sellercomms.slips import render_slip_shard
    from sellercomms.spec import RenderSpec

    spec = RenderSpec.of(Renderer(sample_seller()).setup)
    numbered = list(enumerate(make_orders(count * size)))
    chunks = [numbered[start : start + size] for start in range(0, len(numbered), size)]
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context) as pool:
        return list(pool.map(render_slip_shard, [spec] * len(chunks), chunks))


def shards(count: int, size: int, jobs: int, fresh: bool) -> list[Any]:
    """The shard results, from the file kept by an earlier run when there is one."""
    from sellercomms import __version__

    kept = Path(tempfile.gettempdir()) / f"sellercomms-join-{__version__}-{count}x{size}.pickle"
    if kept.exists() and not fresh:
        with kept.open("rb") as handle:
            results: list[Any] = pickle.load(handle)
        return results
    start = time.perf_counter()
    results = render_shards(count, size, jobs)
    print(f"rendered {count} shards in {time.perf_counter() - start:.0f} s, kept in {kept}")
    with kept.open("wb") as handle:
        pickle.dump(results, handle)
    return results


def join(joiner_class: type[Any], results: list[Any]) -> tuple[int, int, float]:
    """(pages, bytes, CPU seconds) of joining ``results`` with ``joiner_class``."""
    out = BytesIO()
    start = time.process_time()
    joiner = joiner_class(out, title="Packing slips – Acme Home Goods", author="Acme")
    for result in results:
        for pdf, layout in zip(result.pdfs, result.layouts, strict=True):
            joiner.append(pdf, layout)
    joiner.close()
    return joiner.pages, out.tell(), time.process_time() - start


def main() -> None:
    from sellercomms.slips.joiner import PdfJoiner

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=int, default=40)
    parser.add_argument("--orders-per-shard", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2, help="processes rendering the shards")
    parser.add_argument("--fresh", action="store_true", help="render the shards again")
    args = parser.parse_args()
    results = shards(args.shards, args.orders_per_shard, args.jobs, args.fresh)
    joiners = {"PdfJoiner (qpdf)": PdfJoiner, "baseline (pypdf)": WriterJoiner}
    best: dict[str, tuple[int, int, float]] = {}
    for _ in range(args.rounds):
        for name, joiner_class in joiners.items():
            run = join(joiner_class, results)
            if name not in best or run[2] < best[name][2]:
                best[name] = run
    pages = {run[0] for run in best.values()}
    assert len(pages) == 1, f"the joiners disagree on the pages: {best}"
    print(f"{args.shards} shards of {args.orders_per_shard} orders, {pages.pop()} pages")
    print(f"{'joiner':<20}{'CPU s':>8}{'pages/s':>10}{'ms/page':>9}{'PDF MB':>8}")
    for name, (count, size, seconds) in best.items():
        print(
            f"{name:<20}{seconds:>8.2f}{count / seconds:>10.1f}"
            f"{1000 * seconds / count:>9.2f}{size / 1e6:>8.1f}"
        )
    ratio = best["baseline (pypdf)"][2] / best["PdfJoiner (qpdf)"][2]
    print(f"PdfJoiner / baseline: {ratio:.1f}x the pages per second")


if __name__ == "__main__":
    main()
