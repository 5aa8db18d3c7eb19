"""Blogger's feed imported (issue 23, item 2): the 72 px ``s72-c`` thumbnail is not the lead
image (the full-size picture the post links is), a body without paragraphs gets a summary
from its text instead of the title again, and ``noreply@blogger.com`` is no author address."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.sites import ROOT, Site

from feedpub.commands.import_feed import import_feed

DATA = ROOT / "tests/data/import"
FULL = "https://blogger.googleusercontent.com/img/b/R29vZ2xl/s1600/cover.png"


@pytest.fixture
def blog(tmp_path: Path) -> Site:
    site = Site(tmp_path / "site")
    (site.root / "content").mkdir(parents=True)
    shutil.copy(ROOT / "feeds.yaml", site.config)
    import_feed(site.config, None, str(DATA / "blogger.xml"))
    site.build()
    return site


def test_the_lead_image_is_the_full_size_picture_and_shown_once(blog: Site) -> None:
    entry = blog.feed("asia/taiwan/rss.xml").entries[0]
    assert entry.title == "New Youth goes to print"
    assert [x.href for x in entry.enclosures] == [FULL]
    assert entry.media_content[0]["url"] == FULL
    content = entry.content[0].value
    assert "s72-c" not in content and "<figure>" not in content  # the post shows it already
    assert content.count("<img") == 1


def test_a_body_without_paragraphs_gets_a_summary_from_its_text(blog: Site) -> None:
    entries = {e.title: e for e in blog.feed("rss.xml").entries}
    wage = entries["Minimum wage, again"]
    assert wage.summary == "The minimum wage rises by 5% this year. *Not* enough, say the unions."
    # a body with paragraphs keeps the build's own summary, its first paragraph
    assert (
        entries["New Youth goes to print"].summary == "The first printed issue of New Youth is out."
    )


def test_no_reply_addresses_are_dropped(blog: Site) -> None:
    text = "\n".join(p.read_text() for p in (blog.root / "content").rglob("*.md"))
    assert "noreply@blogger.com" not in text
    for path in ("rss.xml", "atom.xml", "feed.json"):
        data = (blog.out / path).read_bytes()
        assert b"noreply" not in data and b"Lin Mei" in data, path
