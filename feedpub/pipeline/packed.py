"""Rendered HTML kept compressed from rendering to writing, behind one ``Mapping``.

A cold build holds every article's rendered HTML at once (about 330 MB at 50,000 articles,
in the parent and, as they read it, in each worker), and an article's HTML is read about
once per worker: when its item is first written (see :mod:`feedpub.writers.itembytes`). zlib at its
fastest level shrinks it four to five times for about 30 us an article, spent in the
rendering workers; reading it back costs a tenth of that.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator, Mapping

from feedpub.model import Rendered

_LENGTH = struct.Struct("<I")


def pack(rendered: Rendered) -> bytes:
    """``rendered`` as compressed bytes (what crosses from a worker and what is kept)."""
    html = rendered.html.encode("utf-8", "surrogatepass")
    summary = rendered.summary.encode("utf-8", "surrogatepass")
    return zlib.compress(_LENGTH.pack(len(html)) + html + summary, 1)


def unpack(data: bytes) -> Rendered:
    raw = zlib.decompress(data)
    (length,) = _LENGTH.unpack_from(raw)
    end = _LENGTH.size + length
    return Rendered(
        raw[_LENGTH.size : end].decode("utf-8", "surrogatepass"),
        raw[end:].decode("utf-8", "surrogatepass"),
    )


UNPACKED_KEPT = 256  # articles whose HTML a store keeps unpacked (see RenderedStore)


class RenderedStore(Mapping[str, Rendered]):
    """Article id -> its rendered HTML and summary, each kept packed (or as it came from the
    state, which has it unpacked already). The last few read are kept unpacked too: a
    channel's formats and pages read its articles one after another (three or four times
    each at 10,000 articles with archives)."""

    def __init__(self) -> None:
        self._values: dict[str, bytes | Rendered] = {}
        self._unpacked: dict[str, Rendered] = {}

    def put(self, article_id: str, value: bytes | Rendered) -> None:
        self._values[article_id] = value
        self._unpacked.pop(article_id, None)

    def __getitem__(self, article_id: str) -> Rendered:
        value = self._values[article_id]
        if not isinstance(value, bytes):
            return value
        found = self._unpacked.get(article_id)
        if found is None:
            found = self._unpacked[article_id] = unpack(value)
            if len(self._unpacked) > UNPACKED_KEPT:
                del self._unpacked[next(iter(self._unpacked))]
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)
