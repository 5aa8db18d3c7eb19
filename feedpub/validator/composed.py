"""Validation by composition: the verdict on a feed document the build spliced from item bytes
it already checked, without parsing and checking those items again.

With archived feeds an article's item is in about three and a half documents per format, with
the same bytes in each (see :mod:`feedpub.writers.itembytes`). Such a document is a *skeleton*
(everything but the items) with *pieces* (each item's lines) between its channel's (or
feed's) own elements and its closing tags. When

- the skeleton alone, checked as a document, has no error (it is well-formed, and its closing
  tags close the channel, or the feed, right where the pieces go: so the pieces land in its
  content, after every element of its own);
- each piece was in a document with no error at all whose skeleton gave it the same
  *context* (the format, the RSS version or whether the Atom feed names an author, the XML
  declaration, the namespaces in scope, every ancestor's xml:base and xml:lang, the clock),
  and parses on its own as one item with nothing but white space around it (a balanced
  fragment: put into content where those namespaces are in scope, it is that same element);
- the skeleton holds no item and no tombstone (RFC 6721's `at:deleted-entry`, whose rule
  reads the feed's entries: the one rule of an element outside the items that looks at them);
- and the rules that look across items find nothing (duplicate guids, the feedpub profile's
  duplicate ids, order and limit; its per-entry rules ran on the same entries before),

then checking the whole document finds no error either: every rule of the validator reads the
skeleton's elements, one item and its context, or the items' entries together. The build needs
nothing more than "no error" (it publishes a document with no error lines, and refuses
otherwise), so a document that does not pass all of this, and any document with an error,
is checked whole: its error lines, and their positions, are the validator's own.

Only RSS and Atom are composed; JSON Feed items are checked once each by the item memo.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from xml.sax.saxutils import quoteattr

from lxml import etree

from feedpub.writers.itembytes import LAYOUTS, cut_items

from . import namespaces as ns
from .feedview import Entry, FeedView
from .messages import Report
from .xmldoc import XmlDocument, parse_xml

_ATOM_FEED = f"{{{ns.ATOM}}}feed"
_ATOM_ENTRY = f"{{{ns.ATOM}}}entry"
_ATOM_AUTHOR = f"{{{ns.ATOM}}}author"
_BASE = f"{{{ns.XML}}}base"
_LANG = f"{{{ns.XML}}}lang"
_PIECE_TAG = {"rss": "item", "atom": _ATOM_ENTRY}
_TOMBSTONE = f"{{{ns.TOMBSTONES}}}deleted-entry"
PIECES_KEPT = 30_000


class Written(Protocol):
    """A document as the writers hand it over (``feedpub.writers.feeds.Document``)."""

    @property
    def path(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def data(self) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Skeleton:
    """A document without its items, as the checks see it."""

    path: str
    url: str
    kind: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Piece:
    """What the rules across items read of one item: its feed view entry and (RSS) the text
    of its first guid, None without one."""

    entry: Entry
    guid: str | None


@dataclass(frozen=True, slots=True)
class Cut:
    """A document as skeleton and pieces, with the context its pieces are checked in."""

    skeleton: Skeleton
    pieces: list[bytes]
    context: tuple[object, ...]
    bindings: tuple[tuple[str | None, str], ...]
    self_url: str | None  # the skeleton's self link


CheckWhole = Callable[[Written], tuple[list[str], FeedView | None]]  # error lines, view
CrossRules = Callable[[FeedView, Written], list[str]]


class Composer:
    """The pieces found in documents with no error so far in one build (per process), by
    context and digest; the oldest are forgotten past `PIECES_KEPT` (a build's channels come
    newest first, so the documents holding an item come close together)."""

    def __init__(self) -> None:
        self._pieces: dict[tuple[int, bytes], Piece] = {}
        self._contexts: dict[tuple[object, ...], int] = {}
        self._declarations: dict[tuple[tuple[str | None, str], ...], bytes] = {}
        self.composed = 0  # documents judged by their skeleton and pieces
        self.whole = 0  # documents checked whole

    def error_lines(
        self,
        document: Written,
        now: datetime,
        check_whole: CheckWhole,
        cross_rules: CrossRules,
    ) -> list[str]:
        """The error lines of `document`: none when its skeleton and pieces show there are
        none (see the module docstring), else `check_whole(document)`'s.

        Pieces not met before are checked first in a *carrier*: the skeleton holding just
        them, a document of its own; with no error in it, they are known from then on."""
        cut = cut_document(document, now, check_whole)
        if cut is not None:
            context = self._contexts.setdefault(cut.context, len(self._contexts))
            keys = [(context, hashlib.sha256(piece).digest()) for piece in cut.pieces]
            unknown = {key: piece for key, piece in zip(keys, cut.pieces, strict=True)}
            for key in [key for key in unknown if key in self._pieces]:
                del unknown[key]
            if unknown:
                self._learn(cut, unknown, check_whole)
            pieces = [self._pieces.get(key) for key in keys]
            known = [piece for piece in pieces if piece is not None]
            if len(known) == len(pieces) and _clean_across(document, cut, known, cross_rules):
                self.composed += 1
                return []
        self.whole += 1
        return check_whole(document)[0]

    def _learn(
        self, cut: Cut, unknown: dict[tuple[int, bytes], bytes], check_whole: CheckWhole
    ) -> None:
        """Keep the `unknown` pieces of `cut` if the skeleton holding just them has no error,
        each parsed on its own."""
        skeleton = cut.skeleton
        tail = LAYOUTS[skeleton.kind].tail
        declared = self._declarations.get(cut.bindings)
        if declared is None:
            declared = self._declarations[cut.bindings] = declarations(cut.bindings)
        guids = [read_piece(data, skeleton.kind, declared) for data in unknown.values()]
        if any(guid is False for guid in guids):
            return
        carrier = b"".join([skeleton.data[: -len(tail)], *unknown.values(), tail])
        lines, view = check_whole(Skeleton(skeleton.path, skeleton.url, skeleton.kind, carrier))
        if lines or view is None or len(view.entries) != len(unknown):
            return
        # Each piece is one item, and the skeleton holds none: the entries are the pieces'.
        for key, entry, guid in zip(unknown, view.entries, guids, strict=True):
            self._pieces[key] = Piece(entry, guid if isinstance(guid, str) else None)
        while len(self._pieces) > PIECES_KEPT:
            del self._pieces[next(iter(self._pieces))]


def _clean_across(
    document: Written, cut: Cut, pieces: list[Piece], cross_rules: CrossRules
) -> bool:
    """Whether the rules across items (and the size limit) find nothing in `document`."""
    from .document import MAX_DOCUMENT_BYTES

    if len(document.data) > MAX_DOCUMENT_BYTES:
        return False
    guids = [piece.guid for piece in pieces if piece.guid]
    if len(set(guids)) != len(guids):
        return False
    view = FeedView(cut.self_url, [piece.entry for piece in pieces])
    return not cross_rules(view, document)


def cut_document(document: Written, now: datetime, check_whole: CheckWhole) -> Cut | None:
    """`document` as a skeleton with no error and its pieces; None when it is not laid out
    so or its skeleton is not as the composition needs it."""
    layout = LAYOUTS.get(document.kind)
    if layout is None:
        return None
    cut = cut_items(document.data, layout)
    if cut is None or not cut[1]:
        return None
    head, pieces = cut
    skeleton = Skeleton(document.path, document.url, document.kind, head + layout.tail)
    context = _context(skeleton, now)
    if context is None or check_whole(skeleton)[0]:
        return None
    return Cut(skeleton, pieces, *context)


def _context(
    skeleton: Skeleton, now: datetime
) -> tuple[tuple[object, ...], tuple[tuple[str | None, str], ...], str | None] | None:
    """What the skeleton's items read outside themselves, the namespaces in scope where they
    go, and the skeleton's self link; None for a skeleton the composition does not cover."""
    declaration = skeleton.data.split(b"\n", 1)[0]
    if not declaration.startswith(b"<?xml") or b"utf-8" not in declaration.lower():
        return None
    doc = parse_xml(skeleton.data, Report())
    if doc is None or doc.declares:
        return None
    parent, facts = _parent_of_pieces(doc, skeleton.kind)
    if parent is None:
        return None
    bindings = tuple(sorted(parent.nsmap.items(), key=lambda pair: pair[0] or ""))
    chain = [parent, *parent.iterancestors()]
    inherited = tuple((node.get(_BASE), node.get(_LANG)) for node in chain)
    self_url = _self_url(parent, skeleton.kind)
    if self_url is None:
        return None
    return (skeleton.kind, facts, declaration, bindings, inherited, now), bindings, self_url


def _parent_of_pieces(doc: XmlDocument, kind: str) -> tuple[etree._Element | None, object]:
    """The element the pieces go into (the one channel of an `<rss>`, the Atom `<feed>`) and
    what its items' checks read of it (the version; whether the feed names an author)."""
    root = doc.root
    children = [child for child in root if isinstance(child.tag, str)]
    parent: etree._Element | None = None
    facts: object = None
    if kind == "rss" and root.tag == "rss" and [c.tag for c in children] == ["channel"]:
        parent, facts = children[0], root.get("version")
    elif kind == "atom" and root.tag == _ATOM_FEED:
        parent, facts = root, root.find(_ATOM_AUTHOR) is not None
    if parent is None:
        return None, None
    # The feed view reads items anywhere in the channel (entries anywhere in the feed): the
    # skeleton must hold none, so the pieces' are all of them. A tombstone reads its feed's
    # entries (the one rule of an element outside the items that does): none either.
    if next(parent.iter(_PIECE_TAG[kind], _TOMBSTONE), None) is not None:
        return None, None
    return parent, facts


def _self_url(parent: etree._Element, kind: str) -> str | None:
    """The self link the document's feed view reads: the skeleton's own comes before every
    piece's (RSS reads the first anywhere in the channel, Atom the feed's own links)."""
    links = (
        parent.iter(f"{{{ns.ATOM}}}link")
        if kind == "rss"
        else parent.iterchildren(f"{{{ns.ATOM}}}link")
    )
    return next((link.get("href") for link in links if link.get("rel") == "self"), None)


def declarations(bindings: tuple[tuple[str | None, str], ...]) -> bytes:
    """The attributes that declare `bindings` (prefix, namespace) on an element."""
    return b"".join(
        b" xmlns" + (b":" + prefix.encode() if prefix else b"") + b"=" + quoteattr(uri).encode()
        for prefix, uri in bindings
    )


def read_piece(data: bytes, kind: str, declared: bytes) -> str | None | bool:
    """`data` parsed on its own in an element with the namespace declarations `declared`:
    False unless it is one item (an Atom entry) holding no other, with only white space
    around it; else (RSS) the text of its first guid, None without one."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        wrapper = etree.fromstring(b"<piece" + declared + b">" + data + b"</piece>", parser)
    except etree.XMLSyntaxError:
        return False
    children = list(wrapper)
    if len(children) != 1 or children[0].tag != _PIECE_TAG[kind]:
        return False
    item = children[0]
    if (wrapper.text or "").strip() or (item.tail or "").strip():
        return False
    if next(item.iterdescendants(_PIECE_TAG[kind], _TOMBSTONE), None) is not None:
        return False  # the feed view would read it as another item; a tombstone, the feed
    guid = item.find("guid") if kind == "rss" else None
    return XmlDocument(item, "", {}, None).text(guid).strip() if guid is not None else None
