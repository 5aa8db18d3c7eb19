"""An item checked through a build's ItemMemo yields the same messages as one checked afresh.

The memo skips the content checks of an item already found clean in another document of the
build; what depends on the document (duplicate ids, positions, labels) or on the clock must
come out exactly as without it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_validator_corpus import CORPUS, NOW, SELF_URLS

from feedpub.validator import Message, validate_document
from feedpub.validator.itemmemo import ItemMemo, xml_item_key
from feedpub.validator.messages import Report
from feedpub.validator.xmldoc import parse_xml

KINDS = {".xml": None, ".json": "json"}


def messages(data: bytes, memo: ItemMemo | None, now: datetime = NOW, **kw: str) -> list[Message]:
    return validate_document(data, now=now, items=memo, **kw)


def corpus() -> list[Path]:
    return sorted(CORPUS.iterdir())


def test_every_corpus_document_reads_the_same_through_a_shared_memo() -> None:
    memo = ItemMemo()
    for _ in range(2):  # the second pass finds every clean item in the memo already
        for path in corpus():
            data = path.read_bytes()
            url = SELF_URLS.get(path.name)
            extra = {"self_url": url} if url else {}
            assert messages(data, memo, **extra) == messages(data, None, **extra), path.name


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>T</title>
<link>https://example.org/</link><description>D</description>
<atom:link href="https://example.org/rss.xml" rel="self" type="application/rss+xml"/>{items}
</channel></rss>"""
ITEM = """
<item><title>A</title><link>https://example.org/a</link>
<guid isPermaLink="false">tag:example.org,2024:a</guid>
<description>Some &lt;b&gt;text&lt;/b&gt;</description><pubDate>{date}</pubDate></item>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"{base}><id>tag:example.org,2024:f</id><title>T</title>
<updated>2024-01-01T00:00:00Z</updated><author><name>N</name></author>
<link rel="self" href="https://example.org/atom.xml"/>{entries}</feed>"""
ENTRY = """
<entry><id>tag:example.org,2024:a</id><title>A</title><updated>2024-01-01T00:00:00Z</updated>
<link href="{href}"/><content type="html">&lt;p&gt;x&lt;/p&gt;</content></entry>"""
JSON = """{{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [{items}]}}"""
JSON_ITEM = """{{"id": "a", "content_html": "<p>x</p>", "date_published": "{date}"}}"""


def rss(*dates: str) -> bytes:
    return RSS.format(items="".join(ITEM.format(date=d) for d in dates)).encode()


def test_a_duplicate_guid_is_found_though_the_item_is_in_the_memo() -> None:
    memo = ItemMemo()
    once, twice = (
        rss("Mon, 01 Jan 2024 00:00:00 +0000"),
        rss(*["Mon, 01 Jan 2024 00:00:00 +0000"] * 2),
    )
    assert messages(once, memo) == []
    found = messages(twice, memo)
    assert [m.code for m in found] == ["DuplicateValue"]
    assert found == messages(twice, None)


def test_a_duplicate_atom_entry_and_json_id_are_found_though_in_the_memo() -> None:
    memo = ItemMemo()
    entry = ENTRY.format(href="https://example.org/a")
    assert messages(ATOM.format(base="", entries=entry).encode(), memo) == []
    atom_twice = ATOM.format(base="", entries=entry * 2).encode()
    assert [m.code for m in messages(atom_twice, memo)] == ["DuplicateEntries"]
    assert messages(atom_twice, memo) == messages(atom_twice, None)
    item = JSON_ITEM.format(date="2024-01-01T00:00:00Z")
    assert messages(JSON.format(items=item).encode(), memo) == []
    json_twice = JSON.format(items=f"{item}, {item}").encode()
    assert [m.code for m in messages(json_twice, memo)] == ["DuplicateValue"]
    assert messages(json_twice, memo) == messages(json_twice, None)


@pytest.mark.parametrize(
    ("document", "future"),
    [
        (rss("Mon, 01 Jul 2024 00:00:00 +0000"), "ImplausibleDate"),
        (JSON.format(items=JSON_ITEM.format(date="2024-07-01T00:00:00Z")).encode(), None),
    ],
)
def test_the_clock_is_part_of_what_the_memo_remembers(document: bytes, future: str | None) -> None:
    memo = ItemMemo()
    later = datetime(2025, 1, 1, tzinfo=UTC)
    assert messages(document, memo, now=later) == []
    # The same item, checked by a clock before its date: the future date is still reported.
    earlier = messages(document, memo, now=NOW)
    assert earlier == messages(document, None, now=NOW)
    assert earlier != []
    if future:
        assert future in [m.code for m in earlier]


def entry_key(document: str) -> object:
    doc = parse_xml(document.encode(), Report())
    assert doc is not None
    entry = doc.root.find("{http://www.w3.org/2005/Atom}entry")
    assert entry is not None
    return xml_item_key(doc, entry, NOW, "atom", True)


def test_what_an_entry_inherits_is_part_of_what_the_memo_remembers() -> None:
    relative = ENTRY.format(href="a")
    based = ATOM.format(base=' xml:base="https://example.org/"', entries=relative)
    other = ATOM.format(base=' xml:base="https://example.net/"', entries=relative)
    bare = ATOM.format(base="", entries=relative)
    keys = [entry_key(based), entry_key(other), entry_key(bare)]
    assert len(set(keys)) == 3
    assert entry_key(bare) == entry_key(bare.replace("<title>T</title>", "<title>U</title>"))


def test_items_of_documents_that_declare_entities_are_never_memoized() -> None:
    declared = ATOM.format(base="", entries=ENTRY.format(href="https://example.org/&a;"))
    document = declared.replace("?>", '?>\n<!DOCTYPE feed [<!ENTITY a "b">]>', 1)
    assert entry_key(document) is None


def test_an_item_with_messages_is_checked_again_with_its_own_position() -> None:
    memo = ItemMemo()
    bad = ITEM.format(date="not a date")
    first = RSS.format(items=bad).encode()
    second = RSS.format(items="\n\n" + ITEM.format(date="Mon, 01 Jan 2024 00:00:00 +0000") + bad)
    assert messages(first, memo) == messages(first, None) != []
    found = messages(second.encode(), memo)
    assert found == messages(second.encode(), None)
    assert {m.line for m in found} != {m.line for m in messages(first, None)}
