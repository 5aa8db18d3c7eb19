"""A podcast episode's ``enclosure:`` in every format: RSS ``<enclosure>`` and
``itunes:duration``, Atom ``rel="enclosure"``, a JSON Feed attachment; validated with nothing
to say (``Site.feed``), read back by feedparser, and kept by newsboat, which keeps podcast
enclosures only."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from support.sites import Site

from feedpub.validator import namespaces as ns

MP3 = "https://media.example/ep12.mp3"
EPISODE = {
    "title": "Episode 12: The fuel queues",
    "date": "2022-04-12 18:00",
    "countries": ["sri-lanka"],
    "image": "https://media.example/ep12.jpg",
    "image_alt": "A fuel queue",
    "enclosure": {"url": MP3, "type": "audio/mpeg", "length": 38432115, "duration": "40:02"},
}


@pytest.fixture
def podcast(site: Site) -> Site:
    site.article("lanka/episode-12", "Drivers wait for two days.\n", **EPISODE)
    site.article("india/other", title="Other", date="2022-04-01", countries=["india"])
    site.build()
    return site


def test_rss_has_one_enclosure_the_audio_and_its_duration(podcast: Site) -> None:
    entry = podcast.feed("asia/sri-lanka/rss.xml").entries[0]
    assert entry.enclosures == [{"href": MP3, "length": "38432115", "type": "audio/mpeg"}]
    assert entry.itunes_duration == "0:40:02"
    assert entry.media_content[0]["url"] == "https://media.example/ep12.jpg"  # the image stays
    data = (podcast.out / "asia/sri-lanka/rss.xml").read_bytes()
    assert data.count(b"<enclosure ") == 1
    assert f'xmlns:itunes="{ns.ITUNES}"'.encode() in data


def test_atom_and_json_carry_it_too(podcast: Site) -> None:
    entry = podcast.feed("asia/atom.xml").entries[0]
    assert [(x.href, x.type) for x in entry.links if x.rel == "enclosure"] == [
        (MP3, "audio/mpeg"),
        ("https://media.example/ep12.jpg", "image/jpeg"),
    ]
    item = podcast.feed("feed.json")["items"][0]
    assert item["attachments"][0] == {
        "url": MP3,
        "mime_type": "audio/mpeg",
        "size_in_bytes": 38432115,
        "duration_in_seconds": 2402,
    }
    assert item["attachments"][1]["url"] == item["image"] == "https://media.example/ep12.jpg"


def test_a_channel_without_an_episode_declares_no_itunes(podcast: Site) -> None:
    assert b"itunes" not in (podcast.out / "asia/india/rss.xml").read_bytes()
    assert b"itunes" not in (podcast.out / "europe/atom.xml").read_bytes()


def test_newsboat_keeps_the_episode(podcast: Site, tmp_path: Path) -> None:
    """newsboat (2.x) stores audio and video enclosures, the podcasts it can download; before,
    the import warned about the mp3 and the episode arrived without it."""
    binary = shutil.which("newsboat")
    if binary is None:
        if os.environ.get("FEEDPUB_REQUIRE_TOOLS") == "1":
            pytest.fail("newsboat not found: install the Debian package newsboat")
        pytest.skip("newsboat not found")
    url = (podcast.out / "asia/sri-lanka/rss.xml").as_uri()
    (tmp_path / "urls").write_text(url + "\n")
    (tmp_path / "config").write_text("")
    subprocess.run(
        [binary, "-x", "reload", "-u", "urls", "-c", "cache.db", "-C", "config"],
        cwd=tmp_path,
        env={**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)},
        check=True,
        capture_output=True,
        timeout=60,
    )
    with sqlite3.connect(tmp_path / "cache.db") as db:
        rows = db.execute("SELECT title, enclosure_url, enclosure_type FROM rss_item").fetchall()
    assert rows == [("Episode 12: The fuel queues", MP3, "audio/mpeg")]
