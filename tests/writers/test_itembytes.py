"""Items written once per build and spliced into every document that holds them: the bytes
are the ones a whole serialization of each document gives, whatever the articles hold."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from support.sites import BASE_CONFIG, Site

import feedpub.writers.itembytes
from feedpub.writers.itembytes import LAYOUTS, ItemCache, Layout, cut_items

COUNTRIES = ["sri-lanka", "india", "france"]


def rich_site(site: Site) -> None:
    """Articles in one or two countries, with images, alt text and captions, languages,
    several authors, tags, markup-like titles and summaries quoting tags, podcast enclosures,
    translations; feeds of 4 with
    archive pages of 3, a stylesheet and a hub, so most items are in several documents."""
    config = copy.deepcopy(BASE_CONFIG)
    config["site"].update(
        limit=4,
        archive_page_size=3,
        stylesheet="https://example.org/feed.xsl",
        websub_hub="https://hub.example.org/",
        image="https://example.org/logo.png",
    )
    site.write_config(config)
    for number in range(30):
        front: dict[str, object] = {
            "title": f'Story {number} <b> & "quotes" é' if number % 4 == 0 else f"Story {number}",
            "date": f"2022-03-{1 + number % 28:02d} {number % 24:02d}:15",
            "countries": [COUNTRIES[number % 3]]
            + ([COUNTRIES[(number + 1) % 3]] if number % 5 == 0 else []),
            "tags": [f"tag {number % 4}", "shared"],
        }
        if number % 3 == 0:
            front["summary"] = "A summary quoting the </b> tag" if number % 2 else "Short"
        if number % 4 == 1:
            front["image"] = f"https://cdn.example.org/{number}.jpg"
            front["image_alt"] = f"Picture {number} & more"
            front["image_caption"] = "A caption"
        if number % 6 == 2:
            front["language"] = "fr"
        if number % 7 == 3:
            front["author"] = [{"name": "A. Writer", "email": "a@example.org"}, "B. Writer"]
        if number % 5 == 4:  # podcast episodes, some with a duration (the itunes namespace)
            front["enclosure"] = {
                "url": f"https://cdn.example.org/{number}.mp3",
                "type": "audio/mpeg",
            }
            if number % 2:
                front["enclosure"]["duration"] = 61 * number  # type: ignore[index]
        if number in (20, 21):  # two versions of one story
            front["language"] = "ta" if number == 20 else "de"
            if number == 20:
                front["translations"] = [f"{COUNTRIES[21 % 3]}/s21"]
        body = f"Paragraph {number}.\n\n    <item>code</item>\n\n* a list\n"
        site.article(f"{COUNTRIES[number % 3]}/s{number:02d}", body, **front)


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build_whole(site: Site, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The site's output with every document serialized whole (nothing is ever cached)."""
    with monkeypatch.context() as patch:
        patch.setattr(ItemCache, "missing", lambda self, kinds, ids: list(ids))
        site.build()
    whole = outputs(site.out)
    for path in list(site.out.rglob("*")):
        if path.is_file():
            path.unlink()
    return whole


def test_spliced_documents_are_the_bytes_of_whole_ones(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    rich_site(site)
    whole = build_whole(site, monkeypatch)
    site.build(state=site.root / "other-state")
    spliced = outputs(site.out)
    assert spliced.keys() == whole.keys()
    assert len([p for p in whole if "/archive/" in p]) >= 30
    assert [p for p in whole if spliced[p] != whole[p]] == []
    feed = site.feed("asia/india/archive/1/rss.xml")
    assert len(feed.entries) == 3


def test_a_cut_that_fails_falls_back_to_whole_documents(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    rich_site(site)
    whole = build_whole(site, monkeypatch)
    wrong = dict(LAYOUTS, atom=Layout(LAYOUTS["atom"].start, b"</nope>\n", b"</feed>\n"))
    monkeypatch.setattr(feedpub.writers.itembytes, "LAYOUTS", wrong)
    site.build(state=site.root / "other-state")
    assert outputs(site.out) == whole


def test_cut_items_checks_the_layout() -> None:
    rss = LAYOUTS["rss"]
    head = b'<?xml version="1.0"?>\n<rss>\n  <channel>\n    <title>T</title>\n'
    one = b"    <item>\n      <title>&lt;item&gt;</title>\n    </item>\n"
    two = b'    <item a="1">\n      <title>2</title>\n    </item>\n'
    assert cut_items(head + one + two + rss.tail, rss) == (head, [one, two])
    assert cut_items(head + rss.tail, rss) == (head, [])
    assert cut_items(head + one + two, rss) is None  # not closed as expected
    assert cut_items(head + one[:-8] + b"</x>\n" + rss.tail, rss) is None


def test_a_full_cache_drops_its_oldest_items_and_the_bytes_stay_right(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    rich_site(site)
    whole = build_whole(site, monkeypatch)
    monkeypatch.setattr(ItemCache.__init__, "__defaults__", (3000,))
    site.build(state=site.root / "other-state")
    assert outputs(site.out) == whole


def test_the_cache_keeps_at_most_its_limit() -> None:
    cache = ItemCache(limit=10)
    for number in range(5):
        cache.keep_json(str(number), "abcd")
    assert [cache.json_item(str(n)) for n in range(5)] == [None, None, None, "abcd", "abcd"]
