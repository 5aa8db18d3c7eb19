"""What a build publishes, decided from the listings alone: pure, no file is read or written.

The plan is the channels (each with its newest listings), every document's fingerprint and
the local images to copy. ``feedpub build`` compares the fingerprints with what the state
says is published to know what to regenerate; ``feedpub validate`` compares the channels with
an output folder.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from feedpub.formats import FORMATS
from feedpub.layout import channel_page_paths, feed_path, media_path
from feedpub.model import Alternate, Channel, Config, Listing
from feedpub.pipeline.archives import EMPTY, is_archive, keeps_records
from feedpub.pipeline.grouping import cut_channels, group_channels, is_published, newest_first
from feedpub.pipeline.newswindow import leaves_window, news_listings
from feedpub.pipeline.sizecap import EMPTY_HISTORIES, has_size_caps
from feedpub.pipeline.state import CachedFile, build_key
from feedpub.pipeline.translations import alternates
from feedpub.pipeline.withdrawn import NONE_WITHDRAWN, Withdrawn, next_change


class Plan(NamedTuple):
    """What a build publishes. What it regenerates is the channels whose documents the state
    does not hold as current with these fingerprints (``State.is_current``)."""

    published: list[Listing]  # newest first
    channels: list[Channel]
    documents: dict[tuple[str, ...], list[str]]  # channel path -> its feeds' and pages' paths
    fingerprints: dict[str, str]  # document path -> what its bytes depend on
    media: dict[str, str]  # output path under _media/ -> the local image, sorted by path
    next_due: float | None  # when a build would next publish something else (see next_change)
    # Published article id -> its published translations (only articles that have some).
    alternates: dict[str, tuple[Alternate, ...]] = {}  # never mutated
    news: list[Listing] = []  # the news sitemap's articles, newest first (none when it is off)
    # Size caps (pipeline/sizecap): how many articles a capped current feed keeps, by channel
    # path, and, when feeds.yaml sets any max_feed_bytes, each channel's history.
    caps: Mapping[tuple[str, ...], int] = EMPTY
    histories: Mapping[tuple[str, ...], Channel] = EMPTY_HISTORIES
    withdrawn: Withdrawn = NONE_WITHDRAWN

    def window(self) -> dict[str, Listing]:
        """The articles whose records the state keeps, by id: those of the current feeds (an
        archive page is regenerated only when its articles change)."""
        return {
            x.id: x for channel in self.channels if keeps_records(channel) for x in channel.listings
        }


def make_plan(
    config: Config,
    content: Path,
    listings: list[Listing],
    files: dict[str, CachedFile],
    clock: float,
    caps: Mapping[tuple[str, ...], int] = EMPTY,
) -> Plan:
    """The plan of a build at POSIX time ``clock`` (``files``: the scan's, for image stats),
    its current feeds keeping the number of articles ``caps`` gives them."""

    published = newest_first(x for x in listings if is_published(x, clock))
    withdrawn = Withdrawn.of(listings, clock, config.site)
    histories = group_channels(config, published, withdrawn)
    channels = cut_channels(config, histories, withdrawn, caps)
    translated = alternates(listings, published, content)
    documents: dict[tuple[str, ...], list[str]] = {}
    fingerprints: dict[str, str] = {}
    by_path = {h.path: h for h in histories} if has_size_caps(config) else EMPTY_HISTORIES
    depends = Depends(files, translated, {})
    for channel in channels:
        key = fingerprint(config, channel, depends)
        if channel.path in caps:  # what it could hold decides how much it holds
            key = _widened(key, by_path[channel.path], config.site.limit)
        documents[channel.path] = [
            *(feed_path(channel.path, fmt) for fmt in FORMATS),
            *([] if is_archive(channel) else channel_page_paths(channel.path)),
        ]
        fingerprints.update(dict.fromkeys(documents[channel.path], key))
    media = media_sources(channels, content)
    next_due = next_change(listings, clock, config.site)
    news = news_listings(published, clock) if config.site.news_sitemap else []
    leaves = leaves_window(news)
    if leaves is not None:
        next_due = leaves if next_due is None else min(next_due, leaves)
    plan = Plan(published, channels, documents, fingerprints, media, next_due, translated, news)
    return plan._replace(caps=caps, histories=by_path, withdrawn=withdrawn)


def _widened(key: str, history: Channel, limit: int) -> str:
    """A capped current feed's fingerprint, with the articles it leaves out for size: if
    one changes, the feed may hold more (or fewer) of them."""
    window = "".join(f"{x.id}\0{x.digest}\0" for x in history.listings[: limit + 1])
    return hashlib.blake2b(f"{key}\0{window}".encode(), digest_size=16).hexdigest()


class Depends(NamedTuple):
    """What a channel's documents depend on beyond its own listings and the config."""

    files: dict[str, CachedFile]  # the scan's, for the stats of local images
    alternates: dict[str, tuple[Alternate, ...]]  # the articles' translations
    # Each article's part of a fingerprint by id, made once per plan: an article is in
    # several channels and, with archives, their pages (158,000 parts at 50,000 articles).
    parts: dict[str, str]


def fingerprint(config: Config, channel: Channel, depends: Depends) -> str:
    """Everything a channel's documents depend on; equal fingerprints mean equal bytes.

    A local image counts by its stat: replaced in place, it changes the enclosure's length
    while the article's own file stays the same. The wording counts too: a topic channel's
    title is the spelling most of its articles use, older ones included. So do an article's
    translations (their links and languages are in its items) and a language channel's
    siblings (its page links them); neither counts where there is none, so a site without
    translations keeps the fingerprints it had."""
    files = depends.files
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{build_key()}\0{config.digest}\0{'/'.join(channel.path)}\0".encode())
    h.update(f"{channel.title}\0{channel.description}\0{channel.language}\0".encode())
    if channel.paging is not None:
        h.update(repr(channel.paging).encode())
    # One update of the joined text: the same digest as one update per listing, for less.
    h.update("".join(_parts(channel.listings, files, depends.parts)).encode())
    if depends.alternates:
        translated = [(x.id, depends.alternates.get(x.id)) for x in channel.listings]
        h.update(repr([pair for pair in translated if pair[1]]).encode())
    if channel.siblings:
        h.update(repr(channel.siblings).encode())
    if channel.tombstones:
        h.update(repr(channel.tombstones).encode())
    return h.hexdigest()


def _parts(
    listings: tuple[Listing, ...], files: dict[str, CachedFile], known: dict[str, str]
) -> list[str]:
    """Each listing's part of a fingerprint: its id, digest and image stat (an id is one
    article's in a build: duplicates are refused or left out)."""
    parts = []
    for x in listings:
        part = known.get(x.id)
        if part is None:
            part = known[x.id] = f"{x.id}\0{x.digest}\0{_image_stat(files, x)}\0"
        parts.append(part)
    return parts


def _image_stat(files: dict[str, CachedFile], listing: Listing) -> tuple[int, ...] | None:
    """The stat of the local image an article publishes, as its fingerprint counts it."""
    image = files[listing.source].image if listing.image else None
    return image and tuple(image)


def media_sources(channels: list[Channel], content: Path) -> dict[str, str]:
    """Output path under ``_media/`` -> the local image it is a copy of, sorted by path."""
    found = {}
    for channel in channels:
        for listing in channel.listings:
            if listing.image is not None:
                relative = Path(os.path.relpath(listing.image, content)).as_posix()
                found[media_path(relative)] = listing.image
    return dict(sorted(found.items()))
