"""``site.webfeeds``: Feedly's elements in every RSS channel, read back by feedparser; none
anywhere when the keys are absent."""

from __future__ import annotations

import copy

from support.sites import BASE_CONFIG, Site

WEBFEEDS = {
    "icon": "https://example.org/icon.svg",
    "logo": "https://example.org/logo.svg",
    "cover": "https://example.org/cover.jpg",
    "accent_color": "00a3e0",
}


def test_every_rss_channel_carries_them(site: Site) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"]["webfeeds"] = WEBFEEDS
    site.write_config(config)
    site.article("one", title="One", date="2024-05-01", countries=["india"])
    site.build()
    for path in ("rss.xml", "asia/rss.xml", "asia/india/rss.xml", "europe/france/rss.xml"):
        feed = site.feed(path).feed  # parsed by feedparser, and not a word from our validator
        assert feed.webfeeds_icon == WEBFEEDS["icon"], path
        assert feed.webfeeds_logo == WEBFEEDS["logo"], path
        assert feed.webfeeds_cover == {"image": WEBFEEDS["cover"]}, path
        assert feed.webfeeds_accentcolor == "00a3e0", path
    assert b"webfeeds" not in (site.out / "atom.xml").read_bytes()
    assert len(site.feed("asia/india/rss.xml").entries) == 1


def test_only_those_given(site: Site) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"]["webfeeds"] = {"accent_color": "FFCC00"}
    site.write_config(config)
    site.build()
    data = (site.out / "rss.xml").read_bytes()
    assert data.count(b"<webfeeds:") == 1
    assert site.feed("rss.xml").feed.webfeeds_accentcolor == "FFCC00"


def test_without_the_keys_no_namespace_at_all(site: Site) -> None:
    site.article("one", title="One", date="2024-05-01", countries=["india"])
    site.build()
    for path in site.out.rglob("*"):
        if path.is_file():
            assert b"webfeeds" not in path.read_bytes(), path
