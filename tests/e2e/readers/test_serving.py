"""The README's nginx snippet, run by a real nginx: each format with its type and charset,
ETag and Last-Modified, and a 304 for a conditional request (the ``nginx`` fixture is in
e2e/readers/served.py)."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from e2e.readers.served import CONTENT_TYPES, Served


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
