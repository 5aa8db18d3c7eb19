"""Which feeds in the output folder no channel produces any more, and which of them ``--prune``
may delete: only files a build of this site published (the index says so), never a file
someone else put there (a hand-made ``podcast/rss.xml``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from feedpub.pipeline.publish import remove, stale_feeds
from feedpub.pipeline.state import Index, State


class Stale(NamedTuple):
    ours: list[str]  # published by a build of this site; --prune deletes them
    foreign: list[str]  # never published by feedpub here; only reported
    pruned: bool


def published_before(previous: Index) -> set[str]:
    """What the builds of this site have published and not deleted (read before a build)."""
    return set(previous.files) | set(previous.retired)


def sort_out_stale(
    out: Path,
    state: State,
    expected: set[str],
    known: set[str],
    prune: bool,
    skip: Iterable[str] = (),
) -> Stale:
    """Find the stale feeds, delete ours if ``prune``, and remember the ones left in place (the
    index written by this build no longer lists them as published, so it keeps them as
    ``retired``). The folders ``skip`` names are not looked into (archive pages)."""
    found = stale_feeds(out, expected, skip)
    ours = [path for path in found if path in known]
    foreign = [path for path in found if path not in known]
    pruned = prune and bool(ours)
    if pruned:
        remove(out, ours)
    retired = () if pruned else tuple(ours)
    if retired or known - set(expected):  # only then can the saved list be out of date
        state.retire(retired)
    return Stale(ours, foreign, pruned)
