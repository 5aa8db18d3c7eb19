"""Unit tests: date and URI grammars, encodings, HTML scanning, the public API and reports."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from feedpub.validator import (
    MAX_DOCUMENT_BYTES,
    Message,
    format_text,
    iter_feed_files,
    to_json_records,
    validate_document,
    validate_path,
)
from feedpub.validator import document as document_module
from feedpub.validator.dates import check_rfc822, check_rfc3339, check_w3cdtf
from feedpub.validator.encoding import decode_xml
from feedpub.validator.htmlscan import scan_html
from feedpub.validator.messages import Report
from feedpub.validator.uris import is_addr_spec, is_language, is_mime_type, uri_problem
from feedpub.validator.xmldoc import parse_xml

NOW = datetime(2024, 6, 1, tzinfo=UTC)
CORPUS = Path(__file__).parent / "corpus"
VALID_RSS = (CORPUS / "rss_valid_minimal.xml").read_bytes()


def _code(finding: object) -> str | None:
    return getattr(finding, "code", None)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Mon, 02 Jan 2006 15:04:05 +0000", None),
        ("Mon, 02 Jan 2006 15:04:05 GMT", None),
        ("2 Jan 2006 15:04 PST", None),
        ("Mon, 02 Jan 2006 15:04:05 Z", None),
        ("Tue, 02 Jan 2006 15:04:05 +0000", "IncorrectDOW"),
        ("Mon, 31 Feb 2006 15:04:05 +0000", "InvalidRFC2822Date"),
        ("Mon, 02 Jan 2006 24:00:00 +0000", "InvalidRFC2822Date"),
        ("Mon, 02 Jan 06 15:04:05 +0000", "ProblematicalRFC822Date"),
        ("mon, 02 jan 2006 15:04:05 gmt", "ProblematicalRFC822Date"),
        ("Mon, 02 Jan 2006 15:04:05 +0545", "ProblematicalRFC822Date"),
        ("Mon,  02 Jan 2006 15:04:05 (comment) GMT", "ProblematicalRFC822Date"),
        ("Mon, 02 Jan 2006 15:04:05", "InvalidRFC2822Date"),
        ("Mon, 02 Jan 2006 15:04:05 CEST", "InvalidRFC2822Date"),
        ("2006-01-02T15:04:05Z", "InvalidRFC2822Date"),
        ("Wed, 02 Jan 1980 15:04:05 +0000", "ImplausibleDate"),
        ("Fri, 01 Jan 2100 00:00:00 +0000", "ImplausibleDate"),
        ("(" * 5000, "InvalidRFC2822Date"),
        ("", "InvalidRFC2822Date"),
    ],
)
def test_rfc822_dates(value: str, code: str | None) -> None:
    assert _code(check_rfc822(value, NOW)) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2006-01-02T15:04:05Z", None),
        ("2006-01-02T15:04:05.123456+05:30", None),
        ("2006-01-02T23:59:60Z", None),
        ("2006-01-02T15:04Z", "InvalidRFC3339Date"),
        ("2006-01-02", "InvalidRFC3339Date"),
        ("2006-01-02 15:04:05Z", "InvalidRFC3339Date"),
        ("2006-01-02T15:04:05", "InvalidRFC3339Date"),
        ("2006-02-30T15:04:05Z", "InvalidRFC3339Date"),
        ("2006-01-02T15:04:05+24:00", "InvalidRFC3339Date"),
        ("2006-01-02T15:04:05z", "InvalidRFC3339Date"),
        ("2100-01-02T15:04:05Z", "ImplausibleDate"),
    ],
)
def test_rfc3339_dates(value: str, code: str | None) -> None:
    assert _code(check_rfc3339(value, NOW)) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2006", None),
        ("2006-01", None),
        ("2006-01-02", None),
        ("2006-01-02T15:04Z", None),
        ("2006-01-02T15:04:05.5-07:00", None),
        ("2006-01-02T15:04", "InvalidW3CDTFDate"),
        ("2006-13", "InvalidW3CDTFDate"),
        ("02/01/2006", "InvalidW3CDTFDate"),
    ],
)
def test_w3cdtf_dates(value: str, code: str | None) -> None:
    assert _code(check_w3cdtf(value, NOW)) == code


@pytest.mark.parametrize(
    ("value", "absolute", "iri", "code"),
    [
        ("https://example.org/a?b=c#d", True, False, None),
        ("mailto:jane@example.org", True, False, None),
        ("/relative/path", True, False, "InvalidFullLink"),
        ("/relative/path", False, False, None),
        ("https://example.org/a b", True, False, "InvalidUriChar"),
        ("https://example.org/a|b", True, False, "InvalidUriChar"),
        ("http:/example.org", True, False, "InvalidFullLink"),
        ("https://example.org/caf\u00e9", True, False, "InvalidFullLink"),
        ("https://example.org/caf\u00e9", True, True, None),
        ("tag:example.org,2006:post-1", True, False, None),
        ("tag:example.org:post-1", True, False, "InvalidTAG"),
        ("urn:isbn:0451450523", True, False, None),
        ("urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6", True, False, None),
        ("urn:uuid:60a76c80", True, False, "InvalidUUID"),
        ("urn:x:y", True, False, "InvalidURN"),
        ("", False, True, None),
        ("", True, False, "InvalidFullLink"),
    ],
)
def test_uri_syntax(value: str, absolute: bool, iri: bool, code: str | None) -> None:
    assert uri_problem(value, absolute=absolute, iri=iri) == code


def test_addresses_mime_types_and_languages() -> None:
    assert is_addr_spec("jane.doe+feeds@mail.example.org")
    assert not is_addr_spec("jane at example.org")
    assert is_mime_type("audio/mpeg")
    assert is_mime_type('text/html; charset="utf-8"')
    assert not is_mime_type("mp3")
    assert is_language("en") and is_language("en-US") and is_language("pt-br")
    assert is_language("fil")
    assert not is_language("english") and not is_language("en_US") and not is_language("")


@pytest.mark.parametrize(
    ("data", "codes", "text"),
    [
        (b"<a>\xc3\xa9</a>", [], "<a>\u00e9</a>"),
        (b'<?xml version="1.0" encoding="windows-1252"?><a>\x93</a>', [], "\u201c"),
        (b"\xef\xbb\xbf<a/>", [], "<a/>"),
        ("<a>\u00e9</a>".encode("utf-16"), [], "\u00e9"),
        (b"<a>\xe9</a>", ["UnicodeError"], "\ufffd"),
        (b'<?xml version="1.0" encoding="utf-8"?><a>\xe9</a>', ["UnicodeError"], "\ufffd"),
        (b'<?xml version="1.0" encoding="koi8-u"?><a/>', ["ObscureEncoding"], "<a/>"),
        (b'<?xml version="1.0" encoding="utf-16"?><a/>', ["UnicodeError"], "<a/>"),
    ],
)
def test_decoding(data: bytes, codes: list[str], text: str) -> None:
    report = Report()
    decoded = decode_xml(data, report)
    assert [m.code for m in report.messages()] == codes
    assert decoded is not None and text in decoded.text


@pytest.mark.parametrize("name", ["x-unknown", "base64", "idna", "rot13"])
def test_unusable_encodings_stop_decoding(name: str) -> None:
    report = Report()
    data = f'<?xml version="1.0" encoding="{name}"?><a>\xff</a>'.encode("latin-1")
    assert decode_xml(data, report) is None
    assert [m.code for m in report.messages()] == ["UnknownEncoding"]


def test_declared_encoding_is_blanked_so_columns_survive() -> None:
    decoded = decode_xml(b'<?xml version="1.0" encoding="iso-8859-1"?><a/>', Report())
    assert decoded is not None
    assert decoded.text == '<?xml version="1.0"                      ?><a/>'


@pytest.mark.parametrize(
    ("html", "codes"),
    [
        ("<p>Plain <b>text</b> <a href='https://example.org/'>link</a></p>", []),
        ("<script>alert(1)</script>", ["SecurityRisk"]),
        ("<IFRAME src='https://example.org/'></IFRAME>", ["SecurityRisk"]),
        ("<img src='https://example.org/x.png' onerror='alert(1)'>", ["SecurityRiskAttr"]),
        ("<a href=' java\tscript:alert(1)'>x</a>", ["JavascriptURL"]),
        ("<a href='/about'>x</a><img src='x.png'>", ["ContainsRelRef"]),
        ("<![if foo]> <!bogus", []),
        ("no markup at all", []),
    ],
)
def test_html_scanning(html: str, codes: list[str]) -> None:
    assert [finding.code for finding in scan_html(html)] == codes


def test_external_entities_are_never_read() -> None:
    report = Report()
    doc = parse_xml((CORPUS / "xml_external_entity.xml").read_bytes(), report)
    assert doc is not None
    description = doc.root.find("channel/description")
    assert description is not None
    assert doc.text(description) == "Notes from example.org "
    assert [m.code for m in report.messages()] == ["ContainsSystemEntity"]


def test_messages_are_sorted_by_line_and_column() -> None:
    document = VALID_RSS.replace(b"<language>en-us</language>", b"<language>xx-yy-zz1</language>")
    document = document.replace(b"<title>Example Feed</title>", b"<title></title>")
    messages = validate_document(document, now=NOW)
    assert [(m.line, m.code) for m in messages] == [(4, "NotBlank")]
    document = VALID_RSS.replace(b"<link>https://example.org/</link>", b"<link>nope</link>")
    document = document.replace(b"2006 15:04:05 +0000", b"2006")
    positions = [(m.line, m.column) for m in validate_document(document, now=NOW)]
    assert positions == sorted(positions) and len(positions) == 2


def test_documents_over_the_size_limit_are_not_parsed() -> None:
    messages = validate_document(b" " * (MAX_DOCUMENT_BYTES + 1))
    assert [(m.severity, m.code, m.line) for m in messages] == [("error", "ValidatorLimit", None)]


def test_kind_can_be_forced() -> None:
    assert [m.code for m in validate_document(VALID_RSS, kind="rss", now=NOW)] == []
    assert [m.code for m in validate_document(VALID_RSS, kind="json", now=NOW)] == ["InvalidJSON"]
    assert [m.code for m in validate_document(VALID_RSS, kind="atom", now=NOW)] == [
        "UndefinedElement"
    ]
    with pytest.raises(ValueError, match="kind must be one of"):
        validate_document(VALID_RSS, kind="rdf")


def test_self_url_mismatch_is_an_error_only_when_the_address_is_known() -> None:
    assert validate_document(VALID_RSS, now=NOW) == []
    assert validate_document(VALID_RSS, now=NOW, self_url="HTTPS://Example.org:443/feed.xml") == []
    messages = validate_document(VALID_RSS, now=NOW, self_url="https://example.org/rss")
    assert [(m.severity, m.code) for m in messages] == [("error", "SelfDoesntMatchLocation")]


def test_a_failing_rule_becomes_a_validator_bug_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(document_module, "check_rss", explode)
    messages = validate_document(VALID_RSS, now=NOW)
    assert [(m.severity, m.code) for m in messages] == [("error", "ValidatorBug")]
    assert "RuntimeError: boom" in messages[0].message


def test_validate_path_reports_missing_files_and_folders(tmp_path: Path) -> None:
    missing = validate_path(tmp_path / "nope.xml")
    assert [(m.severity, m.code) for m in missing] == [("error", "IOError")]
    assert "nope.xml" in missing[0].message
    assert [m.code for m in validate_path(tmp_path)] == ["IOError"]
    fifo = tmp_path / "feed.xml"
    os.mkfifo(fifo)  # reading it would block forever
    assert [m.message for m in validate_path(fifo)] == [f"{fifo} is not a regular file"]


def test_validate_path_checks_json_files_as_json_feed(tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_bytes(b"")
    assert [m.code for m in validate_path(feed)] == ["InvalidJSON"]


def test_iter_feed_files_expands_folders_in_sorted_order(tmp_path: Path) -> None:
    for name in ["b/z.xml", "b/a.JSON", "a.atom", "c.rss", "notes.txt", ".hidden/x.xml", "d.xml"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    single = tmp_path / "d.xml"
    found = list(iter_feed_files([tmp_path, single, tmp_path / "gone.xml"]))
    relative = [str(path.relative_to(tmp_path)) for path in found]
    assert relative == ["a.atom", "b/a.JSON", "b/z.xml", "c.rss", "d.xml", "gone.xml"]


def test_format_text_is_compiler_style() -> None:
    messages = [
        Message("error", "SAXError", "XML is not well-formed", 3, 7),
        Message("warning", "MissingGuid", "item 1: <item> should have a <guid>", 9, None),
        Message("error", "ValidatorLimit", "too big", None, None),
    ]
    assert format_text("public/feed.xml", messages) == (
        "public/feed.xml:3:7: error SAXError: XML is not well-formed\n"
        "public/feed.xml:9: warning MissingGuid: item 1: <item> should have a <guid>\n"
        "public/feed.xml: error ValidatorLimit: too big"
    )
    assert format_text("x", []) == ""


def test_json_records_have_the_documented_keys() -> None:
    records = to_json_records(Path("feed.xml"), [Message("info", "C", "m", 1, None)])
    assert records == [
        {
            "file": "feed.xml",
            "line": 1,
            "column": None,
            "severity": "info",
            "code": "C",
            "message": "m",
        }
    ]


# --- the HTML scan's shortcut --------------------------------------------------------------

_HTML_PIECES = st.sampled_from(
    [
        '<a href="https://x.org/">',
        "<a href='rel/x'>",
        "<a href=x>",
        '<A HREF="JavaScript:1">',
        "<img src=\"https://x/i.png\" alt='a>b'>",
        '<img src="java\tscript:x">',
        "<p onclick=x>",
        "<p ONLOAD = 'x'>",
        "<script>",
        "<SCRIPT ",
        "< script>",
        "<style>",
        "<iframe src=x>",
        '<a title="x>" href="javascript:x">',
        '<a href="&#106;avascript:x">',
        "<!-- <script> -->",
        '<a href="https://x/?a=1&amp;b=2">',
        "</a>",
        "<br/>",
        "<svg onload=x>",
        "text ",
        " on=",
        '<a\nhref="rel">',
        '<img src="">',
        "<a href>",
        "<x:script>",
        '<a href="mailto:x@y">',
        "&lt;script&gt;",
        '<object data="x">',
        '<form action="/x">',
        '"',
        "'",
        ">",
        "<",
    ]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.one_of(_HTML_PIECES, st.text(max_size=6)), max_size=8).map("".join))
@example('<A" on=<a href>')
def test_html_shortcut_never_hides_a_finding(markup: str) -> None:
    """When the string tests say there is nothing to report, the full parse agrees."""
    from feedpub.validator import htmlscan

    if not htmlscan._needs_parsing(markup):
        parser = etree.HTMLParser(no_network=True, recover=True, remove_comments=True)
        try:
            root = etree.fromstring(markup.encode("utf-8", "replace"), parser)
        except (etree.XMLSyntaxError, ValueError):
            return
        if root is not None:
            assert htmlscan.scan_xhtml(root, link_syntax=True) == [], markup


@pytest.mark.parametrize("doctype", ["", '<!DOCTYPE rss SYSTEM "https://example.org/rss.dtd">'])
@pytest.mark.parametrize(
    "undeclared", ['<rss version="2.0" mlns:dc="x">', '<rss version="2.0"><mlns:x/>']
)
def test_an_undeclared_prefix_is_not_well_formed_with_or_without_a_doctype(
    doctype: str, undeclared: str
) -> None:
    """With a DOCTYPE, libxml2 only logged the prefix and a rule met 'mlns:dc' (issue 17's
    fuzz run found it): one SAXError either way, never a ValidatorBug."""
    document = f"{doctype}{undeclared}<channel><title>t</title></channel></rss>"
    messages = validate_document(document.encode(), now=datetime(2024, 6, 1, tzinfo=UTC))
    assert [(m.code, m.message.split(":")[0]) for m in messages if m.severity == "error"] == [
        ("SAXError", "XML is not well-formed")
    ]
