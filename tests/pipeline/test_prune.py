"""--prune deletes only feeds a build of this site published; others are reported, kept."""

from __future__ import annotations

import copy

from click.testing import CliRunner
from support.sites import BASE_CONFIG, Site

from feedpub.cli import main


def cli(site: Site, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "--quiet", "--config", str(site.config), *args])
    return result.exit_code, result.stderr


def test_prune_never_deletes_a_feed_feedpub_did_not_write(site: Site) -> None:
    site.article("asia/one", title="One", date="2022-03-01", countries=["india"])
    site.build()
    podcast = site.out / "podcast" / "rss.xml"
    podcast.parent.mkdir()
    podcast.write_bytes(b"<rss>hand-made</rss>")
    warning = (
        f"warning: {podcast}: no channel of feeds.yaml produces it and feedpub did not write "
        "it; left in place (--prune never removes it)\n"
    )
    assert cli(site) == (0, warning)
    assert cli(site, "--prune") == (0, warning)
    assert podcast.read_bytes() == b"<rss>hand-made</rss>"


def test_a_removed_channel_is_pruned_even_builds_later(site: Site) -> None:
    site.article("asia/one", title="One", date="2022-03-01", countries=["india"])
    site.build()
    config = copy.deepcopy(BASE_CONFIG)
    del config["regions"]["europe"]["countries"]["france"]
    site.write_config(config)
    code, err = cli(site)
    assert code == 0 and err.count("no longer in feeds.yaml") == 4
    site.article("asia/two", title="Two", date="2022-03-02", countries=["india"])
    assert cli(site)[1].count("no longer in feeds.yaml") == 4  # a full build in between
    assert cli(site)[1].count("no longer in feeds.yaml") == 4  # and a no-op one
    code, err = cli(site, "--prune")
    assert code == 0 and err.count(": removed") == 4
    assert not (site.out / "europe" / "france").exists() or not any(
        (site.out / "europe" / "france").iterdir()
    )
    assert cli(site) == (0, "")
