"""Checks over a whole build output, beyond what each document's validation can see.

Each document on its own may be valid and the build still wrong: an article missing from its
country's feed, another id for the same article in the Atom feed, items out of order. These
checks compare the feeds of an output folder (RSS, Atom and JSON alike, as the validator read
them: :class:`FeedView`) with each other and, when the site's config is known, with what the
build should contain. The rules a single document holds are the validator's ``feedpub``
profile (DuplicateId, RelativeURL, FutureDate, SelfLinkMismatch).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from feedpub.formats import FEED_FILENAMES as FEED_FILES
from feedpub.formats import RSS
from feedpub.layout import is_archive_page
from feedpub.validator import Message
from feedpub.validator.feedview import Entry, FeedView

__all__ = ["Entry", "Expected", "FeedView", "check_build", "check_feed"]


@dataclass(frozen=True)
class Expected:
    """What a build should have published: each channel folder's article ids, newest first
    (archive pages among them); ``page_size`` is the archive pages' limit, if there are any."""

    feeds_url: str
    limit: int
    channels: dict[str, list[str]]
    sources: dict[str, str]  # article id -> content file, for messages
    page_size: int | None = None
    news_sitemap: bool = False  # site.news_sitemap is on: news-sitemap.xml must be there

    def limit_of(self, relative: str) -> int:
        if self.page_size is not None and is_archive_page(relative):
            return self.page_size
        return self.limit


def _error(code: str, text: str) -> Message:
    return Message("error", code, text, None, None)


def check_feed(
    view: FeedView, relative: str, now: datetime, expected: Expected | None
) -> list[Message]:
    """The order and limit of one feed's items (its other rules are the validator's
    ``feedpub`` profile)."""
    messages = []
    dates = [e.date for e in view.entries if e.date is not None]
    if any(a < b for a, b in zip(dates, dates[1:], strict=False)):
        messages.append(_error("NotNewestFirst", "items are not newest first"))
    if expected is not None:
        limit = expected.limit_of(relative)
        if len(view.entries) > limit:
            messages.append(
                _error("OverLimit", f"{len(view.entries)} items, over the limit of {limit}")
            )
    return messages


def check_build(
    out: Path, views: dict[str, FeedView], now: datetime, expected: Expected | None
) -> dict[str, list[Message]]:
    """Messages per output-relative file: each feed's own checks, then the cross-feed ones."""
    messages = {
        relative: check_feed(view, relative, now, expected) for relative, view in views.items()
    }
    ids_by_link: dict[str, tuple[str, str]] = {}
    for relative, view in views.items():
        for entry in view.entries:
            first = ids_by_link.setdefault(entry.link, (entry.id, relative))
            if entry.link and first[0] != entry.id:
                messages[relative].append(
                    _error(
                        "IdDiffers",
                        f"{entry.link} has id {entry.id!r} here but {first[0]!r} in {first[1]}",
                    )
                )
    for folder in sorted({_folder(relative) for relative in views}):
        formats = {name: views.get(folder + name) for name in FEED_FILES}
        lists = {name: [e.id for e in view.entries] for name, view in formats.items() if view}
        reference = lists.get(RSS.filename) or next(iter(lists.values()), [])
        for name, ids in lists.items():
            if ids != reference:
                messages[folder + name].append(
                    _error(
                        "FormatsDiffer",
                        f"its items differ from {folder}{RSS.filename} (ids or order)",
                    )
                )
    if expected is not None:
        _check_membership(out, views, expected, messages)
    return messages


def _check_membership(
    out: Path, views: dict[str, FeedView], expected: Expected, messages: dict[str, list[Message]]
) -> None:
    for folder, ids in expected.channels.items():
        for name in FEED_FILES:
            relative = folder + name
            view = views.get(relative)
            if view is None:
                messages.setdefault(relative, []).append(
                    _error("MissingFeed", f"{out / relative} should exist and does not")
                )
                continue
            found = [entry.id for entry in view.entries]
            for article_id in ids:
                if article_id not in found:
                    messages[relative].append(
                        _error(
                            "MissingArticle",
                            f"{article_id} "
                            f"({expected.sources.get(article_id, '?')}) belongs in this feed",
                        )
                    )
            for article_id in found:
                if article_id not in ids:
                    messages[relative].append(
                        _error(
                            "UnexpectedArticle",
                            f"{article_id} does not belong in this feed (its countries, "
                            "region, tags, authors and language do not put it here)",
                        )
                    )
            if set(found) == set(ids) and found != ids:
                messages[relative].append(
                    _error("WrongOrder", "items are not in the build's order")
                )
    for relative in views:
        if _folder(relative) not in expected.channels:
            messages[relative].append(
                _error("UnknownChannel", "no channel in feeds.yaml publishes here")
            )


def _folder(relative: str) -> str:
    return relative.rpartition("/")[0] + "/" if "/" in relative else ""
