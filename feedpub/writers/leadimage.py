"""An article's lead image as a ``<figure>`` at the start of its content HTML.

Many readers and mail tools (Feedly, Inoreader, NetNewsWire, Mailchimp) take the picture
from the content, not from enclosures or Media RSS; Ghost puts the featured image in the body
for the same reason. The figure carries the alt text (and caption), so no Media RSS element
has to, and goes through the same sanitizer and URL absolutisation as the body.
"""

from __future__ import annotations

import html
import re

from feedpub.model import Article
from feedpub.writers.markup import sanitize

_IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]*)\"", re.I)
# A picture linked to its full size (Blogger's, WordPress's): <a href="full"><img src="small">
_LINKED_IMG = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]*)\"[^>]*>\s*<img\b", re.I)


def with_lead_image(body_html: str, article: Article) -> str:
    """``body_html`` led by a figure of the article's image, unless the body shows it already."""
    image = article.image
    if image is None or image.url in shown_images(body_html):
        return body_html
    figure = f'<figure><img src="{html.escape(image.url)}" alt="{html.escape(image.alt or "")}">'
    if image.caption:
        figure += f"<figcaption>{html.escape(image.caption, quote=False)}</figcaption>"
    figure += "</figure>"
    return sanitize(figure, article.link) + body_html


def shown_images(body_html: str) -> set[str]:
    """The src of every <img> in sanitized HTML (which writes attributes double-quoted), and
    the full size each links to."""
    found = _IMG_SRC.findall(body_html) + _LINKED_IMG.findall(body_html)
    return {html.unescape(src) for src in found}
