"""Headline changes keep identity: an article's id is fixed when it is first published.

The state remembers, for each content file, the id and slug a build published it with
(:meth:`State.identities`). A file parsed again whose id would change because its slug or
date changed, with no ``id:`` of its own in the front matter, is refused: readers would take
the old story for a new one and show it again. An explicit ``id:`` is the author's choice.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from feedpub.errors import Problem
from feedpub.inputs.articles import default_id, front_matter_line
from feedpub.inputs.sources import source_path
from feedpub.model import Config, Listing
from feedpub.pipeline.grouping import is_published
from feedpub.pipeline.state import Identity


def identity_of(listing: Listing) -> Identity:
    return Identity(listing.id, listing.slug, listing.published)


def identity_problems(
    config: Config, content: Path, parsed: Iterable[Listing], known: Mapping[str, Identity]
) -> list[Problem]:
    """A problem for each of the ``parsed`` listings whose id is no longer the one it was
    published with (``known``, by content file) only because its slug or date changed."""
    problems = []
    for listing in parsed:
        before = known.get(listing.source)
        if before is None or before.id == listing.id or listing.draft:
            continue
        if _chosen(config, content, listing):
            continue  # an id of its own in the front matter: the author chose it
        problems.append(_changed(config, content, listing, before))
    return problems


def _chosen(config: Config, content: Path, listing: Listing) -> bool:
    """Whether the front matter names the article's id (read again: this is rare)."""
    moment = datetime.fromtimestamp(listing.published, UTC)
    if listing.id != default_id(config, moment, listing.slug):
        return True
    path = source_path(content, listing.source)
    return front_matter_line(path, listing.source, ("id",)) is not None


def _changed(config: Config, content: Path, listing: Listing, before: Identity) -> Problem:
    key = "slug" if listing.slug != before.slug else "date"
    was = before.slug if key == "slug" else _day(config, before.published)
    now = listing.slug if key == "slug" else _day(config, listing.published)
    path = source_path(content, listing.source)
    return Problem(
        listing.source,
        f"changed from {was!r} to {now!r} after the article was published as {before.id!r}, "
        f"which would send it to every reader again as a new story; add 'id: {before.id}' "
        f"to the front matter to keep its id (or 'id: {listing.id}' to publish it as new)",
        front_matter_line(path, listing.source, (key,)),
        key,
    )


def _day(config: Config, published: float) -> str:
    """The day of an article's date, as its default id holds it."""
    return datetime.fromtimestamp(published, config.site.timezone).date().isoformat()


def unrecorded(
    published: list[Listing], fresh: Collection[str], before: float | None
) -> list[Listing]:
    """The ``published`` listings whose identity the state may not hold yet: all of them,
    unless the state knows when the build that wrote it ran (``before``, POSIX time); then
    only the ones parsed in this run (``fresh``: their content files) and the ones that
    build did not publish (an embargo come due). A listing the state kept unchanged was
    published by that build as it is now, and that build recorded its identity."""
    if before is None:
        return published
    return [x for x in published if x.source in fresh or not is_published(x, before)]


def new_identities(
    published: Iterable[Listing], known: Mapping[str, Identity]
) -> dict[str, Identity]:
    """The identities this build fixes or changes (those it publishes differently)."""
    return {
        listing.source: identity
        for listing in published
        for identity in [identity_of(listing)]
        if known.get(listing.source) != identity
    }
