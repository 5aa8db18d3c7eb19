"""Media RSS (media:) elements, following the W3C validator's `media.py`.

The same vocabulary is allowed at channel/feed and item/entry level and inside media:content
and media:group. URLs must be absolute, sizes positive integers, enumerations exact.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree

from . import dublincore
from . import namespaces as ns
from .tree import (
    Check,
    Field,
    Key,
    Rule,
    Scope,
    ValueCheck,
    check_attributes,
    check_children,
    display_name,
    leaf,
    quote,
)
from .values import full_url, integer, language, mime_type, one_of, safe_html

_NPT_START = re.compile(r"now|\d")  # the W3C pattern accepts any value starting so
_FLOAT_START = re.compile(r"\d")
_HEX_DIGEST = re.compile(r"[0-9A-Za-z]+\Z")
EBU_ROLES = frozenset(
    """actor;adaptor;anchor person;animal trainer;animator;announcer;armourer;art director;
    artist/performer;assistant camera;assistant chief lighting technician;assistant director;
    assistant producer;assistant visual editor;author;broadcast assistant;broadcast journalist;
    camera operator;carpenter;casting;causeur;chief lighting technician;choir;choreographer;
    clapper loader;commentary or commentator;commissioning broadcaster;composer;
    computer programmer;conductor;consultant;continuity checker;correspondent;costume designer;
    dancer;dialogue coach;director;director of photography;distribution company;draughtsman;
    dresser;dubber;editor/producer;editor;ensemble;executive producer;expert;fight director;
    floor manager;focus puller;foley artist;foley editor;foley mixer;graphic assistant;
    graphic designer;greensman;grip;hairdresser;illustrator;interviewed guest;interviewer;
    key character;key grip;key talents;leadman;librettist;lighting director;
    lighting technician;location manager;lyricist;make up artist;manufacturer;matte artist;
    music arranger;music group;musician;news reader;orchestra;participant;photographer;post;
    producer;production assistant;production company;production department;
    production manager;production secretary;programme production researcher;
    property manager;publishing company;puppeteer;pyrotechnician;reporter;rigger;runner;
    scenario;scenic operative;script supervisor;second assistant camera;
    second assistant director;second unit director;set designer;set dresser;sign language;
    singer;sound designer;sound mixer;sound recordist;special effects;stunts;subtitles;
    technical director;term;translation;transportation manager;treatment/programme proposal;
    vision mixer;visual editor;visual effects;wardrobe;witness;artist;performer;treatment;
    treatment proposal;programme proposal""".replace("\n    ", " ").split(";")
)
_RATINGS = {
    "urn:simple": ("adult", "nonadult"),
    "urn:mpaa": ("g", "m", "nc-17", "pg", "pg-13", "r", "x"),
    "urn:v-chip": (
        "14+",
        "18+",
        "c",
        "c8",
        "g",
        "pg",
        "tv-14",
        "tv-g",
        "tv-ma",
        "tv-pg",
        "tv-y",
        "tv-y7",
        "tv-y7-fv",
    ),
}


def _attribute_checks(
    scope: Scope, element: etree._Element, checks: Mapping[str, tuple[ValueCheck, ...]]
) -> None:
    """Check the attributes in `checks` with their value checks (unknown ones elsewhere)."""
    for name, value_checks in checks.items():
        value = element.get(name)
        if value is not None:
            for check in value_checks:
                check(scope, Field(element, name), value.strip())


def _required(scope: Scope, element: etree._Element, *names: str) -> None:
    for name in names:
        if element.get(name) is None:
            scope.error(
                "MissingAttribute", f"{display_name(element)} needs a {name} attribute", element
            )


def _starts(pattern: re.Pattern[str], code: str, what: str) -> ValueCheck:
    def check(scope: Scope, field: Field, value: str) -> None:
        if not pattern.match(value):
            scope.error(code, f"{field.name} {quote(value)} is not {what}", field.element)

    return check


_npt = _starts(_NPT_START, "InvalidNPTTime", "a time like '12:05:01.123' or 'now'")
_float = _starts(_FLOAT_START, "InvalidFloat", "a number")
_size = (integer(1),)
_text_type = (one_of(("plain", "html"), "InvalidMediaTextType"),)


def _with_attributes(
    checks: Mapping[str, tuple[ValueCheck, ...]],
    *,
    required: tuple[str, ...] = (),
    value: tuple[ValueCheck, ...] = (),
) -> Check:
    """A text-only media element with attribute checks."""
    body = leaf(*value, attributes=frozenset(checks))

    def check(scope: Scope, element: etree._Element) -> None:
        body(scope, element)
        _attribute_checks(scope, element, checks)
        _required(scope, element, *required)

    return check


def _typed_text(scope: Scope, element: etree._Element) -> None:
    """media:title and media:description: plain text, or HTML when type="html"."""
    _with_attributes({"type": _text_type})(scope, element)
    if element.get("type") == "html":
        safe_html(scope, Field(element), scope.doc.text(element))


def _credit(scope: Scope, element: etree._Element) -> None:
    _with_attributes({"role": (), "scheme": ()})(scope, element)
    scheme = element.get("scheme") or "urn:ebu"
    role = element.get("role")
    if role and ((scheme == "urn:ebu" and role not in EBU_ROLES) or role != role.lower()):
        scope.error(
            "InvalidCreditRole",
            f"{display_name(element)} role {quote(role)} is not a {scheme} role",
            element,
        )
    if scheme != "urn:ebu":
        full_url(scope, Field(element, "scheme"), scheme)


def _hash(scope: Scope, element: etree._Element) -> None:
    algorithm = element.get("algo") or "md5"
    _with_attributes({"algo": (one_of(("md5", "sha-1"), "InvalidMediaHash"),)})(scope, element)
    digest = scope.doc.text(element).strip()
    length = 40 if algorithm == "sha-1" else 32
    if not _HEX_DIGEST.match(digest) or len(digest) != length:
        scope.error(
            "InvalidMediaHash",
            f"{display_name(element)} {quote(digest)} is not an {algorithm} digest",
            element,
        )


def _rating(scope: Scope, element: etree._Element) -> None:
    _with_attributes({"scheme": ()})(scope, element)
    scheme = element.get("scheme") or "urn:simple"
    value = scope.doc.text(element).strip()
    if scheme in _RATINGS:
        one_of(_RATINGS[scheme], "InvalidMediaRating")(scope, Field(element), value)
    elif scheme != "urn:icra":
        full_url(scope, Field(element, "scheme"), scheme)


def _restriction(scope: Scope, element: etree._Element) -> None:
    relationship = (one_of(("allow", "deny"), "InvalidMediaRestrictionRel"),)
    _with_attributes({"relationship": relationship, "type": ()}, required=("relationship",))(
        scope, element
    )
    kind = element.get("type")
    value = scope.doc.text(element).strip()
    if kind is None:
        if value and value not in ("all", "none"):
            scope.error(
                "InvalidMediaRestriction",
                f"{display_name(element)} {quote(value)} must be 'all' or 'none' without a type",
                element,
            )
    elif kind == "uri":
        full_url(scope, Field(element), value)
    elif kind != "country":
        scope.error(
            "InvalidMediaRestrictionType",
            f"{display_name(element)} type {quote(kind)} must be 'country' or 'uri'",
            element,
        )


def _adult(scope: Scope, element: etree._Element) -> None:
    scope.warning(
        "DeprecatedMediaAdult", "<media:adult> is deprecated: use <media:rating>", element
    )
    leaf(one_of(("true", "false"), "InvalidTrueFalse", fold_case=True))(scope, element)


_CONTENT_ATTRIBUTES: dict[str, tuple[ValueCheck, ...]] = {
    "bitrate": (_float,),
    "channels": (integer(0),),
    "duration": (_float,),
    "expression": (one_of(("sample", "full", "nonstop"), "InvalidMediaExpression"),),
    "fileSize": _size,
    "framerate": (_float,),
    "height": _size,
    "isDefault": (one_of(("true", "false"), "InvalidTrueFalse", fold_case=True),),
    "lang": (language,),
    "medium": (
        one_of(("image", "audio", "video", "document", "executable"), "InvalidMediaMedium"),
    ),
    "samplingrate": (_float,),
    "type": (mime_type("InvalidMIMEAttribute"),),
    "url": (full_url,),
    "width": _size,
}

ELEMENTS: dict[Key, Rule] = {
    (ns.MEDIA, local): rule
    for local, rule in {
        "adult": Rule(_adult, unique=True),
        "category": Rule(_with_attributes({"label": (), "scheme": (full_url,)})),
        "copyright": Rule(_with_attributes({"url": (full_url,)}), unique=True),
        "credit": Rule(_credit),
        "description": Rule(_typed_text, unique=True),
        "keywords": Rule(leaf()),
        "hash": Rule(_hash),
        "player": Rule(
            _with_attributes(
                {"url": (full_url,), "height": _size, "width": _size}, required=("url",)
            )
        ),
        "rating": Rule(_rating),
        "restriction": Rule(_restriction),
        "text": Rule(
            _with_attributes(
                {"type": _text_type, "start": (_npt,), "end": (_npt,), "lang": (language,)}
            )
        ),
        "title": Rule(_typed_text, unique=True),
        "thumbnail": Rule(
            _with_attributes(
                {"url": (full_url,), "height": _size, "width": _size, "time": (_npt,)},
                required=("url",),
            )
        ),
    }.items()
}


def content(scope: Scope, element: etree._Element) -> None:
    """media:content: attributes describing one media object, media elements inside."""
    check_attributes(scope, element, frozenset(_CONTENT_ATTRIBUTES))
    _attribute_checks(scope, element, _CONTENT_ATTRIBUTES)
    check_children(scope, element, {**ELEMENTS, **dublincore.EVERYWHERE}, home=ns.MEDIA)


def group(scope: Scope, element: etree._Element) -> None:
    """media:group: alternative media:content versions of one object."""
    check_attributes(scope, element)
    rules = {**ELEMENTS, (ns.MEDIA, "content"): Rule(content)}
    seen = check_children(scope, element, rules, home=ns.MEDIA)
    if len(seen.get((ns.MEDIA, "content"), [])) < 2:
        scope.error(
            "MediaGroupWithoutAlternatives",
            f"{display_name(element)} needs at least two <media:content> alternatives",
            element,
        )


ALL: dict[Key, Rule] = {
    **ELEMENTS,
    (ns.MEDIA, "content"): Rule(content),
    (ns.MEDIA, "group"): Rule(group),
}
