"""Errors are never changed once made, and cross process boundaries intact."""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

from sellercomms import get_channel
from sellercomms.exceptions import (
    InputError,
    InputFileError,
    PolicyError,
    RenderError,
    SellerCommsError,
    TemplateError,
    TemplateNotFound,
)
from sellercomms.marketplaces import get_marketplace
from sellercomms.problems import OrderProblems


def _noted(error: SellerCommsError) -> SellerCommsError:
    error.add_note("while reading orders.json")
    return error


# Every class, with every attribute it takes set to something other than its default.
ERRORS = [
    InputError("must be at least 1", path="items[0].quantity", order_id="A-1", index=3),
    InputError("is not a country").with_order("B-2"),
    InputFileError("not valid JSON", filename="orders.json"),
    InputFileError("line 4 is not UTF-8", filename="orders.jsonl").with_order("C-3", index=4),
    TemplateError("unexpected end", name="emails/x.html", lineno=4, filename="/t/emails/x.html"),
    TemplateNotFound("no template 'y'", name="emails/y.html", filename="/t/emails/y.html"),
    PolicyError("review_request: no links", channel="amazon", rule="amazon.only-needed-links"),
    RenderError("the packing slip could not be laid out"),
    RenderError(),
    _noted(SellerCommsError("no orders", "orders.json")),
    OrderProblems(
        [InputError("is required", path="currency"), InputError("is empty", path="items")],
        order_id="D-4",
        index=None,
    ).with_order(index=7),
]


def _looks(error: BaseException) -> tuple[Any, ...]:
    """What a reader of ``error`` can see."""
    return (
        type(error),
        str(error),
        repr(error),
        error.args,
        {name: _plain(value) for name, value in vars(error).items()},
        getattr(error, "exit_code", None),
        getattr(error, "filename", None),
    )


def _plain(value: Any) -> Any:
    # Errors inside an error (the problems of an order) compare by what they show.
    if isinstance(value, BaseException):
        return _looks(value)
    if isinstance(value, list | tuple):
        return tuple(map(_plain, value))
    return value


def _described(error: SellerCommsError) -> str:
    return f"{type(error).__name__}-{str(error)[:24]}"


@pytest.mark.parametrize("error", ERRORS, ids=_described)
def test_a_pickled_error_is_the_same_error(error: SellerCommsError) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert _looks(pickle.loads(pickle.dumps(error, protocol))) == _looks(error)


def test_every_error_class_is_pickled_in_the_tests() -> None:
    def subclasses(kind: type[SellerCommsError]) -> set[type[SellerCommsError]]:
        return {kind}.union(*(subclasses(sub) for sub in kind.__subclasses__()))

    ours = {k for k in subclasses(SellerCommsError) if k.__module__.startswith("sellercomms.")}
    assert ours <= {type(error) for error in ERRORS}


def _raise(error: BaseException) -> None:
    raise error


def test_an_error_raised_in_a_spawned_worker_arrives_the_same() -> None:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_raise, error) for error in ERRORS]
        arrived = [future.exception() for future in futures]
    assert [type(error) for error in arrived] == [type(error) for error in ERRORS]
    for copy, error in zip(arrived, ERRORS, strict=True):
        assert copy is not None
        assert _looks(copy) == _looks(error)


def test_with_order_is_a_copy_and_the_original_stays() -> None:
    error = InputError("must be at least 1", path="items[0].quantity")
    copy = error.with_order("A-1", index=3)
    assert type(copy) is InputError
    assert (copy.order_id, copy.index, copy.path, copy.message) == (
        "A-1",
        3,
        "items[0].quantity",
        "must be at least 1",
    )
    assert str(copy) == "order A-1 (#3): items[0].quantity: must be at least 1"
    assert (error.order_id, error.index) == (None, None)
    assert str(error) == "items[0].quantity: must be at least 1"


def test_with_order_keeps_what_the_error_knew() -> None:
    error = InputError("is not a date", path="placed_at", order_id="A-1", index=2)
    assert str(error.with_order("B-7", index=9)) == str(error)
    assert str(InputError("x", index=2).with_order("A-1", index=5)) == "order A-1 (#2): x"


def test_with_order_keeps_the_class_and_what_only_it_has() -> None:
    error = InputFileError("is not UTF-8", filename="orders.jsonl")
    copy = error.with_order(index=4)
    assert type(copy) is InputFileError
    assert (copy.filename, copy.index, copy.exit_code, str(copy)) == (
        "orders.jsonl",
        4,
        2,
        "orders.jsonl: is not UTF-8",
    )
    assert error.index is None


def test_a_copy_raised_from_its_original_keeps_the_original() -> None:
    original = InputError("is not a country", path="ship_to.country")
    with pytest.raises(InputError) as caught:
        try:
            raise original
        except InputError as error:
            raise error.with_order("A-1", index=1) from error
    assert caught.value.__cause__ is original
    assert str(caught.value) == "order A-1 (#1): ship_to.country: is not a country"


@pytest.mark.parametrize(
    ("look_up", "name", "path"),
    [(get_channel, "amazn", "channel"), (get_marketplace, "amazon.moon", "marketplace")],
)
def test_an_unknown_name_is_an_input_error_at_its_field(look_up: Any, name: str, path: str) -> None:
    with pytest.raises(InputError) as caught:
        look_up(name)
    assert type(caught.value) is InputError
    assert caught.value.path == path
    assert repr(name) in caught.value.message
    assert str(caught.value).startswith(f"{path}: unknown {path} ")
