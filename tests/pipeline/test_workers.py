"""Forked workers never outlive the build, nor hold its lock (issue 9: a ``kill -9`` of the
build left its workers orphaned holding the lock, and every later build exited 4)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.sites import Site

from feedpub.pipeline.parallel import keep_from_workers, map_items, workers

# A build whose parse stage runs in workers, each file slow enough to be caught mid-build.
SLOW_BUILD = """
import sys, time
import feedpub.pipeline.scan as scan
original = scan.parse_entry
def slow(*args):
    time.sleep(0.5)
    return original(*args)
scan.parse_entry = slow
scan.PARALLEL_MIN_FILES = 2
from feedpub.cli import main
main(["build", "--config", sys.argv[1]])
"""

needs_cores = pytest.mark.skipif(workers() < 2, reason="workers need fork and two cores")


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def until(condition: object, seconds: float = 30.0) -> bool:
    """Poll ``condition`` (a callable) until it holds or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def _descriptor_target(descriptor: int, _: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{descriptor}")
    except OSError:
        return "closed"


@needs_cores
def test_workers_do_not_inherit_the_lock(tmp_path: Path) -> None:
    descriptor = os.open(tmp_path / "lock", os.O_RDWR | os.O_CREAT)
    try:
        with keep_from_workers(descriptor):
            results = [
                r for batch in map_items(_descriptor_target, descriptor, range(8), 2) for r in batch
            ]
    finally:
        os.close(descriptor)
    assert results == ["closed"] * 8


@needs_cores
def test_kill_9_of_the_build_leaves_no_worker_and_no_lock(site: Site) -> None:
    for number in range(40):
        site.article(
            f"asia/a{number:02d}", title=f"A {number}", date="2022-03-01", countries=["india"]
        )
    build = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, str(site.config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers_seen: list[int] = []
    try:
        assert until(lambda: len(children_of(build.pid)) >= 2), "no workers started"
        workers_seen = children_of(build.pid)
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert until(lambda: not any(alive(pid) for pid in workers_seen)), "workers survived"
    finally:
        build.kill()
        for pid in workers_seen:  # orphans of a failed run: they must not block other tests
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    again = subprocess.run(
        [sys.executable, "-m", "feedpub", "build", "--quiet", "--config", str(site.config)],
        capture_output=True,
        text=True,
    )
    assert (again.returncode, again.stderr) == (0, "")
