"""Archived feeds (RFC 5005 section 4): a reader that follows prev-archive from a channel's
current feed gets the channel's whole history, and a new article leaves closed pages alone."""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from support.sites import BASE_CONFIG, NOW, Site

from feedpub.cli import main
from feedpub.commands.validate import ValidateOptions, run_validation
from feedpub.layout import is_archive_page
from feedpub.validator.output import Entry, Expected, FeedView, check_feed

FEEDS = "https://example.org/feeds/"
COUNTRIES = ("sri-lanka", "india", "france")
CHANNELS = {  # channel folder -> the countries whose articles it holds
    "": COUNTRIES,
    "asia/": ("sri-lanka", "india"),
    "asia/sri-lanka/": ("sri-lanka",),
    "asia/india/": ("india",),
    "europe/": ("france",),
    "europe/france/": ("france",),
}
FIRST_DAY = date(2022, 1, 1)
FORMATS = ("rss.xml", "atom.xml", "feed.json")


def configure(site: Site, **settings: Any) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"].update(settings)
    site.write_config(config)


def publish(site: Site, number: int, country: str | None = None) -> tuple[str, str]:
    """Article ``number``, one day after article ``number - 1``; (its country, its id)."""
    country = country or COUNTRIES[number % 3]
    day = FIRST_DAY + timedelta(days=number)
    slug = f"story-{number:03d}"
    site.article(
        f"{country}/{slug}", title=f"Story {number}", date=f"{day} 10:00", countries=[country]
    )
    return country, f"tag:example.org,2022:{day}/{slug}"


def history(count: int) -> dict[str, list[str]]:
    """Each channel folder's article ids, newest first, for articles 0 .. count-1."""
    ids = [
        (COUNTRIES[n % 3], f"tag:example.org,2022:{FIRST_DAY + timedelta(days=n)}/story-{n:03d}")
        for n in range(count)
    ]
    return {
        folder: [i for country, i in reversed(ids) if country in countries]
        for folder, countries in CHANNELS.items()
    }


def path_of(url: str) -> str:
    assert url.startswith(FEEDS), url
    return url[len(FEEDS) :]


def links(parsed: Any) -> dict[str, str]:
    found = {}
    for link in parsed.feed.get("links", []):
        assert link.rel not in found, link.rel
        found[link.rel] = link.href
    return found


def walk(site: Site, path: str) -> list[tuple[str, Any]]:
    """(path, parsed) of a current feed and every archive page prev-archive leads to from it;
    each document must validate with no warning."""
    documents = []
    next_path: str | None = path
    while next_path is not None:
        assert next_path not in [p for p, _ in documents], "prev-archive loops"
        parsed = site.feed(next_path)
        documents.append((next_path, parsed))
        previous = links(parsed).get("prev-archive")
        next_path = path_of(previous) if previous else None
    return documents


def unique_ids(entries: list[Any]) -> list[str]:
    """Ids in order, each the first time it appears (a newer document's copy wins)."""
    return list(dict.fromkeys(entries))


@pytest.fixture
def archived(site: Site) -> Site:
    configure(site, limit=5, archive_page_size=3)
    for number in range(40):
        publish(site, number)
    site.build()
    return site


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
@pytest.mark.parametrize(
    ("limit", "size"),
    [(5, 3), (4, None), (2, 5)],
    ids=["pages of 3", "pages of the limit", "pages longer than the limit"],
)
def test_prev_archive_from_each_current_feed_reaches_the_whole_history(
    site: Site, name: str, limit: int, size: int | None
) -> None:
    configure(site, limit=limit, **({"archive_page_size": size} if size else {}))
    for number in range(40):
        publish(site, number)
    site.build()
    size = size or limit
    for folder, ids in history(40).items():
        documents = walk(site, folder + name)
        pages = -(-(len(ids) - limit) // size)
        assert [p for p, _ in documents] == [folder + name] + [
            f"{folder}archive/{n}/{name}" for n in range(pages, 0, -1)
        ]
        found = [e.id for _, parsed in documents for e in parsed.entries]
        assert unique_ids(found) == ids  # every article once, newest to oldest
        assert len(documents[0][1].entries) == limit
        # counted from the oldest: page n holds articles (n-1)*size+1 .. n*size
        for number, (_, parsed) in enumerate(reversed(documents[1:]), 1):
            assert [e.id for e in parsed.entries] == ids[::-1][(number - 1) * size : number * size][
                ::-1
            ]


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_each_document_links_to_its_neighbours_and_only_pages_say_archive(
    archived: Site, name: str
) -> None:
    for folder in CHANNELS:
        documents = walk(archived, folder + name)
        current, pages = documents[0], documents[1:]
        assert b"<fh:archive/>" not in (archived.out / current[0]).read_bytes()
        assert "current" not in links(current[1]) and "next-archive" not in links(current[1])
        newer = current[0]
        for path, parsed in pages:
            assert (archived.out / path).read_bytes().count(b"<fh:archive/>") == 1
            found = links(parsed)
            assert found["self"] == FEEDS + path
            assert path_of(found["current"]) == current[0]
            if newer == current[0]:
                assert "next-archive" not in found  # the newest page
            else:
                assert path_of(found["next-archive"]) == newer
            newer = path
        assert "prev-archive" not in links(pages[-1][1])


def test_json_feed_pages_the_same_history_through_next_url(archived: Site) -> None:
    for folder, ids in history(40).items():
        path: str | None = folder + "feed.json"
        found, seen = [], []
        while path is not None:
            feed = archived.feed(path)
            assert feed["feed_url"] == FEEDS + path
            seen.append(path)
            found += [item["id"] for item in feed["items"]]
            path = path_of(feed["next_url"]) if "next_url" in feed else None
        assert seen[-1] == f"{folder}archive/1/feed.json"
        assert unique_ids(found) == ids


def test_the_whole_output_validates_with_the_build_checks(archived: Site) -> None:
    results = run_validation(ValidateOptions((), archived.config, NOW))
    assert any("/archive/" in str(file) for file in results)
    assert {str(f): m for f, m in results.items() if m} == {}


def test_build_checks_hold_each_page_to_its_own_size() -> None:
    view = FeedView(FEEDS + "archive/1/rss.xml", [Entry(f"urn:x:{n}", "", None) for n in range(4)])
    expected = Expected(FEEDS, 5, {}, {}, page_size=3)
    messages = check_feed(view, "archive/1/rss.xml", NOW, expected)
    assert [(m.code, m.message) for m in messages] == [
        ("OverLimit", "4 items, over the limit of 3")
    ]
    view.self_url = FEEDS + "rss.xml"
    assert check_feed(view, "rss.xml", NOW, expected) == []


def test_one_new_article_rewrites_only_current_feeds_and_at_most_the_newest_page(
    site: Site,
) -> None:
    """With pages of 3 and a limit of 5, ten articles in a row: most touch no page at all;
    one in three makes a new page and gives the page before it its next-archive link (the
    only time a full page changes)."""
    configure(site, limit=5, archive_page_size=3)
    for number in range(20):
        publish(site, number)
    site.build()
    folders = ("", "asia/", "asia/india/")
    current = {folder + name for folder in folders for name in FORMATS}
    created = untouched = 0
    for number in range(20, 30):
        before = site.snapshot()
        publish(site, number, "india")
        site.build()
        after = site.snapshot()
        assert set(before) <= set(after)
        changed = {path for path in after if before.get(path) != after[path]}
        assert current <= changed
        allowed = set()
        for folder in folders:
            newest = max(int(p.split("/")[-2]) for p in before if p.startswith(folder + "archive/"))
            allowed |= {
                f"{folder}archive/{n}/{name}" for n in (newest, newest + 1) for name in FORMATS
            }
        pages = {path for path in changed if is_archive_page(path)}
        assert pages <= allowed, sorted(pages - allowed)
        html = {f"{folder}index.html" for folder in folders}  # the channels' pages to read
        assert changed - pages <= current | html | {"feeds.opml"}
        assert all(is_archive_page(path) for path in set(after) - set(before))
        india = {path for path in pages if path.startswith("asia/india/")}
        created += bool(india - set(before))
        untouched += not india
    assert (created, untouched) == (3, 7)  # india's pages: from 1 to 4


def test_a_full_page_never_changes_once_it_has_a_successor(site: Site) -> None:
    configure(site, limit=5, archive_page_size=3)
    for number in range(20):
        publish(site, number)
    site.build()
    closed = {path: value for path, value in site.snapshot().items() if "archive/" in path}
    for number in range(20, 35):
        publish(site, number)
        site.build()
    after = site.snapshot()
    newest = {}
    for path in closed:
        folder = path.split("archive/")[0]
        newest[folder] = max(newest.get(folder, 0), int(path.split("/")[-2]))
    for path, value in closed.items():
        folder = path.split("archive/")[0]
        if int(path.split("/")[-2]) < newest[folder]:
            assert after[path] == value, path  # bytes, inode and mtime


def test_editing_an_old_article_rewrites_only_its_pages(archived: Site) -> None:
    before = archived.snapshot()
    path = archived.root / "content/sri-lanka/story-000.md"
    path.write_text(path.read_text().replace("Body text.", "Body text, corrected."))
    archived.build()
    after = archived.snapshot()
    changed = sorted(p for p in after if before[p] != after[p])
    assert changed == sorted(
        f"{folder}archive/1/{name}"
        for folder in ("", "asia/", "asia/sri-lanka/")
        for name in ("atom.xml", "feed.json", "rss.xml")
    )


def test_pages_gone_with_removed_articles_are_deleted(archived: Site) -> None:
    assert (archived.out / "europe/france/archive/3/rss.xml").exists()
    for number in range(2, 12, 3):  # four of france's thirteen articles
        (archived.root / f"content/france/story-{number:03d}.md").unlink()
    result = CliRunner().invoke(main, ["build", "--quiet", "--config", str(archived.config)])
    assert (result.exit_code, result.stderr) == (0, "")
    assert not (archived.out / "europe/france/archive/3").exists()
    documents = walk(archived, "europe/france/rss.xml")
    assert len(documents) == 3
    kept = [i for i in history(40)["europe/france/"] if not re.search(r"story-0(02|05|08|11)$", i)]
    assert unique_ids([e.id for _, p in documents for e in p.entries]) == kept


def test_with_archives_off_the_feeds_are_the_current_feeds_without_paging_links(
    sample: Site,
) -> None:
    """site.archives: false is today's output: the same documents, less the links to pages
    (and no page at all)."""
    text = sample.config.read_text()
    sample.config.write_text(text.replace("  limit: 50\n", "  limit: 3\n"))
    sample.build()
    on = sample.snapshot()
    assert "asia/archive/2/atom.xml" in on
    sample.config.write_text(text.replace("  limit: 50\n", "  limit: 3\n  archives: false\n"))
    sample.build(prune=True)
    off = sample.snapshot()
    assert not [path for path in off if "archive/" in path]
    # the feeds' paging links, and the pages' words about the archive
    paging = re.compile(
        rb'\n[^\n]*(rel="prev-archive"|"next_url": |Older articles are in the archive)[^\n]*'
        rb"|, older ones in its archive"
    )
    for path, (data, _, _) in off.items():
        assert data == paging.sub(b"", on[path][0]), path
        assert b"archive" not in data, path


def test_a_channel_whose_pages_all_went_and_a_removed_channel(archived: Site) -> None:
    """Pages of a channel left with no archive at all go too; the pages of a channel removed
    from feeds.yaml are its feeds: reported until --prune removes them, with its feeds."""
    for number in range(11, 40, 3):  # france keeps 3 articles: no pages
        (archived.root / f"content/france/story-{number:03d}.md").unlink()
    for number in range(1, 40, 3):
        (archived.root / f"content/india/story-{number:03d}.md").unlink()
    config = copy.deepcopy(BASE_CONFIG)
    config["site"].update(limit=5, archive_page_size=3)
    del config["regions"]["asia"]["countries"]["india"]
    archived.write_config(config)
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--quiet", "--config", str(archived.config)])
    assert result.exit_code == 0
    assert not (archived.out / "europe/france/archive").exists()
    stale = [line.split(": ")[1] for line in result.stderr.splitlines()]
    india = [f"asia/india/{name}" for name in (*FORMATS, "index.html")] + [
        f"asia/india/archive/{n}/{name}" for n in range(1, 4) for name in FORMATS
    ]
    assert sorted(stale) == sorted(f"{archived.out}/{path}" for path in india)
    result = runner.invoke(main, ["build", "--quiet", "--prune", "--config", str(archived.config)])
    assert (result.exit_code, result.stderr.count("removed")) == (0, len(india))
    assert not [p for p in (archived.out / "asia/india").rglob("*") if p.is_file()]
