"""What an import used to drop silently (issue 23, item 3): an embedded player becomes a
link and is reported, WordPress's block comments go, a category naming a region places the
article there, and an entry naming no place is reported where it was written."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from support.sites import ROOT, Site

from feedpub.cli import main

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Old</title><link>https://old.example/</link>
<description>d</description>
<item><title>Watch the rally</title><link>https://old.example/rally/</link>
<guid isPermaLink="false">https://old.example/?p=1</guid>
<pubDate>Tue, 12 Apr 2022 18:00:00 +0530</pubDate><category>Asia</category>
<description><![CDATA[<!-- wp:paragraph --><p>Thousands marched.</p><!-- /wp:paragraph -->
<!-- wp:embed {"url":"https://youtu.be/x"} -->
<iframe width="560" height="315" src="https://www.youtube.com/embed/abc123" allowfullscreen>
</iframe><!-- /wp:embed -->]]></description>
</item>
<item><title>Nowhere in particular</title><link>https://old.example/nowhere/</link>
<guid isPermaLink="false">https://old.example/?p=2</guid>
<pubDate>Mon, 11 Apr 2022 18:00:00 +0530</pubDate>
<description><![CDATA[<p>Text.</p>]]></description></item>
</channel></rss>
"""


def test_losses_are_reported_and_what_a_feed_can_carry_is_kept(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    (site.root / "content").mkdir(parents=True)
    shutil.copy(ROOT / "feeds.yaml", site.config)
    feed = tmp_path / "old.xml"
    feed.write_text(FEED, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "feed", str(feed), "--config", str(site.config)])
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: {feed}: entry 1: embedded player 'https://www.youtube.com/embed/abc123' (an "
        "<iframe>, which feeds cannot carry) becomes a link to it\n"
        f"warning: {feed}: entry 2: names no country or region (by a category); written at "
        "the top of the content folder, it is in the combined feed only: add countries: to it, "
        "or import with --country\n"
    )
    rally = site.root / "content/asia/rally.md"  # "Asia" is the region
    text = rally.read_text(encoding="utf-8")
    assert "region: asia" in text and "wp:" not in text and "<iframe" not in text
    assert (site.root / "content/nowhere.md").is_file()
    site.build()
    entry = {e.title: e for e in site.feed("asia/rss.xml").entries}["Watch the rally"]
    content = entry.content[0].value
    assert '<a href="https://www.youtube.com/embed/abc123">' in content
    assert "<figure" not in content and "Thousands marched." in content
