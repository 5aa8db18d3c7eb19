"""Turn an XML document's bytes into text, checking the byte order mark and the declaration.

Follows XML 1.0 appendix F, as the W3C validator's `xmlEncoding` module does: a BOM or the
first bytes select the encoding family, the `<?xml ... encoding="..."?>` declaration names
the encoding, and no declaration means UTF-8. Bytes the chosen encoding cannot decode, a
declaration that contradicts the BOM, and an unknown encoding name are errors.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from .messages import Position, Report

_DECLARATION = re.compile(
    r"<\?xml\s+version\s*=\s*(?:\"[-a-zA-Z0-9_.:]+\"|'[-a-zA-Z0-9_.:]+')\s+"
    r"(?P<attr>encoding\s*=\s*(?:\"(?P<dq>[-A-Za-z0-9._]+)\"|'(?P<sq>[-A-Za-z0-9._]+)'))"
)
_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_UNMARKED = (  # how `<?` starts in encodings that need no BOM to be recognised
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
# Codecs Python knows that are not document encodings.
_UNUSABLE = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"})
_COMMON = (
    "utf-8 utf-16 us-ascii iso-8859-1 iso-8859-2 iso-8859-7 iso-8859-15 euc-jp koi8-r "
    "shift_jis windows-1250 windows-1251 windows-1252 windows-1254 windows-1255 windows-1256 "
    "gb18030"
).split()


@dataclass(frozen=True)
class DecodedXml:
    """The document as text (declaration's encoding name blanked out) and how it was read."""

    text: str
    encoding: str


def decode_xml(data: bytes, report: Report) -> DecodedXml | None:
    """Decode `data`, recording encoding problems; None when the encoding is unusable."""
    family, bom = _family(data)
    head = data[len(bom) : len(bom) + 1024].decode(family, "replace")
    declaration = _DECLARATION.match(head)
    declared = (declaration.group("dq") or declaration.group("sq")) if declaration else None
    where = _position(head, declaration.start("attr")) if declaration else (1, 1)
    encoding = _choose(family, bool(bom), declared, where, report)
    if encoding is None:
        return None
    text = _decode(data[len(bom) :], encoding, declared is not None, report)
    if text is None:
        report.error("UnknownEncoding", f"cannot decode the document as {encoding}", where)
        return None
    if declaration is not None:
        start, end = declaration.span("attr")
        text = text[:start] + " " * (end - start) + text[end:]
    return DecodedXml(text, encoding)


def _decode(body: bytes, encoding: str, declared: bool, report: Report) -> str | None:
    """The text, salvaged with U+FFFD after reporting the first undecodable byte."""
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        error = exc
    except (UnicodeError, ValueError, LookupError):  # codecs such as idna fail in other ways
        return None
    hint = (
        "declare the encoding the file really uses"
        if declared
        else "the file has no encoding declaration, so it must be UTF-8"
    )
    try:
        prefix = body[: error.start].decode(encoding, "replace")
        salvaged = body.decode(encoding, "replace")
    except (UnicodeError, ValueError, LookupError):
        return None
    report.error(
        "UnicodeError",
        f"byte 0x{body[error.start]:02X} is not valid {encoding}: {hint}",
        _position(prefix, len(prefix)),
    )
    return salvaged


def _family(data: bytes) -> tuple[str, bytes]:
    """The codec that can read the declaration, and the BOM bytes (empty when none)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, bom
    for start, codec in _UNMARKED:
        if data.startswith(start):
            return codec, b""
    return "latin-1", b""  # any ASCII-compatible encoding reads the declaration alike


def _choose(
    family: str, has_bom: bool, declared: str | None, where: Position, report: Report
) -> str | None:
    """The codec to decode with, reporting contradictions and unknown names."""
    ascii_compatible = family == "latin-1"
    if declared is None:
        if not ascii_compatible and not has_bom:
            report.error(
                "UnicodeError",
                f"a {family} document without a byte order mark must declare its encoding",
                where,
            )
        return "utf-8" if ascii_compatible else family
    try:
        info = codecs.lookup(declared)
    except LookupError:
        info = None
    if info is None or info.name in _UNUSABLE or not getattr(info, "_is_text_encoding", True):
        report.error("UnknownEncoding", f"unknown encoding {declared!r}", where)
        return None
    if not ascii_compatible:
        if info.name.split("-")[:2] != family.split("-")[:2]:
            report.error(
                "UnicodeError",
                f"the bytes are {family}, but the encoding is declared as {declared!r}",
                where,
            )
        return family
    if info.name.startswith(("utf-16", "utf-32")):
        report.error(
            "UnicodeError",
            f"declares encoding {declared!r}, but the bytes are ASCII-compatible",
            where,
        )
        return "utf-8"
    if info.name not in {codecs.lookup(name).name for name in _COMMON}:
        report.warning("ObscureEncoding", f"encoding {declared!r} is not widely supported", where)
    return info.name


def _position(text: str, index: int) -> Position:
    """1-based (line, column) of `text[index]`."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1
