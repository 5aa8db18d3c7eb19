"""Checks of an OPML 2.0 subscription list (http://opml.org/spec2.opml), in the validator's
rule-table shape: one table of child rules per container, value checks from ``values``.

What a reader needs to import it: an ``<opml version="2.0">`` with one ``<head>`` and one
``<body>``; outlines that all have ``text``; every ``type="rss"`` outline an absolute
``xmlUrl``; URLs, languages, dates and the owner's address well-formed.
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from feedpub.validator.messages import Message, Report
from feedpub.validator.pages import Folder, link_problem, resolve
from feedpub.validator.tree import (
    Field,
    Key,
    Rule,
    Scope,
    check_attributes,
    check_children,
    check_no_text,
    display_name,
    leaf,
)
from feedpub.validator.values import (
    email_address,
    full_url,
    language,
    not_blank,
    plain_text,
    rfc822_date,
)
from feedpub.validator.xmldoc import parse_xml

OUTLINE_ATTRIBUTES = frozenset(
    "text type title xmlUrl htmlUrl url language description version created category "
    "isComment isBreakpoint".split()
)
_OUTLINE_VALUES = {"xmlUrl": full_url, "htmlUrl": full_url, "url": full_url, "language": language}


def check_opml(data: bytes, now: datetime) -> list[Message]:
    """The messages about an OPML document, sorted by position."""
    report = Report()
    doc = parse_xml(data, report)
    if doc is None:
        return report.messages()
    scope = Scope(report, doc, "opml", now, None)
    root = doc.root
    if root.tag != "opml":
        scope.error("NotOpml", f"the root element is {display_name(root)}, not <opml>", root)
        return report.messages()
    if root.get("version") != "2.0":
        scope.error("OpmlVersion", f"<opml> version {root.get('version')!r} is not '2.0'", root)
    check_attributes(scope, root, frozenset({"version"}))
    seen = check_children(scope, root, _OPML, home="")
    for required in ("head", "body"):
        if ("", required) not in seen:
            scope.error("MissingElement", f"<opml> must contain a <{required}>", root)
    return report.messages()


def check_feed_urls(relative: str, data: bytes, folder: Folder) -> list[Message]:
    """The messages about the ``xmlUrl`` of each outline of the OPML at ``relative`` in an
    output folder: each must name a feed in ``folder``, as a page's feed links must."""
    base = folder.base
    doc = parse_xml(data, Report())  # its own messages are check_opml's
    if doc is None or base is None:  # xmlUrls are absolute: no address, nothing to match
        return []
    report = Report()
    for outline in doc.root.iter("outline"):
        url = outline.get("xmlUrl")
        if url is None:
            continue
        problem = link_problem(url, resolve(base + relative, url, base), folder)
        if problem is not None:
            report.error("BrokenFeedLink", f"<outline> xmlUrl {problem}", doc.position(outline))
    return report.messages()


def _body(scope: Scope, body: etree._Element) -> None:
    check_attributes(scope, body)
    if not check_children(scope, body, _BODY, home=""):
        scope.error("MissingOutline", "<body> must contain at least one <outline>", body)


def _outline(scope: Scope, outline: etree._Element) -> None:
    check_no_text(scope, outline)
    check_attributes(scope, outline, OUTLINE_ATTRIBUTES)
    text = outline.get("text")
    if text is None or not text.strip():
        scope.error("MissingAttribute", "<outline> must have a non-empty 'text'", outline)
    if outline.get("type") == "rss" and outline.get("xmlUrl") is None:
        scope.error("MissingAttribute", '<outline type="rss"> must have an xmlUrl', outline)
    for name, check in _OUTLINE_VALUES.items():
        value = outline.get(name)
        if value is not None:
            check(scope, Field(outline, name), value)
    check_children(scope, outline, _BODY, home="")


def _head(scope: Scope, head: etree._Element) -> None:
    check_attributes(scope, head)
    check_children(scope, head, _HEAD, home="")


_TEXT = Rule(leaf(not_blank, plain_text), unique=True)
_HEAD: dict[Key, Rule] = {
    ("", "title"): _TEXT,
    ("", "ownerName"): _TEXT,
    ("", "ownerEmail"): Rule(leaf(email_address("InvalidEmail")), unique=True),
    ("", "ownerId"): Rule(leaf(full_url), unique=True),
    ("", "docs"): Rule(leaf(full_url), unique=True),
    ("", "dateCreated"): Rule(leaf(rfc822_date), unique=True),
    ("", "dateModified"): Rule(leaf(rfc822_date), unique=True),
    ("", "expansionState"): _TEXT,
    ("", "vertScrollState"): _TEXT,
    ("", "windowTop"): _TEXT,
    ("", "windowLeft"): _TEXT,
    ("", "windowBottom"): _TEXT,
    ("", "windowRight"): _TEXT,
}
_BODY: dict[Key, Rule] = {("", "outline"): Rule(_outline)}
_OPML: dict[Key, Rule] = {
    ("", "head"): Rule(_head, unique=True),
    ("", "body"): Rule(_body, unique=True),
}
