"""Markdown body -> sanitized HTML with absolute URLs, and a plain-text summary.

Markdown goes through cmark-gfm (GitHub's fork of the CommonMark reference implementation,
in C: seven times faster than markdown-it-py here) with tables, strikethrough and autolinks.
Readers ignore xml:base, so every href/src is made absolute against the article's link; the
HTML then passes an allow-list sanitizer (nh3) so no script reaches a subscriber.
"""

from __future__ import annotations

import ctypes
import re
from functools import cache
from html import unescape
from typing import Any
from urllib.parse import urljoin

import nh3
from cmarkgfm import _cmark
from cmarkgfm.cmark import Options

from feedpub.inputs.fields import XML_FORBIDDEN
from feedpub.model import Rendered

# Whenever rendering changes, bump feedpub.versions.RENDER_VERSION: every feed is rewritten.
# Raw HTML is kept for nh3 to judge; GFM's tagfilter would show <script> as visible text.
_OPTIONS = Options.CMARK_OPT_UNSAFE
_EXTENSIONS = ["table", "strikethrough", "autolink"]
# The only schemes a URL in published HTML may have, checked on the final URL (after
# stripping and joining to the article link): anything else (javascript:, data:, vbscript:,
# ftp:, file:, ...) loses its attribute.
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_ALLOWED_URL = re.compile(r"(?:https?|mailto|tel):", re.I)
_URL_ATTRIBUTES = {"href", "src", "cite", "poster", "longdesc", "action", "formaction"}
# URL lists that cannot be checked as one URL: dropped, should nh3 ever allow them.
_URL_LIST_ATTRIBUTES = {"srcset", "ping", "archive", "codebase", "background"}
_SPACE = re.compile(r"\s+")
# Block tags that hold paragraphs: a <p> inside one is not a top-level paragraph.
_BLOCK = re.compile(r"<(/?)(p|blockquote|ul|ol|li|table|details|div|dl|figure)\b[^>]*>", re.I)
_IMAGE = re.compile(r"<img\b[^>]*?\balt=\"([^\"]*)\"[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def render(body: str, base_url: str, summary: str | None) -> Rendered:
    """Render a Markdown body; ``summary`` defaults to the first paragraph as plain text.

    Character references to characters XML forbids (``&#x7;``) decode into them, so they are
    removed from both results: no feed may contain them.
    """
    html = XML_FORBIDDEN.sub("", markdown_to_html(body))
    plain = XML_FORBIDDEN.sub("", summary) if summary else first_paragraph(html)
    # The sanitizer decodes references in raw HTML too, so the forbidden go once more.
    return Rendered(XML_FORBIDDEN.sub("", sanitize(html, base_url)), plain)


def markdown_to_html(body: str) -> str:
    """cmark-gfm's HTML of ``body``, with our options and extensions.

    What ``cmarkgfm.markdown_to_html_with_extensions`` does, through the same calls, but
    freeing what that wrapper leaks on every call (the document tree and the HTML buffer:
    about 27 KB an article, 1.3 GB over a 50,000-article cold build or a long ``serve``).
    """
    lib, ffi = _cmark.lib, _cmark.ffi
    lib.cmark_gfm_core_extensions_ensure_registered()
    parser = lib.cmark_parser_new(_OPTIONS)
    try:
        for name in _EXTENSIONS:
            lib.cmark_parser_attach_syntax_extension(
                parser, lib.cmark_find_syntax_extension(name.encode())
            )
        data = body.encode("utf-8")
        lib.cmark_parser_feed(parser, data, len(data))
        root = lib.cmark_parser_finish(parser)
        try:
            output = lib.cmark_render_html(
                root, _OPTIONS, lib.cmark_parser_get_syntax_extensions(parser)
            )
            try:
                return str(ffi.string(output).decode("utf-8"))
            finally:
                _release().free(_address(output))
        finally:
            _release().cmark_node_free(_address(root))
    finally:
        lib.cmark_parser_free(parser)


def _address(pointer: Any) -> int:
    return int(_cmark.ffi.cast("uintptr_t", pointer))


@cache
def _release() -> ctypes.CDLL:
    """cmark's ``cmark_node_free`` and the C library's ``free`` (which cmark's default
    allocator pairs with), found through cmarkgfm's own extension module."""
    library = ctypes.CDLL(_cmark.__file__)
    for name in ("cmark_node_free", "free"):
        getattr(library, name).argtypes = [ctypes.c_void_p]
        getattr(library, name).restype = None
    return library


def sanitize(html: str, base_url: str) -> str:
    """Allow-list clean ``html`` and make every URL in it absolute against ``base_url``."""

    def absolute(tag: str, attribute: str, value: str) -> str | None:
        if attribute in _URL_LIST_ATTRIBUTES:
            return None
        if attribute in _URL_ATTRIBUTES:
            return safe_url(urljoin(base_url, value.strip()))
        return value

    cleaned: str = nh3.clean(
        html, url_schemes=set(ALLOWED_SCHEMES), attribute_filter=absolute, link_rel=None
    )
    return cleaned.strip()


def safe_url(url: str) -> str | None:
    """``url`` if it starts, exactly as written, with an allowed scheme; else None.

    Checked on the final value: nh3 judges the URL as written, and a leading U+3000 or
    no-break space made it look relative to nh3 and then vanished in ``strip()``."""
    return url if _ALLOWED_URL.match(url) else None


def first_paragraph(html: str) -> str:
    """The plain text of the first top-level paragraph of rendered HTML, whitespace collapsed
    (images count as their alt text, other tags as nothing)."""
    depth = 0
    for match in _BLOCK.finditer(html):
        closing, tag = match[1], match[2].lower()
        if tag == "p" and not closing and depth == 0:
            end = html.find("</p>", match.end())
            inner = html[match.end() : end if end >= 0 else len(html)]
            text = unescape(_TAG.sub("", _IMAGE.sub(r"\1", inner)))
            return _SPACE.sub(" ", text).strip()
        if tag != "p":
            depth += -1 if closing else 1
    return ""
