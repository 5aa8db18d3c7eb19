"""Which namespaced extension elements each level of a feed accepts, and how to check them.

Mirrors the W3C validator's `extension.py`: Dublin Core everywhere, content:encoded in RSS
items, Atom elements inside RSS, syndication (sy:) at channel level, slash:, wfw: and thr:
at item level, iTunes and Media RSS at both. Elements from namespaces not listed in
`namespaces.CHECKED` are accepted as unknown extensions.
"""

from __future__ import annotations

from lxml import etree

from . import atomparts, dublincore, geo, itunes, media, tombstones
from . import namespaces as ns
from .tree import (
    Field,
    Key,
    Rule,
    Scope,
    ValueCheck,
    check_attributes,
    check_no_children,
    ignore,
    leaf,
)
from .values import full_url, integer, one_of, rss_html, w3cdtf_date


def _comment_rss_typo(scope: Scope, field: Field, value: str) -> None:
    scope.warning("CommentRSS", f"{field.name} is misspelled: use <wfw:commentRss>", field.element)


def _comma_separated_integers(scope: Scope, field: Field, value: str) -> None:
    parts = [part.strip() for part in value.split(",")]
    if not all(part.isascii() and part.isdigit() for part in parts):
        scope.error(
            "InvalidCommaSeparatedIntegers",
            f"{field.name} must be numbers separated by commas",
            field.element,
        )


def _in_reply_to(scope: Scope, element: etree._Element) -> None:
    check_attributes(scope, element, frozenset({"ref", "href", "type", "source"}))
    check_no_children(scope, element)
    if element.get("ref") is None:
        scope.error("MissingAttribute", "<thr:in-reply-to> needs a ref attribute", element)


def check_namespace_declarations(scope: Scope, root: etree._Element) -> None:
    """Report the Media RSS namespace declared without its trailing slash (W3C: an error)."""
    if not scope.doc.may_declare(ns.MEDIA_WITHOUT_SLASH):
        return
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        parent = element.getparent()
        inherited = parent.nsmap if parent is not None else {}
        for prefix, uri in element.nsmap.items():
            if uri == ns.MEDIA_WITHOUT_SLASH and inherited.get(prefix) != uri:
                scope.error(
                    "MediaRssNamespace",
                    f"the Media RSS namespace is {ns.MEDIA!r}, with a trailing slash",
                    element,
                )


def _once(*checks: ValueCheck) -> Rule:
    return Rule(leaf(*checks), unique=True)


_OPENSEARCH: dict[str, Rule] = {
    "totalResults": _once(integer(0)),
    "startIndex": _once(integer(-(2**31))),
    "itemsPerPage": _once(integer(0)),
}


def _required_attributes(*names: str, checks: tuple[ValueCheck, ...] = ()) -> Rule:
    """An empty element whose attributes `names` are all required (checked by `checks`)."""

    def check(scope: Scope, element: etree._Element) -> None:
        check_attributes(scope, element, frozenset(names))
        check_no_children(scope, element)
        for name in names:
            value = element.get(name)
            if value is None:
                scope.error(
                    "MissingAttribute",
                    f"<{element.prefix}:{etree.QName(element).localname}> needs a {name} attribute",
                    element,
                )
            else:
                for value_check in checks:
                    value_check(scope, Field(element, name), value.strip())

    return Rule(check)


_RDF_RESOURCE = frozenset({f"{{{ns.RDF}}}resource"})
_CHANNEL_ONLY: dict[Key, Rule] = {
    **{(ns.OPENSEARCH, local): rule for local, rule in _OPENSEARCH.items()},
    **{(ns.OPENSEARCH_10, local): rule for local, rule in _OPENSEARCH.items()},
    (ns.OPENSEARCH, "Query"): Rule(ignore),
    (ns.ADMIN, "generatorAgent"): Rule(leaf(attributes=_RDF_RESOURCE), unique=True),
    (ns.ADMIN, "errorReportsTo"): Rule(leaf(attributes=_RDF_RESOURCE), unique=True),
    **{
        (ns.BLOGCHANNEL, local): _once(full_url)
        for local in ("blogRoll", "mySubscriptions", "blink", "changes")
    },
    (ns.FEEDBURNER, "awareness"): _once(full_url),
    (ns.FEEDBURNER, "browserFriendly"): _once(),
    (ns.FEEDBURNER, "emailServiceId"): _once(),
    (ns.FEEDBURNER, "feedburnerHostname"): _once(full_url),
    (ns.FEEDBURNER, "feedFlare"): Rule(leaf(attributes=frozenset({"href", "src"}))),
    (ns.FEEDBURNER, "info"): _required_attributes("uri"),
    (ns.FEED_HISTORY, "archive"): Rule(ignore),
    (ns.FEED_HISTORY, "complete"): Rule(ignore),
}
_SY: dict[Key, Rule] = {
    (ns.SY, "updatePeriod"): _once(
        one_of(("hourly", "daily", "weekly", "monthly", "yearly"), "InvalidUpdatePeriod")
    ),
    (ns.SY, "updateFrequency"): _once(integer(1)),
    (ns.SY, "updateBase"): _once(w3cdtf_date),
}
_ITEM_ONLY: dict[Key, Rule] = {
    (ns.SLASH, "comments"): _once(integer(0)),
    (ns.SLASH, "section"): Rule(leaf()),
    (ns.SLASH, "department"): Rule(leaf()),
    (ns.SLASH, "hit_parade"): _once(_comma_separated_integers),
    (ns.WFW, "comment"): _once(full_url),
    (ns.WFW, "commentRss"): _once(full_url),
    (ns.WFW, "commentRSS"): _once(_comment_rss_typo, full_url),
    (ns.THR, "total"): _once(integer(0)),
    (ns.FEEDBURNER, "awareness"): _once(full_url),
    (ns.FEEDBURNER, "origLink"): _once(full_url),
    (ns.FEEDBURNER, "origEnclosureLink"): _once(full_url),
    (ns.TRACKBACK, "ping"): _once(full_url),
    (ns.TRACKBACK, "about"): Rule(leaf(full_url)),
    (ns.THR, "in-reply-to"): Rule(_in_reply_to),
}
_ATOM_IN_RSS_ITEM: dict[Key, Rule] = {
    (ns.ATOM, "id"): Rule(atomparts.atom_id, unique=True),
    (ns.ATOM, "link"): Rule(atomparts.link),
    (ns.ATOM, "title"): Rule(atomparts.content, unique=True),
    (ns.ATOM, "summary"): Rule(atomparts.text_construct, unique=True),
    (ns.ATOM, "author"): Rule(atomparts.person, unique=True),
    (ns.ATOM, "contributor"): Rule(atomparts.person),
    (ns.ATOM, "content"): Rule(atomparts.content),
    (ns.ATOM, "published"): Rule(atomparts.atom_date, unique=True),
    (ns.ATOM, "updated"): Rule(atomparts.atom_date, unique=True),
}

_LICENSE = {(ns.CREATIVE_COMMONS, "license"): Rule(leaf(full_url))}
_CHANNEL_COMMON = {
    **dublincore.CHANNEL,
    **geo.ELEMENTS,
    **itunes.CHANNEL,
    **media.ELEMENTS,
    **_SY,
    **_CHANNEL_ONLY,
    **_LICENSE,
    (ns.THR, "in-reply-to"): Rule(_in_reply_to),
}
_ITEM_COMMON = {
    **dublincore.EVERYWHERE,
    **geo.ELEMENTS,
    **itunes.ITEM,
    **media.ALL,
    **_ITEM_ONLY,
    **_LICENSE,
}

RSS_CHANNEL: dict[Key, Rule] = {**_CHANNEL_COMMON, **atomparts.FEED_METADATA}
RSS_ITEM: dict[Key, Rule] = {
    **_ITEM_COMMON,
    **_ATOM_IN_RSS_ITEM,
    (ns.CONTENT, "encoded"): _once(rss_html),
}
ATOM_FEED: dict[Key, Rule] = {**_CHANNEL_COMMON, **tombstones.FEED}
ATOM_ENTRY: dict[Key, Rule] = dict(_ITEM_COMMON)
EVERYWHERE: dict[Key, Rule] = {**dublincore.EVERYWHERE, **geo.ELEMENTS}
