"""The one exception hierarchy of feedpub, and the exit code each kind of failure gets.

Messages name the resource: ``file:line: key.path: what was expected, what was found``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

EXIT_OK = 0
EXIT_VALIDATION = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_LOCKED = 4
EXIT_IO = 5


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file, located as precisely as we can."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class FeedpubError(Exception):
    """Base of every error feedpub reports to a user; ``exit_code`` is what the CLI exits with."""

    exit_code = EXIT_IO


class InputError(FeedpubError):
    """feeds.yaml or content files are wrong; carries every problem found in the run."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or ""))
        super().__init__("\n".join(str(p) for p in self.problems))


class ValidationFailed(FeedpubError):
    """A document feedpub was about to publish failed the validator; nothing was published."""

    exit_code = EXIT_VALIDATION


class LockBusy(FeedpubError):
    """Another build holds the lock."""

    exit_code = EXIT_LOCKED


class PublishError(FeedpubError):
    """Reading or writing files failed (disk full, permissions, ...)."""

    exit_code = EXIT_IO


def describe_os_error(exc: OSError) -> str:
    """``path: what went wrong`` for an OSError, printable whatever bytes the path holds."""
    what = exc.strerror or str(exc)
    if exc.filename is None:
        return what
    name = os.fsdecode(exc.filename) if isinstance(exc.filename, bytes) else str(exc.filename)
    shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return f"{shown}: {what}"


class UsageError(FeedpubError):
    """A command was given options that cannot work (the CLI shows its usage line too)."""

    exit_code = EXIT_USAGE
