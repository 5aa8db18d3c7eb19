"""Topic terms (tags, author names, languages): when two spellings are one term, and the
ASCII slug that names the term's channel folder.

Two spellings are one term when they differ only in case, Unicode normalization or white
space (``Labour``, ``labour``, ``labour `` are one channel: a reader subscribed to it must not
miss the articles spelled the other way). The slug is the term's letters and digits in ASCII
(accents dropped: ``São Paulo`` -> ``sao-paulo``) joined by ``-``; a term with letters that have
no ASCII form (``කම්කරු``, ``労働``) also gets 8 hex digits of a digest of the term, so it is
never empty and never shared with another term's ASCII part. The same term always gets the
same slug: subscribers keep their address from build to build.

Light (the standard library only): feeds.yaml's checks and the grouping both use it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def term_key(name: str) -> str:
    """The identity of a term: NFKC, case-folded, white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def term_slug(name: str) -> str:
    """The term's folder name: ``labour``, ``sao-paulo``, ``x-1f0c33a2``."""
    key = term_key(name)
    decomposed = unicodedata.normalize("NFKD", key)
    ascii_part = _NOT_ALNUM.sub("-", decomposed.encode("ascii", "ignore").decode()).strip("-")
    lost = any(
        not ch.isascii() and ch.isalnum() and not unicodedata.combining(ch) for ch in decomposed
    )
    if ascii_part and not lost:
        return ascii_part
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=4).hexdigest()
    return f"{ascii_part or 'x'}-{digest}"
