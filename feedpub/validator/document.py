"""`validate_document`: sniff the format of some bytes and run the matching checks.

It never raises for any input: a check that fails unexpectedly is a bug in the validator,
reported as a `ValidatorBug` error message (the test suite fuzzes for these).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from lxml import etree

from . import namespaces as ns
from .atom import check_atom
from .jsonfeed import check_json_feed
from .messages import Message, Report
from .rss import check_rss
from .tree import Scope
from .xmldoc import parse_xml

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
KINDS = ("rss", "atom", "json")


def validate_document(
    data: bytes,
    *,
    kind: str | None = None,
    self_url: str | None = None,
    now: datetime | None = None,
) -> list[Message]:
    """Check a feed document and return its messages sorted by (line, column).

    `kind` is "rss", "atom", "json", or None to sniff it from the bytes. `self_url` is the
    address the document is published at: a rel="self" link (or JSON `feed_url`) naming
    another address is then an error. `now` (default: the current time) decides which dates
    lie in the future. Raises ValueError only for an unknown `kind`.
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)} or None, not {kind!r}")
    report = Report()
    try:
        _validate(bytes(data), kind, self_url, now or datetime.now(UTC), report)
    except Exception as exc:  # a bug in a rule must not reach the caller
        report.error(
            "ValidatorBug",
            f"the validator failed on this document ({type(exc).__name__}: {exc}); "
            "please report it",
        )
    return report.messages()


def _validate(
    data: bytes, kind: str | None, self_url: str | None, now: datetime, report: Report
) -> None:
    if len(data) > MAX_DOCUMENT_BYTES:
        report.error(
            "ValidatorLimit",
            f"document is {len(data)} bytes; documents over {MAX_DOCUMENT_BYTES} bytes are "
            "not checked",
        )
        return
    if (kind or sniff_kind(data)) == "json":
        _validate_json(data, self_url, now, report)
        return
    doc = parse_xml(data, report)
    if doc is None:
        return
    namespace, local = (etree.QName(doc.root).namespace or "", etree.QName(doc.root).localname)
    scope = Scope(report, doc, "feed", now, self_url)
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


def sniff_kind(data: bytes) -> str:
    """ "json" when the bytes look like a JSON object or array, otherwise "xml"."""
    start = data[:64].lstrip(b"\xef\xbb\xbf").lstrip()
    return "json" if start[:1] in (b"{", b"[") else "xml"


def _validate_json(data: bytes, self_url: str | None, now: datetime, report: Report) -> None:
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", "replace")
        line = prefix.count("\n") + 1
        column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        report.error(
            "UnicodeError",
            f"byte 0x{data[exc.start]:02X} is not valid UTF-8: JSON Feed documents must be UTF-8",
            (line, column),
        )
        text = data.decode("utf-8", "replace")
    check_json_feed(text, report, now, self_url)
