"""``feedpub channels``: every channel of the site, its item count, newest date and feed URLs,
as the next build would publish them (the build's own scan and plan, through the Site front;
nothing written)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from feedpub.formats import FORMATS
from feedpub.layout import feed_url
from feedpub.pipeline.archives import is_archive
from feedpub.pipeline.site import Site


@dataclass(frozen=True)
class ChannelInfo:
    path: str  # "" for the combined feed, "asia", "asia/sri-lanka"
    title: str
    items: int
    newest: datetime | None
    feeds: dict[str, str]  # format kind -> URL


class Listed(NamedTuple):
    channels: list[ChannelInfo]
    next_due: datetime | None  # when a build would next publish something else


def next_due(config_path: Path, content: Path | None, now: datetime) -> datetime | None:
    """When a build after ``now`` would next publish something else with the same files:
    an embargoed article comes due, one expires or is retracted, a tombstone goes."""
    return list_channels(config_path, content, now).next_due


def list_channels(config_path: Path, content: Path | None, now: datetime) -> Listed:
    site = Site.open(config_path, content)
    plan = site.plan(site.scan(site.find()[0]), now, site.fitted_caps())
    feeds_url, zone = site.config.site.feeds_url, site.config.site.timezone
    due = None if plan.next_due is None else datetime.fromtimestamp(plan.next_due, zone)
    found = [
        ChannelInfo(
            "/".join(channel.path),
            channel.title,
            len(channel.listings),
            datetime.fromtimestamp(channel.listings[0].published, zone)
            if channel.listings
            else None,
            {fmt.kind: feed_url(feeds_url, channel.path, fmt) for fmt in FORMATS},
        )
        for channel in plan.channels
        if not is_archive(channel)  # its pages are its history, not channels
    ]
    return Listed(found, due)


def as_json(channels: list[ChannelInfo]) -> str:
    return json.dumps(
        [
            {
                "channel": c.path,
                "title": c.title,
                "items": c.items,
                "newest": c.newest.isoformat() if c.newest else None,
                "feeds": c.feeds,
            }
            for c in channels
        ],
        ensure_ascii=False,
        indent=2,
    )


def as_table(channels: list[ChannelInfo], due: datetime | None = None) -> str:
    rows = [("CHANNEL", "ITEMS", "NEWEST", "FEEDS")] + [
        (
            c.path or "(combined)",
            str(c.items),
            c.newest.strftime("%Y-%m-%d %H:%M") if c.newest else "-",
            "  ".join(c.feeds.values()),
        )
        for c in channels
    ]
    width = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{r[0]:<{width[0]}}  {r[1]:>{width[1]}}  {r[2]:<{width[2]}}  {r[3]}" for r in rows]
    if due is not None:
        lines.append(f"next due: {due.isoformat()}")
    return "\n".join(lines)
