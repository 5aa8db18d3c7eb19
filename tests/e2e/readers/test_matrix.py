"""Real readers subscribed to the served sample and rich sites, through four scenarios.

For each reader and site: the first update stores every item once with the right title,
date, link, text, image and author; a no-op rebuild gets 304s (or, for sfeed, which never
asks conditionally, the same items); one new article is exactly one new item in each feed it
belongs to and nothing else changes; an edit is what each reader is known to do with it; and
a domain move of site.url and feeds_url brings no item back as new.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from e2e.readers.clients import CLIENTS, COMMANDS, PACKAGES, Client, LemonReader, Stored
from e2e.readers.served import Expected, Served, expected_items, need_tool

# The channels each reader subscribes to: the site, a region, the country that gets the new
# article and one that does not.
CHANNELS = {
    "sample": ("", "asia/", "asia/india/", "asia/china/"),
    "rich": ("", "asia/", "asia/japan/", "europe/france/"),
}
NEW_IN = {"sample": "asia/india/", "rich": "asia/japan/"}
NEW_FRONT = {
    "sample": {"country": "india", "region": "asia"},
    "rich": {"country": "japan", "region": "asia"},
}
EDITED = {"sample": "asia/india/hijab-ban-protests", "rich": "cafe-tokyo"}
_TAG = re.compile(r"<[^>]+>")


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def _check_item(client: Client, stored: Stored, expected: Expected, url: str) -> None:
    where = (client.name, url, expected.id)
    assert stored.title == expected.title, where
    assert stored.link == expected.link, where
    assert stored.published == expected.published, where
    first_words = _plain(expected.content_html)[-40:]
    assert first_words in _plain(stored.text), where
    assert stored.image == (expected.image if client.image_enclosures else None), where
    if expected.image:
        assert f'src="{expected.image}"' in stored.text, where  # the lead figure
    if url.endswith(client.all_authors):
        assert stored.author == ", ".join(expected.authors), where
    else:  # with several authors they keep one
        assert any(author in stored.author for author in expected.authors), where


def _check_feed(client: Client, site: Served, url: str, stored: list[Stored]) -> None:
    folder = url.removeprefix(site.url("")).rpartition("/")[0]
    expected = {e.id: e for e in expected_items(site, folder)}
    ids = [s.id for s in stored]
    assert sorted(ids) == sorted(expected), (client.name, url)  # every item, once
    for item in stored:
        _check_item(client, item, expected[item.id], url)


def _ids(result: dict[str, list[Stored]]) -> dict[str, set[str]]:
    return {url: {s.id for s in items} for url, items in result.items()}


@pytest.mark.parametrize("kind", ["sample", "rich"])
@pytest.mark.parametrize("name", list(CLIENTS))
def test_reader_through_every_scenario(name: str, kind: str, served: Any, tmp_path: Path) -> None:
    if name in COMMANDS:
        need_tool(COMMANDS[name], PACKAGES[name])
    site: Served = served(kind)
    client = CLIENTS[name](tmp_path / name)
    urls = [site.url(c + f) for c in CHANNELS[kind] for f in client.formats]
    client.subscribe(urls)

    # 1. First update: every item once, shown right.
    first = client.update()
    for url in urls:
        _check_feed(client, site, url, first[url])  # r2e mails every entry it sees first
    known = _ids(first)

    # 2. No-op rebuild: the reader gets 304s; nothing new or changed.
    site.build()
    before = len(site.requests())
    again = client.update()
    statuses = {r.path: r.status for r in site.requests()[before:]}
    if client.conditional:
        assert set(statuses.values()) == {304}, (name, statuses)
    if name == "rss2email":
        assert all(items == [] for items in again.values())
    else:
        assert again == first

    # 3. One new article: one new item in each feed it is in, nothing else new or modified.
    site.article(
        "new-one",
        "A brand new piece.\n",
        title="Brand & New <One>",
        date="2024-06-01 09:00",
        countries=[NEW_FRONT[kind]["country"]],
    )
    site.build()
    after = client.update()
    belongs = {"", NEW_FRONT[kind]["region"] + "/", NEW_IN[kind]}
    for url in urls:
        channel = url.removeprefix(site.url("")).rpartition("/")[0]
        channel = channel + "/" if channel else ""
        got = {s.id for s in after[url]}
        new = got if name == "rss2email" else got - known[url]
        assert len(new) == (1 if channel in belongs else 0), (name, url, new)
        if isinstance(client, LemonReader):  # reader's own count: new, modified
            assert client.counts[url] == ((1, 0) if channel in belongs else (0, 0)), url
        if name != "rss2email":
            unchanged = [s for s in after[url] if s.id in known[url]]
            assert sorted(unchanged, key=lambda s: s.id) == sorted(
                first[url], key=lambda s: s.id
            ), (name, url)
        known[url] |= got
    # 4. An edit: a new title and body, and an `updated` date.
    edited = site.root / "content" / f"{EDITED[kind]}.md"
    text = edited.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^title: .*$", 'title: "Edited: a new title"', text, count=1)
    text = text.replace("\n---\n", "\nupdated: 2024-06-01 10:00\n---\n", 1)
    edited.write_text(text + "\nAn added paragraph.\n", encoding="utf-8")
    site.build()
    edit = client.update()
    for url in urls:
        titles = {s.id: s.title for s in edit[url]}
        if name == "rss2email":  # trust-guid: a known id is never mailed again
            assert titles == {}, url
        else:
            assert set(titles) == known[url], url  # nothing new
            has_it = any(e.title == "Edited: a new title" for e in _expected(site, url))
            shown = "Edited: a new title" in titles.values()
            assert shown == (has_it and client.shows_edits), (name, url)
            if isinstance(client, LemonReader):  # one entry modified where it is
                assert client.counts[url] == ((0, 1) if has_it else (0, 0)), url

    # 5. A domain move of site.url and feeds_url: no item comes back as new.
    site.move_domain()
    site.build()
    moved = client.update()
    for url in urls:
        got = {s.id for s in moved[url]}
        if name == "rss2email":
            assert got == set(), url
        else:
            assert got == known[url], url
            links = {s.link for s in moved[url]}
            assert all(link.startswith("https://moved.example/") for link in links), url
            if isinstance(client, LemonReader):  # every entry modified (its link), none new
                assert client.counts[url] == (0, len(known[url])), url


def _expected(site: Served, url: str) -> list[Expected]:
    return expected_items(site, url.removeprefix(site.url("")).rpartition("/")[0])
