"""Tries again after a failure that may pass (a dropped connection, a 5xx, a throttle), with
exponential backoff: pauses of 0.5, 1, 2 and 4 s, so at most five tries and 7.5 s of waiting
for one request. Anything else (a 403, a missing bucket) fails at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

PAUSES = (0.5, 1.0, 2.0, 4.0)  # before the second to the fifth try
sleep = time.sleep  # the one clock of the backoff (tests record the pauses instead)


class Failed(Exception):
    """A request that failed for good: why, and after how many tries."""

    def __init__(self, reason: str, tries: int) -> None:
        super().__init__(reason, tries)
        self.reason = reason
        self.tries = tries

    def __str__(self) -> str:
        return f"{self.reason}, after {self.tries} tr{'ies' if self.tries != 1 else 'y'}"


def retried(call: Callable[[], T], classify: Callable[[Exception], tuple[str, bool]]) -> T:
    """``call()``, tried again after each pause of :data:`PAUSES` while it fails with an
    exception ``classify`` calls transient (it returns ``(reason, transient)``; it re-raises
    what it does not know). Raises :class:`Failed` once the tries are spent."""
    tries = 0
    while True:
        tries += 1
        try:
            return call()
        except Exception as exc:
            reason, transient = classify(exc)
            if not transient or tries > len(PAUSES):
                raise Failed(reason, tries) from exc
            sleep(PAUSES[tries - 1])


class BatchFailed(Exception):
    """Part of a batch failed for good: the paths that did get through, and a line naming
    each object that did not (with why, and after how many tries)."""

    def __init__(self, done: list[str], failures: list[str]) -> None:
        super().__init__(failures)
        self.done = done
        self.failures = failures
