"""E-mails per second: render only, end to end, the usual render-then-premailer pipeline, and
end to end on several cores, measured in one run.

All pipelines render the built-in shipping confirmation for the same own-store orders.

- render only: ``Renderer(seller, inline_css=False).email(...)``: context, templates and
  the channel checks, no CSS inlining, no MIME;
- end to end: ``Renderer(seller).email(...).to_bytes()``: css-inline and the MIME writer;
- baseline: what other Python mail libraries do: render, ``premailer.transform`` on every
  message (which parses and serialises the same stylesheet each time), then the standard
  library's ``EmailMessage`` and ``as_bytes()``;
- end to end with ``jobs``: ``Renderer.emails(orders, ..., jobs=N)``, bytes written in the
  calling process; the orders as a list (which forked workers read where it lies) and
  streamed from a generator (each order pickled and sent to its worker).

One-process figures are messages per CPU second of this process (messages per second per
core), so other work on the machine does not count against them; the ``jobs`` figures are
wall-clock, compared with one process measured the same way in the same run.  Each figure is
the best of ``--rounds`` rounds, taken in turns.  The baseline, about ten times slower than
the rest, renders only the first ``--baseline-orders`` orders of each round.

    .venv/bin/python bench/emails.py [--orders 1000] [--rounds 5] [--jobs 2] [--baseline-orders 200]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import premailer

from sellercomms import Order, Renderer, sample_orders, sample_seller
from sellercomms.inlining import PREMAILER_OPTIONS
from sellercomms.mail import RenderedEmail
from sellercomms.relays import resolve_channel

TEMPLATE = "shipping_confirmation"

# Run in a fresh interpreter: the first message of a process, templates not yet compiled.
_FIRST_MESSAGE = f"""
import time
start = time.perf_counter()
from sellercomms import Renderer, sample_orders, sample_seller
from sellercomms.relays import resolve_channel
imported = time.perf_counter()
order = next(o for o in sample_orders() if resolve_channel(o).name == "own")
seller = sample_seller()
ready = time.perf_counter()
Renderer(seller).email({TEMPLATE!r}, order).to_bytes()
print(imported - start, time.perf_counter() - ready)
"""


def make_orders(count: int) -> list[Order]:
    own = [o for o in sample_orders() if resolve_channel(o).name == "own"]
    return [
        own[i % len(own)].model_copy(update={"order_id": f"BENCH-{i:05d}"}) for i in range(count)
    ]


def end_to_end(renderer: Renderer) -> Callable[[Order], bytes]:
    def send(order: Order) -> bytes:
        return renderer.email(TEMPLATE, order).to_bytes()

    return send


def render_only(plain: Renderer) -> Callable[[Order], object]:
    def send(order: Order) -> object:
        return plain.email(TEMPLATE, order)

    return send


def baseline(plain: Renderer) -> Callable[[Order], bytes]:
    def send(order: Order) -> bytes:
        mail = plain.email(TEMPLATE, order)
        html = premailer.transform(mail.html, **PREMAILER_OPTIONS)
        fields = {name: getattr(mail, name) for name in RenderedEmail.__slots__}
        return RenderedEmail(**{**fields, "html": html}).to_message().as_bytes()

    return send


def per_cpu_second(send: Callable[[Order], object], orders: list[Order]) -> float:
    start = time.process_time()
    for order in orders:
        send(order)
    return len(orders) / (time.process_time() - start)


def batch_per_second(
    renderer: Renderer, orders: list[Order], jobs: int, *, streamed: bool = False
) -> float:
    start = time.perf_counter()
    batch = (order for order in orders) if streamed else orders
    for result in renderer.emails(batch, TEMPLATE, jobs=jobs):
        assert isinstance(result, RenderedEmail), result
        result.to_bytes()
    return len(orders) / (time.perf_counter() - start)


def first_message(runs: int = 3) -> tuple[float, float]:
    """Median import time and median first-message time of a fresh process, in ms."""
    timings = []
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", _FIRST_MESSAGE], check=True, capture_output=True, text=True
        ).stdout
        imported, first = map(float, output.split())
        timings.append((imported * 1000, first * 1000))
    return statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline-orders", type=int, default=200)
    args = parser.parse_args()
    orders = make_orders(args.orders)
    seller = sample_seller()
    renderer, plain = Renderer(seller), Renderer(seller, inline_css=False)
    pipelines = {
        "render only": render_only(plain),
        "end to end": end_to_end(renderer),
        "baseline": baseline(plain),
    }
    for send in pipelines.values():
        send(orders[0])  # warm-up: imports, template compilation, locale data
    rates: dict[str, list[float]] = {
        name: [] for name in [*pipelines, "jobs 1", "jobs N", "streamed"]
    }
    measured = dict.fromkeys(pipelines, orders) | {"baseline": orders[: args.baseline_orders]}
    for _ in range(args.rounds):
        for name, send in pipelines.items():
            rates[name].append(per_cpu_second(send, measured[name]))
        rates["jobs 1"].append(batch_per_second(renderer, orders, 1))
        rates["jobs N"].append(batch_per_second(renderer, orders, args.jobs))
        rates["streamed"].append(batch_per_second(renderer, orders, args.jobs, streamed=True))
    best = {name: max(values) for name, values in rates.items()}
    imported, first = first_message()
    size = len(end_to_end(renderer)(orders[-1]))

    print(
        f"{len(orders)} own-store orders ({len(measured['baseline'])} for the baseline), "
        f"{TEMPLATE}; best of {args.rounds} rounds"
    )
    print("                                        msgs/s/core   ms/msg")
    for label, name in [
        ("render only (no inlining, no MIME)", "render only"),
        ("end to end (css-inline + MIME)", "end to end"),
        ("baseline (render + premailer + stdlib)", "baseline"),
    ]:
        print(f"{label:<40}{best[name]:>11.1f} {1000 / best[name]:>8.2f}")
    print("                                        msgs/s (wall clock)")
    print(f"{'end to end, jobs 1':<40}{best['jobs 1']:>11.1f}")
    print(f"{f'end to end, jobs {args.jobs}':<40}{best['jobs N']:>11.1f}")
    print(f"{f'end to end, jobs {args.jobs}, streamed':<40}{best['streamed']:>11.1f}")
    print("ratios")
    ratio = best["render only"] / best["end to end"]
    print(f"  end to end time / render only time    {ratio:6.2f}x   (target <= 1.5)")
    print(f"  end to end / baseline                 {best['end to end'] / best['baseline']:6.2f}x")
    speedup = best["jobs N"] / best["jobs 1"]
    print(f"  jobs {args.jobs} / jobs 1                         {speedup:6.2f}x   (target >= 1.8)")
    streamed = best["streamed"] / best["jobs 1"]
    print(f"  jobs {args.jobs} streamed / jobs 1                {streamed:6.2f}x")
    print(f"first message of a fresh process       {first:6.0f} ms  (target < 300; import")
    print(f"                                        {imported:6.0f} ms before it)")
    print(f"last .eml: {size} bytes")


if __name__ == "__main__":
    main()
