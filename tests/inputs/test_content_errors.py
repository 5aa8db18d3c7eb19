"""Every bad content file gets a clear message naming it, exit code 3, and publishes nothing.

Each test first builds a good site through the CLI (the ``published`` fixture snapshots
public/: bytes, inode and mtime of every file), then breaks the content, builds again and
asserts the exact stderr and an identical snapshot.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from support.refusals import Snapshot, cli_build, error, front, path, refused, summary
from support.sites import BASE_CONFIG, Site

# --- the file's shape ------------------------------------------------------------------------


def test_front_matter_not_closed(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", "---\ntitle: Open\ndate: 2022-03-02\nThe body.\n")
    assert refused(site, published) == error(
        site, "asia/bad.md", ":1: front matter is not closed: expected a '---' line after it"
    )


def test_no_front_matter(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", "# Just Markdown\n")
    assert refused(site, published) == error(
        site, "asia/bad.md", ":1: expected YAML front matter starting with a '---' line"
    )


def test_empty_file(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", "")
    assert refused(site, published) == error(
        site, "asia/bad.md", ": is empty; expected YAML front matter between '---' lines"
    )


def test_empty_front_matter(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", "---\n---\nBody.\n")
    assert refused(site, published) == error(
        site, "asia/bad.md", ":2: front matter is empty; expected at least title and date"
    )


def test_front_matter_that_is_not_a_mapping(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("- title", "- date"))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":2: front matter: expected a mapping of keys, got a list"
    )


def test_file_over_the_size_cap(site: Site, published: Snapshot) -> None:
    site.raw("asia/big.md", front("title: Big", "date: 2022-03-02", body="x" * 5 * 1024 * 1024))
    assert refused(site, published) == error(
        site,
        "asia/big.md",
        ": is 5242916 bytes, over the limit of 5242880 (site.max_content_bytes)",
    )


# --- encoding --------------------------------------------------------------------------------


def test_bytes_that_are_not_utf8_name_the_line(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", b"---\ntitle: Caf\xe9 society\ndate: 2022-03-02\n---\nBody.\n")
    assert refused(site, published) == error(
        site, "asia/bad.md", ":2: is not UTF-8 text (byte 0xe9 in column 11); save it as UTF-8"
    )


def test_bom_and_crlf_line_endings_build(site: Site, published: Snapshot) -> None:
    text = front("title: Windows", "date: 2022-03-02", "countries: [india]", body="Body.\n")
    site.raw("asia/windows.md", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    result = cli_build(site)
    assert (result.exit_code, result.stderr) == (0, "")
    assert [e.title for e in site.feed("asia/india/rss.xml").entries] == ["Windows", "Good"]
    assert site.feed("feed.json")["items"][0]["content_html"] == "<p>Body.</p>"


def test_raw_control_character_in_front_matter_is_removed_with_a_warning(
    site: Site, published: Snapshot
) -> None:
    # U+0080 is a C1 control: XML discourages it, YAML refuses it, feedparser reads it as '€'.
    site.raw("asia/odd.md", front("title: Odd", "date: 2022-03-02", "summary: a\x80b"))
    result = cli_build(site)
    assert (result.exit_code, result.stderr) == (
        0,
        f"warning: {path(site, 'asia/odd.md')}:4: "
        "contains characters not allowed in feeds (U+0080); removed\n",
    )
    assert site.feed("feed.json")["items"][0]["summary"] == "ab"


# --- characters feeds cannot carry: removed with a warning, never an invalid feed --------------

FORBIDDEN = {
    "NUL": "\\x00",
    "BEL": "\\x07",
    "VT": "\\x0b",
    "ESC": "\\x1b",
    "DEL": "\\x7f",
    "C1": "\\x9f",
    "U+FFFE": "\\uFFFE",
}
FIELD_LINES = {
    "title": ('title: "A{}B"', "title"),
    "summary": ('summary: "A{}B"', "summary"),
    "image_alt": ('image_alt: "A{}B"', "image_alt"),
    "author": ('author: "A{}B"', "author"),
    "author_name": ('author: {{name: "A{}B"}}', "author.name"),
    "tags": ('tags: [labour, "A{}B"]', "tags.1"),
    "id": ('id: "tag:example.org,2022:A{}B"', "id"),
    "link": ('link: "https://example.org/A{}B"', "link"),
}


@pytest.mark.parametrize("escape", FORBIDDEN.values(), ids=FORBIDDEN.keys())
@pytest.mark.parametrize("field", FIELD_LINES)
def test_forbidden_character_in_a_field_is_removed_with_a_warning(
    site: Site, published: Snapshot, field: str, escape: str
) -> None:
    template, key_path = FIELD_LINES[field]
    lines = ["title: Clean", "date: 2022-03-02", "countries: [india]", "image: /i.png"]
    if field == "title":
        lines[0] = template.format(escape)
    else:
        lines.append(template.format(escape))
    site.raw("asia/odd.md", front(*lines))
    result = cli_build(site)
    line = 2 if field == "title" else 6
    character = "U+" + escape[2:].rjust(4, "0").upper()
    assert (result.exit_code, result.stderr) == (
        0,
        f"warning: {path(site, 'asia/odd.md')}:{line}: {key_path}: "
        f"contains characters not allowed in feeds ({character}); removed\n",
    )
    assert_no_forbidden_characters(site)
    expected = {
        "tags": ["India", "labour", "AB"],
        "id": "tag:example.org,2022:AB",
        "link": "https://example.org/AB",
    }.get(field, "AB")
    assert shown(site, field) == expected


def shown(site: Site, field: str) -> Any:
    """What the feeds show for ``field`` of the newest article."""
    if field == "image_alt":  # feedparser does not read media:title
        rss = (site.out / "rss.xml").read_text(encoding="utf-8")
        found = re.search(r"<media:title[^>]*>(.*?)</media:title>", rss)
        return found and found[1]
    item = site.feed("feed.json")["items"][0]
    if field in ("author", "author_name"):
        return item["authors"][0]["name"]
    return item[{"link": "url"}.get(field, field)]


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x0b", "\x1b", "\x9f", "\ufffe"])
def test_forbidden_character_in_the_body_is_removed_with_a_warning(
    site: Site, published: Snapshot, character: str
) -> None:
    site.raw(
        "asia/odd.md",
        front("title: Clean", "date: 2022-03-02", body=f"First line.\n\nA{character}B.\n"),
    )
    result = cli_build(site)
    assert (result.exit_code, result.stderr) == (
        0,
        f"warning: {path(site, 'asia/odd.md')}:7: "
        f"contains characters not allowed in feeds (U+{ord(character):04X}); removed\n",
    )
    assert_no_forbidden_characters(site)
    assert site.feed("feed.json")["items"][0]["content_html"] == "<p>First line.</p>\n<p>AB.</p>"


def test_next_line_character_is_a_line_break(site: Site, published: Snapshot) -> None:
    # U+0085 (NEL) is a line break to YAML and Unicode; feedparser would read it as '…'.
    site.raw(
        "asia/odd.md",
        front("title: Clean", 'summary: "one\\Ntwo"', "date: 2022-03-02", body="A\x85B.\n"),
    )
    result = cli_build(site)
    assert (result.exit_code, result.stderr) == (0, "")
    assert_no_forbidden_characters(site)
    item = site.feed("feed.json")["items"][0]
    assert (item["summary"], item["content_html"]) == ("one\ntwo", "<p>A\nB.</p>")


def test_character_references_to_forbidden_characters_are_removed(
    site: Site, published: Snapshot
) -> None:
    body = "Bell &#x7; escape &#27; nul &#0; ok.\n\n<p>raw &#7; html &#xFFFE;</p>\n"
    site.raw("asia/odd.md", front("title: Clean", "date: 2022-03-02", body=body))
    result = cli_build(site)
    assert (result.exit_code, result.stderr) == (0, "")
    assert_no_forbidden_characters(site)
    item = site.feed("feed.json")["items"][0]
    # CommonMark turns &#0; into U+FFFD and the others into the characters, which go.
    assert item["summary"] == "Bell escape nul \ufffd ok."
    assert item["content_html"] == "<p>Bell  escape  nul \ufffd ok.</p>\n<p>raw  html </p>"


def test_lone_surrogate_escape_is_refused(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front('title: "Smile \\ud83d\\ude00"', "date: 2022-03-02"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ':2: invalid YAML: a "\\u" escape in double quotes is not a character '
        "(a lone surrogate?); write the character itself",
    )


def assert_no_forbidden_characters(site: Site) -> None:
    from feedpub.inputs.fields import XML_FORBIDDEN

    for name in ("rss.xml", "atom.xml", "feed.json"):
        text = (site.out / name).read_text(encoding="utf-8")
        assert not XML_FORBIDDEN.search(text), name
        assert "\\u0007" not in text and "\\u001b" not in text and "\\u0000" not in text
        site.feed(name)  # parses without error


# --- YAML syntax -----------------------------------------------------------------------------


def test_list_not_closed(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: Open list", "countries: [india", "date: 2022-03-02"))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":3: invalid YAML: a list opened with '[' is not closed with ']'"
    )


def test_colon_in_unquoted_text(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: Sri Lanka: a hartal", "date: 2022-03-02"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":2: invalid YAML: unexpected ':' (put text that contains ': ' in quotes, "
        "or check the indentation)",
    )


def test_quote_not_closed(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("date: 2022-03-02", 'title: "Open quote', "tags: [x]"))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":3: invalid YAML: title: a quoted text is not closed with its quote"
    )


def test_quote_not_closed_is_reported_on_its_own_line(site: Site, published: Snapshot) -> None:
    """YAML reads an unclosed quote on to the next quote, lines later, and fails there (as an
    indentation problem at line 5): the line to fix is the one with the open quote."""
    site.raw(
        "asia/bad.md",
        front(
            'title: "Sri Lanka: Fuel Queues, Day Three',
            "date: 2022-05-05 08:30",
            "countries: [india]",
            'summary: "Plain text."',
        ),
    )
    assert refused(site, published) == error(
        site, "asia/bad.md", ":2: invalid YAML: title: a quoted text is not closed with its quote"
    )
    site.raw("asia/bad.md", front("date: 2022-03-02", "tags:", "  - 'open", "  - x"))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":4: invalid YAML: a quoted text is not closed with its quote"
    )


def test_tab_indentation(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: Tabs", "author:", "\tname: Ana", "date: 2022-03-02"))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":4: invalid YAML: a tab is used for indentation; indent with spaces"
    )


def test_undefined_alias(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: *bold news", "date: 2022-03-02"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":2: invalid YAML: '*bold' is an alias of no '&' anchor "
        "(put text that starts with '*' in quotes)",
    )


def test_text_starting_like_an_alias(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: *Bold* news", "date: 2022-03-02"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":2: invalid YAML: '&' and '*' start YAML anchors and aliases; "
        "put text starting with them in quotes",
    )


def test_duplicate_key(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: First", "date: 2022-03-02", "title: Second"))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":4: invalid YAML: duplicate key 'title'"
    )


def test_duplicate_key_in_front_matter_with_nested_values(site: Site, published: Snapshot) -> None:
    site.raw(
        "asia/bad.md",
        front("title: First", "author: {name: Ana}", "date: 2022-03-02", "title: Second"),
    )
    assert refused(site, published) == error(
        site, "asia/bad.md", ":5: invalid YAML: duplicate key 'title'"
    )


def test_merge_keys_are_refused(site: Site, published: Snapshot) -> None:
    site.raw(
        "asia/bad.md",
        front("base: &base {title: Merged}", "<<: *base", "date: 2022-03-02"),
    )
    assert refused(site, published) == error(
        site, "asia/bad.md", ":3: refused: YAML merge keys ('<<') are not allowed"
    )


# --- hostile YAML ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where",
    ["value", "list item", "with anchors"],
)
def test_object_tags_are_refused_and_nothing_runs(
    site: Site, published: Snapshot, tmp_path: Path, where: str
) -> None:
    marker = tmp_path / "ran"
    tagged = f"!!python/object/apply:os.system ['touch {marker}']"
    lines = {
        "value": ["title: Tagged", f"summary: {tagged}"],
        "list item": ["title: Tagged", f"tags: [a, {tagged}]"],
        "with anchors": ["title: &t Tagged", "image_alt: *t", f"summary: {tagged}"],
    }[where]
    site.raw("asia/bad.md", front(*lines, "date: 2022-03-02"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        f":{len(lines) + 1}: refused: YAML tag '!!python/object/apply:os.system' is not allowed",
    )
    assert not marker.exists()


def test_alias_bomb_is_refused(site: Site, published: Snapshot) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    site.raw("asia/bomb.md", front("title: Laughs", "date: 2022-03-02", *lines))
    assert refused(site, published) == error(
        site,
        "asia/bomb.md",
        ":9: refused: the document expands to more than 100000 values (an alias bomb?)",
    )


@pytest.mark.parametrize(
    "nesting",
    ["tags: " + "[" * 20000 + "]" * 20000, "tags:\n" + "- " * 20000 + "x"],
    ids=["flow", "block"],
)
def test_deep_nesting_is_refused(site: Site, published: Snapshot, nesting: str) -> None:
    # libyaml's composer recurses once per level: this deep, it crashed the whole process.
    site.raw("asia/deep.md", front("title: Deep", "date: 2022-03-02", nesting))
    line = 4 if nesting.startswith("tags: ") else 5
    assert refused(site, published) == error(
        site,
        "asia/deep.md",
        f":{line}: refused: lists and mappings nested more than 50 levels deep",
    )


def test_value_its_tag_cannot_build(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: Tagged", "date: 2022-03-02", "summary: !!int ten"))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":4: invalid YAML: 'ten' is not a valid '!!int' value"
    )


def test_set_tag_is_refused(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: Set", "date: 2022-03-02", "tags: !!set {a, b}"))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":4: refused: YAML tag '!!set' is not allowed"
    )


# --- fields ----------------------------------------------------------------------------------


def test_missing_title(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("date: 2022-03-02"))
    assert refused(site, published) == error(site, "asia/bad.md", ":2: title: is required")


def test_missing_date(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: Undated"))
    assert refused(site, published) == error(site, "asia/bad.md", ":2: date: is required")


def test_date_without_a_year(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: When", "date: next tuesday"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":3: date: 'next tuesday' is not a date (expected e.g. 2022-04-12 09:30)",
    )


def test_date_dateutil_cannot_read(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: When", "date: the 2022 spring"))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":3: date: 'the 2022 spring' is not a date"
    )


def test_impossible_calendar_date(site: Site, published: Snapshot) -> None:
    # YAML reads this as a timestamp and fails to build it; that used to be a traceback.
    site.raw("asia/bad.md", front("title: When", "date: 2022-02-30"))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":3: date: '2022-02-30' is not a date"
    )


def test_date_beyond_the_calendar(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: When", "date: 9999-12-31T23:00:00-05:00"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":3: date: '9999-12-31 23:00:00-05:00' is too far in the past or future",
    )


def test_date_with_impossible_offset(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: When", "date: '2022-03-01 10:00 +99:00'"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":3: date: '2022-03-01 10:00 +99:00' has a time zone offset of 24 hours or more",
    )


def test_list_where_text_belongs(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: [Two, titles]", "date: 2022-03-02"))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":2: title: expected text, got a list"
    )


def test_yes_no_where_text_belongs(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: No", "date: 2022-03-02"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":2: title: expected text, got false (YAML reads an unquoted yes, no, on or off "
        "as true or false: put it in quotes)",
    )


def test_number_in_a_list_of_text(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: Tags", "date: 2022-03-02", "tags:", "- labour", "- 1984"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":6: tags.1: expected text, got 1984 (put it in quotes to make it text)",
    )


def test_mapping_where_an_author_belongs(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: By", "date: 2022-03-02", "author: [Ana, [Bo]]"))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":4: author.1: expected a name or {name, email}, got a list"
    )


def test_unknown_key(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: Keys", "date: 2022-03-02", "catgories: [x]"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":4: catgories: unknown key (known keys: author, corrections, countries, date, draft, "
        "enclosure, expires, id, image, image_alt, image_caption, image_height, image_width, "
        "language, link, region, retracted, slug, summary, tags, title, translations, updated)",
    )


def test_unknown_country(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: Where", "date: 2022-03-02", "countries: [india, narnia]"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":4: countries.1: unknown country 'narnia' (known: france, india, sri-lanka)",
    )


def test_unknown_region(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: Where", "date: 2022-03-02", "region: oceania"))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":4: region: unknown region 'oceania' (known: asia, europe)"
    )


def test_image_outside_the_content_folder(site: Site, published: Snapshot) -> None:
    (site.root / "secret.png").write_bytes(b"not for publishing")
    site.raw("asia/bad.md", front("title: Pic", "date: 2022-03-02", "image: ../../secret.png"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":4: image: '../../secret.png' is not a file in the content folder (use an absolute URL, "
        "or a path starting with '/' for an image on the website)",
    )


@pytest.mark.parametrize(
    "image", ['https://example.org/a\\">b.png', "/img/a b{c}.png", "https://example.org/é.png"]
)
def test_image_url_with_characters_urls_cannot_hold(
    site: Site, published: Snapshot, image: str
) -> None:
    site.raw("asia/bad.md", front("title: Pic", "date: 2022-03-02", f'image: "{image}"'))
    shown = image.replace("\\", "")
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":4: image: expected an absolute http(s) URL or a /path with only the characters URLs "
        f"hold (percent-encode others), got {shown!r}",
    )


# --- across files ----------------------------------------------------------------------------


def test_duplicate_ids_across_files(site: Site, published: Snapshot) -> None:
    same = "id: tag:example.org,2022:one"
    site.raw("europe/copy.md", front("title: Copy", "date: 2022-03-02", same))
    site.raw("asia/original.md", front("title: Original", "date: 2022-03-03", same))
    assert refused(site, published) == error(
        site,
        "europe/copy.md",
        f": id: duplicate id 'tag:example.org,2022:one' (also in {path(site, 'asia/original.md')})",
    )


def test_duplicate_slugs_across_files(site: Site, published: Snapshot) -> None:
    site.raw("europe/good.md", front("title: Also good", "date: 2022-03-05"))
    assert refused(site, published) == error(
        site,
        "europe/good.md",
        f": slug: duplicate slug 'good' (also in {path(site, 'asia/good.md')})",
    )


def test_every_problem_of_every_file_at_once_sorted(site: Site, published: Snapshot) -> None:
    site.raw("europe/b.md", front("title: B", "date: someday", "region: mars"))
    site.raw("asia/z.md", front("title: [Z]", "date: 2022-03-02", "countries: [atlantis]"))
    site.raw("asia/a.md", "no front matter\n")
    site.raw("europe/a.md", b"---\ntitle: \xff\n---\n")
    assert refused(site, published) == (
        f"{path(site, 'asia/a.md')}:1: expected YAML front matter starting with a '---' line\n"
        f"{path(site, 'asia/z.md')}:2: title: expected text, got a list\n"
        f"{path(site, 'asia/z.md')}:4: countries.0: unknown country 'atlantis' "
        "(known: france, india, sri-lanka)\n"
        f"{path(site, 'europe/a.md')}:2: is not UTF-8 text (byte 0xff in column 8); "
        "save it as UTF-8\n"
        f"{path(site, 'europe/b.md')}:3: date: 'someday' is not a date "
        "(expected e.g. 2022-04-12 09:30)\n"
        f"{path(site, 'europe/b.md')}:4: region: unknown region 'mars' (known: asia, europe)\n"
        + summary(6)
    )


def test_every_field_problem_of_one_file_at_once(site: Site, published: Snapshot) -> None:
    """An empty tag used to hide every image problem (and a bad image_alt) until the next run."""
    site.raw(
        "asia/bad.md",
        front(
            "title: Both",
            "date: 2022-03-02",
            'tags: [labour, ""]',
            "image: missing.png",
            "image_alt: 42",
            "image_caption: [x]",
            "link: https://example.org/a b/",
            "language: english",
        ),
    )
    site.raw(
        "asia/url.md", front("title: U", "date: 1980-01-01", 'image: "https://a.example/a b.png"')
    )
    bad, url = path(site, "asia/bad.md"), path(site, "asia/url.md")
    assert refused(site, published) == (
        f"{bad}:4: tags.1: expected text, got ''\n"
        f"{bad}:5: image: 'missing.png' is not a file in the content folder (use an absolute "
        "URL, or a path starting with '/' for an image on the website)\n"
        f"{bad}:6: image_alt: expected text, got 42 (put it in quotes to make it text)\n"
        f"{bad}:7: image_caption: expected text, got a list\n"
        f"{bad}:8: link: expected an absolute http(s) URL, got 'https://example.org/a b/' "
        "(percent-encode the space as %20)\n"
        f"{bad}:9: language: expected a language tag like 'en' or 'si', got 'english'\n"
        f"{url}:3: date: '1980-01-01' is before 1990: feeds readers and validators take such "
        "dates for mistakes\n"
        f"{url}:4: image: expected an absolute http(s) URL, got 'https://a.example/a b.png' "
        "(percent-encode the space as %20)\n" + summary(8)
    )


@pytest.mark.parametrize(
    ("image", "why"),
    [
        ("https://example.org/a b.png", " (percent-encode the space as %20)"),
        (
            "https://example.org/a\\tb.png",
            " (it holds U+0009, which URLs cannot: percent-encode it)",
        ),
        ("https:/example.org/a.png", " (write two slashes after 'https:')"),
        ("http:///a.png", " (it has no host after '//')"),
        ("//cdn.example/a.png", " (it has no scheme: write it with https:)"),
        ("ftp://example.org/a.png", ""),
        ("file:///etc/a.png", ""),
    ],
)
def test_an_image_written_as_a_url_says_what_is_wrong_with_the_url(
    site: Site, published: Snapshot, image: str, why: str
) -> None:
    """Not 'is not a file in the content folder': it was never meant to be one."""
    site.raw("asia/bad.md", front("title: Pic", "date: 2022-03-02", f'image: "{image}"'))
    shown = image.replace("\\t", "\t")
    assert refused(site, published) == error(
        site, "asia/bad.md", f":4: image: expected an absolute http(s) URL, got {shown!r}{why}"
    )


def test_an_id_written_as_a_url_says_what_is_wrong_with_the_url(
    site: Site, published: Snapshot
) -> None:
    site.raw(
        "asia/bad.md", front("title: Id", "date: 2022-03-02", 'id: "https://old.example/?p=1 2"')
    )
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":4: id: expected an absolute URI like 'tag:example.org,2022:hartal' or 'urn:uuid:...', "
        "got 'https://old.example/?p=1 2' (percent-encode the space as %20)",
    )


# --- the content folder ----------------------------------------------------------------------


def test_symlink_to_a_file_outside_is_not_followed(
    site: Site, published: Snapshot, tmp_path: Path
) -> None:
    outside = tmp_path / "private.md"
    outside.write_text(front("title: Private", "date: 2022-03-02"), encoding="utf-8")
    os.symlink(outside, site.root / "content" / "asia" / "leak.md")
    result = cli_build(site)
    assert (result.exit_code, result.stderr) == (
        0,
        f"warning: {path(site, 'asia/leak.md')}: is a symlink to a place outside the content "
        "folder; not followed\n",
    )
    assert site.snapshot() == published


def test_symlink_to_a_folder_outside_is_not_followed(
    site: Site, published: Snapshot, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "private.md").write_text(front("title: Private", "date: 2022-03-02"), "utf-8")
    os.symlink(outside, site.root / "content" / "europe")
    result = cli_build(site)
    assert (result.exit_code, result.stderr) == (
        0,
        f"warning: {path(site, 'europe')}: is a symlink to a place outside the content "
        "folder; not followed\n",
    )
    assert site.snapshot() == published


def test_image_reached_through_a_symlinked_content_folder_stays_in_media(
    tmp_path: Path,
) -> None:
    # content/ is a symlink; '../../data/x.png' is inside it once resolved, but its path as
    # written is not, and used to become '_media/../../data/x.png' (refused at publishing).
    real = tmp_path / "data"
    real.mkdir()
    (real / "x.png").write_bytes(b"png")
    site = Site(tmp_path / "site")
    site.root.mkdir()
    site.write_config(BASE_CONFIG)
    os.symlink(real, site.root / "content")
    site.raw("a.md", front("title: Pic", "date: 2022-03-02", "image: ../../data/x.png"))
    result = cli_build(site)
    assert result.exit_code == 3
    assert result.stderr == error(
        site,
        "a.md",
        ":4: image: '../../data/x.png' is not a file in the content folder (use an absolute "
        "URL, or a path starting with '/' for an image on the website)",
    )
    site.raw("a.md", front("title: Pic", "date: 2022-03-02", "image: x.png"))
    assert cli_build(site).exit_code == 0
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.png")) == [
        "data/x.png",
        "site/public/_media/x.png",
    ]
