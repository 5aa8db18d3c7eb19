"""The front matter fast path returns exactly what the strict YAML loader returns, or declines."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from feedpub.inputs import yamlsrc
from feedpub.inputs.frontmatter import load_simple

TRICKY = st.sampled_from(
    [
        "yes",
        "No",
        "on",
        "OFF",
        "null",
        "~",
        "true",
        "0",
        "07",
        "0x1f",
        "1_000",
        "1.5",
        ".inf",
        "-3",
        "+4",
        "2022-02-10",
        "2022-02-30",
        "2022-02-10 10:00:00",
        "2022-02-10T10:00:00Z",
        "2022-2-1",
        "12:30",
        "<<",
        "=",
        "a: b",
        "a #b",
        "a:",
        "[x]",
        "{x}",
        "'q'",
        '"d"',
        "x\ty",
        "é 東京 🎉",
        "\u202eRTL",
        "-x",
        "? x",
        "&a",
        "*a",
        "!x",
        "|",
        ">",
        "@x",
        "%x",
        "`x",
        "a, b",
        "\\",
        "it's",
        'say "hi"',
        "  padded  ",
        "",
        " ",
        "#c",
        "\x85",
        "\u2028",
        "\ufeff",
        'a", "b',
        "x'",
        "''",
        "b]",
        "[",
        ":",
        "a:b",
        '"k": v',
        '"k":',
        "'k':v",
        '"a" "b"',
        " #x",
        ", ",
        "\\n",
        "2021-09-02T05:30:05+10:00",
    ]
)
SCALAR = st.one_of(TRICKY, st.text(max_size=12))
KEY = st.one_of(
    st.sampled_from(["title", "date", "on", "null", "1", "a-b", "image_alt", "-x"]),
    st.text(min_size=1, max_size=6),
)


def single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@st.composite
def flow_items(draw: st.DrawFn, values: list[str]) -> str:
    """A one-line flow list whose items are plain, double-quoted, single-quoted (escaped as YAML
    wants, or not), sometimes followed by an indicator (``"k": v`` is a mapping in a flow list),
    with any spacing around the commas and sometimes a trailing comma."""
    items = []
    for value in values:
        style = draw(st.sampled_from(["plain", "double", "single", "single-raw"]))
        if style == "plain":
            item = value
        elif style == "double":
            item = '"' + value + '"'
        elif style == "single":
            item = single_quoted(value)
        else:
            item = "'" + value + "'"
        items.append(item + draw(st.sampled_from(["", "", "", ":", ": v", " x", "#", " #"])))
    comma = draw(st.sampled_from([", ", ",", " , ", ",  ", " ,"]))
    inside = draw(st.sampled_from(["", " ", "  "]))
    trailing = draw(st.sampled_from(["", "", ",", ", "]))
    return " [" + inside + comma.join(items) + trailing + inside + "]"


def render_value(draw_values: list[str], style: int) -> str:
    if style == 0:
        return " " + draw_values[0]
    if style == 1:
        return ' "' + draw_values[0] + '"'
    if style == 2:
        return " '" + draw_values[0] + "'"
    if style == 5:
        return " " + single_quoted(draw_values[0])
    if style == 3:
        return " [" + ", ".join(draw_values) + "]"
    return "\n" + "\n".join("- " + v for v in draw_values)


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        key = draw(KEY)
        values = draw(st.lists(SCALAR, min_size=1, max_size=3))
        style = draw(st.integers(0, 6))
        if style == 6:
            lines.append(key + ":" + draw(flow_items(values)))
        else:
            lines.append(key + ":" + render_value(values, style))
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "# comment", "  - indented", "  more"])))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=3000, deadline=None)
@given(documents())
@example("title: x\ncountries: [sri-lanka, india]\ndate: 2022-02-10 10:00:00\n")
@example("on: 1\n")
@example("title: a\ntitle: b\n")
@example("date: 2022-02-30\n")
@example('title: "A"\ndate: "2021-09-02T05:30:05+10:00"\ncountries: ["cuba", "israel"]\n')
@example("a: ['it''s', \"x, y\", z]\n")
@example('a: ["k": v]\n')
@example('a: ["x",]\n')
@example("a: [yes, 'yes', \"1\", 1]\n")
def test_same_as_pyyaml_or_declines(text: str) -> None:
    fast = load_simple(text)
    if fast is None:
        return
    expected = yamlsrc.load(text)  # raises where the strict loader refuses: fast must decline
    assert fast == expected
    assert types_of(fast) == types_of(expected)  # True == 1 and [1] == [True]: compare types


def types_of(value: Any) -> Any:
    """The type of every value, recursively, in the value's own shape."""
    if isinstance(value, dict):
        return {key: types_of(item) for key, item in value.items()}
    if isinstance(value, list):
        return [types_of(item) for item in value]
    return type(value)


def test_reads_the_common_shapes() -> None:
    text = (
        'title: "Sri Lanka: Call a Hartal"\n'
        "date: 2019-03-04 10:15:00\n"
        "day: 2019-03-04\n"
        "countries: [country-1-01, country-2-03]\n"
        "regions: [\"region-1\", 'it''s' , \"a, b\"]\n"
        "tags:\n- economy\n- labour\n"
        "summary: 'It''s here'\n"
        "draft: false\n"
        "image_alt: A plain caption, with a comma\n"
    )
    assert load_simple(text) == {
        "title": "Sri Lanka: Call a Hartal",
        "date": datetime(2019, 3, 4, 10, 15),  # noqa: DTZ001 - PyYAML gives naive values
        "day": date(2019, 3, 4),
        "countries": ["country-1-01", "country-2-03"],
        "regions": ["region-1", "it's", "a, b"],
        "tags": ["economy", "labour"],
        "summary": "It's here",
        "draft": False,
        "image_alt": "A plain caption, with a comma",
    }


def test_declines_what_it_does_not_know() -> None:
    for text in [
        "a: &x 1\nb: *x\n",
        "a: !!python/object/apply:os.system [ls]\n",
        "a:\n  b: 1\n",
        'a: "esc\\n"\n',
        'a: ["esc\\n"]\n',
        'a: ["k": v]\n',
        "a: [x, ]\n",
        'a: ["x" y]\n',
        "a: |\n  block\n",
        "a: 1.5\n",
        "",
        "just text\n",
    ]:
        assert load_simple(text) is None, text
