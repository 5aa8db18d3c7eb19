"""feeds.yaml's ``topics:`` -> :class:`Topics`: channels by tag, author and language, and
named filters, every problem reported with its line like the rest of feeds.yaml.

    topics:
      tags: auto              # or false, or [labour, elections], or {labour: {title: ...}}
      authors: auto
      languages: auto
      min_items: 2            # automatic channels only
      filters:
        asia-elections: {title: Asia elections, regions: [asia], tags: [elections]}
"""

from __future__ import annotations

from typing import Any

from feedpub.inputs import fields as f
from feedpub.layout import TOPIC_FOLDERS, channel_folder, topic_channel
from feedpub.model import Region, Selection, Term, TopicKind, Topics
from feedpub.terms import term_key, term_slug

TOPIC_KEYS = {"tags", "authors", "languages", "min_items", "filters"}
TERM_KEYS = {"title", "description"}
FILTER_KEYS = {"title", "description", "regions", "countries", "tags", "authors", "languages"}
# The feeds.yaml key of each kind of term channel.
KIND_KEYS = {"tag": "tags", "author": "authors", "language": "languages"}


def read_topics(reader: f.Fields, top: dict[str, Any], regions: list[Region]) -> Topics:
    """The ``topics:`` section (all off when it is missing)."""
    path = ("topics",)
    data = reader.mapping(top.get("topics"), path, TOPIC_KEYS)
    kinds = {kind: _kind(reader, data, kind) for kind in KIND_KEYS}
    min_items = reader.get(data, (*path, "min_items"), f.positive_int, default=2)
    filters = _filters(reader, data.get("filters"), regions)
    topics = Topics(kinds["tag"], kinds["author"], kinds["language"], min_items, filters)
    _reserved_keys(reader, topics, regions)
    return topics


def _kind(reader: f.Fields, data: dict[str, Any], kind: str) -> TopicKind | None:
    path = ("topics", KIND_KEYS[kind])
    value = data.get(path[-1])
    if value is None or value is False:
        return None
    if value == "auto":
        return TopicKind(auto=True)
    if isinstance(value, list):
        entries = [(str(i), name, None) for i, name in enumerate(value)]
    elif isinstance(value, dict):
        entries = [(str(name), name, extra) for name, extra in value.items()]
    else:
        reader.problem(
            path,
            f"expected auto, false, a list of terms or a mapping of terms, got {f.shown(value)}",
        )
        return None
    terms = [
        (_term(reader, kind, (*path, at), name, extra), (*path, at)) for at, name, extra in entries
    ]
    return TopicKind(False, _distinct(reader, kind, [(t, p) for t, p in terms if t is not None]))


def _term(reader: f.Fields, kind: str, path: tuple[str, ...], name: Any, extra: Any) -> Term | None:
    check = f.language if kind == "language" else f.text
    error = check(name)
    if error:
        reader.problem(path, f"expected {error}, got {f.shown(name)}")
        return None
    data = reader.mapping(extra, path, TERM_KEYS)
    title = reader.get(data, (*path, "title"), f.text)
    description = reader.get(data, (*path, "description"), f.text)
    return Term(name, title, description)


def _distinct(
    reader: f.Fields, kind: str, terms: list[tuple[Term, tuple[str, ...]]]
) -> tuple[Term, ...]:
    """The terms, refusing two that are one term or would share a channel folder (said at
    the second one's line)."""
    by_slug: dict[str, Term] = {}
    kept = []
    for term, path in terms:
        slug = term_slug(term.name)
        other = by_slug.setdefault(slug, term)
        if other is term:
            kept.append(term)
            continue
        same = term_key(other.name) == term_key(term.name)
        why = (
            "are one term (case and spaces do not count)"
            if same
            else (f"would share the channel folder {channel_folder(topic_channel(kind, slug))}")
        )
        reader.problem(path, f"{other.name!r} and {term.name!r} {why}")
    return tuple(kept)


def _filters(reader: f.Fields, value: Any, regions: list[Region]) -> tuple[Selection, ...]:
    path = ("topics", "filters")
    if value is None:
        return ()
    if not isinstance(value, dict):
        reader.problem(path, f"expected a mapping of filter keys, got {f.shown(value)}")
        return ()
    result = []
    for key, entry in value.items():
        selection = _filter(reader, (*path, str(key)), key, entry, regions)
        if selection is not None:
            result.append(selection)
    return tuple(result)


def _filter(
    reader: f.Fields, path: tuple[str, ...], key: Any, value: Any, regions: list[Region]
) -> Selection | None:
    if f.slug(key) is not None:
        reader.problem(
            path[:-1],
            f"filter key {f.shown(key)} is not a slug (use lower-case letters, digits and '-')",
            at=path,
        )
        return None
    if not isinstance(value, dict):
        reader.problem(path, f"expected a mapping with a title and criteria, got {f.shown(value)}")
        return None
    data = reader.mapping(value, path, FILTER_KEYS)
    title = reader.get(data, (*path, "title"), f.text, required=True)
    description = reader.get(data, (*path, "description"), f.text)
    region_keys = [r.key for r in regions]
    country_keys = [c.key for r in regions for c in r.countries]
    chosen = {
        "regions": _known(reader, data, (*path, "regions"), region_keys, "region"),
        "countries": _known(reader, data, (*path, "countries"), country_keys, "country"),
        "tags": [term_key(t) for t in reader.items(data, (*path, "tags"), f.text, single=True)],
        "authors": [
            term_key(a) for a in reader.items(data, (*path, "authors"), f.text, single=True)
        ],
        "languages": [
            x.lower() for x in reader.items(data, (*path, "languages"), f.language, single=True)
        ],
    }
    if not any(key in data for key in chosen):
        reader.problem(
            path, "selects every article: give at least one of " + ", ".join(sorted(chosen))
        )
    if title is None or not any(chosen.values()):
        return None
    return Selection(str(key), title, description, **{k: tuple(v) for k, v in chosen.items()})


def _known(
    reader: f.Fields, data: dict[str, Any], path: tuple[str, ...], known: list[str], what: str
) -> list[str]:
    found = []
    for index, name in enumerate(reader.items(data, path, f.slug, single=True)):
        if name in known:
            found.append(name)
        else:
            where = path if not isinstance(data.get(path[-1]), list) else (*path, str(index))
            reader.problem(where, f"unknown {what} {name!r} (known: {', '.join(sorted(known))})")
    return found


def _reserved_keys(reader: f.Fields, topics: Topics, regions: list[Region]) -> None:
    """The folders of the topic kinds that are on may not be region or country keys."""
    on = {
        folder: kind
        for kind, folder in TOPIC_FOLDERS.items()
        if (topics.filters if kind == "filter" else getattr(topics, KIND_KEYS[kind]))
    }
    for region in regions:
        places = [(("regions",), region.key, "region")] + [
            (("regions", region.key, "countries"), c.key, "country") for c in region.countries
        ]
        for parent, key, what in places:
            if key in on:
                reader.problem(
                    parent,
                    f"{what} key {key!r} is reserved for the {on[key]} channels of "
                    f"topics.{key} (rename the {what}, or turn topics.{key} off)",
                    at=(*parent, key),
                )
