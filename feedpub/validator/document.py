"""`validate_document`: sniff the format of some bytes and run the matching checks.

It never raises for any input: a check that fails unexpectedly is a bug in the validator,
reported as a `ValidatorBug` error message (the test suite fuzzes for these).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from lxml import etree

from . import namespaces as ns
from .atom import check_atom
from .feedview import PROFILES, FeedView, feedpub_rules, read_json_view, read_view
from .itemmemo import ItemMemo
from .jsonfeed import Decoded, check_json_feed
from .messages import Message, Report
from .rss import check_rss
from .tree import Scope
from .xmldoc import parse_xml

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
KINDS = ("rss", "atom", "json")


@dataclass(frozen=True)
class Checked:
    """A document's messages and, when it could be read, what the build checks need of it
    (read from the tree the checks parsed: nobody parses it twice)."""

    messages: list[Message]
    view: FeedView | None


def validate_document(
    data: bytes,
    *,
    kind: str | None = None,
    self_url: str | None = None,
    now: datetime | None = None,
    profile: str | None = None,
    items: ItemMemo | None = None,
) -> list[Message]:
    """Check a feed document and return its messages sorted by (line, column).

    `kind` is "rss", "atom", "json", or None to sniff it from the bytes. `self_url` is the
    address the document is published at: a rel="self" link (or JSON `feed_url`) naming
    another address is then an error. `now` (default: the current time) decides which dates
    lie in the future. `profile="feedpub"` adds, as errors, the rules feedpub's own output
    keeps (see :mod:`.feedview`), after the others. `items`, one `ItemMemo` shared by the
    documents of a build (checked with one `now`), checks each distinct item once; the
    messages are the same. Raises ValueError only for an unknown `kind` or `profile`.
    """
    checked = check_document(
        data, kind=kind, self_url=self_url, now=now, profile=profile, items=items
    )
    return checked.messages


def check_document(
    data: bytes,
    *,
    kind: str | None = None,
    self_url: str | None = None,
    now: datetime | None = None,
    profile: str | None = None,
    items: ItemMemo | None = None,
) -> Checked:
    """:func:`validate_document`'s messages, and the document's :class:`FeedView`."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)} or None, not {kind!r}")
    if profile is not None and profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)} or None, not {profile!r}")
    report = Report()
    moment = now or datetime.now(UTC)
    view = None
    try:
        root = _validate(bytes(data), _Request(kind, self_url, moment, items), report)
        if isinstance(root, Decoded):  # JSON, as json.loads(data) reads it too
            view = read_json_view(root.value, items)
        elif root is not None or (kind or sniff_kind(data)) == "json":
            view = read_view(bytes(data), root, items)
    except Exception as exc:  # a bug in a rule must not reach the caller
        report.error(
            "ValidatorBug",
            f"the validator failed on this document ({type(exc).__name__}: {exc}); "
            "please report it",
        )
    messages = report.messages()
    if profile is not None and view is not None:
        messages += feedpub_rules(view, self_url, moment, items)
    return Checked(messages, view)


@dataclass(frozen=True)
class _Request:
    """What a document is checked against, besides its bytes."""

    kind: str | None
    self_url: str | None
    now: datetime
    items: ItemMemo | None


def _validate(data: bytes, request: _Request, report: Report) -> etree._Element | Decoded | None:
    """Run the checks; the parsed root element of an XML document, the value of a JSON one
    when json.loads(data) gives the same value (see `_validate_json`)."""
    kind = request.kind
    if len(data) > MAX_DOCUMENT_BYTES:
        report.error(
            "ValidatorLimit",
            f"document is {len(data)} bytes; documents over {MAX_DOCUMENT_BYTES} bytes are "
            "not checked",
        )
        return None
    if (kind or sniff_kind(data)) == "json":
        return _validate_json(data, request, report)
    doc = parse_xml(data, report)
    if doc is None:
        return None
    namespace, local = (etree.QName(doc.root).namespace or "", etree.QName(doc.root).localname)
    scope = Scope(report, doc, "feed", request.now, request.self_url, items=request.items)
    if local == "rss" and kind != "atom":
        check_rss(replace(scope, label="rss", rss=True), doc.root)
    elif local in ("feed", "entry") and kind != "rss":
        check_atom(scope, doc.root)
    elif (namespace, local) == (ns.RDF, "RDF") and kind != "atom":
        report.info(
            "UnsupportedFormat",
            "RSS 1.0 (RDF) documents are only checked for well-formedness",
            doc.position(doc.root),
        )
    else:
        expected = {"rss": "<rss>", "atom": "an Atom <feed>"}.get(kind or "", "<rss> or <feed>")
        report.error(
            "UndefinedElement",
            f"the document element is <{local}>, not {expected}",
            doc.position(doc.root),
        )
    return doc.root


def sniff_kind(data: bytes) -> str:
    """ "json" when the bytes look like a JSON object or array, otherwise "xml"."""
    start = data[:64].lstrip(b"\xef\xbb\xbf").lstrip()
    return "json" if start[:1] in (b"{", b"[") else "xml"


def _validate_json(data: bytes, request: _Request, report: Report) -> Decoded | None:
    """Check a JSON Feed; its value when the bytes are UTF-8 without a BOM (then json.loads
    of the bytes decodes the same text to the same value: it keeps the last of duplicate keys
    too, and a NaN it would accept the checks refuse, returning None)."""
    plain = json.detect_encoding(data) == "utf-8"
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        plain = False
        prefix = data[: exc.start].decode("utf-8", "replace")
        line = prefix.count("\n") + 1
        column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        report.error(
            "UnicodeError",
            f"byte 0x{data[exc.start]:02X} is not valid UTF-8: JSON Feed documents must be UTF-8",
            (line, column),
        )
        text = data.decode("utf-8", "replace")
    decoded = check_json_feed(text, report, request.now, request.self_url, request.items)
    return decoded if plain else None
