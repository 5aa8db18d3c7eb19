"""No URL that leaves feedpub can run code: every href, src and cite in rendered HTML, and
every link and image URL in the published RSS, Atom and JSON Feed, is absent or starts with
an allowed scheme, whatever was written in the content (issue 9, security)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from support.sites import Site

from feedpub.validator import validate_document
from feedpub.writers.markup import ALLOWED_SCHEMES, sanitize

BASE = "https://example.org/2022/hartal/"
_ALLOWED = re.compile(r"(?:https?|mailto|tel):", re.I)
# What the issue found, and its cousins: Unicode spaces a Python strip() removes but a browser
# does not, controls a browser skips, entity-encoded schemes, data: and vbscript:.
HOSTILE = [
    "&nbsp;javascript:alert(document.cookie)",
    "\u00a0javascript:alert(1)",
    "\u3000javascript:alert(1)",
    "\u2028javascript:alert(1)",
    "\u2003javascript:alert(1)",
    "\u205fjavascript:alert(1)",
    "\ufeffjavascript:alert(1)",
    "&#x3000;javascript:alert(1)",
    "&#12288;data:text/html,<script>alert(1)</script>",
    "\u00a0data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    " vbscript:msgbox(1)",
    "JaVaScRiPt:alert(1)",
    "\u2029\u00a0 javascript:alert(1)",
    "//evil.example/x",
    "ftp://example.org/file",
    "file:///etc/passwd",
]
TAGS = [
    ("a", "href"),
    ("img", "src"),
    ("blockquote", "cite"),
    ("q", "cite"),
    ("del", "cite"),
    ("ins", "cite"),
    ("img", "srcset"),
    ("a", "ping"),
    ("img", "longdesc"),
]


def is_safe(url: str) -> bool:
    """Allowed exactly as written: no leading character of any kind before the scheme."""
    return _ALLOWED.match(url) is not None


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "cite", "srcset", "ping", "longdesc", "poster", "action"):
                self.found.append((tag, name, value or ""))


def urls_in(html: str) -> list[tuple[str, str, str]]:
    parser = _Urls()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_allow_list_is_what_the_readme_says() -> None:
    assert ALLOWED_SCHEMES == {"http", "https", "mailto", "tel"}


def test_every_hostile_url_is_dropped_or_made_safe() -> None:
    for value in HOSTILE:
        for tag, attribute in TAGS:
            markup = f'<{tag} {attribute}="{value}">x</{tag}>'
            for found in urls_in(sanitize(markup, BASE)):
                assert is_safe(found[2]), (value, found)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(TAGS),
    st.lists(
        st.one_of(
            st.text(max_size=6),
            st.sampled_from(
                ["javascript:", "data:", "&nbsp;", "&#x3000;", "\u3000", "\u00a0", "\t", ":"]
            ),
        ),
        max_size=5,
    ).map("".join),
)
@example(("a", "href"), "&nbsp;javascript:alert(document.cookie)")
def test_any_string_in_a_url_attribute_comes_out_absent_or_allowed(
    place: tuple[str, str], value: str
) -> None:
    tag, attribute = place
    quoted = value.replace('"', "&quot;")
    for found in urls_in(sanitize(f'<{tag} {attribute}="{quoted}">x</{tag}>', BASE)):
        assert is_safe(found[2]), (value, found)


def published_urls(out: Path) -> list[str]:
    """Every URL-like value a reader takes from the published feeds: element links, and every
    href/src/cite inside the HTML the feeds carry."""
    urls: list[str] = []
    for path in sorted(out.rglob("*")):
        if path.name in ("rss.xml", "atom.xml"):
            root = etree.fromstring(path.read_bytes())
            for element in root.iter():
                if not isinstance(element.tag, str):
                    continue
                local = etree.QName(element).localname
                urls += [element.get(a) or "" for a in ("href", "url") if element.get(a)]
                if local in ("link", "comments") and element.text and element.text.strip():
                    urls.append(element.text)
                if local in ("description", "encoded", "content", "summary") and element.text:
                    urls += [u for _, _, u in urls_in(element.text)]
        elif path.name == "feed.json":
            document = json.loads(path.read_bytes())
            for item in document["items"]:
                urls += [item.get(k, "") for k in ("url", "external_url", "image") if k in item]
                urls += [a["url"] for a in item.get("attachments", [])]
                urls += [u for _, _, u in urls_in(item.get("content_html", ""))]
    return urls


def test_hostile_urls_in_a_body_never_reach_a_published_feed(site: Site) -> None:
    lines = []
    for index, value in enumerate(HOSTILE):
        lines.append(f'<p><a href="{value}">link {index}</a> <img src="{value}" alt="i"></p>')
        lines.append(f'<blockquote cite="{value}">quote {index}</blockquote>')
        lines.append(f"[md {index}]({value.replace(' ', '%20')})")
    site.article("asia/hostile", "\n\n".join(lines) + "\n", title="Hostile", date="2022-03-01")
    site.build()
    urls = published_urls(site.out)
    assert urls
    assert [u for u in urls if not is_safe(u)] == []
    # Made relative by a leading Unicode space, the value is a harmless path on the site.
    assert "https://example.org/hostile/%C2%A0javascript:alert(1)" in urls


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def runs_no_code(url: str) -> bool:
    """As a browser reads an attribute: leading C0 controls and spaces skipped, tabs and
    newlines ignored; then either no scheme (a relative link) or an allowed one."""
    compact = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21))))
    scheme = _SCHEME.match(compact)
    return scheme is None or scheme[1].lower() in ALLOWED_SCHEMES


def test_hostile_urls_in_a_body_never_reach_a_published_page(site: Site) -> None:
    lines = [
        f'<a href="{value}">{index}</a> <img src="{value}">' for index, value in enumerate(HOSTILE)
    ]
    site.article("asia/hostile", "\n\n".join(lines) + "\n", title="Hostile", date="2022-03-01")
    site.build()
    pages = sorted(site.out.rglob("*.html"))
    assert pages
    for page in pages:
        found = urls_in(page.read_text(encoding="utf-8"))
        assert [u for u in found if not runs_no_code(u[2])] == [], page


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=5),
            st.sampled_from(["javascript:", "data:text/html,", "&nbsp;", "\u3000", "&#x2028;"]),
        ),
        min_size=1,
        max_size=4,
    ).map("".join)
)
def test_any_href_or_src_in_a_body_is_published_absent_or_allowed(value: str) -> None:
    import tempfile
    from unittest import mock

    import yaml
    from support.sites import BASE_CONFIG, NOW

    from feedpub.pipeline.build import BuildOptions, build

    quoted = value.replace('"', "&quot;").replace("<", "&lt;")
    body = f'<a href="{quoted}">a</a> <img src="{quoted}" alt="b"> <q cite="{quoted}">c</q>\n'
    with tempfile.TemporaryDirectory() as folder, mock.patch("os.fsync"):
        root = Path(folder)
        (root / "content").mkdir()
        (root / "feeds.yaml").write_text(yaml.safe_dump(BASE_CONFIG), encoding="utf-8")
        (root / "content" / "x.md").write_text(
            f"---\ntitle: X\ndate: 2022-03-01\n---\n{body}", encoding="utf-8"
        )
        build(BuildOptions(root / "feeds.yaml", now=NOW))
        assert [u for u in published_urls(root / "public") if not is_safe(u)] == []


def test_the_validator_calls_a_script_url_an_error() -> None:
    feed = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>T</title><id>urn:x:y</id><updated>2006-01-02T15:04:05Z</updated>"
        b"<author><name>A</name></author><entry><title>E</title><id>urn:x:e</id>"
        b'<link href="https://example.org/e"/><updated>2006-01-02T15:04:05Z</updated>'
        b'<content type="html">&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</content>'
        b"</entry></feed>"
    )
    found = [(m.severity, m.code) for m in validate_document(feed)]
    assert ("error", "JavascriptURL") in found
