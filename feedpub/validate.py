"""``feedpub validate``: every feed file's own checks, plus the build-level checks for a
feedpub output folder when the site's config is known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from feedpub.archives import page_size
from feedpub.build import Build, BuildOptions, now
from feedpub.buildcheck import Expected, FeedView, check_build
from feedpub.formats import FEED_FILENAMES
from feedpub.model import channel_folder
from feedpub.state import State
from feedpub.validator import Message, check_document, iter_feed_files
from feedpub.validator.files import read_feed_file


@dataclass(frozen=True)
class ValidateOptions:
    paths: tuple[Path, ...]
    config: Path | None = None
    now: datetime | None = None


def run_validation(options: ValidateOptions) -> dict[Path, list[Message]]:
    """Messages for every feed file found under ``options.paths`` (default: the output folder
    of ``options.config``), in path order.

    Every file is untrusted, in a folder as on the command line: each is read once, through
    the validator's guarded reader, and the build checks see only what it read."""
    clock = options.now or now()
    out = expected = None
    if options.config is not None:
        out, expected = expected_build(BuildOptions(options.config, now=clock))
    paths = options.paths or ((out,) if out is not None else ())
    files = list(iter_feed_files(paths))
    results: dict[Path, list[Message]] = {}
    views: dict[Path, FeedView] = {}
    folders = [root for root in paths if root.is_dir()]
    for file in files:
        self_url = None
        if expected is not None and out is not None and file.is_relative_to(out):
            self_url = expected.feeds_url + file.relative_to(out).as_posix()
        data = read_feed_file(file)
        if isinstance(data, Message):
            results[file] = [data]
            continue
        kind = "json" if file.suffix.lower() == ".json" else None
        # A feed file in a folder is checked as feedpub's own output (the build checks).
        ours = file.name in FEED_FILENAMES and any(file.is_relative_to(r) for r in folders)
        profile = "feedpub" if ours else None
        checked = check_document(data, kind=kind, self_url=self_url, now=clock, profile=profile)
        results[file] = checked.messages
        if ours and checked.view is not None:
            views[file] = checked.view
    for root in folders:
        is_output = out is not None and root.resolve() == out.resolve()
        inside = {
            f.relative_to(root).as_posix(): v for f, v in views.items() if f.is_relative_to(root)
        }
        for relative, messages in check_build(
            root, inside, clock, expected if is_output else None
        ).items():
            results.setdefault(root / relative, []).extend(messages)
    return {file: results[file] for file in sorted(results)}


def expected_build(options: BuildOptions) -> tuple[Path, Expected]:
    """(output folder, what a build of the current config and content publishes there): the
    build's own scan and plan, on a state opened read-only (safe beside a running build)."""
    build = Build(options)
    state = State(build.paths.state, build.paths.out, build.config.digest, writable=False)
    try:
        scan = build.scan(state, build.find()[0])
    finally:
        state.close()
    plan = build.plan(scan)
    config = build.config
    return build.paths.out, Expected(
        config.site.feeds_url,
        config.site.limit,
        {channel_folder(c.path): [x.id for x in c.listings] for c in plan.channels},
        {x.id: x.source for x in scan.listings},
        page_size(config),
    )
