"""Value checks shared by the RSS, Atom and extension rules.

Each check has the `ValueCheck` shape `(scope, field, value) -> None` and reports through the
scope. Severities follow the W3C Feed Validation Service: malformed values are errors,
style advice from the RSS Advisory Board profile is a warning.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import unquote

from feedpub.syntax import html_end_tag

from . import dates
from .htmlscan import scan_html
from .tree import Field, Scope, ValueCheck, quote
from .uris import is_addr_spec, is_contact, is_http_url, is_language, is_mime_type, uri_problem

_URI_WORDS = {
    "InvalidFullLink": "is not an absolute URL (it needs a scheme such as https://)",
    "InvalidLink": "is not a valid URL",
    "InvalidIRI": "is not a valid IRI",
    "InvalidUriChar": "contains a character URLs cannot contain (percent-encode it)",
    "InvalidTAG": "is not a valid tag: URI (RFC 4151)",
    "InvalidURN": "is not a valid URN",
    "InvalidUUID": "is not a valid urn:uuid: URN",
}
# "name@example.org (Real Name)" is never longer; longer values skip the address parser.


def full_url(scope: Scope, field: Field, value: str) -> None:
    """An absolute URI (RSS links, guids that are permalinks, Atom ids)."""
    _uri(scope, field, value, absolute=True, iri=False)


def url_reference(scope: Scope, field: Field, value: str) -> None:
    """A URI that may be relative (Atom icon, logo, content src)."""
    _uri(scope, field, value, absolute=False, iri=False)


def iri_reference(scope: Scope, field: Field, value: str) -> None:
    """An IRI that may be relative and may contain non-ASCII characters (Atom link href)."""
    _uri(scope, field, value, absolute=False, iri=True)


def full_iri(scope: Scope, field: Field, value: str) -> None:
    """An absolute IRI (Atom ids, category schemes)."""
    _uri(scope, field, value, absolute=True, iri=True)


def _uri(scope: Scope, field: Field, value: str, *, absolute: bool, iri: bool) -> None:
    code = uri_problem(value, absolute=absolute, iri=iri)
    if code is not None:
        scope.error(code, f"{field.name} {quote(value)} {_URI_WORDS[code]}", field.element)


def http_url(scope: Scope, field: Field, value: str) -> None:
    """An absolute http(s) URL with a dotted host (enclosure url, itunes:image href)."""
    if not is_http_url(value):
        scope.error(
            "InvalidURLAttribute",
            f"{field.name} {quote(value)} is not an absolute http:// or https:// URL",
            field.element,
        )


def rfc822_date(scope: Scope, field: Field, value: str) -> None:
    """An RSS 2.0 date, `Mon, 02 Jan 2006 15:04:05 +0000`."""
    _date(scope, field, value, dates.check_rfc822(value, scope.now))


def rfc3339_date(scope: Scope, field: Field, value: str) -> None:
    """An Atom date, `2006-01-02T15:04:05Z`."""
    _date(scope, field, value, dates.check_rfc3339(value, scope.now))


def w3cdtf_date(scope: Scope, field: Field, value: str) -> None:
    """A Dublin Core date, `2006-01-02T15:04:05Z` or a shorter W3C-DTF form."""
    _date(scope, field, value, dates.check_w3cdtf(value, scope.now))


def _date(scope: Scope, field: Field, value: str, finding: dates.DateFinding | None) -> None:
    if finding is not None:
        text = f"{scope.label}: {field.name} {quote(value)} {finding.reason}"
        scope.report.add(finding.severity, finding.code, text, scope.doc.position(field.element))


def email_with_name(scope: Scope, field: Field, value: str) -> None:
    """RSS managingEditor, webMaster, author: `name@example.org (Real Name)`."""
    if value.startswith("mailto:"):
        value = unquote(value.split(":", 1)[1])
    if value.find("@") > 0 and not value.endswith(")"):
        advice = "write it as 'name@example.org (Real Name)'"
        if value.find(" ") > 0:
            scope.warning("EmailFormat", f"{field.name} {quote(value)}: {advice}", field.element)
        else:
            scope.warning(
                "MissingRealName", f"{field.name} {quote(value)}: {advice}", field.element
            )
        return
    if not is_contact(value):
        scope.error(
            "InvalidContact",
            f"{field.name} {quote(value)} is not an e-mail address "
            "(for a name alone, use <dc:creator>)",
            field.element,
        )


def email_address(code: str) -> ValueCheck:
    """A bare e-mail address (Atom <email>, itunes:email); `code` names the error."""

    def check(scope: Scope, field: Field, value: str) -> None:
        if not is_addr_spec(value):
            scope.error(
                code, f"{field.name} {quote(value)} is not an e-mail address", field.element
            )

    return check


def language(scope: Scope, field: Field, value: str) -> None:
    """A language tag such as `en-us`."""
    if not is_language(value):
        scope.error(
            "InvalidLanguage",
            f"{field.name} {quote(value)} is not a language code like 'en' or 'en-us'",
            field.element,
        )


def mime_type(code: str) -> ValueCheck:
    """A media type such as `audio/mpeg`; `code` names the error."""

    def check(scope: Scope, field: Field, value: str) -> None:
        if not is_mime_type(value):
            scope.error(
                code,
                f"{field.name} {quote(value)} is not a MIME type like 'audio/mpeg'",
                field.element,
            )

    return check


def integer(minimum: int, maximum: int | None = None, code: str = "") -> ValueCheck:
    """A whole number within bounds; `code` overrides the default error code."""
    default = "InvalidPositiveInteger" if minimum > 0 else "InvalidNonNegativeInteger"

    def check(scope: Scope, field: Field, value: str) -> None:
        number = _to_int(value)
        if number is not None and number >= minimum and (maximum is None or number <= maximum):
            return
        bounds = f"from {minimum} to {maximum}" if maximum is not None else f">= {minimum}"
        scope.error(
            code or default,
            f"{field.name} {quote(value)} is not a whole number {bounds}",
            field.element,
        )

    return check


def _to_int(value: str) -> int | None:
    if not re.fullmatch(r"[+-]?[0-9]{1,30}", value):
        return None
    return int(value)


def one_of(choices: Collection[str], code: str, *, fold_case: bool = False) -> ValueCheck:
    """One of a fixed set of values."""

    def check(scope: Scope, field: Field, value: str) -> None:
        candidate = value.lower() if fold_case else value
        if candidate not in choices:
            listed = ", ".join(repr(c) for c in sorted(choices))
            scope.error(code, f"{field.name} {quote(value)} must be one of {listed}", field.element)

    return check


def max_length(limit: int) -> ValueCheck:
    """At most `limit` characters (iTunes limits)."""

    def check(scope: Scope, field: Field, value: str) -> None:
        if len(value) > limit:
            scope.error(
                "TooLong",
                f"{field.name} is {len(value)} characters long; the limit is {limit}",
                field.element,
            )

    return check


def not_blank(scope: Scope, field: Field, value: str) -> None:
    """Warn about an empty value where one is expected."""
    if not value:
        scope.warning("NotBlank", f"{field.name} is empty", field.element)


def plain_text(scope: Scope, field: Field, value: str) -> None:
    """Warn when text meant to be plain contains HTML end tags such as `</b>`."""
    tag = html_end_tag(value)
    if tag is not None:
        scope.warning(
            "ContainsHTML",
            f"{field.name} is plain text but contains HTML ('</{tag}>')",
            field.element,
        )


def safe_html(scope: Scope, field: Field, value: str) -> None:
    """Warn about scripts, event handlers, javascript: URLs and relative links in HTML."""
    _report_html(scope, field, value, link_syntax=False)


def rss_html(scope: Scope, field: Field, value: str) -> None:
    """RSS description and content:encoded: `safe_html`, and malformed relative links are
    errors (W3C: InvalidUriChar)."""
    _report_html(scope, field, value, link_syntax=True)


def _report_html(scope: Scope, field: Field, value: str, *, link_syntax: bool) -> None:
    for finding in scan_html(value, link_syntax=link_syntax):
        text = f"{scope.label}: {field.name} {finding.detail}"
        scope.report.add(finding.severity, finding.code, text, scope.doc.position(field.element))
