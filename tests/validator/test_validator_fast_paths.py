"""The validator's fast paths spare work only where the full checks have nothing to say:
the byte-level test of XML characters, and the source scan before the walk of every element's
namespace declarations."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from feedpub.validator import namespaces as ns
from feedpub.validator import validate_document
from feedpub.validator.messages import Report
from feedpub.validator.uris import _ascii_form
from feedpub.validator.xmldoc import _clean_utf8, _report_illegal_characters, parse_xml

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


RSS = """<rss version="2.0" {declaration}><channel><title>T</title>
<link>https://example.org/</link><description>D</description></channel></rss>"""


@pytest.mark.parametrize(
    ("declaration", "may"),
    [
        ('xmlns:media="http://search.yahoo.com/mrss"', True),
        ("xmlns:media = 'http://search.yahoo.com/mrss'", True),
        ('xmlns:media="&#104;ttp://search.yahoo.com/mrss"', True),
        ('xmlns:media="http://search.yahoo.com/mrss/"', False),
        ('xmlns:dc="http://purl.org/dc/elements/1.1/"', False),
        ("", False),
    ],
)
def test_the_source_scan_finds_every_declaration_that_may_name_a_namespace(
    declaration: str, may: bool
) -> None:
    doc = parse_xml(RSS.format(declaration=declaration).encode(), Report())
    assert doc is not None
    assert doc.may_declare(ns.MEDIA_WITHOUT_SLASH) is may


def test_a_declaration_spelled_with_a_reference_is_still_reported() -> None:
    data = RSS.format(declaration='xmlns:media="&#104;ttp://search.yahoo.com/mrss"').encode()
    codes = [m.code for m in validate_document(data) if m.severity == "error"]
    assert codes == ["MediaRssNamespace"]


@given(st.text(st.characters(max_codepoint=127), max_size=80))
@example("http://" + "a" * 64 + ".example/")
@example("http://example..org/")
def test_an_ascii_iri_is_its_own_idna_form(value: str) -> None:
    # uri_problem skips the IDNA and non-ASCII rewrites of ASCII values on this ground.
    assert _ascii_form(value) == value
