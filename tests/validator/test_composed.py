"""A composed verdict is the verdict of checking the whole document.

The composer judges a feed by its skeleton and the items it found in documents with no error
before; any document it cannot clear is checked whole. So the error lines must be, for every
document in any order, those the whole check gives: the corpus's items (each rule's document,
pretty-printed so its items can be cut) put into their own skeletons and into others, in
other orders, twice, alone; and generated feeds whose items repeat guids, go out of order,
link relatively, lack authors, or meet other namespaces and xml:lang.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from support.corpus import CORPUS, NOW

from feedpub.validator.composed import Composer
from feedpub.validator.itemmemo import ItemMemo
from feedpub.validator.output import Expected
from feedpub.validator.own import OwnChecks, error_lines
from feedpub.writers.itembytes import LAYOUTS, cut_items

EXPECTED = Expected("https://example.org/", 5, {}, {})
URLS = {"rss": "https://example.org/feed.xml", "atom": "https://example.org/feed.atom"}


class Doc:
    def __init__(self, kind: str, data: bytes, path: str = "feed.xml") -> None:
        self.kind, self.data, self.path, self.url = kind, data, path, URLS[kind]


def fresh(now: datetime = NOW, *, composer: bool = True) -> OwnChecks:
    return OwnChecks(now, EXPECTED, ItemMemo(), Composer() if composer else None)


def whole(doc: Doc, now: datetime = NOW) -> list[str]:
    return error_lines(doc, OwnChecks(now, EXPECTED, None, None))


def pretty(path: Path) -> Doc | None:
    """A corpus document re-serialized with lxml's indentation (items on their own lines)."""
    try:
        root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return None
    kind = "rss" if root.tag == "rss" else "atom" if root.tag.endswith("}feed") else None
    if kind is None:
        return None
    for node in root.iter():
        if len(node) and not (node.text or "").strip():
            node.text = None  # let pretty_print indent
        if not (node.tail or "").strip():
            node.tail = None
    data = etree.tostring(
        root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return Doc(kind, data)


def variants(doc: Doc, pool: list[bytes], rng: random.Random) -> list[Doc]:
    """`doc`, and its skeleton holding its pieces and others' in other orders."""
    layout = LAYOUTS[doc.kind]
    cut = cut_items(doc.data, layout)
    if cut is None:
        return [doc]
    head, pieces = cut

    def made(chosen: list[bytes]) -> Doc:
        return Doc(doc.kind, b"".join([head, *chosen, layout.tail]), doc.path)

    others = rng.sample(pool, min(len(pool), 4))
    return [
        doc,
        made(pieces[::-1]),
        made(pieces + pieces[:1]),
        *(made([piece]) for piece in pieces),
        made(others),
        made([*pieces, *others]),
        made(others[:1] * 2),
    ]


def corpus_documents(seed: int) -> list[Doc]:
    docs = [doc for doc in map(pretty, sorted(CORPUS.glob("*.xml"))) if doc is not None]
    pools: dict[str, list[bytes]] = {"rss": [], "atom": []}
    for doc in docs:
        cut = cut_items(doc.data, LAYOUTS[doc.kind])
        pools[doc.kind] += cut[1] if cut else []
    rng = random.Random(seed)
    found = [made for doc in docs for made in variants(doc, pools[doc.kind], rng)]
    rng.shuffle(found)
    return found


def test_the_corpus_cut_into_pieces_and_put_together_again_reads_the_same() -> None:
    documents = corpus_documents(0)
    assert len(documents) > 500
    expected = [whole(doc) for doc in documents]
    checks = fresh()
    for _ in range(2):  # the second time round, every clean piece is known
        assert [error_lines(doc, checks) for doc in documents] == expected
    assert checks.composer is not None
    assert checks.composer.composed > 100  # the comparison above means something
    assert sum(1 for lines in expected if lines) > 100


# --- generated feeds

RSS_HEAD = """<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" xmlns:x="{x}" version="{version}">
  <channel>
    <title>T</title>
    <link>https://example.org/</link>
    <description>D</description>
    <atom:link href="{self}" rel="self" type="application/rss+xml"/>
"""
RSS_ITEM = """    <item>
      <title>{title}</title>
      <link>{link}</link>
      <description>&lt;a href="{href}"&gt;x&lt;/a&gt;</description>
      {guid}<pubDate>{date:%a, %d %b %Y %H:%M:%S} +0000</pubDate>{extra}
    </item>
"""
ATOM_HEAD = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="{x}"{lang}>
  <id>tag:example.org,2024:f</id>
  <title>T</title>
  <updated>2024-01-01T00:00:00Z</updated>{author}
  <link href="{self}" rel="self"/>
"""
ATOM_ITEM = """  <entry>
    <id>tag:example.org,2024:{guid}</id>
    <title>{title}</title>
    <updated>{date:%Y-%m-%dT%H:%M:%S}Z</updated>{entry_author}
    <link href="{link}"/>
    <content type="html">&lt;a href="{href}"&gt;x&lt;/a&gt;</content>{extra}
  </entry>
"""
TAILS = {"rss": "  </channel>\n</rss>\n", "atom": "</feed>\n"}
NAMESPACES = ["urn:x", "http://purl.org/dc/elements/1.1/", "http://search.yahoo.com/mrss"]
EXTRAS = ["", "<x:creator>c</x:creator>", '<x:content url="https://example.org/v"/>', "<y/>"]

items = st.fixed_dictionaries(
    {
        "title": st.sampled_from(["A", "B", "", "&amp;", "<b/>"]),
        "link": st.sampled_from(["https://example.org/a", "a/", "https://example.org/b"]),
        "href": st.sampled_from(["https://example.org/c", "c/"]),
        "guid": st.sampled_from(["1", "2", "3", ""]),
        "date": st.integers(0, 182 * 86400).map(
            lambda seconds: datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
        ),
        "extra": st.sampled_from(EXTRAS),
        "entry_author": st.sampled_from(["", "<author><name>N</name></author>"]),
    }
)
skeletons = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["rss", "atom"]),
        "x": st.sampled_from(NAMESPACES),
        "version": st.sampled_from(["2.0", "0.91"]),
        "lang": st.sampled_from(["", ' xml:lang="fr"', ' xml:lang="!"']),
        "author": st.sampled_from(["", "\n  <author><name>F</name></author>"]),
        "self": st.sampled_from(["https://example.org/feed.xml", "https://example.org/feed.atom"]),
    }
)


def feed(skeleton: dict[str, str], chosen: list[dict[str, object]]) -> Doc:
    kind = skeleton["kind"]
    head = (RSS_HEAD if kind == "rss" else ATOM_HEAD).format(**skeleton)
    template = RSS_ITEM if kind == "rss" else ATOM_ITEM
    body = []
    for item in chosen:
        guid = item["guid"]
        fields = dict(item, guid=f'<guid isPermaLink="false">{guid}</guid>' if guid else "")
        body.append(template.format(**(item if kind == "atom" else fields)))
    return Doc(kind, (head + "".join(body) + TAILS[kind]).encode())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(skeletons, st.lists(items, min_size=1, max_size=6)), min_size=1, max_size=8),
    st.sampled_from([NOW, datetime(2024, 3, 1, tzinfo=UTC)]),
)
def test_generated_feeds_read_the_same_composed(
    feeds: list[tuple[dict[str, str], list[dict[str, object]]]], now: datetime
) -> None:
    documents = [feed(skeleton, chosen) for skeleton, chosen in feeds]
    # The same items again in each skeleton, reversed: known pieces in other company.
    documents += [feed(skeleton, chosen[::-1]) for skeleton, chosen in feeds]
    documents += [feed(skeleton, [c for _, cs in feeds for c in cs]) for skeleton, _ in feeds]
    checks = fresh(now)
    for doc in documents:
        assert error_lines(doc, checks) == whole(doc, now)
