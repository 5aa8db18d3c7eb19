"""The output layout: where every file a build publishes goes, and the URL it is served at.

The one home of these spellings (like mkdocs' ``File``, which owns each file's destination and
URL): feeds, channel pages, the index, the OPML, the news sitemap, RFC 5005 archive pages and
copied images.
Paths are relative to the output folder, with ``/`` separators; URLs are ``site.feeds_url``
plus the path, since the output folder is what is served there. A channel is named by its
path, a tuple of keys: ``()`` for the combined channel, ``("asia",)`` for a region,
``("asia", "sri-lanka")`` for a country, ``("tags", "labour")`` for a topic channel (a tag, an
author, a language or a named filter: see :data:`TOPIC_FOLDERS`) and
``("asia", "archive", "3")`` for an archive page.

Light (it imports only :mod:`feedpub.formats` and the standard library), so every stage and
command may use it, and a no-op build reads it without loading a writer.

    public/
      rss.xml atom.xml feed.json      the combined channel's current feeds
      index.html feeds.opml           the site's page and its subscription list
      countries.opml regions.opml     the subscription lists of one level each
      news-sitemap.xml                the Google News sitemap (with site.news_sitemap)
      <region>/[<country>/]           a channel's feeds and its page (index.html)
      tags|authors|languages|filters/<slug>/   a topic channel's feeds and its page
      .../archive/<n>/                a channel's archive page n, in every format
      _media/<path in content/>       local images, copied

A preview (``feedpub serve``) is built the same way into ``<state folder>/preview/``, with
its own address in place of ``site.feeds_url``.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, urljoin

from feedpub.formats import FEED_FILENAMES, FeedFormat

ChannelPath = tuple[str, ...]

PAGE_FILENAME = "index.html"
OPML_PATH = "feeds.opml"  # every channel
# Subscription lists of one level each, whose feeds share no item (but an article's that
# names two countries): for readers that keep each id once across all feeds (newsboat).
LEVEL_OPML_PATHS = {"country": "countries.opml", "region": "regions.opml"}
OPML_PATHS = (OPML_PATH, *LEVEL_OPML_PATHS.values())
NEWS_SITEMAP_PATH = "news-sitemap.xml"  # the last two days' articles, for Google News
ARCHIVE_FOLDER = "archive"
MEDIA_FOLDER = "_media"
PREVIEW_FOLDER = "preview"  # in the state folder: where `feedpub serve` builds its preview
# The names of the files a build publishes in a channel's folder (stale-feed walks look for them).
OUTPUT_FILENAMES = (*FEED_FILENAMES, PAGE_FILENAME, *OPML_PATHS, NEWS_SITEMAP_PATH)
# Each kind of topic channel -> the folder holding its channels. These names may not be region
# or country keys while their kind is on (feeds.yaml's checks say so).
TOPIC_FOLDERS = {"tag": "tags", "author": "authors", "language": "languages", "filter": "filters"}
# The index's section and the OPML's outline for each kind, in the order they are listed.
TOPIC_HEADINGS = {"tag": "Tags", "author": "Authors", "language": "Languages", "filter": "Filters"}


def topic_channel(kind: str, slug: str) -> ChannelPath:
    """The path of a topic channel: ``("tags", "labour")``."""
    return (TOPIC_FOLDERS[kind], slug)


def channel_folder(path: ChannelPath) -> str:
    """A channel's folder under the output folder and feeds_url: ``asia/india/``, or ``""``
    for the combined channel."""
    return "".join(f"{part}/" for part in path)


def feed_path(path: ChannelPath, fmt: FeedFormat) -> str:
    """A channel's feed in one format: ``asia/india/rss.xml``."""
    return channel_folder(path) + fmt.filename


def page_path(path: ChannelPath) -> str:
    """A channel's page: ``index.html`` (the site's index), ``asia/sri-lanka/index.html``."""
    return channel_folder(path) + PAGE_FILENAME


def channel_page_paths(path: ChannelPath) -> list[str]:
    """The pages a channel has besides its feeds (the combined channel's is the index, which
    is the site's page, written with the OPML)."""
    return [page_path(path)] if path else []


def feed_url(feeds_url: str, path: ChannelPath, fmt: FeedFormat) -> str:
    return feeds_url + feed_path(path, fmt)


def page_url(feeds_url: str, path: ChannelPath) -> str:
    """The address of a channel's page: its folder, which a web server answers with the page."""
    return feeds_url + channel_folder(path)


def archive_page(path: ChannelPath, number: int) -> ChannelPath:
    """The path of archive page ``number`` of the channel at ``path``."""
    return (*path, ARCHIVE_FOLDER, str(number))


def is_archive_page(relative: str) -> bool:
    """Whether an output-relative document path is an archive page (``.../archive/<n>/x``).

    Unambiguous: with archives on, no region or country may be called ``archive``."""
    parts = relative.split("/")
    return len(parts) >= 3 and parts[-3] == ARCHIVE_FOLDER and parts[-2].isdigit()


def archive_folder(folder: str) -> str:
    """The folder holding the archive pages of the channel in ``folder`` (``asia/archive/``)."""
    return folder + ARCHIVE_FOLDER + "/"


def media_path(relative: str) -> str:
    """Where a local image at ``relative`` (inside the content folder) is copied."""
    return f"{MEDIA_FOLDER}/{relative}"


def media_url(feeds_url: str, relative: str) -> str:
    """The address of the copy of the local image at ``relative`` in the content folder."""
    return urljoin(feeds_url, quote(media_path(relative)))


def is_media(relative: str) -> bool:
    return relative.startswith(MEDIA_FOLDER + "/")


class OutputKind(StrEnum):
    """What a file of the output folder is, for those that serve it (``feedpub deploy`` picks
    its Cache-Control and its turn by this; the values are the keys of
    ``deploy.cache_control`` in feeds.yaml)."""

    MEDIA = "media"  # _media/...: a copied local image
    ARCHIVE = "archive"  # .../archive/<n>/<feed>: an archive page
    PAGE = "page"  # <channel>/index.html: a channel's page
    FEED = "feed"  # [<channel>/]<feed>: a current feed
    OPML = "opml"  # feeds.opml and the lists of one level
    INDEX = "index"  # index.html: the site's page
    OTHER = "other"  # anything else someone put there (a stylesheet, robots.txt)


def output_kind(relative: str) -> OutputKind:
    """The kind of the file at ``relative`` (output-relative, ``/``-separated)."""
    name = relative.rsplit("/", 1)[-1]
    if is_media(relative):
        return OutputKind.MEDIA
    if relative in OPML_PATHS:
        return OutputKind.OPML
    if relative == PAGE_FILENAME:
        return OutputKind.INDEX
    if name == PAGE_FILENAME:
        return OutputKind.PAGE
    if name in FEED_FILENAMES:
        return OutputKind.ARCHIVE if is_archive_page(relative) else OutputKind.FEED
    return OutputKind.OTHER


def archive_page_number(relative: str) -> tuple[str, int] | None:
    """(the archive folder, the page's number) of an archive page's path, else None:
    ``asia/archive/3/rss.xml`` gives ``("asia/archive/", 3)``."""
    if not is_archive_page(relative):
        return None
    folder, number, _ = relative.rsplit("/", 2)
    return (folder + "/", int(number)) if number.isascii() else None


class StateFiles(NamedTuple):
    """An output folder's files in the state folder, named by a digest of its path (two sites
    may share one state folder)."""

    database: Path  # the State
    listings: Path  # every content file's listing, beside it
    changes: Path  # the listings changed since they were last written whole
    websub_queue: Path  # pings to retry
    noop_stamp: Path  # what the quiet no-op compares (feedpub.quick)

    @classmethod
    def of(cls, state: Path, out: Path) -> StateFiles:
        key = hashlib.blake2b(str(out.resolve()).encode(), digest_size=6).hexdigest()
        return cls(
            state / f"state-{key}.sqlite",
            state / f"state-{key}.listings",
            state / f"state-{key}.changes",
            state / f"websub-{key}.json",
            state / f"noop-{key}.stamp",
        )


class SitePaths(NamedTuple):
    """Where a site is read and written: its content, output and state folders, each beside
    feeds.yaml unless given."""

    content: Path
    out: Path
    state: Path

    @classmethod
    def of(
        cls,
        config: Path,
        content: Path | None = None,
        out: Path | None = None,
        state: Path | None = None,
    ) -> SitePaths:
        base = config.parent
        return cls(content or base / "content", out or base / "public", state or base / ".feedpub")

    @property
    def state_files(self) -> StateFiles:
        return StateFiles.of(self.state, self.out)

    @property
    def preview(self) -> Path:
        """The output folder of ``feedpub serve``'s preview build: never the site's own."""
        return self.state / PREVIEW_FOLDER
