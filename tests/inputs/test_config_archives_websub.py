"""feeds.yaml's keys for archived feeds and WebSub: each wrong value's exact message, nothing
published (the helpers and the ``published`` fixture are test_config_errors')."""

from __future__ import annotations

import pytest
from support.refusals import GOOD, Snapshot, changed, cli_build, one, refused
from support.sites import Site

import feedpub.pipeline.websub

SITE_END = "  id_authority: example.org,2022\n"


def with_site(*lines: str, text: str = GOOD) -> str:
    return changed(SITE_END, SITE_END + "".join(f"  {line}\n" for line in lines), text)


def test_archives_is_true_or_false(site: Site, published: Snapshot) -> None:
    assert refused(site, published, with_site("archives: 'no'")) == one(
        site, ":10: site.archives: expected true or false, got 'no'"
    )


def test_archive_page_size_is_a_sane_whole_number(site: Site, published: Snapshot) -> None:
    for value, shown in (("0", "0"), ("1001", "1001"), ("ten", "'ten'"), ("true", "true")):
        assert refused(site, published, with_site(f"archive_page_size: {value}")) == one(
            site,
            f":10: site.archive_page_size: expected a whole number from 1 to 1000, got {shown}",
        )


def test_websub_hub_is_an_absolute_url_or_a_list_of_them(site: Site, published: Snapshot) -> None:
    assert refused(site, published, with_site("websub_hub: /hub")) == one(
        site, ":10: site.websub_hub: expected an absolute http(s) URL, got '/hub'"
    )
    config = with_site("websub_hub:", "  - https://hub.example.org/", "  - ftp://hub.example.org/")
    assert refused(site, published, config) == one(
        site,
        ":12: site.websub_hub.1: expected an absolute http(s) URL, got 'ftp://hub.example.org/'",
    )


def test_archive_is_no_channel_key_while_archives_are_on(site: Site, published: Snapshot) -> None:
    config = changed("  europe:\n", "  archive:\n")
    config = changed(
        "      india: {title: India}\n",
        "      india: {title: India}\n      archive: {title: Archive}\n",
        config,
    )
    assert refused(site, published, config) == (
        f"{site.config}:16: regions.asia.countries: country key 'archive' is reserved for "
        "archive pages (or set site.archives: false)\n"
        f"{site.config}:17: regions: region key 'archive' is reserved for archive pages "
        "(or set site.archives: false)\n"
        "feedpub: 2 problems found; nothing was published\n"
    )
    site.config.write_text(with_site("archives: false", text=config))
    result = cli_build(site)
    assert result.exit_code == 0
    assert "public/archive/" not in result.stderr  # only europe's old feeds are stale
    assert (site.out / "archive/france/rss.xml").exists()


def test_the_new_keys_accepted(
    site: Site, published: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    pinged: list[tuple[str, str]] = []
    monkeypatch.setattr(feedpub.pipeline.websub, "ping", lambda hub, url: pinged.append((hub, url)))
    site.config.write_text(
        with_site("archives: true", "archive_page_size: 1000", "websub_hub: https://hub.test/")
    )
    result = cli_build(site)
    assert (result.exit_code, result.stderr) == (0, "")
    assert ("https://hub.test/", "https://example.org/feeds/rss.xml") in pinged
