"""The JSON Feed writer produces exactly the text ``json.dumps(..., ensure_ascii=False,
indent=2)`` produces, which is what feedpub published before it had its own writer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from support.sites import Site

from feedpub.writers.jsonwrite import dumps_indented

# Any character but a lone surrogate (which no feed text can hold: UTF-8 cannot encode it).
CHARACTERS = st.characters(exclude_categories=("Cs",))
TRICKY = st.sampled_from(
    ["", '"', "\\", "/", "</script>", "\x00", "\x1f", "\x7f", "\x85", "\u2028", "\u2029",
     "\ufeff", "\uffff", "é", "東京", "🎉👩‍👩‍👧", "\r\n\t", "&amp; <b>"]
)  # fmt: skip
STRINGS = st.one_of(TRICKY, st.text(CHARACTERS, max_size=40))
SCALARS = st.one_of(STRINGS, st.integers(), st.booleans(), st.none())
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(STRINGS, inner, max_size=4)
    ),
    max_leaves=30,
)


def reference(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@given(VALUES)
@settings(max_examples=400)
@example({})
@example([])
@example({"a": {}, "b": [], "c": [[]], "d": [{}]})
@example({"size_in_bytes": 0, "n": -12345678901234567890, "t": True, "f": False, "z": None})
def test_any_json_value_is_written_as_json_dumps_writes_it(value: Any) -> None:
    assert dumps_indented(value) == reference(value)


def authors() -> st.SearchStrategy[list[dict[str, str]]]:
    author = st.one_of(
        st.fixed_dictionaries({"name": STRINGS}),
        st.fixed_dictionaries({"name": STRINGS, "url": STRINGS}),
    )
    return st.lists(author, min_size=1, max_size=3)


ITEM = st.fixed_dictionaries(
    {
        "id": STRINGS,
        "url": STRINGS,
        "title": STRINGS,
        "content_html": st.text(CHARACTERS, max_size=400),
    },
    optional={
        "summary": STRINGS,
        "image": STRINGS,
        "attachments": st.lists(
            st.fixed_dictionaries(
                {"url": STRINGS, "mime_type": STRINGS},
                optional={"title": STRINGS, "size_in_bytes": st.integers(0, 2**40)},
            ),
            max_size=1,
        ),
        "date_published": STRINGS,
        "date_modified": STRINGS,
        "authors": authors(),
        "tags": st.lists(STRINGS, max_size=5),
        "language": STRINGS,
    },
)
FEED = st.fixed_dictionaries(
    {
        "version": st.just("https://jsonfeed.org/version/1.1"),
        "title": STRINGS,
        "home_page_url": STRINGS,
        "feed_url": STRINGS,
        "description": STRINGS,
        "language": STRINGS,
        "authors": authors(),
    },
    optional={"icon": STRINGS, "favicon": STRINGS, "items": st.lists(ITEM, max_size=4)},
)


@given(FEED)
@settings(max_examples=200)
def test_feed_shaped_records_are_written_as_json_dumps_writes_them(feed: dict[str, Any]) -> None:
    assert dumps_indented(feed) == reference(feed)


@pytest.mark.parametrize("value", [1.5, {"a": float("nan")}, (1, 2), {1: "a"}, {"s": {1, 2}}])
def test_values_json_feed_never_holds_are_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        dumps_indented(value)


def test_published_json_feeds_are_json_dumps_of_their_own_content(sample: Site) -> None:
    sample.build()
    documents = sorted(sample.out.rglob("feed.json"))
    assert len(documents) > 1
    for path in documents:
        data = path.read_bytes()
        assert data == (reference(json.loads(data)) + "\n").encode("utf-8"), path
