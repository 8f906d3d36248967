"""Shared fixtures: the sample seller and orders, a renderer, and order dicts to break."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from sellercomms import Order, Renderer, Seller, sample_orders, sample_seller
from sellercomms.samples import sample_orders_path

RESOURCES = Path(__file__).parent / "resources"

# The fuzzers run a bounded number of examples in every test run; a longer search is one flag
# away: ``python -m pytest --hypothesis-profile=long tests/test_fuzz_*.py``.
settings.register_profile(
    "default",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile("long", parent=settings.get_profile("default"), max_examples=2000)
settings.load_profile("default")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the Dask tests last.

    A Dask cluster leaves threads running in this process (its IO loop, its offload thread);
    with another thread running, worker pools are spawned instead of forked.  Run last, they
    leave every other test a process like a user's program, where workers are forked.
    """
    items.sort(key=lambda item: item.path.name == "test_dask.py")


@pytest.fixture
def seller() -> Seller:
    return sample_seller()


@pytest.fixture
def orders() -> list[Order]:
    return sample_orders()


@pytest.fixture(scope="module")
def slip_renderer() -> Renderer:
    """One renderer for a module's slip tests: WeasyPrint's set-up is paid once."""
    return Renderer(sample_seller())


@pytest.fixture(scope="module")
def by_id() -> dict[str, Order]:
    """The sample orders by id, shared by a module's tests (which must not change them)."""
    return {order.order_id: order for order in sample_orders()}


@pytest.fixture
def orders_by_id(orders: list[Order]) -> dict[str, Order]:
    return {order.order_id: order for order in orders}


@pytest.fixture
def renderer(seller: Seller) -> Renderer:
    return Renderer(seller)


@pytest.fixture
def order_dicts() -> list[dict[str, Any]]:
    """The sample orders as plain dicts, a fresh copy for each test to modify."""
    data: list[dict[str, Any]] = json.loads(sample_orders_path().read_text(encoding="utf-8"))
    return copy.deepcopy(data)


@pytest.fixture
def order_dict(order_dicts: list[dict[str, Any]]) -> dict[str, Any]:
    """One own-store order (split in two parcels) as a dict."""
    return next(o for o in order_dicts if o["order_id"] == "ACME-1003")
