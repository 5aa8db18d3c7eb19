"""newsboat from the OPML (issue 23, item 5): it keeps each item id once across all its
feeds, so imported from feeds.opml (the site's, each region's and each country's feeds) it
shows most items in one feed only; imported from countries.opml (or regions.opml), every
feed shows every item it holds. The real newsboat imports the lists as a user would
(``newsboat -i``) into one cache."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import feedparser
import pytest
from e2e.readers.served import need_tool
from lxml import etree


def _newsboat(home: Path, *args: str) -> None:
    subprocess.run(
        ["newsboat", "-u", "urls", "-c", "cache.db", "-C", "config", *args],
        cwd=home,
        env={**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home)},
        check=True,
        capture_output=True,
        timeout=60,
    )


def _imported(out: Path, opml: str, home: Path) -> dict[str, set[str]]:
    """Feed URL -> the item ids newsboat shows in it, after importing ``opml`` and a reload."""
    home.mkdir()
    (home / "config").write_text("")
    (home / "urls").write_text("")
    _newsboat(home, "-i", str(out / opml))
    _newsboat(home, "-x", "reload")
    shown: dict[str, set[str]] = {}
    with sqlite3.connect(home / "cache.db") as db:
        for url, guid in db.execute("SELECT feedurl, guid FROM rss_item"):
            shown.setdefault(url, set()).add(guid)
    return shown


def _listed(out: Path, opml: str) -> list[str]:
    return [
        o.get("xmlUrl") for o in etree.parse(str(out / opml)).iter("outline") if o.get("xmlUrl")
    ]


def _held(site: Any, url: str) -> set[str]:
    """The item ids of the feed at ``url``, as published."""
    data = (site.out / url.removeprefix(site.feeds_url)).read_bytes()
    return {entry.id for entry in feedparser.parse(data).entries}


@pytest.mark.parametrize("opml", ["countries.opml", "regions.opml"])
def test_a_list_of_one_level_shows_every_item_in_newsboat(
    opml: str, served: Any, tmp_path: Path
) -> None:
    need_tool("newsboat", "newsboat")
    site = served("sample")
    urls = _listed(site.out, opml)
    assert len(urls) == (8 if opml == "countries.opml" else 1)
    shown = _imported(site.out, opml, tmp_path / "home")
    assert sorted(shown) == sorted(urls)
    for url in urls:
        assert shown[url] == _held(site, url), url
    assert len(set().union(*shown.values())) == 12  # every article of the sample


def test_from_the_full_list_newsboat_shows_an_item_in_one_feed_only(
    served: Any, tmp_path: Path
) -> None:
    # Why the lists of one level exist: the behaviour the pages and the README warn about.
    need_tool("newsboat", "newsboat")
    site = served("sample")
    shown = _imported(site.out, "feeds.opml", tmp_path / "home")
    urls = _listed(site.out, "feeds.opml")
    assert sum(len(shown.get(url, ())) for url in urls) == 12
    assert sum(len(_held(site, url)) for url in urls) > 12
