"""E-mail batches: the results of ``Renderer.emails`` are in input order, each failure in its
order's place, and the same whether worker processes rendered them or not."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from sellercomms import Order, PolicyError, RenderedEmail, Renderer, Seller, SellerCommsError
from sellercomms.cli import main
from sellercomms.relays import resolve_channel
from sellercomms.samples import sample_orders_path, sample_seller_path


def summary(results: list[Any]) -> list[tuple[Any, ...]]:
    """What each result says, without what differs between two renders of one message."""
    return [
        (r.order_id, r.subject, r.html, r.text)
        if isinstance(r, RenderedEmail)
        else (type(r), str(r), r.__dict__)
        for r in results
    ]


def one_by_one(renderer: Renderer, orders: list[Order], template: str) -> list[Any]:
    found: list[Any] = []
    for order in orders:
        try:
            found.append(renderer.email(template, order))
        except SellerCommsError as error:
            found.append(error)
    return found


@pytest.fixture
def batch(orders: list[Order]) -> list[Order]:
    """The sample orders three times over, with new ids: Amazon and eBay orders among them."""
    return [
        order.model_copy(update={"order_id": f"{order.order_id}-{round_}"})
        for round_ in range(3)
        for order in orders
    ]


@contextmanager
def another_thread() -> Iterator[None]:
    """A second thread running meanwhile: workers are then spawned, not forked."""
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    waiting.start()
    try:
        yield
    finally:
        stop.set()
        waiting.join()


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_come_in_input_order_with_failures_in_place(
    renderer: Renderer, batch: list[Order], jobs: int
) -> None:
    results = list(renderer.emails(batch, "shipping_confirmation", jobs=jobs))
    assert summary(results) == summary(one_by_one(renderer, batch, "shipping_confirmation"))
    failed = [r for r in results if isinstance(r, PolicyError)]
    assert failed and len(failed) < len(results)  # Amazon sends its own confirmations
    assert all(error.channel == "amazon" for error in failed)


# Run in a fresh interpreter: a test run leaves threads behind (Dask's, servers'), and with
# another thread running, workers are spawned instead of forked.
_FORKED_BATCHES = """
import pickle, sys
from sellercomms import Order, Renderer, SellerCommsError, sample_orders, sample_seller
from sellercomms.chunks import can_fork

def summary(result):
    if isinstance(result, SellerCommsError):
        return (type(result).__name__, str(result))
    return (result.order_id, result.subject, result.html, result.text)

def main():
    class Unpicklable(Order):
        "An order type defined here cannot be pickled, so it cannot go through a pipe."

    assert can_fork(), "this interpreter would not fork its workers"
    renderer = Renderer(sample_seller())
    batch = [
        order.model_copy(update={"order_id": f"{order.order_id}-{round_}"})
        for round_ in range(3)
        for order in sample_orders()
    ]
    expected = []
    for order in batch:
        try:
            expected.append(summary(renderer.email("shipping_confirmation", order)))
        except SellerCommsError as error:
            expected.append(summary(error))
    unpicklable = [Unpicklable.model_validate(order.model_dump()) for order in batch]
    try:
        pickle.dumps(unpicklable[0])
    except (pickle.PicklingError, AttributeError):
        pass
    else:
        raise AssertionError("the order type could be pickled")
    batches = {
        "list": unpicklable,
        "tuple": tuple(unpicklable),
        "generator": (order for order in batch),
    }
    for kind, orders in batches.items():
        results = renderer.emails(orders, "shipping_confirmation", jobs=2)
        assert [summary(r) for r in results] == expected, kind
    print("same")

main()
"""


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_forked_workers_read_a_list_of_orders_without_it_being_sent() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _FORKED_BATCHES], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["same"]


def test_spawned_workers_render_the_same(seller: Seller, batch: list[Order]) -> None:
    renderer = Renderer(seller, inliner="premailer")
    with another_thread():
        results = list(renderer.emails(batch, "review_request", jobs=2))
    assert summary(results) == summary(one_by_one(renderer, batch, "review_request"))


def test_workers_use_the_seller_template_folder(
    tmp_path: Path, seller: Seller, batch: list[Order]
) -> None:
    folder = tmp_path / "templates" / "emails"
    folder.mkdir(parents=True)
    (folder / "note.html").write_text(
        '{% extends "emails/_base.html" %}{% block subject %}Note {{ order.order_id }}'
        "{% endblock %}{% block preheader %}Thanks{% endblock %}"
        "{% block content %}<p>Thanks.</p>{% endblock %}",
        encoding="utf-8",
    )
    (folder / "note.txt").write_text("Thanks, {{ order.customer.name }}.\n", encoding="utf-8")
    renderer = Renderer(seller, folder.parent)
    own = [order for order in batch if resolve_channel(order).name == "own"]
    with another_thread():
        results = list(renderer.emails(own, "note", jobs=2))
    assert [r.subject for r in results] == [f"Note {order.order_id}" for order in own]


def test_data_goes_to_every_message(renderer: Renderer, batch: list[Order]) -> None:
    own = [order for order in batch if resolve_channel(order).name == "own"]
    data = {"amount": "12.50", "reason": "One item arrived damaged."}
    results = list(renderer.emails(own, "resolution_refund", data=data, jobs=2))
    assert all(isinstance(r, RenderedEmail) and "12.50" in r.text for r in results)


def test_a_batch_stopped_early_ends_its_workers(renderer: Renderer, batch: list[Order]) -> None:
    results = renderer.emails(batch * 4, "shipping_confirmation", jobs=2)
    assert isinstance(results, Iterator)
    first = next(results)
    assert isinstance(first, PolicyError)
    results.close()  # returns once the workers are gone: the test does not hang


def test_jobs_must_be_positive(renderer: Renderer, batch: list[Order]) -> None:
    with pytest.raises(ValueError, match="jobs must be 1 or more"):
        list(renderer.emails(batch, "shipping_confirmation", jobs=0))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_render_email_writes_every_order_with_jobs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    out = tmp_path / "out"
    files = ["--orders", str(sample_orders_path()), "--seller", str(sample_seller_path())]
    code = main(
        ["render", "email", "shipping_confirmation", *files, "--jobs", jobs, "--out", str(out)]
    )
    captured = capsys.readouterr()
    written = sorted(path.stem for path in out.glob("*.eml"))
    failed = [line.split()[1] for line in captured.err.splitlines() if line.startswith("order ")]
    assert code == 1 and written and failed  # the Amazon orders are refused, the rest written
    assert not set(written) & set(failed)
    assert f"{len(written)} e-mails written" in captured.out
