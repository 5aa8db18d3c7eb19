"""Articles naming their translations: the refs checked, and resolved into each item's links.

An article's front matter ``translations`` names other articles, each by its id or by its
content file's path, from the content folder or from the article's own folder (``.md`` may be
left off). Translation goes both ways and through others: the articles linked directly or
through a chain are one story, and each published one links every published version (its
language and link: :class:`~feedpub.model.Alternate`), its own last. Two of one story in the
same language are refused, so each language has one link.

The refs are resolved anew by every build that plans, from every listing: a translation
added, removed, moved, held back or unpublished changes its story's links, which the plan's
fingerprints count (:func:`feedpub.pipeline.plan.fingerprint`).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import NamedTuple

from feedpub.errors import Problem
from feedpub.inputs.articles import front_matter_line
from feedpub.inputs.sources import source_path
from feedpub.model import Alternate, Listing

FIELD = "translations"


class _Unknown(NamedTuple):
    """A ref naming no article (``missing``), or the article itself."""

    listing: Listing
    position: int  # in the article's refs
    missing: bool


class _Refs(NamedTuple):
    """What the refs of the articles that have any name: article id -> the ids it names, and
    each ref that names nothing (or the article itself)."""

    named: dict[str, list[str]]
    unknown: list[_Unknown]


def translation_problems(listings: list[Listing], content: Path) -> list[Problem]:
    """A problem for each ref naming no article or the article itself, and for each story
    with two articles in one language (naming both files)."""
    if not any(listing.translations for listing in listings):
        return []
    refs = _resolve(listings, content)
    clashes = [
        _clash(story, pair, content)
        for story in _stories(listings, refs.named)
        for pair in _same_language(story)
    ]
    return [_unknown(ref, content) for ref in refs.unknown] + clashes


def alternates(
    listings: list[Listing], published: list[Listing], content: Path
) -> dict[str, tuple[Alternate, ...]]:
    """Published article id -> its story's published versions: the translations by language,
    then its own (an hreflang set names itself; articles with no published translation are
    left out). ``listings`` are every article's, so a story's chain may pass through an
    article that is not published."""
    if not any(listing.translations for listing in listings):
        return {}
    out = {listing.id for listing in published}
    found = {}
    for story in _stories(listings, _resolve(listings, content).named):
        shown = [x for x in story if x.id in out]
        for listing in shown:
            others = sorted(Alternate(x.language, x.link) for x in shown if x.id != listing.id)
            if others:
                found[listing.id] = (*others, Alternate(listing.language, listing.link))
    return found


def _resolve(listings: list[Listing], content: Path) -> _Refs:
    """Each ref of each article, as the id of the article it names."""
    ids = {listing.id for listing in listings}
    sources = {listing.source: listing.id for listing in listings}
    root = content.as_posix()
    refs = _Refs({}, [])
    for listing in listings:
        if not listing.translations:
            continue
        targets = refs.named.setdefault(listing.id, [])
        for index, ref in enumerate(listing.translations):
            target = ref if ref in ids else _by_path(ref, listing, sources, root)
            if target is not None and target != listing.id:
                targets.append(target)
            else:
                refs.unknown.append(_Unknown(listing, index, target is None))
    return refs


def _by_path(ref: str, listing: Listing, sources: dict[str, str], root: str) -> str | None:
    """The id of the article whose file ``ref`` names, from the article's folder first."""
    names = [ref] if ref.endswith(".md") else [ref, ref + ".md"]
    for base in (posixpath.dirname(listing.source), root):
        for name in names:
            found = sources.get(posixpath.normpath(posixpath.join(base, name)))
            if found is not None:
                return found
    return None


def _unknown(unknown: _Unknown, content: Path) -> Problem:
    listing = unknown.listing
    ref = listing.translations[unknown.position]
    message = (
        f"{ref!r} is no article: name a translation by its id, or by its file's path from "
        "this file's folder or from the content folder"
        if unknown.missing
        else f"{ref!r} is this article itself: list only its translations"
    )
    path = source_path(content, listing.source)
    item: tuple[str, ...] = (FIELD, str(unknown.position))
    line = front_matter_line(path, listing.source, item)
    if line is None:  # a single ref, not in a list
        item = (FIELD,)
        line = front_matter_line(path, listing.source, item)
    return Problem(listing.source, message, line, ".".join(item))


def _stories(listings: list[Listing], named: dict[str, list[str]]) -> list[list[Listing]]:
    """The groups of articles that translate each other (two or more each), each in the
    listings' order; the groups in the order of their first article."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]  # halve the path
            key = parent[key]
        return key

    for source, targets in named.items():
        parent.setdefault(source, source)
        for target in targets:
            parent.setdefault(target, target)
            parent[root(target)] = root(source)
    groups: dict[str, list[Listing]] = {}
    for listing in listings:
        if listing.id in parent:
            groups.setdefault(root(listing.id), []).append(listing)
    return [group for group in groups.values() if len(group) > 1]


def _same_language(story: list[Listing]) -> list[tuple[Listing, Listing]]:
    """Each article of ``story`` in a language an earlier one has, with that earlier one."""
    first: dict[str, Listing] = {}
    pairs = []
    for listing in story:
        earlier = first.setdefault(listing.language, listing)
        if earlier is not listing:
            pairs.append((earlier, listing))
    return pairs


def _clash(story: list[Listing], pair: tuple[Listing, Listing], content: Path) -> Problem:
    """The problem of two articles of ``story`` in one language, on the translations field
    of one of them (else of the article whose refs join them)."""
    first, second = pair
    blamed = next(x for x in (second, first, *story) if x.translations)
    line = front_matter_line(source_path(content, blamed.source), blamed.source, (FIELD,))
    return Problem(
        blamed.source,
        f"{first.source} and {second.source} are both in language {second.language!r} and "
        "translations of one story; a story has one article per language: correct one's "
        "language, or the translations that link them",
        line,
        FIELD,
    )
