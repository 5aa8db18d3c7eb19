"""Atom 1.0 constructs (RFC 4287) shared by Atom feeds and by atom:* elements inside RSS.

Text constructs, content, links, persons, categories, ids and dates. Containers (feed, entry,
RSS channel and item) decide where these may appear; this module checks one element each.
"""

from __future__ import annotations

import binascii
from urllib.parse import urljoin, urlsplit

from lxml import etree

from feedpub.syntax import html_end_tag

from . import namespaces as ns
from .htmlscan import scan_xhtml
from .tree import (
    Field,
    Key,
    Rule,
    Scope,
    check_attributes,
    check_children,
    check_no_children,
    display_name,
    leaf,
    quote,
)
from .uris import is_language, is_mime_type, same_location, uri_problem
from .values import (
    email_address,
    full_iri,
    integer,
    iri_reference,
    not_blank,
    plain_text,
    rfc3339_date,
    safe_html,
    url_reference,
)

TEXT_TYPES = ("text", "html", "xhtml")
# IANA-registered relations (the W3C validator's list and a few common newer ones); any
# other relation must be an absolute IRI.
LINK_RELATIONS = frozenset(
    "alternate current describedby edit edit-media enclosure first hub last license next "
    "next-archive payment prev-archive previous related replies search self service up via "
    "icon pingback webmention shortlink canonical".split()
)
FEED_TYPES = ("application/atom+xml", "application/rss+xml", "application/rdf+xml")
_IANA_RELATION = "http://www.iana.org/assignments/relation/"
_LINK_ATTRIBUTES = frozenset(
    {
        "href",
        "rel",
        "type",
        "hreflang",
        "title",
        "length",
        f"{{{ns.THR}}}count",
        f"{{{ns.THR}}}when",
        f"{{{ns.THR}}}updated",
    }
)

atom_id = leaf(full_iri, exact=True)
atom_date = leaf(rfc3339_date, exact=True)
atom_image = leaf(not_blank, url_reference, exact=True)
_generator_text = leaf(not_blank, attributes=frozenset({"uri", "version"}))


def generator(scope: Scope, element: etree._Element) -> None:
    """atom:generator: text, and a uri attribute that must be an IRI reference."""
    _generator_text(scope, element)
    uri = element.get("uri")
    if uri is not None:
        iri_reference(scope, Field(element, "uri"), uri.strip())


def text_construct(scope: Scope, element: etree._Element) -> None:
    """atom:title, subtitle, rights, summary: type text, html or xhtml."""
    _text_or_content(scope, element, is_content=False)


def content(scope: Scope, element: etree._Element) -> None:
    """atom:content: a text type, or any MIME type, inline (base64 if binary) or by src."""
    _text_or_content(scope, element, is_content=True)


def content_is_opaque(element: etree._Element) -> bool:
    """True when content needs an atom:summary: it is remote (src) or not textual."""
    kind = element.get("type", "text")
    if element.get("src") is not None:
        return True
    return "/" in kind and not _is_xml_type(kind) and not kind.startswith("text/")


def _text_or_content(scope: Scope, element: etree._Element, *, is_content: bool) -> None:
    check_attributes(scope, element, frozenset({"type", "src"}))
    src = element.get("src")
    kind = element.get("type", "" if src is not None else "text")
    name = display_name(element)
    if "type" in element.attrib and not kind:
        scope.warning("AttrNotBlank", f"{name} attribute 'type' is empty", element)
    elif kind and kind not in TEXT_TYPES and not (is_content and _is_valid_content_type(kind)):
        code = "InvalidTextType" if not is_content and "/" in kind else "InvalidMIMEType"
        allowed = "'text', 'html' or 'xhtml'" + (" or a MIME type" if is_content else "")
        scope.error(code, f"{name} type {quote(kind)} must be {allowed}", element)
    value = scope.doc.text(element)
    if src is not None and kind in TEXT_TYPES:
        # RFC 4287 4.1.3.1: with src, type must be a MIME media type, not text/html/xhtml.
        scope.error(
            "InvalidMIMEType", f"{name} with 'src' needs a MIME type, not {quote(kind)}", element
        )
    if src is not None:
        _check_src(scope, element, src, value)
        return
    if kind == "xhtml":
        _check_xhtml(scope, element)
        return
    if _is_xml_type(kind):
        return
    check_no_children(scope, element)
    if "/" in kind and not kind.startswith("text/"):
        _check_base64(scope, element, value)
    elif kind == "html" or kind.endswith("/html"):
        safe_html(scope, Field(element), value)
    elif kind == "text":
        if html_end_tag(value):
            scope.warning(
                "ContainsUndeclaredHTML",
                f"{name} contains HTML but has type 'text': declare type=\"html\"",
                element,
            )
    if not value.strip():
        not_blank(scope, Field(element), "")


def _is_valid_content_type(kind: str) -> bool:
    return is_mime_type(kind) and kind.split(";")[0].strip().lower() != "multipart/alternative"


def _is_xml_type(kind: str) -> bool:
    base = kind.split(";")[0].strip().lower()
    return base.endswith("+xml") or base.endswith("/xml")


def _check_src(scope: Scope, element: etree._Element, src: str, value: str) -> None:
    name = display_name(element)
    url_reference(scope, Field(element, "src"), src)
    if "type" not in element.attrib:
        scope.warning("MissingTypeAttr", f"{name} with src should have a type attribute", element)
    if value.strip() or any(isinstance(child.tag, str) for child in element):
        scope.error("UnexpectedText", f"{name} with src must be empty", element)


def _check_xhtml(scope: Scope, element: etree._Element) -> None:
    name = display_name(element)
    children = [child for child in element if isinstance(child.tag, str)]
    divs = [child for child in children if child.tag == f"{{{ns.XHTML}}}div"]
    stray = (element.text or "").strip() or any((c.tail or "").strip() for c in element)
    if len(divs) != 1 or len(children) != 1 or stray:
        scope.error(
            "MissingXhtmlDiv",
            f'{name} with type="xhtml" must contain exactly one '
            '<div xmlns="http://www.w3.org/1999/xhtml"> and nothing else',
            element,
        )
    for div in divs:
        for finding in scan_xhtml(div):
            scope.warning(finding.code, f"{name} {finding.detail}", element)


def _check_base64(scope: Scope, element: etree._Element, value: str) -> None:
    try:
        binascii.a2b_base64(value.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        scope.error(
            "NotBase64",
            f"{display_name(element)} of type {element.get('type')!r} must be base64-encoded",
            element,
        )


def link(scope: Scope, element: etree._Element) -> None:
    """atom:link (in Atom, and atom:link in RSS): href required, rel, type, hreflang, length."""
    check_attributes(scope, element, _LINK_ATTRIBUTES)
    name = display_name(element)
    rel = element.get("rel", "alternate")
    if rel.startswith(_IANA_RELATION):
        rel = rel[len(_IANA_RELATION) :]
    if not rel:
        scope.warning("AttrNotBlank", f"{name} attribute 'rel' is empty", element)
    elif rel not in LINK_RELATIONS and uri_problem(rel, absolute=True, iri=True):
        scope.warning(
            "UnregisteredAtomLinkRel",
            f"{name} rel {quote(rel)} is neither a registered relation nor an absolute IRI",
            element,
        )
    kind = element.get("type")
    if kind is not None:
        if not is_mime_type(kind):
            scope.error("InvalidMIMEType", f"{name} type {quote(kind)} is not a MIME type", element)
        elif rel == "self" and kind.split(";")[0].strip() not in FEED_TYPES:
            scope.warning(
                "SelfNotAtom",
                f'{name} rel="self" has type {quote(kind)}, not a feed type',
                element,
            )
    if element.get("title") == "":
        scope.warning("AttrNotBlank", f"{name} attribute 'title' is empty", element)
    length = element.get("length")
    if length is not None:
        integer(0)(scope, Field(element, "length"), length.strip())
    hreflang = element.get("hreflang")
    if hreflang is not None and not is_language(hreflang):
        scope.error(
            "InvalidLanguage", f"{name} hreflang {quote(hreflang)} is not a language code", element
        )
    _check_link_extras(scope, element, rel)
    if (scope.doc.text(element)).strip():
        scope.warning("AtomLinkNotEmpty", f"{name} should be empty", element)
    href = element.get("href")
    if href is None:
        scope.error("MissingAttribute", f"{name} needs an href attribute", element)
    else:
        iri_reference(scope, Field(element, "href"), href)


def _check_link_extras(scope: Scope, element: etree._Element, rel: str) -> None:
    count = element.get(f"{{{ns.THR}}}count")
    updated = element.get(f"{{{ns.THR}}}updated")
    for attribute, value in (("thr:count", count), ("thr:updated", updated)):
        if value is not None and rel != "replies":
            scope.error(
                "UnexpectedAttribute", f'{attribute} belongs on rel="replies" links', element
            )
    if count is not None:
        integer(0)(scope, Field(element, "thr:count"), count.strip())
    if updated is not None:
        rfc3339_date(scope, Field(element, "thr:updated"), updated.strip())


def check_self_link(scope: Scope, element: etree._Element) -> None:
    """A feed's rel="self" link: absolute, and the address it is published at (if known)."""
    href = element.get("href")
    if href is None:
        return
    try:
        base = _xml_base(element)
        written = urljoin(base, href) if base else href
        has_host = bool(urlsplit(written).netloc)
        absolute = urljoin(scope.self_url, written) if scope.self_url else written
    except ValueError:  # such as a malformed IPv6 host; the href check reports it
        return
    if not has_host:
        scope.warning("RelativeSelf", f'rel="self" href {quote(href)} should be absolute', element)
    if scope.self_url is not None and not same_location(absolute, scope.self_url):
        scope.error(
            "SelfDoesntMatchLocation",
            f'rel="self" href {quote(href)} is not where the feed is published ({scope.self_url})',
            element,
        )


def _xml_base(element: etree._Element) -> str:
    bases = [node.get(f"{{{ns.XML}}}base") for node in element.iterancestors()]
    bases.reverse()
    bases.append(element.get(f"{{{ns.XML}}}base"))
    result = ""
    for base in bases:
        if base:
            result = urljoin(result, base)
    return result


def category(scope: Scope, element: etree._Element) -> None:
    """atom:category: term required; scheme an absolute IRI."""
    check_attributes(scope, element, frozenset({"term", "scheme", "label"}))
    check_children(scope, element, {}, home=ns.ATOM)
    name = display_name(element)
    term = element.get("term")
    if term is None:
        scope.error("MissingAttribute", f"{name} needs a term attribute", element)
    elif not term.strip():
        scope.warning("NotBlank", f"{name} attribute 'term' is empty", element)
    scheme = element.get("scheme")
    if scheme is not None:
        full_iri(scope, Field(element, "scheme"), scheme)
    label = element.get("label")
    if label is not None:
        plain_text(scope, Field(element, "label"), label)


PERSON_RULES = {
    (ns.ATOM, "name"): Rule(leaf(not_blank, plain_text), unique=True),
    (ns.ATOM, "email"): Rule(leaf(email_address("InvalidAddrSpec")), unique=True),
    (ns.ATOM, "uri"): Rule(leaf(not_blank, iri_reference, exact=True), unique=True),
}


def person(scope: Scope, element: etree._Element) -> None:
    """atom:author and atom:contributor: a name, optionally email and uri."""
    check_attributes(scope, element)
    seen = check_children(scope, element, PERSON_RULES, home=ns.ATOM)
    if (ns.ATOM, "name") not in seen:
        scope.error("MissingElement", f"{display_name(element)} needs an <name>", element)


# Atom's feed-level metadata: in an Atom feed, and as atom: elements in an RSS channel.
FEED_METADATA: dict[Key, Rule] = {
    (ns.ATOM, "author"): Rule(person),
    (ns.ATOM, "category"): Rule(category),
    (ns.ATOM, "contributor"): Rule(person),
    (ns.ATOM, "generator"): Rule(generator, unique=True),
    (ns.ATOM, "icon"): Rule(atom_image, unique=True),
    (ns.ATOM, "id"): Rule(atom_id, unique=True),
    (ns.ATOM, "link"): Rule(link),
    (ns.ATOM, "logo"): Rule(atom_image, unique=True),
    (ns.ATOM, "rights"): Rule(text_construct, unique=True),
    (ns.ATOM, "subtitle"): Rule(text_construct, unique=True),
    (ns.ATOM, "title"): Rule(text_construct, unique=True),
    (ns.ATOM, "updated"): Rule(atom_date, unique=True),
}
