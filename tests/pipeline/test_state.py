"""The state folder decides what is still fresh: it may be shared, damaged or deleted, and a
new renderer or feedpub version rewrites every feed; none of it may publish wrong bytes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support.sites import BASE_CONFIG, NOW, ROOT, Site

import feedpub.writers.markup
from feedpub.formats import FEED_FILENAMES
from feedpub.pipeline.build import BuildOptions, build


def many(site: Site, count: int, country: str = "india") -> None:
    for number in range(count):
        site.article(
            f"{country}/story-{number:04d}",
            title=f"Story {number}",
            date=f"2022-{1 + number % 12:02d}-{1 + number % 28:02d} 10:00",
            countries=[country],
            body=f"Paragraph about story {number}.\n",
        )


def count_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    rendered: list[str] = []
    original = feedpub.writers.markup.render
    monkeypatch.setattr(
        feedpub.writers.markup,
        "render",
        lambda body, *a: rendered.append(body) or original(body, *a),
    )
    return rendered


def test_two_sites_sharing_a_state_folder_keep_each_others_html(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = Site(tmp_path / "other")
    (other.root / "content").mkdir(parents=True)
    other.write_config(BASE_CONFIG)
    shared = tmp_path / "shared-state"
    many(site, 13)
    many(other, 5, "france")
    build(BuildOptions(site.config, state=shared, now=NOW))
    build(BuildOptions(other.config, state=shared, now=NOW))
    site.article("india/new", title="New", date="2023-01-01", countries=["india"])
    rendered = count_renders(monkeypatch)
    build(BuildOptions(site.config, state=shared, now=NOW))
    assert rendered == ["Body text.\n"]  # the new article only, not all 14


def bump_render_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new renderer: different HTML, and the version bumped as markup.py asks."""
    original = feedpub.writers.markup.render

    def new_render(body: str, *args: object) -> object:
        result = original(body, *args)  # type: ignore[arg-type]
        return type(result)(result.html + "<p>new renderer</p>", result.summary)

    monkeypatch.setattr(feedpub.writers.markup, "render", new_render)
    monkeypatch.setattr(feedpub.writers.markup, "RENDER_VERSION", "bumped", raising=False)
    monkeypatch.setattr("feedpub.versions.RENDER_VERSION", "bumped", raising=False)


@pytest.mark.parametrize("other_change", [False, True], ids=["alone", "with-an-edit"])
def test_bumping_the_render_version_rewrites_every_feed(
    site: Site, monkeypatch: pytest.MonkeyPatch, other_change: bool
) -> None:
    many(site, 6)
    site.article("france/paris", title="Paris", date="2022-03-01", countries=["france"])
    site.build()
    bump_render_version(monkeypatch)
    if other_change:  # a build that is no no-op still regenerates unchanged channels
        site.article("france/paris", title="Paris!", date="2022-03-01", countries=["france"])
    report = site.build()
    feeds = [f for f in report.feeds if f.path.endswith(FEED_FILENAMES)]
    assert len(feeds) == 18
    assert [f.path for f in feeds if f.items and not f.changed] == []
    assert b"new renderer" in (site.out / "asia/india/atom.xml").read_bytes()


def rewrite_sqlite_text(path: Path, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in every text value of every table; the rows changed."""
    changed = 0
    db = sqlite3.connect(path)
    try:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for column in [row[1] for row in db.execute(f"PRAGMA table_info({table})")]:
                changed += db.execute(
                    f"UPDATE {table} SET {column} = replace({column}, ?, ?) "
                    f"WHERE typeof({column}) = 'text' AND instr({column}, ?)",
                    (old, new, old),
                ).rowcount
        db.commit()
    finally:
        db.close()
    return changed


def test_a_corrupted_html_store_publishes_the_right_bytes(site: Site) -> None:
    many(site, 8)
    site.build()
    state = site.root / ".feedpub"
    stores = [p for p in state.iterdir() if p.read_bytes()[:15] == b"SQLite format 3"]
    assert sum(rewrite_sqlite_text(p, "Paragraph about", "Tampered about") for p in stores)
    for path in site.out.rglob("*.*"):
        path.unlink()  # every feed is regenerated from the state
    site.build()
    published = b"".join(p.read_bytes() for p in site.out.rglob("*.*"))
    assert b"Paragraph about" in published
    assert b"Tampered" not in published


def test_a_corrupted_record_cache_publishes_the_right_bytes(site: Site) -> None:
    many(site, 8)
    site.build()
    state = site.root / ".feedpub"
    damaged = 0
    for path in state.iterdir():
        data = path.read_bytes()
        if b"Story 3" in data:  # the title inside a stored record, whatever the format
            path.write_bytes(data.replace(b"Story 3", b"Storm 3"))
            damaged += 1
    assert damaged
    for path in site.out.rglob("*.*"):
        path.unlink()
    site.build()
    assert [e.title for e in site.feed("asia/india/rss.xml").entries].count("Story 3") == 1
    assert b"Storm" not in b"".join(p.read_bytes() for p in site.out.rglob("*.*"))


def test_same_size_and_mtime_but_different_bytes_is_rebuilt(site: Site) -> None:
    path = site.article("india/one", title="Alpha", date="2022-01-01", countries=["india"])
    site.build()
    before = path.stat()
    path.write_bytes(path.read_bytes().replace(b"Alpha", b"Omega"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as tar --mtime or Nix do
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    site.build()
    assert site.feed("asia/india/rss.xml").entries[0].title == "Omega"


NOOP_IMPORTS = """
import sys
from datetime import datetime, UTC
from pathlib import Path
from feedpub.pipeline.build import BuildOptions, build
report = build(BuildOptions(Path(sys.argv[1]), now=datetime(2024, 6, 1, 12, tzinfo=UTC)))
assert not any(feed.changed for feed in report.feeds), "not a no-op build"
heavy = ("cmarkgfm", "nh3", "feedpub.writers.markup", "feedpub.validator", "feedgen", "lxml",
         "multiprocessing", "concurrent.futures")
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m in heavy)))
"""


def test_a_noop_build_imports_no_markdown_validator_or_multiprocessing(site: Site) -> None:
    many(site, 3)
    site.build()
    result = subprocess.run(
        [sys.executable, "-c", NOOP_IMPORTS, str(site.config)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.split() == []


def test_the_sources_fingerprint_sees_every_stat_field_even_a_64_bit_inode() -> None:
    from feedpub.inputs.finding import Source, sources_fingerprint
    from feedpub.model import Stat

    def key(*stat: int) -> str:
        return sources_fingerprint([Source("content/a.md", "/x/a.md", Stat(*stat))])

    base = key(1, 2, 3, 4)
    assert len({base, key(9, 2, 3, 4), key(1, 9, 3, 4), key(1, 2, 9, 4), key(1, 2, 3, 9)}) == 5
    assert key(1, 2, 3, 2**64 - 1) != key(1, 2, 3, 2**64 - 2)  # beyond a signed 64-bit integer
    assert key(1, 2, 3, 4) == base


def test_the_state_records_each_published_files_stat_as_it_is_on_disk(site: Site) -> None:
    """Whether the commit read a file's stat again or took the one is_current just checked,
    the state holds what the disk has: else the next build would regenerate it."""
    from feedpub.inputs.finding import stat_of
    from feedpub.pipeline.site import Site as SiteFront
    from feedpub.pipeline.state import State

    many(site, 6)
    site.build()
    touched = site.out / "asia/india/atom.xml"
    touched.write_bytes(touched.read_bytes())  # same bytes, another stat: regenerated, kept
    # A new article: its channels are rewritten, the rest stay current.
    site.article("france/new", title="New", date="2024-05-01 10:00", countries=["france"])
    site.build()
    front = SiteFront.open(site.config)
    state = State(front.paths.state, front.paths.out, front.config.digest, writable=False)
    try:
        recorded = {path: entry.stat for path, entry in state.index.files.items()}
    finally:
        state.close()
    assert recorded and recorded == {path: stat_of(site.out / path) for path in recorded}


def test_the_state_keeps_the_records_and_html_of_the_current_feeds_only(site: Site) -> None:
    config = BASE_CONFIG | {"site": BASE_CONFIG["site"] | {"limit": 5}}
    site.write_config(config)
    many(site, 12)  # one country: the current feeds hold the newest, archive pages the rest

    def stored() -> tuple[set[str], set[str]]:
        database = next((site.root / ".feedpub").glob("state-*.sqlite"))
        db = sqlite3.connect(database)
        try:
            records = {row[0] for row in db.execute("SELECT id FROM records")}
            html = {row[0] for row in db.execute("SELECT article FROM html")}
        finally:
            db.close()
        return records, html

    def window() -> set[str]:
        """The articles of the current feeds and pages, as the build plans them."""
        from feedpub.pipeline.site import Site as SiteFront

        front = SiteFront.open(site.config)
        scan = front.scan(front.find()[0], None, None, NOW)
        return set(front.plan(scan, NOW, {}).window())

    site.build()
    current = {entry.id for entry in site.feed("atom.xml").entries}
    assert stored() == (window(), window()) and current <= window() and len(window()) < 12
    site.article("india/latest", title="Latest", date="2023-06-01 10:00", countries=["india"])
    site.build()
    assert stored() == (window(), window())
