"""URI, IRI, e-mail, MIME type and language tag syntax, as the W3C validator checks them.

Each function returns None for an acceptable value, or the code of the problem.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from feedpub.languages import is_language

__all__ = ["is_language"]  # re-exported: its one home is feedpub.languages

URI_CHARACTERS = frozenset(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ;/?:@&=+$.-_!~*'()%,#"
)
_REFERENCE = re.compile(
    r"(?:[a-zA-Z][0-9a-zA-Z+\-.]*:)?/{0,2}(?:\[[0-9A-Fa-f:]+\])?[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,#]*\Z"
)
_ABSOLUTE = re.compile(r"[a-zA-Z][0-9a-zA-Z+\-.]*:(?://)?[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,#]+\Z")
_AUTHORITY = re.compile(r"\w+://[^/]")
_URN = re.compile(
    r"[Uu][Rr][Nn]:[a-zA-Z0-9][a-zA-Z0-9-]{1,31}:(?:[a-zA-Z0-9()+,.:=@;$_!*'\-]|%[0-9A-Fa-f]{2})+\Z"
)
_UUID = re.compile(r"urn:uuid:[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}\Z", re.I)
_TAG = re.compile(
    r"tag:(?:[a-z0-9\-._]+?@)?[a-z0-9.\-]+?,\d{4}(?:-\d{2}(?:-\d{2})?)?:"
    r"[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,]*(?:#[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,]*)?\Z"
)
_HTTP_URL = re.compile(
    r"https?://(?:(?:[0-9]{1,3}\.){3}|(?:[A-Z0-9\-]+\.)+)[A-Z0-9][-A-Z0-9]*(?::\d+)?(?:/|\Z)", re.I
)
_DOMAIN = r"(?:(?:[0-9]{1,3}\.){3}|(?:[A-Z0-9\-]+\.)+)[A-Z0-9][-A-Z0-9]*"
_ADDR_SPEC = re.compile(r"[A-Z0-9_\-+.']+@" + _DOMAIN + r"\Z", re.I)
_SIMPLE_ADDR = re.compile(r"[\w.%+-]+@[A-Za-z][\w.-]+\Z")
_TOKEN = r"[^\s()<>,;:\\\"/\[\]?=]+"
_MIME = re.compile(
    _TOKEN + "/" + _TOKEN + r"(?:\s*;\s*" + _TOKEN + r"=(?:\"(?:\\\"|[^\"])*\"|" + _TOKEN + r"))*\Z"
)


def uri_problem(
    value: str, *, absolute: bool, iri: bool = False, w3c_idna: bool = True
) -> str | None:
    """Check a URI reference; `absolute` requires a scheme, `iri` allows non-ASCII characters.

    With `iri`, non-ASCII characters are judged through IDNA as the W3C validator does
    (`w3c_idna`), or simply accepted (`w3c_idna=False`, for JSON Feed, which W3C ignores).

    Returns InvalidFullLink (relative where absolute is required), InvalidLink/InvalidIRI
    (malformed), InvalidUriChar (an ASCII character URIs never contain, such as a space),
    InvalidTAG, InvalidURN or InvalidUUID; None when the value is fine.
    """
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme == "tag":
        return None if _TAG.match(value) else "InvalidTAG"
    if scheme == "urn":
        if value.lower().startswith("urn:uuid:"):
            return None if _UUID.match(value) else "InvalidUUID"
        return None if _URN.match(value) else "InvalidURN"
    default = "InvalidFullLink" if absolute else ("InvalidIRI" if iri else "InvalidLink")
    if not iri or value.isascii():  # an ASCII value is its own IDNA and "x" form
        candidate = value
    elif w3c_idna:
        candidate = _ascii_form(value)
    else:
        candidate = "".join(c if c.isascii() else "x" for c in value)
    if not (_ABSOLUTE if absolute else _REFERENCE).match(candidate):
        if any(ord(c) < 128 and c not in URI_CHARACTERS for c in candidate):
            return "InvalidUriChar"
        return default
    if scheme in ("http", "https", "ftp") and not _AUTHORITY.match(value):
        return default
    return None


def is_http_url(value: str) -> bool:
    """True for an absolute http(s) URL with a dotted host name (enclosure and image URLs)."""
    return bool(_HTTP_URL.match(value)) and uri_problem(value, absolute=True) is None


def is_addr_spec(value: str) -> bool:
    """True for a bare e-mail address such as `name@example.org`."""
    return bool(_ADDR_SPEC.match(value) or _SIMPLE_ADDR.match(value))


def is_mime_type(value: str) -> bool:
    """True for a media type such as `audio/mpeg` or `text/html; charset=utf-8`."""
    return bool(_MIME.match(value))


def same_location(left: str, right: str) -> bool:
    """True when two absolute URLs name the same resource (case of scheme and host, default
    ports and an empty path aside)."""
    return _normal_url(left) == _normal_url(right)


def _normal_url(url: str) -> tuple[str, str, str, str]:
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return (url, "", "", "")
    scheme = parts.scheme.lower()
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    return (scheme, host, parts.path or "/", parts.query)


def _ascii_form(value: str) -> str:
    """The IRI with non-ASCII text in IDNA (punycode) form, as the W3C validator checks it.

    Python's IDNA codec works label by label (between dots); when a label is longer than 63
    characters it fails and the value stays as it was, so a long non-ASCII path is then
    rejected. That quirk is kept on purpose: this validator aims to agree with the W3C one.
    """
    try:
        return value.encode("idna").decode("ascii")
    except UnicodeError:
        return value
