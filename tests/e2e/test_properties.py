"""Round-trip properties: whatever text a publisher writes, the feeds are valid and read back.

Each example writes a small site into a temporary folder, builds it through the Python API,
validates every published document and parses the feeds back with feedparser.
"""

from __future__ import annotations

import copy
import html
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import yaml
from feedparser.mixin import _FeedParserMixin
from feedparser.sanitizer import _sanitize_html
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from support.sites import BASE_CONFIG, site_folder

from feedpub.errors import InputError
from feedpub.inputs.fields import XML_FORBIDDEN
from feedpub.pipeline.build import BuildOptions, build
from feedpub.validator import validate_document

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
COUNTRIES = ["sri-lanka", "india", "france"]
TRICKY = [
    "]]>",
    "&nbsp;",
    "&amp;",
    "&#169;",
    "&#x7;",
    "<b>bold</b>",
    "<Pacific>",
    "A < B & C > D",
    "Tom & Jerry",
    "\u202eRTL override",
    "שלום עולם",
    "مرحبا",
    "🎉👩‍👩‍👧",
    "東京",
    "\x00",
    "\x07",
    "\x0b",
    "\x1b",
    "\x7f",
    "\x85",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\u2028",
    "\r\n",
    "\t",
    "  ",
    "---",
    "- item",
    "key: value",
    "# heading",
    "*stars*",
    "`code`",
    "'quote'",
    '"double"',
    "\\",
    "null",
    "yes",
    "1984",
    "2022-02-30",
]


def text(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Arbitrary text with the tricky pieces above mixed in."""
    piece = st.one_of(st.text(alphabet, max_size=12), st.sampled_from(TRICKY))
    return st.lists(piece, max_size=5).map("".join)


ANY = st.characters(codec="utf-8")  # every code point UTF-8 can store: no surrogates
WITH_SURROGATES = st.characters(exclude_categories=())


def normalized(value: str) -> str:
    """What a text field becomes: forbidden characters removed, whitespace collapsed."""
    return " ".join(XML_FORBIDDEN.sub("", value.replace("\x85", "\n")).split())


def as_feedparser_reads(title: str) -> str:
    """feedparser "repairs" text that looks like UTF-8 mis-read as Latin-1 ('Â¡' becomes '¡',
    feedparser/mixin.py, ``pop``): the feed holds the right text, feedparser changes it."""
    try:
        return title.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return title


def as_html_shows(found: tuple[str, str], expected: tuple[str, str]) -> tuple[str, str]:
    """RSS titles are plain text by the spec, but feedparser (like many readers) takes one that
    looks like HTML (``&nbsp;``, ``</b>``) as HTML. For those, compare what a reader shows."""
    if not _FeedParserMixin.looks_like_html(expected[0]):
        return found
    return " ".join(html.unescape(found[0]).split()), found[1]


def sanitized(entry: tuple[str, str]) -> tuple[str, str]:
    """A title as feedparser's HTML sanitizer leaves it, when it takes the title for HTML: it
    drops what sgmllib parses as a tag, even ``<>`` that a browser shows as text (``<>&#0;``
    reads back as the replacement character alone). The feed holds the title as written."""
    if not _FeedParserMixin.looks_like_html(entry[0]):
        return entry
    return _sanitize_html(entry[0], "utf-8", "text/html"), entry[1]


@st.composite
def articles(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 3))
    slugs = draw(
        st.lists(
            st.from_regex(r"[a-z0-9][a-z0-9-]{0,15}", fullmatch=True),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    result = []
    for index, slug in enumerate(slugs):
        title = draw(text(ANY))
        assume(normalized(title))
        article: dict[str, Any] = {
            "slug": slug,
            "title": title,
            "date": f"2022-03-{index + 1:02d} {draw(st.integers(0, 23)):02d}:30",
            "countries": draw(st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True)),
        }
        summary = draw(st.none() | text(ANY))
        if summary is not None and normalized(summary):
            article["summary"] = summary
        for key in ("author", "image_alt"):
            value = draw(st.none() | text(ANY))
            if value is not None and normalized(value):
                article[key] = value
        if "image_alt" in article:
            article["image"] = "https://example.org/i.png"
        tags = [t for t in draw(st.lists(text(ANY), max_size=2)) if normalized(t)]
        if tags:
            article["tags"] = tags
        article["body"] = draw(text(ANY))
        result.append(article)
    return result


def write_site(
    root: Path, items: list[dict[str, Any]], config: dict[str, Any] | None = None
) -> None:
    (root / "content").mkdir(parents=True)
    (root / "feeds.yaml").write_text(
        yaml.safe_dump(config or BASE_CONFIG, allow_unicode=True), encoding="utf-8"
    )
    for item in items:
        front = {k: v for k, v in item.items() if k not in ("body", "file")}
        matter = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        path = root / "content" / f"{item.get('file', item['slug'])}.md"
        path.write_text(f"---\n{matter}---\n{item['body']}", encoding="utf-8")


def published_documents(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name in ("rss.xml", "atom.xml", "feed.json")
    }


@settings(max_examples=120, deadline=None)
@given(articles())
@example(
    [{"slug": "0", "title": "&A&nbsp;", "date": "2022-03-01 00:30", "countries": [], "body": ""}]
)
@example(
    [{"slug": "0", "title": "<>&#0;", "date": "2022-03-01 00:30", "countries": [], "body": ""}]
)
def test_any_text_builds_valid_feeds_that_read_back(items: list[dict[str, Any]]) -> None:
    with site_folder() as root:
        write_site(root, items)
        build(BuildOptions(root / "feeds.yaml", now=NOW))
        documents = published_documents(root / "public")
        assert len(documents) == 18
        for path, data in documents.items():
            kind = {"rss.xml": "rss", "atom.xml": "atom", "feed.json": "json"}[path.split("/")[-1]]
            url = "https://example.org/feeds/" + path
            errors = [
                m for m in validate_document(data, kind=kind, self_url=url) if m.severity == "error"
            ]
            assert errors == [], (path, errors)
            assert not XML_FORBIDDEN.search(data.decode("utf-8")), path
        newest_first = sorted(items, key=lambda item: item["date"], reverse=True)
        expected = [
            (normalized(item["title"]), f"tag:example.org,2022:{item['date'][:10]}/{item['slug']}")
            for item in newest_first
        ]
        feed = json.loads(documents["feed.json"])
        assert [(i["title"], i["id"]) for i in feed["items"]] == expected
        read_back = [(as_feedparser_reads(title), id_) for title, id_ in expected]
        for name in ("rss.xml", "atom.xml"):
            parsed = feedparser.parse(documents[name])
            assert parsed.bozo == 0, (name, parsed.get("bozo_exception"))
            found = [(" ".join(e.title.split()), e.id) for e in parsed.entries]
            if name == "rss.xml":
                found = [as_html_shows(f, e) for f, e in zip(found, read_back, strict=True)]
                read_back_rss = [as_html_shows(sanitized(e), e) for e in read_back]
                assert found == read_back_rss, name
            else:
                assert found == read_back, name


@settings(max_examples=40, deadline=None)
@given(text(WITH_SURROGATES))
@example("Smile \ud83d\ude00")
@example("Plain")
def test_titles_with_lone_surrogates_are_refused_or_build_valid(title: str) -> None:
    assume(normalized(title))
    with site_folder() as root:
        item = {"slug": "s", "title": title, "date": "2022-03-01 10:00", "body": "Body."}
        write_site(root, [item])
        try:
            build(BuildOptions(root / "feeds.yaml", now=NOW))
        except InputError as exc:
            # YAML escapes a surrogate as "\uD800", which YAML (rightly) refuses to read back.
            assert any(0xD800 <= ord(c) <= 0xDFFF for c in title)
            assert [str(p) for p in exc.problems] == [
                f'{root}/content/s.md:3: invalid YAML: a "\\u" escape in double quotes is not '
                "a character (a lone surrogate?); write the character itself"
            ]
            assert not (root / "public").exists()
            return
        feed = json.loads((root / "public" / "feed.json").read_bytes())
        assert [i["title"] for i in feed["items"]] == [normalized(title)]


KEY = st.one_of(
    st.sampled_from(["..", ".", "../x", "a/b", "/abs", "_media", "Asia", "x\x00y", "a\\b", "~"]),
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=8),
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True),
)


@settings(max_examples=120, deadline=None)
@example(region="asia", country="india", slug="ok", image="pic.png")
@example(region="..", country="../x", slug="../../up", image="../pic.png")
@given(
    region=KEY,
    country=KEY,
    slug=KEY,
    image=st.sampled_from(["pic.png", "../pic.png", "sub/../pic.png", "/pic.png", "./pic.png"]),
)
def test_output_stays_inside_the_output_folder(
    region: str, country: str, slug: str, image: str
) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["regions"] = {region: {"title": "R", "countries": {country: {"title": "C"}}}}
    with site_folder() as folder:
        root = folder / "site"
        item = {"file": "file", "slug": slug, "title": "T", "date": "2022-03-01", "body": "B"}
        write_site(root, [{**item, "countries": [country], "image": image}], config)
        (root / "content" / "pic.png").write_bytes(b"png")
        (folder / "pic.png").write_bytes(b"outside")
        before = set(walk(folder))
        try:
            build(BuildOptions(root / "feeds.yaml", now=NOW))
        except InputError:
            pass
        created = set(walk(folder)) - before
        for path in created:
            assert path.startswith(("site/public/", "site/.feedpub/")), path
        out = root / "public"
        for path in created:
            if path.startswith("site/public/"):
                real = os.path.realpath(folder / path)
                assert real.startswith(os.path.realpath(out) + os.sep), path


def walk(folder: Path) -> list[str]:
    return [
        Path(dirpath, name).relative_to(folder).as_posix()
        for dirpath, _, names in os.walk(folder)
        for name in names
    ]
