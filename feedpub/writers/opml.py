"""Channels -> ``feeds.opml``: an OPML 2.0 subscription list of every channel, by region
and by kind of topic; and ``countries.opml``, ``regions.opml``: the channels of one level.

A reader imports one and subscribes to all its channels, or picks some, in one step. Each
outline names the feed of ``site.opml_format`` (RSS unless told otherwise) and the channel's
page. Every channel means every article several times over (the site's feed, its region's,
its country's): newsboat keeps each item id once across all its feeds, so from feeds.opml it
shows most items in one feed only; the lists of one level hold each article once (but one
naming two countries). The documents hold no date at all: the same config, the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from feedpub.formats import FORMATS
from feedpub.layout import LEVEL_OPML_PATHS, OPML_PATH, TOPIC_HEADINGS, feed_url, page_url
from feedpub.model import Channel, Config

OPML_DOCS = "http://opml.org/spec2.opml"


# What each list's title says it holds.
TITLES = {
    OPML_PATH: "every feed",
    "country": "every country's feed",
    "region": "every region's feed",
}


def opml_channels(path: str, channels: Iterable[Channel]) -> list[Channel]:
    """The channels the OPML at ``path`` lists (of ``channels``, the current ones)."""
    if path == OPML_PATH:
        return list(channels)
    level = next(kind for kind, name in LEVEL_OPML_PATHS.items() if name == path)
    return [channel for channel in channels if channel.kind == level]


def render_opml(config: Config, channels: Iterable[Channel], path: str = OPML_PATH) -> bytes:
    """The OPML document at ``path``. ``feeds.opml``: the combined channel first, then one
    outline per region holding the region's own channel and its countries', then one per
    kind of topic channel ("Tags", "Authors", "Languages", "Filters"). The list of one level:
    its channels only (countries in an outline per region, as there)."""
    site = config.site
    chosen = opml_channels(path, channels)
    level = next((kind for kind, name in LEVEL_OPML_PATHS.items() if name == path), path)
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = f"{site.title}: {TITLES[level]}"
    etree.SubElement(head, "ownerName").text = site.author.name
    if site.author.email:
        etree.SubElement(head, "ownerEmail").text = site.author.email
    etree.SubElement(head, "docs").text = OPML_DOCS
    body = etree.SubElement(root, "body")
    titles = {region.key: region.title for region in config.regions}
    groups: dict[str, etree._Element] = {}
    for channel in chosen:
        parent = body
        if channel.path and level != "region":  # regions.opml: a flat list
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
