"""A build's ItemMemo changes how often an item is checked, never what the checks find.

The memo skips an item's own checks when an item with the same source in the same context
was found clean before in the build. Everything a check reads from outside the item (the
namespaces, the clock, the RSS version, whether the Atom feed names an author, the DOCTYPE)
must keep two items apart; what looks across items (duplicate ids) and what depends on the
document (positions, labels) must come out as without a memo.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.corpus import CORPUS, NOW, SELF_URLS

from feedpub.validator import Checked, Message, check_document
from feedpub.validator.itemmemo import ItemMemo
from feedpub.validator.messages import Report
from feedpub.validator.xmldoc import parse_xml

TESTS = Path(__file__).parents[1]
DOCUMENTS = sorted(
    [*CORPUS.iterdir(), *(TESTS / "data").rglob("*.xml"), *(TESTS / "data").rglob("*.json")]
)
PROFILES = (None, "feedpub")


def check(
    data: bytes, memo: ItemMemo | None, *, now: datetime = NOW, profile: str | None = "feedpub"
) -> Checked:
    return check_document(data, now=now, profile=profile, items=memo)


def messages(data: bytes, memo: ItemMemo | None, *, now: datetime = NOW) -> list[Message]:
    return check(data, memo, now=now).messages


def check_path(path: Path, memo: ItemMemo | None, profile: str | None) -> Checked:
    kind = "json" if path.suffix == ".json" else None
    return check_document(
        path.read_bytes(),
        kind=kind,
        self_url=SELF_URLS.get(path.name),
        now=NOW,
        profile=profile,
        items=memo,
    )


def test_the_corpus_is_all_there() -> None:
    assert len(DOCUMENTS) > 250
    assert {p.suffix for p in DOCUMENTS} == {".xml", ".json"}


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_each_document_reads_the_same_through_a_memo(path: Path, profile: str | None) -> None:
    memo = ItemMemo()
    assert check_path(path, memo, profile) == check_path(path, None, profile)
    assert check_path(path, memo, profile) == check_path(path, None, profile)  # now warm


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_whole_corpus_twice_through_one_memo_in_any_order(
    profile: str | None, seed: int
) -> None:
    expected = {path: check_path(path, None, profile) for path in DOCUMENTS}
    order = DOCUMENTS * 2
    random.Random(seed).shuffle(order)
    memo = ItemMemo()
    for path in order:
        assert check_path(path, memo, profile) == expected[path], path.name
    assert memo.skipped > 100  # the memo did skip: the comparison above means something


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="{version}" xmlns:atom="http://www.w3.org/2005/Atom"{xmlns}><channel>
<title>T</title><link>https://example.org/</link><description>D</description>
<atom:link href="https://example.org/rss.xml" rel="self" type="application/rss+xml"/>
{items}
</channel></rss>
"""
ITEM = """<item><title>A</title><link>https://example.org/a</link>{extra}
<guid isPermaLink="false">tag:example.org,2024:a</guid>
<description>Some &lt;b&gt;text&lt;/b&gt;</description>
<pubDate>{date}</pubDate></item>"""
JANUARY = "Mon, 01 Jan 2024 00:00:00 +0000"
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"{attributes}><id>tag:example.org,2024:f</id>
<title>T</title><updated>2024-01-01T00:00:00Z</updated>{author}
<link rel="self" href="https://example.org/atom.xml"/>
{entries}
</feed>"""
AUTHOR = "<author><name>N</name></author>"
ENTRY = """<entry><id>tag:example.org,2024:a</id><title>A</title>
<updated>{date}</updated><link href="https://example.org/a"/>
<content type="html">&lt;p&gt;x&lt;/p&gt;</content></entry>"""
JSON = """{{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [{items}]}}"""
JSON_ITEM = """{{"id": "a", "url": "https://example.org/a", "content_html": "<p>x</p>",
"date_published": "{date}"}}"""


def rss(*items: str, version: str = "2.0", xmlns: str = "") -> bytes:
    return RSS.format(version=version, xmlns=xmlns, items="\n".join(items)).encode()


def item(extra: str = "", date: str = JANUARY) -> str:
    return ITEM.format(extra=extra, date=date)


def atom(*entries: str, author: str = AUTHOR, attributes: str = "") -> bytes:
    return ATOM.format(author=author, attributes=attributes, entries="\n".join(entries)).encode()


def entry(date: str = "2024-01-01T00:00:00Z") -> str:
    return ENTRY.format(date=date)


def json_feed(*items: str) -> bytes:
    return JSON.format(items=", ".join(items)).encode()


def json_item(date: str = "2024-01-01T00:00:00Z") -> str:
    return JSON_ITEM.format(date=date)


def codes(found: list[Message]) -> list[str]:
    return [m.code for m in found]


def seen_clean_then(clean: bytes, other: bytes, *, now: datetime = NOW) -> list[Message]:
    """`other`'s messages through a memo that holds `clean`'s items (and found them clean);
    they must be those found without a memo."""
    memo = ItemMemo()
    assert messages(clean, memo) == []
    assert memo.checked > 0 and memo.skipped == 0
    found = messages(other, memo, now=now)
    assert found == messages(other, None, now=now)
    return found


def test_the_same_item_in_another_document_is_not_checked_again() -> None:
    memo = ItemMemo()
    assert messages(rss(item()), memo) == []
    other = rss(item(), xmlns=' xmlns:fh="http://purl.org/syndication/history/1.0"')
    assert messages(other.replace(b"<title>T<", b"<title>U<"), memo) == []
    assert (memo.checked, memo.skipped) == (1, 1)


@pytest.mark.parametrize(
    ("clean", "other", "code"),
    [
        # The prefix x names an unknown extension in one document, Dublin Core in the other.
        (
            rss(item("<x:rights>r</x:rights>"), xmlns=' xmlns:x="https://example.org/x"'),
            rss(item("<x:rights>r</x:rights>"), xmlns=' xmlns:x="http://purl.org/dc/terms/"'),
            "UndefinedElement",
        ),
        (
            rss(item('<category x:a="1">c</category>'), xmlns=' xmlns:x="urn:x"'),
            rss(
                item('<category x:a="1">c</category>'),
                xmlns=' xmlns:x="http://purl.org/dc/elements/1.1/"',
            ),
            "UnexpectedAttribute",
        ),
        # No guid is fine in RSS 0.91, a warning in 2.0.
        (
            rss(item().replace('isPermaLink="false"', ""), version="0.91").replace(
                b"<guid >tag:example.org,2024:a</guid>", b""
            ),
            rss(item().replace('isPermaLink="false"', "")).replace(
                b"<guid >tag:example.org,2024:a</guid>", b""
            ),
            "MissingGuid",
        ),
        # An entry without an author is fine when the feed names one.
        (
            atom(entry()),
            atom(entry(), author=""),
            "MissingElement",
        ),
    ],
)
def test_what_an_item_reads_outside_itself_keeps_it_apart(
    clean: bytes, other: bytes, code: str
) -> None:
    assert code in codes(seen_clean_then(clean, other))


@pytest.mark.parametrize(
    "document",
    [
        rss(item(date="Mon, 01 Jul 2024 00:00:00 +0000")),
        atom(entry("2024-07-01T00:00:00Z")),
        json_feed(json_item("2024-07-01T00:00:00Z")),
    ],
    ids=["rss", "atom", "json"],
)
def test_the_clock_keeps_an_item_apart(document: bytes) -> None:
    later = datetime(2025, 1, 1, tzinfo=UTC)
    memo = ItemMemo()
    assert messages(document, memo, now=later) == []
    found = messages(document, memo, now=NOW)  # before the item's date
    assert found == messages(document, None, now=NOW)
    assert "FutureDate" in codes(found)


def test_an_entity_declaration_is_never_trusted_to_the_memo() -> None:
    def declared(date: str) -> bytes:
        declaration = f'<!DOCTYPE rss [<!ENTITY d "{date}">]>\n<rss '
        return rss(item(date="&d;")).replace(b"<rss ", declaration.encode(), 1)

    memo = ItemMemo()
    assert messages(declared(JANUARY), memo) == []
    found = messages(declared("not a date"), memo)
    assert found == messages(declared("not a date"), None)
    assert "InvalidRFC2822Date" in codes(found)
    assert memo.skipped == 0


@pytest.mark.parametrize(
    "attributes",
    [' xml:base="https://example.net/"', ' xml:lang="fr"'],
    ids=["base", "lang"],
)
def test_what_an_entry_inherits_keeps_it_apart(attributes: str) -> None:
    memo = ItemMemo()
    assert messages(atom(entry()), memo) == []
    assert messages(atom(entry(), attributes=attributes), memo) == []
    assert (memo.checked, memo.skipped) == (2, 0)
    assert messages(atom(entry(), attributes=attributes), memo) == []
    assert (memo.checked, memo.skipped) == (2, 1)


def test_a_start_tag_that_may_begin_on_an_earlier_line_has_no_key() -> None:
    # Both items' lines from the one where the start tag ends are the same.
    clean = rss(item().replace("<item>", '<item x:a="1"\n>'), xmlns=' xmlns:x="urn:x"')
    other = rss(item().replace("<item>", '<item a="1"\n>'), xmlns=' xmlns:x="urn:x"')
    assert "UnexpectedAttribute" in codes(seen_clean_then(clean, other))


def test_items_past_the_lines_libxml2_counts_have_no_key() -> None:
    document = rss(item()).replace(b"<channel>", b"<channel>" + b"\n" * 65_535)
    doc = parse_xml(document, Report())
    assert doc is not None
    found = doc.root.find("channel/item")
    assert found is not None
    assert ItemMemo().xml_key(doc, found, NOW, "rss") is None
    assert ItemMemo().xml_key(doc, found, NOW, "rss") is None
    short = parse_xml(rss(item()), Report())
    assert short is not None
    assert ItemMemo().xml_key(short, short.root[0][-1], NOW, "rss") is not None


@pytest.mark.parametrize(
    ("twice", "code"),
    [
        (rss(item(), item()), "DuplicateValue"),
        (atom(entry(), entry()), "DuplicateEntries"),
        (json_feed(json_item(), json_item()), "DuplicateValue"),
    ],
    ids=["rss", "atom", "json"],
)
def test_duplicate_ids_are_found_among_memo_hits(twice: bytes, code: str) -> None:
    memo = ItemMemo()
    first = messages(twice, memo)
    skipped = memo.skipped
    again = messages(twice, memo)
    assert memo.skipped - skipped == 2  # both items
    assert first == again == messages(twice, None)
    assert code in codes(again) and "DuplicateId" in codes(again)


def test_an_item_with_a_message_is_reported_at_its_place_in_each_document() -> None:
    bad = item(date="not a date")
    first, second = rss(bad), rss(item(), "\n\n", bad.replace("/a<", "/b<").replace(":a<", ":b<"))
    memo = ItemMemo()
    found = [messages(first, memo), messages(second, memo), messages(first, memo)]
    assert found == [messages(first, None), messages(second, None), messages(first, None)]
    assert found[0] == found[2]
    dates = [[m for m in each if m.code == "InvalidRFC2822Date"] for each in found[:2]]
    assert [len(each) for each in dates] == [1, 1]
    assert dates[0][0].line != dates[1][0].line
    assert "item 1:" in dates[0][0].message and "item 2:" in dates[1][0].message


def test_the_feedpub_rules_of_an_entry_run_again_for_other_urls() -> None:
    def linking(href: str) -> bytes:
        return rss(item()).replace(b"&lt;b&gt;", f'&lt;a href="{href}"&gt;'.encode())

    found = seen_clean_then(linking("https://example.org/b"), linking("b/"))
    assert "RelativeURL" in codes(found)


def test_the_feed_view_entry_of_an_item_is_read_once_and_reads_the_same() -> None:
    memo = ItemMemo()
    first = check(rss(item()), memo)
    second = check(rss(item()).replace(b"<title>T<", b"<title>U<"), memo)
    assert first.view is not None and second.view is not None
    assert second.view.entries[0] is first.view.entries[0]  # read once
    assert second == check(rss(item()).replace(b"<title>T<", b"<title>U<"), None)


@pytest.mark.parametrize(
    "namespace", ["http://search.yahoo.com/mrss/", "urn:x"], ids=["media", "other"]
)
def test_what_an_item_binds_keeps_its_feed_view_entry_apart(namespace: str) -> None:
    # The same bytes name a media:content URL, or an element of another vocabulary.
    extra = '<m:content url="https://example.org/v.mp4" medium="video"/>'
    media = rss(item(extra), xmlns=' xmlns:m="http://search.yahoo.com/mrss/"')
    other = rss(item(extra), xmlns=f' xmlns:m="{namespace}"')
    memo = ItemMemo()
    check(media, memo)
    assert check(other, memo) == check(other, None)
