"""``feedpub deploy``: the output folder to an S3 bucket or an rsync destination, uploading
only what changed, in an order that never publishes a file pointing at a missing one.

The plan (:mod:`feedpub.deploy.plan`) compares the output folder with the target; the store
(:mod:`feedpub.deploy.store`) sends each batch, deletes, and keeps the ledger. A deploy holds
the site's run lock, so no build changes the output folder under it. When feeds.yaml names
this target as ``deploy.target``, the deploy (not the build) sends the WebSub pings, for the
current feeds that changed on the target since the last deploy: even those a killed deploy
uploaded and never announced.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from feedpub.deploy.ledger import Entry, Ledger
from feedpub.deploy.plan import DeployPlan, LocalFile, local_files, make_plan
from feedpub.deploy.retry import BatchFailed
from feedpub.deploy.store import Store, open_store
from feedpub.deploy.target import DEFAULT_JOBS, EXPECTED, S3Target, Target, parse_target
from feedpub.errors import DeployError, InputError, PartialDeploy, Problem, UsageError
from feedpub.inputs import fields
from feedpub.inputs.config import load_config
from feedpub.layout import SitePaths
from feedpub.model import Config
from feedpub.pipeline.lock import locked
from feedpub.pipeline.prune import published_before
from feedpub.pipeline.state import State
from feedpub.pipeline.websub import announce


@dataclass(frozen=True)
class DeployOptions:
    config: Path
    target: str | None = None  # None: feeds.yaml's deploy.target
    endpoint_url: str | None = None
    out: Path | None = None
    state: Path | None = None
    dry_run: bool = False
    delete: bool = False
    wait: bool = False
    jobs: int = DEFAULT_JOBS


class Echo(NamedTuple):
    """Where a deploy says what it does, as it does it (the CLI's stdout and stderr)."""

    say: Callable[[str], None]
    warn: Callable[[Problem], None]


@dataclass
class DeployReport:
    target: str
    dry_run: bool
    uploaded: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)

    def summary(self) -> str:
        up, same, gone = len(self.uploaded), self.unchanged, len(self.deleted)
        if self.dry_run:
            return (
                f"{self.target}: dry run: {up} to upload, {same} unchanged, {gone} to delete; "
                "nothing was changed"
            )
        return f"{self.target}: {up} uploaded, {same} unchanged, {gone} deleted"


def deploy(options: DeployOptions, echo: Echo) -> DeployReport:
    """Deploy the site of ``options.config``; a :class:`FeedpubError` if anything fails
    (:class:`PartialDeploy` once the target was changed)."""
    config = load_config(options.config)
    paths = SitePaths.of(options.config, out=options.out, state=options.state)
    target = resolve_target(options, config)
    if not paths.out.is_dir():
        problem = "output folder not found (run feedpub build first); nothing was deployed"
        raise InputError([Problem(paths.out.as_posix(), problem)])
    with locked(paths.state, options.wait):
        return Deployment(config, paths, target, options, echo).run()


def resolve_target(options: DeployOptions, config: Config) -> Target:
    """The target of the command line, else of feeds.yaml, with its endpoint."""
    text = options.target or config.deploy.target
    if text is None:
        raise UsageError(f"give a TARGET ({EXPECTED}), or set deploy.target in feeds.yaml")
    endpoint = options.endpoint_url
    if endpoint is not None and fields.url(endpoint):
        raise UsageError(f"--endpoint-url: expected an absolute http(s) URL, got {endpoint!r}")
    if endpoint is not None and not text.startswith("s3://"):
        raise UsageError("--endpoint-url is only for an s3:// target")
    if endpoint is None and text.startswith("s3://"):
        endpoint = config.deploy.endpoint_url
    try:
        return parse_target(text, endpoint)
    except ValueError as exc:
        raise UsageError(f"TARGET: expected {exc}, got {text!r}") from exc


class Deployment:
    """One run of ``feedpub deploy``: plan, batches in order, deletions, pings, ledger."""

    def __init__(
        self,
        config: Config,
        paths: SitePaths,
        target: Target,
        options: DeployOptions,
        echo: Echo,
    ) -> None:
        self.config = config
        self.paths = paths
        self.target = target
        self.options = options
        self.echo = echo
        self.report = DeployReport(str(target), options.dry_run)

    def run(self) -> DeployReport:
        out, state = self.paths.out, self.paths.state
        local, skipped = local_files(out, self.config.deploy.cache_control)
        for path in skipped:
            self.echo.warn(Problem((out / path).as_posix(), "not a regular file; not deployed"))
        ledger = Ledger.load(state, out, self.target)
        last = State(state, out, self.config.digest, writable=False).last
        ours = set(ledger.entries) | published_before(last)
        store = open_store(self.target, ledger, str(out), self.options.jobs)
        plan = make_plan(local, store.remote({file.path for file in local}), ours)
        failure: BatchFailed | None = None
        try:
            self.upload(store, plan)
            self.remove(store, plan)
        except BatchFailed as exc:
            failure = exc
        if not self.options.dry_run:
            self.finish(store, plan, ledger)
        if failure is not None:
            raise self.failed(plan, failure)
        return self.report

    def upload(self, store: Store, plan: DeployPlan) -> None:
        """Each batch in order, each complete before the next starts."""
        unsent = len(plan.uploads)
        self.report.unchanged = len(plan.unchanged)
        for batch in plan.batches():
            try:
                sent = store.send(batch, self.options.dry_run)
            except BatchFailed as exc:
                self.sent(batch, exc.done)
                raise
            self.sent(batch, sent)
        # rsync was given every file and sent only those that differ
        self.report.unchanged += unsent - len(self.report.uploaded)

    def sent(self, batch: list[LocalFile], paths: list[str]) -> None:
        verb = "would upload" if self.options.dry_run else "uploaded"
        files = {file.path: file for file in batch}
        for path in paths:
            self.echo.say(f"{verb:<12} {self.target.url(path)} ({self.headers(files[path])})")
        self.report.uploaded += paths

    def headers(self, file: LocalFile) -> str:
        if isinstance(self.target, S3Target):
            return f"{file.kind}; {file.content_type}; {file.cache_control}"
        return str(file.kind)

    def remove(self, store: Store, plan: DeployPlan) -> None:
        """``--delete``: the files of this site the output no longer has, after everything
        else; without it, a warning if any are there."""
        if plan.deletions and self.options.delete:
            self.delete(store, plan.deletions)
        elif plan.deletions:
            there = store.delete(plan.deletions, dry_run=True)
            if there:
                self.echo.warn(
                    Problem(
                        str(self.target),
                        f"{_files(len(there))} this site published no longer in the output "
                        "folder; left in place (--delete removes them)",
                    )
                )
        if self.options.delete and plan.foreign:
            self.echo.warn(
                Problem(
                    str(self.target),
                    f"{_files(len(plan.foreign))} this site did not publish; left in place "
                    "(--delete never removes them)",
                )
            )

    def delete(self, store: Store, paths: list[str]) -> None:
        verb = "would delete" if self.options.dry_run else "deleted"
        try:
            deleted = store.delete(paths, self.options.dry_run)
        except BatchFailed as exc:
            self.report.deleted += exc.done
            raise
        for path in deleted:
            self.echo.say(f"{verb:<12} {self.target.url(path)}")
        self.report.deleted += deleted

    def finish(self, store: Store, plan: DeployPlan, ledger: Ledger) -> None:
        """Announce the current feeds that changed on the target, then keep the ledger (in
        this order: a deploy killed between the two pings again rather than never)."""
        for problem in self.announce(plan, ledger):
            self.echo.warn(problem)
        try:
            if self.report.uploaded:
                store.settle()
        except DeployError as exc:  # the files are there: the next run asks them again
            self.echo.warn(Problem(str(self.target), str(exc)))
        try:
            ledger.save()
        except OSError as exc:
            self.echo.warn(
                Problem(str(ledger.path), f"cannot keep what was deployed: {exc.strerror}")
            )

    def announce(self, plan: DeployPlan, ledger: Ledger) -> list[Problem]:
        """WebSub pings, when this target is feeds.yaml's: for each file now on the target
        whose digest differs from the one the last finished deploy left there."""
        configured = self.config.deploy.target
        if configured is None:
            return []
        if parse_target(configured, self.configured_endpoint()) != self.target:
            return []  # another target (a staging bucket): its feeds are not the served ones
        now = {path: entry.digest for path, entry in ledger.entries.items()}
        changed = [
            file.path
            for file in [*plan.uploads, *plan.unchanged]
            if now.get(file.path) == file.digest
            and _digest(ledger.before, file.path) != file.digest
        ]
        return announce(self.config, self.paths.state, self.paths.out, sorted(changed))

    def configured_endpoint(self) -> str | None:
        configured = self.config.deploy.target or ""
        return self.config.deploy.endpoint_url if configured.startswith("s3://") else None

    def failed(self, plan: DeployPlan, failure: BatchFailed) -> Exception:
        """The error of a deploy that stopped: partial once it changed the target."""
        lines = "\n".join(failure.failures)
        uploaded, deleted = len(self.report.uploaded), len(self.report.deleted)
        if not uploaded and not deleted:
            return DeployError(f"{lines}\n{self.target}: nothing on it was changed")
        done = f"{uploaded} of {len(plan.uploads)} changed files uploaded"
        if self.options.delete:
            done += f", {deleted} of {len(plan.deletions)} deleted"
        return PartialDeploy(
            f"{lines}\n{self.target}: stopped part way: {done}, in order, so nothing there "
            "points at a file it lacks; run feedpub deploy again to finish"
        )


def _digest(entries: dict[str, Entry], path: str) -> str | None:
    entry = entries.get(path)
    return None if entry is None else entry.digest


def _files(count: int) -> str:
    return f"{count} file{'s' * (count != 1)}"
