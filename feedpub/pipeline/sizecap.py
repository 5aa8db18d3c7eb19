"""Size caps: ``site.max_feed_bytes`` (or a region's or a country's own) bounds the bytes of
each format of a current feed. A feed that would be larger keeps fewer of its newest articles:
the most for which its RSS, Atom and JSON Feed documents all fit (at least one). With archives
on, the articles it no longer holds are in its archive pages, which count from the oldest
article as always (see :mod:`feedpub.pipeline.archives`); with archives off, they are only in
the channel's history that feeds no longer show.

How many articles a capped feed keeps (its *cap*) depends on the bytes its writers make, so
the plan, a function of the listings, takes the caps as an input (``make_plan(caps=...)``):
a build plans with the caps the state kept, :func:`fit` finds the caps of the current feeds it
regenerates, and the build plans again if any moved. The state keeps them for the next build
and for ``feedpub validate``. A capped feed's fingerprint holds the articles it leaves out, so
an edit that lets it hold more makes it regenerate. The count is the largest that fits: the
same whatever the build before it did.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from feedpub.errors import Problem
from feedpub.layout import channel_folder
from feedpub.model import Article, Channel, Config, Rendered
from feedpub.pipeline.archives import current_of
from feedpub.pipeline.withdrawn import Withdrawn

if TYPE_CHECKING:
    from feedpub.writers.itembytes import ItemCache

Caps = Mapping[tuple[str, ...], int]
EMPTY_HISTORIES: Mapping[tuple[str, ...], Channel] = MappingProxyType({})


def has_size_caps(config: Config) -> bool:
    """Whether feeds.yaml caps any feed's size."""
    return config.site.max_feed_bytes is not None or any(
        region.max_feed_bytes is not None
        or any(country.max_feed_bytes is not None for country in region.countries)
        for region in config.regions
    )


def byte_cap(config: Config, channel: Channel) -> int | None:
    """The most bytes each document of ``channel``'s current feed may have: a country's own
    cap, else its region's, else the site's (topic channels and the combined feed: the
    site's)."""
    if channel.kind in ("region", "country"):
        region = next(r for r in config.regions if r.key == channel.path[0])
        if channel.kind == "country":
            country = next(c for c in region.countries if c.key == channel.path[1])
            if country.max_feed_bytes is not None:
                return country.max_feed_bytes
        if region.max_feed_bytes is not None:
            return region.max_feed_bytes
    return config.site.max_feed_bytes


class Fitting(NamedTuple):
    """What measuring a channel's current feed at a given length needs."""

    config: Config
    withdrawn: Withdrawn
    articles: Mapping[str, Article]  # every article the fitted feeds could hold
    rendered: Mapping[str, Rendered]
    items: ItemCache


class Fitted(NamedTuple):
    caps: dict[tuple[str, ...], int]
    warnings: list[Problem]


def fit(fitting: Fitting, histories: Iterable[Channel], caps: Caps) -> Fitted:
    """``caps`` with those of ``histories`` (channels as :func:`group_channels` makes them)
    found again; a warning for each feed whose newest article alone is over its cap."""
    found = dict(caps)
    warnings = []
    limit = fitting.config.site.limit
    for history in histories:
        cap = byte_cap(fitting.config, history)
        found.pop(history.path, None)
        if cap is None:
            continue
        full = len(current_of(fitting.config, history, limit, fitting.withdrawn).listings)
        if full == 0 or _fits(fitting, history, full, cap):
            continue
        kept = _most_that_fit(fitting, history, full, cap)
        found[history.path] = kept
        if kept == 1 and not _fits(fitting, history, 1, cap):
            warnings.append(_alone_over(fitting, history, cap))
    return Fitted(found, warnings)


def _alone_over(fitting: Fitting, history: Channel, cap: int) -> Problem:
    """The warning about a feed whose newest article alone makes it over its cap."""
    newest = current_of(fitting.config, history, 1, fitting.withdrawn).listings[0]
    where = channel_folder(history.path) or "the combined feed"
    return Problem(
        newest.source,
        f"alone it makes the current feed of {where} larger than max_feed_bytes "
        f"({cap:,} bytes): that feed is published with this one article",
    )


def _most_that_fit(fitting: Fitting, history: Channel, full: int, cap: int) -> int:
    """The largest count under ``full`` whose documents fit (documents grow with their
    items), or 1 when none does."""
    low, high = 1, full  # the answer is in [low, high): high does not fit
    while high - low > 1:
        middle = (low + high) // 2
        if _fits(fitting, history, middle, cap):
            low = middle
        else:
            high = middle
    return low


def _fits(fitting: Fitting, history: Channel, count: int, cap: int) -> bool:
    """Whether every format of the channel's current feed, keeping ``count``, fits ``cap``."""
    from feedpub.writers.feeds import render_channel

    feed = current_of(fitting.config, history, count, fitting.withdrawn)
    full = dataclasses.replace(feed, articles=tuple(fitting.articles[x.id] for x in feed.listings))
    documents = render_channel(full, fitting.config, fitting.rendered, fitting.items)
    return all(len(document.data) <= cap for document in documents)


def oversize(config: Config, channel: Channel, sizes: Iterable[tuple[str, int]]) -> list[str]:
    """The build's own check of a current feed it made: no document over its cap, unless it
    holds one article (see :func:`fit`)."""
    cap = byte_cap(config, channel)
    if cap is None or len(channel.listings) <= 1:
        return []
    return [
        f"{path}: {size:,} bytes, over max_feed_bytes ({cap:,})"
        for path, size in sizes
        if size > cap
    ]
