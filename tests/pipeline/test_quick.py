"""The quiet no-op (feedpub.quick, issue 22): after a clean build, ``feedpub build --quiet``
answers from the stamp only while nothing the full build reads or checks has changed; any
change, and the full build runs and decides."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support.sites import ROOT, Site

from feedpub.layout import SitePaths
from feedpub.pipeline.build import BuildOptions, build
from feedpub.quick import answered, check

Change = Callable[[Site], object]


def quiet(site: Site, *more: str) -> list[str]:
    return ["build", "--quiet", "--config", str(site.config), *more]


def real_build(site: Site) -> None:
    """A build on the real clock, as from cron (a test clock leaves no stamp)."""
    build(BuildOptions(site.config))


def content(site: Site, name: str) -> Path:
    return site.root / "content" / name


def touch(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


CHANGES: dict[str, Change] = {
    "an article edited": lambda s: content(s, "india/floods.md").write_text(
        content(s, "india/floods.md").read_text() + "More.\n"
    ),
    "an article touched": lambda s: touch(content(s, "india/floods.md")),
    "an article added": lambda s: s.article(
        "france/greve", title="Grève", date="2024-05-29 10:00", countries=["france"]
    ),
    "an article removed": lambda s: content(s, "india/floods.md").unlink(),
    "feeds.yaml edited": lambda s: s.config.write_text(s.config.read_text() + "# note\n"),
    "a feed deleted": lambda s: (s.out / "asia/india/rss.xml").unlink(),
    "a feed rewritten": lambda s: (s.out / "atom.xml").write_bytes(
        (s.out / "atom.xml").read_bytes()
    ),
    "a file added beside the feeds": lambda s: (s.out / "asia/notes.txt").write_text("x"),
    "a foreign feed": lambda s: write(s.out / "asia/nepal/rss.xml", "<rss/>"),
    "a folder added to the output": lambda s: (s.out / "asia/extra").mkdir(),
    "the state deleted": lambda s: next((s.root / ".feedpub").glob("state-*.sqlite")).unlink(),
    "the stamp damaged": lambda s: next((s.root / ".feedpub").glob("noop-*.stamp")).write_text("{"),
    "pings left to retry": lambda s: SitePaths.of(s.config).state_files.websub_queue.write_text(
        "[]"
    ),
}


# After these the full build has something to say (a foreign feed), or something to retry
# (pings, here for hubs feeds.yaml no longer names): it leaves no stamp.
NOT_STAMPED_AGAIN = {"a foreign feed", "pings left to retry"}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def stamped(site: Site) -> Site:
    site.article("india/floods", title="Floods", date="2024-05-30 09:00", countries=["india"])
    site.article("india/vote", title="Vote", date="2024-05-31 09:00", countries=["india"])
    real_build(site)
    assert answered(quiet(site))
    return site


@pytest.mark.parametrize("name", CHANGES)
def test_any_change_goes_to_the_full_build(stamped: Site, name: str) -> None:
    CHANGES[name](stamped)
    assert not answered(quiet(stamped))
    real_build(stamped)
    assert answered(quiet(stamped)) == (name not in NOT_STAMPED_AGAIN)


def test_a_changed_local_image_goes_to_the_full_build(sample: Site) -> None:
    real_build(sample)
    assert answered(quiet(sample))
    image = next((sample.root / "content").rglob("*.png"))
    touch(image)
    assert not answered(quiet(sample))
    real_build(sample)
    assert answered(quiet(sample))


def test_a_running_build_goes_to_the_full_build(stamped: Site) -> None:
    descriptor = os.open(stamped.root / ".feedpub/lock", os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert not answered(quiet(stamped))  # the full build says it is busy, or waits
    finally:
        os.close(descriptor)
    assert answered(quiet(stamped))


def test_an_embargo_coming_due_goes_to_the_full_build(site: Site) -> None:
    site.article("india/floods", title="Floods", date="2024-05-30 09:00", countries=["india"])
    due = time.time() + 1.5
    site.article(
        "india/later",
        title="Later",
        date=time.strftime("%Y-%m-%d %H:%M:%S+00:00", time.gmtime(due + 1)),
        countries=["india"],
    )
    real_build(site)
    assert answered(quiet(site))
    time.sleep(max(0.0, due + 1.2 - time.time()))
    assert not answered(quiet(site))
    real_build(site)
    assert "Later" in (site.out / "rss.xml").read_text()


def test_a_build_with_a_warning_leaves_no_stamp(stamped: Site, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: x\n---\n")
    (stamped.root / "content/link.md").symlink_to(outside)
    real_build(stamped)
    assert not answered(quiet(stamped))


def test_a_build_on_a_test_clock_leaves_no_stamp(site: Site) -> None:
    site.article("india/floods", title="Floods", date="2024-05-30 09:00", countries=["india"])
    site.build()
    assert not answered(quiet(site))


@pytest.mark.parametrize(
    "argv",
    [
        ["build"],
        ["build", "--prune", "--quiet"],
        ["build", "-q", "--verbose"],
        ["build", "--quiet", "--config"],
        ["build", "--quiet", "--out="],
        ["build", "--quiet", "--config", "a.yaml", "--config", "b.yaml"],
        ["build", "--quiet", "--", "x"],
        ["check", "--quiet"],
        [],
    ],
)
def test_other_command_lines_go_to_the_cli(
    stamped: Site, argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(stamped.root)
    build(BuildOptions(Path("feeds.yaml")))  # so ["build", "-q"] would be answered
    assert not answered(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["build", "-q"],
        ["build", "--wait", "--quiet", "--config=feeds.yaml"],
        ["build", "--config", "feeds.yaml", "--out", "public", "--content", "content", "-q"],
    ],
)
def test_the_quiet_build_spellings(
    stamped: Site, argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(stamped.root)
    build(BuildOptions(Path("feeds.yaml")))  # the content files' names are as the paths given
    assert answered(argv)


def test_the_command_answers_without_importing_the_build(stamped: Site) -> None:
    """End to end, as cron runs it: nothing printed, exit 0, the CLI never imported; after
    an edit the same command publishes it."""

    def run() -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-X", "importtime", "-m", "feedpub", *quiet(stamped)]
        return subprocess.run(command, capture_output=True, text=True, env=env, check=False)

    first = run()
    assert (first.returncode, first.stdout) == (0, "")
    assert "feedpub.cli" not in first.stderr and "feedpub.quick" in first.stderr
    stamped.article("india/vote", title="Recount", date="2024-05-31 09:00", countries=["india"])
    second = run()
    assert (second.returncode, second.stdout) == (0, "")
    assert "feedpub.cli" in second.stderr
    assert "Recount" in (stamped.out / "asia/india/rss.xml").read_text()


def test_the_check_hands_its_walk_to_the_build(stamped: Site) -> None:
    stamped.article("france/greve", title="Grève", date="2024-05-29 10:00", countries=["france"])
    checked = check(quiet(stamped))
    assert not checked.answered and checked.walk is not None
    assert any(s.name.endswith("france/greve.md") for s in checked.walk.sources)
    build(BuildOptions(stamped.config, walk=checked.walk))
    assert "Grève" in (stamped.out / "europe/france/rss.xml").read_text()
    assert answered(quiet(stamped))
