"""Re-running ``feedpub import feed`` after the migration (issue 23, item 1): with the old
feed's address redirected to this site's own feed, as the README says to do, the import
stops with a clear message and writes nothing; and a re-run never rewrites a migrated file
with less than it had."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.sites import ROOT, Site

from feedpub.cli import main

DATA = ROOT / "tests/data/import"


@pytest.fixture
def migrated(sample: Site) -> Site:
    """The sample (native articles) with the Blogger feed imported, built once."""
    assert import_(sample, str(DATA / "blogger.xml"))[0] == 0
    sample.build()
    return sample


def import_(site: Site, location: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["import", "feed", location, "--config", str(site.config)])
    return result.exit_code, result.stdout, result.stderr


def contents(site: Site) -> dict[str, bytes]:
    return {p.as_posix(): p.read_bytes() for p in sorted((site.root / "content").rglob("*.md"))}


@pytest.fixture
def redirecting(migrated: Site) -> Iterator[str]:
    """A server whose /old/feed.xml answers 301 to the site's own atom.xml (the README's
    redirect); the old feed's address."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name
            if self.path == "/old/feed.xml":
                self.send_response(301)
                self.send_header("Location", "/atom.xml")
                self.end_headers()
                return
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Handler, directory=str(migrated.out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/old/feed.xml"
    finally:
        server.shutdown()


def test_a_rerun_through_the_301_stops_and_writes_nothing(migrated: Site, redirecting: str) -> None:
    before = contents(migrated)
    code, out, err = import_(migrated, redirecting)
    assert code == 3
    assert err.splitlines()[0] == (
        f"{redirecting}: is this site's own feed (its self link "
        "https://example.org/feeds/atom.xml is under site.feeds_url; the old address redirects "
        "here?): the migration is done, and importing it again would write this site's articles "
        "a second time; nothing was written (import from a saved copy of the old feed if an "
        "entry is missing)"
    )
    assert contents(migrated) == before
    migrated.build()  # and the site still builds


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml", "feed.json", "asia/india/rss.xml"])
def test_a_copy_of_the_sites_own_feed_is_refused_too(migrated: Site, name: str) -> None:
    before = contents(migrated)
    code, _, err = import_(migrated, str(migrated.out / name))
    assert code == 3 and "is this site's own feed (its self link" in err
    assert contents(migrated) == before


def test_a_feed_of_ids_this_site_makes_is_refused(migrated: Site, tmp_path: Path) -> None:
    # the site's feed saved without its self link: its native entries give it away
    data = (migrated.out / "rss.xml").read_text(encoding="utf-8")
    copy = tmp_path / "copy.xml"
    copy.write_text(re.sub(r'\s*<atom:link [^>]*rel="self"[^>]*/>', "", data), encoding="utf-8")
    code, _, err = import_(migrated, str(copy))
    assert code == 3
    assert re.search(
        r"is this site's own feed \(entry id tag:example\.org,2022:\S+ is one this site makes "
        r"itself\)",
        err,
    ), err


def test_a_rerun_never_rewrites_a_file_with_less_than_it_had(
    migrated: Site, tmp_path: Path
) -> None:
    # The old feed again, its first entry now without its updated date and thumbnail.
    data = (DATA / "blogger.xml").read_text(encoding="utf-8")
    data = data.replace(
        "<updated>2022-03-02T09:14:20.155+08:00</updated><category scheme", "<category scheme", 1
    )
    data = re.sub(r"<media:thumbnail [^>]*/>", "", data)
    poorer = tmp_path / "blogger.xml"
    poorer.write_text(data, encoding="utf-8")
    before = contents(migrated)
    code, out, err = import_(migrated, str(poorer))
    assert code == 0
    assert contents(migrated) == before
    path = migrated.root / "content/asia/taiwan/new-youth-goes-to-print.md"
    assert (
        f"{path.as_posix()}: would lose updated that it has (the feed now says less); "
        f"not updated from {poorer} entry 1"
    ) in err
