"""The three feed formats: the one home of their file names and media types, and of the
Content-Type every file of the output folder is served with (``serve``, ``deploy``).

Light (only the standard library) so that publish, websub, serve and the CLI read it on a
no-op build; the serializer of each kind is :data:`feedpub.writers.feeds.SERIALIZERS`, keyed
by ``kind``."""

from __future__ import annotations

import mimetypes
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

# By file name first (a feed's format is in its name), then by suffix: the images a content
# file may name (inputs.articles.IMAGE_TYPES) are spelled out, not left to /etc/mime.types.
MEDIA_TYPES_BY_SUFFIX = {
    ".opml": "text/x-opml",
    ".html": "text/html",
    ".css": "text/css",
    ".xml": "application/xml",
    ".xsl": "application/xslt+xml",
    ".json": "application/json",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
}
TEXT_TYPES = ("text/", *(fmt.media_type for fmt in FORMATS))


def media_type(name: str) -> str:
    """The Content-Type of a file called ``name``, with ``charset=utf-8`` for every text
    format we write (nginx's ``text/xml`` without one makes feedparser flag each fetch)."""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    kind = MEDIA_TYPES.get(name) or MEDIA_TYPES_BY_SUFFIX.get(suffix)
    if kind is None:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    text = kind.startswith(TEXT_TYPES) or kind in ("application/xml", "application/json")
    return f"{kind}; charset=utf-8" if text else kind
