"""The timed scenarios: feedpub's cold, no-op, new-article and edited-article builds, Hugo's build.

Every change a scenario makes to the corpus is undone afterwards (and followed by an untimed
rebuild), so the next scenario and the next run of the bench start from the same state.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from make_corpus import body
from measure import Measurement, run_measured

REPO = Path(__file__).resolve().parent.parent
NEW_ARTICLE = Path("content/region-1/country-1-01/zz-bench-new-article.md")
EDIT_BACKUP = Path("bench-edit-backup.md")  # beside content/, so no build ever reads it
REPEATS = 3


@dataclass
class Result:
    """All measured runs of one scenario and how many output files each run touched."""

    scenario: str
    runs: list[Measurement] = field(default_factory=list)
    touched: list[int] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def peak_mib(self) -> float:
        return max(run.peak_mib for run in self.runs)


def log(message: str) -> None:
    """Progress goes to stderr, so stdout carries only the table."""
    print(message, file=sys.stderr, flush=True)


Snapshot = dict[Path, tuple[int, int, int]]


def outputs(folder: Path) -> Snapshot:
    """Every file under ``folder`` with its (inode, size, mtime), to spot rewritten files."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            found[path] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return found


def touched(before: Snapshot, after: Snapshot) -> int:
    """Files created, rewritten or removed between two ``outputs`` snapshots."""
    changed = sum(before.get(path) != stat for path, stat in after.items())
    return changed + len(before.keys() - after.keys())


def bump_mtime(path: Path, previous_ns: int) -> None:
    """Move the file's mtime past ``previous_ns``, even on file systems with coarse clocks."""
    stamp = max(time.time_ns(), previous_ns + 1_000_000_000)
    os.utime(path, ns=(stamp, stamp))


def feedpub_env() -> dict[str, str]:
    """This environment with the work tree first on PYTHONPATH, so the bench runs its feedpub."""
    paths = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


class FeedpubSite:
    """A generated corpus and the ``feedpub build`` that publishes it to ``public/``."""

    def __init__(self, root: Path, archives: bool = True) -> None:
        self.root = root
        self.state = root / ".feedpub"
        self.config = root / "feeds.yaml"
        self.public = root / "public"
        self.label = ""  # what the scenario names add: archived feeds are on by default
        if not archives:
            self.config = root / "feeds-no-archives.yaml"
            self.public = root / "public-no-archives"
            self.label = " (archives off)"
            text = (root / "feeds.yaml").read_text(encoding="utf-8")
            self.config.write_text(text.replace("site:\n", "site:\n  archives: false\n", 1))

    def command(self) -> list[str | Path]:
        # The same interpreter as the bench, importing feedpub from this work tree.
        build = [sys.executable, "-m", "feedpub", "build"]
        return [*build, "--config", self.config, "--out", self.public, "--quiet"]

    def build(self, result: Result | None = None) -> Measurement:
        """Run one build; when ``result`` is given, record it there with the files it touched."""
        before = outputs(self.public) if self.public.exists() else {}
        measurement = run_measured(self.command(), env=feedpub_env(), cwd=self.root)
        if result is not None:
            result.runs.append(measurement)
            result.touched.append(touched(before, outputs(self.public)))
        return measurement

    def undo_interrupted_changes(self) -> None:
        """Put back what a bench stopped mid-scenario may have left changed."""
        (self.root / NEW_ARTICLE).unlink(missing_ok=True)
        backup = self.root / EDIT_BACKUP
        if backup.exists():
            target_name, _, text = backup.read_text(encoding="utf-8").partition("\n")
            (self.root / target_name).write_text(text, encoding="utf-8", newline="\n")
            backup.unlink()

    def middle_article(self) -> Path:
        """The article from the middle of the date range (make_corpus numbers them by date)."""
        count = sum(1 for _ in (self.root / "content").glob("*/*/a*.md"))
        return next((self.root / "content").glob(f"*/*/a{count // 2:06d}-*.md"))

    @contextmanager
    def new_article(self) -> Iterator[None]:
        """One article newer than all others, in one country; removed again on exit."""
        path = self.root / NEW_ARTICLE
        front = (
            '---\ntitle: "Bench Breaking News"\ndate: 2025-01-01 09:00:00\n'
            "countries: [country-1-01]\ntags: [economy]\nauthor: Bench Desk\n---\n"
        )
        path.write_text(front + body(random.Random(0)), encoding="utf-8", newline="\n")
        try:
            yield
        finally:
            path.unlink()

    @contextmanager
    def edited_article(self) -> Iterator[None]:
        """A mid-range article with one body word upper-cased and a later mtime; undone on exit."""
        path = self.middle_article()
        original = path.read_text(encoding="utf-8")
        previous_ns = path.stat().st_mtime_ns
        relative = path.relative_to(self.root).as_posix()
        (self.root / EDIT_BACKUP).write_text(f"{relative}\n{original}", encoding="utf-8")
        front, _, text = original.partition("\n---\n")
        word = next(w for w in text.split() if w.isalpha() and w.islower())
        edited = f"{front}\n---\n" + text.replace(word, word.upper(), 1)
        path.write_text(edited, encoding="utf-8", newline="\n")
        bump_mtime(path, previous_ns)
        try:
            yield
        finally:
            edited_ns = path.stat().st_mtime_ns
            path.write_text(original, encoding="utf-8", newline="\n")
            bump_mtime(path, edited_ns)
            (self.root / EDIT_BACKUP).unlink()


def bench_feedpub(site: FeedpubSite, cold_runs: int) -> Iterator[Result]:
    """Time the four feedpub scenarios on ``site``, yielding each as it completes.

    Leaves the site built and its corpus as generated.
    """
    site.undo_interrupted_changes()
    cold = Result(f"feedpub cold build{site.label}")
    for run in range(cold_runs):
        shutil.rmtree(site.public, ignore_errors=True)
        shutil.rmtree(site.state, ignore_errors=True)
        run_time = site.build(cold)
        log(
            f"  {cold.scenario} {run + 1}/{cold_runs}: {run_time.seconds:.2f} s, "
            f"{run_time.cpu_seconds:.2f} CPU s"
        )
    yield cold
    noop = Result(f"feedpub no-op rebuild{site.label}")
    for _ in range(REPEATS):
        site.build(noop)
    log(f"  {noop.scenario}: {noop.seconds:.2f} s, {noop.cpu_seconds:.2f} CPU s")
    yield noop
    changes = [
        (f"feedpub +1 new article{site.label}", site.new_article),
        (f"feedpub 1 edited article{site.label}", site.edited_article),
    ]
    for scenario, change in changes:
        result = Result(scenario)
        for _ in range(REPEATS):
            with change():
                site.build(result)
            site.build()  # untimed: publish the restored corpus again
        log(f"  {scenario}: {result.seconds:.2f} s, {result.cpu_seconds:.2f} CPU s")
        yield result


def bench_hugo(site: Path, cold_runs: int, label: str = "hugo cold build") -> Result:
    """Time full ``hugo`` builds of ``site`` (Hugo has no incremental command-line build)."""
    result = Result(label)
    out = site / "public"
    for run in range(cold_runs):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / "resources", ignore_errors=True)
        result.runs.append(run_measured(["hugo", "--quiet", "-s", site, "-d", out]))
        last = result.runs[-1]
        log(
            f"  {result.scenario} {run + 1}/{cold_runs}: {last.seconds:.2f} s, "
            f"{last.cpu_seconds:.2f} CPU s"
        )
    return result
