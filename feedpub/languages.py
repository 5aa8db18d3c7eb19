"""ISO 639-1 language codes, the two-letter primary subtags RSS <language> and xml:lang use.

Outside the validator package so that feeds.yaml and front matter checks, which run on every
build, accept exactly the tags the validator does without importing it."""

from __future__ import annotations

ISO_639_1: frozenset[str] = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv
    cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr
    ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks
    ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt my na nb nd ne ng nl
    nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl
    sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi
    vo wa wo xh yi yo za zh zu x xx
    """.split()
)


def is_language(value: str) -> bool:
    """True for a language tag whose primary subtag is an ISO 639 code, e.g. `en-us`, `pt-BR`.

    Two-letter codes must be ISO 639-1 codes; three-letter codes (ISO 639-2/3) are accepted
    when alphabetic, as the W3C table of them is long and rarely the problem.
    """
    primary = value.split("-", 1)[0].lower()
    if len(primary) == 3:
        return primary.isascii() and primary.isalpha()
    return primary in ISO_639_1
