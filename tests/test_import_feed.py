"""feedpub import feed: an old feed's guids, links and dates come back unchanged from a build."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import CliRunner

from feedpub.cli import main
from feedpub.errors import FeedpubError, InputError
from feedpub.feedimport import import_feed, markdown_body, read_location
from feedpub.markup import render
from tests.conftest import ROOT, Site

DATA = ROOT / "tests/data/import"


@pytest.fixture
def empty_sample(tmp_path: Path) -> Site:
    s = Site(tmp_path / "site")
    (s.root / "content").mkdir(parents=True)
    shutil.copy(ROOT / "feeds.yaml", s.config)
    return s


def _when(value: Any) -> datetime | None:
    return None if value is None else datetime(*value[:6], tzinfo=UTC)


def old_entries(name: str) -> set[tuple[str, str, datetime | None, datetime | None]]:
    """(id, link, published, updated) of each entry as a reader of the old feed saw it."""
    data = (DATA / name).read_bytes()
    if name.endswith(".json"):
        return {
            (
                i["id"],
                i["url"],
                datetime.fromisoformat(i["date_published"]),
                datetime.fromisoformat(i.get("date_modified", i["date_published"])),
            )
            for i in json.loads(data)["items"]
        }
    return {
        (
            e.id,
            e.link,
            _when(e.get("published_parsed")),
            _when(dict.get(e, "updated_parsed") or e.get("published_parsed")),
        )
        for e in feedparser.parse(data).entries
    }


def new_entries(site: Site, path: str) -> set[tuple[str, str, datetime | None, datetime | None]]:
    feed = site.feed(path)
    if path.endswith(".json"):
        return {
            (
                i["id"],
                i["url"],
                datetime.fromisoformat(i["date_published"]),
                datetime.fromisoformat(i["date_modified"]),
            )
            for i in feed["items"]
        }
    return {
        (e.id, e.link, _when(e.get("published_parsed")), _when(dict.get(e, "updated_parsed")))
        for e in feed.entries
    }


@pytest.mark.parametrize("fixture", ["wordpress.xml", "blogger.xml", "jsonfeed.json"])
def test_round_trip_keeps_ids_links_and_dates(empty_sample: Site, fixture: str) -> None:
    report = import_feed(empty_sample.config, None, str(DATA / fixture))
    assert report.to_check == [] and len(report.written) == 2
    empty_sample.build()
    expected = old_entries(fixture)
    for document in ("rss.xml", "atom.xml", "feed.json"):
        got = new_entries(empty_sample, document)
        if document == "rss.xml":  # RSS has no updated date: compare published only
            got = {g[:3] for g in got}  # type: ignore[misc]
            assert got == {e[:3] for e in expected}, document
        else:
            assert got == expected, document


def test_an_old_wordpress_guid_stays_byte_identical(empty_sample: Site) -> None:
    import_feed(empty_sample.config, None, str(DATA / "wordpress.xml"))
    empty_sample.build()
    rss = (empty_sample.out / "rss.xml").read_bytes()
    assert b'<guid isPermaLink="false">https://old.example/?p=123</guid>' in rss
    atom = (empty_sample.out / "atom.xml").read_bytes()
    assert b"<id>https://old.example/?p=123</id>" in atom


def test_a_permalink_guid_stays_a_permalink(empty_sample: Site) -> None:
    import_feed(empty_sample.config, None, str(DATA / "missing_id_and_date.xml"))
    empty_sample.build()
    rss = (empty_sample.out / "rss.xml").read_bytes()
    assert b'<guid isPermaLink="true">https://gaps.example/c</guid>' in rss


def test_what_comes_along(empty_sample: Site) -> None:
    report = import_feed(empty_sample.config, None, str(DATA / "wordpress.xml"))
    text = report.written[0].read_text()
    assert (
        report.written[0] == empty_sample.root / "content/asia/sri-lanka/fuel-queues-day-three.md"
    )
    assert text.startswith(
        "---\n"
        'title: "Fuel queues in Colombo – day three"\n'
        'date: "2022-04-12T18:00:45+05:30"\n'
        "countries: [sri-lanka]\n"
    )
    assert 'image: "https://old.example/wp-content/uploads/2022/04/queue.jpg"\n' in text
    assert 'author: "Nimal Perera"\n' in text
    assert 'tags: ["Economy"]\n' in text
    blogger = import_feed(empty_sample.config, None, str(DATA / "blogger.xml")).written[0]
    assert "countries: [taiwan]\n" in blogger.read_text()  # the category "Taiwanese"


def test_html_is_kept_as_html_through_markdown() -> None:
    html = "<p>One *two*</p>\n\n<pre>line one\n\nline three</pre>\n"
    assert render(markdown_body(html), "https://x.example/", None).html == (
        "<p>One *two*</p>\n\n<pre>line one\n\nline three</pre>"
    )
    inline = "The wage rises by <b>5%</b>.<br /><br />*Not* enough."
    assert render(markdown_body(inline), "https://x.example/", None).html == (
        "<div>\nThe wage rises by <b>5%</b>.<br><br>*Not* enough.\n</div>"
    )


def test_running_it_again_updates_in_place(empty_sample: Site, tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes((DATA / "wordpress.xml").read_bytes())
    first = import_feed(empty_sample.config, None, str(feed))
    again = import_feed(empty_sample.config, None, str(feed))
    assert (again.written, again.updated, again.unchanged) == ([], [], first.written)
    feed.write_bytes(feed.read_bytes().replace(b"day three", b"day four"))
    edited = import_feed(empty_sample.config, None, str(feed))
    assert edited.updated == [first.written[0]] and edited.written == []
    assert "day four" in first.written[0].read_text()
    assert len(list((empty_sample.root / "content").rglob("*.md"))) == 2


def test_entries_without_id_or_date_are_reported(empty_sample: Site) -> None:
    result = CliRunner().invoke(
        main,
        [
            "import",
            "feed",
            str(DATA / "missing_id_and_date.xml"),
            "--config",
            str(empty_sample.config),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    where = DATA / "missing_id_and_date.xml"
    assert result.stderr == (
        f"warning: {where}: entry 1: has no guid or id ('No guid here'); not imported: an id "
        "made up now would not be the one subscribers have; add one to the old feed or write "
        "the file with feedpub new\n"
        f"warning: {where}: entry 2: has no date ('No date here'); not imported: readers would "
        "show it as new; add pubDate/published to the old feed\n"
    )
    assert result.stdout == (
        f"wrote     {(empty_sample.root / 'content/c.md').as_posix()}\n"
        "1 written, 0 updated, 0 already there; 2 things to check (on stderr)\n"
    )


def test_country_option(empty_sample: Site) -> None:
    report = import_feed(empty_sample.config, None, str(DATA / "jsonfeed.json"), ("kazakh",))
    assert all("countries: [kazakhstan]\n" in p.read_text() for p in report.written)
    result = CliRunner().invoke(
        main,
        ["import", "feed", "x.xml", "--country", "mars", "--config", str(empty_sample.config)],
        prog_name="feedpub",
        catch_exceptions=False,
    )
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: --country: unknown country 'mars' (known: china, india, kazakhstan, myanmar, "
        "philippines, sri-lanka, taiwan, vietnam)\n"
    )


def test_not_a_feed(empty_sample: Site, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body>hello</body></html>")
    result = CliRunner().invoke(
        main,
        ["import", "feed", str(page), "--config", str(empty_sample.config)],
        catch_exceptions=False,
    )
    assert result.exit_code == 3
    assert result.output == (
        f"{page}: is not an RSS, Atom or JSON feed, or has no entries\n"
        "feedpub: 1 problem found; nothing was written\n"
    )


@pytest.fixture
def server() -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(DATA))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_a_url_is_fetched(empty_sample: Site, server: str) -> None:
    report = import_feed(empty_sample.config, None, server + "blogger.xml")
    assert len(report.written) == 2


def test_a_url_over_the_size_limit_is_refused(server: str) -> None:
    with pytest.raises(InputError) as caught:
        read_location(server + "wordpress.xml", limit=100)
    assert str(caught.value) == f"{server}wordpress.xml: is over 100 bytes; not imported"


def test_a_missing_url_and_a_silent_server(server: str) -> None:
    with pytest.raises(FeedpubError) as caught:
        read_location(server + "nothing.xml")
    assert str(caught.value) == f"{server}nothing.xml: cannot fetch: File not found"
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/feed.xml"
    try:
        with pytest.raises(FeedpubError) as caught:
            read_location(url, timeout=0.2)
    finally:
        silent.close()
    assert str(caught.value).startswith(f"{url}: cannot fetch: ")
    assert caught.value.exit_code == 5
