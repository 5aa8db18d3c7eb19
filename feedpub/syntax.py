"""Value syntax that feeds.yaml and front matter checks share with the validator: the
characters a URI holds and what an e-mail address is.

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


def is_addr_spec(value: str) -> bool:
    """True for a bare e-mail address such as `name@example.org`."""
    return bool(_ADDR_SPEC.match(value) or _SIMPLE_ADDR.match(value))
