"""Which articles the Google News sitemap lists at a build's clock, and when that changes.

Google's rules (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap):
only articles published in the last two days, at most 1,000 of them. Those are the newest
published ones (never a draft, an embargoed, an expired or a retracted article: ``published``
is the plan's), so an article leaves the sitemap two days after its date, and a build at that
time must publish the sitemap again without it.
"""

from __future__ import annotations

from collections.abc import Iterable

from feedpub.model import Listing
from feedpub.pipeline.withdrawn import DAY

NEWS_WINDOW = 2 * DAY  # how long an article stays in the sitemap after its date
MAX_NEWS_URLS = 1000  # as feedpub.validator.sitemap checks


def news_listings(published: Iterable[Listing], clock: float) -> list[Listing]:
    """The articles the sitemap lists at POSIX time ``clock``, of ``published`` (newest
    first, as the plan orders them): those dated less than two days before it, at most 1,000."""
    recent = [x for x in published if clock - NEWS_WINDOW < x.published <= clock]
    return recent[:MAX_NEWS_URLS]


def leaves_window(news: Iterable[Listing]) -> float | None:
    """When the first of ``news`` (the sitemap's articles) is two days old and leaves it."""
    return min((x.published + NEWS_WINDOW for x in news), default=None)
