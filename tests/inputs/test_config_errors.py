"""Every problem in feeds.yaml is reported at once with its line, exit code 3, nothing published.

Each test first builds a good site through the CLI (the ``published`` fixture snapshots
public/: bytes, inode and mtime of every file), then breaks feeds.yaml, builds again and
asserts the exact stderr and an identical snapshot.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from support.refusals import GOOD, Snapshot, changed, cli_build, lines, one, refused
from support.sites import BASE_CONFIG, Site

from feedpub.errors import InputError


def test_unknown_keys(site: Site, published: Snapshot) -> None:
    config = changed("  language: en\n", "  language: en\n  lang: en\n")
    config = changed("    title: Europe\n", "    title: Europe\n    colour: blue\n", config)
    config = changed("{title: India}", "{title: India, capital: Delhi}", config)
    config += "feeds: []\n"
    site_keys = (
        "archive_page_size, archives, author, copyright, corrections_bump_pubdate, description, "
        "feeds_url, icon, "
        "id_authority, image, image_in_content, language, limit, link_pattern, "
        "max_content_bytes, max_feed_bytes, news_sitemap, on_error, opml_format, stylesheet, "
        "timezone, title, tombstone_days, url, webfeeds, websub_hub"
    )
    assert refused(site, published, config) == lines(
        site,
        f":7: site.lang: unknown key (known keys: {site_keys})",
        ":16: regions.asia.countries.india.capital: unknown key "
        "(known keys: aliases, description, language, max_feed_bytes, title)",
        ":19: regions.europe.colour: unknown key "
        "(known keys: countries, description, max_feed_bytes, title)",
        ":22: feeds: unknown key (known keys: deploy, regions, site, topics)",
    )


def test_wrong_types(site: Site, published: Snapshot) -> None:
    config = changed(
        "  id_authority: example.org,2022\n", "  id_authority: example.org,2022\n  limit: ten\n"
    )
    config = changed("    title: Asia\n", "    title: [Asia, Pacific]\n", config)
    config = changed(
        "    countries:\n      france: {title: France, language: fr}\n",
        "    countries: [france]\n",
        config,
    )
    config = changed(
        "  author: {name: Test Desk, email: desk@example.org}", "  author: Test Desk", config
    )
    assert refused(site, published, config) == lines(
        site,
        ":8: site.author: expected a mapping, got 'Test Desk'",
        ":10: site.limit: expected a whole number of at least 1, got 'ten'",
        ":13: regions.asia.title: expected text, got a list",
        ":19: regions.europe.countries: expected a mapping of country keys, got a list",
    )


def test_opml_format_and_stylesheet(site: Site, published: Snapshot) -> None:
    config = changed(
        "  id_authority: example.org,2022\n",
        "  id_authority: example.org,2022\n  opml_format: xml\n  stylesheet: feed.xsl\n"
        "  on_error: ignore\n",
    )
    assert refused(site, published, config) == lines(
        site,
        ":10: site.opml_format: expected one of 'rss', 'atom', 'json', got 'xml'",
        ":11: site.stylesheet: expected an absolute http(s) URL or a /path, ending in .xsl, "
        ".xslt or .css, got 'feed.xsl'",
        ":12: site.on_error: expected 'refuse' or 'skip', got 'ignore'",
    )


@pytest.mark.parametrize(
    "value", ["/feed.html", "https://example.org/x.xsl?a=1&b=2", "'/a b.css'", "javascript:x.css"]
)
def test_stylesheets_refused(site: Site, published: Snapshot, value: str) -> None:
    config = changed(
        "  id_authority: example.org,2022\n",
        f"  id_authority: example.org,2022\n  stylesheet: {value}\n",
    )
    assert "site.stylesheet: expected an absolute http(s) URL or a /path" in refused(
        site, published, config
    )


def test_number_where_text_belongs(site: Site, published: Snapshot) -> None:
    config = changed("  title: Test Desk\n", "  title: 2022\n")
    assert refused(site, published, config) == one(
        site, ":2: site.title: expected text, got 2022 (put it in quotes to make it text)"
    )


@pytest.mark.parametrize("key", ["../x", "a/b", "Asia", "", "x y", "-x", "2022"])
def test_region_keys_that_are_not_slugs(site: Site, published: Snapshot, key: str) -> None:
    config = changed("  europe:\n", f"  {key!r}:\n" if key != "2022" else "  2022:\n")
    shown = repr(key) if key != "2022" else "2022"
    assert refused(site, published, config) == one(
        site,
        f":16: regions: region key {shown} is not a slug (use lower-case letters, digits and '-')",
    )


@pytest.mark.parametrize("key", ["../x", "a/b", "France", ".", "fr.ance"])
def test_country_keys_that_are_not_slugs(site: Site, published: Snapshot, key: str) -> None:
    config = changed("      france:", f"      {key!r}:")
    assert refused(site, published, config) == one(
        site,
        f":19: regions.europe.countries: country key {key!r} is not a slug "
        "(use lower-case letters, digits and '-')",
    )


def test_country_in_two_regions(site: Site, published: Snapshot) -> None:
    config = changed("      france:", "      india: {title: India}\n      france:")
    assert refused(site, published, config) == one(
        site,
        ":19: regions.europe.countries.india: 'india' is already a country or alias in "
        "regions.asia.countries.india (line 15)",
    )


def test_alias_that_is_another_country(site: Site, published: Snapshot) -> None:
    config = changed("{title: France, language: fr}", "{title: France, aliases: [fr, india]}")
    assert refused(site, published, config) == one(
        site,
        ":19: regions.europe.countries.france: 'india' is already a country or alias in "
        "regions.asia.countries.india (line 15)",
    )


def test_aliases_that_are_not_slugs(site: Site, published: Snapshot) -> None:
    config = changed("{title: France, language: fr}", "{title: France, aliases: [fr, Gaul]}")
    assert refused(site, published, config) == one(
        site,
        ":19: regions.europe.countries.france.aliases.1: expected a slug "
        "(lower-case letters, digits and '-'), got 'Gaul'",
    )


def test_invalid_timezone(site: Site, published: Snapshot) -> None:
    config = changed("Asia/Colombo", "Asia/Atlantis")
    assert refused(site, published, config) == one(
        site,
        ":7: site.timezone: expected an IANA time zone like 'Asia/Colombo', got 'Asia/Atlantis'",
    )


@pytest.mark.parametrize("zone", ["../../etc/passwd", "/etc/localtime", "zone.tab", "Asia"])
def test_timezone_that_is_a_path(site: Site, published: Snapshot, zone: str) -> None:
    config = changed("Asia/Colombo", zone)
    assert refused(site, published, config) == one(
        site, f":7: site.timezone: expected an IANA time zone like 'Asia/Colombo', got {zone!r}"
    )


def test_invalid_language_tags(site: Site, published: Snapshot) -> None:
    config = changed("  language: en\n", "  language: English\n")
    config = changed("language: si", "language: sinhala!", config)
    assert refused(site, published, config) == lines(
        site,
        ":6: site.language: expected a language tag like 'en' or 'si', got 'English'",
        ":14: regions.asia.countries.sri-lanka.language: expected a language tag like 'en' or "
        "'si', got 'sinhala!'",
    )


@pytest.mark.parametrize(
    "feeds_url", ["/feeds/", "feeds/", "example.org/feeds/", "ftp://example.org/"]
)
def test_feeds_url_not_absolute(site: Site, published: Snapshot, feeds_url: str) -> None:
    config = changed("https://example.org/feeds/", feeds_url)
    assert refused(site, published, config) == one(
        site, f":5: site.feeds_url: expected an absolute http(s) URL, got {feeds_url!r}"
    )


@pytest.mark.parametrize(
    ("feeds_url", "why"),
    [
        ("https://", "it has no host after '//'"),
        ("https:///feeds/", "it has no host after '//'"),
        ("https:/example.org/feeds/", "write two slashes after 'https:'"),
        ("//example.org/feeds/", "it has no scheme: write it with https:"),
        ("https://example.org/my feeds/", "percent-encode the space as %20"),
        ("https://example.org/\tfeeds/", "it holds U+0009, which URLs cannot: percent-encode it"),
        ("https://example.org/feeds/ ", "remove the whitespace at its end"),
    ],
)
def test_feeds_url_written_as_a_url_says_what_is_wrong_with_it(
    site: Site, published: Snapshot, feeds_url: str, why: str
) -> None:
    written = feeds_url.replace("\t", "\\t")  # a YAML escape in double quotes
    config = changed("https://example.org/feeds/", f'"{written}"')
    assert refused(site, published, config) == one(
        site, f":5: site.feeds_url: expected an absolute http(s) URL, got {feeds_url!r} ({why})"
    )


def test_bad_id_authority_and_link_pattern(site: Site, published: Snapshot) -> None:
    config = changed("example.org,2022", "example.org")
    config = changed("  language: en\n", "  language: en\n  link_pattern: '{title}/'\n", config)
    assert refused(site, published, config) == lines(
        site,
        ":7: site.link_pattern: expected a pattern relative to site.url using {slug} and "
        "optionally {year}, {month}, {day}, got '{title}/'",
        ":10: site.id_authority: expected a tag: authority like 'example.org,2022' "
        "(a domain, a comma, a date), got 'example.org'",
    )


@pytest.mark.parametrize("authority", ["x.org,2022-13-40", "x.org,2022-02-30", "x.org,0000"])
def test_an_id_authority_whose_date_is_no_day(
    site: Site, published: Snapshot, authority: str
) -> None:
    """Accepted once, then a traceback in the build (the feeds' fallback date is made of it)."""
    config = changed("example.org,2022", authority)
    assert refused(site, published, config) == one(
        site,
        ":9: site.id_authority: expected a tag: authority whose date is a real one, like "
        f"'example.org,2022-05-31', got {authority!r}",
    )


def test_missing_keys(site: Site, published: Snapshot) -> None:
    config = changed("  title: Test Desk\n", "")
    config = changed("  timezone: Asia/Colombo\n", "", config)
    config = changed("    title: Europe\n", "", config)
    assert refused(site, published, config) == lines(
        site,
        ":1: site.timezone: is required",
        ":1: site.title: is required",
        ":14: regions.europe.title: is required",
    )


def test_every_problem_at_once_sorted_by_line(site: Site, published: Snapshot) -> None:
    config = """\
site:
  title: Test Desk
  description: Test feeds
  url: https://example.org/
  feeds_url: /feeds/
  language: en_GB
  timezone: Mars/Olympus
  author: {name: Test Desk, email: desk@example.org}
  id_authority: example.org,2022
  limit: 0
  colour: red
regions:
  ../up:
    title: Up
    countries:
      Sri Lanka: {title: Sri Lanka}
  asia:
    title: Asia
    countries:
      india: {title: India}
  europe:
    title: Europe
    countries:
      india: {title: India}
      a/b: {title: Slash}
"""
    assert refused(site, published, config) == lines(
        site,
        ":5: site.feeds_url: expected an absolute http(s) URL, got '/feeds/'",
        ":6: site.language: expected a language tag like 'en' or 'si', got 'en_GB'",
        ":7: site.timezone: expected an IANA time zone like 'Asia/Colombo', got 'Mars/Olympus'",
        ":10: site.limit: expected a whole number of at least 1, got 0",
        ":11: site.colour: unknown key (known keys: archive_page_size, archives, author, "
        "copyright, corrections_bump_pubdate, description, feeds_url, icon, id_authority, "
        "image, image_in_content, "
        "language, limit, link_pattern, max_content_bytes, max_feed_bytes, news_sitemap, "
        "on_error, opml_format, stylesheet, timezone, title, tombstone_days, url, webfeeds, "
        "websub_hub)",
        ":13: regions: region key '../up' is not a slug (use lower-case letters, digits and '-')",
        ":16: regions.../up.countries: country key 'Sri Lanka' is not a slug "
        "(use lower-case letters, digits and '-')",
        ":24: regions.europe.countries.india: 'india' is already a country or alias in "
        "regions.asia.countries.india (line 20)",
        ":25: regions.europe.countries: country key 'a/b' is not a slug "
        "(use lower-case letters, digits and '-')",
    )


# --- the file itself -------------------------------------------------------------------------


def test_missing_file(site: Site, published: Snapshot) -> None:
    site.config.unlink()
    result = cli_build(site)
    assert (result.exit_code, result.stderr) == (
        3,
        lines(site, ": cannot read: No such file or directory"),
    )
    assert site.snapshot() == published


def test_empty_file(site: Site, published: Snapshot) -> None:
    assert refused(site, published, "") == lines(
        site, ": is empty; expected a mapping with 'site' and 'regions'"
    )


def test_not_a_mapping(site: Site, published: Snapshot) -> None:
    assert refused(site, published, "- site\n- regions\n") == one(
        site, ":1: is a list; expected a mapping with 'site' and 'regions'"
    )


def test_invalid_yaml(site: Site, published: Snapshot) -> None:
    config = changed("  title: Test Desk\n", "  title: Test Desk: Asia\n")
    assert refused(site, published, config) == one(
        site,
        ":2: invalid YAML: unexpected ':' (put text that contains ': ' in quotes, "
        "or check the indentation)",
    )


def test_unclosed_quote_is_reported_on_its_line(site: Site, published: Snapshot) -> None:
    config = changed("  title: Test Desk\n", '  title: "Test Desk\n')
    config = changed("  url: https://example.org/\n", '  url: "https://example.org/"\n', config)
    assert refused(site, published, config) == one(
        site, ":2: invalid YAML: title: a quoted text is not closed with its quote"
    )


def test_bad_indentation(site: Site, published: Snapshot) -> None:
    config = changed("  europe:\n    title: Europe\n", "  europe:\n    title: Europe\n   oops: 1\n")
    assert refused(site, published, config) == one(
        site, ":18: invalid YAML: expected 'key: value' here; check the indentation"
    )


def test_duplicate_key(site: Site, published: Snapshot) -> None:
    config = changed("  europe:\n", "  asia:\n")
    assert refused(site, published, config) == one(site, ":16: invalid YAML: duplicate key 'asia'")


def test_not_utf8(site: Site, published: Snapshot) -> None:
    config = changed("Test feeds", "Caf\udce9 feeds").encode("utf-8", "surrogateescape")
    assert refused(site, published, config) == one(
        site, ":3: is not UTF-8 text (byte 0xe9 in column 19); save it as UTF-8"
    )


def test_bom_and_crlf_are_fine(site: Site, published: Snapshot) -> None:
    site.config.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    result = cli_build(site)
    assert (result.exit_code, result.stderr) == (0, "")
    assert site.snapshot() == published  # same feeds, so not one file rewritten


def test_forbidden_character_written_as_is(site: Site, published: Snapshot) -> None:
    config = changed("Test feeds", "Test\x07feeds")
    assert refused(site, published, config) == one(
        site, ":3: contains U+0007, a character not allowed in feeds"
    )


def test_forbidden_character_written_as_an_escape(site: Site, published: Snapshot) -> None:
    config = changed("  title: Test Desk\n", '  title: "Test\\x1bDesk"\n')
    config = changed("{title: India}", '{title: "India\\uFFFE"}', config)
    assert refused(site, published, config) == lines(
        site,
        ":2: site.title: contains U+001B, a character not allowed in feeds",
        ":15: regions.asia.countries.india.title: contains U+FFFE, "
        "a character not allowed in feeds",
    )


def test_object_tag_refused_and_nothing_runs(
    site: Site, published: Snapshot, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    config = changed(
        "  title: Test Desk\n",
        f"  title: !!python/object/apply:os.system ['touch {marker}']\n",
    )
    assert refused(site, published, config) == one(
        site, ":2: refused: YAML tag '!!python/object/apply:os.system' is not allowed"
    )
    assert not marker.exists()


def test_alias_bomb_refused(site: Site, published: Snapshot) -> None:
    bomb = ["x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        bomb.append(f"x{level}: &x{level} [{', '.join([f'*x{level - 1}'] * 10)}]")
    config = GOOD + "\n".join(bomb) + "\n"
    assert refused(site, published, config) == one(
        site, ":24: refused: the document expands to more than 100000 values (an alias bomb?)"
    )


def test_a_hub_url_with_an_unclosed_bracket_is_an_error_not_a_crash(site: Site) -> None:
    # found by tests/e2e/test_accepted_builds.py: urlsplit raised ValueError ("Invalid IPv6")
    config = copy.deepcopy(BASE_CONFIG)
    config["site"]["websub_hub"] = "https://["
    site.write_config(config)
    with pytest.raises(InputError) as caught:
        site.build()
    (problem,) = caught.value.problems
    assert problem.field == "site.websub_hub" and problem.message.startswith("expected ")
