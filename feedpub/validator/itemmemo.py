"""`ItemMemo`: check each distinct feed item once, however many documents hold it.

A build publishes every article in several documents (the site, its region and its
countries), with the same item bytes in each. The checks of one item's own content depend
only on those bytes and on a little context: the format (and RSS version, or whether the
Atom feed names an author), the clock that says which dates lie in the future, and the
`xml:base` and `xml:lang` the item inherits. The memo remembers the keys of the items whose
content checks found nothing at all, so an item seen again is not checked again.

What is never memoized: the checks that look across items (duplicate guids and ids, which
run for every item of every document), everything outside the items, and any item that had
a message (it is checked again, so its messages carry its own position and label). Documents
that declare entities or a DOCTYPE are never memoized either: what their items mean depends
on the declarations.

A memo lives for one build: `validate_document(..., items=ItemMemo())`. Without one, every
item is checked every time, as `feedpub validate` does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

from lxml import etree

from . import namespaces as ns
from .messages import Report
from .xmldoc import XmlDocument

_INHERITED = (f"{{{ns.XML}}}base", f"{{{ns.XML}}}lang")


class ItemMemo:
    """The items found clean so far, by a key naming their bytes and their context."""

    def __init__(self) -> None:
        self._clean: set[Hashable] = set()

    def check_once(self, key: Hashable | None, report: Report, check: Callable[[], None]) -> None:
        """Run `check` unless an item with `key` was found clean before; remember `key` if
        `check` records nothing in `report` this time. A None key is always checked."""
        if key is not None and key in self._clean:
            return
        before = report.recorded
        check()
        if key is not None and report.recorded == before:
            self._clean.add(key)


def run_item_check(
    memo: ItemMemo | None,
    key: Callable[[], Hashable | None],
    report: Report,
    check: Callable[[], None],
) -> None:
    """`check()` through `memo` when there is one (`key` is only worked out then)."""
    if memo is None:
        check()
    else:
        memo.check_once(key(), report, check)


def xml_item_key(
    doc: XmlDocument, item: etree._Element, now: datetime, *context: Hashable
) -> Hashable | None:
    """The memo key of an RSS item or Atom entry: its serialized bytes (namespace
    declarations in scope included), what it inherits, the clock and `context`; None when
    the document declares entities or a DOCTYPE."""
    if doc.entities or doc.doctype_system_url is not None:
        return None
    inherited = tuple(node.get(name) for node in item.iterancestors() for name in _INHERITED)
    data = etree.tostring(item, with_tail=False)
    return ("xml", context, now, inherited, _digest(data))


def json_item_key(item: Any, now: datetime) -> Hashable:
    """The memo key of a JSON Feed item: its decoded value written again, and the clock."""
    data = json.dumps(item, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")
    return ("json", now, _digest(data))


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()
