"""The run lock of a state folder: one build (or serve's rebuild) at a time per site."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from feedpub.errors import LockBusy, PublishError
from feedpub.pipeline.parallel import keep_from_workers


@contextlib.contextmanager
def locked(state: Path, wait: bool) -> Iterator[None]:
    """Hold the exclusive lock of ``state`` (flock: the kernel drops it when a run dies)."""
    try:
        state.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(state / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PublishError(f"cannot create the lock in {state}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise LockBusy(
                f"another feedpub build is running (lock {state / 'lock'}); "
                "this run did nothing. Use --wait to wait for it."
            ) from exc
        with keep_from_workers(descriptor):
            yield
    finally:
        os.close(descriptor)
