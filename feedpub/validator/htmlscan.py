"""Unsafe markup in HTML carried by feeds: scripts, event handlers, javascript: URLs.

Feed readers sanitize HTML, but not all do it well, so the W3C validator warns about markup
that runs code (SecurityRisk, SecurityRiskAttr) and about relative links, which break once
the content is read outside the site (ContainsRelRef). These are warnings, except a script
URL (JavascriptURL): it is an error, so no build publishes one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from .uris import URI_CHARACTERS

# Elements that run code, restyle or replace the reader's page, or embed active content.
UNSAFE_ELEMENTS = frozenset(
    "script style iframe frame frameset object embed applet meta link base".split()
)
_URL_ATTRIBUTES = frozenset(
    "href src action formaction background lowsrc dynsrc poster data codebase xlink:href".split()
)
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:")
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")  # browsers skip these in "java\tscript:"


# A tag (quoted attribute values may hold '>') and the attributes inside one.
_TAG = re.compile(r"<[a-zA-Z][^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>?")
_ATTRIBUTE = re.compile(r"([^\s=/>\"']+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]*))")
_PLAIN_ABSOLUTE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:[^&\x00-\x20]*\Z")
# An event handler the tag pattern cannot see ('<A" on=<a href>': a quote in the tag name,
# a '<' in an unquoted value): the full parse decides.
_HANDLER_ANYWHERE = re.compile(r"[\s\"'/]on[^\s=>/]*\s*=")
_UNSAFE_OPENING = re.compile("<(?:" + "|".join(sorted(UNSAFE_ELEMENTS)) + ")")


def iter_attributes(markup: str) -> Iterator[tuple[str, str]]:
    """(lower-case local name, value as written) of every attribute of every tag in
    ``markup``, found by string tests alone (fast; no parse)."""
    for tag in _TAG.finditer(markup):
        for attribute in _ATTRIBUTE.finditer(tag[0]):
            value = next((v for v in attribute.groups()[1:] if v is not None), "")
            yield _local(attribute[1]), value


def is_url_attribute(name: str) -> bool:
    return name in _URL_ATTRIBUTES


@functools.lru_cache(maxsize=1024)
def _needs_parsing(markup: str) -> bool:
    """False when plain string tests show the HTML holds nothing to report: no unsafe element,
    no event handler, every URL attribute absolute, not a script URL, with no references.
    (Parsing every item of every feed was most of a validation's time.) Cached apart from
    `scan_html`: an RSS item's HTML is scanned with `link_syntax`, the same in Atom without."""
    lower = markup.lower()
    if _UNSAFE_OPENING.search(lower) or _HANDLER_ANYWHERE.search(lower):
        return True
    for name, value in iter_attributes(markup):
        if name.startswith("on"):
            return True
        if name in _URL_ATTRIBUTES and (
            not _PLAIN_ABSOLUTE.match(value)
            or value.lower().startswith(("javascript:", "vbscript:"))
        ):
            return True
    return False


@dataclass(frozen=True)
class HtmlFinding:
    """One problem in a piece of HTML: its code, what was found, and its severity."""

    code: str
    detail: str
    severity: str = "warning"


def scan_html(markup: str, *, link_syntax: bool = False) -> tuple[HtmlFinding, ...]:
    """Findings for escaped HTML (RSS description, Atom type="html", JSON content_html).

    With `link_syntax`, a relative link containing a character URLs never contain (such as a
    space) is an InvalidUriChar error, as the W3C validator reports in RSS descriptions.
    Cached: one article's HTML recurs in every format of every feed it is in.
    """
    if "<" not in markup or not _needs_parsing(markup):
        return ()
    return _parse_and_scan(markup, link_syntax)


@functools.lru_cache(maxsize=1024)
def _parse_and_scan(markup: str, link_syntax: bool) -> tuple[HtmlFinding, ...]:
    # libxml2's HTML parser takes linear time on any junk (html.parser can take quadratic
    # time on unclosed tags) and never fetches anything. Parsers are not shared: lxml
    # parsers must not be used from two threads at once.
    parser = etree.HTMLParser(
        encoding="utf-8", no_network=True, recover=True, remove_comments=True, remove_pis=True
    )
    try:
        root = etree.fromstring(markup.encode("utf-8", "replace"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return ()
    return () if root is None else tuple(scan_xhtml(root, link_syntax=link_syntax))


def scan_xhtml(element: etree._Element, *, link_syntax: bool = False) -> list[HtmlFinding]:
    """Findings for a parsed (X)HTML tree, such as Atom type="xhtml" content."""
    findings: list[HtmlFinding] = []
    for node in element.iter():
        if isinstance(node.tag, str):
            attributes = [(_local(str(key)), str(value)) for key, value in node.attrib.items()]
            findings.extend(_judge(_local(node.tag), attributes, link_syntax))
    return _first_of_each(findings)


def _local(name: str) -> str:
    """`{namespace}name` or `name` as a lower-case local name (HTML names may hold colons)."""
    return name.rsplit("}", 1)[-1].lower()


def _judge(tag: str, attributes: list[tuple[str, str]], link_syntax: bool) -> list[HtmlFinding]:
    findings = []
    if tag in UNSAFE_ELEMENTS:
        findings.append(HtmlFinding("SecurityRisk", f"contains a <{tag}> element"))
    for position, (name, value) in enumerate(attributes):
        if name.startswith("on"):
            findings.append(
                HtmlFinding("SecurityRiskAttr", f"contains an event handler attribute {name!r}")
            )
        elif name in _URL_ATTRIBUTES:
            # The W3C validator looks at <img src> anywhere but at <a href> only first.
            checked = (tag, name) == ("img", "src") or (
                (tag, name) == ("a", "href") and not position
            )
            findings.extend(_judge_url(tag, name, value, link_syntax and checked))
    return findings


def _judge_url(tag: str, name: str, value: str, link_syntax: bool) -> list[HtmlFinding]:
    compact = _IGNORED_IN_SCHEME.sub("", value).lower()
    if compact.startswith(("javascript:", "vbscript:")):
        return [HtmlFinding("JavascriptURL", f"has a script URL in <{tag} {name}=...>", "error")]
    reference = value.strip()
    if (tag, name) not in (("a", "href"), ("img", "src")) or not reference:
        return []
    if _SCHEME.match(reference):
        return []
    shown = f"<{tag} {name}={reference[:60]!r}>"
    if link_syntax and any(c.isascii() and c not in URI_CHARACTERS for c in reference):
        return [
            HtmlFinding(
                "InvalidUriChar",
                f"has a link with a character URLs cannot contain {shown}: percent-encode it",
                "error",
            )
        ]
    return [
        HtmlFinding(
            "ContainsRelRef",
            f"has a relative URL {shown}: readers show content away from the site, so make it "
            "absolute",
        )
    ]


def _first_of_each(findings: list[HtmlFinding]) -> list[HtmlFinding]:
    """One finding per code, so a long post does not produce hundreds of lines."""
    kept: dict[str, HtmlFinding] = {}
    for finding in findings:
        kept.setdefault(finding.code, finding)
    return list(kept.values())
