"""Our own nesting limit decides, before the YAML library's own limits and messages."""

from __future__ import annotations

import pytest
import yaml

from feedpub.inputs.yamlsrc import MAX_DEPTH, YamlSourceError, load, load_located

DEEP = MAX_DEPTH + 1


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("tags: " + "[" * DEEP + "]" * DEEP, 1),
        ("a: 1\ntags: " + "{a: " * DEEP + "}" * DEEP, 2),
        ("tags: !!seq &anchor " + "[" * DEEP, 1),
        ("tags:\n  - " + "[" * DEEP, 2),
        ("tags: [\n" + "[\n" * DEEP, DEEP),
        ("tags: " + "[" * 5000, 1),  # far past libyaml's own flow limit
    ],
)
def test_flow_nesting_is_refused_with_our_message(text: str, line: int) -> None:
    for loader in (load, load_located):
        with pytest.raises(YamlSourceError) as caught:
            loader(text)
        assert caught.value.message == (
            f"refused: lists and mappings nested more than {MAX_DEPTH} levels deep"
        )
        assert caught.value.line == line


@pytest.mark.parametrize(
    "text",
    [
        'title: "' + "[" * DEEP + '"',
        "title: 'it''s " + "[" * DEEP + "'",
        "title: see" + "[" * DEEP,
        "title: plain # " + "{" * DEEP,
        "tags: [" + ", ".join(['"[["'] * DEEP) + "]",
        "tags: [" + "[]," * DEEP + "]",
    ],
)
def test_brackets_that_are_not_nesting_pass(text: str) -> None:
    expected = yaml.safe_load(text)  # what the library itself reads, with no limit of ours
    assert load(text) == expected
    assert load_located(text).value == expected


def test_nesting_at_the_limit_passes() -> None:
    inner = MAX_DEPTH - 1  # the mapping holding `tags` is the first level
    value = load("tags: " + "[" * inner + "]" * inner)["tags"]
    depth = 0
    while value != []:
        assert value == [value[0]]
        value, depth = value[0], depth + 1
    assert depth == inner - 1
