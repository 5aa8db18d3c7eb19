"""The three feed formats: the one home of their file names and media types.

Light (no imports) so that publish, websub, serve and the CLI read it on a no-op build; the
serializer of each kind is :data:`feedpub.writers.feeds.SERIALIZERS`, keyed by ``kind``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FeedFormat:
    kind: str
    filename: str
    media_type: str


RSS = FeedFormat("rss", "rss.xml", "application/rss+xml")
ATOM = FeedFormat("atom", "atom.xml", "application/atom+xml")
JSON = FeedFormat("json", "feed.json", "application/feed+json")
FORMATS = (RSS, ATOM, JSON)
FEED_FILENAMES = tuple(fmt.filename for fmt in FORMATS)
MEDIA_TYPES = {fmt.filename: fmt.media_type for fmt in FORMATS}
