"""Safe and cheap from cron: atomic publishing, the lock, byte-stable and incremental builds."""

from __future__ import annotations

import copy
import fcntl
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from support.sites import BASE_CONFIG, ROOT, Site

import feedpub.inputs.articles
import feedpub.validator.own
import feedpub.writers.markup
from feedpub.cli import main


def many(site: Site, count: int, title: str = "Story") -> None:
    for number in range(count):
        country = ("sri-lanka", "india", "france")[number % 3]
        site.article(
            f"{country}/story-{number:04d}",
            title=f"{title} {number}",
            date=f"2022-{1 + number % 12:02d}-{1 + number % 28:02d} {number % 24:02d}:00",
            countries=[country],
            body=f"Paragraph about {title} {number} with [a link](more/).\n\n" * 5,
        )


def cli(site: Site, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["build", "--config", str(site.config), *args])
    return result.exit_code, result.stdout, result.stderr


def test_second_build_rewrites_nothing(site: Site) -> None:
    many(site, 20)
    site.build()
    before = site.snapshot()
    report = site.build()
    assert site.snapshot() == before  # bytes, inodes and mtimes
    assert not any(feed.changed for feed in report.feeds)


def test_deleting_the_cache_changes_nothing_but_speed(site: Site) -> None:
    many(site, 20)
    site.build()
    before = site.snapshot()
    shutil.rmtree(site.root / ".feedpub")
    report = site.build()
    assert site.snapshot() == before
    assert not any(feed.changed for feed in report.feeds)


def test_noop_build_reads_no_yaml_and_renders_no_markdown(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    many(site, 20)
    site.build()

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("a no-op build must not parse or render")

    monkeypatch.setattr(feedpub.inputs.articles, "parse_source", forbidden)
    monkeypatch.setattr(feedpub.writers.markup, "render", forbidden)
    monkeypatch.setattr("feedpub.pipeline.scan.parse_source", forbidden)
    site.build()


def test_one_new_article_renders_one_and_rewrites_only_its_feeds(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    many(site, 30)
    site.build()
    before = site.snapshot()
    rendered: list[str] = []
    original = feedpub.writers.markup.render
    monkeypatch.setattr(
        feedpub.writers.markup,
        "render",
        lambda body, *a: rendered.append(body) or original(body, *a),
    )
    site.article("sri-lanka/new", title="New", date="2023-01-01", countries=["sri-lanka"])
    report = site.build()
    assert len(rendered) == 1
    changed = sorted(feed.path for feed in report.feeds if feed.changed)
    assert changed == sorted(
        f"{folder}{name}"
        for folder in ("", "asia/", "asia/sri-lanka/")
        for name in ("rss.xml", "atom.xml", "feed.json", "index.html")
    )
    after = site.snapshot()
    for path in (
        "europe/france/rss.xml",
        "asia/india/atom.xml",
        "europe/feed.json",
        "asia/india/index.html",
        "feeds.opml",
    ):
        assert after[path] == before[path]


def test_editing_one_article_changes_only_that_item(site: Site) -> None:
    many(site, 10)
    site.build()
    old = (site.out / "asia/india/rss.xml").read_text()
    path = site.root / "content/india/story-0001.md"
    path.write_text(path.read_text().replace("Paragraph about", "Paragraph on"))
    site.build()
    new = (site.out / "asia/india/rss.xml").read_text()
    changed = [(a, b) for a, b in zip(old.splitlines(), new.splitlines(), strict=True) if a != b]
    assert changed and all("Paragraph" in a and "Paragraph" in b for a, b in changed)


def test_an_error_leaves_the_output_untouched(site: Site) -> None:
    many(site, 10)
    site.build()
    before = site.snapshot()
    site.raw("india/broken.md", "---\ntitle: [unclosed\n---\n")
    code, out, err = cli(site)
    assert code == 3
    assert out == ""
    assert err.splitlines()[-1] == "feedpub: 1 problem found; nothing was published"
    assert err.startswith(f"{site.root}/content/india/broken.md:2: invalid YAML")
    assert site.snapshot() == before
    assert not list(site.root.glob(".public.feedpub-staging*"))


def test_quiet_prints_nothing_and_a_normal_build_lists_every_feed(site: Site) -> None:
    many(site, 4)
    assert cli(site, "--quiet") == (0, "", "")
    code, out, err = cli(site)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"unchanged {site.out}/rss.xml (4 items)"
    assert f"unchanged {site.out}/asia/india/feed.json (1 item)" in lines
    assert f"unchanged {site.out}/asia/india/index.html (1 item)" in lines
    assert lines[-1] == ("4 of 4 articles published; 18 feeds and 9 pages, 0 written, 27 unchanged")


def test_lock_busy_exits_at_once_with_its_own_code(site: Site) -> None:
    many(site, 3)
    state = site.root / ".feedpub"
    state.mkdir()
    with open(state / "lock", "w") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        code, out, err = cli(site)
    assert code == 4
    assert err == (
        f"feedpub: error: another feedpub build is running (lock {state}/lock); "
        "this run did nothing. Use --wait to wait for it.\n"
    )
    assert not site.out.exists()


def test_wait_waits_for_the_running_build(site: Site) -> None:
    many(site, 3)
    state = site.root / ".feedpub"
    state.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            f"f = open({str(state / 'lock')!r}, 'w'); fcntl.flock(f, fcntl.LOCK_EX)\n"
            "print('locked', flush=True); time.sleep(1.5)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    code, _, _ = cli(site, "--wait", "--quiet")
    assert holder.poll() is not None  # we only got the lock once the holder was gone
    assert code == 0 and (site.out / "rss.xml").exists()


def test_two_concurrent_builds(site: Site) -> None:
    many(site, 200)
    command = [sys.executable, "-m", "feedpub", "build", "--config", str(site.config), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    results = sorted([(first.wait(), first.stderr.read()), (second.wait(), second.stderr.read())])  # type: ignore[union-attr]
    # Either the second found the first holding the lock, or they ran one after the other.
    assert results[0] == (0, "")
    assert results[1][0] in (0, 4)
    if results[1][0] == 4:
        assert "another feedpub build is running" in results[1][1]
    assert_complete_and_valid(site.out)


def test_io_error_has_its_own_exit_code(site: Site) -> None:
    many(site, 2)
    (site.root / "blocked").write_text("a file where a folder should be")
    code, _, err = cli(site, "--out", str(site.root / "blocked/public"))
    assert code == 5
    assert err == (
        f"feedpub: error: cannot publish to {site.root}/blocked/public: Not a directory "
        f"({site.root}/blocked/public)\n"
    )


def test_a_removed_channel_is_reported_and_pruned_on_request(site: Site) -> None:
    many(site, 6)
    site.build()
    config = copy.deepcopy(BASE_CONFIG)
    del config["regions"]["europe"]
    site.write_config(config)
    # Their dates stay: a published article's id may not change with its date.
    site.raw("france/story-0002.md", "---\ntitle: Moved\ndate: 2022-03-03 10:00\n---\nx\n")
    site.raw("france/story-0005.md", "---\ntitle: Moved 5\ndate: 2022-06-06 10:00\n---\nx\n")
    code, _, err = cli(site, "--quiet")
    assert code == 0
    assert err.splitlines() == [
        f"warning: {site.out}/europe/{name}: no longer in feeds.yaml, left in place "
        "(--prune removes it)"
        for name in (
            "atom.xml",
            "feed.json",
            "france/atom.xml",
            "france/feed.json",
            "france/index.html",
            "france/rss.xml",
            "index.html",
            "rss.xml",
        )
    ]
    assert (site.out / "europe/rss.xml").exists()
    code, _, err = cli(site, "--quiet", "--prune")
    assert code == 0 and "removed" in err
    assert not (site.out / "europe/rss.xml").exists()
    assert not (site.out / "europe/france/index.html").exists()
    assert "Europe" not in (site.out / "index.html").read_text()


def assert_complete_and_valid(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` is a whole, parseable document; nothing temporary is there."""
    found = {}
    for path in sorted(out.rglob("*")):
        if path.is_dir():
            continue
        data = path.read_bytes()
        relative = path.relative_to(out).as_posix()
        assert not path.name.startswith("."), relative
        if path.suffix == ".json":
            json.loads(data)
        elif path.suffix == ".xml":
            parsed = feedparser.parse(data)
            assert parsed.bozo == 0, (relative, parsed.get("bozo_exception"))
        found[relative] = data
    return found


def test_sigkill_at_any_moment_leaves_old_or_new_complete_files(site: Site, tmp_path: Path) -> None:
    """Kill builds at random moments: each published file is the old or the new one, whole."""
    many(site, 400, title="Old")
    site.build()
    old = assert_complete_and_valid(site.out)
    shutil.rmtree(site.root / "content")
    many(site, 400, title="New")
    reference = Site(tmp_path / "reference")
    shutil.copytree(site.root, reference.root, ignore=shutil.ignore_patterns("public", ".feedpub"))
    reference.build()
    new = assert_complete_and_valid(reference.out)
    assert old.keys() == new.keys() and old != new
    command = [sys.executable, "-m", "feedpub", "build", "--config", str(site.config), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    subprocess.run(command, env=env, check=True, capture_output=True)
    full = time.monotonic() - started
    rng = random.Random(20221124)
    for _ in range(6):
        # Back to the old output and state, then a build killed part-way.
        shutil.rmtree(site.out)
        _write_all(site.out, old)
        shutil.rmtree(site.root / ".feedpub", ignore_errors=True)
        run = subprocess.Popen(command, env=env)
        time.sleep(rng.uniform(0, full))
        run.send_signal(signal.SIGKILL)
        run.wait()
        published = assert_complete_and_valid(site.out)
        assert published.keys() == new.keys()
        for path, data in published.items():
            assert data in (old[path], new[path]), path
    # The next run is not blocked by the killed one and finishes the job.
    subprocess.run(command, env=env, check=True, capture_output=True)
    assert assert_complete_and_valid(site.out) == new


def _write_all(out: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_a_document_failing_validation_publishes_nothing(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    many(site, 4)
    site.build()
    before = site.snapshot()
    site.article("india/new", title="New", date="2023-01-01", countries=["india"])
    import feedpub.validator

    real = feedpub.validator.check_document

    def failing(data: bytes, **kwargs: object) -> feedpub.validator.Checked:
        found = real(data, **kwargs)  # type: ignore[arg-type]
        if b"asia/india/atom.xml" in data:
            found.messages.append(
                feedpub.validator.Message("error", "Planted", "planted failure", 3, 4)
            )
        return found

    monkeypatch.setattr(feedpub.validator.own, "check_document", failing)
    code, out, err = cli(site)
    assert code == 1 and out == ""
    assert err == (
        "feedpub: error: feedpub generated documents that fail validation; nothing was "
        "published.\nfeeds.yaml and content passed their checks, so this is a bug in feedpub "
        "or a check it lacks: please report it with these lines, the input that caused them "
        "and `feedpub --version`:\nasia/india/atom.xml:3:4: error Planted: planted failure\n"
    )
    assert site.snapshot() == before
    assert not list(site.root.glob(".public.feedpub-staging*"))


def test_build_prints_a_finding_as_validate_does(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finding with no position: ``path: error CODE: text``, as ``feedpub validate`` says it
    (not ``path:0:0:``)."""
    site.article("india/new", title="New", date="2023-01-01", countries=["india"])
    import feedpub.validator
    from feedpub.validator import Message, format_text

    real = feedpub.validator.check_document
    planted = Message("error", "Planted", "planted failure", None, None)

    def failing(data: bytes, **kwargs: object) -> feedpub.validator.Checked:
        found = real(data, **kwargs)  # type: ignore[arg-type]
        if b"asia/india/atom.xml" in data:
            found.messages.append(planted)
        return found

    monkeypatch.setattr(feedpub.validator.own, "check_document", failing)
    code, _, err = cli(site)
    assert code == 1
    assert err.endswith("\nasia/india/atom.xml: error Planted: planted failure\n")
    assert format_text("asia/india/atom.xml", [planted]) + "\n" == err.rsplit("\n", 2)[-2] + "\n"


def test_an_image_replaced_in_place_is_republished_with_its_new_length(site: Site) -> None:
    image = site.root / "content/india/photo.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"1" * 100)
    site.article(
        "india/pic",
        title="Pic",
        date="2022-03-01",
        countries=["india"],
        image="photo.png",
        image_alt="A photo",
    )
    site.build()
    assert site.feed("asia/india/rss.xml").entries[0].enclosures[0]["length"] == "108"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"2" * 300)
    report = site.build()
    assert site.feed("asia/india/rss.xml").entries[0].enclosures[0]["length"] == "308"
    assert (site.out / "_media/india/photo.png").read_bytes() == image.read_bytes()
    assert "asia/india/rss.xml" in {feed.path for feed in report.feeds if feed.changed}
    before = site.snapshot()
    site.build()
    assert site.snapshot() == before


def test_progress_shows_on_a_terminal_after_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    from feedpub import cli

    clock = [100.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(cli.sys.stderr, "isatty", lambda: True)
    shown: list[str] = []
    monkeypatch.setattr(cli.click, "echo", lambda text, **kwargs: shown.append(text))
    progress = cli._Progress()
    progress("reading", 10, 100)
    assert shown == []  # a quick build shows nothing
    clock[0] += 1.5
    progress("reading", 50, 100)
    assert shown == ["\rreading    [###############...............] 50/100 "]
    progress.clear()
    assert shown[-1] == "\r" + " " * 70 + "\r"
    assert not cli._Progress(quiet=True).enabled


def test_damaged_state_files_only_cost_time(site: Site) -> None:
    many(site, 12)
    site.build()
    before = site.snapshot()
    state = site.root / ".feedpub"
    damaged = sorted(p.name for p in state.iterdir() if p.name != "lock")
    assert {name.split("-")[0] for name in damaged} == {"state"}  # the database and listings
    for path in state.iterdir():
        if path.name != "lock":
            path.write_bytes(b"\x00garbage" * 10)
    report = site.build()
    assert site.snapshot() == before
    assert not any(feed.changed for feed in report.feeds)
    site.article("india/new", title="New", date="2023-01-01", countries=["india"])
    site.build()  # and the state works again afterwards
    assert site.feed("asia/india/rss.xml").entries[0].title == "New"
