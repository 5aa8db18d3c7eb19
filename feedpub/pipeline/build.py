"""One build: feeds.yaml + content/ -> validated feeds published into the output folder.

A :class:`Build` runs in named phases, each returning what the next needs: scan (the content
files) -> plan (channels, fingerprints, what to regenerate; see :mod:`feedpub.pipeline.plan`)
-> load articles -> render -> generate and check -> publish -> commit (the :class:`State` of
the next build). The report is assembled from what the phases return. A build whose content
files (their stats) and output folder match the state stops before the scan; nothing is
published unless every document about to be published passes the validator.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from feedpub.errors import InputError, Problem, ValidationFailed
from feedpub.inputs.finding import Source, sources_fingerprint, stat_of
from feedpub.inputs.sources import source_path
from feedpub.layout import SitePaths
from feedpub.model import Article, Channel, Config, Listing, Record, Rendered, Stat, article_of
from feedpub.pipeline.archives import (
    archive_folders,
    is_archive,
    obsolete_pages,
    page_size,
    remove_pages,
)
from feedpub.pipeline.lock import locked
from feedpub.pipeline.parallel import heap_frozen, map_items
from feedpub.pipeline.prune import Stale, published_before, sort_out_stale
from feedpub.pipeline.publish import OutputFile, Staging
from feedpub.pipeline.site import Site
from feedpub.pipeline.state import Index, Published, State
from feedpub.pipeline.websub import announce
from feedpub.quick import Invocation, StampedFiles, Walk, stamp, unstamp

# plan, scan and render are imported where they are used: a no-op build needs none of them.
if TYPE_CHECKING:
    from feedpub.pipeline.plan import Plan
    from feedpub.pipeline.scan import Progress, Scan
    from feedpub.validator.itemmemo import ItemMemo
    from feedpub.validator.own import OwnChecks
    from feedpub.writers.feeds import Document
    from feedpub.writers.itembytes import ItemCache

__all__ = [
    "Build",
    "BuildOptions",
    "BuildReport",
    "build",
    "now",
]

# Below this many channels to generate, worker processes cost more than they save.
PARALLEL_MIN_CHANNELS = 8


def now() -> datetime:
    """The build clock; the one place feedpub asks for the time (tests pass ``now`` instead)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class BuildOptions:
    config: Path
    out: Path | None = None
    content: Path | None = None
    state: Path | None = None
    wait: bool = False
    prune: bool = False
    now: datetime | None = None
    feeds_url: str | None = None  # where the output is served, in place of site.feeds_url
    walk: Walk | None = None  # the content folder as the quiet check just found it

    def paths(self) -> SitePaths:
        """The folders of the build, each beside feeds.yaml unless given."""
        return SitePaths.of(self.config, self.content, self.out, self.state)


@dataclass(frozen=True)
class FeedResult:
    path: str
    items: int
    changed: bool


@dataclass
class BuildReport:
    out: Path
    feeds: list[FeedResult] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)  # feed files feedpub never wrote here
    pruned: bool = False
    articles: int = 0
    published: int = 0
    skipped: list[Problem] = field(default_factory=list)  # site.on_error: skip
    next_due: datetime | None = None  # when a build would next publish something else


class BuildResult(NamedTuple):
    """What the publishing phases return: every feed, and how many articles there are."""

    feeds: list[FeedResult]
    articles: int
    published: int
    warnings: list[Problem] = []  # never mutated
    skipped: list[Problem] = []  # never mutated
    next_due: float | None = None  # POSIX time (see plan.next_change)


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Run one build; raise a :class:`FeedpubError` and publish nothing if anything is wrong."""
    return Build(options, progress).run()


class Build:
    """One run of ``feedpub build``: its paths, config, clock, state and progress display."""

    def __init__(self, options: BuildOptions, progress: Progress | None = None) -> None:
        self.options = options
        self.site = Site.open(
            options.config, options.content, options.out, options.state, options.feeds_url
        )
        self.config = self.site.config
        self.paths = self.site.paths
        self.clock = options.now or now()
        self.progress = progress

    def run(self) -> BuildReport:
        # Frozen to the end: the listings and channels live until the build ends, and a full
        # collection walking them after the rebuild cost a +1 build a tenth more.
        with heap_frozen(), locked(self.paths.state, self.options.wait):
            unstamp(self.paths)  # before anything changes: the quiet no-op's stamp is stale
            state = State(self.paths.state, self.paths.out, self.config.digest)
            try:
                known = published_before(state.last)
                walk = self.find()
                sources, warnings, key = walk.sources, walk.warnings, walk.fingerprint
                if state.nothing_changed(key, self.clock.timestamp()):
                    result = unchanged(state.index)
                else:
                    result = self.rebuild(state, sources, key)
                stale = self.sort_out_stale(state, result, known)
                quiet = not (warnings or result.warnings or result.skipped or stale.ours)
                committed = state.committed() if quiet and not stale.foreign else None
            finally:
                state.close()
            pings = self.announce(result)
            if committed is not None and not pings:
                self.leave_stamp(committed, key)
        return BuildReport(
            self.paths.out,
            result.feeds,
            [*warnings, *result.warnings, *pings],
            stale.ours,
            stale.foreign,
            stale.pruned,
            result.articles,
            result.published,
            result.skipped,
            None if result.next_due is None else datetime.fromtimestamp(result.next_due, UTC),
        )

    def find(self) -> Walk:
        """Every content file and its stat: from the quiet check's walk when it just made
        one of this content folder (see feedpub.quick), else walked now."""
        walk = self.options.walk
        if walk is not None and walk.content == self.paths.content:
            return walk
        sources, warnings = self.site.find()
        return Walk(self.paths.content, sources, warnings, sources_fingerprint(sources))

    def leave_stamp(self, index: Index, sources_key: str) -> None:
        """After a clean build on the real clock, the stamp the next quiet no-op compares
        (see feedpub.quick); none when the state does not describe exactly this build."""
        images = [entry for entry in index.files.values() if entry.source is not None]
        if (
            self.options.now is not None
            or self.options.feeds_url is not None
            or index.sources != sources_key
            or index.config != self.config.digest
            or any(entry.source_stat is None for entry in images)
        ):
            return
        published = StampedFiles(
            [(path, tuple(entry.stat)) for path, entry in index.files.items()],
            [(str(entry.source), tuple(entry.source_stat or ())) for entry in images],
        )
        stamp(Invocation(self.options.config, self.paths), sources_key, index.next_due, published)

    def announce(self, result: BuildResult) -> list[Problem]:
        """The WebSub pings for the feeds this build changed, and the warnings. None when
        feeds.yaml names a ``deploy.target``: the feeds are not served until ``feedpub
        deploy`` has uploaded them, and it pings for what it uploads."""
        if self.config.deploy.target is not None:
            return []
        changed = [feed.path for feed in result.feeds if feed.changed]
        return announce(self.config, self.paths.state, self.paths.out, changed)

    def sort_out_stale(self, state: State, result: BuildResult, known: set[str]) -> Stale:
        """Feeds no channel produces any more: ``--prune`` deletes the ones this site published;
        archive pages gone with removed articles go anyway (they are not the user's to prune)."""
        out = self.paths.out
        produced = {feed.path for feed in result.feeds}
        skip: set[str] = set()
        if self.config.site.archives:
            remove_pages(out, obsolete_pages(out, produced))
            skip = archive_folders(produced)
        return sort_out_stale(out, state, produced, known, self.options.prune, skip)

    # --- the phases

    def rebuild(self, state: State, sources: list[Source], sources_key: str) -> BuildResult:
        """Every phase after the scan, for a build in which something changed."""
        from feedpub.pipeline.render import render_articles

        scan = self.site.scan(sources, state, self.progress, self.clock)
        gc.freeze()  # the listings live until the end: no collection needs to walk them
        plan = self.site.plan(scan, self.clock, dict(state.index.caps))
        stale = [c for c in plan.channels if not _is_current(state, plan, c)]
        sized: list[Problem] = []
        if plan.histories:  # feeds.yaml caps feed sizes
            plan, stale, sized = self.fit_sizes(state, scan, plan, stale)
        # The index shows the newest articles, the news sitemap its own: theirs are loaded too.
        wanted = _listings_of([*(c.listings for c in stale), _newest(plan).listings, plan.news])
        articles = with_alternates(self.load_articles(state, scan, wanted), plan)
        rendered = render_articles(self.paths.content, articles, state, self.progress)
        with Staging.open(self.paths.out) as staging:
            staged, failures = self.generate(stale, articles, rendered, staging)
            site, site_failures = self.generate_site(plan, articles, rendered)
            refuse(failures + site_failures)
            staged += [d.path for d in site if staging.put(OutputFile(d.path, d.data))]
            staged += [m.path for m in changed_media(plan.media, state) if staging.put(m)]
            changed = set(staging.publish(staged).changed)
        feeds = [
            FeedResult(path, len(channel.listings), path in changed)
            for channel in plan.channels
            for path in plan.documents[channel.path]
        ]
        feeds += [FeedResult(d.path, _site_items(d, plan), d.path in changed) for d in site]
        # After skipping a broken file, the next build reads it again (and says so again),
        # however little else changed: no no-op path.
        self.commit(state, scan, plan, feeds, "" if scan.skipped else sources_key)
        files = len(scan.listings) + len({p.file for p in scan.skipped})
        warnings = [*scan.warnings, *sized]
        return BuildResult(feeds, files, len(plan.published), warnings, scan.skipped, plan.next_due)

    def fit_sizes(
        self, state: State, scan: Scan, plan: Plan, stale: list[Channel]
    ) -> tuple[Plan, list[Channel], list[Problem]]:
        """The plan again, and what it regenerates, if a current feed about to be regenerated
        keeps another number of articles under its size cap (see pipeline/sizecap); the
        warnings for feeds whose newest article alone is over it."""
        from feedpub.pipeline.archives import current_of
        from feedpub.pipeline.render import render_articles
        from feedpub.pipeline.sizecap import Fitting, byte_cap, fit
        from feedpub.writers.itembytes import ItemCache

        config = self.config
        histories = [
            plan.histories[c.path]
            for c in stale
            if not is_archive(c) and byte_cap(config, c) is not None
        ]
        if not histories:
            return plan, stale, []
        limit = config.site.limit
        full = [current_of(config, h, limit, plan.withdrawn) for h in histories]
        articles = with_alternates(
            self.load_articles(state, scan, _listings_of(c.listings for c in full)), plan
        )
        rendered = render_articles(self.paths.content, articles, state, self.progress)
        fitting = Fitting(config, plan.withdrawn, articles, rendered, ItemCache())
        fitted = fit(fitting, histories, plan.caps)
        if fitted.caps != dict(plan.caps):
            plan = self.site.plan(scan, self.clock, fitted.caps)
            stale = [c for c in plan.channels if not _is_current(state, plan, c)]
        return plan, stale, fitted.warnings

    def load_articles(
        self, state: State, scan: Scan, listings: list[Listing]
    ) -> dict[str, Article]:
        """Full records of ``listings``: parsed in this run, in the state, or parsed again."""
        articles = {}
        for listing in listings:
            fresh = scan.fresh.get(listing.id)
            stored = state.record(listing.id, listing.digest) if fresh is None else None
            record = stored or fresh or self.reparse(listing)
            if stored is None:
                state.put_record(listing.id, listing.digest, record)
            articles[listing.id] = article_of(record)
        return articles

    def reparse(self, listing: Listing) -> Record:
        from feedpub.pipeline.scan import parse_entry

        path = source_path(self.paths.content, listing.source)
        stat = stat_of(path) or Stat(0, 0, 0, 0)
        outcome = parse_entry(
            Source(listing.source, str(path), stat), None, self.config, self.paths.content
        )
        if outcome.record is None or article_of(outcome.record).digest != listing.digest:
            raise InputError(
                list(outcome.parsed.problems)
                or [Problem(listing.source, "changed while feedpub was building; run again")]
            )
        return outcome.record

    def generate(
        self,
        channels: list[Channel],
        articles: dict[str, Article],
        rendered: Mapping[str, Rendered],
        staging: Staging,
    ) -> tuple[list[str], list[str]]:
        """The documents and pages of ``channels``, put into ``staging`` (in the workers that
        make them: the bytes never travel back); the paths staged, and the errors the
        validator finds in them."""
        full = [
            dataclasses.replace(c, articles=tuple(articles[x.id] for x in c.listings))
            for c in by_period(channels)
        ]
        # Imported before the workers fork, so they inherit the modules instead of each
        # importing the validator again (tens of milliseconds of CPU apiece).
        from feedpub.validator.composed import Composer
        from feedpub.validator.itemmemo import ItemMemo
        from feedpub.validator.own import error_lines  # noqa: F401
        from feedpub.writers.itembytes import ItemCache

        # One item cache, one item memo and one composer per build (and per worker, which
        # forks with its own empty copies). Composing pays where items recur in many
        # documents, as archive pages make them (at 10,000 articles, 12.9 s -> 12.0 s of
        # checking); without archives most documents' items are new, and learning them costs
        # more than composing saves (1.8 s -> 2.0 s).
        composer = Composer() if self.config.site.archives else None
        checks = self.checks(ItemMemo())._replace(composer=composer)
        shared = Shared(self.config, rendered, ItemCache(), staging, checks)
        staged: list[str] = []
        failures: list[str] = []
        done = 0
        # One batch of neighbouring channels per worker (they share the most items), of about
        # equal cost.
        batches = map_items(_generate_channel, shared, full, PARALLEL_MIN_CHANNELS, 1, _cost)
        for batch in batches:
            for channel_staged, channel_failures in batch:
                staged += channel_staged
                failures += channel_failures
            done += len(batch)
            if self.progress:
                self.progress("generating", done, len(full))
        return staged, failures

    def generate_site(
        self, plan: Plan, articles: dict[str, Article], rendered: Mapping[str, Rendered]
    ) -> tuple[list[Document], list[str]]:
        """The documents about every channel at once (the index page, the OPMLs), made by
        every build that generates anything, and the errors found in them."""
        from feedpub.validator.own import error_lines
        from feedpub.writers.pages import site_documents

        current = [channel for channel in plan.channels if not is_archive(channel)]
        latest = [articles[x.id] for x in _newest(plan).listings]
        news = [articles[x.id] for x in plan.news]
        documents = site_documents(self.config, current, latest, rendered, news)
        checks = self.checks()
        return documents, [line for d in documents for line in error_lines(d, checks)]

    def checks(self, items: ItemMemo | None = None) -> OwnChecks:
        """What the validator checks this build's documents against."""
        from feedpub.validator.output import Expected
        from feedpub.validator.own import OwnChecks

        site = self.config.site
        expected = Expected(site.feeds_url, site.limit, {}, {}, page_size(self.config))
        return OwnChecks(self.clock, expected, items)

    def commit(
        self, state: State, scan: Scan, plan: Plan, feeds: list[FeedResult], sources_key: str
    ) -> None:
        """Leave the state for the next build: what it saw and what is now published."""
        from feedpub.pipeline.identity import new_identities, unrecorded

        out = str(self.paths.out)
        files: dict[str, Published] = {}
        for feed in feeds:
            # Read again only when rewritten or not seen unchanged (10,000s with archives);
            # os.path.join: a pathlib join cost more than the stat.
            stat = None if feed.changed else state.verified_stat(feed.path)
            stat = stat or stat_of(os.path.join(out, feed.path))
            if stat:
                # the site's documents have no fingerprint: every build that generates makes them
                key = plan.fingerprints.get(feed.path, "")
                files[feed.path] = Published(key, stat, feed.items)
        for path, source in plan.media.items():
            stat = stat_of(os.path.join(out, path))
            if stat:
                files[path] = Published("", stat, 0, source, stat_of(source))
        index = Index(
            self.config.digest,
            sources_key,
            plan.next_due,
            len(scan.listings),
            len(plan.published),
            files,
            caps=tuple(sorted(plan.caps.items())),
            # after skipping a file the next build checks every identity again (see unrecorded)
            clock=None if scan.skipped else self.clock.timestamp(),
        )
        fresh = {record[0] for record in scan.fresh.values()}
        maybe_new = unrecorded(plan.published, fresh, state.index.clock)
        known = state.identities([listing.source for listing in maybe_new])
        state.put_identities(new_identities(maybe_new, known))
        state.commit(index, scan.files, plan.window())


def unchanged(index: Index) -> BuildResult:
    """A no-op build's result: every feed as the last build published it."""
    feeds = [
        FeedResult(path, entry.items, False)
        for path, entry in index.files.items()
        if entry.source is None
    ]
    return BuildResult(feeds, index.articles, index.published, next_due=index.next_due)


def with_alternates(articles: dict[str, Article], plan: Plan) -> dict[str, Article]:
    """``articles`` with their translations as this build resolved them (the records hold
    none: they change with the other articles)."""
    found = plan.alternates
    return {
        key: dataclasses.replace(article, alternates=found[key]) if key in found else article
        for key, article in articles.items()
    }


def refuse(failures: list[str]) -> None:
    """Publish nothing if the validator found an error in any document."""
    if failures:
        raise ValidationFailed.own_documents(failures)


def _site_items(document: Document, plan: Plan) -> int:
    """What a site document counts: an OPML its channels, the news sitemap its articles, the
    index the combined feed's items."""
    from feedpub.writers.opml import opml_channels

    current = [channel for channel in plan.channels if not is_archive(channel)]
    if document.kind == "sitemap":
        return len(plan.news)
    if document.kind == "opml":
        return len(opml_channels(document.path, current))
    return len(current[0].listings)


def by_period(channels: list[Channel]) -> list[Channel]:
    """``channels``, newest articles first: neighbours (the site's, a region's and a country's
    feeds or archive pages of one period) hold the same articles, so a worker given a run of
    them writes and checks each shared item once."""
    return sorted(channels, key=lambda c: -c.listings[0].published if c.listings else 0.0)


def _is_current(state: State, plan: Plan, channel: Channel) -> bool:
    return all(state.is_current(p, plan.fingerprints[p]) for p in plan.documents[channel.path])


def _newest(plan: Plan) -> Channel:
    """The combined channel cut to the articles the index shows."""
    from feedpub.writers.pages import INDEX_ITEMS

    combined = plan.channels[0]
    return dataclasses.replace(combined, listings=combined.listings[:INDEX_ITEMS])


def _listings_of(groups: Iterable[Iterable[Listing]]) -> list[Listing]:
    """Each listing of ``groups`` once, in the order they first appear."""
    return list({x.id: x for group in groups for x in group}.values())


def changed_media(media: dict[str, str], state: State) -> list[OutputFile]:
    """The images to publish: new ones, replaced ones, and ones whose copy is gone or altered."""
    files = []
    for path, source in media.items():
        if state.is_current(path):
            continue
        try:
            files.append(OutputFile(path, Path(source).read_bytes()))
        except OSError as exc:
            raise InputError(
                [Problem(source, f"cannot read image: {exc.strerror or exc}")]
            ) from exc
    return files


class Shared(NamedTuple):
    """What every channel's generation needs (inherited by forked workers)."""

    config: Config
    rendered: Mapping[str, Rendered]
    items: ItemCache
    staging: Staging
    checks: OwnChecks  # with the validator's item memo: each distinct item checked once


def _generate_channel(shared: Shared, channel: Channel) -> tuple[list[str], list[str]]:
    """Make a channel's documents and pages, stage the changed ones; their paths and the
    errors the validator finds in the documents (in a worker process on a cold build:
    generating and validating are most of its time)."""
    from feedpub.pipeline.sizecap import oversize
    from feedpub.validator.own import error_lines
    from feedpub.writers.feeds import render_channel
    from feedpub.writers.pages import channel_pages

    documents = render_channel(channel, shared.config, shared.rendered, shared.items)
    errors = []
    if not is_archive(channel):
        errors += oversize(shared.config, channel, [(d.path, len(d.data)) for d in documents])
        documents += channel_pages(channel, shared.config, shared.rendered)
    errors += [line for d in documents for line in error_lines(d, shared.checks)]
    staged = [d.path for d in documents if not errors and shared.staging.put(_file(d))]
    return staged, errors


def _cost(channel: Channel) -> float:
    """About how long generating ``channel`` takes, for sharing channels among workers: an
    item of a current feed costs about two of an archive page's (its pages are made and
    checked too), going by the split that evened the two workers out at 10,000."""
    return len(channel.listings) * (1 if is_archive(channel) else 2) + 1


def _file(document: Document) -> OutputFile:
    return OutputFile(document.path, document.data)
