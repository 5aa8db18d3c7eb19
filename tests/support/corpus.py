"""The validator corpus: one small document per rule, and how some of them are checked."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

CORPUS = Path(__file__).parents[1] / "validator" / "corpus"
NOW = datetime(2024, 6, 1, tzinfo=UTC)

# Documents checked as if published at this address (rel="self" / feed_url must match it).
SELF_URLS = {
    "rss_atom_self_link_wrong_location.xml": "https://example.org/feed.xml",
    "rss_atom_self_link_relative.xml": "https://example.org/feed.xml",
    "rss_valid_minimal.xml": "https://example.org/feed.xml",
    "atom_self_link_wrong_location.xml": "https://example.org/feed.atom",
    "atom_valid_minimal.xml": "https://example.org/feed.atom",
    "json_feed_url_wrong_location.json": "https://example.org/feed.json",
    "json_valid_minimal.json": "https://example.org/feed.json",
}
