"""A deploy that meets trouble: tries again with bounded exponential backoff, names the
object that failed, exits 6 after changing the target (5 before), never sends a later kind
while an earlier one is missing, and a rerun finishes the job; killed half way, the same.
A proxy on 127.0.0.1 between boto3 and moto's server makes the trouble; WebSub pings go to
a hub on 127.0.0.1."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from support import deploying
from support.deploying import deploy
from support.s3server import MotoServer, Proxy, client
from support.sites import BASE_CONFIG, Site

import feedpub.deploy.retry


def write_site(site: Site, **deploy: Any) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    if deploy:
        config["deploy"] = deploy
    deploying.write_site(site, config)


@pytest.fixture
def proxy(moto: MotoServer) -> Iterator[Proxy]:
    found = Proxy(moto.url).start()
    yield found
    found.stop()


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The backoff's pauses, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(feedpub.deploy.retry, "sleep", slept.append)
    return slept


def puts(proxy: Proxy, key: str) -> int:
    return sum(1 for method, path, _ in proxy.seen if method == "PUT" and path.endswith(key))


def test_a_failing_upload_is_tried_again_after_growing_pauses(
    site: Site, bucket: str, proxy: Proxy, pauses: list[float]
) -> None:
    write_site(site)
    site.build()
    failures = iter(range(2))
    proxy.rule = lambda method, path: (
        "fail"
        if method == "PUT"
        and path == f"/{bucket}/feeds/rss.xml"
        and next(failures, None) is not None
        else "pass"
    )
    result = deploy(site, f"s3://{bucket}/feeds", "--endpoint-url", proxy.url)
    assert (result.exit_code, result.stderr) == (0, "")
    assert puts(proxy, "/feeds/rss.xml") == 3
    assert pauses == [0.5, 1.0]


def test_the_tries_are_bounded_and_a_partial_deploy_exits_6_then_a_rerun_finishes(
    site: Site, moto: MotoServer, bucket: str, proxy: Proxy, pauses: list[float]
) -> None:
    write_site(site)
    site.build()
    broken = f"/{bucket}/feeds/asia/india/rss.xml"
    proxy.rule = lambda method, path: "fail" if method == "PUT" and path == broken else "pass"
    result = deploy(site, f"s3://{bucket}/feeds", "--endpoint-url", proxy.url)
    total = len(site.snapshot())
    assert result.exit_code == 6
    assert result.stderr == (
        f"feedpub: error: s3://{bucket}/feeds/asia/india/rss.xml: upload failed "
        f"(HTTP 503 SlowDown, after 5 tries)\n"
        # not uploaded: the failing feed, then the three OPMLs and the index that come after
        f"s3://{bucket}/feeds/: stopped part way: {total - 5} of {total} changed files "
        "uploaded, in order, so nothing there points at a file it lacks; run feedpub deploy "
        "again to finish\n"
    )
    assert pauses == [0.5, 1.0, 2.0, 4.0]  # exponential, and bounded: five tries in all
    assert puts(proxy, "/feeds/asia/india/rss.xml") == 5
    assert puts(proxy, "/feeds/feeds.opml") == puts(proxy, "/feeds/index.html") == 0
    mark = moto.mark()
    proxy.rule = lambda method, path: "pass"
    again = deploy(site, f"s3://{bucket}/feeds", "--endpoint-url", proxy.url)
    assert again.exit_code == 0
    rest = moto.puts(mark, bucket)
    assert (rest[0], rest[-1]) == ("feeds/asia/india/rss.xml", "feeds/index.html")
    # the OPMLs, uploaded side by side
    assert sorted(rest[1:-1]) == [f"feeds/{n}.opml" for n in ("countries", "feeds", "regions")]


def test_a_failure_before_anything_changed_exits_5(
    site: Site, bucket: str, proxy: Proxy, pauses: list[float]
) -> None:
    write_site(site)
    site.build()
    proxy.rule = lambda method, path: "fail" if method == "PUT" else "pass"
    result = deploy(site, f"s3://{bucket}/feeds", "--endpoint-url", proxy.url)
    assert result.exit_code == 5
    assert result.stderr == (
        f"feedpub: error: s3://{bucket}/feeds/_media/asia/india/photo.png: upload failed "
        "(HTTP 503 SlowDown, after 5 tries)\n"
        f"s3://{bucket}/feeds/: nothing on it was changed\n"
    )
    assert puts(proxy, "rss.xml") == 0  # media first: nothing after it was tried


class Hub:
    """A WebSub hub on 127.0.0.1 that records the feed URL of each publish ping."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # the name http.server calls
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hub.urls += parse_qs(body.decode())["hub.url"]
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hub"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def taken(self) -> list[str]:
        found, self.urls = sorted(self.urls), []
        return found


@pytest.fixture
def hub() -> Iterator[Hub]:
    found = Hub()
    yield found
    found.server.shutdown()
    found.server.server_close()


def current_feed_urls(site: Site) -> list[str]:
    return sorted(
        "https://example.org/feeds/" + path
        for path in site.snapshot()
        if path.rsplit("/", 1)[-1] in ("rss.xml", "atom.xml", "feed.json")
        and "archive/" not in path
    )


def test_killed_half_way_a_rerun_finishes_and_announces_what_the_killed_run_sent(
    site: Site, moto: MotoServer, bucket: str, proxy: Proxy, hub: Hub
) -> None:
    write_site(site, target=f"s3://{bucket}/feeds/", endpoint_url=proxy.url)
    config = site.config.read_text().replace(
        "  limit: 2\n", f"  limit: 2\n  websub_hub: {hub.url}\n"
    )
    site.config.write_text(config)
    site.build()
    assert hub.taken() == []  # a deploy target is configured: the build does not ping
    held = f"/{bucket}/feeds/europe/france/rss.xml"  # current feeds: after the india ones
    proxy.rule = lambda method, path: "hold" if method == "PUT" and path == held else "pass"
    process = subprocess.Popen(
        [sys.executable, "-m", "feedpub", "deploy", "--config", str(site.config), "--jobs", "1"],
        cwd=site.root,
        env=os.environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert proxy.held.wait(60), "the deploy never reached the held upload"
    finally:
        process.kill()
        process.wait(30)
        proxy.release()
    s3 = client(moto.url)
    there = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    local = set(site.snapshot())
    assert "feeds/asia/india/rss.xml" in there  # some current feeds were sent
    missing = sorted(local - {key.removeprefix("feeds/") for key in there})
    assert "europe/france/rss.xml" in missing and "index.html" in missing
    assert all(  # only current feeds, the OPML and the index are missing: nothing dangles
        not path.startswith("_media/")
        and "archive/" not in path
        and not path.endswith("/index.html")
        for path in missing
    )
    assert hub.taken() == []
    mark = moto.mark()
    proxy.rule = lambda method, path: "pass"
    result = deploy(site)
    assert result.exit_code == 0, result.output
    assert sorted(key.removeprefix("feeds/") for key in moto.puts(mark, bucket)) == missing
    assert hub.taken() == current_feed_urls(site)  # the killed run's feeds too
    assert deploy(site).exit_code == 0
    assert hub.taken() == []
    site.article("asia/india/day-6", title="Day 6", date="2022-03-06", countries=["india"])
    site.build()
    assert hub.taken() == []
    assert deploy(site).exit_code == 0
    folders = ("", "asia/", "asia/india/")  # the channels of the new article
    names = ("atom.xml", "feed.json", "rss.xml")
    assert hub.taken() == sorted(
        f"https://example.org/feeds/{f}{n}" for f in folders for n in names
    )
