"""Apple Podcasts (itunes:) elements, at channel/feed and item/entry level.

Follows the W3C validator's `itunes.py`: the element list, Apple's category table, explicit
as true/false, duration as [[h:]m:]s, and the iTunes length limits.
"""

from __future__ import annotations

import re

from lxml import etree

from . import namespaces as ns
from .tree import (
    Field,
    Rule,
    Scope,
    ValueCheck,
    check_attributes,
    check_children,
    display_name,
    leaf,
    quote,
)
from .values import (
    email_address,
    full_url,
    http_url,
    integer,
    max_length,
    one_of,
    rfc822_date,
)

# Apple Podcasts categories: "Category: Subcategory; ..." (indented lines continue a line).
_CURRENT = """
Arts: Books; Design; Fashion & Beauty; Food; Performing Arts; Visual Arts
Business: Careers; Entrepreneurship; Investing; Management; Marketing; Non-Profit
Comedy: Comedy Interviews; Improv; Stand-Up
Education: Courses; How To; Language Learning; Self-Improvement
Fiction: Comedy Fiction; Drama; Science Fiction
Government:
History:
Health & Fitness: Alternative Health; Fitness; Medicine; Mental Health; Nutrition; Sexuality
Kids & Family: Education for Kids; Parenting; Pets & Animals; Stories for Kids
Leisure: Animation & Manga; Automotive; Aviation; Crafts; Games; Hobbies; Home & Garden;
    Video Games
Music: Music Commentary; Music History; Music Interviews
News: Business News; Daily News; Entertainment News; News Commentary; Politics; Sports News;
    Tech News
Religion & Spirituality: Buddhism; Christianity; Hinduism; Islam; Judaism; Religion;
    Spirituality
Science: Astronomy; Chemistry; Earth Sciences; Life Sciences; Mathematics; Natural Sciences;
    Nature; Physics; Social Sciences
Society & Culture: Documentary; Personal Journals; Philosophy; Places & Travel; Relationships
Sports: Baseball; Basketball; Cricket; Fantasy Sports; Football; Golf; Hockey; Rugby; Running;
    Soccer; Swimming; Tennis; Volleyball; Wilderness; Wrestling
Technology:
True Crime:
TV & Film: After Shows; Film History; Film Interviews; Film Reviews; TV Reviews
"""
# Categories Apple retired in 2019: still understood, so only a warning.
_RETIRED = """
Arts: Literature
Arts & Entertainment: Architecture; Design; Entertainment; Games; Performing Arts; Photography;
    Poetry; Science Fiction
Audio Blogs:
Business: Careers; Finance; Investing; Management & Marketing; News; Shopping
Comedy:
Education: Education Technology; Higher Education; K-12; Language Courses; Training
Family:
Food:
Games & Hobbies: Automotive; Aviation; Hobbies; Other Games; Video Games
Government & Organizations: Local; National; Non-Profit; Regional
Health: Alternative Health; Diet & Nutrition; Fitness; Fitness & Nutrition; Relationships;
    Self-Help; Sexuality
International: Australian; Belgian; Brazilian; Canadian; Chinese; Dutch; French; German; Hebrew;
    Italian; Japanese; Norwegian; Polish; Portuguese; Spanish; Swedish
Movies & Television:
News & Politics:
Politics:
Public Radio:
Religion & Spirituality: Buddhism; Christianity; Islam; Judaism; New Age; Philosophy; Other;
    Spirituality
Science & Medicine: Medicine; Natural Sciences; Social Sciences
Society & Culture: History
Sports & Recreation: Amateur; College & High School; Outdoor; Professional
Talk Radio:
Technology: Computers; Developers; Gadgets; Information Technology; News; Operating Systems;
    Podcasting; Smart Phones; Software How-To; Tech News; Text/Speech
Transportation: Automotive; Aviation; Bicycles; Commuting
Travel:
"""


def _categories(table: str) -> dict[str, tuple[str, ...]]:
    parsed: dict[str, tuple[str, ...]] = {}
    for line in table.strip().replace("\n    ", " ").splitlines():
        name, _, subcategories = line.partition(":")
        parsed[name.strip()] = tuple(s.strip() for s in subcategories.split(";") if s.strip())
    return parsed


CATEGORIES = _categories(_CURRENT)
OLD_CATEGORIES = _categories(_RETIRED)

_DURATION = re.compile(r"\d+(?::[0-5]\d(?::[0-5]\d)?)?\Z", re.ASCII)


def _keywords(scope: Scope, field: Field, value: str) -> None:
    if " " in value and "," not in value:
        scope.warning(
            "InvalidKeywords", f"{field.name} should separate keywords with commas", field.element
        )


def _duration(scope: Scope, field: Field, value: str) -> None:
    if not _DURATION.match(value):
        scope.error(
            "InvalidDuration",
            f"{field.name} {quote(value)} is not a duration like '3600', '60:00' or '1:00:00'",
            field.element,
        )


def _image(scope: Scope, element: etree._Element) -> None:
    check_attributes(scope, element, frozenset({"href"}))
    check_children(scope, element, {}, home=ns.ITUNES)
    href = element.get("href")
    if href is None:
        scope.error("MissingAttribute", f"{display_name(element)} needs an href attribute", element)
    else:
        http_url(scope, Field(element, "href"), href.strip())


def _category(scope: Scope, element: etree._Element, parent: str | None = None) -> None:
    check_attributes(scope, element, frozenset({"text"}))
    text = element.get("text")
    name = display_name(element)
    valid = CATEGORIES.get(parent, ()) if parent else tuple(CATEGORIES)
    old = OLD_CATEGORIES.get(parent, ()) if parent else tuple(OLD_CATEGORIES)
    if text is None:
        scope.error("MissingAttribute", f"{name} needs a text attribute", element)
    elif text not in valid:
        where = f"under {parent!r}" if parent else "at the top level"
        if text in old:
            scope.warning(
                "ObsoleteItunesCategory",
                f"{name} {quote(text)} {where} is a retired Apple Podcasts category",
                element,
            )
        else:
            scope.error(
                "InvalidItunesCategory",
                f"{name} {quote(text)} is not an Apple Podcasts category {where}",
                element,
            )

    def subcategory(inner: Scope, child: etree._Element) -> None:
        _category(inner, child, text or "")

    rules = {} if parent is not None else {(ns.ITUNES, "category"): Rule(subcategory)}
    check_children(scope, element, rules, home=ns.ITUNES)


def _owner(scope: Scope, element: etree._Element) -> None:
    check_attributes(scope, element)
    rules = {
        (ns.ITUNES, "email"): Rule(leaf(email_address("InvalidContact")), unique=True),
        (ns.ITUNES, "name"): Rule(leaf(max_length(255)), unique=True),
    }
    seen = check_children(scope, element, rules, home=ns.ITUNES)
    if (ns.ITUNES, "email") not in seen:
        scope.error("MissingElement", f"{display_name(element)} needs an <itunes:email>", element)


def _text(*checks: ValueCheck) -> Rule:
    return Rule(leaf(*checks), unique=True)


_BOTH = {
    "author": _text(max_length(255)),
    "block": _text(one_of(("yes", "no", "clean"), "InvalidYesNoClean", fold_case=True)),
    "explicit": _text(one_of(("true", "false"), "InvalidTrueFalse", fold_case=True)),
    "keywords": _text(max_length(255), _keywords),
    "subtitle": _text(max_length(255)),
    "summary": _text(max_length(4000)),
    "image": Rule(_image, unique=True),
}
CHANNEL: dict[tuple[str, str], Rule] = {
    (ns.ITUNES, local): rule
    for local, rule in {
        **_BOTH,
        "owner": Rule(_owner, unique=True),
        "category": Rule(_category),
        "pubDate": _text(rfc822_date),
        "new-feed-url": _text(full_url),
        "type": _text(one_of(("episodic", "serial"), "InvalidItunesChannelType")),
    }.items()
}
ITEM: dict[tuple[str, str], Rule] = {
    (ns.ITUNES, local): rule
    for local, rule in {
        **_BOTH,
        "duration": _text(_duration),
        "title": _text(),
        "episode": _text(integer(1)),
        "season": _text(integer(1)),
        "episodeType": _text(one_of(("full", "trailer", "bonus"), "InvalidItunesEpisodeType")),
    }.items()
}
