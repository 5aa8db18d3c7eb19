"""Checking an XML feed element by element with tables of rules.

A container element (channel, item, feed, entry...) has a table mapping each child it allows,
by (namespace, local name), to a `Rule`. `check_children` walks the children, applies each
child's rule, reports unknown and duplicated children, and returns what it saw so the
container can check what is required. Leaf elements are checked by `leaf(...)` rules built
from value checks (see `values.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from . import namespaces as ns
from .itemmemo import ItemMemo
from .messages import Report
from .uris import is_language, uri_problem
from .xmldoc import XmlDocument, elements

Key = tuple[str, str]  # (namespace URI or "", local name)


@dataclass(frozen=True)
class Scope:
    """Where checking is: the report, the document, and a label such as "item 3".

    `rss` says whether the document is RSS, where elements in no namespace inside extension
    elements are errors (in Atom only warnings), as in the W3C validator. `items`, shared by
    the documents of a build, lets each distinct item be checked once.
    """

    report: Report
    doc: XmlDocument
    label: str
    now: datetime
    self_url: str | None
    rss: bool = False
    items: ItemMemo | None = None

    def within(self, label: str) -> Scope:
        """The same scope with another label, for the children of a nested element (built
        directly: ``dataclasses.replace`` cost more than the checks of a small item)."""
        return Scope(self.report, self.doc, label, self.now, self.self_url, self.rss, self.items)

    def error(self, code: str, text: str, node: etree._Element) -> None:
        """Report an error about `node`, prefixed with the scope label."""
        self.report.error(code, f"{self.label}: {text}", self.doc.position(node))

    def warning(self, code: str, text: str, node: etree._Element) -> None:
        """Report a warning about `node`, prefixed with the scope label."""
        self.report.warning(code, f"{self.label}: {text}", self.doc.position(node))

    def info(self, code: str, text: str, node: etree._Element) -> None:
        """Report an informational note about `node`, prefixed with the scope label."""
        self.report.info(code, f"{self.label}: {text}", self.doc.position(node))


@dataclass(frozen=True)
class Field:
    """An element, or one attribute of it, whose value is being checked."""

    element: etree._Element
    attribute: str | None = None

    @property
    def name(self) -> str:
        """How messages name it: `<pubDate>` or `<enclosure> attribute 'url'`."""
        tag = display_name(self.element)
        return f"{tag} attribute {self.attribute!r}" if self.attribute else tag


Check = Callable[[Scope, etree._Element], None]
ValueCheck = Callable[[Scope, Field, str], None]


@dataclass(frozen=True)
class Rule:
    """How one kind of child element is checked, and whether it may appear only once."""

    check: Check
    unique: bool = False


def ignore(scope: Scope, element: etree._Element) -> None:
    """A rule body for children checked elsewhere (or extensions with anything inside)."""


def key_of(element: etree._Element) -> Key:
    """(namespace, local name) of an element (by its tag, worked out once per tag)."""
    tag = element.tag
    key = _KEYS.get(tag)
    if key is None:
        if len(_KEYS) > 10_000:  # a hostile document's invented names stay bounded
            _KEYS.clear()
        name = etree.QName(element)
        key = _KEYS[tag] = (name.namespace or "", name.localname)
    return key


_KEYS: dict[object, Key] = {}  # a feed has a few dozen distinct tags


def display_name(element: etree._Element) -> str:
    """The element as written in the document, e.g. `<dc:creator>`."""
    local = etree.QName(element).localname
    return f"<{element.prefix}:{local}>" if element.prefix else f"<{local}>"


def check_children(
    scope: Scope, parent: etree._Element, rules: Mapping[Key, Rule], *, home: str
) -> dict[Key, list[etree._Element]]:
    """Apply `rules` to each child of `parent`; returns the children found, by key.

    Children without a rule are UndefinedElement errors when they come from the `home`
    namespace (RSS: none, Atom: Atom's), from a namespace listed completely in
    `namespaces.CHECKED`, or (in RSS) from no namespace; elements from other namespaces are
    extensions and pass. A second child whose rule is `unique` is a DuplicateElement error.
    Text between the children is an UnexpectedText error.
    """
    check_no_text(scope, parent)
    seen: dict[Key, list[etree._Element]] = {}
    for child in elements(parent):
        key = key_of(child)
        seen.setdefault(key, []).append(child)
        check_common_attributes(scope, child)
        rule = rules.get(key)
        if rule is None:
            _unknown_child(scope, parent, child, key, home)
            continue
        if rule.unique and len(seen[key]) == 2:
            scope.error(
                "DuplicateElement",
                f"{display_name(parent)} may contain only one {display_name(child)}",
                child,
            )
        rule.check(scope, child)
    return seen


def _unknown_child(
    scope: Scope, parent: etree._Element, child: etree._Element, key: Key, home: str
) -> None:
    namespace = key[0]
    if namespace == home or namespace in ns.CHECKED or (scope.rss and not namespace):
        where = "in no namespace" if not namespace else f"in namespace {namespace}"
        scope.error(
            "UndefinedElement",
            f"{display_name(parent)} cannot contain {display_name(child)} ({where})",
            child,
        )
    elif not namespace:
        scope.warning(
            "UndeterminableVocabulary",
            f"{display_name(child)} is in no namespace, so its meaning is unknown",
            child,
        )
    elif scope.rss:
        _check_extension_content(scope, child)


def _check_extension_content(scope: Scope, extension: etree._Element) -> None:
    """In RSS, elements inside an unknown extension element must have a namespace too."""
    for node in extension.iterdescendants():
        if isinstance(node.tag, str) and not etree.QName(node).namespace:
            scope.error(
                "NotInANamespace",
                f"{display_name(node)} inside extension element {display_name(extension)} "
                "needs a namespace",
                node,
            )
            return


def check_no_text(scope: Scope, parent: etree._Element) -> None:
    """Report character data placed directly in an element that holds only elements."""
    stray = [parent.text or ""] + [child.tail or "" for child in parent]
    if any(piece.strip() for piece in stray):
        scope.error(
            "UnexpectedText", f"{display_name(parent)} contains text outside its elements", parent
        )


def check_no_children(scope: Scope, element: etree._Element) -> None:
    """Report child elements inside an element that holds only text."""
    for child in elements(element):
        scope.error(
            "UndefinedElement",
            f"{display_name(element)} holds text, not elements: found {display_name(child)} "
            "(escape markup as &lt; or use CDATA)",
            child,
        )


def check_attributes(
    scope: Scope, element: etree._Element, allowed: frozenset[str] = frozenset()
) -> None:
    """Report attributes the element does not define.

    `allowed` lists local names of attributes in no namespace, and `{uri}name` for
    namespaced ones. Attributes from namespaces nobody knows are extensions and pass, and so
    does any namespaced attribute on an Atom element (RFC 4287 section 6.4: foreign markup).
    """
    atom = etree.QName(element).namespace == ns.ATOM
    for name in element.attrib:
        qualified = etree.QName(name)
        namespace = qualified.namespace
        if name in allowed or namespace == ns.XML:
            continue
        if atom and namespace is not None and namespace != ns.ATOM:
            continue
        if namespace is None or namespace in ns.KNOWN:
            scope.error(
                "UnexpectedAttribute",
                f"{display_name(element)} has no attribute {qualified.localname!r}",
                element,
            )


def check_common_attributes(scope: Scope, element: etree._Element) -> None:
    """Check xml:lang and xml:base, which any element may carry."""
    lang = element.get(f"{{{ns.XML}}}lang")
    if lang and not is_language(lang):
        scope.error(
            "InvalidLanguage",
            f"{display_name(element)} xml:lang {lang!r} is not a language code like 'en-us'",
            element,
        )
    base = element.get(f"{{{ns.XML}}}base")
    if base is not None and uri_problem(base, absolute=False, iri=True):
        scope.error(
            "InvalidIRI", f"{display_name(element)} xml:base {base!r} is not an IRI", element
        )


def leaf(
    *checks: ValueCheck, attributes: frozenset[str] = frozenset(), exact: bool = False
) -> Check:
    """A rule body for a text-only element: no children, known attributes, checked value.

    The value is passed stripped of surrounding whitespace; with `exact`, surrounding
    whitespace is itself an UnexpectedWhitespace error (Atom ids and dates).
    """

    def check(scope: Scope, element: etree._Element) -> None:
        check_attributes(scope, element, attributes)
        check_no_children(scope, element)
        raw = scope.doc.text(element)
        value = raw.strip()
        if exact and raw != value:
            scope.error(
                "UnexpectedWhitespace",
                f"{display_name(element)} {quote(raw)} has whitespace around its value",
                element,
            )
        for value_check in checks:
            value_check(scope, Field(element), value)

    return check


def quote(value: str, limit: int = 60) -> str:
    """`value` in quotes for a message, shortened when long."""
    shown = value if len(value) <= limit else value[: limit - 3] + "..."
    return repr(shown)
