"""A correction is an edit, not a new story, in real readers (issue 19): lemon24/reader
reports the item modified and shows the note, newsboat stores no new item and rss2email
sends no new mail, with site.corrections_bump_pubdate or without it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from e2e.readers.clients import CLIENTS, COMMANDS, PACKAGES, LemonReader
from e2e.readers.served import RICH_ARTICLES, need_tool

NOTE = "An earlier version gave the wrong district."


def _correct(site: Any, bump: bool) -> None:
    site.config["site"]["corrections_bump_pubdate"] = bump
    front, body = RICH_ARTICLES["colombo-rain"]
    site.article(
        "colombo-rain",
        body,
        **front,
        corrections=[{"date": "2024-05-29 10:00", "note": NOTE}],
    )
    site.build()


@pytest.mark.parametrize("bump", [False, True], ids=["pubdate-kept", "pubdate-bumped"])
@pytest.mark.parametrize("name", ["reader", "newsboat", "rss2email"])
def test_a_correction_is_no_new_item(name: str, bump: bool, served: Any, tmp_path: Path) -> None:
    if name in COMMANDS:
        need_tool(COMMANDS[name], PACKAGES[name])
    site = served("rich")
    urls = [site.url(path) for path in CLIENTS[name].formats]
    client = CLIENTS[name](tmp_path / name)
    client.subscribe(urls)
    first = client.update()
    _correct(site, bump)
    second = client.update()
    for url in urls:
        if name == "rss2email":
            assert second[url] == [], url  # no new mail
            continue
        assert sorted(s.id for s in second[url]) == sorted(s.id for s in first[url]), url
        rain = next(s for s in second[url] if "colombo-rain" in s.id)
        assert f"Correction (2024-05-29):</strong> {NOTE}" in rain.text, url
    if isinstance(client, LemonReader):
        assert client.counts == {url: (0, 1) for url in urls}
