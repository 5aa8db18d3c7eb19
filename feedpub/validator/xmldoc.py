"""Parse untrusted XML safely into an lxml tree that knows where each element starts.

The parser never expands entities, loads a DTD or touches the network
(`resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False`), so external
entities and "billion laughs" cannot do harm. Entity references stay in the tree as nodes;
`XmlDocument.text` substitutes what the internal DTD declares for them, with a size cap.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from html.entities import name2codepoint

from lxml import etree

from .encoding import decode_xml
from .messages import NOWHERE, Position, Report

# Entity declarations expanding beyond this many characters in all are treated as an attack;
# so are references that together expand beyond this, or ten times the document, if more.
MAX_ENTITY_EXPANSION = 100_000
# DOCTYPEs of RSS 0.91 (the W3C validator accepts the RSS Board copy, flags Netscape's).
NETSCAPE_RSS_091_DTD = "http://my.netscape.com/publish/formats/rss-0.91.dtd"
RSSBOARD_RSS_091_DTD = "http://www.rssboard.org/rss-0.91.dtd"

_ILLEGAL_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_C1_CONTROL = re.compile("[\x80-\x9f]")
# The same characters in UTF-8, where each has an encoding no other character's bytes contain:
# C0 controls are single bytes below 0x20, U+FFFE/U+FFFF and C1 controls start with a lead byte.
_LEGAL_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in b"\t\n\r")
# (Two patterns, each with a literal first byte to skip to: one alternation is ten times slower.)
_NONCHARACTER_UTF8 = re.compile(rb"\xef\xbf[\xbe\xbf]")
_C1_CONTROL_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
# Every namespace declaration as written: the attribute name cannot hide behind a reference.
_XMLNS = re.compile(r"""xmlns(?::[^\s=]+)?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# libxml2 reports lines past 65,534 one too far on (lxml 6.1, libxml2 2.14).
_MAX_COUNTED_LINES = 65_535
_MARKUP = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE|<(?![!?/])", re.S)
_DOCTYPE_TOKEN = re.compile(r"<!--.*?-->|\"[^\"]*\"|'[^']*'|[\[\]>]", re.S)


@dataclass(frozen=True)
class XmlDocument:
    """A parsed document: its root element, its source text and the entities it declares.

    Element positions are worked out from `source` the first time a message needs one: most
    documents have no messages, and scanning every start tag is a fair share of checking.
    `data` is what the parser read (`source` in UTF-8), for `element_source`.
    """

    root: etree._Element
    source: str = field(repr=False)
    entities: dict[str, str] = field(repr=False)
    doctype_system_url: str | None
    data: bytes = field(default=b"", repr=False)

    @cached_property
    def lines(self) -> list[bytes]:
        """`data` split at each newline, as the parser counts lines (a lone CR is no line
        end to it either)."""
        return self.data.split(b"\n")

    @cached_property
    def declares(self) -> bool:
        """Whether the document has a DOCTYPE (and so may give its text other meanings)."""
        doctype: str = getattr(self.root.getroottree().docinfo, "doctype", "")  # not in stubs
        return bool(self.entities or doctype)

    def element_source(self, element: etree._Element) -> bytes | None:
        """The source lines that hold `element` whole, perhaps with a little of what is
        around it; None when they cannot be told for certain.

        `sourceline` is the line where a start tag ends (libxml2 counts the newlines before
        it): the element's lines run from there to the line where the next node starts, or
        to the end. The first line must show a `<` before any `>`, else the start tag may
        have begun on an earlier line (attribute values hold no `<`). libxml2 miscounts
        from line 65,535 on, so longer documents have no element sources.
        """
        lines = self.lines
        following = element.getnext()
        start: int | None = getattr(element, "sourceline", None)  # typed oddly in lxml-stubs
        end: int | None = (
            len(lines) if following is None else getattr(following, "sourceline", None)
        )
        if not start or not end or end < start or len(lines) >= _MAX_COUNTED_LINES:
            return None
        first = lines[start - 1]
        opening, closing = first.find(b"<"), first.find(b">")
        if opening < 0 or closing < opening:
            return None
        return b"\n".join(lines[start - 1 : end])

    @cached_property
    def positions(self) -> dict[etree._Element, Position]:
        """Each element's (line, column); empty if the scan disagrees with the parser."""
        return _element_positions(self.root, self.source)

    def position(self, node: etree._Element) -> Position:
        """(line, column) where `node` starts; column is None when it could not be found."""
        found = self.positions.get(node)
        if found is not None:
            return found
        line: int | None = getattr(node, "sourceline", None)  # typed oddly in lxml-stubs
        return (line, None) if line else NOWHERE

    def may_declare(self, uri: str) -> bool:
        """False when no namespace declaration in the source can name `uri` (so a walk of
        every element's namespaces can be spared); True when one might."""
        for match in _XMLNS.finditer(self.source):
            value = match.group(1) if match.group(1) is not None else match.group(2)
            if value == uri or "&" in value:  # a reference could spell `uri`
                return True
        return False

    def text(self, element: etree._Element) -> str:
        """The character data directly inside `element`, with entity references expanded."""
        parts = [element.text or ""]
        for child in element:
            if isinstance(child, etree._Entity):
                parts.append(self.entities.get(child.name, ""))
            parts.append(child.tail or "")
        return "".join(parts)


def parse_xml(data: bytes, report: Report) -> XmlDocument | None:
    """Check encoding and well-formedness; the document, or None when it cannot be read."""
    decoded = decode_xml(data, report)
    if decoded is None:
        return None
    text = decoded.text.removeprefix("\ufeff")
    utf8 = _clean_utf8(text)
    if utf8 is None:
        if _report_illegal_characters(text, report):
            return None
        utf8 = text.encode("utf-8")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(utf8, parser)
    except etree.XMLSyntaxError as exc:
        _report_syntax_error(exc, report)
        return None
    if _namespace_error(parser, report):
        return None
    info = root.getroottree().docinfo
    if info.xml_version not in (None, "1.0"):
        report.error("BadXmlVersion", f"XML version {info.xml_version} is not XML 1.0", (1, 1))
    system_url: str | None = getattr(info, "system_url", None)  # missing from lxml-stubs
    entities = _declared_entities(root, report)
    budget = max(MAX_ENTITY_EXPANSION, 10 * len(text))
    if entities is None or not _resolve_references(root, entities, system_url, budget, report):
        return None
    return XmlDocument(root, text, entities, system_url, utf8)


def _namespace_error(parser: etree.XMLParser, report: Report) -> bool:
    """Report an undeclared namespace prefix (True if any). Without a DOCTYPE libxml2 refuses
    one; with a DOCTYPE (whose external subset could declare it) it only logs it, and the
    element or attribute keeps a name that is not a qualified name."""
    for entry in parser.error_log:
        if entry.domain == etree.ErrorDomains.NAMESPACE and entry.level >= etree.ErrorLevels.ERROR:
            message = f"XML is not well-formed: {entry.message}"
            report.error("SAXError", message, (entry.line, entry.column))
            return True
    return False


def elements(parent: etree._Element) -> Iterator[etree._Element]:
    """The child elements of `parent`, skipping comments, processing instructions, entities."""
    for child in parent:
        if isinstance(child.tag, str):
            yield child


def _clean_utf8(text: str) -> bytes | None:
    """`text` in UTF-8 when byte tests show it holds no character that
    `_report_illegal_characters` reports; None when it may (then the regular expressions on
    the text decide, and say where). Scanning bytes is several times faster than the text."""
    try:
        utf8 = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return None
    if (
        utf8.translate(None, _LEGAL_BYTES)
        or _NONCHARACTER_UTF8.search(utf8)
        or _C1_CONTROL_UTF8.search(utf8)
    ):
        return None
    return utf8


def _report_illegal_characters(text: str, report: Report) -> bool:
    """Report the first character XML 1.0 forbids (True if any) and warn about C1 controls."""
    illegal = _ILLEGAL_XML_CHAR.search(text)
    if illegal:
        report.error(
            "InvalidXmlCharacter",
            f"character U+{ord(illegal.group()):04X} is not allowed in XML 1.0 documents",
            _offset_position(text, illegal.start()),
        )
        return True
    control = _C1_CONTROL.search(text)
    if control:
        report.warning(
            "BadCharacters",
            f"control character U+{ord(control.group()):04X}: probably Windows-1252 text "
            "declared as ISO-8859-1 or UTF-8",
            _offset_position(text, control.start()),
        )
    return False


def _report_syntax_error(exc: etree.XMLSyntaxError, report: Report) -> None:
    line, column = exc.position if exc.position else (exc.lineno, None)
    message = (exc.msg or "not well-formed").split(", line ")[0].strip()
    if getattr(exc, "code", None) == etree.ErrorTypes.ERR_UNDECLARED_ENTITY:
        report.error(
            "UndefinedNamedEntity",
            f"{message}: XML knows only &amp; &lt; &gt; &quot; &apos; and numeric references "
            "such as &#160;",
            (line, column),
        )
    elif "amplification" in message or "entity" in message.lower():
        report.error("ValidatorLimit", f"entity expansion refused: {message}", (line, column))
    else:
        report.error("SAXError", f"XML is not well-formed: {message}", (line, column))


def _declared_entities(root: etree._Element, report: Report) -> dict[str, str] | None:
    """Internal general entities and their expansions; None after reporting an attack."""
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is None:
        return {}
    declared = list(getattr(dtd, "iterentities")())  # noqa: B009 - missing from lxml-stubs
    raw = {entity.name: entity.content or "" for entity in declared if entity.name}
    for entity in declared:
        if entity.system_url:
            report.info(
                "ContainsSystemEntity",
                f"entity &{entity.name}; refers to {entity.system_url!r}, which is not read",
            )
    expanded: dict[str, str] = {}
    for name in raw:
        value = _expand(name, raw, expanded, depth=0)
        if value is None or sum(map(len, expanded.values())) > MAX_ENTITY_EXPANSION:
            report.error(
                "ValidatorLimit",
                f"entity &{name}; expands beyond {MAX_ENTITY_EXPANSION} characters "
                "(an entity expansion attack?)",
                (1, 1),
            )
            return None
    return expanded


def _expand(name: str, raw: dict[str, str], done: dict[str, str], depth: int) -> str | None:
    """The replacement text of entity `name`, or None when it nests or grows too far."""
    if name in done:
        return done[name]
    if depth > 20:
        return None
    pieces: list[str] = []
    total = 0
    for match in re.finditer(r"&([^;&\s]+);|[^&]+|&", raw.get(name, "")):
        inner = match.group(1)
        if inner is None or inner.startswith("#") or inner not in raw:
            piece: str | None = match.group()
        else:
            piece = _expand(inner, raw, done, depth + 1)
        if piece is None:
            return None
        total += len(piece)
        if total > MAX_ENTITY_EXPANSION:
            return None
        pieces.append(piece)
    done[name] = "".join(pieces)
    return done[name]


def _resolve_references(
    root: etree._Element,
    entities: dict[str, str],
    system_url: str | None,
    budget: int,
    report: Report,
) -> bool:
    """Check the entity references left in the tree; False after reporting an attack.

    Undeclared references survive parsing when a DOCTYPE names an external DTD (which is
    never read). The RSS 0.91 DTD defines the HTML entities, so those are accepted there.
    """
    html_entities_ok = system_url in (NETSCAPE_RSS_091_DTD, RSSBOARD_RSS_091_DTD)
    total = 0
    undefined: set[str] = set()
    for node in root.iter(etree.Entity):  # lxml picks the entity references
        if not isinstance(node, etree._Entity) or node.name in undefined:
            continue
        if node.name not in entities and html_entities_ok and node.name in name2codepoint:
            entities[node.name] = chr(name2codepoint[node.name])
        if node.name not in entities:
            undefined.add(node.name)  # reported once, at its first use
            report.error(
                "UndefinedNamedEntity",
                f"entity &{node.name}; is not defined: an external DTD is not read, so use a "
                "numeric reference such as &#160;",
                (node.sourceline, None),
            )
            continue
        total += len(entities[node.name])
        if total > budget:
            report.error(
                "ValidatorLimit",
                f"entity references expand beyond {budget} characters "
                "(an entity expansion attack?)",
                (node.sourceline, None),
            )
            return False
    return True


def _element_positions(root: etree._Element, text: str) -> dict[etree._Element, Position]:
    """Map each element to the (line, column) of its `<`; empty if the scan disagrees."""
    offsets = list(_start_tag_offsets(text))
    nodes = [node for node in root.iter() if isinstance(node.tag, str)]
    if len(offsets) != len(nodes):
        return {}
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    positions: dict[etree._Element, Position] = {}
    for node, offset in zip(nodes, offsets, strict=True):
        line = bisect.bisect_right(line_starts, offset)
        positions[node] = (line, offset - line_starts[line - 1] + 1)
    return positions


def _start_tag_offsets(text: str) -> Iterator[int]:
    """Offsets of element start tags in a well-formed document, in document order."""
    position = 0
    while True:
        match = _MARKUP.search(text, position)
        if match is None:
            return
        token = match.group()
        if token == "<":
            yield match.start()
            position = match.end()
        elif token == "<!DOCTYPE":
            position = _doctype_end(text, match.start())
        else:
            position = match.end()


def _doctype_end(text: str, start: int) -> int:
    """Offset just past the DOCTYPE declaration starting at `start`."""
    in_subset = False
    for token in _DOCTYPE_TOKEN.finditer(text, start + 2):
        mark = token.group()
        if mark == "[":
            in_subset = True
        elif mark == "]":
            in_subset = False
        elif mark == ">" and not in_subset:
            return token.end()
    return len(text)


def _offset_position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
