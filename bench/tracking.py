"""Tracking detection: how often the right carrier is linked, and how often a guess is.

Runs every valid and invalid test number of the format data (tracking_number_data's and our
own) through ``track()``: with the carrier named the way platforms name it, and unnamed on
the carrier's home route.  Then random digit strings of every length 8-22 on domestic routes
with no carrier named: every link they get is a guess the route allowed.

    .venv/bin/python bench/tracking.py [--random 1000]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from importlib.resources import files

from sellercomms.tracking import Tracking, track
from sellercomms.tracking._registry import Carrier, Example, examples, registry

ROUTES = ("US", "DE", "GB", "FR", "JP", "AU")


def platform_name(carrier: Carrier) -> str:
    """The first spelling names.json lists for the carrier: how platforms send it."""
    names = json.loads((files("sellercomms.tracking") / "data" / "names.json").read_text("utf-8"))
    return str(names["names"].get(carrier.code, [carrier.name])[0])


def home_route(carrier: Carrier) -> tuple[str, str]:
    """(origin, ship-to) of a parcel the carrier typically carries."""
    home = sorted(carrier.countries)[0] if carrier.countries else "US"
    abroad = "GB" if home != "GB" else "DE"
    return (
        (home, abroad) if carrier.reach == "worldwide" and not carrier.countries else (home, home)
    )


def rate(hits: int, total: int) -> str:
    return f"{hits}/{total} = {100 * hits / total:5.1f} %" if total else "0/0"


def links_by_its_format(example: Example) -> bool:
    """Whether an invalid test number gets a link through the format it is invalid for.

    Some numbers listed as invalid for one format are valid numbers of another (a Purolator
    alpha "invalid" is a valid Purolator 12-digit number); a link through that other format
    is right.
    """
    origin, country = home_route(example.carrier)
    calls = (
        track(example.number),
        track(example.number, platform_name(example.carrier)),
        track(example.number, origin=origin, country=country),
    )
    return any(t.url is not None and t.format == example.format.key for t in calls)


def data_set(samples: list[Example]) -> None:
    groups = (
        ("tracking_number_data", [True]),
        ("our own formats", [False]),
        ("all", [True, False]),
    )
    for label, sources in groups:
        mine = [e for e in samples if e.vendored in sources]
        valid = [e for e in mine if e.valid]
        invalid = [e for e in mine if not e.valid]
        named_right = sum(1 for e in valid if right(e, track(e.number, platform_name(e.carrier))))
        detectable = [e for e in valid if e.mode == "detect"]
        routed_right = sum(1 for e in detectable if right(e, on_home_route(e)))
        detected = sum(1 for e in detectable if track(e.number).valid)
        linked_invalid = sum(1 for e in invalid if links_by_its_format(e))
        print(f"{label}:")
        print(f"  valid, carrier named, right carrier linked: {rate(named_right, len(valid))}")
        print(
            f"  valid, unnamed, home route, right link:     {rate(routed_right, len(detectable))}"
        )
        print(f"  valid, unnamed, no route, detected:         {rate(detected, len(detectable))}")
        print(f"  invalid, linked through that format:        {rate(linked_invalid, len(invalid))}")


def on_home_route(example: Example) -> Tracking:
    origin, country = home_route(example.carrier)
    return track(example.number, origin=origin, country=country)


def right(example: Example, result: Tracking) -> bool:
    """The example's carrier, linked (or, for a carrier without a page, named)."""
    linked = result.url is not None or example.carrier.url is None
    return result.carrier == example.carrier.code and linked


def random_numbers(count: int) -> None:
    rng = random.Random(1)
    print(f"random digit strings, {count} per length and route, no carrier named: links given")
    print("  length " + " ".join(f"{r:>7}" for r in ROUTES))
    carriers: Counter[str] = Counter()
    for length in range(8, 23):
        row = []
        for route in ROUTES:
            linked = 0
            for _ in range(count):
                number = "".join(rng.choice("0123456789") for _ in range(length))
                result = track(number, origin=route, country=route)
                if result.url is not None:
                    linked += 1
                    carriers[f"{route}:{result.carrier}"] += 1
                    # A guess must be a carrier that serves the route.
                    assert registry().carriers[str(result.carrier)].serves(route, route)
            row.append(f"{100 * linked / count:6.1f}%")
        print(f"  {length:6} " + " ".join(row))
    print("  linked to: " + ", ".join(f"{k} {v}" for k, v in carriers.most_common()))


def speed(samples: list[Example]) -> None:
    numbers = [e.number for e in samples] * 20
    start = time.perf_counter()
    for n in numbers:
        track(n, country="DE", origin="DE")
    elapsed = time.perf_counter() - start
    print(f"track(): {1e6 * elapsed / len(numbers):.1f} µs per number ({len(numbers)} calls)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=1000, help="numbers per length and route")
    args = parser.parse_args()
    samples = list(examples(registry()))
    data_set(samples)
    random_numbers(args.random)
    speed(samples)


if __name__ == "__main__":
    main()
