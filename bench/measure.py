"""Run one command as a child process and measure its wall time, CPU time and peak memory.

CPU time (user + system, from the same ``os.wait4``) is the steadier number on a shared machine:
wall time also counts the time other processes hold the cores.

Peak memory is the child's ``ru_maxrss`` from ``os.wait4``: the largest resident set of the
child or of any of its own children that it waited for. It is a maximum, not a sum, so a build
that fans out to worker processes reports its biggest process, not the total.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class CommandFailed(Exception):
    """A measured command exited non-zero; the message carries the end of its stderr."""

    def __init__(self, command: str, exit_code: int, stderr_tail: list[str]) -> None:
        lines = "\n".join(f"    {line}" for line in stderr_tail)
        super().__init__(f"{command}: exit {exit_code}\n{lines}")
        self.exit_code = exit_code
        self.stderr_tail = stderr_tail

    def summary(self) -> str:
        """The exit code and the last line of stderr, for a one-line report."""
        last = self.stderr_tail[-1] if self.stderr_tail else "(no output on stderr)"
        return f"exit {self.exit_code}: {last}"


@dataclass(frozen=True)
class Measurement:
    """Wall-clock seconds, CPU seconds (user + system) and peak resident memory of one finished
    command; CPU time includes the children it waited for (forked workers)."""

    seconds: float
    peak_mib: float
    cpu_seconds: float


def run_measured(
    command: Sequence[str | Path],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Measurement:
    """Run ``command`` to completion; raise ``CommandFailed`` if it exits non-zero."""
    # Files, not pipes: we reap the child with wait4 ourselves, so nobody drains a pipe.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-15:]
            shown = " ".join(str(part) for part in command)
            raise CommandFailed(shown, child.returncode, tail)
    cpu = usage.ru_utime + usage.ru_stime
    return Measurement(seconds, usage.ru_maxrss / 1024, cpu)  # Linux reports KiB
