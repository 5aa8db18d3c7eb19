"""Run a function over many items on every core, for the CPU-bound stages of a cold build.

Workers are forked, so they inherit the items and the shared context instead of receiving
them through a pipe: only index ranges go out, and only the results come back.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

_work: tuple[Callable[[Any, Any], Any], Any, Sequence[Any]] | None = None


def workers() -> int:
    """Worker processes to use: one per core, at most 8; 1 where fork is missing."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(os.cpu_count() or 1, 8)


def map_items(
    function: Callable[[S, T], R], shared: S, items: Sequence[T], min_items: int
) -> Iterator[list[R]]:
    """``[function(shared, item) for item in items]`` in batches, in order; in forked worker
    processes when there are at least ``min_items`` items and more than one core."""
    if len(items) < min_items or (count := workers()) < 2:
        yield [function(shared, item) for item in items]
        return
    import multiprocessing  # imported here: a no-op build never needs them
    from concurrent.futures import ProcessPoolExecutor

    global _work
    _work = (function, shared, items)
    # Without this, the first collection in each worker walks every object inherited from
    # the parent, and touching their reference counts copies the parent's whole heap.
    gc.freeze()
    try:
        size = max(1, len(items) // (count * 4))
        ranges = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
        with ProcessPoolExecutor(
            count,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_die_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            yield from pool.map(_run_range, ranges)
    finally:
        _work = None
        gc.unfreeze()


def _run_range(bounds: tuple[int, int]) -> list[Any]:
    assert _work is not None, "map_items workers must be forked"
    function, shared, items = _work
    return [function(shared, items[index]) for index in range(*bounds)]


def _die_with_parent(parent: int) -> None:
    """A worker holds the build lock's descriptor (a fork inherits it): if ``kill -9`` ends
    the build, its workers must end too, or the lock stays taken (prctl PR_SET_PDEATHSIG)."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build died before the worker asked
        os._exit(1)
