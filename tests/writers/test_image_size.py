"""An image's width and height in media:content and media:thumbnail (issue 21): read from
a local image's header, given in front matter for a remote one; aggregators (Flipboard,
Google News) size the lead picture by them."""

from __future__ import annotations

import struct
import zlib

from support.sites import Site

from feedpub.errors import InputError


def png(width: int, height: int) -> bytes:
    """A valid PNG of ``width`` x ``height`` black pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + b"\0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def sizes(site: Site, path: str) -> list[tuple[str, str, str]]:
    entry = site.feed(path).entries[0]  # feedparser, and our validator silent
    return [(m.get("url", ""), m.get("width"), m.get("height")) for m in entry.media_content] + [
        (m.get("url", ""), m.get("width"), m.get("height")) for m in entry.media_thumbnail
    ]


def test_a_local_image_has_the_size_its_header_says(site: Site) -> None:
    site.raw("india/pic.png", png(640, 360))
    site.article("india/a", title="A", date="2022-03-01", countries=["india"], image="pic.png")
    site.build()
    url = "https://example.org/feeds/_media/india/pic.png"
    for path in ("rss.xml", "atom.xml"):
        assert sizes(site, path) == [(url, "640", "360"), (url, "640", "360")], path
    # replaced in place by a picture of another size: the next build says so
    site.raw("india/pic.png", png(800, 600))
    site.build()
    assert sizes(site, "rss.xml") == [(url, "800", "600"), (url, "800", "600")]


def test_a_remote_image_has_the_size_front_matter_gives(site: Site) -> None:
    site.article(
        "india/a",
        title="A",
        date="2022-03-01",
        countries=["india"],
        image="https://cdn.example/a.jpg",
        image_width=1200,
        image_height=675,
    )
    site.article(
        "india/b",
        title="B",
        date="2022-02-01",
        countries=["india"],
        image="https://cdn.example/b.jpg",
    )
    site.build()
    url = "https://cdn.example/a.jpg"
    assert sizes(site, "atom.xml") == [(url, "1200", "675"), (url, "1200", "675")]
    rss = (site.out / "rss.xml").read_text()
    assert 'url="https://cdn.example/b.jpg" medium="image" type="image/jpeg"/>' in rss  # no size
    assert '<media:thumbnail url="https://cdn.example/b.jpg"/>' in rss


def test_a_size_that_is_no_whole_number_is_refused(site: Site) -> None:
    site.article(
        "india/a",
        title="A",
        date="2022-03-01",
        countries=["india"],
        image="https://cdn.example/a.jpg",
        image_width="wide",
        image_height=0,
    )
    try:
        site.build()
    except InputError as exc:
        lines = [f"{p.line}: {p.field}: {p.message}" for p in exc.problems]
    assert lines == [
        "7: image_width: expected a whole number of at least 1, got 'wide'",
        "8: image_height: expected a whole number of at least 1, got 0",
    ]
    assert not (site.out / "rss.xml").exists()
