"""``feedpub serve``: the preview server on port 0 in a thread, and ``--watch`` rebuilds."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email.utils import formatdate

import feedparser
import pytest
from click.testing import CliRunner
from support.sites import ROOT, Site

from feedpub.cli import main
from feedpub.commands.serve import (
    PreviewServer,
    ServeOptions,
    make_server,
    preview_build,
    watch,
)
from feedpub.errors import FeedpubError
from feedpub.pipeline.build import BuildOptions, BuildReport, build


@pytest.fixture
def server(site: Site) -> Iterator[PreviewServer]:
    site.article("india/a", title="A", date="2022-03-01", countries=["india"])
    options = ServeOptions(BuildOptions(site.config), port=0)
    running = make_server(options)
    build(preview_build(options, running.url))
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()
    thread.join()


def get(
    server: PreviewServer, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """One request with ``path`` sent exactly as given (no client-side normalising)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/asia/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/asia/india/feed.json", "application/feed+json; charset=utf-8"),
        ("/feeds.opml", "text/x-opml; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
        ("/europe/france/", "text/html; charset=utf-8"),
    ],
)
def test_each_format_has_its_media_type(
    site: Site, server: PreviewServer, path: str, media_type: str
) -> None:
    status, headers, body = get(server, path)
    assert (status, headers["Content-Type"]) == (200, media_type)
    file = server.root / path.lstrip("/")
    assert body == (file / "index.html" if file.is_dir() else file).read_bytes()
    assert int(headers["Content-Length"]) == len(body)


def test_css_and_images_have_theirs(site: Site, server: PreviewServer) -> None:
    (server.root / "extra.css").write_text("body{}")
    assert get(server, "/extra.css")[1]["Content-Type"] == "text/css; charset=utf-8"
    (server.root / "logo.png").write_bytes(b"\x89PNG")
    assert get(server, "/logo.png")[1]["Content-Type"] == "image/png"


def test_conditional_gets_are_answered_304(site: Site, server: PreviewServer) -> None:
    status, headers, _ = get(server, "/asia/rss.xml")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200
    status, again, body = get(server, "/asia/rss.xml", {"If-None-Match": etag})
    assert (status, body, again["ETag"]) == (304, b"", etag)
    assert get(server, "/asia/rss.xml", {"If-Modified-Since": modified})[0] == 304
    assert get(server, "/asia/rss.xml", {"If-None-Match": '"other"'})[0] == 200
    earlier = formatdate((server.root / "asia/rss.xml").stat().st_mtime - 60, usegmt=True)
    assert get(server, "/asia/rss.xml", {"If-Modified-Since": earlier})[0] == 200
    # If-None-Match decides when both are sent.
    both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert get(server, "/asia/rss.xml", both)[0] == 200


def test_head_has_the_headers_and_no_body(server: PreviewServer) -> None:
    status, headers, body = get(server, "/rss.xml", method="HEAD")
    assert (status, body) == (200, b"")
    assert int(headers["Content-Length"]) > 0 and headers["ETag"]


def test_a_folder_without_its_slash_is_redirected(server: PreviewServer) -> None:
    status, headers, _ = get(server, "/asia/india")
    assert (status, headers["Location"]) == (301, "/asia/india/")
    status, headers, _ = get(server, "/asia/india?utm=x")
    assert (status, headers["Location"]) == (301, "/asia/india/?utm=x")


def test_if_none_match_uses_the_weak_comparison(server: PreviewServer) -> None:
    etag = get(server, "/rss.xml")[1]["ETag"]
    for header in (f"W/{etag}", f'"other", W/{etag}', f'W/"other",{etag}', "*"):
        assert get(server, "/rss.xml", {"If-None-Match": header})[0] == 304, header
    assert get(server, "/rss.xml", {"If-None-Match": 'W/"other"'})[0] == 200


@pytest.mark.parametrize(
    "path",
    [
        "/../feeds.yaml",
        "/%2e%2e/feeds.yaml",
        "/%2E%2E%2Ffeeds.yaml",
        "/asia/../../feeds.yaml",
        "/asia/%2e%2e/%2e%2e/feeds.yaml",
        "/..%5cfeeds.yaml",
        "/%00",
        "/.feedpub/index",
        "/../.feedpub/lock",
        "/outside",
        "/outside/feeds.yaml",
        "/secret.yaml",
        "/_media/",
        "/missing.xml",
    ],
)
def test_nothing_outside_the_output_folder_and_no_listings(
    site: Site, server: PreviewServer, path: str
) -> None:
    (server.root / "outside").symlink_to(site.root)
    (server.root / "secret.yaml").symlink_to(site.config)
    (server.root / "_media").mkdir(exist_ok=True)
    status, _, body = get(server, path)
    assert status == 404
    assert b"Test Desk" not in body and b"id_authority" not in body


def test_a_symlink_inside_the_output_folder_is_served(site: Site, server: PreviewServer) -> None:
    (server.root / "latest.xml").symlink_to(server.root / "rss.xml")
    status, _, body = get(server, "/latest.xml")
    assert (status, body) == (200, (server.root / "rss.xml").read_bytes())


def wait_for(condition: object, what: str) -> None:
    """Poll ``condition`` until it holds (a generous deadline, not a speed assertion)."""
    deadline = time.monotonic() + 30
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_watch_rebuilds_reports_errors_and_keeps_the_last_good_feeds(site: Site) -> None:
    site.article("india/a", title="A", date="2022-03-01", countries=["india"])
    outcomes: list[BuildReport | FeedpubError] = []
    stop = threading.Event()
    options = ServeOptions(BuildOptions(site.config), port=0, watch=True)
    preview = preview_build(options, "http://127.0.0.1:8123/")
    args = (preview, 0.02, outcomes.append, stop)
    thread = threading.Thread(target=watch, args=args, daemon=True)
    thread.start()
    try:
        feed = options.folder() / "asia/india/rss.xml"
        wait_for(feed.exists, "the first build")
        wait_for(lambda: len(outcomes) == 1, "the first report")
        assert isinstance(outcomes[0], BuildReport)

        site.article("india/b", title="Second", date="2022-03-02", countries=["india"])
        wait_for(lambda: b"Second" in feed.read_bytes(), "a rebuild after a new article")

        good = feed.read_bytes()
        broken = site.article("india/c", title="Third", date="next tuesday", countries=["india"])
        wait_for(lambda: any(isinstance(o, FeedpubError) for o in outcomes), "the error")
        error = next(o for o in outcomes if isinstance(o, FeedpubError))
        assert "next tuesday" in str(error)
        count = len(outcomes)
        time.sleep(0.2)  # more polls: the same error is not reported again
        assert len(outcomes) == count
        assert feed.read_bytes() == good  # the last good feed stays published

        broken.write_text(broken.read_text().replace("next tuesday", "2022-03-03"))
        os.utime(broken)
        wait_for(lambda: isinstance(outcomes[-1], BuildReport), "a build once it is fixed")
        assert b"Third" in feed.read_bytes()
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert not site.out.exists()  # the site's own output folder is never the preview's


def fetch(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_command_serves_and_watches_until_interrupted(site: Site) -> None:
    site.article("india/a", title="A", date="2022-03-01", countries=["india"])
    command = [sys.executable, "-m", "feedpub", "serve", "--config", str(site.config)]
    process = subprocess.Popen(
        [*command, "--port", "0", "--watch"], stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    preview = site.root / ".feedpub/preview"
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        match = re.fullmatch(
            r"Serving (\S+) at http://127\.0\.0\.1:(\d+)/ \(Ctrl-C stops\)\n", first
        )
        assert match and match[1] == str(preview.resolve()), first
        assert process.stderr.readline() == "rebuilt: 27 files written\n"
        status, body = fetch(int(match[2]), "/asia/india/rss.xml")
        assert (status, body) == (200, (preview / "asia/india/rss.xml").read_bytes())
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
        process.wait()
    assert not site.out.exists()


def test_a_preview_can_be_subscribed_to(site: Site) -> None:
    """Pages, autodiscovery, self links, images and the OPML name the preview's address,
    not site.feeds_url: a reader pointed at the preview subscribes to the preview."""
    site.article("india/a", title="A", date="2022-03-01", countries=["india"])
    site.build()  # the real site, published: the preview leaves it alone
    published = site.snapshot()
    command = [sys.executable, "-m", "feedpub", "serve", "--config", str(site.config)]
    process = subprocess.Popen([*command, "--port", "0"], stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        match = re.search(r"at (http://127\.0\.0\.1:(\d+)/) ", process.stderr.readline())
        assert match
        base, port = match[1], int(match[2])
        status, page = fetch(port, "/asia/india/")
        assert status == 200
        assert f'href="{base}asia/india/rss.xml"'.encode() in page  # autodiscovery too
        assert b"https://example.org/feeds/" not in page
        opml = fetch(port, "/feeds.opml")[1]
        assert f'xmlUrl="{base}asia/india/rss.xml"'.encode() in opml
        assert b"example.org/feeds/" not in opml
        parsed = feedparser.parse(fetch(port, "/asia/india/atom.xml")[1])
        links = {link.rel: link.href for link in parsed.feed.links}
        assert links == {"self": base + "asia/india/atom.xml", "alternate": base + "asia/india/"}
        assert parsed.entries[0].link == "https://example.org/a/"  # articles stay on the site
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    assert site.snapshot() == published


def test_a_preview_is_never_built_into_the_sites_output_folder(site: Site) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--config", str(site.config), "--port", "0", "--out", str(site.out)]
    )
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"Error: --out: {site.out} is the site's output folder; the preview is built with "
        "its own address, into a folder of its own (leave --out out)\n"
    )


def test_the_base_url_option(site: Site) -> None:
    site.article("india/a", title="A", date="2022-03-01", countries=["india"])
    options = ServeOptions(BuildOptions(site.config), base_url="http://192.0.2.5:8000")
    preview = preview_build(options, "http://0.0.0.0:8000/")
    assert preview.feeds_url == "http://192.0.2.5:8000/"
    build(preview)
    rss = (site.root / ".feedpub/preview/rss.xml").read_bytes()
    assert b'href="http://192.0.2.5:8000/rss.xml" rel="self"' in rss
    result = CliRunner().invoke(
        main, ["serve", "--config", str(site.config), "--port", "0", "--base-url", "ftp://x/"]
    )
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: --base-url: expected an absolute http(s) URL with no query or fragment, "
        "got 'ftp://x/'\n"
    )


def test_the_help_says_what_the_preview_is() -> None:
    text = " ".join(CliRunner().invoke(main, ["serve", "--help"]).output.split())
    assert (
        "The preview is a build of its own, into .feedpub/preview/ (never public/), with the "
        "preview's address (--base-url, or http://HOST:PORT/) in place of site.feeds_url"
    ) in text


def test_a_port_in_use_is_a_clear_error(site: Site, server: PreviewServer) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--config", str(site.config), "--port", str(server.server_port)]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot listen on 127.0.0.1:{server.server_port}: ")


def test_errors_in_the_first_build_are_reported_and_nothing_is_served(site: Site) -> None:
    site.article("india/bad", title="Bad", date="next tuesday", countries=["india"])
    result = CliRunner().invoke(main, ["serve", "--config", str(site.config), "--port", "0"])
    bad = (site.root / "content/india/bad.md").as_posix()
    assert (result.exit_code, result.stderr) == (
        3,
        f"{bad}:3: date: 'next tuesday' is not a date (expected e.g. 2022-04-12 09:30)\n"
        "feedpub: 1 problem found; nothing to serve\n",
    )
