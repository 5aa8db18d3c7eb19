"""Each article's item written once per build and format, spliced into every document holding it.

With archived feeds, an article's item is in about three and a half documents per format (the
site's, its region's and its country's current feeds or archive pages), and its bytes are the
same in each: an item depends only on its article, never on the channel around it (its
namespace prefixes are declared on every document's root alike). So a document is written as
its channel's *skeleton* (the feed with no items, through the same feedgen code) with the
items' bytes put where feedgen puts them: after the channel's own elements.

An item's bytes are cut out of a *carrier*: the channel's feed holding only the items not yet
written, serialized as usual. The cut is checked (as many items as entries, each closed where
it ends, the expected closing tags after the last), and a channel whose cut fails is written
whole instead, as before. Either way the bytes are the ones a whole serialization gives (the
bench corpus and the tests compare them).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Layout:
    """Where items sit in a pretty-printed document of one format."""

    start: re.Pattern[bytes]  # an item's start tag at the start of its line
    end: bytes  # how an item's bytes end
    tail: bytes  # what follows the last item: the closing tags of the document


LAYOUTS = {
    "rss": Layout(re.compile(rb"\n(    <item[ >])"), b"</item>\n", b"  </channel>\n</rss>\n"),
    "atom": Layout(re.compile(rb"\n(  <entry[ >])"), b"</entry>\n", b"</feed>\n"),
}


class ItemCache:
    """The items written so far in this build (per process): bytes by format and article id.

    One cache serves one build: an item's bytes depend on the article, its rendered HTML and
    the site's settings, which a build holds fixed. It holds at most ``limit`` bytes, dropping
    the items it kept first: channels come newest first (see ``build.by_period``), so those
    are the ones least likely to be asked for again, and an item dropped is only written again.
    """

    def __init__(self, limit: int = 48 * 2**20) -> None:
        self._items: OrderedDict[tuple[str, str], bytes | str] = OrderedDict()
        self._size = 0
        self._limit = limit

    def missing(self, kinds: tuple[str, ...], ids: list[str]) -> list[str]:
        """The ids of ``ids`` lacking an item in one of ``kinds``."""
        return [x for x in ids if any((kind, x) not in self._items for kind in kinds)]

    def keep(self, kind: str, ids: list[str], carrier: bytes) -> bool:
        """Cut the items of ``ids`` (in order) out of ``carrier``; False if the cut fails."""
        cut = cut_items(carrier, LAYOUTS[kind])
        if cut is None or len(cut[1]) != len(ids):
            return False
        for article_id, item in zip(ids, cut[1], strict=True):
            self._put((kind, article_id), item)
        return True

    def document(self, kind: str, skeleton: bytes, ids: list[str]) -> bytes | None:
        """``skeleton`` (a document with no items) holding the items of ``ids``; None if the
        skeleton is not laid out as expected or an item is not (or no longer) kept."""
        layout = LAYOUTS[kind]
        cut = cut_items(skeleton, layout)
        items = [self._items.get((kind, x)) for x in ids]
        if cut is None or cut[1] or not all(isinstance(item, bytes) for item in items):
            return None
        head = skeleton[: -len(layout.tail)]
        return b"".join([head, *(item for item in items if isinstance(item, bytes)), layout.tail])

    def json_item(self, article_id: str) -> str | None:
        text = self._items.get(("json", article_id))
        return text if isinstance(text, str) else None

    def keep_json(self, article_id: str, text: str) -> None:
        self._put(("json", article_id), text)

    def _put(self, key: tuple[str, str], value: bytes | str) -> None:
        self._size += len(value) - len(self._items.get(key, ""))
        self._items[key] = value
        while self._size > self._limit and len(self._items) > 1:
            self._size -= len(self._items.popitem(last=False)[1])


def cut_items(data: bytes, layout: Layout) -> tuple[bytes, list[bytes]] | None:
    """``data`` as (everything before the first item, each item's bytes), or None when it is
    not laid out as ``layout`` says (then nothing is cut)."""
    if not data.endswith(layout.tail):
        return None
    body_end = len(data) - len(layout.tail)
    starts = [match.start(1) for match in layout.start.finditer(data, 0, body_end)]
    items = [data[a:b] for a, b in zip(starts, [*starts[1:], body_end][: len(starts)], strict=True)]
    if any(not item.endswith(layout.end) for item in items):
        return None
    return data[: starts[0] if starts else body_end], items
