"""Topic channels (issue 18): a feed per tag, author and language and named filters, with
everything a country channel has, compared with what the articles themselves say."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import CliRunner
from lxml import etree
from support.sites import NOW, Site
from support.topics import ARTICLES, CONFIG, TopicArticle, members, write_article, write_topic_site

from feedpub.cli import main
from feedpub.terms import term_slug

CHANNELS = [
    ("tags", "labour", "labour"),
    ("tags", "elections", "elections"),
    ("tags", "climate", "climate"),
    ("authors", "Nimali Perera", "nimali-perera"),
    ("authors", "Arjun Rao", "arjun-rao"),
    ("languages", "si", "si"),
    ("filters", "", "asia-elections"),
]


def built(site: Site, config: dict[str, Any] | None = None) -> Site:
    write_topic_site(site.root, config)
    site.build()
    return site


def json_ids(site: Site, folder: str) -> list[str]:
    data = json.loads((site.out / folder / "feed.json").read_text(encoding="utf-8"))
    return [item["id"] for item in data["items"]]


def cli(site: Site, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--config", str(site.config)])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("kind", "term", "slug"), CHANNELS)
def test_each_topic_channel_holds_exactly_its_articles_in_every_format(
    site: Site, kind: str, term: str, slug: str
) -> None:
    built(site)
    folder = f"{kind}/{slug}"
    expected = members(ARTICLES, kind, term)
    assert expected and json_ids(site, folder) == expected
    for name in ("rss.xml", "atom.xml"):
        parsed = site.feed(f"{folder}/{name}")  # feedparser, bozo 0, our validator silent
        assert [entry.id for entry in parsed.entries] == expected


def test_a_term_spelled_two_ways_is_one_channel_under_the_common_spelling(site: Site) -> None:
    built(site)
    titles = {a.id: a.tags for a in ARTICLES}
    spelled = [i for i in json_ids(site, "tags/labour") if "Labour" in titles[i]]
    assert len(spelled) == 2
    assert not (site.out / "tags" / "labour-2").exists()
    feed = site.feed("tags/labour/atom.xml").feed
    assert feed.title == "Topic Desk — labour"


def test_language_channels_say_their_language_and_ids_are_their_own(site: Site) -> None:
    built(site)
    assert site.feed("languages/si/rss.xml").feed.language == "si"
    atom = etree.parse(str(site.out / "languages/si/atom.xml")).getroot()
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "si"
    assert site.feed("languages/si/feed.json")["language"] == "si"
    assert not (site.out / "languages" / "en").exists()  # the site's own language
    ids = [
        site.feed(p.relative_to(site.out).as_posix()).feed.id
        for p in sorted(site.out.rglob("atom.xml"))
    ]
    assert len(ids) == len(set(ids)) > 10
    page = (site.out / "languages/si/index.html").read_text(encoding="utf-8")
    assert page.count('hreflang="si"') == 3  # the three autodiscovery links
    assert '<ol class=items lang="si">' in page


def test_the_opml_groups_topic_channels_by_kind(site: Site) -> None:
    built(site)
    body = etree.parse(str(site.out / "feeds.opml")).getroot().find("body")
    assert body is not None
    groups = {o.get("title"): o for o in body if o.get("xmlUrl") is None}
    assert list(groups) == ["Asia", "Europe", "Tags", "Authors", "Languages", "Filters"]
    tags = [o.get("xmlUrl") for o in groups["Tags"]]
    assert tags == [f"https://topics.example/feeds/tags/{t}/rss.xml" for t in sorted(TAGSET)]
    assert [o.get("language") for o in groups["Languages"]] == ["si"]
    for outline in body.iter("outline"):
        url = outline.get("xmlUrl")
        if url:
            assert (site.out / url.removeprefix("https://topics.example/feeds/")).is_file()


TAGSET = {"labour", "elections", "climate", "trade", "health"}


def test_the_index_lists_topic_channels_and_each_page_has_autodiscovery(site: Site) -> None:
    built(site)
    index = (site.out / "index.html").read_text(encoding="utf-8")
    for heading in ("Tags", "Authors", "Languages", "Filters"):
        assert f">{heading}</h2>" in index
    assert 'href="tags/labour/index.html"' in index
    page = (site.out / "authors/nimali-perera/index.html").read_text(encoding="utf-8")
    assert '<a href="../../index.html#t-authors">Authors</a>' in page
    assert 'type="application/rss+xml"' in page and 'href="https://topics.example/feeds/' in page


def test_channels_lists_topic_channels(site: Site) -> None:
    built(site)
    code, out, _ = cli(site, "channels", "--format", "json")
    assert code == 0
    rows = {r["channel"]: r for r in json.loads(out)}
    assert rows["tags/labour"]["items"] == len(members(ARTICLES, "tags", "labour"))
    assert "filters/asia-elections" in rows and "languages/si" in rows


def test_no_topics_and_every_kind_off_publish_the_same_bytes(site: Site, tmp_path: Path) -> None:
    off = copy.deepcopy(CONFIG)
    del off["topics"]
    built(site, off)
    before = {p: p.read_bytes() for p in sorted(site.out.rglob("*")) if p.is_file()}
    assert not (site.out / "tags").exists()
    falsy = copy.deepcopy(CONFIG)
    falsy["topics"] = {"tags": False, "authors": False, "languages": False}
    built(site, falsy)
    assert {p: p.read_bytes() for p in sorted(site.out.rglob("*")) if p.is_file()} == before


def test_a_new_labour_article_changes_only_the_topic_channels_it_is_in(site: Site) -> None:
    built(site)
    before = {p: p.stat().st_mtime_ns for p in site.out.rglob("*") if p.is_file()}
    new = TopicArticle(
        "story-new", NOW.replace(day=1, hour=1), "india", ("labour",), ("Arjun Rao",), None
    )
    write_article(site.root, new)
    site.build()
    changed = {
        p.relative_to(site.out).parent.as_posix()
        for p, mtime in before.items()
        if p.stat().st_mtime_ns != mtime
    }
    topical = {c for c in changed if c.split("/")[0] in ("tags", "authors", "languages", "filters")}
    assert topical == {"tags/labour", "authors/arjun-rao"}
    assert json_ids(site, "tags/labour")[0] == new.id
    assert len(json_ids(site, "tags/labour")) == len(members(ARTICLES, "tags", "labour")) + 1


def test_explicit_terms_get_their_channels_and_wording_however_few_use_them(site: Site) -> None:
    config = copy.deepcopy(CONFIG)
    config["topics"] = {
        "tags": {"labour": {"title": "Work", "description": "Unions and wages"}, "sport": None},
        "authors": ["Claire Dubois"],
    }
    built(site, config)
    assert sorted(p.name for p in (site.out / "tags").iterdir()) == ["labour", "sport"]
    assert sorted(p.name for p in (site.out / "authors").iterdir()) == ["claire-dubois"]
    labour = site.feed("tags/labour/rss.xml").feed
    assert (labour.title, labour.description) == ("Topic Desk — Work", "Unions and wages")
    assert site.feed("tags/sport/rss.xml").entries == []


def test_min_items_leaves_out_thin_terms(site: Site) -> None:
    config = copy.deepcopy(CONFIG)
    config["topics"]["min_items"] = 11
    built(site, config)
    kept = {p.name for p in (site.out / "tags").iterdir()}
    assert kept == {t for t in TAGSET if len(members(ARTICLES, "tags", t)) >= 11}
    assert not (site.out / "languages").exists()  # si: 7 articles


def test_a_term_gone_is_stale_then_pruned(site: Site) -> None:
    config = copy.deepcopy(CONFIG)
    built(site, config)
    config["topics"]["tags"] = ["labour"]
    write_topic_site(site.root, config)
    code, _, err = cli(site, "build", "--quiet")
    assert code == 0 and err.count("no longer in feeds.yaml") == 4 * 4  # 4 tags x 4 files
    assert (site.out / "tags/climate/rss.xml").exists()
    code, _, err = cli(site, "build", "--quiet", "--prune")
    assert code == 0 and not [p for p in (site.out / "tags/climate").rglob("*") if p.is_file()]
    assert (site.out / "tags/labour/rss.xml").exists()


def test_topic_channels_have_archives(site: Site) -> None:
    config = copy.deepcopy(CONFIG)
    config["site"]["limit"] = 5
    built(site, config)
    labour = members(ARTICLES, "tags", "labour")
    current = site.feed("tags/labour/atom.xml")
    assert [e.id for e in current.entries] == labour[:5]
    links = {link.rel: link.href for link in current.feed.links}
    assert links["prev-archive"].startswith("https://topics.example/feeds/tags/labour/archive/")
    archived = sorted((site.out / "tags/labour/archive").iterdir(), key=lambda p: int(p.name))
    oldest = site.feed(f"tags/labour/archive/{archived[0].name}/atom.xml")
    assert [e.id for e in oldest.entries] == labour[::-1][:5][::-1]


def test_unicode_terms_get_stable_ascii_folders(site: Site) -> None:
    site.write_config({**copy.deepcopy(CONFIG), "topics": {"tags": "auto", "min_items": 1}})
    site.article("asia/a", title="A", date="2024-05-01", countries=["india"], tags=["කම්කරු"])
    site.article("asia/b", title="B", date="2024-05-02", countries=["india"], tags=["São Paulo"])
    site.build()
    folders = sorted(p.name for p in (site.out / "tags").iterdir())
    assert folders == sorted([term_slug("කම්කරු"), "sao-paulo"])
    assert re.fullmatch(r"x-[0-9a-f]{8}", term_slug("කම්කරු"))
    assert site.feed(f"tags/{term_slug('කම්කරු')}/rss.xml").feed.title == "Topic Desk — කම්කරු"


def test_two_terms_sharing_a_folder_are_refused_naming_both(site: Site) -> None:
    site.write_config({**copy.deepcopy(CONFIG), "topics": {"tags": "auto", "min_items": 1}})
    site.article("asia/a", title="A", date="2024-05-01", countries=["india"], tags=["São Paulo"])
    site.article("asia/b", title="B", date="2024-05-02", countries=["india"], tags=["Sao Paulo"])
    code, _, err = cli(site, "build")
    assert code == 3
    assert err == (
        f"{site.root}/content/asia/b.md: tags: 'Sao Paulo' and 'São Paulo' (in "
        f"{site.root}/content/asia/a.md) would share the channel folder tags/sao-paulo/; spell "
        "them alike, or name the terms in feeds.yaml's topics.tags\n"
        "feedpub: 1 problem found; nothing was published\n"
    )
    code, out, err = cli(site, "check")
    assert code != 0 and "would share the channel folder tags/sao-paulo/" in out + err


def test_check_warns_about_terms_spelled_apart_or_alike(site: Site) -> None:
    site.write_config({**copy.deepcopy(CONFIG), "topics": {"tags": "auto"}})
    site.article("asia/a", title="A", date="2024-05-01", countries=["india"], tags=["labour"])
    site.article("asia/b", title="B", date="2024-05-02", countries=["india"], tags=["LABOUR"])
    site.article("asia/c", title="C", date="2024-05-03", countries=["india"], tags=["election"])
    site.article("asia/d", title="D", date="2024-05-04", countries=["india"], tags=["elections"])
    code, out, err = cli(site, "check")
    content = f"{site.root}/content/asia"
    assert (
        f"{content}/b.md: tags: 'LABOUR' is 'labour' (in {content}/a.md) spelled another "
        "way; both go to tags/labour/, but readers see each spelling: write one of them"
    ) in err
    assert (
        f"{content}/d.md: tags: 'elections' and 'election' (in {content}/c.md) look like one "
        "term but make two channels (tags/elections/ and tags/election/)"
    ) in err


def test_filters_select_by_every_criterion(site: Site) -> None:
    config = copy.deepcopy(CONFIG)
    config["topics"]["filters"]["si-by-nimali"] = {
        "title": "Nimali in Sinhala",
        "authors": ["nimali perera"],
        "languages": ["SI"],
    }
    built(site, config)
    expected = [
        a.id
        for a in sorted(ARTICLES, key=lambda a: a.published, reverse=True)
        if "Nimali Perera" in a.authors and a.language == "si"
    ]
    assert expected and json_ids(site, "filters/si-by-nimali") == expected
    feed = feedparser.parse((site.out / "filters/si-by-nimali/rss.xml").read_bytes())
    assert feed.feed.title == "Topic Desk — Nimali in Sinhala"
