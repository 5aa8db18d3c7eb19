"""Hostile and random input: the validator never raises and never hangs.

`validate_document` turns any exception inside a rule into a `ValidatorBug` message instead of
raising, so "never raises" is checked by asserting that no such message appears. Time bounds
are the benchmark's business, not the tests' (no hypothesis deadlines).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedpub.validator import Message, validate_document
from feedpub.validator.htmlscan import scan_html

CORPUS = Path(__file__).parent / "corpus"
DOCUMENTS = sorted(path.read_bytes() for path in CORPUS.iterdir())
NOW = datetime(2024, 6, 1, tzinfo=UTC)
FUZZ = settings(
    database=None,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
INSERTIONS = [
    b"<",
    b"&",
    b"\x00",
    b">",
    b"]]>",
    b"<!--",
    b'"',
    b"&#0;",
    b"&#x110000;",
    b"&nbsp;",
    b"&amp;",
    b"\xff",
    b"\xc3",
    b"\xe2\x80",
    b"<![CDATA[",
    b"</item>",
    b"<item>",
    b"xmlns:x='y'",
    b'<!DOCTYPE rss [<!ENTITY e "&e;">]>',
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>',
    b'<!ENTITY b SYSTEM "file:///etc/passwd">',
    b"&a;",
    b"{",
    b"}",
    b"[",
    b'"id": ',
    b"\\u0000",
    b"NaN",
    b"1e999999",
    b"9" * 5000,
]


FIELDS = [
    (name, tag)
    for name in ("rss_valid_minimal.xml", "atom_valid_minimal.xml")
    for tag in ("title", "link", "description", "pubDate", "guid", "language", "id", "updated")
]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
JSON_FIELDS = [
    "version",
    "title",
    "items",
    "authors",
    "feed_url",
    "language",
    "hubs",
    "items.0",
    "items.0.id",
    "items.0.content_html",
    "items.0.date_published",
    "items.0.authors",
    "items.0.tags",
    "items.0.attachments",
    "items.0.attachments.0",
    "items.0.url",
]


def _check(messages: list[Message]) -> None:
    """The shape every result must have, whatever the input."""
    assert not [m for m in messages if m.code == "ValidatorBug"], messages
    assert all(m.severity in ("error", "warning", "info") for m in messages)
    assert all(m.code and m.code[0].isupper() and m.message for m in messages)
    keys = [(m.line or 0, m.column or 0) for m in messages]
    assert keys == sorted(keys)


@st.composite
def mutated_documents(draw: st.DrawFn) -> bytes:
    """A corpus document with a few byte flips, truncations and hostile insertions."""
    data = bytearray(draw(st.sampled_from(DOCUMENTS)))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        if action == "flip" and position < len(data):
            data[position] = draw(st.integers(0, 255))
        elif action == "truncate":
            del data[position:]
        elif action == "insert":
            data[position:position] = draw(st.sampled_from(INSERTIONS) | st.binary(max_size=8))
        else:
            del data[position : position + draw(st.integers(1, 20))]
    return bytes(data)


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    _check(validate_document(data, now=NOW))


@FUZZ
@given(st.binary(max_size=500), st.sampled_from(["rss", "atom", "json"]))
def test_arbitrary_bytes_with_a_forced_kind_never_raise(data: bytes, kind: str) -> None:
    _check(validate_document(data, kind=kind, now=NOW))


@settings(FUZZ, max_examples=400)
@given(mutated_documents())
def test_mutated_corpus_documents_never_raise(data: bytes) -> None:
    _check(validate_document(data, now=NOW, self_url="https://example.org/feed.xml"))


@FUZZ
@given(st.text(max_size=300), st.sampled_from(FIELDS))
def test_arbitrary_text_in_a_feed_field_never_raises(text: str, field: tuple[str, str]) -> None:
    name, tag = field
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").encode("utf-8", "surrogatepass")
    document = (
        (CORPUS / name)
        .read_bytes()
        .replace(f"<{tag}>".encode(), b"<%s>%s" % (tag.encode(), escaped), 1)
    )
    _check(validate_document(document, now=NOW))


@FUZZ
@given(JSON_VALUES, st.sampled_from(JSON_FIELDS))
def test_arbitrary_json_values_in_a_json_feed_never_raise(value: object, path: str) -> None:
    feed = json.loads((CORPUS / "json_valid_podcast_attachments.json").read_text())
    keys: list[Any] = [int(part) if part.isdigit() else part for part in path.split(".")]
    target = feed
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    _check(validate_document(json.dumps(feed).encode(), now=NOW))


HTML_NAMES = st.sampled_from(
    ["a", "p", "img", "script", "svg", "x:y", "xlink:href", "onload", "href", "src", "{a}b", "1"]
)
HTML_VALUES = st.sampled_from(["javascript:x()", " java\tscript:", "/rel", "https://e.org/", ""])


@st.composite
def html_tags(draw: st.DrawFn) -> str:
    """A start tag with odd names and attribute values, possibly left unclosed."""
    attributes = draw(st.lists(st.tuples(HTML_NAMES, HTML_VALUES), max_size=3))
    inside = "".join(f' {name}="{value}"' for name, value in attributes)
    return f"<{draw(HTML_NAMES)}{inside}" + draw(st.sampled_from([">", "/>", "", "</p>"]))


HTML_PIECES = html_tags() | st.sampled_from(
    ["<", ">", "</", "=", '"', " ", "&", "&#", "<!--", "-->", "<![CDATA[", "text"]
)


@FUZZ
@given(st.lists(HTML_PIECES, max_size=40).map("".join) | st.text(max_size=200))
def test_html_scanning_never_raises(markup: str) -> None:
    escaped = markup.replace("&", "&amp;").replace("<", "&lt;").replace("\x00", "")
    document = (
        (CORPUS / "rss_valid_minimal.xml")
        .read_bytes()
        .replace(b"&lt;p&gt;Hello, world.&lt;/p&gt;", escaped.encode("utf-8", "surrogatepass"))
    )
    _check(validate_document(document, now=NOW))
    for finding in scan_html(markup):
        assert finding.code in (
            "SecurityRisk",
            "SecurityRiskAttr",
            "JavascriptURL",
            "ContainsRelRef",
        )


@settings(FUZZ, max_examples=30)
@given(st.integers(min_value=6, max_value=12), st.integers(min_value=8, max_value=16))
def test_entity_expansion_attacks_are_refused_quickly(depth: int, width: int) -> None:
    """Nested entities expanding to millions of characters ("billion laughs")."""
    declarations = b'<!ENTITY e0 "lollollollollol">'
    for level in range(1, depth + 1):
        declarations += b'<!ENTITY e%d "%s">' % (level, b"&e%d;" % (level - 1) * width)
    document = (
        b"<!DOCTYPE rss [%s]><rss version='2.0'><channel><title>&e%d;</title></channel></rss>"
    )
    messages = validate_document(document % (declarations, depth), now=NOW)
    _check(messages)
    assert [m.code for m in messages if m.severity == "error"] == ["ValidatorLimit"]


@settings(FUZZ, max_examples=20)
@given(st.integers(min_value=300, max_value=5000))
def test_deep_nesting_is_an_error_not_a_crash(depth: int) -> None:
    xml = b"<rss version='2.0'><channel>" + b"<x>" * depth + b"</x>" * depth + b"</channel></rss>"
    for document in (xml, b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth):
        messages = validate_document(document, now=NOW)
        _check(messages)
        assert [m for m in messages if m.severity == "error"], document[:40]


@settings(FUZZ, max_examples=10)
@given(st.integers(min_value=2000, max_value=20000))
def test_many_entity_references_to_a_large_entity_are_refused(count: int) -> None:
    document = (
        b'<!DOCTYPE rss [<!ENTITY a "'
        + b"x" * 60000
        + b'">]><rss version="2.0"><channel><title>'
        + b"&a;" * count
        + b"</title></channel></rss>"
    )
    messages = validate_document(document, now=NOW)
    _check(messages)
    assert "ValidatorLimit" in [m.code for m in messages]
