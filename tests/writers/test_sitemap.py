"""The news sitemap writer's parts: Google's language codes, URLs as the sitemaps protocol
wants them, publication names per language, and the 1,000 newest of the two-day window."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from support.refusals import GOOD
from support.sites import Site

from feedpub.inputs.config import load_config
from feedpub.model import Article, Listing, NewsSitemap
from feedpub.pipeline.newswindow import DAY, MAX_NEWS_URLS, leaves_window, news_listings
from feedpub.validator.sitemap import check_news_sitemap
from feedpub.writers.sitemap import google_language, render_news_sitemap, sitemap_url

CLOCK = datetime(2024, 6, 1, 12, 0, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en", "en"),
        ("en-gb", "en"),
        ("si", "si"),
        ("fil", "fil"),
        ("zh", "zh-cn"),
        ("zh-cn", "zh-cn"),
        ("zh-hans-sg", "zh-cn"),
        ("zh-tw", "zh-tw"),
        ("zh-hk", "zh-tw"),
        ("zh-Hant", "zh-tw"),
    ],
)
def test_google_language(tag: str, code: str) -> None:
    assert google_language(tag) == code


def test_sitemap_url_encodes_what_urls_cannot_hold() -> None:
    assert sitemap_url("https://example.org/a/?x=1&y=2#f") == "https://example.org/a/?x=1&y=2#f"
    assert sitemap_url("https://example.org/%E0%B6%BD/") == "https://example.org/%E0%B6%BD/"
    assert sitemap_url("https://example.org/ල a/") == "https://example.org/%E0%B6%BD%20a/"


def test_the_publication_name_by_tag_then_primary_subtag() -> None:
    names = NewsSitemap((("zh", "亞洲"), ("zh-tw", "亞洲台")))
    assert names.name_for("zh-tw", "Desk") == "亞洲台"
    assert names.name_for("zh-cn", "Desk") == "亞洲"
    assert names.name_for("en", "Desk") == "Desk"


def listing(n: int, published: float) -> Listing:
    return Listing(published, f"id{n}", f"s{n}", f"s{n}.md", False, (), (), "", None)


def test_at_most_the_thousand_newest_of_the_last_two_days() -> None:
    newest_first = [listing(n, CLOCK - n * 60) for n in range(MAX_NEWS_URLS + 5)]
    chosen = news_listings(newest_first, CLOCK)
    assert chosen == newest_first[:MAX_NEWS_URLS]
    assert leaves_window(chosen) == CLOCK - (MAX_NEWS_URLS - 1) * 60 + 2 * DAY
    edge = [listing(1, CLOCK - 2 * DAY + 1), listing(2, CLOCK - 2 * DAY), listing(3, CLOCK + 1)]
    assert news_listings(edge, CLOCK) == edge[:1]
    assert leaves_window([]) is None


def test_a_non_ascii_link_is_percent_encoded_and_validates(site: Site) -> None:
    site.write_config(GOOD)
    config = load_config(site.config)
    config = dataclasses.replace(
        config, site=dataclasses.replace(config.site, news_sitemap=NewsSitemap())
    )
    article = Article(
        source="a.md",
        slug="a",
        id="tag:example.org,2022:a",
        title="ශ්‍රී ලංකා",
        published=datetime(2024, 6, 1, 10, 0, tzinfo=UTC),
        updated=None,
        link="https://example.org/ශ්‍රී/?a=1&b=2",
        summary=None,
        image=None,
        authors=(),
        tags=(),
        countries=(),
        regions=(),
        language="zh-TW",
        draft=False,
        digest="",
    )
    data = render_news_sitemap(config, [article])
    encoded = "%E0%B7%81%E0%B7%8A%E2%80%8D%E0%B6%BB%E0%B7%93"  # ශ්‍රී in UTF-8
    assert f"<loc>https://example.org/{encoded}/?a=1&amp;b=2</loc>".encode() in data
    assert b"<news:language>zh-tw</news:language>" in data
    assert b"<news:publication_date>2024-06-01T10:00:00+00:00</news:publication_date>" in data
    assert check_news_sitemap(data) == []
