"""Packing-slip batches: pages per second and peak memory, against the naive approach.

Usage::

    python bench/slips.py                      # 100 and 1,000 orders: jobs 1, jobs 2, naive
    python bench/slips.py --orders 50 --modes jobs1 naive

Each measurement runs in a fresh interpreter, so peak memory (``ru_maxrss``) belongs to that
run alone.  ``parent`` is the process that calls the API; ``worker`` is the largest worker
process (with jobs 2; the other modes have none).  The orders are the built-in sample orders
(one to forty items, several countries and scripts), repeated with new order numbers.

The naive approach is what a first version usually does: one WeasyPrint document per order,
written to PDF, and all of them merged with pypdf's ``PdfWriter`` at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

MODES = ("jobs1", "jobs2", "naive")


def make_orders(count: int) -> list[Any]:
    from sellercomms import sample_orders

    samples = sample_orders()
    return [
        samples[n % len(samples)].model_copy(update={"order_id": f"BENCH-{n:05d}"})
        for n in range(count)
    ]


def naive(renderer: Any, orders: list[Any], out: Path) -> int:
    import weasyprint
    from pypdf import PdfReader, PdfWriter

    from sellercomms.slips.printer import resource_policy
    from sellercomms.slips.resources import url_fetcher

    fetcher = url_fetcher(resource_policy(renderer.setup))
    writer = PdfWriter()
    for order in orders:
        documents = [
            weasyprint.HTML(string=s.html, base_url=s.base_url, url_fetcher=fetcher).render()
            for s in renderer.packing_slip_html(order)
        ]
        pages = [page for document in documents for page in document.pages]
        writer.append(PdfReader(BytesIO(documents[0].copy(pages).write_pdf())))
    with out.open("wb") as handle:
        writer.write(handle)
    return len(writer.pages)


def measure(mode: str, count: int) -> dict[str, Any]:
    """One run, in this process: what the parent of the batch sees."""
    from sellercomms import Renderer, sample_seller

    renderer = Renderer(sample_seller())
    orders = make_orders(count)
    if mode != "jobs2":
        import weasyprint  # noqa: F401 - imported before the clock starts, as a server would

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "slips.pdf"
        start = time.perf_counter()
        if mode == "naive":
            pages = naive(renderer, orders, out)
        else:
            jobs = 2 if mode == "jobs2" else 1
            pages = renderer.write_packing_slips(orders, out, jobs=jobs).pages
        seconds = time.perf_counter() - start
        size = out.stat().st_size
    return {
        "mode": mode,
        "orders": count,
        "pages": pages,
        "seconds": round(seconds, 2),
        "pages_per_second": round(pages / seconds, 2),
        "parent_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        # The largest child that ended: the worker processes (other modes start none).
        "worker_mb": (
            round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
            if mode == "jobs2"
            else None
        ),
        "pdf_mb": round(size / 1024 / 1024, 2),
    }


def run(mode: str, count: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(count)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def report(results: list[dict[str, Any]]) -> None:
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
    header = "mode    orders  pages  seconds  pages/s  parent MB  worker MB  PDF MB"
    print(header)
    for r in results:
        worker = "-" if r["worker_mb"] is None else r["worker_mb"]
        print(
            f"{r['mode']:<7} {r['orders']:>6} {r['pages']:>6} {r['seconds']:>8} "
            f"{r['pages_per_second']:>8} {r['parent_mb']:>10} {worker:>10} {r['pdf_mb']:>7}"
        )
    by = {(r["mode"], r["orders"]): r for r in results}
    counts = sorted({r["orders"] for r in results})
    print()
    if len(counts) >= 2:
        small, large = counts[0], counts[-1]
        for mode in MODES:
            if (mode, small) in by and (mode, large) in by:
                a, b = by[(mode, small)], by[(mode, large)]
                for column in ("parent_mb", "worker_mb"):
                    if a[column] is not None:
                        ratio = b[column] / a[column]
                        who = column.removesuffix("_mb")
                        print(
                            f"{mode}: {who} peak RSS at {large} / at {small} orders = {ratio:.2f}"
                        )
    for count in counts:
        one, two, base = (by.get((m, count)) for m in MODES)
        if one and two:
            speedup = two["pages_per_second"] / one["pages_per_second"]
            print(f"{count} orders: jobs 2 / jobs 1 pages per second = {speedup:.2f}")
        if one and base:
            ratio = one["pages_per_second"] / base["pages_per_second"]
            print(f"{count} orders: jobs 1 / naive pages per second = {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--child", nargs=2, metavar=("MODE", "ORDERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child[0], int(args.child[1]))))
        return
    results = []
    for count in args.orders:
        for mode in args.modes:
            results.append(run(mode, count))
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    report(results)


if __name__ == "__main__":
    main()
