"""Channels -> feed documents: RSS 2.0 and Atom 1.0 through feedgen, JSON Feed 1.1 by our own.

All feedgen use lives here. Its defaults are worked around on purpose: entries are appended
(not prepended), dates are set from the newest entry (never the build time), the RSS self link
is added before the alternate link, and what feedgen writes wrongly (Atom entry links lose
their rel, authors without email vanish from RSS) is written by :class:`_EntryExtras`.

Every item names its authors (the article's, else the site's): most readers show no author
for an item that only inherits the feed's. Elements added to feedgen's Atom tree use
unprefixed names, as feedgen does, so lxml never invents an ``ns0:`` prefix.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import formatRFC2822
from lxml import etree

from feedpub.formats import FORMATS, JSON, FeedFormat
from feedpub.inputs.config import stylesheet_type
from feedpub.layout import feed_path, feed_url, page_url
from feedpub.model import Article, Channel, Config, Person, Rendered, Site, Tombstone, Webfeeds
from feedpub.pipeline import archives
from feedpub.validator import namespaces as ns
from feedpub.validator.jsonfeed import VERSIONS as JSON_FEED_VERSIONS
from feedpub.writers.itembytes import ItemCache
from feedpub.writers.jsonwrite import dumps_indented
from feedpub.writers.leadimage import with_lead_image

# RSS carries archive and hub links as atom:link. The namespaces' one home is the validator's.
MEDIA_NS, DC_NS, ATOM_NS, XML_NS, ITUNES_NS = ns.MEDIA, ns.DC, ns.ATOM, ns.XML, ns.ITUNES
JSON_FEED_VERSION = JSON_FEED_VERSIONS[-1]  # the newest the validator knows
# Used only when a channel has no articles at all, so even an empty feed is reproducible.
PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)  # older dates draw ImplausibleDate
XML_KINDS = ("rss", "atom")


@dataclass(frozen=True, slots=True)
class Document:
    """One file to publish: its path under the output folder, its URL, its bytes."""

    path: str
    url: str
    kind: str
    data: bytes


def render_channel(
    channel: Channel,
    config: Config,
    rendered: Mapping[str, Rendered],
    items: ItemCache | None = None,
) -> list[Document]:
    """The channel's documents in every format, ``rendered`` holding each article's HTML by id;
    ``items`` keeps the items written for earlier channels of the build, to splice in again."""
    items = items or ItemCache()
    documents = []
    xml: dict[str, bytes] = {}
    for fmt in FORMATS:
        path = feed_path(channel.path, fmt)
        url = config.site.feeds_url + path
        if fmt.kind == "json":
            data = render_json(channel, config, rendered, url, items)
        else:
            xml = xml or _xml_documents(channel, config, rendered, items)
            data = xml[fmt.kind]
        documents.append(Document(path, url, fmt.kind, data))
    return documents


def _xml_documents(
    channel: Channel, config: Config, rendered: Mapping[str, Rendered], items: ItemCache
) -> dict[str, bytes]:
    """The channel's RSS and Atom documents: its skeleton with each item spliced in (each
    written once per build), or, if a cut fails, the whole feed serialized as it is."""
    site = config.site
    ids = [article.id for article in channel.articles]
    missing = set(items.missing(XML_KINDS, ids))
    if missing:
        new = tuple(a for a in channel.articles if a.id in missing)
        carrier = _serialized(channel, config, rendered, new)
        kept = [items.keep(kind, _ids(kind, new, site), carrier[kind]) for kind in XML_KINDS]
        if len(new) == len(ids):
            return carrier  # it holds every item: it is the document
        if not all(kept):
            return _serialized(channel, config, rendered, channel.articles)
    skeleton = _serialized(channel, config, rendered, ())
    spliced = {
        kind: items.document(kind, skeleton[kind], _ids(kind, channel.articles, site))
        for kind in XML_KINDS
    }
    if all(spliced.values()):
        return {kind: data for kind, data in spliced.items() if data is not None}
    return _serialized(channel, config, rendered, channel.articles)


def _serialized(
    channel: Channel,
    config: Config,
    rendered: Mapping[str, Rendered],
    entries: tuple[Article, ...],
) -> dict[str, bytes]:
    """The channel's RSS and Atom documents holding the items of ``entries``."""
    generators: dict[tuple[str, ...], FeedGenerator] = {}  # one per order of the items
    # Declared on the root of every document holding an item with a duration (each of its
    # channels'), so the item's bytes are the same in each (see itembytes).
    podcast = any(a.enclosure and a.enclosure.duration is not None for a in channel.articles)
    documents = {}
    home = channel_home(channel, config)
    for fmt in FORMATS:
        if fmt.kind in XML_KINDS:
            ordered = in_order(fmt.kind, entries, config.site)
            key = tuple(article.id for article in ordered)
            if key not in generators:
                generators[key] = _feedgen(channel, config, rendered, ordered)
            fg = generators[key]
            extras: _FeedExtras = fg.feedpub
            extras.archive = archives.is_archive(channel)
            extras.podcast = podcast
            extras.links = channel_links(channel, config, fmt)
            extras.tombstones = channel.tombstones if fmt.kind == "atom" else ()
            extras.webfeeds = config.site.webfeeds if fmt.kind == "rss" else None
            url = feed_url(config.site.feeds_url, channel.path, fmt)
            documents[fmt.kind] = SERIALIZERS[fmt.kind](fg, FeedLinks(url, home), config, fmt)
    return documents


def channel_updated(channel: Channel, site: Site) -> datetime:
    """The newest date among the channel's articles: what a feed says it was updated at.

    A channel with no article yet says the date of the site's tag authority
    (``example.org,2022`` -> 2022-01-01): fixed, like the feed, and not implausibly old.
    """
    return max((a.modified for a in channel.articles), default=None) or _authority_date(site)


def _authority_date(site: Site) -> datetime:
    year, month, day = (site.id_authority.rpartition(",")[2].split("-") + ["1", "1"])[:3]
    return max(datetime(int(year), int(month), int(day), tzinfo=UTC), PLAUSIBLE)


def _feedgen(
    channel: Channel,
    config: Config,
    rendered: Mapping[str, Rendered],
    entries: tuple[Article, ...],
) -> FeedGenerator:
    """The channel's feed (its dates from all its articles) with items for ``entries``."""
    site = config.site
    fg = FeedGenerator()
    fg.register_extension("feedpub", _FeedExtras, _EntryExtras)
    fg.id(channel_id(channel, config))
    fg.title(channel.title)
    fg.description(channel.description)
    fg.language(channel.language)
    fg.generator("feedpub")
    updated = channel_updated(channel, site)
    fg.updated(updated)
    fg.lastBuildDate(updated)
    fg.author(
        {"name": site.author.name, **({"email": site.author.email} if site.author.email else {})}
    )
    if site.author.email:
        fg.managingEditor(f"{site.author.email} ({site.author.name})")
    if site.copyright:
        fg.rights(site.copyright)
    if site.image:
        fg.logo(site.image)
        fg.image(site.image, title=channel.title, link=channel_home(channel, config))
    if site.icon:
        fg.icon(site.icon)
    for article in entries:
        _entry(fg.add_entry(order="append"), article, config, rendered[article.id])
    return fg


def channel_id(channel: Channel, config: Config) -> str:
    """The feed's id; an archive page has its channel's (RFC 5005: one logical feed)."""
    return f"tag:{config.site.id_authority}:feeds/{'/'.join(_logical_path(channel))}"


def channel_home(channel: Channel, config: Config) -> str:
    """The feed's channel link (RSS ``<link>``, Atom ``rel="alternate"``, JSON Feed
    ``home_page_url``): the channel's page, which the OPML's htmlUrl names too; an archive
    page's is its channel's."""
    return page_url(config.site.feeds_url, _logical_path(channel))


def _logical_path(channel: Channel) -> tuple[str, ...]:
    """The channel a document belongs to: its own path, or an archive page's channel's."""
    paging = channel.paging
    return channel.path if paging is None else archives.channel_of(channel.path, paging)


def hubs(channel: Channel, config: Config) -> tuple[str, ...]:
    """The WebSub hubs a feed names: a channel's current feeds only (archive pages stay put)."""
    return () if archives.is_archive(channel) else config.site.websub_hub


def channel_links(channel: Channel, config: Config, fmt: FeedFormat) -> list[dict[str, str]]:
    """The feed's links beyond self and alternate: RFC 5005 archive links, WebSub hubs."""
    found = [
        {"rel": rel, "href": url, "type": fmt.media_type}
        for rel, url in archives.links(channel, config.site.feeds_url, fmt.filename)
    ]
    return found + [{"rel": "hub", "href": hub} for hub in hubs(channel, config)]


def _entry(fe: FeedEntry, article: Article, config: Config, rendered: Rendered) -> None:
    fe.id(article.id)
    fe.guid(article.id, permalink=article.id == article.link)
    fe.title(article.title)
    fe.link(href=article.link)
    # Order matters: description() also sets Atom content, which content() then replaces.
    fe.description(html.escape(rendered.summary, quote=False) or html.escape(article.title))
    fe.content(content_html(article, config, rendered), type="html")
    if rendered.summary:
        # HTML (the plain text escaped), as RSS's description: rss2email, in its default
        # plain-text mode, mails an entry's first text/plain part, which feedparser says a
        # type="text" summary is, in place of the content. Escaped, a summary quoting markup
        # ('the </b> tag') shows as written (type="text" would be ContainsUndeclaredHTML).
        fe.summary(html.escape(rendered.summary, quote=False), type="html")
    fe.published(article.published)
    fe.updated(article.modified)
    # One call each: feedgen redoes its whole list on every call (20,000 tags took 109 s).
    fe.author(
        [
            {"name": author.name, **({"email": author.email} if author.email else {})}
            for author in item_authors(article, config)
        ]
    )
    terms = categories(article, config)
    if terms:
        fe.category([{"term": term} for term in terms])
    extras: _EntryExtras = fe.feedpub
    extras.article = article
    extras.authors = item_authors(article, config)
    bumped = rss_pubdate(article, config.site)
    extras.pubdate = bumped if bumped != article.published else None


def rss_pubdate(article: Article, site: Site) -> datetime:
    """The item's RSS ``pubDate``: its publication, or with ``site.corrections_bump_pubdate``
    its newest correction (or ``updated``) once it has been corrected."""
    if site.corrections_bump_pubdate and article.corrections:
        return article.modified
    return article.published


def in_order(kind: str, articles: tuple[Article, ...], site: Site) -> tuple[Article, ...]:
    """``articles`` (newest published first) as a ``kind`` document lists them: an RSS feed
    whose pubDates a correction moved lists them newest pubDate first (ties keep the order)."""
    if kind != "rss" or not site.corrections_bump_pubdate:
        return articles
    return tuple(sorted(articles, key=lambda a: rss_pubdate(a, site), reverse=True))


def _ids(kind: str, articles: tuple[Article, ...], site: Site) -> list[str]:
    return [article.id for article in in_order(kind, articles, site)]


def item_authors(article: Article, config: Config) -> tuple[Person, ...]:
    """Who an item names as its authors: the article's, else the site's."""
    return article.authors or (config.site.author,)


def content_html(article: Article, config: Config, rendered: Rendered) -> str:
    """An item's content: the rendered body, led by a figure of the article's image."""
    body = rendered.html or f"<p>{html.escape(article.title)}</p>"
    return with_lead_image(body, article) if config.site.image_in_content else body


def categories(article: Article, config: Config) -> list[str]:
    """Category terms: the article's countries by title, then its tags, each once."""
    terms = [config.countries[key].title for key in article.countries] + list(article.tags)
    return list(dict.fromkeys(terms))


class _FeedExtras(BaseExtension):
    """Channel links feedgen writes only in Atom or not at all, and RFC 5005's fh:archive."""

    archive = False
    podcast = False  # an item has an itunes:duration
    links: list[dict[str, str]] = []
    tombstones: tuple[Tombstone, ...] = ()  # Atom only: RFC 6721 has no RSS or JSON form
    webfeeds: Webfeeds | None = None  # RSS only: Feedly's documentation shows it in RSS

    def extend_ns(self) -> dict[str, str]:
        found = {"media": MEDIA_NS, "dc": DC_NS}
        if self.webfeeds:
            found["webfeeds"] = ns.WEBFEEDS
        if self.archive:
            found["fh"] = ns.FEED_HISTORY
        if self.podcast:
            found["itunes"] = ITUNES_NS
        if self.tombstones:
            found["at"] = ns.TOMBSTONES
        return found

    def extend_rss(self, rss: etree._Element) -> etree._Element:
        channel = rss[0]
        self._add(channel, f"{{{ATOM_NS}}}link", channel.find(f"{{{ATOM_NS}}}link"))
        if self.webfeeds:
            # At the end of the channel's own elements, before the items feedgen appends next.
            channel.extend(webfeeds_elements(self.webfeeds))
        return rss

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        # After the self and alternate links, named as they are: feedgen's Atom tree uses
        # unprefixed names under a literal xmlns (a namespaced name would come out as ns0:).
        last = [x for x in feed if etree.QName(x).localname == "link"][-1]
        self._add(feed, last.tag, last)
        # At the end of the feed's own elements, before the entries feedgen appends next: so
        # each item's bytes stay where the item cache cuts them (see itembytes).
        for tombstone in self.tombstones:
            feed.append(deleted_entry(tombstone))
        return feed

    def _add(self, parent: etree._Element, tag: str, after: etree._Element | None) -> None:
        position = 0 if after is None else parent.index(after) + 1
        for number, link in enumerate(self.links):
            element = etree.Element(tag, href=link["href"], rel=link["rel"])
            if "type" in link:
                element.set("type", link["type"])
            parent.insert(position + number, element)
        if self.archive:
            parent.insert(
                position + len(self.links), etree.Element(f"{{{ns.FEED_HISTORY}}}archive")
            )


def webfeeds_elements(webfeeds: Webfeeds) -> list[etree._Element]:
    """Feedly's ``webfeeds:icon``, ``logo``, ``cover image=`` and ``accentColor``, those set."""
    found = []
    for name, value in (("icon", webfeeds.icon), ("logo", webfeeds.logo)):
        if value:
            element = etree.Element(f"{{{ns.WEBFEEDS}}}{name}")
            element.text = value
            found.append(element)
    if webfeeds.cover:
        found.append(etree.Element(f"{{{ns.WEBFEEDS}}}cover", image=webfeeds.cover))
    if webfeeds.accent_color:
        element = etree.Element(f"{{{ns.WEBFEEDS}}}accentColor")
        element.text = webfeeds.accent_color
        found.append(element)
    return found


def deleted_entry(tombstone: Tombstone) -> etree._Element:
    """``<at:deleted-entry ref when><at:comment>note</at:comment></at:deleted-entry>``."""
    when = datetime.fromtimestamp(tombstone.when, UTC).isoformat()
    element = etree.Element(f"{{{ns.TOMBSTONES}}}deleted-entry", ref=tombstone.id, when=when)
    etree.SubElement(element, f"{{{ns.TOMBSTONES}}}comment").text = tombstone.note
    return element


class _EntryExtras(BaseEntryExtension):
    """Enclosures, media:content/thumbnail, itunes:duration and dc:creator, written right.

    RSS items name every author in ``dc:creator`` and none in ``<author>``: the W3C service
    flags an item holding both (DuplicateItemSemantics), and ``<author>`` cannot hold a name
    without an email address. An RSS item has one ``<enclosure>`` (many readers use only the
    first; the W3C service warns DuplicateEnclosure): the article's audio or video if it has
    one, else its image, which Media RSS carries either way.
    """

    article: Article | None = None
    authors: tuple[Person, ...] = ()
    pubdate: datetime | None = None  # the RSS pubDate, when not the publication date

    def extend_rss(self, item: etree._Element) -> etree._Element:
        article = self.article
        assert article is not None
        if self.pubdate is not None:
            for element in item.iter("pubDate"):
                element.text = formatRFC2822(self.pubdate)
        for element in item.findall("author"):
            item.remove(element)
        for author in self.authors:
            etree.SubElement(item, f"{{{DC_NS}}}creator").text = author.name
        enclosure = article.enclosure
        if enclosure:
            etree.SubElement(
                item,
                "enclosure",
                url=enclosure.url,
                length=str(enclosure.length),
                type=enclosure.media_type,
            )
            self._duration(item, article)
        if article.image:
            image = article.image
            if not enclosure:
                etree.SubElement(
                    item,
                    "enclosure",
                    url=image.url,
                    length=str(image.length),
                    type=image.media_type,
                )
            self._media(item, article)
        return item

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        article = self.article
        assert article is not None
        if article.language:
            entry.set(f"{{{XML_NS}}}lang", article.language)
        enclosure = article.enclosure
        if enclosure:
            link = etree.SubElement(
                entry, "link", rel="enclosure", href=enclosure.url, type=enclosure.media_type
            )
            if enclosure.length:
                link.set("length", str(enclosure.length))
            self._duration(entry, article)
        if article.image:
            image = article.image
            # feedgen's Atom tree is unprefixed names under a literal xmlns attribute: so is this.
            link = etree.SubElement(
                entry, "link", rel="enclosure", href=image.url, type=image.media_type
            )
            if image.length:
                link.set("length", str(image.length))
            self._media(entry, article)
        # Its story's versions, its own last: readers disagree on which alternate link is an
        # entry's link (Miniflux and sfeed take the first, newsboat and feedparser the last),
        # so the item's own link is both, once plain and once with its hreflang.
        for alternate in article.alternates:
            etree.SubElement(
                entry, "link", rel="alternate", hreflang=alternate.language, href=alternate.link
            )
        return entry

    @staticmethod
    def _duration(parent: etree._Element, article: Article) -> None:
        """Apple's ``itunes:duration`` (seconds as h:mm:ss), which podcast apps show."""
        duration = article.enclosure.duration if article.enclosure else None
        if duration is not None:
            hours, rest = divmod(duration, 3600)
            text = f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
            etree.SubElement(parent, f"{{{ITUNES_NS}}}duration").text = text

    @staticmethod
    def _media(parent: etree._Element, article: Article) -> None:
        image = article.image
        assert image is not None
        content = etree.SubElement(
            parent, f"{{{MEDIA_NS}}}content", url=image.url, medium="image", type=image.media_type
        )
        if image.length:
            content.set("fileSize", str(image.length))
        if image.width and image.height:  # aggregators size the lead picture by them
            content.set("width", str(image.width))
            content.set("height", str(image.height))
        if image.alt:
            # Not media:description: feedparser takes it for the item's summary_detail.
            etree.SubElement(content, f"{{{MEDIA_NS}}}title", type="plain").text = image.alt
        thumbnail = etree.SubElement(parent, f"{{{MEDIA_NS}}}thumbnail", url=image.url)
        if image.width and image.height:
            thumbnail.set("width", str(image.width))
            thumbnail.set("height", str(image.height))


_TITLE = re.compile(rb"(<title>)(.*?)(</title>)", re.S)


@dataclass(frozen=True, slots=True)
class FeedLinks:
    """A feed document's own address (its self link) and its channel's page."""

    address: str
    home: str


def _rss(fg: FeedGenerator, links: FeedLinks, config: Config, fmt: FeedFormat) -> bytes:
    fg.link(
        [
            {"href": links.address, "rel": "self", "type": fmt.media_type},
            {"href": links.home, "rel": "alternate"},
        ],
        replace=True,
    )
    data: bytes = with_stylesheet(fg.rss_str(pretty=True), config.site.stylesheet)
    # The RSS Board profile wants markup-like characters in titles as hex references.
    return _TITLE.sub(
        lambda m: m[1] + m[2].replace(b"&lt;", b"&#x3C;").replace(b"&amp;", b"&#x26;") + m[3], data
    )


def _atom(fg: FeedGenerator, links: FeedLinks, config: Config, fmt: FeedFormat) -> bytes:
    fg.link(
        [
            {"href": links.address, "rel": "self", "type": fmt.media_type},
            {"href": links.home, "rel": "alternate", "type": "text/html"},
        ],
        replace=True,
    )
    data: bytes = with_stylesheet(fg.atom_str(pretty=True), config.site.stylesheet)
    return data


def with_stylesheet(data: bytes, href: str | None) -> bytes:
    """``data`` with an ``<?xml-stylesheet?>`` after its XML declaration (feedgen has none)."""
    if href is None:
        return data
    declaration, rest = data.split(b"\n", 1)
    pi = f'<?xml-stylesheet type="{stylesheet_type(href)}" href="{href}"?>'
    return declaration + b"\n" + pi.encode() + b"\n" + rest


SERIALIZERS: dict[str, Callable[[FeedGenerator, FeedLinks, Config, FeedFormat], bytes]] = {
    "rss": _rss,
    "atom": _atom,
}


def render_json(
    channel: Channel,
    config: Config,
    rendered: Mapping[str, Rendered],
    url: str,
    items: ItemCache | None = None,
) -> bytes:
    """A JSON Feed 1.1 document; keys in a fixed order so the bytes are reproducible.

    Its items come last, each written once per build (``items``) as it reads two levels deep:
    the text is ``dumps_indented`` of the whole feed, put together from its parts."""
    site = config.site
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": channel.title,
        "home_page_url": channel_home(channel, config),
        "feed_url": url,
        "description": channel.description,
        "language": channel.language,
        "authors": [_json_author(site.author.name, site.author.email)],
    }
    older = archives.next_url(channel, site.feeds_url, JSON.filename)
    if older:
        feed["next_url"] = older
    if site.image:
        feed["icon"] = site.image
    if site.icon:
        feed["favicon"] = site.icon
    if hubs(channel, config):
        feed["hubs"] = [{"type": "WebSub", "url": hub} for hub in hubs(channel, config)]
    items = items or ItemCache()
    texts = [_json_item_text(a, config, rendered, items) for a in channel.articles]
    head = dumps_indented(feed).removesuffix("\n}")
    body = "[" + "".join(f"{sep}\n    {text}" for sep, text in _joined(texts)) + "\n  ]"
    return f'{head},\n  "items": {body if texts else "[]"}\n}}\n'.encode()


def _joined(texts: list[str]) -> list[tuple[str, str]]:
    """Each text with the separator JSON puts before it: none before the first, else a comma."""
    return [("," if number else "", text) for number, text in enumerate(texts)]


def _json_item_text(
    article: Article, config: Config, rendered: Mapping[str, Rendered], items: ItemCache
) -> str:
    """An item's JSON text, nested as in a feed's ``items`` (written once per build)."""
    text = items.json_item(article.id)
    if text is None:
        text = dumps_indented(_json_item(article, config, rendered[article.id]), level=2)
        items.keep_json(article.id, text)
    return text


def _json_item(article: Article, config: Config, rendered: Rendered) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": article.id,
        "url": article.link,
        "title": article.title,
        "content_html": content_html(article, config, rendered),
    }
    if rendered.summary:
        item["summary"] = rendered.summary
    attachments = [_json_enclosure(article)] if article.enclosure else []
    if article.image:
        item["image"] = article.image.url
        attachments.append(_json_attachment(article))
    if attachments:
        item["attachments"] = attachments
    item["date_published"] = article.published.isoformat()
    item["date_modified"] = article.modified.isoformat()
    item["authors"] = [_json_author(a.name, a.email) for a in item_authors(article, config)]
    terms = categories(article, config)
    if terms:
        item["tags"] = terms
    if article.language:
        item["language"] = article.language
    return item


def _json_attachment(article: Article) -> dict[str, Any]:
    """The image again as an attachment: Miniflux and lemon24/reader read only these."""
    image = article.image
    assert image is not None
    attachment: dict[str, Any] = {"url": image.url, "mime_type": image.media_type}
    if image.alt:
        attachment["title"] = image.alt
    if image.length:
        attachment["size_in_bytes"] = image.length
    return attachment


def _json_enclosure(article: Article) -> dict[str, Any]:
    """The article's audio or video as the first attachment, as podcast readers take it."""
    enclosure = article.enclosure
    assert enclosure is not None
    attachment: dict[str, Any] = {"url": enclosure.url, "mime_type": enclosure.media_type}
    if enclosure.length:
        attachment["size_in_bytes"] = enclosure.length
    if enclosure.duration is not None:
        attachment["duration_in_seconds"] = enclosure.duration
    return attachment


def _json_author(name: str, email: str | None) -> dict[str, str]:
    return {"name": name, "url": f"mailto:{email}"} if email else {"name": name}
