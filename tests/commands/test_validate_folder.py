"""``feedpub validate FOLDER``: every file in it is untrusted, as on the command line (issue 9:
a FIFO hung, a link to /dev/zero read forever, and three inputs gave tracebacks)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).parents[1] / "validator" / "corpus"
RSS = (CORPUS / "rss_valid_minimal.xml").read_bytes()


def validate(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in a subprocess, so that a hang fails the test instead of stalling it."""
    return subprocess.run(
        [sys.executable, "-m", "feedpub", "validate", *args],
        capture_output=True,
        text=True,
        timeout=60,
        errors="backslashreplace",
    )


def checked(folder: Path) -> str:
    result = validate(str(folder))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stdout


def test_a_fifo_named_like_a_feed(tmp_path: Path) -> None:
    (tmp_path / "asia").mkdir()
    os.mkfifo(tmp_path / "asia" / "rss.xml")
    (tmp_path / "rss.xml").write_bytes(RSS)
    assert checked(tmp_path) == (
        f"{tmp_path}/asia/rss.xml: error IOError: {tmp_path}/asia/rss.xml is not a regular file\n"
    )


def test_a_link_to_dev_zero(tmp_path: Path) -> None:
    (tmp_path / "feed.json").symlink_to("/dev/zero")
    assert checked(tmp_path) == (
        f"{tmp_path}/feed.json: error IOError: {tmp_path}/feed.json is not a regular file\n"
    )


def test_a_file_that_grows_past_the_limit_is_not_read_whole(tmp_path: Path) -> None:
    from feedpub.validator.document import MAX_DOCUMENT_BYTES
    from feedpub.validator.files import read_feed_file

    big = tmp_path / "rss.xml"
    with open(big, "wb") as handle:
        handle.truncate(MAX_DOCUMENT_BYTES + 1)
    found = read_feed_file(big)
    assert not isinstance(found, bytes)
    assert found.code == "ValidatorLimit"


def test_deeply_nested_json(tmp_path: Path) -> None:
    (tmp_path / "feed.json").write_text('{"items": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert "error" in checked(tmp_path)


def json_feed(link: str, item_id: str) -> str:
    return (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "\\ud800", "items": '
        f'[{{"id": "{item_id}", "url": "{link}", "title": "\\udfff", "content_text": "x", '
        '"date_published": "2022-01-01T00:00:00Z"}]}'
    )


def test_lone_surrogates_in_json_strings(tmp_path: Path) -> None:
    for folder, item_id in (("a", "urn:x:\\ud800"), ("b", "urn:x:2")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "feed.json").write_text(
            json_feed("https://example.org/\\udfff", item_id)
        )
    result = validate(str(tmp_path))
    assert "Traceback" not in result.stderr, result.stderr
    assert "IdDiffers" in result.stdout
    assert "\\udfff" in result.stdout
    result = validate("--format", "json", str(tmp_path))
    assert "Traceback" not in result.stderr, result.stderr
    assert "IdDiffers" in result.stdout


def test_naive_dates_beside_aware_ones(tmp_path: Path) -> None:
    item = (
        b"<item><title>{n}</title><link>https://example.org/{n}</link>"
        b"<guid>https://example.org/{n}</guid><pubDate>{d}</pubDate></item>"
    )
    items = item.replace(b"{n}", b"a").replace(b"{d}", b"Mon, 02 Jan 2006 15:04:05 -0000")
    items += item.replace(b"{n}", b"b").replace(b"{d}", b"Tue, 03 Jan 2006 15:04:05 +0000")
    (tmp_path / "rss.xml").write_bytes(RSS.replace(b"</channel>", items + b"</channel>"))
    assert "NotNewestFirst" in checked(tmp_path)


def test_json_values_of_the_wrong_type(tmp_path: Path) -> None:
    (tmp_path / "feed.json").write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": '
        '[{"id": 1, "url": 5, "image": [], "content_html": {}, "date_published": 7}]}'
    )
    assert "error" in checked(tmp_path)


def test_hostile_pages_cost_time_in_proportion_to_their_size(tmp_path: Path) -> None:
    """The stdlib's html.parser is quadratic on '<a <a <a ...' (hours for these 3 MB): the
    page checks read every page in one pass, and say at most 50 messages of a kind."""
    for name, data in {
        "a": b"<a " * 1_000_000,
        "b": b"<!DOCTYPE html><html lang=en><title>x</title>" + b"<div>" * 200_000,
        "c": b"<!DOCTYPE html><html lang=en><title>x</title>" + b"</p>" * 200_000,
    }.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_bytes(data)
    out = checked(tmp_path)
    assert out.splitlines()[0] == (
        f"{tmp_path}/a/index.html:1:1: error MissingLanguage: the page has no <html> element "
        "to carry its lang"
    )
    unclosed = [line for line in out.splitlines() if "/b/index.html" in line]
    assert len(unclosed) == 51
    assert unclosed[-1].endswith("error UnclosedElement: more than 50 of these; not listed")
    stray = [line for line in out.splitlines() if "/c/index.html" in line]
    assert stray[0] == f"{tmp_path}/c/index.html:1:46: error StrayEndTag: </p> closes no open <p>"
    assert len(stray) == 51
