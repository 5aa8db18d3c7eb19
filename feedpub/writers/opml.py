"""Channels -> ``feeds.opml``: an OPML 2.0 subscription list of every channel, by region
and by kind of topic.

A reader imports it and subscribes to all channels, or picks some, in one step. Each outline
names the feed of ``site.opml_format`` (RSS unless told otherwise) and the channel's page. The
document holds no date at all, so the same config gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from feedpub.formats import FORMATS
from feedpub.layout import TOPIC_HEADINGS, feed_url, page_url
from feedpub.model import Channel, Config

OPML_DOCS = "http://opml.org/spec2.opml"


def render_opml(config: Config, channels: Iterable[Channel]) -> bytes:
    """The OPML document: the combined channel first, then one outline per region holding the
    region's own channel and its countries', then one per kind of topic channel ("Tags",
    "Authors", "Languages", "Filters")."""
    site = config.site
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = f"{site.title}: every feed"
    etree.SubElement(head, "ownerName").text = site.author.name
    if site.author.email:
        etree.SubElement(head, "ownerEmail").text = site.author.email
    etree.SubElement(head, "docs").text = OPML_DOCS
    body = etree.SubElement(root, "body")
    titles = {region.key: region.title for region in config.regions}
    groups: dict[str, etree._Element] = {}
    for channel in channels:
        parent = body
        if channel.path:
            key = channel.path[0] if channel.kind in ("region", "country") else channel.kind
            if key not in groups:
                title = titles.get(key) or TOPIC_HEADINGS[key]
                groups[key] = etree.SubElement(body, "outline", text=title, title=title)
            parent = groups[key]
        _feed_outline(parent, config, channel)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _feed_outline(parent: etree._Element, config: Config, channel: Channel) -> None:
    fmt = next(f for f in FORMATS if f.kind == config.site.opml_format)
    etree.SubElement(
        parent,
        "outline",
        type="rss",
        text=channel.title,
        title=channel.title,
        xmlUrl=feed_url(config.site.feeds_url, channel.path, fmt),
        htmlUrl=page_url(config.site.feeds_url, channel.path),
        language=channel.language,
        description=channel.description,
    )
