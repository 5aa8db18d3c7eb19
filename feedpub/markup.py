"""Markdown body -> sanitized HTML with absolute URLs, and a plain-text summary.

Readers ignore xml:base, so every href/src is made absolute against the article's link;
the HTML then passes an allow-list sanitizer (nh3) so no script reaches a subscriber.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urljoin

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from feedpub.fields import XML_FORBIDDEN
from feedpub.model import Rendered

# Bumped whenever rendering changes, so cached HTML from an older feedpub is not reused.
RENDER_VERSION = "2"
URL_SCHEMES = {"http", "https", "mailto"}
_URL_ATTRIBUTES = {"href", "src", "cite", "poster"}
_SPACE = re.compile(r"\s+")


@functools.cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def render(body: str, base_url: str, summary: str | None) -> Rendered:
    """Render a Markdown body; ``summary`` defaults to the first paragraph as plain text.

    Character references to characters XML forbids (``&#x7;``) decode into them, so they are
    removed from both results: no feed may contain them.
    """
    md = _markdown()
    tokens = md.parse(body)
    html = md.renderer.render(tokens, md.options, {})
    plain = summary if summary else first_paragraph(tokens)
    return Rendered(XML_FORBIDDEN.sub("", sanitize(html, base_url)), XML_FORBIDDEN.sub("", plain))


def sanitize(html: str, base_url: str) -> str:
    """Allow-list clean ``html`` and make every URL in it absolute against ``base_url``."""

    def absolute(tag: str, attribute: str, value: str) -> str | None:
        if attribute in _URL_ATTRIBUTES:
            return urljoin(base_url, value.strip())
        return value

    cleaned: str = nh3.clean(
        html, url_schemes=URL_SCHEMES, attribute_filter=absolute, link_rel=None
    )
    return cleaned.strip()


def first_paragraph(tokens: list[Token]) -> str:
    """The plain text of the first top-level paragraph, whitespace collapsed."""
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0:
            inline = tokens[index + 1]
            return _SPACE.sub(" ", plain_text(inline.children or [])).strip()
    return ""


def plain_text(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(plain_text(child.children or []))
    return "".join(parts)
