"""`ItemMemo`: check each distinct feed item once per build, however many documents hold it.

A build publishes every article in several documents (the site's, its region's and its
country's current feeds and archive pages), with the same item bytes in each. An item's own
checks read nothing but the item and a little context, so the memo remembers the keys of the
items whose own checks found nothing at all and skips those checks when a key comes again.

A key names the item's source (its lines in the document, digested) and everything its
checks read from outside it: the format and, for RSS, the version the channel declares; for
Atom, whether the feed names an author; the clock (which dates lie in the future); the
namespaces, `xml:base` and `xml:lang` the item inherits. Nothing else outside an item is
read by its checks (`self_url` and the label only shape messages of other checks, or the
text of messages, which a memo hit never has).

The feedpub profile's rules for one entry of a feed view (RelativeURL, FutureDate) read its
URLs, its date and the clock: `entry_key` names those, and they run once per build too.

What the build checks read of an item (its feed view entry: id, link, date, URLs) is a
function of the item alone, so `view_entry` reads it once per item key and gives the same
entry to every document holding the item (read afresh for an item with no key).

Never memoized: the checks that look across items (duplicate guids and ids: every item of
every document), everything outside the items, any item that had a message (it is checked
again, so its messages carry its own position and label), and the items of documents with a
DOCTYPE (entities may give the same bytes another meaning). Without a memo every item is
checked every time, as `feedpub validate` does.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from lxml import etree

from . import namespaces as ns
from .messages import Report
from .xmldoc import XmlDocument

T = TypeVar("T")
ENTRIES_KEPT = 20_000  # feed view entries a memo keeps (see ItemMemo.view_entry)
_BASE = f"{{{ns.XML}}}base"
_LANG = f"{{{ns.XML}}}lang"


class ItemMemo:
    """The keys of the items found clean so far in one build (see the module docstring)."""

    def __init__(self) -> None:
        self._clean: set[Hashable] = set()
        self._numbers: dict[Hashable, int] = {}
        self._used: dict[bytes, bytes] = {}  # digest, bindings -> the number of those it uses
        self._parent: tuple[etree._Element | None, _Inherited, bytes] = (None, _NONE, b"")
        self._document: XmlDocument | None = None
        self._keys: dict[etree._Element, bytes] = {}  # of the items of `_document`
        self._entries: dict[bytes, Any] = {}  # item key -> its feed view entry
        self._owners: dict[int, bytes] = {}  # id of an entry in `_entries` -> its item key
        self._rules_keys: dict[bytes, tuple[datetime, bytes]] = {}  # item key -> now, entry_key
        self.checked = 0  # item checks run
        self.skipped = 0  # item checks a key let go

    def check_once(self, key: Hashable | None, report: Report, check: Callable[[], None]) -> None:
        """Run `check` unless an item with `key` was found clean before; remember `key` when
        `check` records nothing at all in `report` this time. A None key is always checked."""
        if self.known_clean(key):
            self.skipped += 1
            return
        self.checked += 1
        before = report.recorded
        check()
        if report.recorded == before:
            self.remember_clean(key)

    def known_clean(self, key: Hashable | None) -> bool:
        """Whether checks with `key` found nothing before (never for a None key)."""
        return key is not None and key in self._clean

    def remember_clean(self, key: Hashable | None) -> None:
        """Checks with `key` found nothing at all (a None key is not remembered)."""
        if key is not None:
            self._clean.add(key)

    def find_once(self, key: Hashable | None, find: Callable[[], list[T]]) -> list[T]:
        """`find()`, or nothing when `find()` found nothing before for `key` (a None key
        always finds afresh)."""
        if self.known_clean(key):
            return []
        found = find()
        if not found:
            self.remember_clean(key)
        return found

    def xml_key(
        self, doc: XmlDocument, item: etree._Element, now: datetime, context: Hashable
    ) -> bytes | None:
        """The key of an RSS item or Atom entry whose checks also read `context` (the format
        and what they read of the channel or feed); None when it cannot be sound."""
        if self._document is not doc:
            self._document, self._keys = doc, {}
        parent = item.getparent()
        if parent is None or doc.declares:
            return None
        source = doc.element_source(item)
        if source is None:
            return None
        inherited, bindings = self._inherited(parent)
        digest = hashlib.sha256(source).digest()
        used = self._used.get(digest + bindings)
        if used is None:
            used = self._used[digest + bindings] = self._number(("used", inherited.used_by(source)))
        key = digest + self._number(("xml", context, now, inherited.attributes, used))
        self._keys[item] = key
        return key

    def key_of(self, item: etree._Element) -> bytes | None:
        """The key `xml_key` last gave `item` (an element of the document it last keyed)."""
        return self._keys.get(item)

    def view_entry(self, key: bytes | None, read: Callable[[], T]) -> T:
        """`read()`, the feed view entry of the item with `key`, read once per key (afresh
        for a None key). The oldest are forgotten past `ENTRIES_KEPT`: a build's channels come
        newest first, so an item's documents come close together."""
        if key is None:
            return read()
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = read()
            self._owners[id(entry)] = key
            if len(self._entries) > ENTRIES_KEPT:
                self._forget(next(iter(self._entries)))
        return entry

    def _forget(self, key: bytes) -> None:
        entry = self._entries.pop(key)
        del self._owners[id(entry)]
        self._rules_keys.pop(key, None)

    def json_key(self, item: Any, now: datetime) -> bytes | None:
        """The key of a decoded JSON Feed item: its value in marshal's bytes (which tell every
        type apart, `1`, `1.0` and `true` too, and decode to one value only) and the clock."""
        try:
            data = marshal.dumps(item, 2)  # version 2: no back-references, so no refcount in it
        except ValueError:  # nested too deep
            return None
        return hashlib.sha256(data).digest() + self._number(("json", now))

    def json_view_key(self, item: Any) -> bytes | None:
        """The key of a decoded JSON Feed item's feed view entry, which reads nothing else."""
        try:
            data = marshal.dumps(item, 2)
        except ValueError:  # nested too deep
            return None
        return hashlib.sha256(data).digest() + self._number(("json view",))

    def entry_key(self, date: datetime | None, urls: list[str], now: datetime) -> bytes:
        """The key of the feedpub profile's rules for one entry of a feed view, which read
        its date, its URLs and the clock (repr tells every date and list of text apart)."""
        data = repr((date, urls)).encode()
        return hashlib.sha256(data).digest() + self._number(("entry", now))

    def rules_key(self, entry: Any, now: datetime) -> bytes:
        """`entry_key` of a feed view entry, worked out once for an entry `view_entry` keeps
        (no one changes an entry: they are read, never written)."""
        date, urls = entry.date, entry.urls
        item_key = self._owners.get(id(entry))
        if item_key is None or self._entries.get(item_key) is not entry:
            return self.entry_key(date, urls, now)
        moment, found = self._rules_keys.get(item_key, (None, b""))
        if moment != now:
            found = self.entry_key(date, urls, now)
            self._rules_keys[item_key] = (now, found)
        return found

    def _inherited(self, parent: etree._Element) -> tuple[_Inherited, bytes]:
        """What an element under `parent` inherits, and the number of its namespace bindings
        (kept for the last parent asked about, whose items come one after another)."""
        last, inherited, bindings = self._parent
        if last is not parent:
            inherited = _Inherited.of(parent)
            bindings = self._number(("bindings", inherited.bindings))
            self._parent = (parent, inherited, bindings)
        return inherited, bindings

    def _number(self, value: Hashable) -> bytes:
        """A short stand-in for `value`, the same for equal values in this memo: a build has
        a handful of contexts and thousands of items, whose keys stay small this way."""
        number = self._numbers.setdefault(value, len(self._numbers))
        return number.to_bytes(8, "little")


@dataclass(frozen=True)
class _Inherited:
    """What an element under a parent inherits: the namespaces in scope (sorted by prefix,
    each prefix also as the source writes it before a name, "dc:", or b"" for the default
    namespace), and the xml:base and xml:lang of every ancestor (all of them: stricter
    than resolving them)."""

    bindings: tuple[tuple[str | None, str], ...]
    written: tuple[bytes, ...]
    attributes: tuple[tuple[str | None, str | None], ...]

    def used_by(self, source: bytes) -> tuple[tuple[str | None, str], ...]:
        """The namespaces whose prefix `source` writes somewhere, and the default one: the
        names in the source resolve with those alone, and no item check reads the bindings
        themselves. (Searching costs about what the digest does: once per distinct source.)"""
        found = zip(self.bindings, self.written, strict=True)
        return tuple(pair for pair, written in found if written in source)

    @classmethod
    def of(cls, parent: etree._Element) -> _Inherited:
        bindings = tuple(sorted(parent.nsmap.items(), key=lambda pair: pair[0] or ""))
        written = tuple(b"" if prefix is None else prefix.encode() + b":" for prefix, _ in bindings)
        chain = [parent, *parent.iterancestors()]
        return cls(bindings, written, tuple((node.get(_BASE), node.get(_LANG)) for node in chain))


def check_item(
    memo: ItemMemo | None,
    key: Callable[[ItemMemo], Hashable | None],
    report: Report,
    check: Callable[[], None],
) -> None:
    """`check()`, through `memo` when there is one (`key(memo)` is worked out only then)."""
    if memo is None:
        check()
    else:
        memo.check_once(key(memo), report, check)


_NONE = _Inherited((), (), ())
