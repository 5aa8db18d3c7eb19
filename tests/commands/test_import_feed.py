"""feedpub import feed: an old feed's guids, links and dates come back unchanged from a build."""

from __future__ import annotations

import functools
import http.server
import json
import re
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
from support.sites import ROOT, Site

from feedpub.cli import main
from feedpub.commands.import_feed import import_feed
from feedpub.commands.old_feed import markdown_body, read_location
from feedpub.errors import FeedpubError, InputError
from feedpub.writers.markup import render

DATA = ROOT / "tests/data/import"
NO_PLACE = (
    "names no country or region (by a category); written at the top of the content folder, it "
    "is in the combined feed only: add countries: to it, or import with --country"
)


def placed(stderr: str) -> str:
    """``stderr`` without the warnings about entries that name no country (their own test)."""
    return "".join(line for line in stderr.splitlines(keepends=True) if NO_PLACE not in line)


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
    assert [(p.field, p.message) for p in report.to_check] == [("entry 2", NO_PLACE)]
    assert len(report.written) == 2
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
    assert placed(result.stderr) == (
        f"warning: {where}: entry 1: has no guid or id ('No guid here'); not imported: an id "
        "made up now would not be the one subscribers have; add one to the old feed or write "
        "the file with feedpub new\n"
        f"warning: {where}: entry 2: has no date ('No date here'); not imported: readers would "
        "show it as new; add pubDate/published to the old feed\n"
    )
    assert result.stdout == (
        f"wrote     {(empty_sample.root / 'content/c.md').as_posix()}\n"
        "1 written, 0 updated, 0 already there; 3 things to check (on stderr)\n"
    )  # and c.md names no country


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


# --- what a re-run, an enclosure, a relative link, a date or a missing link do (real shapes) --


def cli_import(site: Site, location: str, *args: str) -> Any:
    result = CliRunner().invoke(
        main,
        ["import", "feed", location, *args, "--config", str(site.config)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result


def test_a_file_edited_by_hand_is_not_overwritten(empty_sample: Site, tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes((DATA / "wordpress.xml").read_bytes())
    queues, hartal = import_feed(empty_sample.config, None, str(feed)).written
    text = queues.read_text()
    front = text[: text.index("\n---\n")]
    assert re.fullmatch(
        r"# written by feedpub import feed; edit it and a re-run leaves it alone; digest "
        r"[0-9a-f]{32}",
        front.splitlines()[-1],
    )
    queues.write_text(text.replace("Fuel queues in Colombo", "Fuel queues in Colombo, day 3"))
    edited = queues.read_bytes()
    feed.write_bytes(feed.read_bytes().replace(b"</p>", b" (updated)</p>"))
    result = cli_import(empty_sample, str(feed))
    assert result.stderr == (
        f"warning: {queues.as_posix()}: was edited since feedpub imported it; not updated "
        f"from {feed} entry 1 (delete the file and import again to take the feed's version)\n"
    )
    assert result.stdout == (
        f"updated   {hartal.as_posix()}\n"
        "0 written, 1 updated, 0 already there; 1 thing to check (on stderr)\n"
    )
    assert queues.read_bytes() == edited and "(updated)" in hartal.read_text()
    # A file with the entry's id but no digest line (written by hand) is left alone too.
    lines = hartal.read_text().splitlines(keepends=True)
    hartal.write_text("".join(line for line in lines if not line.startswith("# written by")))
    feed.write_bytes(feed.read_bytes().replace(b"(updated)", b"(updated twice)"))
    result = cli_import(empty_sample, str(feed))
    assert result.stderr.splitlines()[1] == (
        f"warning: {hartal.as_posix()}: has this entry's id but no digest line of feedpub "
        f"import (written by hand?); not updated from {feed} entry 2 (delete the file and "
        "import again to take the feed's version)"
    )
    queues.unlink()
    again = import_feed(empty_sample.config, None, str(feed))
    assert again.written == [queues] and "(updated twice)" in queues.read_text()
    empty_sample.build()  # the digest line is a YAML comment: the build reads the files
    titles = {e.title for e in empty_sample.feed("rss.xml").entries}
    assert titles == {"Fuel queues in Colombo – day three", "Why the hartal matters"}


def test_a_podcast_keeps_its_episodes_and_reports_what_it_cannot_carry(
    empty_sample: Site,
) -> None:
    location = str(DATA / "podcast.xml")
    result = cli_import(empty_sample, location, "--country", "sri-lanka")
    assert result.stderr == (
        f"warning: {location}: entry 2: enclosure "
        "'https://dispatch.example/wp-content/uploads/2022/04/transcript.pdf' (application/pdf) "
        "is not kept: an article carries no attachment but an image and an audio or video "
        "file\n"
        f"warning: {location}: entry 2: enclosure "
        "'https://dispatch.example/wp-content/uploads/2022/04/street.jpg' (image) is not kept: "
        "only one image is kept\n"
    )
    empty_sample.build()
    entries = {e.title: e for e in empty_sample.feed("asia/sri-lanka/rss.xml").entries}
    episode = entries["Episode 12: The fuel queues"]
    assert episode.enclosures == [
        {
            "href": "https://media.dispatch.example/ep12.mp3",
            "length": "38432115",
            "type": "audio/mpeg",
        }
    ]
    assert episode.itunes_duration == "0:40:02"
    curfew = entries["Episode 11: Curfew, with pictures"]
    # the video is the item's one enclosure; the picture stays as its image
    assert [x.href for x in curfew.enclosures] == ["https://media.dispatch.example/ep11.mp4"]
    assert curfew.media_content[0]["url"] == (
        "https://dispatch.example/wp-content/uploads/2022/04/curfew.jpg"
    )


def test_relative_links_are_resolved_as_feedparser_resolves_them(
    empty_sample: Site, server: str
) -> None:
    result = cli_import(empty_sample, str(DATA / "relative_links.xml"), "--country", "vietnam")
    assert result.stderr == ""
    empty_sample.build()
    entries = {e.id: e for e in empty_sample.feed("asia/vietnam/rss.xml").entries}
    first, second = entries["https://hanoi.example/?p=41"], entries["https://hanoi.example/?p=40"]
    # No xml:base and read from a file: the channel's <link> is the base.
    assert first.link == "https://hanoi.example/notes/2022/03/garment-strike-ends/"
    assert [x.href for x in first.enclosures] == ["https://hanoi.example/notes/images/strike.png"]
    assert 'href="https://hanoi.example/notes/2022/02/strike-begins/"' in first.content[0].value
    assert second.link == "https://hanoi.example/archive/strike-begins.html"  # its xml:base
    # Fetched: the feed's own address is the base (xml:base still comes first).
    for path in (empty_sample.root / "content").rglob("*.md"):
        path.unlink()
    cli_import(empty_sample, server + "relative_links.xml", "--country", "vietnam")
    empty_sample.build()
    links = {e.link for e in empty_sample.feed("asia/vietnam/rss.xml").entries}
    assert links == {
        server + "2022/03/garment-strike-ends/",
        "https://hanoi.example/archive/strike-begins.html",
    }
    # Fetched from a staging host with --base-url: the public address is the base instead.
    for path in (empty_sample.root / "content").rglob("*.md"):
        path.unlink()
    public = "https://hanoi.example/notes/"
    result = cli_import(
        empty_sample, server + "relative_links.xml", "--country", "vietnam", "--base-url", public
    )
    assert result.exit_code == 0
    empty_sample.build()
    links = {e.link for e in empty_sample.feed("asia/vietnam/rss.xml").entries}
    assert links == {
        public + "2022/03/garment-strike-ends/",
        "https://hanoi.example/archive/strike-begins.html",
    }
    text = "".join(p.read_text() for p in (empty_sample.root / "content").rglob("*.md"))
    assert "127.0.0.1" not in text


def test_a_base_url_must_be_absolute(empty_sample: Site) -> None:
    command = ["import", "feed", str(DATA / "blogger.xml"), "--base-url", "notes/"]
    result = CliRunner().invoke(main, [*command, "--config", str(empty_sample.config)])
    assert result.exit_code == 2
    assert "Invalid value for --base-url: expected an absolute http(s) URL, got 'notes/'" in (
        result.stderr
    )


def test_a_json_date_without_a_utc_offset_says_so(empty_sample: Site) -> None:
    location = str(DATA / "naive_dates.json")
    result = cli_import(empty_sample, location, "--country", "kazakhstan")
    assert result.stderr == (
        f"warning: {location}: entry 1: date_published '2022-01-04T09:30:00' has no UTC offset "
        "(JSON Feed dates are RFC 3339); read in site.timezone, Asia/Colombo: check it\n"
        f"warning: {location}: entry 2: date_modified 'yesterday' is not an RFC 3339 date; "
        "left out\n"
        f"warning: {location}: entry 3: date_published 'January 5, 2022' is not an RFC 3339 "
        "date ('Internet cut'); not imported: a date made up now would show it as new; fix it "
        "in the old feed (e.g. 2022-04-12T18:00:00+05:30)\n"
    )
    strikes = empty_sample.root / "content/asia/kazakhstan/strikes-spread.md"
    assert 'date: "2022-01-04T09:30:00+05:30"\n' in strikes.read_text()
    empty_sample.build()
    items = {i["id"]: i for i in empty_sample.feed("asia/kazakhstan/feed.json")["items"]}
    assert items["https://almaty.example/posts/strikes-spread"]["date_published"] == (
        "2022-01-04T09:30:00+05:30"
    )
    # A relative url is resolved against the feed's own feed_url.
    assert items["https://almaty.example/posts/curfew"]["url"] == (
        "https://almaty.example/posts/curfew"
    )


def test_an_atom_entry_without_a_link_says_its_link_will_be_the_new_sites(
    empty_sample: Site,
) -> None:
    location = str(DATA / "atom_no_link.xml")
    result = cli_import(empty_sample, location, "--country", "philippines")
    note = "has no link; the article's link will be the new site's (site.url and site.link_pattern)"
    assert result.stderr == (
        f"warning: {location}: entry 1: {note}\nwarning: {location}: entry 2: {note}\n"
    )
    folder = empty_sample.root / "content/asia/philippines"
    assert "link:" not in (folder / "election-day-notes.md").read_text()  # not its tag: id
    assert "link:" not in (folder / "counting-begins.md").read_text()  # not its https: id
    empty_sample.build()
    links = {e.id: e.link for e in empty_sample.feed("asia/philippines/atom.xml").entries}
    assert links == {
        "tag:manila.example,2022:election-day": "https://example.org/2022/05/election-day-notes/",
        "https://manila.example/ids/counting": "https://example.org/2022/05/counting-begins/",
        "tag:manila.example,2022:results": "https://manila.example/2022/05/results/",
    }
