"""Archived feeds (RFC 5005 section 4): a channel's whole history, in pages that stay put.

A channel's current feed holds its ``site.limit`` newest articles. Its older history is cut
into archive pages of ``site.archive_page_size`` articles counted from the OLDEST article, so
page n always holds the articles (n-1)*size+1 .. n*size in oldest-first order and a page,
once full, keeps its articles whatever is published after it.

A page exists as soon as its oldest article has left the current feed, and holds its full
share of articles from then on: the newest page overlaps the current feed (RFC 5005 allows
it; a reader de-duplicates by id). So a new article changes the current feed only, except
once in every ``size`` articles, when a new page appears and the page before it gains its
``next-archive`` link. (With a page size above ``limit + 1`` the newest page can be partial
for a while: then it grows with each article that leaves the current feed, until full.)

Links: the current feed has ``prev-archive`` to the newest page; each page has ``current``,
``prev-archive`` (but the first) and ``next-archive`` (but the newest), in RSS as
``atom:link``; JSON Feed walks the same history through ``next_url`` (current, newest page,
older pages). Only archive pages carry ``<fh:archive/>``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType

from feedpub.formats import FEED_FILENAMES, RSS
from feedpub.layout import archive_folder, archive_page, channel_folder, is_archive_page
from feedpub.model import Channel, Config, Paging
from feedpub.pipeline.withdrawn import NONE_WITHDRAWN, Withdrawn

EMPTY: Mapping[tuple[str, ...], int] = MappingProxyType({})


def with_archives(
    config: Config,
    channels: Iterable[Channel],
    withdrawn: Withdrawn = NONE_WITHDRAWN,
    caps: Mapping[tuple[str, ...], int] = EMPTY,
) -> list[Channel]:
    """Each channel (holding its whole history, newest first) cut into its current feed and
    its archive pages; every channel's pages follow all the current feeds. The ``withdrawn``
    articles count for where pages start, and are then left out of every document. A channel
    in ``caps`` keeps that many articles in its current feed instead of ``site.limit``
    (:mod:`feedpub.pipeline.sizecap`)."""
    site = config.site
    current: list[Channel] = []
    pages: list[Channel] = []
    for channel in channels:
        limit = caps.get(channel.path, site.limit)
        current.append(current_of(config, channel, limit, withdrawn))
        count = _page_count(config, channel, limit)
        if count == 0:
            continue
        size = size_of(config)
        history = channel.listings
        oldest_first = history[::-1]
        for number in range(1, count + 1):
            listings = oldest_first[(number - 1) * size : number * size][::-1]
            paging = Paging(number, number - 1 or None, number + 1 if number < count else None)
            page = dataclasses.replace(
                channel,
                path=archive_page(channel.path, number),
                listings=listings,
                paging=paging,
                siblings=(),  # only a channel's page links them: an archive page has none
            )
            pages.append(withdrawn.bury(page))
    return current + pages


def current_of(config: Config, channel: Channel, limit: int, withdrawn: Withdrawn) -> Channel:
    """The current feed of a channel holding its whole history (with archives) or its
    ``site.limit`` newest articles, when it keeps ``limit`` of them."""
    if not config.site.archives:
        return withdrawn.bury(channel, limit)
    count = _page_count(config, channel, limit)
    if count == 0:
        return withdrawn.bury(channel)
    feed = dataclasses.replace(channel, paging=Paging(0, count, None))
    return withdrawn.bury(feed, limit)


def _page_count(config: Config, channel: Channel, limit: int) -> int:
    """How many archive pages a channel has when its current feed keeps ``limit``."""
    archived = len(channel.listings) - limit
    return -(-archived // size_of(config)) if archived > 0 else 0


def channel_of(path: tuple[str, ...], paging: Paging) -> tuple[str, ...]:
    """The path of the channel a document belongs to (its own, for a current feed)."""
    return path[:-2] if paging.page else path


def links(channel: Channel, feeds_url: str, filename: str) -> list[tuple[str, str]]:
    """(rel, URL) of a document's RFC 5005 links, in the order they are written."""
    paging = channel.paging
    if paging is None:
        return []
    base = channel_of(channel.path, paging)
    found = []
    if paging.page:
        found.append(("current", _url(feeds_url, base, filename)))
    if paging.previous:
        found.append(
            ("prev-archive", _url(feeds_url, archive_page(base, paging.previous), filename))
        )
    if paging.next:
        found.append(("next-archive", _url(feeds_url, archive_page(base, paging.next), filename)))
    return found


def next_url(channel: Channel, feeds_url: str, filename: str) -> str | None:
    """JSON Feed's ``next_url``: the next older document of the channel's history."""
    for rel, url in links(channel, feeds_url, filename):
        if rel == "prev-archive":
            return url
    return None


def is_archive(channel: Channel) -> bool:
    return channel.paging is not None and channel.paging.page > 0


def keeps_records(channel: Channel) -> bool:
    """Whether the build should keep the full records of a channel's articles at hand: those
    of current feeds and of newest archive pages, the documents a new article changes."""
    return channel.paging is None or channel.paging.next is None


def channel_folders(published: Iterable[str]) -> set[str]:
    """The folders (``asia/``, ``""`` for the combined one) of the channels whose current feeds
    are among the published documents."""
    return {
        path.removesuffix(RSS.filename)
        for path in published
        if path.rsplit("/", 1)[-1] == RSS.filename and not is_archive_page(path)
    }


def archive_folders(published: Iterable[str]) -> set[str]:
    """Each live channel's archive folder (``asia/archive/``): the stale-feed walk skips them,
    :func:`obsolete_pages` checks them."""
    return {archive_folder(folder) for folder in channel_folders(published)}


def obsolete_pages(out: Path, published: set[str]) -> list[str]:
    """Archive pages of live channels that this build did not publish: pages gone because
    articles were. Only the pages after a channel's last can be, so this costs one stat per
    channel, not a walk through every page's folder."""
    counts: dict[str, int] = {}
    for path in published:
        if path.endswith("/" + RSS.filename) and is_archive_page(path):
            folder, number, _ = path.rsplit("/", 2)
            counts[folder + "/"] = max(counts.get(folder + "/", 0), int(number))
    found = []
    for folder in sorted(archive_folders(published)):
        count = counts.get(folder, 0)
        if (out / folder / str(count + 1)).is_dir():
            for entry in os.scandir(out / folder):
                if entry.name.isdigit() and int(entry.name) > count:
                    found += [
                        f"{folder}{entry.name}/{name}"
                        for name in FEED_FILENAMES
                        if os.path.exists(os.path.join(entry.path, name))
                    ]
    return sorted(found)


def remove_pages(out: Path, paths: list[str]) -> None:
    """Delete archive pages, and their folders once empty."""
    from feedpub.pipeline.publish import remove

    remove(out, paths)
    pages = {(out / path).parent for path in paths}
    for folder in [*sorted(pages), *sorted({page.parent for page in pages})]:
        try:
            os.rmdir(folder)  # the page's folder, then archive/ if no page is left
        except OSError:
            pass  # not empty


def _url(feeds_url: str, path: tuple[str, ...], filename: str) -> str:
    return feeds_url + channel_folder(path) + filename


def page_size(config: Config) -> int | None:
    """The most articles an archive page holds, or None when the site has no archives."""
    return size_of(config) if config.site.archives else None


def size_of(config: Config) -> int:
    """How many articles an archive page holds (``site.archive_page_size``, or the limit)."""
    return config.site.archive_page_size or config.site.limit
