"""Hostile inputs found in review: what `import feed` writes, the build accepts, and what the
build publishes passes `feedpub validate --strict`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from support.sites import ROOT, Site

from feedpub.cli import main

D = "2020-02-01T10:00:00+00:00"
HOSTILE = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Old</title><link>https://old.example/</link>
<description>d</description>
<item><title>Markup &lt;b&gt;in&lt;/b&gt; the title</title><link>https://old.example/m</link>
<author>desk@old.example (Jo B)</author>
<guid>https://old.example/m</guid><pubDate>Mon, 06 Jan 2020 10:00:00 GMT</pubDate>
<description>x</description></item>
<item><title>Bad uuid</title><link>https://old.example/u</link>
<guid isPermaLink="false">urn:uuid:1234</guid>
<pubDate>Mon, 06 Jan 2020 10:00:00 GMT</pubDate><description>x</description></item>
<item><title>Old date</title><link>https://old.example/o</link><guid>https://old.example/o</guid>
<pubDate>Sun, 11 Jan 1970 10:00:00 GMT</pubDate><description>x</description></item>
<item><title>First</title><link>https://old.example/d1</link><guid>https://old.example/dup</guid>
<pubDate>Wed, 08 Jan 2020 10:00:00 GMT</pubDate><description>one</description></item>
<item><title>Second</title><link>https://old.example/d2</link><guid>https://old.example/dup</guid>
<pubDate>Thu, 09 Jan 2020 10:00:00 GMT</pubDate><description>two</description></item>
</channel></rss>
"""


@pytest.fixture
def empty_sample(tmp_path: Path) -> Site:
    s = Site(tmp_path / "site")
    (s.root / "content").mkdir(parents=True)
    shutil.copy(ROOT / "feeds.yaml", s.config)
    return s


def test_import_writes_only_what_the_build_publishes(empty_sample: Site, tmp_path: Path) -> None:
    feed = tmp_path / "hostile.xml"
    feed.write_text(HOSTILE)
    result = CliRunner().invoke(
        main,
        ["import", "feed", str(feed), "--country", "china", "--config", str(empty_sample.config)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: {feed}: entry 2: id 'urn:uuid:1234' ('Bad uuid') is not an absolute URI, "
        "which Atom requires; not imported\n"
        f"warning: {feed}: entry 3: date 1970-01-11T10:00:00+00:00 is before 1990: feeds "
        "readers and validators take such dates for mistakes; not imported\n"
        f"warning: {feed}: entry 5: id 'https://old.example/dup' is entry 4's too; entry 4 is "
        "kept, this one not imported\n"
    )
    china = empty_sample.root / "content/asia/china"
    assert sorted(p.name for p in china.iterdir()) == ["d1.md", "m.md"]
    assert 'title: "Markup in the title"\n' in (china / "m.md").read_text()
    # feedparser 6 alone would read email 'desk@old.exam' and name 'ple (Jo B' (4-letter TLDs).
    assert 'author: {"name": "Jo B", "email": "desk@old.example"}\n' in (china / "m.md").read_text()
    assert 'title: "First"\n' in (china / "d1.md").read_text()
    empty_sample.build()
    check = CliRunner().invoke(main, ["validate", "--strict", str(empty_sample.out)])
    assert check.exit_code == 0, check.output
    titles = {e.title for e in feedparser.parse(str(empty_sample.out / "rss.xml")).entries}
    assert titles == {"Markup in the title", "First"}


def test_json_values_of_the_wrong_type_are_read_as_absent(
    empty_sample: Site, tmp_path: Path
) -> None:
    feed = tmp_path / "odd.json"
    feed.write_text(
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "items": [
                    {"id": "https://j.example/1", "title": ["a", "list"], "date_published": D},
                    {
                        "id": "https://j.example/2",
                        "title": "Odd types",
                        "date_published": D,
                        "tags": "notalist",
                        "authors": "bob",
                        "attachments": 7,
                        "url": 5,
                        "content_text": "a < b",
                    },
                ],
            }
        )
    )
    result = CliRunner().invoke(
        main,
        ["import", "feed", str(feed), "--country", "china", "--config", str(empty_sample.config)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: {feed}: entry 1: id 'https://j.example/1' has no title; not imported\n"
        f"warning: {feed}: entry 2: has no link; the article's link will be the new site's "
        "(site.url and site.link_pattern)\n"
    )
    written = (empty_sample.root / "content/asia/china/odd-types.md").read_text()
    assert "tags" not in written
    assert written.endswith("<p>a &lt; b</p>\n")


def test_an_entry_over_max_content_bytes_is_not_written(empty_sample: Site, tmp_path: Path) -> None:
    feed = tmp_path / "huge.json"
    body = "<p>" + "word " * 1_100_000 + "</p>"
    item = {"id": "https://j.example/h", "title": "Huge", "date_published": D}
    feed.write_text(
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "items": [{**item, "content_html": body}],
            }
        )
    )
    result = CliRunner().invoke(
        main, ["import", "feed", str(feed), "--config", str(empty_sample.config)]
    )
    assert result.exit_code == 0
    assert result.stderr.startswith(f"warning: {feed}: entry 1: would be a file of 55")
    assert result.stderr.endswith(
        " bytes, over the limit of 5242880 (site.max_content_bytes); not imported\n"
    )
    assert list((empty_sample.root / "content").rglob("*.md")) == []


def test_a_summary_quoting_an_end_tag_is_escaped_html_in_atom(empty_sample: Site) -> None:
    empty_sample.article(
        "asia/china/x",
        "Use the `</b>` tag.\n",
        title="T",
        date="2022-05-05 08:30",
        countries=["china"],
    )
    empty_sample.build()
    entry = empty_sample.feed("atom.xml").entries[0]
    assert (entry.summary_detail.type, entry.summary) == ("text/html", "Use the &lt;/b&gt; tag.")
