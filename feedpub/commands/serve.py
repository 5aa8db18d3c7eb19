"""``feedpub serve``: a preview build of the site, served, and ``--watch`` rebuilds.

The preview is a build of its own, into the state folder's ``preview/`` (never the site's
output folder), with the preview's address in place of ``site.feeds_url``: its pages,
autodiscovery links, self links, images and OPML all name the preview, so a reader pointed
at it can subscribe (a copy of ``public/`` would send it to the real site's feeds). Article
links stay under ``site.url``, and the preview pings no WebSub hub.

Serves what a careful web server would: each format's media type with ``charset=utf-8``,
ETag and Last-Modified from the file's size and mtime (so an unchanged feed gets a 304, as
from nginx), ``index.html`` for a folder, and 404 for anything that is not a regular file
inside the output folder (``..``, encoded or not, and symlinks leading out). No listings.

With ``--watch``, the build runs whenever feeds.yaml or content may have changed: while the
last build succeeded, every poll runs it (its no-op path is the same stat scan a cron run
does); after a failure, only once feeds.yaml or the content files' sizes and mtimes change.
A failed build publishes nothing, so the last good feeds stay served.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from feedpub import formats
from feedpub.errors import FeedpubError, LockBusy, UsageError
from feedpub.inputs import fields as f
from feedpub.inputs.finding import find_sources, sources_fingerprint
from feedpub.pipeline.build import BuildOptions, BuildReport, build


@dataclass(frozen=True)
class ServeOptions:
    """What ``feedpub serve`` was asked for. ``build.out`` is the preview's folder (None: the
    state folder's ``preview/``); ``base_url`` the address readers reach it at (None: the
    server's own, ``http://host:port/``)."""

    build: BuildOptions
    host: str = "127.0.0.1"
    port: int = 8000
    watch: bool = False
    interval: float = 1.0  # seconds between two polls of --watch
    base_url: str | None = None

    def folder(self) -> Path:
        """The folder the preview is built into and served from."""
        return self.build.out or self.build.paths().preview


def check_options(options: ServeOptions) -> None:
    """Refuse a preview folder that is the site's real output folder, and a --base-url that
    cannot be one (a preview's feeds name it in every self link)."""
    site_out = replace(options.build, out=None).paths().out
    if options.build.out is not None and options.build.out.resolve() == site_out.resolve():
        raise UsageError(
            f"--out: {options.build.out} is the site's output folder; the preview is built "
            "with its own address, into a folder of its own (leave --out out)"
        )
    url = options.base_url
    if url is not None and (f.url(url) is not None or "?" in url or "#" in url):
        raise UsageError(
            f"--base-url: expected an absolute http(s) URL with no query or fragment, got {url!r}"
        )


def preview_build(options: ServeOptions, server_url: str) -> BuildOptions:
    """The build of the preview: into its folder, served at ``--base-url`` or the server's
    own address."""
    url = options.base_url or server_url
    return replace(options.build, out=options.folder(), feeds_url=url.rstrip("/") + "/")


def file_for(root: Path, url_path: str) -> Path | None:
    """The regular file under ``root`` (already resolved) that ``url_path`` names, or None.

    A folder means its ``index.html``. ``..`` or a hidden name in any segment, decoded or not,
    is refused, and so is anything whose real path leaves ``root`` (a symlink pointing out)."""
    real = _real(root, url_path)
    try:
        if real is not None and real.is_dir():
            real = (real / "index.html").resolve(strict=True)
        if real is None or not real.is_relative_to(root) or not stat.S_ISREG(real.stat().st_mode):
            return None
    except (OSError, RuntimeError):
        return None
    return real


def _real(root: Path, url_path: str) -> Path | None:
    """The real path ``url_path`` names under ``root``; None for a refused or missing one."""
    parts = unquote(urlsplit(url_path).path).split("/")
    if any(p in ("..", ".") or p.startswith(".") or "\\" in p or "\0" in p for p in parts):
        return None
    try:
        return root.joinpath(*[p for p in parts if p]).resolve(strict=True)
    except (OSError, RuntimeError):
        return None


class OutputHandler(BaseHTTPRequestHandler):
    """GET and HEAD of the files of one output folder (``server.root``), nothing else."""

    server: PreviewServer

    def do_GET(self) -> None:  # the http.server API
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        path = file_for(self.server.root, self.path)
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return
        url = urlsplit(self.path)
        url_path = url.path
        if not url_path.endswith("/") and path.parent == _real(self.server.root, url_path):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)  # a folder: its links are relative
            self.send_header("Location", url_path + "/" + (f"?{url.query}" if url.query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        try:
            data = path.read_bytes()
            status = path.stat()
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return
        etag = f'"{status.st_size:x}-{status.st_mtime_ns:x}"'
        modified = formatdate(status.st_mtime, usegmt=True)
        fresh = self._not_modified(etag, int(status.st_mtime))
        self.send_response(HTTPStatus.NOT_MODIFIED if fresh else HTTPStatus.OK)
        self.send_header("Content-Type", formats.media_type(path.name))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.send_header("Cache-Control", "no-cache")
        if not fresh:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body and not fresh:
            self.wfile.write(data)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        """RFC 9110: If-None-Match decides when present, else If-Modified-Since."""
        match = self.headers.get("If-None-Match")
        if match is not None:
            # Weak comparison (RFC 9110 13.1.2): W/"x" matches "x".
            tags = [t.strip().removeprefix("W/") for t in match.split(",")]
            return match.strip() == "*" or etag in tags
        since = self.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            return mtime <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False

    def log_message(self, format: str, *args: object) -> None:  # the API's name
        self.server.log(f"{self.address_string()} {format % args}")


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, root: Path, address: tuple[str, int], log: Callable[[str], None] | None = None
    ) -> None:
        self.root = root.resolve()
        self.log = log or (lambda line: None)
        self.host = address[0]
        super().__init__(address, OutputHandler)

    @property
    def url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self.server_port}/"


def make_server(options: ServeOptions, log: Callable[[str], None] | None = None) -> PreviewServer:
    """A server for the preview folder of ``options`` (bound, not yet serving: with port 0
    its address, which the preview build needs, is known only now)."""
    return PreviewServer(options.folder(), (options.host, options.port), log)


BuildListener = Callable[[BuildReport | FeedpubError], None]


def run(server: PreviewServer, options: ServeOptions, listener: BuildListener) -> None:
    """Serve until interrupted (Ctrl-C), rebuilding the preview in a thread beside it with
    ``--watch`` (without it, the caller has built it once already)."""
    stop = threading.Event()
    if options.watch:
        build_options = preview_build(options, server.url)
        thread = threading.Thread(
            target=watch, args=(build_options, options.interval, listener, stop), daemon=True
        )
        thread.start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()


def watch(
    options: BuildOptions, interval: float, listener: BuildListener, stop: threading.Event
) -> None:
    """Build now, then again whenever the inputs may have changed (polled every ``interval``
    seconds), until ``stop`` is set.

    Every outcome that differs from the previous one (a build that wrote files, an error) is
    handed to ``listener``; the server keeps serving whatever the last good build published."""
    failed_on: str | None = None
    last_error = ""
    while True:
        inputs = _inputs_signature(options)
        if failed_on is None or inputs != failed_on:
            try:
                report = build(options)
            except LockBusy:
                pass  # a cron run is building; try again on the next poll
            except FeedpubError as exc:
                failed_on = inputs
                if str(exc) != last_error:
                    last_error = str(exc)
                    listener(exc)
            else:
                if failed_on is not None or any(feed.changed for feed in report.feeds):
                    listener(report)
                failed_on, last_error = None, ""
        if stop.wait(interval):
            return


def _inputs_signature(options: BuildOptions) -> str:
    """feeds.yaml's and every content file's size and mtime, as the build's own scan sees them."""
    content = options.paths().content
    try:
        status = os.stat(options.config)
        config = f"{status.st_size}:{status.st_mtime_ns}"
    except OSError:
        config = "missing"
    try:
        sources, _ = find_sources(content, content.as_posix())
    except OSError:
        return config + ":no content"
    return f"{config}:{sources_fingerprint(sources)}"
