"""The visible "Correction (date): note" block an item's content and its page entry end with."""

from __future__ import annotations

from html import escape

from feedpub.model import Article, Correction


def correction_label(correction: Correction) -> str:
    """``Correction (2024-06-01)``: the day as the correction's own date gives it."""
    return f"Correction ({correction.date.date().isoformat()})"


def corrections_markdown(article: Article) -> str:
    """The Markdown of an article's corrections, oldest first, rendered and sanitized like
    its body after it (a thematic break, then one paragraph per correction); '' if none."""
    if not article.corrections:
        return ""
    lines = [f"**{correction_label(c)}:** {c.note}" for c in article.corrections]
    return "* * *\n\n" + "\n\n".join(lines) + "\n"


def corrections_page_html(article: Article) -> str:
    """The corrections as a channel page shows them: plain text, escaped; '' if none."""
    return "".join(
        f"<p class=correction><strong>{escape(correction_label(c))}:</strong> "
        f"{escape(c.note)}</p>\n"
        for c in article.corrections
    )
