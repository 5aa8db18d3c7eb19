"""feeds.yaml's ``site.news_sitemap``: each wrong value's exact message naming file, line and
key, nothing published (the helpers and the ``published`` fixture are test_config_errors')."""

from __future__ import annotations

from support.refusals import GOOD, Snapshot, changed, lines, one, refused
from support.sites import Site

from feedpub.inputs.config import load_config
from feedpub.model import NewsSitemap

SITE_END = "  id_authority: example.org,2022\n"


def with_site(*more: str) -> str:
    return changed(SITE_END, SITE_END + "".join(f"  {line}\n" for line in more), GOOD)


def test_news_sitemap_is_true_false_or_a_mapping(site: Site, published: Snapshot) -> None:
    expected = "true, false or a mapping of language tags to publication names"
    for value, shown in (("'yes'", "'yes'"), ("[en]", "a list"), ("{}", "an empty mapping")):
        assert refused(site, published, with_site(f"news_sitemap: {value}")) == one(
            site, f":10: site.news_sitemap: expected {expected}, got {shown}"
        )


def test_news_sitemap_keys_are_language_tags(site: Site, published: Snapshot) -> None:
    config = with_site("news_sitemap:", "  en: Test Desk", "  english: Test Desk", "  no: Norsk")
    assert refused(site, published, config) == lines(
        site,
        ":12: site.news_sitemap: expected a language tag like 'en' or 'si' as a key, got 'english'",
        ":13: site.news_sitemap: expected a language tag like 'en' or 'si' as a key, got false "
        "(YAML reads an unquoted yes, no, on or off as true or false: put it in quotes)",
    )


def test_news_sitemap_names_are_text(site: Site, published: Snapshot) -> None:
    config = with_site("news_sitemap:", "  si: 42", "  fr:")
    assert refused(site, published, config) == lines(
        site,
        ":11: site.news_sitemap.si: expected text, got 42 (put it in quotes to make it text)",
        ":12: site.news_sitemap.fr: is required",
    )


def test_news_sitemap_values(site: Site) -> None:
    site.write_config(GOOD)
    assert load_config(site.config).site.news_sitemap is None  # off unless asked for
    for value, expected in (
        ("false", None),
        ("true", NewsSitemap()),
        (
            "{SI: Lanka Desk, en: Test Desk}",
            NewsSitemap((("en", "Test Desk"), ("si", "Lanka Desk"))),
        ),
    ):
        site.write_config(with_site(f"news_sitemap: {value}"))
        assert load_config(site.config).site.news_sitemap == expected, value
