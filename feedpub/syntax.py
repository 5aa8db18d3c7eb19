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


def is_addr_spec(value: str) -> bool:
    """True for a bare e-mail address such as `name@example.org`."""
    return bool(_ADDR_SPEC.match(value) or _SIMPLE_ADDR.match(value))
