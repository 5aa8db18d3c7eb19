"""Articles readers have had that are gone now: expired, or retracted (RFC 6721 tombstones).

A withdrawn article leaves every feed, archive page and channel page, but it keeps its place
in its channels' history: archive pages are counted from the oldest article (see
:mod:`feedpub.pipeline.archives`), and were it simply dropped, every later page would shift
and change. So channels are grouped with the withdrawn articles in them, then *buried*: a
document's listings lose them, and a retracted one leaves an Atom tombstone behind, in its
channels' current feeds for ``site.tombstone_days`` after the retraction, and for good in the
archive page whose place it held. An expired article leaves no tombstone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import NamedTuple

from feedpub.model import Channel, Listing, Site, Tombstone

DAY = 86400.0


def is_withdrawn(listing: Listing, now: float) -> bool:
    """Whether an article that was published is gone at ``now`` (a POSIX time)."""
    gone = listing.gone
    return not listing.draft and gone is not None and listing.published < gone <= now


class Withdrawn(NamedTuple):
    """The withdrawn articles of a build at ``clock``, and how long tombstones stay current."""

    listings: tuple[Listing, ...] = ()
    clock: float = 0.0
    tombstone_days: int = 30

    @classmethod
    def of(cls, listings: Iterable[Listing], clock: float, site: Site) -> Withdrawn:
        found = tuple(x for x in listings if x.gone is not None and is_withdrawn(x, clock))
        return cls(found, clock, site.tombstone_days)

    def bury(self, channel: Channel, keep: int | None = None) -> Channel:
        """``channel`` without its withdrawn articles (then its ``keep`` newest, if given),
        with the tombstones it carries: an archive page its own for good, a current feed
        those retracted within ``tombstone_days``."""
        if not self.listings:
            return channel if keep is None else _with(channel, channel.listings[:keep], ())
        ids = {x.id for x in self.listings}
        shown = tuple(x for x in channel.listings if x.id not in ids)
        archived = channel.paging is not None and channel.paging.page > 0
        gone = [x for x in channel.listings if x.id in ids and x.retracted is not None]
        tombstones = tuple(
            Tombstone(x.id, x.retracted[0], x.retracted[1])
            for x in gone
            if x.retracted is not None
            and x.retracted[0] <= self.clock
            and (archived or self.clock < x.retracted[0] + self.tombstone_days * DAY)
        )
        return _with(channel, shown[:keep] if keep is not None else shown, tombstones)


def _with(
    channel: Channel, listings: tuple[Listing, ...], tombstones: tuple[Tombstone, ...]
) -> Channel:
    if listings == channel.listings and tombstones == channel.tombstones:
        return channel
    return dataclasses.replace(channel, listings=listings, tombstones=tombstones)


def next_change(listings: Iterable[Listing], clock: float, site: Site) -> float | None:
    """The first time after ``clock`` at which a build would publish something else with the
    same content files: an embargoed article comes due, one expires or is retracted, or a
    tombstone appears (an article that expired before its retraction's date) or leaves the
    current feeds."""
    due = []
    for x in listings:
        if x.draft:
            continue
        if x.published > clock:
            due.append(x.published)
        if x.gone is not None and x.gone > clock:
            due.append(x.gone)
        if x.retracted is not None and x.gone is not None and x.published < x.gone:
            since, until = x.retracted[0], x.retracted[0] + site.tombstone_days * DAY
            due.extend(t for t in (since, until) if t > clock)  # the tombstone's span
    return min(due, default=None)


NONE_WITHDRAWN = Withdrawn()
