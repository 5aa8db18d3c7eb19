"""The pages in a real browser: Debian's headless chromium renders the index and a country
page at desktop and phone width, logs nothing to the console, and every link and image on
them leads to a file of the output or to an article.

Skipped when chromium is missing, unless FEEDPUB_REQUIRE_TOOLS=1 (CI) makes that a failure.
FEEDPUB_SCREENSHOTS=DIR keeps the screenshots there, for a person to look at.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
import yaml
from support.sites import Site

PAGES = ("index.html", "asia/sri-lanka/index.html")
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
_CONSOLE = re.compile(r":CONSOLE[:(]\d*\)?\] (.*)")


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        message = "needs Debian's chromium (apt-get install -y chromium)"
        if os.environ.get("FEEDPUB_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


def run_chromium(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """One headless run; its stdout (--dump-dom) and the console messages in stderr."""
    return subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            *args,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def console_messages(stderr: str) -> list[str]:
    """Everything the page wrote to the console. Our pages run no script, so any message at
    all (an error, a blocked resource, a CSP report) is a defect."""
    return [match[1] for match in _CONSOLE.finditer(stderr)]


def png_size_and_colours(data: bytes) -> tuple[tuple[int, int], int]:
    """(width, height) of a PNG and how many distinct byte values its pixel rows hold."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        if data[at + 4 : at + 8] == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + length])
        at += 12 + length
    return (width, height), len(set(zlib.decompress(b"".join(chunks))))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    from support.sites import ROOT

    site = Site(tmp_path_factory.mktemp("browser") / "sample")
    site.root.mkdir()
    shutil.copy(ROOT / "feeds.yaml", site.config)
    shutil.copytree(ROOT / "content", site.root / "content")
    site.build()
    return site


def test_the_console_check_can_fail(tmp_path: Path) -> None:
    probe = tmp_path / "probe.html"
    probe.write_text('<!DOCTYPE html><script>console.error("probe failed")</script>')
    result = run_chromium(tmp_path, probe.as_uri(), "--dump-dom")
    assert console_messages(result.stderr) == ['"probe failed", source: ' + probe.as_uri() + " (1)"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("size", SIZES)
def test_the_page_renders_without_console_messages(
    built: Site, tmp_path: Path, page: str, size: str
) -> None:
    width, height = SIZES[size]
    shot = tmp_path / "shot.png"
    result = run_chromium(
        tmp_path,
        (built.out / page).as_uri(),
        f"--screenshot={shot}",
        f"--window-size={width},{height}",
    )
    assert console_messages(result.stderr) == []
    dimensions, colours = png_size_and_colours(shot.read_bytes())
    assert dimensions == (width, height)
    assert colours > 16, "the screenshot is blank"
    keep = os.environ.get("FEEDPUB_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / f"{page.replace('/', '_')[:-5]}-{size}.png")


@pytest.mark.parametrize("page", PAGES)
def test_every_link_leads_to_an_output_file_or_an_article(
    built: Site, tmp_path: Path, page: str
) -> None:
    url = (built.out / page).as_uri()
    result = run_chromium(tmp_path, url, "--dump-dom")
    assert console_messages(result.stderr) == []
    dom = lxml.html.document_fromstring(result.stdout)
    site = json.loads((built.out / "feed.json").read_text())
    feeds_url = site["feed_url"].removesuffix("feed.json")
    website = yaml.safe_load(built.config.read_text())["site"]["url"]  # the pages' footer
    articles = {item["url"] for item in site["items"]} | {website}
    found = [(e.tag, e.get("href") or e.get("src")) for e in dom.iter("a", "link", "img")]
    targets = [(tag, ref) for tag, ref in found if ref is not None]
    assert len(targets) > 10
    out = built.out.resolve()
    for tag, ref in targets:
        absolute = urljoin(url, ref)
        if absolute.startswith(feeds_url):
            absolute = out.as_uri() + "/" + absolute[len(feeds_url) :]
        if absolute.startswith("file:"):
            path = Path(unquote(urlsplit(absolute).path))
            path = path / "index.html" if path.is_dir() else path
            assert path.is_file() and path.resolve().is_relative_to(out), (tag, ref)
        else:
            assert absolute in articles, (tag, ref)
    images = [e for e in dom.iter("img")]
    if page != "index.html":
        assert images and all(image.get("alt") is not None for image in images)
