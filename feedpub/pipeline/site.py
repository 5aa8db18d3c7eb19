"""The Site front: one site as every command sees it.

feeds.yaml loaded and checked, the folders it reads and writes (:class:`SitePaths`), its
content files, and the build's own scan and plan of them. ``build``, ``check``, ``channels``
and ``validate`` all start here, so each default and each "not found" is said once, and what
``channels`` or ``validate`` expects is what a build publishes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from feedpub.errors import InputError, Problem
from feedpub.inputs.config import load_config, served_at
from feedpub.inputs.finding import Source, find_sources
from feedpub.layout import SitePaths
from feedpub.model import Config
from feedpub.pipeline.parallel import gc_paused

# scan and plan are imported where they are used: a no-op build needs neither.
if TYPE_CHECKING:
    from feedpub.pipeline.plan import Plan
    from feedpub.pipeline.scan import Progress, Scan
    from feedpub.pipeline.state import State


class Site:
    """A site's config and folders, and the reads every command makes of its content."""

    def __init__(self, config: Config, paths: SitePaths) -> None:
        self.config = config
        self.paths = paths

    @classmethod
    def open(
        cls,
        config: Path,
        content: Path | None = None,
        out: Path | None = None,
        state: Path | None = None,
        feeds_url: str | None = None,
    ) -> Site:
        """The site of feeds.yaml at ``config`` (its output served at ``feeds_url`` when one
        is given: a preview); an :class:`InputError` naming every problem of feeds.yaml, or
        the content folder when there is none."""
        loaded = load_config(config)
        if feeds_url is not None:
            loaded = served_at(loaded, feeds_url)
        paths = SitePaths.of(config, content, out, state)
        if not paths.content.is_dir():
            raise InputError([Problem(paths.content.as_posix(), "content folder not found")])
        return cls(loaded, paths)

    def find(self) -> tuple[list[Source], list[Problem]]:
        """Every content file and its stat (the only reads of a no-op build), and warnings."""
        content = self.paths.content
        with gc_paused():
            return find_sources(content, content.as_posix())

    def scan(
        self,
        sources: list[Source],
        state: State | None = None,
        progress: Progress | None = None,
        now: datetime | None = None,
    ) -> Scan:
        """Every content file's listing, reusing ``state`` for unchanged files (without one,
        every file is parsed); every problem of every file at once, as an InputError. With
        ``now``, the build's clock, no file may date a change later."""
        from feedpub.pipeline.scan import read_listings

        return read_listings(self.config, self.paths.content, sources, state, progress, now)

    def fitted_caps(self) -> dict[tuple[str, ...], int]:
        """How many articles each size-capped current feed kept in the last build (see
        pipeline/sizecap), from the state, read-only; none when feeds.yaml caps no feed."""
        from feedpub.pipeline.sizecap import has_size_caps
        from feedpub.pipeline.state import State

        if not has_size_caps(self.config):
            return {}
        state = State(self.paths.state, self.paths.out, self.config.digest, writable=False)
        try:
            return dict(state.index.caps)
        finally:
            state.close()

    def plan(
        self, scan: Scan, now: datetime, caps: Mapping[tuple[str, ...], int] | None = None
    ) -> Plan:
        """What a build at ``now`` publishes from ``scan``: channels, documents, fingerprints;
        the size-capped current feeds keeping what ``caps`` says (see pipeline/sizecap)."""
        from feedpub.pipeline.plan import make_plan

        content = self.paths.content
        clock = now.timestamp()
        return make_plan(self.config, content, scan.listings, scan.files, clock, caps or {})
