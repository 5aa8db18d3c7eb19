"""The news sitemap's checks: the vendored sitemap 0.9 and sitemap-news 0.9 schemas, Google's
1,000 URLs, and the one exception, an empty ``<urlset>`` (no article in two days). Messages
are asserted by code: the schema errors' text is libxml2's."""

from __future__ import annotations

import re
from pathlib import Path

from feedpub.validator import sitemap as sitemap_checks
from feedpub.validator.sitemap import check_news_sitemap

# Each is asserted by a test below.
EXERCISED = {"SchemaInvalid", "TooManyUrls", "NotSitemap"}

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
)


def url(loc: str = "https://example.org/a/", language: str = "en", title: str = "T") -> str:
    return (
        f"<url><loc>{loc}</loc><news:news><news:publication><news:name>Desk</news:name>"
        f"<news:language>{language}</news:language></news:publication>"
        "<news:publication_date>2024-06-01T10:00:00+05:30</news:publication_date>"
        f"<news:title>{title}</news:title></news:news></url>\n"
    )


def sitemap(*urls: str) -> bytes:
    return (HEAD + "".join(urls) + "</urlset>\n").encode()


def codes(data: bytes) -> list[str]:
    return [m.code for m in check_news_sitemap(data) if m.severity == "error"]


def test_a_news_sitemap_passes_both_schemas() -> None:
    assert check_news_sitemap(sitemap(url(), url("https://example.org/b/?x=1&amp;y=2"))) == []


def test_google_chinese_spellings_pass_and_a_region_does_not() -> None:
    assert codes(sitemap(url(language="zh-cn"), url(language="zh-tw"))) == []
    assert codes(sitemap(url(language="en-gb"))) == ["SchemaInvalid"]


def test_a_missing_news_element_is_a_schema_error() -> None:
    data = sitemap(url()).replace(b"<news:title>T</news:title>", b"")
    assert codes(data) == ["SchemaInvalid"]


def test_a_foreign_element_is_a_schema_error() -> None:
    data = sitemap(url()).replace(b"</news:news>", b"</news:news><lastmod>soon</lastmod>")
    assert codes(data) == ["SchemaInvalid"]


def test_an_empty_urlset_passes() -> None:
    assert check_news_sitemap(sitemap()) == []
    empty = HEAD.replace('0.9">', '0.9"/>').encode()
    assert check_news_sitemap(empty) == []


def test_at_most_a_thousand_urls() -> None:
    assert codes(sitemap(*[url(f"https://example.org/{n}/") for n in range(1000)])) == []
    many = sitemap(*[url(f"https://example.org/{n}/") for n in range(1001)])
    assert codes(many) == ["TooManyUrls"]


def test_not_a_sitemap() -> None:
    assert codes(b"<rss version='2.0'><channel/></rss>") == ["NotSitemap"]
    assert codes(b"<urlset><url>") != []  # not well-formed


def test_every_message_code_of_the_sitemap_checks_is_exercised() -> None:
    source = Path(sitemap_checks.__file__).read_text(encoding="utf-8")
    assert set(re.findall(r'report\.error\(\s*"([A-Za-z]+)"', source)) == EXERCISED
