"""The feed view of a JSON Feed is read from the value the checks decoded when json.loads of
the bytes gives that same value, and from json.loads otherwise: the view is the same."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.corpus import CORPUS, NOW

from feedpub.validator import check_document
from feedpub.validator.feedview import read_view
from feedpub.validator.itemmemo import ItemMemo

ITEM = '{"id": "a", "url": "https://example.org/a", "content_html": "<p>x</p>"}'
FEED = '{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [%s]}'
ODD = [
    (FEED % ITEM).encode(),
    b"\xef\xbb\xbf" + (FEED % ITEM).encode(),  # a BOM: json.loads of bytes skips it
    (FEED % ITEM).encode("utf-16"),
    (FEED % ITEM.replace('"a"', '"a", "id": "b"')).encode(),  # the last of two ids
    (FEED % ITEM.replace('"a"', "NaN")).encode(),
    (FEED % ITEM).encode().replace(b"<p>x", b"<p>\xed\xa0\x80"),  # an encoded surrogate
    (FEED % ITEM).encode().replace(b"<p>x", b"<p>\xff"),
    b"null",
    b'{"items": null}',
    (FEED % (ITEM + ", 3")).encode(),
]


def same_view(data: bytes) -> None:
    expected = read_view(data, None)
    assert check_document(data, kind="json", now=NOW, profile="feedpub").view == expected
    memo = ItemMemo()
    for _ in range(2):
        assert check_document(data, kind="json", now=NOW, items=memo).view == expected


@pytest.mark.parametrize("data", [*ODD, *(p.read_bytes() for p in sorted(CORPUS.glob("*.json")))])
def test_the_view_is_what_json_loads_reads(data: bytes) -> None:
    same_view(data)


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=10,
)
items = st.dictionaries(
    st.sampled_from(["id", "url", "image", "content_html", "date_published", "attachments"]),
    values | st.sampled_from(["2024-01-01T00:00:00Z", "https://example.org/", "<a href=x>"]),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(items, max_size=4), st.booleans())
def test_generated_feeds_read_the_same(chosen: list[dict[str, object]], repeat: bool) -> None:
    text = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": chosen})
    if repeat and chosen:  # a duplicate key, whose last value counts
        text = text.replace('{"', '{"id": 1, "', 1)
    same_view(text.encode())
