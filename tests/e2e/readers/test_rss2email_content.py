"""rss2email mails the whole article from every format, in its default plain-text mode too.

r2e picks an entry's text by media type: with ``html-mail = False`` (its default) it takes the
first ``text/plain`` candidate, and feedparser lists an Atom entry's ``<summary type="text">``
as one, ahead of the HTML content. So an Atom feed with a plain-text summary was mailed as its
summary alone, without the image or the caption; the summary is HTML (escaped text) now, as
RSS's description always was, and the content comes first.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from e2e.readers.clients import Rss2email
from e2e.readers.served import RICH_ARTICLES, Served, expected_items, need_tool

_TAG = re.compile(r"<[^>]+>")


class PlainRss2email(Rss2email):
    """r2e as a new user runs it: its default configuration, plain-text mail."""

    html_mail = False


def text_of(fragment: str) -> str:
    """Words of an HTML fragment, or of html2text's Markdown (emphasis marks dropped)."""
    return " ".join(re.sub(r"[_*]", "", html.unescape(_TAG.sub(" ", fragment))).split())


@pytest.mark.parametrize("client", [PlainRss2email, Rss2email])
@pytest.mark.parametrize("document", ["atom.xml", "rss.xml"])
def test_the_mail_holds_the_full_content_and_the_image(
    served: Any, tmp_path: Path, client: type[Rss2email], document: str
) -> None:
    need_tool("r2e", "rss2email")
    site: Served = served("rich")
    reader = client(tmp_path / "r2e")
    reader.subscribe([site.url(document)])
    (mails,) = reader.update().values()
    expected = {e.id: e for e in expected_items(site, "")}
    assert sorted(m.id for m in mails) == sorted(expected)
    for mail in mails:
        item = expected[mail.id]
        body = mail.text if client.html_mail else " ".join(mail.text.split())
        # The content, to its last words (html2text rewraps lines and marks emphasis).
        assert text_of(item.content_html)[-30:] in text_of(body), (document, mail.id)
        if item.image:  # the lead figure, as an image: not only r2e's "Enclosure:" line
            shown = f'src="{item.image}"' if client.html_mail else f"]({item.image})"
            assert shown in body, (document, mail.id)
    caption = RICH_ARTICLES["rock-and-roll"][0]["image_caption"]
    assert sum(caption in " ".join(mail.text.split()) for mail in mails) == 1
