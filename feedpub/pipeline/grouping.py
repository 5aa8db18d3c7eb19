"""Articles -> channels: the combined site feed, one per region, one per country, and the
topic channels (:mod:`feedpub.pipeline.topics`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from operator import attrgetter

from feedpub.model import Channel, Config, Listing
from feedpub.pipeline.archives import EMPTY, current_of, with_archives
from feedpub.pipeline.topics import topic_channels
from feedpub.pipeline.withdrawn import NONE_WITHDRAWN, Withdrawn


def is_published(listing: Listing, now: float) -> bool:
    """Drafts never; future-dated articles (``now`` is a POSIX time) from the first build after
    their date, until they expire or are retracted."""
    gone = listing.gone
    return not listing.draft and listing.published <= now and (gone is None or gone > now)


def newest_first(listings: Iterable[Listing]) -> list[Listing]:
    """Newest publication date first; the id breaks ties so the order never varies.

    Two stable sorts on C-level keys: half the time of one sort on a (-date, id) tuple."""
    ordered = sorted(listings, key=attrgetter("id"))
    ordered.sort(key=attrgetter("published"), reverse=True)
    return ordered


def build_channels(
    config: Config,
    listings: list[Listing],
    withdrawn: Withdrawn = NONE_WITHDRAWN,
    caps: Mapping[tuple[str, ...], int] = EMPTY,
) -> list[Channel]:
    """Every channel of the site, each with at most ``site.limit`` of ``listings`` (or the
    number ``caps`` gives it), followed by the channels' archive pages (with ``site.archives``,
    see :mod:`feedpub.pipeline.archives`).

    ``listings`` must be published and newest first (see :func:`newest_first`). An article is
    in the combined feed, in each of its countries' feeds and in their regions' feeds (once),
    and in the topic channels of its tags, authors and language, and the filters choosing it.
    The ``withdrawn`` articles are grouped with them, then buried (see
    :mod:`feedpub.pipeline.withdrawn`): they keep their places, and leave their tombstones.
    """
    return cut_channels(config, group_channels(config, listings, withdrawn), withdrawn, caps)


def cut_channels(
    config: Config,
    channels: list[Channel],
    withdrawn: Withdrawn,
    caps: Mapping[tuple[str, ...], int] = EMPTY,
) -> list[Channel]:
    """The documents of channels that :func:`group_channels` made: current feeds and
    archive pages, without the withdrawn articles."""
    site = config.site
    if site.archives:
        return with_archives(config, channels, withdrawn, caps)
    if withdrawn.listings or caps:
        return [current_of(config, c, caps.get(c.path, site.limit), withdrawn) for c in channels]
    return channels


def group_channels(config: Config, listings: list[Listing], withdrawn: Withdrawn) -> list[Channel]:
    """Every channel with its articles: all of them with archives or withdrawn articles
    (both need the whole history), else its ``site.limit`` newest."""
    site = config.site
    if withdrawn.listings:
        listings = newest_first([*listings, *withdrawn.listings])
    limit = len(listings) if site.archives or withdrawn.listings else site.limit
    per_region: dict[str, list[Listing]] = {region.key: [] for region in config.regions}
    per_country: dict[str, list[Listing]] = {
        country.key: [] for region in config.regions for country in region.countries
    }
    for listing in listings:
        for region_key in listing.regions:
            bucket = per_region[region_key]
            if len(bucket) < limit:
                bucket.append(listing)
        for country_key in listing.countries:
            bucket = per_country[country_key]
            if len(bucket) < limit:
                bucket.append(listing)
    channels = [Channel((), site.title, site.description, site.language, tuple(listings[:limit]))]
    for region in config.regions:
        channels.append(
            Channel(
                (region.key,),
                f"{site.title} — {region.title}",
                region.description or f"{site.description} ({region.title})",
                site.language,
                tuple(per_region[region.key]),
                kind="region",
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
                    kind="country",
                )
            )
    if config.topics.any():
        channels += topic_channels(config, listings, limit)
    return channels
