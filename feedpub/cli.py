"""The ``feedpub`` command: parse options, call the core, turn its errors into exit codes."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from feedpub import __version__
from feedpub.build import BuildOptions, BuildReport, build
from feedpub.errors import (
    EXIT_INPUT,
    EXIT_IO,
    EXIT_OK,
    FeedpubError,
    InputError,
    PublishError,
    describe_os_error,
)

EXIT_CODES_HELP = """Exit codes: 0 success; 1 a generated document failed validation (nothing
published); 2 usage error; 3 error in feeds.yaml or content (nothing published); 4 another
build holds the lock; 5 I/O error."""


class _Progress:
    """A one-line progress display on a terminal, shown only once a build passes one second."""

    def __init__(self, quiet: bool = False) -> None:
        self.start = time.monotonic()
        self.enabled = not quiet and sys.stderr.isatty()
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.enabled and time.monotonic() - self.start > 1.0 and total:
            width = 30
            filled = width * done // total
            click.echo(
                f"\r{stage:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} ",
                err=True,
                nl=False,
            )
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            click.echo("\r" + " " * 70 + "\r", err=True, nl=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="feedpub")
def main() -> None:
    """Publish RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds from Markdown content."""


@main.command(epilog=EXIT_CODES_HELP)
@click.option(
    "--config",
    "config_path",
    default="feeds.yaml",
    show_default=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The site's feeds.yaml.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder  [default: public/ beside feeds.yaml]",
)
@click.option(
    "--content",
    type=click.Path(path_type=Path, file_okay=False),
    help="Content folder  [default: content/ beside feeds.yaml]",
)
@click.option(
    "--state",
    type=click.Path(path_type=Path, file_okay=False),
    help="State folder for the lock and cache  [default: .feedpub/ beside feeds.yaml]",
)
@click.option("--wait", is_flag=True, help="Wait for a running build instead of exiting.")
@click.option("--prune", is_flag=True, help="Delete feeds of channels no longer in feeds.yaml.")
@click.option(
    "--quiet", "-q", is_flag=True, help="Print nothing on success (warnings still go to stderr)."
)
@click.pass_context
def build_command(
    ctx: click.Context,
    config_path: Path,
    out: Path | None,
    content: Path | None,
    state: Path | None,
    wait: bool,
    prune: bool,
    quiet: bool,
) -> None:
    """Build every feed of the site and publish the ones that changed."""
    options = BuildOptions(config_path, out, content, state, wait, prune)
    progress = _Progress(quiet)
    try:
        report = build(options, progress)
    except FeedpubError as exc:
        progress.clear()
        _print_error(exc)
        ctx.exit(exc.exit_code)
    except OSError as exc:  # the net under every I/O step: never a traceback
        progress.clear()
        _print_error(PublishError(describe_os_error(exc)))
        ctx.exit(EXIT_IO)
    progress.clear()
    _print_report(report, quiet)
    ctx.exit(EXIT_OK)


main.add_command(build_command, "build")


def _print_error(exc: FeedpubError) -> None:
    """Input problems one per line, compiler style, then what happened; other errors in one line."""
    if isinstance(exc, InputError):
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        count = len(exc.problems)
        click.echo(
            f"feedpub: {count} problem{'s' * (count != 1)} found; nothing was published", err=True
        )
    else:
        click.echo(f"feedpub: error: {exc}", err=True)


def printable(text: str) -> str:
    """``text`` as it can be written to any terminal or pipe: what a hostile file put in it
    (lone surrogates from JSON escapes, undecodable file names) shown as escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _print_report(report: BuildReport, quiet: bool) -> None:
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for path in report.stale:
        action = (
            "removed"
            if report.pruned
            else "no longer in feeds.yaml, left in place (--prune removes it)"
        )
        click.echo(f"warning: {report.out / path}: {action}", err=True)
    for path in report.foreign:
        click.echo(
            f"warning: {report.out / path}: a feed no channel of feeds.yaml produces, which "
            "feedpub did not write; left in place (--prune never removes it)",
            err=True,
        )
    if quiet:
        return
    written = 0
    for feed in report.feeds:
        written += feed.changed
        state = "wrote    " if feed.changed else "unchanged"
        items = f"{feed.items} item{'s' * (feed.items != 1)}"
        click.echo(f"{state} {report.out / feed.path} ({items})")
    click.echo(
        f"{report.published} of {report.articles} articles published; "
        f"{len(report.feeds)} feeds, {written} written, {len(report.feeds) - written} unchanged"
    )


@main.command(
    "validate",
    epilog="Exit codes: 0 no errors (and no warnings with --strict); "
    "1 errors found; 2 usage error.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Compiler-style lines, or one JSON array.",
)
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The site's feeds.yaml; its output folder is checked against what a build "
    "of its content publishes  [default: feeds.yaml, if present]",
)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.pass_context
def validate_command(
    ctx: click.Context,
    output_format: str,
    strict: bool,
    config_path: Path | None,
    paths: tuple[Path, ...],
) -> None:
    """Check feed files (RSS 2.0, Atom 1.0, JSON Feed 1.1), or folders of them.

    Without PATH, checks the output folder of feeds.yaml's site, including the build-level
    checks: every article in exactly the feeds it belongs in, newest first, within the limit,
    one id per article everywhere, absolute URLs, no future dates, correct self links.
    """
    from feedpub.validate import ValidateOptions, run_validation
    from feedpub.validator import format_text, to_json_records

    if config_path is None and Path("feeds.yaml").is_file():
        config_path = Path("feeds.yaml")
    if not paths and config_path is None:
        raise click.UsageError("give a PATH to check, or run where feeds.yaml is (or --config)")
    try:
        results = run_validation(ValidateOptions(paths, config_path))
    except FeedpubError as exc:
        _print_error(exc)
        ctx.exit(2 if exc.exit_code == EXIT_INPUT else exc.exit_code)
    records = []
    errors = warnings = 0
    for file, messages in results.items():
        errors += sum(m.severity == "error" for m in messages)
        warnings += sum(m.severity == "warning" for m in messages)
        if output_format == "json":
            records.extend(to_json_records(file, messages))
        elif messages:
            click.echo(printable(format_text(file, messages)))
    if output_format == "json":
        click.echo(printable(json.dumps(records, ensure_ascii=False, indent=2)))
    click.echo(
        f"{len(results)} files checked: {errors} error{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)}",
        err=True,
    )
    ctx.exit(1 if errors or (strict and warnings) else 0)
