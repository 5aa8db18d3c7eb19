"""The Google News sitemap (issue 21): the last two days' articles at the build's clock, never
an embargoed, expired, retracted or draft one, each with its language's publication name;
valid against both schemas, deterministic, dropped articles on time, and nothing at all
when it is off."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from click.testing import CliRunner
from lxml import etree
from support.sites import BASE_CONFIG, NOW, Site

from feedpub.cli import main
from feedpub.errors import ValidationFailed
from feedpub.validator.sitemap import check_news_sitemap, news_sitemap_schema

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
NAMES = {"si": "ලංකා පුවත්", "fr": "Bureau de Paris"}
# NOW is 2024-06-01 17:30 in Colombo, the site's zone: 'greve' turns two days old at 19:00.
LEAVES = datetime(2024, 6, 1, 13, 30, tzinfo=UTC)
EMBARGO = datetime(2024, 6, 1, 14, 30, tzinfo=UTC)


def config(news_sitemap: Any = True) -> dict[str, Any]:
    data = copy.deepcopy(BASE_CONFIG)
    if news_sitemap is not None:
        data["site"]["news_sitemap"] = news_sitemap
    return data


def write(site: Site) -> None:
    site.article("asia/fresh", title="Fresh", date="2024-06-01 10:00", countries=["india"])
    site.article("asia/hartal", title="Hartal", date="2024-05-31 09:00", countries=["sri-lanka"])
    site.article("europe/greve", title="Grève", date="2024-05-30 19:00", countries=["france"])
    site.article("asia/old", title="Old", date="2024-05-30 10:00", countries=["india"])
    site.article("asia/soon", title="Soon", date="2024-06-01 20:00", countries=["india"])
    site.article(
        "asia/expired",
        title="Expired",
        date="2024-05-31 10:00",
        expires="2024-06-01 10:00",
        countries=["india"],
    )
    site.article(
        "asia/pulled",
        title="Pulled",
        date="2024-05-31 11:00",
        retracted={"date": "2024-06-01 10:00", "note": "Wrong figures."},
        countries=["india"],
    )
    site.article("asia/draft", title="Draft", date="2024-05-31 12:00", draft=True)


def listed(site: Site) -> list[tuple[str | None, ...]]:
    """(loc, publication name, language, date, title) of each <url>, in order."""
    root = etree.fromstring((site.out / "news-sitemap.xml").read_bytes())
    return [
        (
            url.findtext(f"{SM}loc"),
            url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}name"),
            url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language"),
            url.findtext(f"{NEWS}news/{NEWS}publication_date"),
            url.findtext(f"{NEWS}news/{NEWS}title"),
        )
        for url in root.iter(f"{SM}url")
    ]


@pytest.fixture
def news_site(site: Site) -> Site:
    site.write_config(config(NAMES))
    write(site)
    return site


def test_the_last_two_days_with_each_language_s_publication(news_site: Site) -> None:
    news_site.build()
    assert listed(news_site) == [
        ("https://example.org/fresh/", "Test Desk", "en", "2024-06-01T10:00:00+05:30", "Fresh"),
        (
            "https://example.org/hartal/",
            "ලංකා පුවත්",
            "si",
            "2024-05-31T09:00:00+05:30",
            "Hartal",
        ),
        (
            "https://example.org/greve/",
            "Bureau de Paris",
            "fr",
            "2024-05-30T19:00:00+05:30",
            "Grève",
        ),
    ]


def test_the_sitemap_passes_both_schemas(news_site: Site) -> None:
    news_site.build()
    data = (news_site.out / "news-sitemap.xml").read_bytes()
    assert check_news_sitemap(data) == []
    schema = news_sitemap_schema()
    assert schema.validate(etree.fromstring(data).getroottree()), schema.error_log
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<urlset xmlns=")


def test_true_names_the_site_title_for_every_language(site: Site) -> None:
    site.write_config(config(True))
    write(site)
    site.build()
    assert {name for _, name, *_ in listed(site)} == {"Test Desk"}


def test_the_bytes_depend_on_the_articles_not_the_clock(news_site: Site) -> None:
    news_site.build()
    first = (news_site.out / "news-sitemap.xml").read_bytes()
    later = news_site.build(NOW + timedelta(minutes=30))
    assert not any(feed.changed for feed in later.feeds)  # nothing due: nothing written
    (news_site.out / "news-sitemap.xml").unlink()
    news_site.build(NOW + timedelta(hours=1))  # a build that generates again
    assert (news_site.out / "news-sitemap.xml").read_bytes() == first


def test_an_article_leaves_the_sitemap_two_days_after_its_date(news_site: Site) -> None:
    report = news_site.build()
    assert report.next_due == LEAVES
    runner = CliRunner(catch_exceptions=False)
    with mock.patch("feedpub.pipeline.build.now", return_value=NOW):
        due = runner.invoke(main, ["next-due", "--config", str(news_site.config)])
    assert due.output == "2024-06-01T19:00:00+05:30\n"
    before = news_site.snapshot()
    early = news_site.build(LEAVES - timedelta(seconds=1))
    assert not any(feed.changed for feed in early.feeds)
    report = news_site.build(LEAVES)
    assert [title for *_, title in listed(news_site)] == ["Fresh", "Hartal"]
    assert [feed.path for feed in report.feeds if feed.changed] == ["news-sitemap.xml"]
    assert report.next_due == EMBARGO
    after = news_site.snapshot()
    assert {p for p in before if before[p] != after[p]} == {"news-sitemap.xml"}
    news_site.build(EMBARGO)
    assert [title for *_, title in listed(news_site)] == ["Soon", "Fresh", "Hartal"]


def test_links_are_escaped_and_encoded(site: Site) -> None:
    site.write_config(config(True))
    link = "https://example.org/news/?id=7&lang=si#%E0%B6%BD"
    site.article("asia/q", title="ශ්‍රී ලංකා <Pacific> & co", date="2024-06-01 09:00", link=link)
    site.build()
    data = (site.out / "news-sitemap.xml").read_bytes()
    assert b"<loc>https://example.org/news/?id=7&amp;lang=si#%E0%B6%BD</loc>" in data
    assert "<news:title>ශ්‍රී ලංකා &lt;Pacific&gt; &amp; co</news:title>".encode() in data
    assert listed(site)[0][0] == link
    assert check_news_sitemap(data) == []


def test_an_invalid_sitemap_is_never_published(news_site: Site) -> None:
    news_site.build()
    before = news_site.snapshot()
    news_site.article("asia/newer", title="Newer", date="2024-06-01 11:00", countries=["india"])
    broken = b"<?xml version='1.0' encoding='UTF-8'?>\n<urlset/>\n"
    with mock.patch("feedpub.writers.sitemap.render_news_sitemap", return_value=broken):
        with pytest.raises(ValidationFailed, match="news-sitemap.xml"):
            news_site.build()
    assert news_site.snapshot() == before


def test_feedpub_validate_checks_the_sitemap(news_site: Site) -> None:
    news_site.build()
    runner = CliRunner(catch_exceptions=False)
    good = runner.invoke(main, ["validate", str(news_site.out)])
    assert good.exit_code == 0, good.output
    path = news_site.out / "news-sitemap.xml"
    path.write_bytes(path.read_bytes().replace(b"<news:language>fr<", b"<news:language>fr-FR<"))
    bad = runner.invoke(main, ["validate", str(path)])
    assert bad.exit_code != 0
    assert "SchemaInvalid" in bad.output + bad.stderr


@pytest.mark.parametrize("off", [None, False])
def test_off_writes_no_sitemap_and_the_same_bytes(site: Site, tmp_path: Any, off: Any) -> None:
    site.write_config(config(None))
    write(site)
    site.build()
    plain = {p: data for p, (data, _, _) in site.snapshot().items()}
    other = Site(tmp_path / "other")
    (other.root / "content").mkdir(parents=True)
    other.write_config(config(off) if off is not None else config(None))
    write(other)
    report = other.build()
    assert {p: data for p, (data, _, _) in other.snapshot().items()} == plain
    assert "news-sitemap.xml" not in plain
    assert report.next_due == EMBARGO  # the window counts only when there is a sitemap


def test_turned_off_the_old_sitemap_is_reported_and_pruned(news_site: Site) -> None:
    news_site.build()
    news_site.write_config(config(False))
    report = news_site.build()
    assert report.stale == ["news-sitemap.xml"]
    assert (news_site.out / "news-sitemap.xml").exists()  # left in place without --prune
    report = news_site.build(prune=True)
    assert report.pruned
    assert not (news_site.out / "news-sitemap.xml").exists()


def test_build_says_how_many_articles_the_sitemap_lists(news_site: Site) -> None:
    runner = CliRunner(catch_exceptions=False)
    with mock.patch("feedpub.pipeline.build.now", return_value=NOW):
        result = runner.invoke(main, ["build", "--config", str(news_site.config)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"wrote     {news_site.out}/news-sitemap.xml (3 articles)" in lines
    assert lines[-1] == (
        "4 of 8 articles published; 18 feeds, 9 pages and the news sitemap, 28 written, 0 unchanged"
    )


def test_at_most_the_thousand_newest(site: Site) -> None:
    data = config(True)
    data["site"].update(archives=False, limit=5)
    site.write_config(data)
    start = NOW - timedelta(minutes=30)
    for n in range(1001):
        date = (start - timedelta(minutes=2 * n)).isoformat()
        site.article(f"a{n:04d}", title=f"A{n}", date=date)
    report = site.build()
    titles = [title for *_, title in listed(site)]
    assert titles == [f"A{n}" for n in range(1000)]
    assert [f.items for f in report.feeds if f.path == "news-sitemap.xml"] == [1000]
    assert check_news_sitemap((site.out / "news-sitemap.xml").read_bytes()) == []


def test_validate_with_the_config_wants_the_sitemap_when_it_is_on(news_site: Site) -> None:
    news_site.build()
    runner = CliRunner(catch_exceptions=False)
    with mock.patch("feedpub.pipeline.build.now", return_value=NOW):
        good = runner.invoke(main, ["validate", "--config", str(news_site.config)])
        assert good.exit_code == 0, good.output
        (news_site.out / "news-sitemap.xml").unlink()
        bad = runner.invoke(main, ["validate", "--config", str(news_site.config)])
    assert bad.exit_code == 1
    path = news_site.out / "news-sitemap.xml"
    assert bad.stdout == f"{path}: error MissingPage: {path} should exist and does not\n"
