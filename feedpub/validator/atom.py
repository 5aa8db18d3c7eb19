"""Atom 1.0 (RFC 4287) feed and entry documents.

A feed needs id, title and updated, and an author unless every entry has one; an entry needs
id, title, updated, an author (its own, its source's, or the feed's), and content or a
rel="alternate" link. Severities follow the W3C Feed Validation Service.
"""

from __future__ import annotations

from lxml import etree

from . import atomparts, extensions, readerhazards
from . import namespaces as ns
from .itemmemo import check_item
from .tree import (
    Key,
    Rule,
    Scope,
    check_attributes,
    check_children,
    check_common_attributes,
    display_name,
    ignore,
    key_of,
    quote,
)

_METADATA = atomparts.FEED_METADATA
_ID = f"{{{ns.ATOM}}}id"
_UPDATED = f"{{{ns.ATOM}}}updated"


def _source(scope: Scope, source: etree._Element) -> None:
    """atom:source: the metadata of the feed an entry was copied from."""
    check_attributes(scope, source)
    seen = check_children(scope, source, SOURCE_RULES, home=ns.ATOM)
    for name in ("id", "title", "updated"):
        if (ns.ATOM, name) not in seen:
            scope.warning("MissingSourceElement", f"<source> should have an <{name}>", source)


FEED_RULES: dict[Key, Rule] = {
    **extensions.ATOM_FEED,
    **_METADATA,
    (ns.ATOM, "entry"): Rule(ignore),
}
SOURCE_RULES: dict[Key, Rule] = {**extensions.ATOM_FEED, **_METADATA}
ENTRY_RULES: dict[Key, Rule] = {
    **extensions.ATOM_ENTRY,
    (ns.ATOM, "author"): Rule(atomparts.person),
    (ns.ATOM, "category"): Rule(atomparts.category),
    (ns.ATOM, "content"): Rule(atomparts.content, unique=True),
    (ns.ATOM, "contributor"): Rule(atomparts.person),
    (ns.ATOM, "id"): Rule(atomparts.atom_id, unique=True),
    (ns.ATOM, "link"): Rule(atomparts.link),
    (ns.ATOM, "published"): Rule(atomparts.atom_date, unique=True),
    (ns.ATOM, "rights"): Rule(atomparts.text_construct, unique=True),
    (ns.ATOM, "source"): Rule(_source, unique=True),
    (ns.ATOM, "summary"): Rule(atomparts.text_construct, unique=True),
    (ns.ATOM, "title"): Rule(atomparts.text_construct, unique=True),
    (ns.ATOM, "updated"): Rule(atomparts.atom_date, unique=True),
}


def check_atom(scope: Scope, root: etree._Element) -> None:
    """Check an Atom `<feed>` (or a standalone `<entry>`) document element."""
    namespace, local = key_of(root)
    if namespace == ns.ATOM_03:
        scope.error(
            "ObsoleteNamespace",
            f"<{local}> uses the Atom 0.3 namespace: Atom 1.0 is {ns.ATOM}",
            root,
        )
        return
    if namespace != ns.ATOM:
        scope.error(
            "MissingNamespace",
            f'<{local}> must be in the Atom namespace: add xmlns="{ns.ATOM}"',
            root,
        )
        return
    check_common_attributes(scope, root)
    extensions.check_namespace_declarations(scope, root)
    readerhazards.check_own_namespace_prefix(scope, root, ns.ATOM)
    if local == "entry":
        _check_entry(scope.within("entry"), root, feed_has_author=False, ids={}, number=1)
        return
    _check_feed(scope, root)


def _check_feed(scope: Scope, feed: etree._Element) -> None:
    check_attributes(scope, feed)
    seen = check_children(scope, feed, FEED_RULES, home=ns.ATOM)
    for name in ("id", "title", "updated"):
        if (ns.ATOM, name) not in seen:
            scope.error("MissingElement", f"<feed> needs an <{name}>", feed)
    _check_metadata_order(scope, feed)
    links = seen.get((ns.ATOM, "link"), [])
    _check_alternates(scope, links)
    self_links = [link for link in links if link.get("rel") == "self"]
    for self_link in self_links:
        atomparts.check_self_link(scope, self_link)
    if not self_links:
        scope.warning(
            "MissingSelf",
            '<feed> should have a <link rel="self" href="(the feed\'s own URL)"/>',
            feed,
        )
    has_author = (ns.ATOM, "author") in seen
    ids: dict[tuple[str, str], int] = {}
    for number, entry in enumerate(seen.get((ns.ATOM, "entry"), []), start=1):
        _check_entry(scope.within(f"entry {number}"), entry, has_author, ids, number)


def _check_metadata_order(scope: Scope, feed: etree._Element) -> None:
    """Feed metadata must come before the entries (W3C: MisplacedMetadata)."""
    entry_seen = False
    for child in feed:
        if not isinstance(child.tag, str):
            continue
        key = key_of(child)
        if key == (ns.ATOM, "entry"):
            entry_seen = True
        elif entry_seen and key in _METADATA:
            scope.error(
                "MisplacedMetadata", f"{display_name(child)} must come before the entries", child
            )


def _check_entry(
    scope: Scope,
    entry: etree._Element,
    feed_has_author: bool,
    ids: dict[tuple[str, str], int],
    number: int,
) -> None:
    check_item(
        scope.items,
        lambda memo: memo.xml_key(scope.doc, entry, scope.now, ("atom", feed_has_author)),
        scope.report,
        lambda: _check_entry_content(scope, entry, feed_has_author),
    )
    _check_entry_unique(scope, entry, ids, number)


def _check_entry_content(scope: Scope, entry: etree._Element, feed_has_author: bool) -> None:
    """Everything about one entry that reads nothing but the entry, whether the feed names
    an author and the clock (so an entry found clean once in a build need not be checked
    again)."""
    check_attributes(scope, entry)
    seen = check_children(scope, entry, ENTRY_RULES, home=ns.ATOM)
    readerhazards.check_summary_hijack(scope, entry, (ns.ATOM, "summary"))
    for name in ("id", "title", "updated"):
        if (ns.ATOM, name) not in seen:
            scope.error("MissingElement", f"<entry> needs an <{name}>", entry)
    sources = seen.get((ns.ATOM, "source"), [])
    source_author = any(s.find(f"{{{ns.ATOM}}}author") is not None for s in sources)
    if (ns.ATOM, "author") not in seen and not feed_has_author and not source_author:
        scope.error("MissingElement", "<entry> needs an <author> (or the feed one)", entry)
    links = seen.get((ns.ATOM, "link"), [])
    _check_alternates(scope, links)
    contents = seen.get((ns.ATOM, "content"), [])
    has_summary = (ns.ATOM, "summary") in seen
    if contents:
        if atomparts.content_is_opaque(contents[0]) and not has_summary:
            scope.error(
                "MissingSummary",
                "<entry> with remote or non-text <content> needs a <summary>",
                entry,
            )
    else:
        if not has_summary:
            scope.warning(
                "MissingTextualContent", "<entry> should have a <content> or a <summary>", entry
            )
        if not any(link.get("rel", "alternate") == "alternate" for link in links):
            scope.error(
                "MissingContentOrAlternate",
                '<entry> needs a <content> or a <link rel="alternate">',
                entry,
            )


def _check_entry_unique(
    scope: Scope, entry: etree._Element, ids: dict[tuple[str, str], int], number: int
) -> None:
    """Entries of a feed with one id have different updated dates (checked for every entry
    of every document)."""
    element, updated = entry.find(_ID), entry.find(_UPDATED)  # the first of each
    if element is None:
        return
    # RFC 4287 4.1.1: entries with one id are one entry; their updated SHOULD differ.
    value = (
        scope.doc.text(element).strip(),
        scope.doc.text(updated).strip() if updated is not None else "",
    )
    if value in ids:
        scope.warning(
            "DuplicateEntries",
            f"<id> {quote(value[0])} and <updated> are also those of entry {ids[value]}",
            element,
        )
    elif value[0]:
        ids[value] = number


def _check_alternates(scope: Scope, links: list[etree._Element]) -> None:
    """At most one rel="alternate" link per (type, hreflang) pair."""
    seen: set[tuple[str | None, str | None]] = set()
    for link in links:
        if link.get("rel", "alternate") != "alternate":
            continue
        pair = (link.get("type"), link.get("hreflang"))
        if pair in seen:
            scope.error(
                "DuplicateAtomLink",
                'two <link rel="alternate"> with the same type and hreflang',
                link,
            )
        seen.add(pair)
