"""The README's nginx snippet, run by a real nginx: each format with its type and charset,
ETag and Last-Modified, and a 304 for a conditional request."""

from __future__ import annotations

import getpass
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e.readers.served import CONTENT_TYPES, ROOT, Served, need_tool

_SNIPPET = re.compile(r"```nginx\n(.*?)```", re.S)
_ALIAS = re.compile(r"alias [^;]+;")  # the README's /srv/site/public/ becomes the test site's


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def nginx(served: Any, tmp_path: Path) -> Iterator[tuple[str, Served]]:
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


def test_the_readme_snippet_serves_each_format_with_its_type_and_304s(
    nginx: tuple[str, Served],
) -> None:
    base, site = nginx
    for path in ("rss.xml", "atom.xml", "feed.json", "asia/india/rss.xml"):
        with urllib.request.urlopen(base + path, timeout=10) as response:
            assert response.headers["Content-Type"] == CONTENT_TYPES[path.rsplit("/", 1)[-1]]
            assert response.read() == (site.out / path).read_bytes()
            etag = response.headers["ETag"]
            modified = response.headers["Last-Modified"]
        again = urllib.request.Request(
            base + path, headers={"If-None-Match": etag, "If-Modified-Since": modified}
        )
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(again, timeout=10)
        assert answer.value.code == 304


def test_the_readme_snippet_never_serves_the_staging_folder(nginx: tuple[str, Served]) -> None:
    """Staged inside the output folder (a mount point), a half-written feed stays unserved."""
    base, site = nginx
    staged = site.out / ".feedpub-staging" / "rss.xml"
    staged.parent.mkdir()
    staged.write_bytes(b"<rss>half")
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(base + ".feedpub-staging/rss.xml", timeout=10)
    assert answer.value.code == 403
