"""A richer site: escaping, URLs, sanitizing, dates, grouping, drafts, the future and the limit."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from support.sites import BASE_CONFIG, NOW, Site

ALL_FEEDS = ["", "asia/", "asia/sri-lanka/", "asia/india/", "europe/", "europe/france/"]


def entries(site: Site, folder: str) -> dict[str, list]:  # type: ignore[type-arg]
    """The entries of one channel in its three formats, as (rss, atom, json) lists."""
    return {
        "rss": site.feed(folder + "rss.xml").entries,
        "atom": site.feed(folder + "atom.xml").entries,
        "json": site.feed(folder + "feed.json")["items"],
    }


def titles(site: Site, folder: str) -> list[str]:
    found = entries(site, folder)
    rss = [e.title for e in found["rss"]]
    assert [e.title for e in found["atom"]] == rss
    assert [i["title"] for i in found["json"]] == rss
    return rss


def test_markup_characters_in_titles_and_bodies(site: Site) -> None:
    title = "Tom & Jerry <Pacific> ]]> “Ünïcødé” சிங்கப்பூர் 東京 &#169; &amp;"
    body = "A < B & C > D ]]> and <Pacific> &nbsp; ok.\n\n```\nx ]]> y\n```\n"
    site.article("asia/a", title=title, date="2022-03-01 10:00", countries=["india"], body=body)
    site.build()
    assert titles(site, "asia/india/") == [title]
    rss = site.feed("rss.xml").entries[0]
    atom = site.feed("atom.xml").entries[0]
    item = site.feed("feed.json")["items"][0]
    assert "A &lt; B &amp; C &gt; D ]]&gt; and" in rss.content[0].value
    assert "x ]]&gt; y" in atom.content[0].value
    # <Pacific> in a Markdown body is an HTML tag, so it is not text; &nbsp; folds into the space
    assert item["summary"] == "A < B & C > D ]]> and ok."
    raw = (site.out / "rss.xml").read_bytes()
    assert "<title>Tom &#x26; Jerry &#x3C;Pacific&gt; ]]&gt; “Ünïcødé”".encode() in raw


def test_relative_links_become_absolute_and_scripts_go(site: Site) -> None:
    body = (
        "See [the report](report.pdf), [home](/about/) and ![map](img/map.png).\n\n"
        '<script>alert("x")</script>\n\n'
        '<a href="javascript:alert(1)" onclick="steal()">click</a>\n\n'
        '<iframe src="https://evil.example/"></iframe><style>p {}</style>\n'
    )
    site.article("asia/links", title="Links", date="2022-03-01", countries=["india"], body=body)
    site.build()
    for entry_html in (
        site.feed("rss.xml").entries[0].content[0].value,
        site.feed("atom.xml").entries[0].content[0].value,
        site.feed("feed.json")["items"][0]["content_html"],
    ):
        assert 'href="https://example.org/links/report.pdf"' in entry_html
        assert 'href="https://example.org/about/"' in entry_html
        assert 'src="https://example.org/links/img/map.png"' in entry_html
        for forbidden in ("<script", "alert(", "javascript:", "onclick", "<iframe", "<style"):
            assert forbidden not in entry_html


def test_naive_and_zoned_dates(site: Site) -> None:
    site.article("asia/naive", title="Naive", date="2022-03-01 10:00", countries=["india"])
    site.article("asia/zoned", title="Zoned", date="2022-03-01T10:00:00+01:00", countries=["india"])
    site.article("asia/plain-date", title="Plain date", date="2022-02-01", countries=["india"])
    site.article("asia/words", title="Words", date="March 2, 2022 9:00 PM", countries=["india"])
    site.build()
    items = {i["title"]: i["date_published"] for i in site.feed("feed.json")["items"]}
    assert items == {
        "Words": "2022-03-02T21:00:00+05:30",  # site timezone: Asia/Colombo
        "Zoned": "2022-03-01T10:00:00+01:00",
        "Naive": "2022-03-01T10:00:00+05:30",
        "Plain date": "2022-02-01T00:00:00+05:30",
    }
    rss = site.feed("rss.xml").entries
    assert [e.published for e in rss][:2] == [
        "Wed, 02 Mar 2022 21:00:00 +0530",
        "Tue, 01 Mar 2022 10:00:00 +0100",
    ]


def test_grouping_two_countries_region_only_and_combined(site: Site) -> None:
    site.article("asia/both", title="Both", date="2022-03-05", countries=["sri-lanka", "india"])
    site.article(
        "asia/two-regions", title="Two regions", date="2022-03-04", countries=["india", "france"]
    )
    site.article("asia/region-only", title="Region only", date="2022-03-03", region="asia")
    site.article("site-only", title="Site only", date="2022-03-02")
    site.build()
    assert titles(site, "") == ["Both", "Two regions", "Region only", "Site only"]
    assert titles(site, "asia/") == ["Both", "Two regions", "Region only"]  # "Both" once
    assert titles(site, "asia/sri-lanka/") == ["Both"]
    assert titles(site, "asia/india/") == ["Both", "Two regions"]
    assert titles(site, "europe/") == ["Two regions"]
    assert titles(site, "europe/france/") == ["Two regions"]
    # one article keeps one id in every feed and format
    ids = set()
    for folder in ALL_FEEDS:
        found = entries(site, folder)
        for rss, atom, item in zip(found["rss"], found["atom"], found["json"], strict=True):
            assert rss.id == atom.id == item["id"]
            if rss.title == "Both":
                ids.add(rss.id)
    assert ids == {"tag:example.org,2022:2022-03-05/both"}


def test_country_language_and_aliases(site: Site) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["regions"]["asia"]["countries"]["sri-lanka"]["aliases"] = ["lanka"]
    site.write_config(config)
    site.article("asia/alias", title="Alias", date="2022-03-05", countries=["lanka"])
    site.build()
    assert titles(site, "asia/sri-lanka/") == ["Alias"]
    assert site.feed("asia/sri-lanka/rss.xml").feed.language == "si"
    assert site.feed("asia/sri-lanka/feed.json")["language"] == "si"
    assert site.feed("asia/rss.xml").feed.language == "en"


def test_drafts_and_future_articles_wait(site: Site) -> None:
    site.article("asia/draft", title="Draft", date="2022-03-05", countries=["india"], draft=True)
    tomorrow = (NOW + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    site.article("asia/future", title="Future", date=tomorrow, countries=["india"])
    site.article("asia/past", title="Past", date="2022-03-04", countries=["india"])
    site.build()
    assert titles(site, "asia/india/") == ["Past"]
    site.build(now=NOW + timedelta(days=2))
    assert titles(site, "asia/india/") == ["Future", "Past"]


def test_limit_keeps_the_newest(site: Site) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"]["limit"] = 3
    site.write_config(config)
    for day in range(1, 8):
        site.article(
            f"asia/day-{day}", title=f"Day {day}", date=f"2022-03-0{day}", countries=["india"]
        )
    site.build()
    for folder in ("", "asia/", "asia/india/"):
        assert titles(site, folder) == ["Day 7", "Day 6", "Day 5"]


def test_authors_tags_and_explicit_id_and_link(site: Site) -> None:
    site.article(
        "asia/a",
        title="A",
        date="2022-03-01",
        countries=["india"],
        author={"name": "Ana Writer", "email": "ana@example.org"},
        tags=["labour", "strike"],
        id="urn:uuid:5b3f5b8e-5d4c-4a53-9b0e-2f1f7a1d1a11",
        link="https://news.example.com/a-story",
    )
    site.article("asia/b", title="B", date="2022-02-01", countries=["india"], author="Bo Reporter")
    site.build()
    rss = site.feed("rss.xml").entries
    atom = site.feed("atom.xml").entries
    items = site.feed("feed.json")["items"]
    assert (
        rss[0].id == atom[0].id == items[0]["id"] == "urn:uuid:5b3f5b8e-5d4c-4a53-9b0e-2f1f7a1d1a11"
    )
    assert rss[0].link == atom[0].link == items[0]["url"] == "https://news.example.com/a-story"
    # dc:creator only: the W3C service warns when an item has both it and <author>.
    assert rss[0].author == "Ana Writer"
    assert "<author>" not in (site.out / "rss.xml").read_text()
    assert atom[0].author_detail == {"name": "Ana Writer", "email": "ana@example.org"}
    assert items[0]["authors"] == [{"name": "Ana Writer", "url": "mailto:ana@example.org"}]
    assert rss[1].author == "Bo Reporter"  # dc:creator: RSS <author> must be an email
    assert atom[1].author == "Bo Reporter"
    assert [t.term for t in rss[0].tags] == ["India", "labour", "strike"]
    assert items[0]["tags"] == ["India", "labour", "strike"]
    raw = (site.out / "rss.xml").read_text()
    assert '<guid isPermaLink="false">urn:uuid:5b3f5b8e' in raw


def test_ids_do_not_depend_on_the_site_url(site: Site) -> None:
    site.article("asia/a", title="A", date="2022-03-01", countries=["india"])
    site.build()
    before = site.feed("feed.json")["items"][0]["id"]
    config = copy.deepcopy(BASE_CONFIG)
    config["site"]["url"] = "http://www.moved.example/"
    config["site"]["feeds_url"] = "http://www.moved.example/rss/"
    site.write_config(config)
    site.build()
    after = site.feed("feed.json")["items"][0]
    assert after["id"] == before == "tag:example.org,2022:2022-03-01/a"
    assert after["url"] == "http://www.moved.example/a/"


def test_build_time_never_leaks_into_feeds(site: Site) -> None:
    site.article("asia/a", title="A", date="2022-03-01", countries=["india"])
    site.build(now=datetime(2030, 1, 1, tzinfo=UTC))
    for name in ("rss.xml", "atom.xml", "feed.json"):
        assert b"2030" not in (site.out / name).read_bytes()


def test_an_articles_own_language(site: Site) -> None:
    site.article("asia/si", title="සිංහල", date="2022-03-01", countries=["india"], language="si")
    site.build()
    assert site.feed("atom.xml").entries[0].title_detail.language == "si"
    assert site.feed("feed.json")["items"][0]["language"] == "si"
    assert site.feed("rss.xml").entries[0].title == "සිංහල"


def test_a_channel_with_no_articles_yet_is_a_valid_feed(site: Site) -> None:
    # A publisher adds a country to feeds.yaml before its first article: its feeds must still
    # draw no warning (an epoch date is an ImplausibleDate), and say the same date every build.
    site.article("asia/a", title="Only India", date="2022-03-01 10:00", countries=["india"])
    site.build()
    for name in ("rss.xml", "atom.xml", "feed.json"):
        site.feed("europe/france/" + name)  # no validator error or warning
    assert site.feed("europe/france/atom.xml").feed.updated == "2022-01-01T00:00:00+00:00"
