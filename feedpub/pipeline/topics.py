"""Listings -> topic channels: one per tag, author and language, and the named filters.

Each kind is off unless feeds.yaml's ``topics:`` turns it on. ``auto`` makes a channel for
every term at least ``topics.min_items`` published articles use; a list names the terms (a
channel each, however few articles use it). Spellings that differ only in case or white space
are one term (:mod:`feedpub.terms`); its channel takes the spelling most articles use. A
language channel is made for each language other than the site's. Channels come in a fixed
order (by folder name; a list's in its order), so the same listings give the same bytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace

from feedpub.errors import Problem
from feedpub.layout import TOPIC_FOLDERS, channel_folder, topic_channel
from feedpub.model import Channel, Config, Listing, Selection, Sibling, Term, TopicKind
from feedpub.terms import term_key, term_slug

# The kinds of term channel, and the front matter field each reads (for messages).
KINDS = {"tag": "tags", "author": "author", "language": "language"}


class _Group:
    """The listings of one term, newest first (at most ``limit``), and how it was spelled."""

    __slots__ = ("count", "first", "listings", "spellings")

    def __init__(self, first: Listing) -> None:
        self.count = 0
        self.first = first  # the newest listing naming the term, for messages
        self.listings: list[Listing] = []
        self.spellings: Counter[str] = Counter()

    def name(self) -> str:
        """The spelling most articles use (ties: the first in code point order)."""
        return min(self.spellings.items(), key=lambda item: (-item[1], item[0]))[0]


def topic_channels(config: Config, listings: list[Listing], limit: int) -> list[Channel]:
    """The topic channels of ``listings`` (published, newest first), each with at most
    ``limit`` of them."""
    topics = config.topics
    channels: list[Channel] = []
    for kind in KINDS:
        setting = _setting(config, kind)
        if setting is not None:
            groups = _groups(config, kind, listings, limit)
            made = [
                _channel(config, kind, term, groups.get(term_key(term.name)))
                for term in _terms(config, kind, setting, groups)
            ]
            channels += _with_siblings(made) if kind == "language" else made
    for selection in topics.filters:
        channels.append(_filter_channel(config, selection, listings, limit))
    return channels


def _with_siblings(channels: list[Channel]) -> list[Channel]:
    """Language channels, each naming the others (its page links them with hreflang)."""
    every = [Sibling(c.language, c.title, c.path) for c in channels]
    return [
        replace(channel, siblings=tuple(x for x in every if x.path != channel.path))
        for channel in channels
    ]


def topic_problems(config: Config, listings: list[Listing]) -> list[Problem]:
    """A problem for each automatic term whose folder another term's takes (``São Paulo``
    and ``Sao Paulo`` are both ``sao-paulo``), naming both and a file that uses each."""
    problems = []
    for kind, field in KINDS.items():
        setting = _setting(config, kind)
        if setting is None or not setting.auto:
            continue
        taken: dict[str, _Group] = {}
        for group in _groups(config, kind, listings, 0).values():
            if group.count < config.topics.min_items:
                continue
            slug = term_slug(group.name())
            other = taken.setdefault(slug, group)
            if other is not group:
                folder = channel_folder(topic_channel(kind, slug))
                problems.append(
                    Problem(
                        group.first.source,
                        f"{group.name()!r} and {other.name()!r} (in {other.first.source}) "
                        f"would share the channel folder {folder}; spell them alike, or name "
                        f"the terms in feeds.yaml's topics.{TOPIC_FOLDERS[kind]}",
                        field=field,
                    )
                )
    return problems


def _setting(config: Config, kind: str) -> TopicKind | None:
    topics = config.topics
    return {"tag": topics.tags, "author": topics.authors, "language": topics.languages}[kind]


def _terms_of(kind: str) -> Callable[[Listing], Iterable[str]]:
    if kind == "tag":
        return lambda listing: listing.tags
    if kind == "author":
        return lambda listing: listing.authors
    return lambda listing: (listing.language,)


def _groups(config: Config, kind: str, listings: list[Listing], limit: int) -> dict[str, _Group]:
    """Term key -> its group, for every term the listings use (``limit`` 0: count only)."""
    terms_of = _terms_of(kind)
    setting = _setting(config, kind)
    automatic = setting is not None and setting.auto
    # The site's own language has every other channel: no automatic channel of its own.
    skip = config.site.language.lower() if kind == "language" and automatic else None
    keys: dict[str, str] = {}  # spelling -> key: most spellings repeat
    groups: dict[str, _Group] = {}
    for listing in listings:
        for name in terms_of(listing):
            key = keys.get(name)
            if key is None:
                key = keys[name] = term_key(name)
            if key == skip:
                continue
            group = groups.get(key)
            if group is None:
                group = groups[key] = _Group(listing)
            group.count += 1
            group.spellings[name] += 1
            if len(group.listings) < limit:
                group.listings.append(listing)
    return groups


def _terms(config: Config, kind: str, setting: TopicKind, groups: dict[str, _Group]) -> list[Term]:
    """The terms that get a channel: the named ones, or every term used often enough."""
    if not setting.auto:
        return list(setting.terms)
    used = [
        Term(group.name()) for group in groups.values() if group.count >= config.topics.min_items
    ]
    return sorted(used, key=lambda term: term_slug(term.name))


def _channel(config: Config, kind: str, term: Term, group: _Group | None) -> Channel:
    site = config.site
    name = group.name() if group is not None and term.title is None else term.name
    title = term.title or name
    language = term_key(term.name) if kind == "language" else site.language
    described = {
        "tag": f"Articles tagged “{name}”, newest first",
        "author": f"Articles by {name}, newest first",
        "language": f"Articles in language “{name}”, newest first",
    }
    return Channel(
        topic_channel(kind, term_slug(term.name)),
        f"{site.title} — {title}",
        term.description or described[kind],
        language,
        tuple(group.listings) if group is not None else (),
        kind=kind,
    )


def _filter_channel(
    config: Config, selection: Selection, listings: list[Listing], limit: int
) -> Channel:
    chosen = [x for x in listings if selects(selection, x)][:limit]
    return Channel(
        topic_channel("filter", selection.key),
        f"{config.site.title} — {selection.title}",
        selection.description or f"{selection.title}, newest first",
        config.site.language,
        tuple(chosen),
        kind="filter",
    )


def selects(selection: Selection, listing: Listing) -> bool:
    """Whether every criterion the selection gives holds one of the listing's values."""
    return (
        _any(selection.regions, listing.regions)
        and _any(selection.countries, listing.countries)
        and _any(selection.tags, [term_key(t) for t in listing.tags])
        and _any(selection.authors, [term_key(a) for a in listing.authors])
        and _any(selection.languages, [listing.language])
    )


def _any(wanted: tuple[str, ...], values: Iterable[str]) -> bool:
    return not wanted or any(value in wanted for value in values)


def spelling_warnings(config: Config, listings: list[Listing]) -> list[Problem]:
    """For ``feedpub check``: a term written several ways (one channel, but readers see the
    spellings side by side), and terms that look alike but make two channels (``election``
    and ``elections``, ``sri-lanka`` and ``Sri Lanka``)."""
    warnings = []
    for kind, field in KINDS.items():
        if _setting(config, kind) is None or kind == "language":
            continue
        files: dict[str, str] = {}  # spelling -> the first file using it
        for listing in listings:
            for name in _terms_of(kind)(listing):
                files.setdefault(name, listing.source)
        warnings += _spelled_apart(kind, field, files) + _look_alike(kind, field, files)
    return warnings


def _spelled_apart(kind: str, field: str, files: dict[str, str]) -> list[Problem]:
    by_key: dict[str, list[str]] = {}
    for name in files:
        by_key.setdefault(term_key(name), []).append(name)
    warnings = []
    for names in by_key.values():
        if len(names) > 1:
            first, *others = names
            folder = channel_folder(topic_channel(kind, term_slug(first)))
            for other in others:
                warnings.append(
                    Problem(
                        files[other],
                        f"{other!r} is {first!r} (in {files[first]}) spelled another way; both "
                        f"go to {folder}, but readers see each spelling: write one of them",
                        field=field,
                    )
                )
    return warnings


def _look_alike(kind: str, field: str, files: dict[str, str]) -> list[Problem]:
    """Terms that differ only in punctuation or a plural ``s`` yet get channels apart."""
    by_loose: dict[str, dict[str, str]] = {}  # loose form -> slug -> a spelling
    for name in files:
        slug = term_slug(name)
        by_loose.setdefault(_loose(slug), {}).setdefault(slug, name)
    warnings = []
    for slugs in by_loose.values():
        if len(slugs) > 1:
            (_, first), *others = sorted(slugs.items())
            for slug, other in others:
                warnings.append(
                    Problem(
                        files[other],
                        f"{other!r} and {first!r} (in {files[first]}) look like one term but "
                        f"make two channels ({channel_folder(topic_channel(kind, slug))} and "
                        f"{channel_folder(topic_channel(kind, term_slug(first)))})",
                        field=field,
                    )
                )
    return warnings


def _loose(slug: str) -> str:
    joined = slug.replace("-", "")
    return joined[:-1] if joined.endswith("s") and len(joined) > 3 else joined
