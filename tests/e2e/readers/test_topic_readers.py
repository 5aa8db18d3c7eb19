"""Real readers subscribe to topic feeds found in feeds.opml (issue 18): a tag's, an author's
and a language's show exactly their articles, and one new article tagged *labour* is exactly
one new item in the labour feed and nothing new in topic feeds it does not belong to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from e2e.readers.clients import CLIENTS, COMMANDS, PACKAGES
from e2e.readers.served import NOW, need_tool
from lxml import etree
from support.topics import ARTICLES, TopicArticle, members, write_article

# (OPML outline group, channel folder, kind and term for support.topics.members)
FEEDS = [
    ("Tags", "tags/labour/", "tags", "labour"),
    ("Tags", "tags/climate/", "tags", "climate"),
    ("Authors", "authors/nimali-perera/", "authors", "Nimali Perera"),
    ("Languages", "languages/si/", "languages", "si"),
]


def _opml_urls(out: Path) -> dict[str, str]:
    """Channel folder -> the RSS address feeds.opml names, for the topic groups."""
    body = etree.parse(str(out / "feeds.opml")).getroot().find("body")
    assert body is not None
    urls = {}
    for group in body:
        for outline in group:
            url = outline.get("xmlUrl")
            if url and group.get("title") in ("Tags", "Authors", "Languages", "Filters"):
                folder = url.split("/feeds/", 1)[1].removesuffix("rss.xml")
                urls[folder] = url
    return urls


@pytest.mark.parametrize("name", ["reader", "newsboat"])
def test_topic_feeds_from_the_opml_show_exactly_their_items(
    name: str, served: Any, tmp_path: Path
) -> None:
    if name in COMMANDS:
        need_tool(COMMANDS[name], PACKAGES[name])
    site = served("topics")
    urls = _opml_urls(site.out)
    client = CLIENTS[name](tmp_path / name)
    client.subscribe([urls[folder] for _, folder, _, _ in FEEDS])
    first = client.update()
    for _, folder, kind, term in FEEDS:
        stored = first[urls[folder]]
        assert sorted(s.id for s in stored) == sorted(members(ARTICLES, kind, term)), folder
        assert len({s.id for s in stored}) == len(stored)

    new = TopicArticle(
        "story-new", NOW.replace(day=1, hour=2), "india", ("labour",), ("Arjun Rao",), None
    )
    write_article(site.root, new)
    site.build()
    second = client.update()
    for _, folder, _, _ in FEEDS:
        before = {s.id for s in first[urls[folder]]}
        after = [s.id for s in second[urls[folder]]]
        added = [i for i in after if i not in before]
        assert added == ([new.id] if folder == "tags/labour/" else []), (name, folder)
        assert len(set(after)) == len(after)
