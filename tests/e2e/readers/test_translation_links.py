"""Real readers read an Atom feed whose items link their translations (issue 18): each item
still opens its own article, in every reader, and no translation shows as an item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from e2e.readers.clients import CLIENTS, COMMANDS, PACKAGES
from e2e.readers.served import need_tool
from support.topics import ARTICLES

# Pairs of the topic site's articles (a Sinhala one and an English one), each named by the
# first in another way: a path from its folder, an id, a path from content/ without .md.
PAIRS = [
    ("story-00", "../india/story-01.md"),
    ("story-06", ARTICLES[7].id),
    ("story-12", "india/story-13"),
]


def _translate(root: Path) -> None:
    for slug, ref in PAIRS:
        path = root / "content" / "sri-lanka" / f"{slug}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\ntags:", f"\ntranslations: [{ref!r}]\ntags:", 1))


@pytest.mark.parametrize("name", sorted(CLIENTS))
def test_items_with_translations_keep_their_own_link_in_every_reader(
    name: str, served: Any, tmp_path: Path
) -> None:
    if name in COMMANDS:
        need_tool(COMMANDS[name], PACKAGES[name])
    site = served("topics")
    _translate(site.root)
    site.build()  # every document validated: 0 errors, 0 warnings
    assert (site.out / "atom.xml").read_bytes().count(b' hreflang="') == 4 * len(PAIRS)
    url = site.url("atom.xml")
    client = CLIENTS[name](tmp_path / name)
    client.subscribe([url])
    stored = client.update()[url]
    expected = {a.id: f"https://topics.example/{a.slug}/" for a in ARTICLES}
    assert {s.id: s.link for s in stored} == expected
