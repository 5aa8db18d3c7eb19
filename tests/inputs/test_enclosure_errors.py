"""``enclosure:`` in front matter: every wrong value is refused with its own message, naming
the file, the line and the key, and nothing is published."""

from __future__ import annotations

import pytest
from support.refusals import Snapshot, error, front, refused
from support.sites import Site

HEAD = ("title: Episode 12", "date: 2022-04-12", "countries: [india]")


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            ("enclosure: https://media.example/ep12.mp3",),
            ":5: enclosure: expected a mapping, got 'https://media.example/ep12.mp3'",
        ),
        (
            ("enclosure:", "  type: audio/mpeg"),
            ":5: enclosure.url: is required",
        ),
        (
            ("enclosure:", "  url: https://media.example/ep12.mp3"),
            ":5: enclosure.type: is required",
        ),
        (
            ("enclosure:", "  url: ep12.mp3", "  type: audio/mpeg"),
            ":6: enclosure.url: expected an absolute http(s) URL, got 'ep12.mp3'",
        ),
        (
            ("enclosure:", "  url: https://localhost/ep12.mp3", "  type: audio/mpeg"),
            ":6: enclosure.url: expected an absolute http(s) URL with a host name, got "
            "'https://localhost/ep12.mp3'",
        ),
        (
            ("enclosure:", "  url: https://media.example/ep12.pdf", "  type: application/pdf"),
            ":7: enclosure.type: expected an audio or video media type like 'audio/mpeg' or "
            "'video/mp4', got 'application/pdf'",
        ),
        (
            (
                "enclosure:",
                "  url: https://media.example/ep12.mp3",
                "  type: audio/mpeg",
                "  length: 38 MB",
            ),
            ":8: enclosure.length: expected a size in bytes (a whole number; 0 when unknown), "
            "got '38 MB'",
        ),
        (
            (
                "enclosure:",
                "  url: https://media.example/ep12.mp3",
                "  type: audio/mpeg",
                "  duration: 40 minutes",
            ),
            ":8: enclosure.duration: expected a duration in seconds, or as 'minutes:seconds' or "
            "'hours:minutes:seconds', got '40 minutes'",
        ),
        (
            (
                "enclosure:",
                "  url: https://media.example/ep12.mp3",
                "  type: audio/mpeg",
                "  size: 100",
            ),
            ":8: enclosure.size: unknown key (known keys: duration, length, type, url)",
        ),
    ],
)
def test_a_wrong_enclosure_is_refused(
    site: Site, published: Snapshot, lines: tuple[str, ...], message: str
) -> None:
    site.raw("asia/episode.md", front(*HEAD, *lines))
    assert refused(site, published) == error(site, "asia/episode.md", message)
