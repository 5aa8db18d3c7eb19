"""The one exception hierarchy of feedpub, and the exit code each kind of failure gets.

Messages name the resource: ``file:line: key.path: what was expected, what was found``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """What feedpub exits with; the one home of the numbers (the README's table is tested
    against :data:`BUILD_EXIT_MEANINGS`)."""

    OK = 0
    VALIDATION = 1
    USAGE = 2
    INPUT = 3
    LOCKED = 4
    IO = 5
    PARTIAL = 6


# What each code means for `feedpub build`: its --help and the README's table say this.
BUILD_EXIT_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success",
    ExitCode.VALIDATION: "a generated document failed validation (nothing was published)",
    ExitCode.USAGE: "usage error",
    ExitCode.INPUT: "an error in feeds.yaml or content (nothing was published; with "
    "`site.on_error: skip`, all but the broken content files were)",
    ExitCode.LOCKED: "another build holds the lock (`--wait` waits instead)",
    ExitCode.IO: "an I/O error (disk full, permissions, ...)",
}

# What each code means for `feedpub deploy` (its --help and the README's deploy table).
DEPLOY_EXIT_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success: the target holds the output folder (or nothing needed uploading)",
    ExitCode.USAGE: "usage error",
    ExitCode.INPUT: "an error in feeds.yaml, or no output folder (nothing was deployed)",
    ExitCode.LOCKED: "a build or deploy of this site holds the lock (`--wait` waits instead)",
    ExitCode.IO: "the target could not be read or written; nothing on it was changed",
    ExitCode.PARTIAL: "a partial deploy: some files were uploaded, in order, and the rest "
    "not; run it again to finish",
}

EXIT_OK = ExitCode.OK
EXIT_VALIDATION = ExitCode.VALIDATION
EXIT_USAGE = ExitCode.USAGE
EXIT_INPUT = ExitCode.INPUT
EXIT_LOCKED = ExitCode.LOCKED
EXIT_IO = ExitCode.IO
EXIT_PARTIAL = ExitCode.PARTIAL


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
    """A document feedpub was about to publish failed the validator; nothing was published.

    Every input the documents are made of was checked first, so this is the safety net: a
    feedpub bug or an input check it lacks, and the message says so (issue 8)."""

    exit_code = EXIT_VALIDATION

    @classmethod
    def own_documents(cls, failures: list[str]) -> ValidationFailed:
        return cls(
            "feedpub generated documents that fail validation; nothing was published.\n"
            "feeds.yaml and content passed their checks, so this is a bug in feedpub or a check "
            "it lacks: please report it with these lines, the input that caused them and "
            "`feedpub --version`:\n" + "\n".join(failures)
        )


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


class DeployError(FeedpubError):
    """A deploy could not read or write its target before it changed anything there."""

    exit_code = EXIT_IO


class PartialDeploy(FeedpubError):
    """A deploy stopped after changing its target: what it uploaded is there, in order (so
    nothing published points at a missing file), the rest is not; a rerun finishes."""

    exit_code = EXIT_PARTIAL
