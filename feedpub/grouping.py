"""Articles -> channels: the combined site feed, one per region, one per country."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from feedpub.model import Article, Channel, Config


def is_published(article: Article, now: datetime) -> bool:
    """Drafts never; future-dated articles from the first build after their date."""
    return not article.draft and article.published <= now


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Newest publication date first; the id breaks ties so the order never varies."""
    return sorted(articles, key=lambda a: (-a.published.timestamp(), a.id))


def build_channels(config: Config, articles: list[Article]) -> list[Channel]:
    """Every channel of the site, each with at most ``site.limit`` of ``articles``.

    ``articles`` must be published and newest first (see :func:`newest_first`). An article is
    in the combined feed, in each of its countries' feeds and in their regions' feeds (once).
    """
    site = config.site
    limit = site.limit
    per_region: dict[str, list[Article]] = {region.key: [] for region in config.regions}
    per_country: dict[str, list[Article]] = {
        country.key: [] for region in config.regions for country in region.countries
    }
    for article in articles:
        for region_key in article.regions:
            bucket = per_region[region_key]
            if len(bucket) < limit:
                bucket.append(article)
        for country_key in article.countries:
            bucket = per_country[country_key]
            if len(bucket) < limit:
                bucket.append(article)
    channels = [Channel((), site.title, site.description, site.language, tuple(articles[:limit]))]
    for region in config.regions:
        channels.append(
            Channel(
                (region.key,),
                f"{site.title} — {region.title}",
                region.description or f"{site.description} ({region.title})",
                site.language,
                tuple(per_region[region.key]),
            )
        )
        for country in region.countries:
            channels.append(
                Channel(
                    (region.key, country.key),
                    f"{site.title} — {country.title}",
                    country.description or f"{site.description} ({country.title})",
                    country.language or site.language,
                    tuple(per_country[country.key]),
                )
            )
    return channels
