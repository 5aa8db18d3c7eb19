"""How map_items cuts its items into batches: runs of neighbours, every item once, in order;
of equal length, or (given a weight) of about equal weight."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedpub.pipeline.parallel import _ranges, map_items


def covered(ranges: list[tuple[int, int]]) -> list[int]:
    return [index for start, end in ranges for index in range(start, end)]


@given(st.lists(st.integers(0, 100), max_size=60), st.integers(1, 8), st.booleans())
def test_every_item_is_in_one_batch_in_order(weights: list[int], batches: int, weighed: bool):
    ranges = _ranges(weights, batches, (lambda w: w) if weighed else None)
    assert covered(ranges) == list(range(len(weights)))
    assert all(start < end for start, end in ranges)
    assert len(ranges) <= max(batches, 1) or not weighed and len(weights) <= batches


def test_a_weight_evens_the_batches_out() -> None:
    heavy_first = [3] * 50 + [1] * 150  # three times the cost, as a current feed's items
    assert _ranges(heavy_first, 2, None) == [(0, 100), (100, 200)]
    assert _ranges(heavy_first, 2, lambda w: w) == [(0, 50), (50, 200)]  # 150 and 150


@pytest.mark.parametrize("weight", [None, lambda n: n % 7])
def test_the_results_come_back_in_order(weight: object) -> None:
    found = map_items(lambda shared, n: shared + n, 100, range(40), 2, 1, weight)  # type: ignore[arg-type]
    assert [r for batch in found for r in batch] == [100 + n for n in range(40)]
