"""JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/).

Required: version, title, items; each item needs an id and content_html or content_text.
URLs must be absolute, dates RFC 3339, authors objects with a name, url or avatar. Fields the
specification does not define must start with an underscore.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .dates import check_rfc3339
from .htmlscan import scan_html
from .itemmemo import ItemMemo, check_item
from .jsonpos import JsonPath, value_positions
from .messages import NOWHERE, Position, Report
from .uris import is_language, is_mime_type, same_location, uri_problem

VERSIONS = ("https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1")
_FEED_URLS = ("home_page_url", "feed_url", "next_url", "icon", "favicon")
_ITEM_URLS = ("url", "external_url", "image", "banner_image")
_FEED_FIELDS = frozenset(
    {
        "version",
        "title",
        "items",
        "description",
        "user_comment",
        "author",
        "authors",
        "language",
        "expired",
        "hubs",
        *_FEED_URLS,
    }
)
_ITEM_FIELDS = frozenset(
    {
        "id",
        "title",
        "content_html",
        "content_text",
        "summary",
        "date_published",
        "date_modified",
        "author",
        "authors",
        "tags",
        "language",
        "attachments",
        *_ITEM_URLS,
    }
)
_TYPE_NAMES = {str: "a string", list: "an array", dict: "an object", bool: "true or false"}


def check_json_feed(
    text: str,
    report: Report,
    now: datetime,
    self_url: str | None,
    items: ItemMemo | None = None,
) -> Decoded | None:
    """Check a JSON Feed document given as text (each distinct item once, with `items`); its
    decoded value, None when it is not JSON."""
    duplicates: list[str] = []

    def keep_last(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    try:
        feed = json.loads(text, object_pairs_hook=keep_last, parse_constant=_reject)
    except json.JSONDecodeError as exc:
        report.error("InvalidJSON", f"not valid JSON: {exc.msg}", (exc.lineno, exc.colno))
        return None
    except (ValueError, RecursionError) as exc:  # NaN, huge integers, deep nesting
        report.error("InvalidJSON", f"not valid JSON: {exc}")
        return None
    for key in dict.fromkeys(duplicates):
        report.warning(
            "DuplicateKey", f"key {key!r} appears twice in one object; readers keep the last"
        )
    _FeedChecker(report, text, now, self_url, items).check(feed)
    return Decoded(feed)


@dataclass(frozen=True)
class Decoded:
    """A JSON document's value (a class of its own: the document may be `null`)."""

    value: Any


def _reject(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class _FeedChecker:
    """Walks the decoded JSON, reporting at the recorded positions."""

    def __init__(
        self,
        report: Report,
        text: str,
        now: datetime,
        self_url: str | None,
        items: ItemMemo | None = None,
    ) -> None:
        self.report = report
        self.items = items
        self.text = text
        self._positions: dict[JsonPath, Position] | None = None
        self.now = now
        self.self_url = self_url

    def where(self, path: JsonPath) -> Position:
        """Position of `path`, or of its nearest recorded ancestor. Positions are worked out
        on the first message only: a valid feed never pays for them."""
        if self._positions is None:
            self._positions = value_positions(self.text)
        while path and path not in self._positions:
            path = path[:-1]
        return self._positions.get(path, NOWHERE)

    def error(self, code: str, label: str, text: str, path: JsonPath) -> None:
        self.report.error(code, f"{label}: {text}", self.where(path))

    def warning(self, code: str, label: str, text: str, path: JsonPath) -> None:
        self.report.warning(code, f"{label}: {text}", self.where(path))

    def field(
        self,
        obj: dict[str, Any],
        key: str,
        kind: type,
        label: str,
        path: JsonPath,
        *,
        required: bool = False,
    ) -> Any:
        """The value of `key` if present and of type `kind`, else None (after reporting)."""
        if key not in obj:
            if required:
                self.error("MissingField", label, f'"{key}" is required', path)
            return None
        value = obj[key]
        is_kind = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
        if not is_kind:
            self.error(
                "UnexpectedType",
                label,
                f'"{key}" must be {_TYPE_NAMES[kind]}, found {_type_name(value)}',
                path + (key,),
            )
            return None
        return value

    def check(self, feed: Any) -> None:
        """Check the top-level object and every item."""
        if not isinstance(feed, dict):
            self.report.error(
                "UnexpectedType",
                f"feed: a JSON Feed is an object, found {_type_name(feed)}",
                (1, 1),
            )
            return
        label = "feed"
        self.check_version(feed)
        self.field(feed, "title", str, label, (), required=True)
        for key in ("description", "user_comment"):
            self.field(feed, key, str, label, ())
        self.check_urls(feed, _FEED_URLS, label, ())
        self.check_authors(feed, label, ())
        self.check_language(feed, label, ())
        self.field(feed, "expired", bool, label, ())
        self.check_hubs(feed)
        self.check_unknown(feed, _FEED_FIELDS, label, ())
        feed_url = feed.get("feed_url")
        url = self.self_url
        if url and isinstance(feed_url, str) and not same_location(feed_url, url):
            self.error(
                "SelfDoesntMatchLocation",
                label,
                f'"feed_url" {feed_url!r} is not where the feed is published ({self.self_url})',
                ("feed_url",),
            )
        items = self.field(feed, "items", list, label, (), required=True)
        ids: dict[str, int] = {}
        for number, item in enumerate(items or [], start=1):
            self.check_item(item, number, ids)

    def check_version(self, feed: dict[str, Any]) -> None:
        """`version` must be the JSON Feed 1 or 1.1 URL."""
        version = self.field(feed, "version", str, "feed", (), required=True)
        if version is None or version in VERSIONS:
            return
        relaxed = version.replace("http://", "https://").replace("//www.", "//").rstrip("/")
        if relaxed in VERSIONS:
            self.warning(
                "NonCanonicalVersion",
                "feed",
                f'"version" should be exactly {relaxed!r}',
                ("version",),
            )
        else:
            self.error(
                "InvalidVersion",
                "feed",
                f'"version" {version!r} must be {VERSIONS[1]!r} (or {VERSIONS[0]!r})',
                ("version",),
            )

    def check_urls(
        self, obj: dict[str, Any], keys: tuple[str, ...], label: str, path: JsonPath
    ) -> None:
        for key in keys:
            value = self.field(obj, key, str, label, path)
            if value is not None:
                self.check_url(value, f'"{key}"', label, path + (key,))

    def check_url(self, value: str, what: str, label: str, path: JsonPath) -> None:
        if uri_problem(value, absolute=True, iri=True, w3c_idna=False):
            self.error("InvalidFullLink", label, f"{what} {value!r} is not an absolute URL", path)

    def check_language(self, obj: dict[str, Any], label: str, path: JsonPath) -> None:
        value = self.field(obj, "language", str, label, path)
        if value is not None and not is_language(value):
            self.error(
                "InvalidLanguage",
                label,
                f"\"language\" {value!r} is not a language code like 'en-US'",
                path + ("language",),
            )

    def check_authors(self, obj: dict[str, Any], label: str, path: JsonPath) -> None:
        """`authors` (1.1) and the deprecated `author` (1.0): objects with name, url or avatar."""
        author = self.field(obj, "author", dict, label, path)
        if author is not None:
            if obj.get("version", "") == VERSIONS[1] or "authors" in obj:
                self.warning(
                    "DeprecatedField",
                    label,
                    '"author" is deprecated in JSON Feed 1.1: use "authors"',
                    path + ("author",),
                )
            self.check_author(author, label, path + ("author",))
        authors = self.field(obj, "authors", list, label, path)
        for index, entry in enumerate(authors or []):
            if not isinstance(entry, dict):
                self.error(
                    "UnexpectedType",
                    label,
                    f'"authors" entries must be objects, found {_type_name(entry)}',
                    path + ("authors", index),
                )
            else:
                self.check_author(entry, label, path + ("authors", index))

    def check_author(self, author: dict[str, Any], label: str, path: JsonPath) -> None:
        if not any(key in author for key in ("name", "url", "avatar")):
            self.error("MissingField", label, "an author needs a name, url or avatar", path)
        self.field(author, "name", str, label, path)
        self.check_urls(author, ("url", "avatar"), label, path)

    def check_hubs(self, feed: dict[str, Any]) -> None:
        hubs = self.field(feed, "hubs", list, "feed", ())
        for index, hub in enumerate(hubs or []):
            path: JsonPath = ("hubs", index)
            if not isinstance(hub, dict):
                self.error("UnexpectedType", "feed", "hubs entries must be objects", path)
                continue
            self.field(hub, "type", str, "feed hub", path, required=True)
            self.field(hub, "url", str, "feed hub", path, required=True)

    def check_unknown(
        self, obj: dict[str, Any], known: frozenset[str], label: str, path: JsonPath
    ) -> None:
        for key in obj:
            if key not in known and not key.startswith("_"):
                self.warning(
                    "UnknownField",
                    label,
                    f'"{key}" is not a JSON Feed field (extensions start with an underscore)',
                    path + (key,),
                )

    def check_item(self, item: Any, number: int, ids: dict[str, int]) -> None:
        """One entry of `items`: id, content, URLs, dates, authors, tags, attachments."""
        label, path = f"item {number}", ("items", number - 1)
        if not isinstance(item, dict):
            self.error(
                "UnexpectedType", label, f"an item is an object, found {_type_name(item)}", path
            )
            return
        self.check_id(item, label, path, ids, number)
        check_item(
            self.items,
            lambda memo: memo.json_key(item, self.now),
            self.report,
            lambda: self.check_item_content(item, label, path),
        )

    def check_item_content(self, item: dict[str, Any], label: str, path: JsonPath) -> None:
        """Everything about one item but its id (unique in the feed, so checked for every
        item of every document): reads nothing but the item and the clock."""
        for key in ("title", "summary", "content_text"):
            self.field(item, key, str, label, path)
        html = self.field(item, "content_html", str, label, path)
        if html is not None:
            for finding in scan_html(html):
                self.warning(
                    finding.code,
                    label,
                    f'"content_html" {finding.detail}',
                    path + ("content_html",),
                )
        if "content_html" not in item and "content_text" not in item:
            self.error(
                "MissingField", label, 'an item needs "content_html" or "content_text"', path
            )
        self.check_urls(item, _ITEM_URLS, label, path)
        for key in ("date_published", "date_modified"):
            self.check_date(item, key, label, path)
        self.check_authors(item, label, path)
        self.check_language(item, label, path)
        self.check_tags(item, label, path)
        self.check_attachments(item, label, path)
        self.check_unknown(item, _ITEM_FIELDS, label, path)

    def check_id(
        self, item: dict[str, Any], label: str, path: JsonPath, ids: dict[str, int], number: int
    ) -> None:
        """`id`: required, a string (numbers are converted by readers), unique in the feed."""
        if "id" not in item:
            self.error("MissingField", label, '"id" is required', path)
            return
        value = item["id"]
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.warning(
                "IdNotString",
                label,
                f'"id" {value!r} should be a string; readers convert it',
                path + ("id",),
            )
            value = str(value)
        elif not isinstance(value, str):
            self.error(
                "UnexpectedType",
                label,
                f'"id" must be a string, found {_type_name(value)}',
                path + ("id",),
            )
            return
        if not value.strip():
            self.warning("NotBlank", label, '"id" is empty', path + ("id",))
        elif value in ids:
            self.error(
                "DuplicateValue",
                label,
                f'"id" {value!r} is also the id of item {ids[value]}',
                path + ("id",),
            )
        else:
            ids[value] = number

    def check_date(self, item: dict[str, Any], key: str, label: str, path: JsonPath) -> None:
        value = self.field(item, key, str, label, path)
        finding = check_rfc3339(value, self.now) if value is not None else None
        if finding is not None:
            self.report.add(
                finding.severity,
                finding.code,
                f'{label}: "{key}" {value!r} {finding.reason}',
                self.where(path + (key,)),
            )

    def check_tags(self, item: dict[str, Any], label: str, path: JsonPath) -> None:
        tags = self.field(item, "tags", list, label, path)
        if tags is not None and not all(isinstance(tag, str) for tag in tags):
            self.error(
                "UnexpectedType", label, '"tags" must be an array of strings', path + ("tags",)
            )

    def check_attachments(self, item: dict[str, Any], label: str, path: JsonPath) -> None:
        attachments = self.field(item, "attachments", list, label, path)
        for index, attachment in enumerate(attachments or []):
            where = path + ("attachments", index)
            if not isinstance(attachment, dict):
                self.error("UnexpectedType", label, "attachments must be objects", where)
                continue
            url = self.field(attachment, "url", str, label, where, required=True)
            if url is not None:
                self.check_url(url, 'attachment "url"', label, where)
            kind = self.field(attachment, "mime_type", str, label, where, required=True)
            if kind is not None and not is_mime_type(kind):
                self.error(
                    "InvalidMIMEType",
                    label,
                    f'attachment "mime_type" {kind!r} is not a MIME type',
                    where,
                )
            for key in ("size_in_bytes", "duration_in_seconds"):
                _number(self, attachment, key, label, where)


def _number(
    checker: _FeedChecker, obj: dict[str, Any], key: str, label: str, path: JsonPath
) -> None:
    value = obj.get(key)
    if key in obj and (isinstance(value, bool) or not isinstance(value, int | float)):
        checker.error("UnexpectedType", label, f'"{key}" must be a number', path)
