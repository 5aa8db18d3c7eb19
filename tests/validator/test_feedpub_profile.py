"""The validator's ``feedpub`` profile: single-document rules feedpub's own output keeps, once
validator/output.py's (issue 8), raised to errors only for our output; and the parse shared with the
build checks."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feedpub.validator import check_document, validate_document

NOW = datetime(2024, 6, 1, tzinfo=UTC)
ATOM = "http://www.w3.org/2005/Atom"
RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="{ATOM}"><channel>
<title>T</title><link>https://example.org/</link><description>D</description>
<atom:link href="https://example.org/feeds/other.xml" rel="self" type="application/rss+xml"/>
<item><title>A</title><link>https://example.org/a/</link><guid>tag:example.org,2022:a</guid>
<pubDate>Fri, 31 May 2024 10:00:00 +0000</pubDate></item>
<item><title>B</title><link>b/</link><guid>tag:example.org,2022:a</guid>
<pubDate>Tue, 01 Jul 2025 09:00:00 +0000</pubDate></item>
</channel></rss>
""".encode()
OURS = ("DuplicateId", "RelativeURL", "FutureDate", "SelfLinkMismatch")


def test_the_profile_raises_feedpubs_rules_to_errors() -> None:
    url = "https://example.org/feeds/rss.xml"
    found = validate_document(RSS, self_url=url, now=NOW, profile="feedpub")
    assert [(m.severity, m.code, m.message) for m in found if m.code in OURS] == [
        ("error", "DuplicateId", "item 2: id 'tag:example.org,2022:a' appears twice"),
        ("error", "RelativeURL", "item 2: 'b/' is not absolute (readers ignore xml:base)"),
        ("error", "FutureDate", "item 2: dated 2025-07-01T09:00:00+00:00, after the build"),
        (
            "error",
            "SelfLinkMismatch",
            "self link is 'https://example.org/feeds/other.xml', but the document is "
            "published at 'https://example.org/feeds/rss.xml'",
        ),
    ]


def test_without_the_profile_a_feed_from_elsewhere_gets_none_of_them() -> None:
    found = validate_document(RSS, now=NOW)
    assert [m.code for m in found if m.code in OURS] == []


def test_an_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="profile must be one of feedpub or None"):
        validate_document(RSS, profile="strict")


def test_check_document_gives_the_build_checks_what_they_need() -> None:
    view = check_document(RSS, now=NOW).view
    assert view is not None
    assert [(e.id, e.link) for e in view.entries] == [
        ("tag:example.org,2022:a", "https://example.org/a/"),
        ("tag:example.org,2022:a", "b/"),
    ]
    assert view.self_url == "https://example.org/feeds/other.xml"


def test_the_output_check_parses_no_document_itself() -> None:
    """It compares what the validator read: it imports no parser."""
    source = Path(__file__).resolve().parents[2] / "feedpub" / "validator" / "output.py"
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    assert not imported & {"lxml", "json", "email", "xml"}


def test_a_json_attachment_with_a_relative_url_is_refused() -> None:
    """A podcast episode's audio is a JSON Feed attachment: its URL is one readers fetch."""
    document = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "T",
    "feed_url": "https://example.org/feeds/feed.json", "items": [{"id": "tag:example.org,2022:a",
    "url": "https://example.org/a/", "content_html": "<p>A</p>",
    "date_published": "2024-05-31T10:00:00+00:00",
    "attachments": [{"url": "ep12.mp3", "mime_type": "audio/mpeg"}]}]}"""
    found = validate_document(
        document, self_url="https://example.org/feeds/feed.json", now=NOW, profile="feedpub"
    )
    assert [(m.code, m.message) for m in found if m.code in OURS] == [
        ("RelativeURL", "item 1: 'ep12.mp3' is not absolute (readers ignore xml:base)")
    ]
