"""RSS 2.0: the specification plus the RSS Advisory Board best-practices profile.

Severities follow the W3C Feed Validation Service: breaking the specification (missing
required elements, malformed dates, links, addresses, enclosures, duplicates) is an error;
profile advice (real names in e-mail addresses, a guid per item, an atom:link rel="self",
element order) is a warning.
"""

from __future__ import annotations

from lxml import etree

from . import extensions, readerhazards, rssparts
from . import namespaces as ns
from .atomparts import check_self_link
from .itemmemo import check_item
from .tree import (
    Rule,
    Scope,
    check_attributes,
    check_children,
    display_name,
    ignore,
    key_of,
    leaf,
    quote,
)
from .values import (
    email_with_name,
    full_url,
    integer,
    language,
    not_blank,
    plain_text,
    rfc822_date,
    rss_html,
)
from .xmldoc import NETSCAPE_RSS_091_DTD, RSSBOARD_RSS_091_DTD

VERSIONS = ("0.91", "0.92", "2.0")
_TITLE = Rule(leaf(not_blank, plain_text), unique=True)


def check_rss(scope: Scope, root: etree._Element) -> None:
    """Check an `<rss>` document element and everything in it."""
    _check_doctype(scope, root)
    extensions.check_namespace_declarations(scope, root)
    if key_of(root)[0]:
        scope.error(
            "InvalidNamespace", f"<rss> must not be in a namespace (found {key_of(root)[0]})", root
        )
        return
    check_attributes(scope, root, frozenset({"version"}))
    version = root.get("version")
    if version is None:
        scope.error("MissingAttribute", '<rss> needs a version attribute, e.g. version="2.0"', root)
    elif version not in VERSIONS:
        scope.error(
            "InvalidRSSVersion",
            f"<rss> version {quote(version)} must be one of '0.91', '0.92', '2.0'",
            root,
        )
    seen = check_children(scope, root, {("", "channel"): Rule(ignore, unique=True)}, home="")
    channels = seen.get(("", "channel"), [])
    if not channels:
        scope.error("MissingElement", "<rss> needs a <channel>", root)
    for channel in channels[:1]:
        _check_channel(scope.within("channel"), channel, version or "2.0")


def _check_doctype(scope: Scope, root: etree._Element) -> None:
    system_url = scope.doc.doctype_system_url
    if system_url == NETSCAPE_RSS_091_DTD:
        scope.error(
            "DeprecatedDTD",
            f"the Netscape RSS 0.91 DTD is gone: use {RSSBOARD_RSS_091_DTD} or no DOCTYPE",
            root,
        )
    elif system_url == RSSBOARD_RSS_091_DTD:
        if root.get("version") != "0.91":
            scope.error("InvalidDoctype", 'the RSS 0.91 DOCTYPE requires version="0.91"', root)
    elif system_url:
        scope.info(
            "ContainsSystemEntity",
            f"the DOCTYPE names an external DTD ({system_url}), which is not read",
            root,
        )


def _check_channel(scope: Scope, channel: etree._Element, version: str) -> None:
    check_attributes(scope, channel)
    seen = check_children(scope, channel, CHANNEL_RULES, home="")
    for name in ("title", "link", "description"):
        if ("", name) not in seen:
            scope.error("MissingElement", f"<channel> needs a <{name}>", channel)
    _check_order(scope, channel)
    link = _first_text(scope, seen, "link")
    title = _first_text(scope, seen, "title")
    for image in seen.get(("", "image"), []):
        rssparts.check_image(scope.within("image"), image, link, title)
    for text_input in seen.get(("", "textInput"), []):
        rssparts.check_text_input(scope.within("textInput"), text_input)
    atom_links = seen.get((ns.ATOM, "link"), [])
    self_links = [a for a in atom_links if a.get("rel") == "self"]
    for self_link in self_links:
        check_self_link(scope, self_link)
    if not self_links and version == "2.0":
        scope.warning(
            "MissingAtomSelfLink",
            "<channel> should have an "
            '<atom:link rel="self" href="(the feed\'s own URL)" '
            'type="application/rss+xml"/>',
            channel,
        )
    guids: dict[str, int] = {}
    for number, item in enumerate(seen.get(("", "item"), []), start=1):
        _check_item(scope.within(f"item {number}"), item, version, guids, number)


def _first_text(
    scope: Scope, seen: dict[tuple[str, str], list[etree._Element]], name: str
) -> str | None:
    found = seen.get(("", name))
    return scope.doc.text(found[0]).strip() if found else None


def _check_order(scope: Scope, channel: etree._Element) -> None:
    """Profile: channel elements come before the items."""
    item_seen = False
    for child in channel:
        if not isinstance(child.tag, str):
            continue
        key = key_of(child)
        if key == ("", "item"):
            item_seen = True
        elif item_seen and (key[0] == "" or key == (ns.ATOM, "link")):
            scope.warning(
                "MisplacedItem", f"{display_name(child)} should come before the items", child
            )
            return


def _check_item(
    scope: Scope, item: etree._Element, version: str, guids: dict[str, int], number: int
) -> None:
    check_item(
        scope.items,
        lambda memo: memo.xml_key(scope.doc, item, scope.now, ("rss", version)),
        scope.report,
        lambda: _check_item_content(scope, item, version),
    )
    _check_guid_unique(scope, item, guids, number)


def _check_item_content(scope: Scope, item: etree._Element, version: str) -> None:
    """Everything about one item that reads nothing but the item, the version and the
    clock (so an item found clean once in a build need not be checked again)."""
    check_attributes(scope, item)
    seen = check_children(scope, item, ITEM_RULES, home="")
    readerhazards.check_summary_hijack(scope, item, ("", "description"))
    if ("", "title") not in seen and ("", "description") not in seen:
        scope.error(
            "ItemMustContainTitleOrDescription", "<item> needs a <title> or a <description>", item
        )
    if ("", "guid") not in seen and version.startswith("2."):
        scope.warning(
            "MissingGuid", "<item> should have a <guid> so readers can tell items apart", item
        )
    if ("", "author") in seen and (ns.DC, "creator") in seen:
        scope.warning(
            "DuplicateItemSemantics",
            "<item> names its author in both <author> and <dc:creator>: keep one",
            seen[(ns.DC, "creator")][0],
        )
    for extra in seen.get(("", "enclosure"), [])[1:]:
        scope.warning("DuplicateEnclosure", "many readers use only the first <enclosure>", extra)
    _check_description_order(scope, item)


def _check_guid_unique(
    scope: Scope, item: etree._Element, guids: dict[str, int], number: int
) -> None:
    """No two items of a channel share a guid (checked for every item of every document)."""
    guid = item.find("guid")  # the first, as check_children saw it
    if guid is not None:
        value = scope.doc.text(guid).strip()
        if value in guids:
            scope.error(
                "DuplicateValue",
                f"<guid> {quote(value)} is also the guid of item {guids[value]}",
                guid,
            )
        elif value:
            guids[value] = number


def _check_description_order(scope: Scope, item: etree._Element) -> None:
    """Profile: a description, if any, comes before content:encoded."""
    for child in item:
        if not isinstance(child.tag, str):
            continue
        key = key_of(child)
        if key == ("", "description"):
            return
        if key == (ns.CONTENT, "encoded") and item.find("description") is not None:
            scope.warning(
                "NeedDescriptionBeforeContent",
                "<description> should come before <content:encoded>",
                child,
            )
            return


CHANNEL_RULES = {
    ("", "title"): _TITLE,
    ("", "link"): Rule(leaf(full_url), unique=True),
    ("", "description"): Rule(leaf(plain_text), unique=True),
    ("", "language"): Rule(leaf(language), unique=True),
    ("", "copyright"): Rule(leaf(plain_text), unique=True),
    ("", "managingEditor"): Rule(leaf(email_with_name), unique=True),
    ("", "webMaster"): Rule(leaf(email_with_name), unique=True),
    ("", "pubDate"): Rule(leaf(rfc822_date), unique=True),
    ("", "lastBuildDate"): Rule(leaf(rfc822_date), unique=True),
    ("", "category"): Rule(leaf(plain_text, attributes=frozenset({"domain"}))),
    ("", "generator"): Rule(leaf(), unique=True),
    ("", "docs"): Rule(leaf(full_url), unique=True),
    ("", "cloud"): Rule(rssparts.cloud, unique=True),
    ("", "ttl"): Rule(leaf(not_blank, integer(1)), unique=True),
    ("", "image"): Rule(ignore, unique=True),
    ("", "rating"): Rule(leaf()),
    ("", "textInput"): Rule(ignore, unique=True),
    ("", "skipHours"): Rule(rssparts.skip_hours, unique=True),
    ("", "skipDays"): Rule(rssparts.skip_days, unique=True),
    ("", "item"): Rule(ignore),
    **extensions.RSS_CHANNEL,
}
ITEM_RULES = {
    ("", "title"): _TITLE,
    ("", "link"): Rule(leaf(full_url), unique=True),
    ("", "description"): Rule(leaf(rss_html), unique=True),
    ("", "author"): Rule(leaf(email_with_name), unique=True),
    ("", "category"): Rule(leaf(not_blank, plain_text, attributes=frozenset({"domain"}))),
    ("", "comments"): Rule(leaf(full_url), unique=True),
    ("", "enclosure"): Rule(rssparts.enclosure),
    ("", "guid"): Rule(rssparts.guid, unique=True),
    ("", "pubDate"): Rule(leaf(rfc822_date), unique=True),
    ("", "source"): Rule(rssparts.source, unique=True),
    **extensions.RSS_ITEM,
}
