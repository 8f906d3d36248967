"""Packing slips on a Dask cluster against worker processes: pages per second, and the ratio.

Usage::

    python bench/scale.py                       # 1,000 orders: --jobs 2, then a 2-worker cluster
    python bench/scale.py --orders 200 --workers 2

Both runs use the same machine and the same number of worker processes, so the ratio is the
cost of the seam: shipping each shard's orders and render spec to a worker and its PDF back,
through Dask's scheduler instead of a pipe.  Each run is a fresh interpreter; ``caller MB`` is
the peak memory of the process that joins the PDF, which streams the orders and stays flat
whatever the batch size.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from slips import make_orders


def measure(mode: str, count: int, workers: int) -> dict[str, Any]:
    """One run in this process: ``jobs`` (a process pool) or ``cluster`` (a LocalCluster)."""
    from sellercomms import Renderer, sample_seller
    from sellercomms.cluster import cluster_executor

    renderer = Renderer(sample_seller())
    orders = iter(make_orders(count))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "slips.pdf"
        if mode == "jobs":
            start = time.perf_counter()
            batch = renderer.write_packing_slips(orders, out, jobs=workers)
        else:
            with cluster_executor(f"local:{workers}") as cluster:
                start = time.perf_counter()  # the cluster is up, as a standing one would be
                batch = renderer.write_packing_slips(
                    orders, out, executor=cluster.executor, workers=cluster.workers
                )
        seconds = time.perf_counter() - start
    return {
        "mode": mode,
        "orders": count,
        "pages": batch.pages,
        "seconds": round(seconds, 2),
        "pages_per_second": round(batch.pages / seconds, 2),
        "caller_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--one", choices=["jobs", "cluster"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.orders, args.workers)))
        return
    results = {}
    for mode in ("jobs", "cluster"):
        run = subprocess.run(
            [sys.executable, __file__, "--one", mode, "--orders", str(args.orders),
             "--workers", str(args.workers)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        results[mode] = json.loads(run.stdout.splitlines()[-1])
    print(f"{'mode':<10}{'orders':>8}{'pages':>8}{'seconds':>10}{'pages/s':>10}{'caller MB':>11}")
    for mode, result in results.items():
        label = f"{mode} {args.workers}"
        print(
            f"{label:<10}{result['orders']:>8}{result['pages']:>8}{result['seconds']:>10}"
            f"{result['pages_per_second']:>10}{result['caller_mb']:>11}"
        )
    ratio = results["cluster"]["pages_per_second"] / results["jobs"]["pages_per_second"]
    print(f"cluster / jobs: {ratio:.2f}x (target: at least 0.85x)")


if __name__ == "__main__":
    main()
