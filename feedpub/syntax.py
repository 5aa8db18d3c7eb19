"""Value syntax that feeds.yaml and front matter checks share with the validator: the
characters a URI holds, what an e-mail address is and what a tag: URI is.

Outside the validator package (like :mod:`feedpub.languages`) so that the checks, which run on
every build, accept exactly what the validator does without importing it (issue 8)."""

from __future__ import annotations

import re

# RFC 2396 as the W3C validator reads it: '[' and ']' are not among them.
URI_CHARACTERS = frozenset(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ;/?:@&=+$.-_!~*'()%,#"
)
_DOMAIN = r"(?:(?:[0-9]{1,3}\.){3}|(?:[A-Z0-9\-]+\.)+)[A-Z0-9][-A-Z0-9]*"
_ADDR_SPEC = re.compile(r"[A-Z0-9_\-+.']+@" + _DOMAIN + r"\Z", re.I)
_SIMPLE_ADDR = re.compile(r"[\w.%+-]+@[A-Za-z][\w.-]+\Z")
TAG_URI = re.compile(
    r"tag:(?:[a-z0-9\-._]+?@)?[a-z0-9.\-]+?,\d{4}(?:-\d{2}(?:-\d{2})?)?:"
    r"[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,]*(?:#[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,]*)?\Z"
)


LONGEST_CONTACT = 400
# Without these, `address (name)` always parses as the one address (email.utils then need not
# be imported, which a no-op build would pay for).
_COMMENT_SYNTAX = frozenset('()"\\')


def is_addr_spec(value: str) -> bool:
    """True for a bare e-mail address such as `name@example.org`."""
    return bool(_ADDR_SPEC.match(value) or _SIMPLE_ADDR.match(value))


def is_contact(value: str) -> bool:
    """True for an RSS contact, `name@example.org (Real Name)`, whose address a reader's
    parser (``email.utils.getaddresses``) finds."""
    address, _, name = value.partition(" (")
    if len(value) <= LONGEST_CONTACT and name.endswith(")"):
        if _COMMENT_SYNTAX.isdisjoint(name[:-1]) and is_addr_spec(address):
            return True
    from email.utils import getaddresses

    addresses = getaddresses([value]) if len(value) <= LONGEST_CONTACT else []
    return is_addr_spec(addresses[0][1] if len(addresses) == 1 else value)


_HTML_END_TAG = re.compile(r"</(\w+)>")
_COMMON_HTML_TAGS = frozenset(
    "a abbr b big blockquote br code div em font h1 h2 h3 h4 h5 h6 hr i img li ol p pre q s "
    "small span strike strong sub sup table td th tr tt u ul".split()
)


def html_end_tag(value: str) -> str | None:
    """The first common HTML end tag (such as `</b>`) in text meant to be plain, if any: the
    validator warns about it (ContainsHTML), so feeds.yaml and front matter refuse it."""
    for match in _HTML_END_TAG.finditer(value):
        if match.group(1).lower() in _COMMON_HTML_TAGS:
            return match.group(1)
    return None
