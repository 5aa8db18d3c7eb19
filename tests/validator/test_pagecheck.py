"""The checks of an output folder's HTML pages: one page per rule in
tests/validator/page_corpus/ with the exact findings it must produce, every code
validator/pages.py reports exercised, feed links resolved as a browser would, and feedpub's own
pages pass."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from support.sites import Site

from feedpub.validator import Message
from feedpub.validator.pages import CheckedPage, Folder, check_feed_links, check_page

CORPUS = Path(__file__).parent / "page_corpus"
MODULE = Path(__file__).parents[2] / "feedpub" / "validator" / "pages.py"
QUIRKS = "the page must start with <!DOCTYPE html> (without it browsers use quirks mode)"
CUT = "is never closed (is the page cut short?)"

EXPECTED: dict[str, list[str]] = {
    "bad_lang.html": [
        "2:1 error InvalidLanguage: <html> attribute 'lang' 'english' is not a language code "
        "like 'en' or 'en-us'"
    ],
    "cut_short.html": [
        f"5:1 error UnclosedElement: <main> {CUT}",
        f"6:1 error UnclosedElement: <section> {CUT}",
        f"7:1 error UnclosedElement: <ol> {CUT}",
        f"8:5 error UnclosedElement: <article> {CUT}",
    ],
    "empty_title.html": ["3:7 error MissingTitle: <title> is empty"],
    "misnested.html": [
        "5:17 error MisnestedElement: <h2> (line 5) is still open at </section>",
        "7:1 error MisnestedElement: <div> (line 6) is still open at </body>",
    ],
    "missing_doctype.html": [f"1:1 error MissingDoctype: {QUIRKS}"],
    "missing_lang.html": [
        "2:1 error MissingLanguage: <html> must have a lang attribute (screen readers choose "
        "a voice by it)"
    ],
    "missing_title.html": [
        "1:1 error MissingTitle: the page must have a <title> (tabs and screen readers show it)"
    ],
    "no_html_element.html": [
        "1:1 error MissingLanguage: the page has no <html> element to carry its lang"
    ],
    "not_utf8.html": [
        "3:17 error UnicodeError: byte 0xE9 is not valid UTF-8: feedpub's pages are UTF-8"
    ],
    "stray_end_tag.html": [
        "4:15 error StrayEndTag: </div> closes no open <div>",
        "4:21 error StrayEndTag: </p> closes no open <p>",
    ],
    "valid_minimal.html": [],
    "valid_optional_end_tags.html": [],
}


def shown(messages: list[Message]) -> list[str]:
    return [f"{m.line}:{m.column} {m.severity} {m.code}: {m.message}" for m in messages]


def test_the_corpus_is_the_table() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_page_gives_exactly_its_findings(name: str) -> None:
    assert shown(check_page((CORPUS / name).read_bytes()).messages) == EXPECTED[name]


def test_every_code_of_the_module_is_exercised() -> None:
    source = MODULE.read_text()
    codes = set(re.findall(r'report\.(?:error|warning)\(\s*"(\w+)"', source))
    codes.discard("ValidatorBug")  # html.parser asserting on input: no input known to do it
    found = {line.split()[2].rstrip(":") for lines in EXPECTED.values() for line in lines}
    found |= {"BrokenFeedLink", "FeedLinkType"}  # the folder's checks, tested below
    assert codes and codes <= found, codes - found


PAGE = b"""<!DOCTYPE html>
<html lang="en">
<head><title>Asia</title>
<link rel="alternate" type="application/rss+xml" href="https://example.org/feeds/asia/rss.xml">
<link rel="alternate" type="application/atom+xml" href="https://elsewhere.example/atom.xml">
<link rel="alternate" type="text/html" hreflang="fr" href="https://example.org/fr/">
</head>
<body>
<a href="rss.xml">RSS</a> <a href="atom.xml" type="application/rss+xml">Atom</a>
<a href="india/feed.json?utm=x#top">India</a> <a href="../feeds.opml">OPML</a>
<a href="../index.html">All</a> <a href="https://example.org/story/">A story</a>
<a href="https://other.example/feed.json">Someone's feed</a>
</body>
</html>
"""
FEEDS = frozenset({"asia/rss.xml", "asia/atom.xml", "feeds.opml"})


def links(folder: Folder, page: bytes = PAGE) -> list[str]:
    checked = check_page(page)
    assert checked.messages == []
    return shown(check_feed_links("asia/index.html", checked, folder))


ELSEWHERE = (
    '5:1 error BrokenFeedLink: <link rel="alternate"> href '
    "'https://elsewhere.example/atom.xml' is not under this folder's address, "
    "https://example.org/feeds/"
)
TYPE = (
    "9:27 warning FeedLinkType: <a> type 'application/rss+xml' is not the type of atom.xml, "
    "'application/atom+xml'"
)


def test_feed_links_resolve_against_the_address_the_folder_is_served_at() -> None:
    assert links(Folder("https://example.org/feeds/", FEEDS)) == [
        ELSEWHERE,
        TYPE,
        "10:1 error BrokenFeedLink: <a> href 'india/feed.json?utm=x#top' names "
        "asia/india/feed.json, which is not a feed in this folder",
    ]  # not the <a> to other.example's feed: out of the folder, no telling


def test_without_an_address_only_relative_feed_links_can_be_matched() -> None:
    unknown = (
        "is not the address of a feed in this folder (no feed in it has a self link to say "
        "where the folder is served)"
    )
    assert links(Folder(None, FEEDS | {"asia/india/feed.json"})) == [
        f'4:1 error BrokenFeedLink: <link rel="alternate"> href '
        f"'https://example.org/feeds/asia/rss.xml' {unknown}",
        f'5:1 error BrokenFeedLink: <link rel="alternate"> href '
        f"'https://elsewhere.example/atom.xml' {unknown}",
        TYPE,
    ]


def test_a_base_element_moves_what_relative_links_name() -> None:
    page = PAGE.replace(b"<head>", b'<head><base href="india/">')
    folder = Folder("https://example.org/feeds/", FEEDS | {"asia/india/feed.json"})
    assert links(folder, page)[1:3] == [
        "9:1 error BrokenFeedLink: <a> href 'rss.xml' names asia/india/rss.xml, which is not "
        "a feed in this folder",
        "9:27 error BrokenFeedLink: <a> href 'atom.xml' names asia/india/atom.xml, which is "
        "not a feed in this folder",
    ]


def test_links_cannot_leave_the_folder_by_dot_segments() -> None:
    page = PAGE.replace(
        b'href="https://example.org/feeds/asia/rss.xml"', b'href="../../../rss.xml"'
    )
    assert links(Folder("https://example.org/feeds/", FEEDS | {"rss.xml"}), page)[0] == (
        "4:1 error BrokenFeedLink: <link rel=\"alternate\"> href '../../../rss.xml' is not under "
        "this folder's address, https://example.org/feeds/"
    )


def test_a_subfolder_validates_without_its_links_up(sample: Site) -> None:
    """Validating public/asia/ alone: the pages' <a> up to ../feeds.opml is out of it."""
    sample.build()
    for page in sorted((sample.out / "asia").rglob("*.html")):
        relative = page.relative_to(sample.out / "asia").as_posix()
        feeds = frozenset(
            p.relative_to(sample.out / "asia").as_posix()
            for p in (sample.out / "asia").rglob("*")
            if p.suffix in (".xml", ".json")
        )
        folder = Folder("https://example.org/feeds/asia/", feeds)
        assert check_feed_links(relative, check_page(page.read_bytes()), folder) == [], relative


def test_feedpubs_own_pages_have_nothing_to_report(sample: Site) -> None:
    sample.build()
    feeds = frozenset(
        p.relative_to(sample.out).as_posix()
        for p in sample.out.rglob("*")
        if p.suffix in (".xml", ".json", ".opml")
    )
    pages = sorted(sample.out.rglob("*.html"))
    assert len(pages) == 10
    for page in pages:
        checked: CheckedPage = check_page(page.read_bytes())
        relative = page.relative_to(sample.out).as_posix()
        assert checked.messages == [], relative
        folder = Folder("https://example.org/feeds/", feeds)
        assert check_feed_links(relative, checked, folder) == [], relative


@pytest.mark.parametrize("page", ["index.html", "asia/india/index.html"])
def test_a_broken_page_fails_the_build_and_publishes_nothing(
    site: Site, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    import feedpub.writers.pages
    from feedpub.errors import ValidationFailed

    site.article("a", title="A", date="2022-01-01", countries=["india"])
    real = feedpub.writers.pages.Document

    def broken(path: str, url: str, kind: str, data: bytes) -> Any:
        if path == page:
            data = data.replace(b"</main>", b"")
        return real(path, url, kind, data)

    monkeypatch.setattr(feedpub.writers.pages, "Document", broken)
    with pytest.raises(ValidationFailed) as failed:
        site.build()
    assert re.search(
        rf"^{re.escape(page)}:\d+:1: error MisnestedElement: <main> \(line \d+\) is still open "
        "at </body>$",
        str(failed.value),
        re.M,
    )
    assert not site.out.exists()
