"""The byte-level fast path of the XML character checks lets through only text the
character-by-character checks have nothing to say about."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from feedpub.validator.messages import Report
from feedpub.validator.xmldoc import _clean_utf8, _report_illegal_characters

# Every character, lone surrogates included, weighted towards the ones the checks look for.
SPECIAL = st.sampled_from(
    ["\x00", "\x08", "\t", "\n", "\x0b", "\x0c", "\r", "\x1f", " ", "\x7f", "\x80", "\x9f",
     "\xa0", "\xc2", "\ufffd", "\ufffe", "\uffff", "\ud800", "\udfff", "\u2028", "\U0001f389"]
)  # fmt: skip
TEXT = st.lists(st.one_of(SPECIAL, st.characters()), max_size=30).map("".join)


def findings(text: str) -> tuple[bool, list[str]]:
    report = Report()
    refused = _report_illegal_characters(text, report)
    return refused, [m.code for m in report.messages()]


@given(TEXT)
@settings(max_examples=1000)
@example("<a>caf\xe9 \u201cquoted\u201d \xa0</a>")
def test_text_the_fast_path_passes_has_nothing_to_report(text: str) -> None:
    utf8 = _clean_utf8(text)
    if utf8 is not None:
        assert utf8 == text.encode("utf-8")
        assert findings(text) == (False, [])


@pytest.mark.parametrize(
    ("character", "expected"),
    [
        ("\x00", (True, ["InvalidXmlCharacter"])),
        ("\x1f", (True, ["InvalidXmlCharacter"])),
        ("\ufffe", (True, ["InvalidXmlCharacter"])),
        ("\uffff", (True, ["InvalidXmlCharacter"])),
        ("\ud800", (True, ["InvalidXmlCharacter"])),
        ("\x85", (False, ["BadCharacters"])),
    ],
)
def test_text_with_a_character_to_report_takes_the_slow_path(
    character: str, expected: tuple[bool, list[str]]
) -> None:
    text = f"<a>text {character} text</a>"
    assert _clean_utf8(text) is None
    assert findings(text) == expected


def test_ordinary_non_ascii_text_takes_the_fast_path() -> None:
    assert _clean_utf8("<a>\xa0caf\xe9 \u201c\u2028\u201d \U0001f389\t\r\n</a>") is not None
