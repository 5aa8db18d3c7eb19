"""feeds.opml: every channel, by region, each xmlUrl a feed the build published."""

from __future__ import annotations

import copy

import feedparser
import pytest
from lxml import etree
from support.sites import BASE_CONFIG, Site

FEEDS_URL = BASE_CONFIG["site"]["feeds_url"]


def outlines(site: Site) -> etree._Element:
    root = etree.fromstring((site.out / "feeds.opml").read_bytes())
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Test Desk: every feed"
    return root.find("body")


def local(url: str) -> str:
    assert url.startswith(FEEDS_URL), url
    return url[len(FEEDS_URL) :]


def three_articles(site: Site) -> None:
    site.article("a", title="In India", date="2022-01-01", countries=["india"])
    site.article("b", title="In France", date="2022-01-02", countries=["france"])
    site.article("c", title="Asia-wide", date="2022-01-03", region="asia")
    site.article("d", title="In Sri Lanka", date="2022-01-04", countries=["sri-lanka"])


def test_every_channel_grouped_by_region_and_every_feed_readable(site: Site) -> None:
    three_articles(site)
    site.build()
    body = outlines(site)
    combined, asia, europe = body
    assert combined.get("xmlUrl") == FEEDS_URL + "rss.xml"
    assert [asia.get("text"), europe.get("text")] == ["Asia", "Europe"]
    assert asia.get("xmlUrl") is None  # a group, not a feed
    assert [o.get("xmlUrl") for o in asia] == [
        FEEDS_URL + "asia/rss.xml",
        FEEDS_URL + "asia/india/rss.xml",  # in feeds.yaml's order (safe_dump sorted it)
        FEEDS_URL + "asia/sri-lanka/rss.xml",
    ]
    feeds = body.findall(".//outline[@xmlUrl]")
    assert len(feeds) == 6
    titles = set()
    for outline in feeds:
        assert outline.get("type") == "rss"
        assert outline.get("text") == outline.get("title")
        parsed = feedparser.parse((site.out / local(outline.get("xmlUrl"))).read_bytes())
        assert parsed.bozo == 0
        assert parsed.feed.title == outline.get("title")
        assert parsed.feed.subtitle == outline.get("description")
        assert parsed.feed.language == outline.get("language")
        assert (site.out / local(outline.get("htmlUrl")) / "index.html").is_file()
        titles.update(entry.title for entry in parsed.entries)
    assert titles == {"In India", "In France", "Asia-wide", "In Sri Lanka"}
    assert [o.get("language") for o in asia] == ["en", "en", "si"]


@pytest.mark.parametrize(("kind", "filename"), [("atom", "atom.xml"), ("json", "feed.json")])
def test_opml_format_chooses_the_feed(site: Site, kind: str, filename: str) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"]["opml_format"] = kind
    site.write_config(config)
    three_articles(site)
    site.build()
    urls = [o.get("xmlUrl") for o in outlines(site).iter("outline") if o.get("xmlUrl")]
    assert len(urls) == 6 and all(url.endswith("/" + filename) for url in urls)
    for url in urls:
        if kind == "json":
            assert site.feed(local(url))["feed_url"] == url
        else:
            parsed = site.feed(local(url))
            assert not parsed.bozo and parsed.entries
            assert url in [link.href for link in parsed.feed.links if link.rel == "self"]


def test_markup_in_titles_is_escaped_and_the_bytes_never_vary(site: Site) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"]["title"] = 'R&D <Desk> "quoted"'
    config["regions"]["asia"]["title"] = "Asia & <Pacific>"
    site.write_config(config)
    three_articles(site)
    site.build()
    first = (site.out / "feeds.opml").read_bytes()
    body = etree.fromstring(first).find("body")
    assert body[0].get("title") == 'R&D <Desk> "quoted"'
    assert body[1].get("text") == "Asia & <Pacific>"
    assert b"dateCreated" not in first and b"dateModified" not in first
    (site.out / "feeds.opml").unlink()
    site.build()
    assert (site.out / "feeds.opml").read_bytes() == first
