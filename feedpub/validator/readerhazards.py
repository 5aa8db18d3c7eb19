"""Valid markup that real readers still get wrong: warnings, never errors.

- A prefix on elements of the feed's own namespace (`<ns0:link xmlns:ns0="...Atom">`): sfeed
  then loses the element, and the W3C service warns AvoidNamespacePrefix.
- A `media:description` in an item that has its own description or summary: feedparser
  (6.0.10 to 6.0.14) takes it for the item's `summary_detail`, so rss2email mails the
  image's caption instead of the article.
"""

from __future__ import annotations

from lxml import etree

from . import namespaces as ns
from .tree import Key, Scope, display_name, key_of


def check_own_namespace_prefix(scope: Scope, root: etree._Element, namespace: str) -> None:
    """Warn about every element of ``namespace`` written with a prefix."""
    for element in root.iter(f"{{{namespace}}}*"):  # lxml picks the namespace's elements
        if element.prefix:
            if etree.QName(element).namespace == namespace:
                scope.warning(
                    "AvoidNamespacePrefix",
                    f"{display_name(element)} is in the feed's own namespace: write it "
                    "without a prefix (some readers only know the unprefixed name)",
                    element,
                )


def check_summary_hijack(scope: Scope, item: etree._Element, summary: Key) -> None:
    """Warn when a media:description inside ``item`` would replace its ``summary`` element
    (RSS `description`, Atom `summary`) in feedparser."""
    if not any(isinstance(c.tag, str) and key_of(c) == summary for c in item):
        return
    for element in item.iter(f"{{{ns.MEDIA}}}description"):
        scope.warning(
            "MediaDescriptionHidesSummary",
            f"{display_name(element)} becomes feedparser's summary_detail in place of the "
            "item's own summary (rss2email mails it): use media:title or alt text in content",
            element,
        )
