"""Benchmark ``feedpub build`` on generated corpora, side by side with Hugo when it is installed.

``python bench/run.py [--sizes 1000,10000,50000] [--workdir /tmp/feedpub-bench] [--no-hugo]
[--write]`` prints a Markdown table (N, scenario, median seconds, peak MiB, ratio to Hugo's
build) on stdout and progress on stderr. See bench/README.md for what each scenario means.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from hugo_site import write_hugo_site
from make_corpus import VERSION, write_corpus
from measure import CommandFailed
from scenarios import FeedpubSite, Result, bench_feedpub, bench_hugo, log

BENCH = Path(__file__).resolve().parent


@dataclass
class SizeResults:
    """Everything measured on the corpus of one size, and the build that failed, if one did."""

    size: int
    hugo: Result | None = None  # RSS, Atom and JSON Feed, as feedpub writes
    hugo_rss: Result | None = None  # RSS only, as the Hugo figures
    feedpub: list[Result] = field(default_factory=list)
    failure: str | None = None


def corpus(workdir: Path, size: int, seed: int) -> Path:
    """The corpus for ``size`` and ``seed``, generated on first use and kept for later runs."""
    dest = workdir / f"corpus-n{size}-s{seed}-v{VERSION}"
    if not dest.exists():
        partial = dest.with_name(dest.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        log(f"N={size}: generating corpus in {dest}")
        write_corpus(size, partial, seed)
        partial.rename(dest)  # a folder that exists is complete
    return dest


def cold_runs(size: int) -> int:
    """Cold builds to take the median of: two, or one at 100,000 articles and up."""
    return 1 if size >= 100_000 else 2


def bench_size(workdir: Path, size: int, seed: int, hugo: bool) -> SizeResults:
    """The Hugo build, if asked, and the feedpub scenarios for one corpus size.

    A failed build ends the measurements for this size; what was measured before it is kept.
    """
    root = corpus(workdir, size, seed)
    measured = SizeResults(size)
    try:
        if hugo:
            site = workdir / f"hugo-n{size}-s{seed}"
            write_hugo_site(site, root / "content")
            log(f"N={size}: hugo")
            measured.hugo = bench_hugo(site, cold_runs(size), "hugo cold build, 3 formats")
            rss_site = workdir / f"hugo-rss-n{size}-s{seed}"
            write_hugo_site(rss_site, root / "content", ("RSS",))
            log(f"N={size}: hugo, RSS only")
            measured.hugo_rss = bench_hugo(rss_site, cold_runs(size), "hugo cold build, RSS only")
        for archives in (True, False):
            log(f"N={size}: feedpub, archives {'on' if archives else 'off'}")
            for result in bench_feedpub(FeedpubSite(root, archives), cold_runs(size)):
                measured.feedpub.append(result)
    except CommandFailed as exc:
        log(f"N={size}: build failed: {exc}")
        measured.failure = exc.summary()
    return measured


def ratio(result: Result, hugo: Result | None, hugos: list[Result]) -> str:
    """feedpub's median time over Hugo's, or "-" for Hugo's rows and when Hugo was not run."""
    if hugo is None or result in hugos:
        return "-"
    return f"{result.seconds / hugo.seconds:.2f}x"


def table(measured: list[SizeResults]) -> str:
    """The Markdown results table; the ratios are feedpub's median wall time over Hugo's full
    build writing RSS only (the issue's reference) and writing the same three formats as
    feedpub."""
    lines = [
        "| N | scenario | seconds (median) | CPU s (median) | peak MiB | vs Hugo RSS only "
        "| vs Hugo 3 formats |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in measured:
        hugos = [r for r in (row.hugo_rss, row.hugo) if r is not None]
        for result in hugos + row.feedpub:
            lines.append(
                f"| {row.size:,} | {result.scenario} | {result.seconds:.2f} | "
                f"{result.cpu_seconds:.2f} | {result.peak_mib:.0f} | "
                f"{ratio(result, row.hugo_rss, hugos)} | {ratio(result, row.hugo, hugos)} |"
            )
    return "\n".join(lines)


def notes(measured: list[SizeResults]) -> str:
    """How many output files each feedpub run created, rewrote or removed; which build failed."""
    lines = ["Output files touched per run (created, rewritten or removed):", ""]
    for row in measured:
        for result in row.feedpub:
            counts = ", ".join(str(count) for count in result.touched)
            lines.append(f"- N={row.size:,} {result.scenario}: {counts}")
        if row.failure:
            lines.append(f"- N={row.size:,} FAILED, the rest not measured: {row.failure}")
    return "\n".join(lines)


def environment(hugo: bool) -> str:
    """One line naming the interpreter, Hugo and the machine, to read the numbers against."""
    parts = [f"Python {platform.python_version()}", f"{platform.machine()}"]
    if hugo:
        version = subprocess.run(["hugo", "version"], capture_output=True, text=True, check=False)
        parts.append(version.stdout.split("+")[0].split()[-1] if version.stdout else "hugo ?")
    return "Measured with " + ", ".join(parts) + "."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated Ns")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/feedpub-bench"))
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument("--write", action="store_true", help="also write bench/results-<Ns>.md")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    hugo = not args.no_hugo and shutil.which("hugo") is not None
    if not args.no_hugo and not hugo:
        log("hugo is not on PATH: measuring feedpub alone")
    args.workdir.mkdir(parents=True, exist_ok=True)
    measured = []
    for size in sizes:
        measured.append(bench_size(args.workdir, size, args.seed, hugo))
        if measured[-1].failure:
            break  # a larger corpus would fail the same way, only later
    report = f"{table(measured)}\n\n{notes(measured)}\n\n{environment(hugo)}\n"
    print(report)
    if args.write:
        path = BENCH / f"results-{'-'.join(str(size) for size in sizes)}.md"
        path.write_text(report, encoding="utf-8")
        log(f"wrote {path}")
    return 1 if measured[-1].failure else 0


if __name__ == "__main__":
    sys.exit(main())
