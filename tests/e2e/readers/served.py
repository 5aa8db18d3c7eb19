"""The real-reader matrix: the sample site and a richer test site, built and served over HTTP.

A pytest plugin (tests/conftest.py names it), so its fixture is everywhere.

`Served` builds a site into a folder and serves it from 127.0.0.1 (a thread, port 0) the way
nginx does: ETag and Last-Modified from the file's mtime and size, 304 for a matching
If-None-Match or If-Modified-Since, and a Content-Type with charset=utf-8. Every request is
logged, so a test can assert that a reader got a 304 after a no-op rebuild.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.topics import write_topic_site

from feedpub.pipeline.build import BuildOptions, build
from feedpub.validator import validate_document

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
# What the README's nginx snippet makes nginx send (test_serving.py holds nginx to it).
CONTENT_TYPES = {
    "rss.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}
BUILD_CLOCK = 1_700_000_000  # POSIX time of the first build's files, as the server sees them
REQUIRE_TOOLS = os.environ.get("FEEDPUB_REQUIRE_TOOLS") == "1"


def need_tool(command: str, package: str) -> str:
    """The path of ``command``; skip (fail under FEEDPUB_REQUIRE_TOOLS=1) when it is missing."""
    path = shutil.which(command)
    if path is None:
        message = f"{command} not found: install the Debian package {package}"
        if REQUIRE_TOOLS:
            pytest.fail(message)
        pytest.skip(message)
    return path


@dataclass(frozen=True)
class Request:
    path: str
    status: int
    conditional: bool


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # http.server's name
        path = self.path.split("?")[0]
        file = self.server.root / path.lstrip("/")
        conditional = bool(
            self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")
        )
        if not file.is_file():
            self._finish(path, 404, conditional)
            return
        stat = file.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        if self._not_modified(etag, int(stat.st_mtime)):
            self._finish(path, 304, conditional, {"ETag": etag})
            return
        body = file.read_bytes()
        headers = {
            "Content-Type": CONTENT_TYPES.get(file.name, "application/octet-stream"),
            "Content-Length": str(len(body)),
            "ETag": etag,
            "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
        }
        self._finish(path, 200, conditional, headers, body)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
            return etag in [tag.strip() for tag in match.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            return mtime <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False

    def _finish(
        self,
        path: str,
        status: int,
        conditional: bool,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
    ) -> None:
        self.server.log.append(Request(path, status, conditional))
        self.send_response(status)
        for name, value in (headers or {"Content-Length": "0"}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the log list is what tests read."""


class _Server(ThreadingHTTPServer):
    root: Path
    log: list[Request]


@dataclass
class Served:
    """A site in ``root`` whose output folder is served at ``base`` (``http://127.0.0.1:N/``)."""

    root: Path
    base: str
    server: _Server
    config: dict[str, Any] = field(default_factory=dict)
    builds: int = 0
    clock: datetime = NOW  # the builds' now

    @property
    def out(self) -> Path:
        return self.root / "public"

    @property
    def feeds_url(self) -> str:
        return str(self.config["site"]["feeds_url"])

    def url(self, path: str) -> str:
        """The address readers subscribe to (the first build's, kept across a domain move)."""
        return self.base + "feeds/" + path

    def requests(self) -> list[Request]:
        return list(self.server.log)

    def build(self) -> None:
        """Write feeds.yaml, build, and check every feed: 0 errors, 0 warnings."""
        self.write_config()
        before = self._mtimes()
        build(BuildOptions(self.root / "feeds.yaml", out=self.out, now=self.clock))
        self._step_clock(before)
        self.check_feeds()

    def write_config(self) -> None:
        (self.root / "feeds.yaml").write_text(
            yaml.safe_dump(self.config, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )

    def check_feeds(self) -> None:
        """Every feed of the output folder passes the validator: 0 errors, 0 warnings."""
        for path in sorted(self.out.rglob("*")):
            if path.suffix in (".xml", ".json"):
                relative = path.relative_to(self.out).as_posix()
                messages = validate_document(path.read_bytes(), self_url=self.feeds_url + relative)
                assert [m for m in messages if m.severity != "info"] == [], relative

    def changed_by(self, run: Callable[[], Any]) -> Any:
        """What ``run`` (a build some other way, as with the CLI) returns, with the files
        it changed stepped on like :meth:`build`'s."""
        before = self._mtimes()
        result = run()
        self._step_clock(before)
        return result

    def _mtimes(self) -> dict[Path, int]:
        return {p: p.stat().st_mtime_ns for p in self.out.rglob("*") if p.is_file()}

    def _step_clock(self, before: dict[Path, int]) -> None:
        """Files a build changed get an mtime 10 s after the last build's, so their
        Last-Modified always moves (newsboat skips a feed whose Last-Modified is the same)."""
        self.builds += 1
        stamp = BUILD_CLOCK + 10 * self.builds
        for path, mtime in self._mtimes().items():
            if before.get(path) != mtime:
                os.utime(path, (stamp, stamp))

    def article(self, name: str, body: str = "Body text.\n", **front: Any) -> None:
        path = self.root / "content" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        matter = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{matter}---\n{body}", encoding="utf-8")

    def move_domain(self) -> None:
        """site.url and feeds_url to another domain; readers keep fetching the old address
        (as after a redirect they followed), and the same files are served there."""
        self.config["site"]["url"] = "https://moved.example/"
        self.config["site"]["feeds_url"] = "https://feeds.moved.example/"


def _serve(root: Path) -> _Server:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.root = root
    server.log = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Any]:
    """A function making a Served site: ``served("sample")``, ``served("rich")`` or
    ``served("topics")`` (tests/support/topics.py), or one a test writes:
    ``served("day", write)`` calls ``write(site)`` to fill in its config and content."""
    servers: list[_Server] = []

    def make(kind: str, write: Callable[[Served], None] | None = None) -> Served:
        root = tmp_path / kind
        root.mkdir()
        (root / "public").mkdir()
        server = _serve(root)
        servers.append(server)
        site = Served(root, f"http://127.0.0.1:{server.server_port}/", server)
        # The server maps /feeds/ to public/.
        (root / "feeds").symlink_to(root / "public")
        if write is not None:
            write(site)
        elif kind == "sample":
            shutil.copytree(ROOT / "content", root / "content")
            site.config = yaml.safe_load((ROOT / "feeds.yaml").read_text(encoding="utf-8"))
        elif kind == "topics":
            write_topic_site(root)
            site.config = yaml.safe_load((root / "feeds.yaml").read_text(encoding="utf-8"))
        else:
            write_rich_site(site)
        site.config["site"]["feeds_url"] = site.base + "feeds/"
        site.build()
        return site

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


RICH_CONFIG: dict[str, Any] = {
    "site": {
        "title": "Rich & Strange <Desk>",
        "description": 'Titles with & < " and non-ASCII, zones, images, authors',
        "url": "https://rich.example/",
        "feeds_url": "https://rich.example/feeds/",
        "language": "en",
        "timezone": "Asia/Colombo",
        "author": {"name": "Rich Desk", "email": "desk@rich.example"},
        "id_authority": "rich.example,2024",
        "link_pattern": "{year}/{slug}/",
    },
    "regions": {
        "asia": {
            "title": "Asia",
            "countries": {
                "japan": {"title": "Japan", "language": "ja"},
                "sri-lanka": {"title": "Sri Lanka"},
            },
        },
        "europe": {"title": "Europe", "countries": {"france": {"title": "France"}}},
    },
}

# slug -> (front matter, body); what readers must show is derived from these.
RICH_ARTICLES: dict[str, tuple[dict[str, Any], str]] = {
    "rock-and-roll": (
        {
            "title": 'Rock & Roll <Live> "Tonight"',
            "date": "2024-05-30 21:15:00-05:00",
            "countries": ["france"],
            "author": [
                {"name": "Ana Writer", "email": "ana@rich.example"},
                "Bo Reporter",
            ],
            "image": "images/stage.png",
            "image_alt": "A stage & its lights",
            "image_caption": "The stage, before the show",
        },
        "The band played *all night* & the crowd stayed.\n",
    ),
    "cafe-tokyo": (
        {
            "title": "Café in Tōkyō — naïve 日本語 “quotes”",
            "date": "2024-05-29T08:00:00+09:00",
            "countries": ["japan"],
            "author": "Hiro Tanaka",
            "summary": "Plain text with <angle> & ampersand.",
        },
        "Coffee, *very* strong.\n",
    ),
    "colombo-rain": (
        {
            "title": "Rain in Colombo",
            "date": "2024-05-28 07:30",
            "countries": ["sri-lanka"],
            "image": "https://rich.example/img/rain.jpg",
            "image_alt": "Rain",
        },
        "It rained.\n\n![Rain](https://rich.example/img/rain.jpg)\n",
    ),
    "asia-wide": (
        {"title": "Across Asia", "date": "2024-05-27T00:00:00Z", "region": "asia"},
        "A region-wide piece, with the site's author.\n",
    ),
}


def write_rich_site(site: Served) -> None:
    site.config = yaml.safe_load(yaml.safe_dump(RICH_CONFIG))
    images = site.root / "content" / "images"
    images.mkdir(parents=True)
    shutil.copy(ROOT / "content" / "asia" / "images" / "placeholder.png", images / "stage.png")
    for slug, (front, body) in RICH_ARTICLES.items():
        site.article(slug, body, **front)


def feed_paths(site: Served) -> list[str]:
    """Every feed document of the site, as a path under the output folder."""
    return sorted(
        p.relative_to(site.out).as_posix()
        for p in site.out.rglob("*")
        if p.name in ("rss.xml", "atom.xml", "feed.json")
    )


@dataclass(frozen=True)
class Expected:
    """What a reader should store for one item, read from the channel's JSON Feed."""

    id: str
    title: str
    link: str
    published: datetime
    summary: str | None
    content_html: str
    image: str | None
    authors: tuple[str, ...]


def expected_items(site: Served, folder: str) -> list[Expected]:
    """The items of the channel in ``folder`` ("" for the site), newest first."""
    data = json.loads((site.out / folder / "feed.json").read_text(encoding="utf-8"))
    return [
        Expected(
            item["id"],
            item["title"],
            item["url"],
            datetime.fromisoformat(item["date_published"]),
            item.get("summary"),
            item["content_html"],
            item.get("image"),
            tuple(a["name"] for a in item["authors"]),
        )
        for item in data["items"]
    ]


def folder_of(path: str) -> str:
    return path.rpartition("/")[0]


_SNIPPET = re.compile(r"```nginx\n(.*?)```", re.S)
_ALIAS = re.compile(r"alias [^;]+;")  # the README's /srv/site/public/ becomes the test site's


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def nginx(served: Any, tmp_path: Path) -> Iterator[tuple[str, Served]]:
    """A real nginx on 127.0.0.1 with the README's snippet, serving the sample's output
    folder; its base URL (``http://127.0.0.1:N/feeds/``) and the site."""
    binary = need_tool("nginx", "nginx-light")
    site: Served = served("sample")
    snippet = _SNIPPET.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(snippet) == 1, "the README has one nginx snippet"
    port = _free_port()
    work = tmp_path / "nginx"
    work.mkdir()
    temp = " ".join(
        f"{kind}_temp_path {work};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (work / "nginx.conf").write_text(
        # Workers as this user: pytest's tmp folders are private (root's nginx uses nobody).
        f"user {getpass.getuser()}; daemon off; pid {work}/nginx.pid; error_log {work}/error.log;\n"
        "events {}\n"
        "http {\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        f"  {temp}\n  server {{\n    listen 127.0.0.1:{port};\n"
        f"{_ALIAS.sub(f'alias {site.out}/;', snippet[0])}  }}\n}}\n"
    )
    process = subprocess.Popen([binary, "-c", str(work / "nginx.conf"), "-p", str(work)])
    base = f"http://127.0.0.1:{port}/feeds/"
    try:
        for _ in range(100):  # until nginx listens
            try:
                urllib.request.urlopen(base + "rss.xml", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        yield base, site
    finally:
        process.terminate()
        process.wait(timeout=10)
