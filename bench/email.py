"""E-mails per second: sellercomms against the usual render-then-premailer pipeline.

Both pipelines render the same shipping confirmation for the same orders and build the same
MIME bytes.  The baseline is what other Python mail libraries do: render the template, then
call ``premailer.transform`` on every message, so premailer parses and serialises the same
stylesheet again each time.  sellercomms keeps the parsed stylesheet per template set.

    .venv/bin/python bench/email.py [--orders 1000]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the
# standard library's email package for everything imported below.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import premailer  # noqa: E402

from sellercomms import Order, Renderer, sample_orders, sample_seller  # noqa: E402
from sellercomms.inlining import PREMAILER_OPTIONS  # noqa: E402


def make_orders(count: int) -> list[Order]:
    own = [o for o in sample_orders() if o.channel_or_default == "own"]
    return [
        own[i % len(own)].model_copy(update={"order_id": f"BENCH-{i:05d}"}) for i in range(count)
    ]


def sellercomms_pipeline(renderer: Renderer) -> Callable[[Order], bytes]:
    def send(order: Order) -> bytes:
        return renderer.email("shipping_confirmation", order).to_bytes()

    return send


def naive_pipeline(plain: Renderer) -> Callable[[Order], bytes]:
    def send(order: Order) -> bytes:
        mail = plain.email("shipping_confirmation", order)
        html = premailer.transform(mail.html, **PREMAILER_OPTIONS)
        return mail.__class__(**{**_fields(mail), "html": html}).to_bytes()

    return send


def render_only_pipeline(plain: Renderer) -> Callable[[Order], bytes]:
    def send(order: Order) -> bytes:
        return plain.email("shipping_confirmation", order).text.encode()

    return send


def _fields(mail: object) -> dict[str, object]:
    return {name: getattr(mail, name) for name in mail.__slots__}  # type: ignore[attr-defined]


def measure(send: Callable[[Order], bytes], orders: list[Order], rounds: int) -> float:
    """Messages per second, the best of ``rounds`` runs (the least disturbed by other work)."""
    send(orders[0])  # warm-up: imports, template compilation, locale data
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for order in orders:
            send(order)
        rates.append(len(orders) / (time.perf_counter() - start))
    return max(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    orders = make_orders(args.orders)
    seller = sample_seller()
    start = time.perf_counter()
    renderer = Renderer(seller)
    first = sellercomms_pipeline(renderer)(orders[0])
    first_ms = (time.perf_counter() - start) * 1000
    plain = Renderer(seller, inline_css=False)
    ours = measure(sellercomms_pipeline(renderer), orders, args.rounds)
    baseline = measure(naive_pipeline(plain), orders, args.rounds)
    render_only = measure(render_only_pipeline(plain), orders, args.rounds)
    sizes = [len(sellercomms_pipeline(renderer)(o)) for o in orders[:5]]
    print(f"orders: {len(orders)} (shipping_confirmation, {len(first)} bytes first .eml)")
    print(f"first message, cold:            {first_ms:8.1f} ms")
    print(f"render only (no CSS, no MIME):  {render_only:8.1f} msg/s")
    print(f"baseline (render + premailer):  {baseline:8.1f} msg/s")
    print(f"sellercomms (render+inline+MIME): {ours:6.1f} msg/s")
    print(f"ratio sellercomms / baseline:   {ours / baseline:8.2f}x")
    print(f"median .eml size:               {statistics.median(sizes):8.0f} bytes")


if __name__ == "__main__":
    main()
