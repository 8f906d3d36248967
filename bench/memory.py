"""The caller's peak memory for batches streamed from a JSON Lines file, by batch size.

Usage::

    python bench/memory.py                                 # e-mails: 1,000, 10,000, 100,000
    python bench/memory.py --kind slips --orders 1000 5000
    python bench/memory.py --orders 1000 10000 --engine jobs

For each size the orders (own-store sample orders with new numbers, for the shipping
confirmation; all sample orders for slips) are written as JSON Lines to a temporary folder.
A fresh interpreter then reads them with ``read_orders`` (one line at a time) and renders
them through the executor seam: ``--engine pool`` passes a ``ProcessPoolExecutor``
of ``--workers`` processes as ``executor=`` (the path a Dask client's executor takes),
``dask`` a local Dask cluster, ``jobs`` uses ``jobs=`` (the built-in worker pool).  E-mails
are turned into bytes and dropped; slips are written to a PDF in the folder.  The caller
samples its own resident memory as it goes; workers are other processes and not counted.
Printed: the caller's peak (``ru_maxrss``), its resident memory after a tenth of the batch
and at the end, and the ratio of the largest batch's peak to the smallest's.
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
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def write_orders(path: Path, count: int, kind: str) -> None:
    """``count`` orders as JSON Lines: the sample orders again and again, newly numbered."""
    from sellercomms import sample_orders
    from sellercomms.relays import resolve_channel

    samples = sample_orders()
    if kind == "email":  # what the shipping confirmation is for
        samples = [order for order in samples if resolve_channel(order).name == "own"]
    records = [order.model_dump(mode="json", exclude_none=True) for order in samples]
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            record = records[n % len(records)]
            handle.write(json.dumps({**record, "order_id": f"MEM-{n:06d}"}) + "\n")


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:  # noqa: PTH123 - read once a checkpoint
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(kind: str, engine: str, path: Path, count: int, workers: int) -> dict[str, Any]:
    """One batch in this (fresh) process: seconds and the caller's memory."""
    import concurrent.futures
    import multiprocessing
    from contextlib import AbstractContextManager, nullcontext

    from sellercomms import Order, Renderer, read_orders, sample_seller
    from sellercomms.cluster import cluster_executor

    renderer = Renderer(sample_seller())
    seam: dict[str, Any] = {"jobs": workers} if engine == "jobs" else {"workers": workers}
    context: AbstractContextManager[Any]
    if engine == "pool":
        context = concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn")
        )
    elif engine == "dask":
        context = cluster_executor(f"local:{workers}")
    else:
        context = nullcontext()
    samples: dict[str, float] = {}
    done = 0

    def orders() -> Iterator[Order]:
        nonlocal done
        for order in read_orders(path):
            assert isinstance(order, Order), order
            done += 1
            if done == count // 10:
                samples["tenth"] = _rss_mb()
            yield order

    with context as running:
        if engine == "pool":
            seam["executor"] = running
        elif engine == "dask":
            seam.update(executor=running.executor, workers=running.workers)
        start = time.perf_counter()
        if kind == "email":
            written = 0
            for mail in renderer.emails(orders(), "shipping_confirmation", **seam):
                assert not isinstance(mail, Exception), mail
                written += len(mail.to_bytes())
        else:
            renderer.write_packing_slips(orders(), path.with_suffix(".pdf"), **seam)
        seconds = time.perf_counter() - start
    return {
        "orders": count,
        "seconds": round(seconds, 1),
        "per_second": round(count / seconds, 1),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "tenth_mb": round(samples.get("tenth", 0.0), 1),
        "end_mb": round(_rss_mb(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=["email", "slips"], default="email")
    parser.add_argument("--engine", choices=["pool", "dask", "jobs"], default="pool")
    parser.add_argument("--orders", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        (count,) = args.orders
        run = measure(args.kind, args.engine, args.one, count, args.workers)
        print(json.dumps(run))
        return
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for count in args.orders:
            path = Path(folder) / f"orders-{count}.jsonl"
            write_orders(path, count, args.kind)
            run = subprocess.run(
                [sys.executable, __file__, "--one", str(path), "--kind", args.kind,
                 "--engine", args.engine, "--orders", str(count),
                 "--workers", str(args.workers)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            results.append(json.loads(run.stdout.splitlines()[-1]))
            path.unlink()
    unit = "msgs/s" if args.kind == "email" else "orders/s"
    print(f"{args.kind}, engine {args.engine}, {args.workers} workers; caller memory in MB")
    print(f"{'orders':>8}{'seconds':>9}{unit:>10}{'peak':>8}{'at 10%':>8}{'at end':>8}")
    for r in results:
        print(
            f"{r['orders']:>8}{r['seconds']:>9}{r['per_second']:>10}"
            f"{r['peak_mb']:>8}{r['tenth_mb']:>8}{r['end_mb']:>8}"
        )
    smallest = min(results, key=lambda r: r["orders"])
    largest = max(results, key=lambda r: r["orders"])
    ratio = largest["peak_mb"] / smallest["peak_mb"]
    print(f"peak at {largest['orders']:,} / at {smallest['orders']:,} orders: {ratio:.2f}x")


if __name__ == "__main__":
    main()
