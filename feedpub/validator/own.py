"""The build's check of its own documents before they are published: one function for every
kind it writes (feeds, HTML pages, the OPML, the news sitemap), each error as a
``path: line: message`` line.

A feed gets the validator's ``feedpub`` profile plus :func:`~feedpub.validator.output.check_feed`
(order and limit); a page its tree and markup checks (its feed links are the build's own:
``feedpub validate`` checks them on the published folder); the OPML its OPML 2.0 rules; the
news sitemap the sitemap 0.9 and sitemap-news 0.9 schemas.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from feedpub.validator import check_document
from feedpub.validator.composed import Composer, Written
from feedpub.validator.feedview import FeedView, feedpub_rules
from feedpub.validator.itemmemo import ItemMemo
from feedpub.validator.opml import check_opml
from feedpub.validator.output import Expected, check_feed
from feedpub.validator.pages import check_page
from feedpub.validator.report import format_line
from feedpub.validator.sitemap import check_news_sitemap


class OwnChecks(NamedTuple):
    """What checking a build's documents needs: the build's clock, the limits its feeds keep
    (``expected``) and the item memo, so each distinct item of a build is checked once; with
    a ``composer``, a feed spliced from items found in documents with no error is judged by
    its skeleton and the rules across its items (see :mod:`feedpub.validator.composed`)."""

    now: datetime
    expected: Expected
    items: ItemMemo | None = None
    composer: Composer | None = None


def error_lines(document: Written, checks: OwnChecks) -> list[str]:
    """The errors in one document this build made, as lines (none: it may be published)."""
    if checks.composer is not None and document.kind in ("rss", "atom"):
        return checks.composer.error_lines(
            document,
            checks.now,
            lambda written: feed_error_lines(written, checks),
            lambda view, written: _across_items(view, written, checks),
        )
    path, data = document.path, document.data
    if document.kind not in ("html", "opml", "sitemap"):
        return feed_error_lines(document, checks)[0]
    if document.kind == "html":
        messages = check_page(data).messages
    elif document.kind == "opml":
        messages = check_opml(data, checks.now)
    else:
        messages = check_news_sitemap(data)
    return [format_line(path, m) for m in messages if m.severity == "error"]


def feed_error_lines(document: Written, checks: OwnChecks) -> tuple[list[str], FeedView | None]:
    """The errors in one feed document, checked whole, and its feed view."""
    checked = check_document(
        document.data,
        kind=document.kind,
        self_url=document.url,
        now=checks.now,
        profile="feedpub",
        items=checks.items,
    )
    messages = checked.messages
    if checked.view is not None:
        messages += check_feed(checked.view, document.path, checks.now, checks.expected)
    lines = [format_line(document.path, m) for m in messages if m.severity == "error"]
    return lines, checked.view


def _across_items(view: FeedView, document: Written, checks: OwnChecks) -> list[str]:
    """The error lines of the rules that read a feed's entries together (and each entry's
    own feedpub rules, once per build through the item memo), for a composed verdict."""
    messages = feedpub_rules(view, document.url, checks.now, checks.items)
    messages += check_feed(view, document.path, checks.now, checks.expected)
    return [format_line(document.path, m) for m in messages if m.severity == "error"]
