"""Checks of a Google News sitemap: the sitemaps.org 0.9 schema with Google's sitemap-news 0.9
schema for the ``news:`` elements, both vendored in ``schemas/`` (no network at any time),
plus Google's own limit of 1,000 URLs.

One exception to the schemas: an empty ``<urlset>``. sitemap.xsd wants at least one
``<url>``, but Google reads an empty news sitemap as "no article in the last two days" (it
warns in Search Console, and says "it won't cause any problems"), and a site that published
nothing for two days must be able to say so: the sitemap it had would list stale articles.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from feedpub.validator.messages import Message, Report
from feedpub.validator.tree import display_name
from feedpub.validator.xmldoc import parse_xml

SCHEMAS = Path(__file__).parent / "schemas"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_NEWS_URLS = (
    1000  # https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap
)


@cache
def news_sitemap_schema() -> etree.XMLSchema:
    """Both schemas at once (news-sitemap.xsd imports them from its folder)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "news-sitemap.xsd"), parser))


def check_news_sitemap(data: bytes) -> list[Message]:
    """The messages about a news sitemap, sorted by position."""
    report = Report()
    doc = parse_xml(data, report)
    if doc is None:
        return report.messages()
    root = doc.root
    if root.tag != f"{{{SITEMAP_NS}}}urlset":
        text = f"the root element is {display_name(root)}, not a sitemap 0.9 <urlset>"
        report.error("NotSitemap", text, doc.position(root))
        return report.messages()
    urls = root.findall(f"{{{SITEMAP_NS}}}url")
    if len(urls) > MAX_NEWS_URLS:
        text = f"a news sitemap holds at most {MAX_NEWS_URLS} <url>, this one {len(urls)}"
        report.error("TooManyUrls", text, doc.position(root))
    if len(root) == 0 and not (root.text or "").strip():
        return report.messages()  # empty: no article in the last two days
    schema = news_sitemap_schema()
    if not schema.validate(root.getroottree()):
        for error in schema.error_log:  # type: ignore[attr-defined]  # iterable, untyped
            report.error("SchemaInvalid", error.message, (error.line or None, error.column or None))
    return report.messages()
