"""Articles -> ``news-sitemap.xml``: a Google News sitemap (a sitemap 0.9 ``<urlset>`` whose
each ``<url>`` holds a sitemap-news 0.9 ``<news:news>``), as Google documents it at
https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap.

Which articles it lists is the plan's (:mod:`feedpub.pipeline.newswindow`); the document
holds nothing but them, so the same articles give the same bytes, whatever the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from lxml import etree

from feedpub.model import Article, Config, language_of

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NSMAP: dict[str | None, str] = {None: SITEMAP_NS, "news": NEWS_NS}  # sitemap 0.9 unprefixed
# Kept as written: what may stand in a URL (RFC 3986 reserved characters, and escapes made).
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"
# Google's spellings of Chinese: zh-tw for Traditional, zh-cn for Simplified (and plain zh).
_TRADITIONAL = frozenset({"tw", "hk", "mo", "hant"})


def render_news_sitemap(config: Config, articles: Iterable[Article]) -> bytes:
    """The sitemap of ``articles`` (newest first), each with its publication's name and
    language, its date and its title."""
    site = config.site
    names = site.news_sitemap
    # lxml takes None for the default namespace; lxml-stubs do not say so.
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap=NSMAP)  # type: ignore[arg-type]
    for article in articles:
        language = language_of(article, config)
        url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = sitemap_url(article.link)
        news = etree.SubElement(url, f"{{{NEWS_NS}}}news")
        publication = etree.SubElement(news, f"{{{NEWS_NS}}}publication")
        name = names.name_for(language, site.title) if names else site.title
        etree.SubElement(publication, f"{{{NEWS_NS}}}name").text = name
        etree.SubElement(publication, f"{{{NEWS_NS}}}language").text = google_language(language)
        date = article.published.isoformat(timespec="seconds")
        etree.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = date
        etree.SubElement(news, f"{{{NEWS_NS}}}title").text = article.title
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def sitemap_url(link: str) -> str:
    """``link`` as the sitemaps protocol wants it: every character outside ASCII and every
    space percent-encoded (UTF-8), the rest as written (``&`` is escaped by the XML)."""
    return quote(link, safe=_URL_SAFE)


def google_language(tag: str) -> str:
    """The ``<news:language>`` of a language tag: its ISO 639 primary subtag (``en-gb`` ->
    ``en``), but Chinese, which Google spells ``zh-cn`` (Simplified) or ``zh-tw``
    (Traditional: Taiwan, Hong Kong, Macau or the Hant script)."""
    parts = tag.lower().split("-")
    if parts[0] != "zh":
        return parts[0]
    return "zh-tw" if _TRADITIONAL.intersection(parts[1:]) else "zh-cn"
