"""RFC 6721 tombstones: ``at:deleted-entry`` marks an entry a feed no longer holds.

Section 2.1: ``ref`` (the deleted entry's atom:id, an IRI) and ``when`` (a date-time) are
required; ``at:by`` (a person) and ``at:comment`` (text) may follow. A tombstone belongs at
the feed level of an Atom document; one naming an id the same document still holds as an
entry contradicts it (section 2: the entry is deleted).
"""

from __future__ import annotations

from lxml import etree

from . import namespaces as ns
from .atomparts import PERSON_RULES
from .tree import (
    Field,
    Rule,
    Scope,
    check_attributes,
    check_children,
    display_name,
    leaf,
)
from .values import full_iri, plain_text, rfc3339_date

_ATTRIBUTES = frozenset({"ref", "when"})
_CHILDREN = {
    (ns.TOMBSTONES, "by"): Rule(lambda scope, element: _by(scope, element), unique=True),
    (ns.TOMBSTONES, "comment"): Rule(
        leaf(plain_text, attributes=frozenset({"type", f"{{{ns.XML}}}lang"})), unique=True
    ),
}


def deleted_entry(scope: Scope, element: etree._Element) -> None:
    check_attributes(scope, element, _ATTRIBUTES)
    check_children(scope, element, _CHILDREN, home=ns.TOMBSTONES)
    name = display_name(element)
    for attribute, check in (("ref", full_iri), ("when", rfc3339_date)):
        value = element.get(attribute)
        if value is None:
            scope.error("MissingAttribute", f"{name} needs a {attribute} attribute", element)
        else:
            check(scope, Field(element, attribute), value)
    ref = element.get("ref")
    feed = element.getparent()
    if ref is None or feed is None:
        return
    held = {(x.text or "").strip() for x in feed.iterfind(f"{{{ns.ATOM}}}entry/{{{ns.ATOM}}}id")}
    if ref in held:
        scope.error(
            "DeletedEntryPresent",
            f"{name} marks {ref!r} as deleted, but the feed still holds an entry with that id",
            element,
        )


def _by(scope: Scope, element: etree._Element) -> None:
    check_attributes(scope, element)
    seen = check_children(scope, element, PERSON_RULES, home=ns.ATOM)
    if (ns.ATOM, "name") not in seen:
        scope.error("MissingElement", f"{display_name(element)} needs an <name>", element)


FEED: dict[tuple[str, str], Rule] = {(ns.TOMBSTONES, "deleted-entry"): Rule(deleted_entry)}
