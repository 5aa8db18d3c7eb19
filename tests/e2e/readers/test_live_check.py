"""``feedpub check --live URL`` (issue 21): from outside, as a reader would, against the
servers a site is served by: ``feedpub serve``, a real nginx with the README's snippet, and
a deliberately wrong server whose each fault must be found, and nothing else."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from e2e.readers.served import NOW, ROOT, Served

from feedpub.cli import main
from feedpub.formats import media_type
from feedpub.pipeline.build import BuildOptions, build


def live(url: str, config: Path) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(main, ["check", "--live", url, "--config", str(config)])
    return result.exit_code, result.stdout.splitlines(), result.stderr


def test_feedpub_serve_passes(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy(ROOT / "feeds.yaml", tmp_path)
    command = [sys.executable, "-m", "feedpub", "serve", "--config", str(tmp_path / "feeds.yaml")]
    process = subprocess.Popen([*command, "--port", "0"], stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        found = re.search(r" at (http://127\.0\.0\.1:\d+/) ", first)
        assert found, first
        code, lines, err = live(found[1], tmp_path / "feeds.yaml")
        assert (code, lines, err) == (0, [], f"{found[1]}: 0 errors, 0 warnings\n")
    finally:
        process.kill()
        process.wait()


def test_nginx_with_the_readme_snippet_passes(nginx: tuple[str, Served]) -> None:
    base, site = nginx
    site.config["site"]["feeds_url"] = base  # built for the address nginx serves it at
    site.build()
    code, lines, err = live(base, site.root / "feeds.yaml")
    assert (code, lines, err) == (0, [], f"{base}: 0 errors, 0 warnings\n")


def test_the_python_server_readers_are_tested_with_passes(served: Any) -> None:
    site = served("sample")
    code, lines, _ = live(site.feeds_url, site.root / "feeds.yaml")
    assert (code, lines) == (0, [])


# What the wrong server does wrong, by path; every other feed it serves right.
FAULTS = {
    "rss.xml": "type",  # served as text/html
    "atom.xml": "validators",  # no ETag, no Last-Modified
    "feed.json": "no-304",  # ETag and Last-Modified, but never a 304
    "asia/rss.xml": "stale",  # Last-Modified of 1999
    "asia/atom.xml": "challenge",  # a bot wall's HTML page, with 200
    "asia/feed.json": "status",  # 503
    "asia/india/rss.xml": "self",  # the feed of another address
    "asia/india/atom.xml": "charset",  # its type without charset=utf-8
}
EXPECTED = {
    ("rss.xml", "error", "live-type"),
    ("atom.xml", "error", "live-validators"),
    ("feed.json", "error", "live-304"),
    ("asia/rss.xml", "error", "live-last-modified"),
    ("asia/atom.xml", "error", "live-body"),
    ("asia/feed.json", "error", "live-status"),
    ("asia/india/rss.xml", "error", "live-self"),
    ("asia/india/rss.xml", "warning", "live-body"),  # not the output folder's bytes
    ("asia/india/atom.xml", "warning", "live-type"),
}
CHALLENGE = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>"


class _Wrong(BaseHTTPRequestHandler):
    server: Any

    def do_GET(self) -> None:  # http.server's name
        relative = self.path.split("?", 1)[0].lstrip("/")
        file = self.server.root / relative
        if not file.is_file():
            self._send(404, {}, b"")
            return
        fault = FAULTS.get(relative)
        data = file.read_bytes()
        kind = media_type(file.name)
        stamp = int(file.stat().st_mtime)
        headers = {"Content-Type": kind, "ETag": f'"{stamp}-{len(data)}"'}
        headers["Last-Modified"] = formatdate(stamp, usegmt=True)
        if fault == "status":
            self._send(503, {"Content-Type": "text/plain"}, b"busy")
            return
        if fault == "challenge":
            data, headers["Content-Type"] = CHALLENGE, "text/html; charset=utf-8"
        if fault == "type":
            headers["Content-Type"] = "text/html"
        if fault == "charset":
            headers["Content-Type"] = kind.split(";")[0]
        if fault == "validators":
            del headers["ETag"], headers["Last-Modified"]
        if fault == "stale":
            headers["Last-Modified"] = formatdate(917_000_000, usegmt=True)
        if fault == "self":
            data = data.replace(self.server.base.encode(), b"https://elsewhere.example/")
        etag = headers.get("ETag")
        fresh = etag is not None and self.headers.get("If-None-Match") == etag
        if fresh and fault != "no-304":
            self._send(304, {}, b"")
            return
        self._send(200, headers, data)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def wrong(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The sample, built for and served by the wrong server: its base URL and feeds.yaml."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Wrong)
    base = f"http://127.0.0.1:{server.server_port}/"
    shutil.copytree(ROOT / "content", tmp_path / "content")
    config = yaml.safe_load((ROOT / "feeds.yaml").read_text(encoding="utf-8"))
    config["site"]["feeds_url"] = base
    (tmp_path / "feeds.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    build(BuildOptions(tmp_path / "feeds.yaml", now=NOW))
    server.root, server.base = tmp_path / "public", base  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield base, tmp_path / "feeds.yaml"
    finally:
        server.shutdown()


def test_each_fault_of_a_wrong_server_is_found_and_nothing_else(
    wrong: tuple[str, Path],
) -> None:
    base, config = wrong
    code, lines, err = live(base, config)
    assert code == 3
    found = set()
    for line in lines:
        url, severity, rule = re.fullmatch(r"(\S+): (error|warning) (\S+): .+", line).groups()
        found.add((url.removeprefix(base), severity, rule))
    assert found == EXPECTED
    assert err == f"{base}: 7 errors, 2 warnings\n"


def test_the_messages_say_what_is_wrong(wrong: tuple[str, Path]) -> None:
    base, config = wrong
    _, lines, _ = live(base, config)
    said = {line.split(": ", 1)[0].removeprefix(base): line.split(": ", 1)[1] for line in lines}
    assert said["rss.xml"] == (
        "error live-type: is served as 'text/html', not 'application/rss+xml; charset=utf-8'"
    )
    assert said["asia/atom.xml"] == (
        "error live-body: is an HTML page, not the feed (a bot wall's challenge or an error page?)"
    )
    assert said["asia/feed.json"] == "error live-status: answers 503, not 200"
    assert said["feed.json"] == "error live-304: answers a conditional re-fetch with 200, not 304"
    assert said["asia/rss.xml"].startswith(
        "error live-last-modified: Last-Modified Fri, 22 Jan 1999"
    )
