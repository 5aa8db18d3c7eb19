"""feeds.yaml values that passed the checks and then published wrong feeds (issue 9)."""

from __future__ import annotations

import pytest
from support.refusals import Snapshot, changed, one, refused
from support.sites import Site

PATTERN = (
    ":7: site.link_pattern: expected a pattern relative to site.url using {slug} and "
    "optionally {year}, {month}, {day}, got "
)


@pytest.mark.parametrize(
    "pattern", ["{{slug}}/", "{slug!r}/", "{slug:>20}/", "{slug}/{{x}}", "{slug}{"]
)
def test_a_link_pattern_whose_slug_is_not_a_field(
    site: Site, published: Snapshot, pattern: str
) -> None:
    config = changed("  language: en\n", f"  language: en\n  link_pattern: '{pattern}'\n")
    assert refused(site, published, config) == one(site, PATTERN + repr(pattern))


def test_feeds_url_with_a_query_string(site: Site, published: Snapshot) -> None:
    config = changed(
        "feeds_url: https://example.org/feeds/", "feeds_url: https://example.org/feeds/?v=1"
    )
    assert refused(site, published, config) == one(
        site,
        ":5: site.feeds_url: expected an absolute http(s) URL of a folder, with no query "
        "('?...') or fragment ('#...'), got 'https://example.org/feeds/?v=1'",
    )


def test_site_url_with_a_fragment(site: Site, published: Snapshot) -> None:
    config = changed("url: https://example.org/\n", "url: https://example.org/#home\n")
    assert refused(site, published, config) == one(
        site,
        ":4: site.url: expected an absolute http(s) URL of a folder, with no query "
        "('?...') or fragment ('#...'), got 'https://example.org/#home'",
    )


def test_an_empty_fragment_or_query_counts(site: Site, published: Snapshot) -> None:
    config = changed("url: https://example.org/\n", "url: https://example.org/?\n")
    assert "site.url: expected an absolute http(s) URL of a folder" in refused(
        site, published, config
    )
