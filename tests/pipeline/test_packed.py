"""Rendered HTML kept packed between rendering and writing reads back exactly."""

from __future__ import annotations

import pytest

from feedpub.model import Rendered
from feedpub.pipeline.packed import UNPACKED_KEPT, RenderedStore, pack, unpack


@pytest.mark.parametrize(
    ("html", "summary"),
    [
        ("", ""),
        ("<p>x</p>", ""),
        ("", "only a summary"),
        ("<p>é ✓ 𝄞 &amp; \u2028</p>" * 500, "Résumé \U0001f600"),
        ("<p>a\x00b</p>", "\x00"),  # never rendered, but the length prefix copes
    ],
)
def test_packed_rendered_reads_back_the_same(html: str, summary: str) -> None:
    packed = pack(Rendered(html, summary))
    assert unpack(packed) == Rendered(html, summary)
    if len(html) > 1000:
        assert len(packed) < len(html.encode()) / 4


def test_the_store_is_a_mapping_of_rendered() -> None:
    store = RenderedStore()
    store.put("a", pack(Rendered("<p>A</p>", "A")))
    store.put("b", Rendered("<p>B</p>", ""))  # as it came from the state
    assert dict(store) == {"a": Rendered("<p>A</p>", "A"), "b": Rendered("<p>B</p>", "")}
    assert store.get("c") is None and len(store) == 2


def test_the_store_reads_the_same_past_what_it_keeps_unpacked() -> None:
    store = RenderedStore()
    articles = {f"a{n}": Rendered(f"<p>{n}</p>", str(n)) for n in range(UNPACKED_KEPT * 2)}
    for key, rendered in articles.items():
        store.put(key, pack(rendered))
    for _ in range(2):
        assert {key: store[key] for key in reversed(articles)} == articles
    store.put("a0", pack(Rendered("<p>new</p>", "new")))  # replaced: not the old one kept
    assert store["a0"] == Rendered("<p>new</p>", "new")
