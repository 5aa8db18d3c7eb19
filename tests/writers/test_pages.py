"""The HTML pages: what a person reading them (or a screen reader, or a feed reader's
autodiscovery) finds, escaping, and that they are published like the feeds."""

from __future__ import annotations

import copy
import subprocess
import sys
import textwrap

import lxml.html
import pytest
from click.testing import CliRunner
from support.sites import BASE_CONFIG, ROOT, Site

from feedpub.cli import main

FEEDS_URL = BASE_CONFIG["site"]["feeds_url"]
TYPES = ["application/rss+xml", "application/atom+xml", "application/feed+json"]
NAMES = ["rss.xml", "atom.xml", "feed.json"]


def page(site: Site, path: str) -> lxml.html.HtmlElement:
    data = (site.out / path).read_bytes()
    assert data.startswith(b"<!DOCTYPE html>\n")
    assert b"<script" not in data.lower()
    return lxml.html.document_fromstring(data)


def alternates(doc: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    return [(e.get("type"), e.get("href")) for e in doc.iterfind(".//head/link[@rel='alternate']")]


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def articles(site: Site) -> None:
    site.article(
        "india/care",
        title="Care workers strike",
        date="2022-03-30 10:00",
        countries=["india"],
        summary="Thousands walk out.",
        image="../pic.png",
        image_alt="Workers with flags",
    )
    site.raw("pic.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    site.article("india/older", title="Older", date="2022-01-02", countries=["india"])
    site.article("france/paris", title="Paris", date="2022-02-01", countries=["france"])
    site.article("lanka/hartal", title="Hartal", date="2022-05-05 08:30", countries=["sri-lanka"])


def test_index_lists_every_channel_by_region_with_its_feeds(site: Site) -> None:
    articles(site)
    site.build()
    doc = page(site, "index.html")
    assert doc.get("lang") == "en"
    assert doc.find(".//meta[@name='viewport']") is not None
    assert alternates(doc) == [
        (kind, FEEDS_URL + name) for kind, name in zip(TYPES, NAMES, strict=True)
    ]
    assert [text(h) for h in doc.iter("h1", "h2")] == [
        "Test Desk",
        "Subscribe",
        "Latest articles",
        "Everything",
        "Asia",
        "Europe",
    ]
    latest = doc.get_element_by_id("latest").getparent()
    assert [text(h) for h in latest.iter("h3")] == [
        "Hartal",
        "Care workers strike",
        "Paris",
        "Older",
    ]
    assert "Thousands walk out." in text(latest)  # the summaries too
    assert doc.find(".//main") is not None and doc.find(".//header") is not None
    asia = doc.get_element_by_id("r-asia").getparent()
    cards = [text(li.find("h3")) for li in asia.find("ul")]
    assert cards == ["Test Desk — Asia", "Test Desk — India", "Test Desk — Sri Lanka"]
    india = asia.find("ul")[1]
    assert "2 articles · newest 30 March 2022" in text(india)
    links = [a.get("href") for a in india.iter("a")]
    assert links == [
        "asia/india/index.html",
        "asia/india/rss.xml",
        "asia/india/atom.xml",
        "asia/india/feed.json",
    ]
    everything = doc.get_element_by_id("all").getparent()
    assert "4 articles · newest 5 May 2022" in text(everything)
    lists = {
        a.get("href"): a.get("download") for a in everything.iter("a") if ".opml" in a.get("href")
    }
    assert lists == {"feeds.opml": "", "countries.opml": "", "regions.opml": ""}  # downloads


def test_a_country_page_says_how_to_subscribe_and_lists_its_items(site: Site) -> None:
    articles(site)
    site.build()
    doc = page(site, "asia/india/index.html")
    base = FEEDS_URL + "asia/india/"
    assert alternates(doc) == [(kind, base + name) for kind, name in zip(TYPES, NAMES, strict=True)]
    assert text(doc.find(".//h1")) == "India"  # under the site's name
    assert text(doc.find(".//p[@class='masthead']")) == "Test Desk"
    assert doc.findtext(".//title") == "Test Desk — India"
    # a description that only repeats the site's is not shown; the facts are
    assert "Test feeds (India)" not in text(doc.find(".//header"))
    assert "2 articles, the newest from 30 March 2022" in text(doc.find(".//header"))
    address = doc.get_element_by_id("address")
    assert address.get("readonly") is not None and address.get("value") == base + "rss.xml"
    assert doc.find(".//label[@for='address']") is not None
    subscribe = doc.get_element_by_id("subscribe").getparent()
    assert [c.text for c in subscribe.iter("code")] == [
        base + "rss.xml",
        base + "atom.xml",
        base + "feed.json",
    ]
    for reader in ("Feedly", "Inoreader", "NetNewsWire", "Thunderbird", "newsboat"):
        assert reader in text(subscribe)
    assert "pick this one if unsure" in text(subscribe.find(".//li/a[@href='rss.xml']/.."))
    items = doc.find(".//ol[@class='items']")
    first, second = items
    link = first.find(".//h3/a")
    assert (link.text, link.get("href")) == ("Care workers strike", "https://example.org/care/")
    assert first.find(".//time").get("datetime") == "2022-03-30T10:00:00+05:30"
    assert "30 March 2022" in text(first)
    assert "Thousands walk out." in text(first)
    image = first.find(".//img")
    assert image.get("alt") == "Workers with flags"
    # The output's own files are linked relatively, so the page works wherever it is served.
    assert image.get("src") == "../../_media/pic.png"
    assert (site.out / "asia/india" / image.get("src")).is_file()
    assert text(second.find(".//h3")) == "Older"
    crumbs = [a.get("href") for a in doc.find(".//nav").iter("a")]
    assert crumbs == ["../../index.html", "../index.html"]


def test_a_channel_in_another_language_says_so(site: Site) -> None:
    articles(site)
    site.build()
    doc = page(site, "asia/sri-lanka/index.html")
    assert doc.get("lang") == "en"  # the page's own words are the site's language
    assert doc.find(".//ol[@class='items']").get("lang") == "si"


def test_markup_in_titles_and_summaries_is_escaped(site: Site) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"]["title"] = 'R&D <b>Desk</b> "quoted"'
    config["regions"]["asia"]["countries"]["india"]["title"] = "India & <Pacific>"
    site.write_config(config)
    title = 'A & B <script>alert("x")</script> "quoted"'
    summary = "x < y & <img src=x onerror=alert(1)>"
    site.article("india/a", title=title, date="2022-03-01", countries=["india"], summary=summary)
    site.build()
    for path in ("index.html", "asia/index.html", "asia/india/index.html"):
        page(site, path)  # no <script anywhere
        assert b"<img src=x" not in (site.out / path).read_bytes()
    doc = page(site, "asia/india/index.html")
    assert text(doc.find(".//h1")) == "India & <Pacific>"
    assert text(doc.find(".//p[@class='masthead']")) == 'R&D <b>Desk</b> "quoted"'
    item = doc.find(".//ol[@class='items']/li")
    assert text(item.find(".//h3")) == title
    assert summary in text(item)
    assert doc.find(".//link[@rel='alternate']").get("title").startswith('R&D <b>Desk</b> "quoted"')


def test_an_edit_rewrites_only_the_pages_that_show_it(site: Site) -> None:
    articles(site)
    site.build()
    before = site.snapshot()
    path = site.root / "content/india/older.md"
    path.write_text(path.read_text().replace("title: Older", "title: Older & wiser"))
    report = site.build()
    changed = sorted(f.path for f in report.feeds if f.changed and f.path.endswith(".html"))
    # the index shows the newest articles, this one among them
    assert changed == ["asia/index.html", "asia/india/index.html", "index.html"]
    after = site.snapshot()
    for same in ("feeds.opml", "asia/sri-lanka/index.html", "europe/index.html"):
        assert after[same] == before[same]  # bytes, inode and mtime


def test_a_region_page_links_its_countries(site: Site) -> None:
    articles(site)
    site.build()
    doc = page(site, "asia/index.html")
    nav = doc.get_element_by_id("countries").getparent()
    links = [(a.text, a.get("href")) for a in nav.iter("a")]
    assert links == [("India", "india/index.html"), ("Sri Lanka", "sri-lanka/index.html")]
    for _, href in links:
        assert (site.out / "asia" / href).is_file()


def test_a_channel_page_links_its_archive_pages(site: Site) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"]["limit"] = 2
    site.write_config(config)
    for day in range(1, 8):
        site.article(f"india/a{day}", title=f"A{day}", date=f"2022-03-0{day}", countries=["india"])
    site.build()
    doc = page(site, "asia/india/index.html")
    (older,) = [p for p in doc.iter("p") if text(p).startswith("Older articles")]
    hrefs = [a.get("href") for a in older.iter("a")]
    assert hrefs == ["archive/3/atom.xml", "archive/2/atom.xml", "archive/1/atom.xml"]
    for href in hrefs:
        assert (site.out / "asia/india" / href).is_file()
    assert "older ones in its archive" in text(doc.find(".//header"))


def test_a_deleted_page_comes_back_the_same(site: Site) -> None:
    articles(site)
    site.build()
    before = site.snapshot()
    for path in ("asia/india/index.html", "index.html", "feeds.opml"):
        (site.out / path).unlink()
    site.build()
    after = site.snapshot()
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}


def test_a_noop_build_does_not_import_the_page_modules(site: Site) -> None:
    articles(site)
    site.build()
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from feedpub.pipeline.build import BuildOptions, build
        build(BuildOptions(Path({str(site.config)!r})))
        heavy = ("feedpub.writers.pages", "feedpub.writers.opml", "feedpub.commands.serve")
        print(sorted(m for m in heavy if m in sys.modules))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout == "[]\n"


@pytest.mark.parametrize(
    ("href", "kind"), [("/feed.xsl", "text/xsl"), ("https://cdn.example.org/feed.css", "text/css")]
)
def test_a_stylesheet_goes_into_rss_and_atom_and_they_still_validate(
    site: Site, href: str, kind: str
) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"]["stylesheet"] = href
    site.write_config(config)
    articles(site)
    site.build()
    pi = f'<?xml-stylesheet type="{kind}" href="{href}"?>'.encode()
    for name in ("rss.xml", "atom.xml", "asia/india/rss.xml", "europe/france/atom.xml"):
        data = (site.out / name).read_bytes()
        assert data.split(b"\n")[:2] == [b"<?xml version='1.0' encoding='UTF-8'?>", pi], name
        assert site.feed(name).entries  # feedparser and our validator: nothing to say
    assert b"xml-stylesheet" not in (site.out / "feed.json").read_bytes()
    result = CliRunner().invoke(main, ["validate", "--strict", "--config", str(site.config)])
    assert result.exit_code == 0, result.output


def test_no_stylesheet_by_default(site: Site) -> None:
    articles(site)
    site.build()
    assert b"xml-stylesheet" not in (site.out / "rss.xml").read_bytes()
    result = CliRunner().invoke(main, ["validate", "--strict", "--config", str(site.config)])
    assert result.exit_code == 0, result.output
