"""Chunks by position are the chunks of the orders themselves."""

from __future__ import annotations

import pytest

from sellercomms.chunks import chunk_ranges, numbered_chunks


@pytest.mark.parametrize("size", [1, 3, 25])
@pytest.mark.parametrize("workers", [1, 2, 3, 8])
@pytest.mark.parametrize("length", [0, 1, 2, 5, 24, 25, 26, 49, 50, 51, 60, 201])
def test_ranges_hold_the_positions_of_each_chunk(length: int, workers: int, size: int) -> None:
    orders = [f"order {n}" for n in range(length)]
    chunks = numbered_chunks(orders, workers, size)
    positions = [[position for position, _ in chunk] for chunk in chunks]
    assert [list(positions) for positions in chunk_ranges(length, workers, size)] == positions
