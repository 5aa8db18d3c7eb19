"""Run a function over many items on every core, for the CPU-bound stages of a cold build.

Workers are forked, so they inherit the items and the shared context instead of receiving
them through a pipe: only index ranges go out, and only the results come back.

A forked worker also inherits every open descriptor, the build lock's among them (close-on-
exec does nothing for a fork), so an orphaned worker would hold the lock forever. Each worker
first closes the descriptors :func:`keep_from_workers` named and asks the kernel to kill it
when the build process dies (``PR_SET_PDEATHSIG``), so ``kill -9`` of a build leaves nothing.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

_work: tuple[Callable[[Any, Any], Any], Any, Sequence[Any]] | None = None
_not_inherited: set[int] = set()
_PR_SET_PDEATHSIG = 1


@contextlib.contextmanager
def keep_from_workers(descriptor: int) -> Iterator[None]:
    """While in this block, worker processes close ``descriptor`` as they start."""
    _not_inherited.add(descriptor)
    try:
        yield
    finally:
        _not_inherited.discard(descriptor)


def workers() -> int:
    """Worker processes to use: one per core, at most 8; 1 where fork is missing."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(os.cpu_count() or 1, 8)


def map_items(
    function: Callable[[S, T], R],
    shared: S,
    items: Sequence[T],
    min_items: int,
    batches_per_worker: int = 4,
    weight: Callable[[T], float] | None = None,
) -> Iterator[list[R]]:
    """``[function(shared, item) for item in items]`` in batches, in order; in forked worker
    processes when there are at least ``min_items`` items and more than one core.

    Each worker takes about ``batches_per_worker`` batches of neighbouring items: more even
    out the load, one keeps neighbours (and what they share) in one process. With
    ``weight`` (an item's estimated cost), batches hold about equal weights, not counts."""
    if len(items) < min_items or (count := workers()) < 2:
        yield [function(shared, item) for item in items]
        return
    global _work
    _work = (function, shared, items)
    # Without this, the first collection in each worker walks every object inherited from
    # the parent, and touching their reference counts copies the parent's whole heap.
    with heap_frozen():
        yield from _map_forked(_ranges(items, count * batches_per_worker, weight))


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a scan or a load makes a few tuples per content
    file: they hold no cycles, and collecting while 100,000s of them are made costs a +1
    build at N=50,000 a tenth of its time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def heap_frozen() -> Iterator[None]:
    """Leave every object made so far out of cyclic garbage collection until the end (nested:
    the outermost end unfreezes). A build's listings, records and channels live until it
    ends, and each full collection walked all of them: a third of a +1 build at 50,000."""
    outermost = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()


def _ranges(
    items: Sequence[T], batches: int, weight: Callable[[T], float] | None
) -> list[tuple[int, int]]:
    """``items`` cut into about ``batches`` runs of neighbours: of equal length, or of about
    equal total ``weight``."""
    if weight is None:
        size = max(1, -(-len(items) // batches))
        return [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    weights = [max(0.0, weight(item)) for item in items]
    share = sum(weights) / batches or 1.0
    ranges: list[tuple[int, int]] = []
    start, total = 0, 0.0
    for index, each in enumerate(weights):
        total += each
        if total >= share * (len(ranges) + 1) and len(ranges) < batches - 1:
            ranges.append((start, index + 1))
            start = index + 1
    return [*ranges, (start, len(items))] if start < len(items) else ranges


def _map_forked(ranges: list[tuple[int, int]]) -> Iterator[list[Any]]:
    global _work
    import multiprocessing  # imported here: a no-op build never needs them
    from concurrent.futures import ProcessPoolExecutor

    count = workers()
    try:
        with ProcessPoolExecutor(
            count,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(os.getpid(), tuple(_not_inherited)),
        ) as pool:
            yield from pool.map(_run_range, ranges)
    finally:
        _work = None


def _run_range(bounds: tuple[int, int]) -> list[Any]:
    assert _work is not None, "map_items workers must be forked"
    function, shared, items = _work
    return [function(shared, items[index]) for index in range(*bounds)]


def _start_worker(parent: int, descriptors: tuple[int, ...]) -> None:
    """Drop what the worker must not hold, and die with the parent."""
    for descriptor in descriptors:
        with contextlib.suppress(OSError):
            os.close(descriptor)
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the kernel was asked
        os._exit(1)


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGKILL when the process that forked us dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: no such call; the lock is closed anyway
        pass
