"""The ``feedpub`` command: parse options, call the core, turn its errors into exit codes."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from feedpub import __version__
from feedpub.deploy.target import DEFAULT_JOBS
from feedpub.errors import (
    BUILD_EXIT_MEANINGS,
    DEPLOY_EXIT_MEANINGS,
    EXIT_INPUT,
    EXIT_IO,
    EXIT_OK,
    ExitCode,
    FeedpubError,
    InputError,
    Problem,
    PublishError,
    UsageError,
    describe_os_error,
)
from feedpub.formats import FEED_FILENAMES
from feedpub.layout import NEWS_SITEMAP_PATH, is_archive_page
from feedpub.pipeline.build import BuildOptions, BuildReport, build
from feedpub.quick import Walk


def exit_codes_help(meanings: dict[ExitCode, str]) -> str:
    """A command's exit codes for its --help (the README's tables say the same)."""
    return "Exit codes: " + "; ".join(
        f"{code} {meaning.replace('`', '')}" for code, meaning in meanings.items()
    )


EXIT_CODES_HELP = exit_codes_help(BUILD_EXIT_MEANINGS)
# validator.aggregators.PROFILES' names, here so the CLI need not import the validator.
PROFILE_NAMES = ("google-news", "flipboard", "apple-news", "feedly")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def use_colour(stream: IO[str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return not os.environ.get("NO_COLOR") and stream.isatty()


def _err(text: str, colour: str | None = None) -> None:
    """A line on stderr; ``colour`` applies only where :func:`use_colour` allows it."""
    if colour and use_colour(sys.stderr):
        text = click.style(text, fg=colour, bold=colour == "red")
    click.echo(text, err=True, color=use_colour(sys.stderr))


def _warn(problem: object) -> None:
    _err(f"{_styled('warning:', 'yellow')} {problem}")


def _styled(word: str, colour: str) -> str:
    return click.style(word, fg=colour) if use_colour(sys.stderr) else word


def _example(*lines: str) -> str:
    """A command's help epilog: its examples, kept as written (click rewraps other text)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def config_option(help_text: str = "The site's feeds.yaml.") -> Callable[[F], F]:
    return click.option(
        "--config",
        "config_path",
        default="feeds.yaml",
        show_default=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help=help_text,
    )


def content_option(function: F) -> F:
    return click.option(
        "--content",
        type=click.Path(path_type=Path, file_okay=False),
        help="Content folder  [default: content/ beside feeds.yaml]",
    )(function)


@dataclass(frozen=True)
class OnError:
    """How a command reports its failure: what the summary of input problems says happened,
    what to tidy first (a progress line) and the exit code bad input gets."""

    outcome: str = "nothing was written"
    tidy: Callable[[], None] | None = None
    input_exit: int = EXIT_INPUT


def _run(ctx: click.Context, call: Callable[[], T], on_error: OnError = OnError()) -> T:
    """``call()``, its errors reported the feedpub way and turned into the exit code (the one
    error handler of every command)."""
    try:
        return call()
    except UsageError as exc:
        raise click.UsageError(str(exc), ctx) from exc
    except (FeedpubError, OSError) as exc:  # OSError: the net under every I/O step
        if on_error.tidy is not None:
            on_error.tidy()
        if isinstance(exc, OSError):
            _print_error(PublishError(describe_os_error(exc)))
            ctx.exit(EXIT_IO)
        _print_error(exc, on_error.outcome)
        ctx.exit(on_error.input_exit if exc.exit_code == EXIT_INPUT else exc.exit_code)
    raise AssertionError("unreachable")  # ctx.exit raises


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


@main.command(
    epilog=_example(
        "feedpub build",
        "feedpub build --quiet --wait        # from cron or a systemd timer",
        "feedpub build --config /srv/site/feeds.yaml --out /var/www/feeds",
    )
    + "\n\n"
    + EXIT_CODES_HELP
)
@config_option()
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder  [default: public/ beside feeds.yaml]",
)
@content_option
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
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Also print when the next build would publish something new (see next-due).",
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
    verbose: bool,
) -> None:
    """Build every feed of the site and publish the ones that changed."""
    walk = ctx.obj if isinstance(ctx.obj, Walk) else None  # made by the quiet check
    options = BuildOptions(config_path, out, content, state, wait, prune, walk=walk)
    progress = _Progress(quiet)
    on_error = OnError("nothing was published", progress.clear)
    report = _run(ctx, lambda: build(options, progress), on_error)
    progress.clear()
    _print_report(report, quiet)
    if verbose:
        _print_next_due(report, config_path)
    ctx.exit(EXIT_INPUT if report.skipped else EXIT_OK)


def _print_next_due(report: BuildReport, config_path: Path) -> None:
    from feedpub.inputs.config import load_config

    if report.next_due is None:
        click.echo("next due: nothing (no embargo, expiry, retraction or tombstone ahead)")
        return
    zone = load_config(config_path).site.timezone
    click.echo(f"next due: {report.next_due.astimezone(zone).isoformat()}")


main.add_command(build_command, "build")


def _print_error(exc: FeedpubError, outcome: str = "nothing was published") -> None:
    """Input problems one per line, compiler style, then what happened; other errors in one line."""
    if isinstance(exc, InputError):
        for problem in exc.problems:
            _err(str(problem))
        count = len(exc.problems)
        _err(f"feedpub: {count} problem{'s' * (count != 1)} found; {outcome}", "red")
    else:
        _err(f"feedpub: error: {exc}", "red")


def _print_skipped(problems: list[Problem]) -> None:
    """The problems of the content files a build left out (``site.on_error: skip``)."""
    if not problems:
        return
    for problem in problems:
        _err(str(problem))
    files = len({problem.file for problem in problems})
    _err(
        f"feedpub: {len(problems)} problem{'s' * (len(problems) != 1)} found; published "
        f"everything but {files} file{'s' * (files != 1)} (site.on_error: skip)",
        "red",
    )


def printable(text: str) -> str:
    """``text`` as it can be written to any terminal or pipe: what a hostile file put in it
    (lone surrogates from JSON escapes, undecodable file names) shown as escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _print_report(report: BuildReport, quiet: bool) -> None:
    """What a build did: its warnings and the files it left out on stderr (always), and
    unless ``quiet`` a line per document and a summary."""
    for warning in report.warnings:
        _warn(warning)
    _print_skipped(report.skipped)
    for path in report.stale:
        action = (
            "removed"
            if report.pruned
            else "no longer in feeds.yaml, left in place (--prune removes it)"
        )
        _warn(f"{report.out / path}: {action}")
    for path in report.foreign:
        _warn(
            f"{report.out / path}: no channel of feeds.yaml produces it and feedpub "
            "did not write it; left in place (--prune never removes it)"
        )
    if quiet:
        return
    written = feeds = 0
    for feed in report.feeds:
        written += feed.changed
        feeds += feed.path.rsplit("/", 1)[-1] in FEED_FILENAMES
        if not feed.changed and is_archive_page(feed.path):
            continue  # a site's history: thousands of pages that stay put
        state = "wrote    " if feed.changed else "unchanged"
        unit = "channel" if feed.path.endswith(".opml") else "item"
        if feed.path == NEWS_SITEMAP_PATH:
            unit = "article"
        items = f"{feed.items} {unit}{'s' * (feed.items != 1)}"
        click.echo(f"{state} {report.out / feed.path} ({items})")
    sitemap = any(feed.path == NEWS_SITEMAP_PATH for feed in report.feeds)
    others = len(report.feeds) - feeds - sitemap
    pages = f"{others} page{'s' * (others != 1)}"
    documents = (
        f"{feeds} feeds, {pages} and the news sitemap" if sitemap else f"{feeds} feeds and {pages}"
    )
    click.echo(
        f"{report.published} of {report.articles} articles published; {documents}, "
        f"{written} written, {len(report.feeds) - written} unchanged"
    )


@main.command(
    "serve",
    epilog=_example(
        "feedpub serve                        # http://127.0.0.1:8000/",
        "feedpub serve --watch --port 8080    # and rebuild on every change",
        "feedpub serve --host 0.0.0.0 --base-url http://192.168.1.5:8000/",
    )
    + "\n\nThe preview is a build of its own, into .feedpub/preview/ (never public/), with "
    "the preview's address (--base-url, or http://HOST:PORT/) in place of site.feeds_url: "
    "its pages, autodiscovery links, feed self links, images and feeds.opml all name the "
    "preview, so a feed reader can subscribe to it. Article links stay under site.url; no "
    "WebSub hub is pinged.\n\nExit codes: 0 stopped with Ctrl-C; 1 cannot listen; 2 usage "
    "error; 3 the first build found errors in feeds.yaml or content (without --watch).",
)
@config_option()
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to build the preview in  [default: preview/ in the state folder, .feedpub/]",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--base-url",
    help="The address readers reach the preview at, named in its feeds and pages  "
    "[default: http://HOST:PORT/]",
)
@click.option("--watch", is_flag=True, help="Rebuild whenever feeds.yaml or content changes.")
@click.pass_context
def serve_command(
    ctx: click.Context,
    config_path: Path,
    out: Path | None,
    host: str,
    port: int,
    base_url: str | None,
    watch: bool,
) -> None:
    """Build a preview of the site with the preview's own address and serve it, as a web
    server would (Ctrl-C stops)."""
    from feedpub.commands.serve import (
        ServeOptions,
        check_options,
        make_server,
        preview_build,
        run,
    )

    options = ServeOptions(BuildOptions(config_path, out), host, port, watch, base_url=base_url)
    _run(ctx, lambda: check_options(options))
    try:
        server = make_server(options, _err)
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from exc
    preview = preview_build(options, server.url)
    if not watch:  # --watch builds in its thread, and keeps serving through errors
        try:
            report = _run(ctx, lambda: build(preview), OnError("nothing to serve"))
        except click.exceptions.Exit:
            server.server_close()
            raise
        _print_report(report, quiet=True)
    _err(f"Serving {server.root} at {server.url} (Ctrl-C stops)")
    if preview.feeds_url != server.url:
        _err(f"Its feeds and pages name {preview.feeds_url}")
    run(server, options, _print_build)
    ctx.exit(EXIT_OK)


def _print_build(outcome: BuildReport | FeedpubError) -> None:
    """What a --watch rebuild did, in the terminal: its errors, or the files it wrote."""
    if isinstance(outcome, FeedpubError):
        _print_error(outcome)
        _err("feedpub: still serving the last good build")
        return
    written = sum(feed.changed for feed in outcome.feeds)
    _print_report(outcome, quiet=True)
    _err(f"rebuilt: {written} file{'s' * (written != 1)} written")


@main.command(
    "validate",
    epilog=_example(
        "feedpub validate",
        "feedpub validate --format json public/",
        "feedpub validate --strict feed.xml",
    )
    + "\n\nExit codes: 0 no errors (and no warnings with --strict); 1 errors found; "
    "2 usage error.",
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
    """Check feed files (RSS 2.0, Atom 1.0, JSON Feed 1.1), or folders of them (with their
    feeds.opml and HTML pages: each feed they link to must be in the folder).

    Without PATH, checks the output folder of feeds.yaml's site, including the build-level
    checks: every article in exactly the feeds it belongs in, newest first, within the limit,
    one id per article everywhere, absolute URLs, no future dates, correct self links.
    """
    import json  # imported here, as the validator: a build never needs them

    from feedpub.commands.validate import ValidateOptions, run_validation
    from feedpub.validator import format_text, to_json_records

    if config_path is None and Path("feeds.yaml").is_file():
        config_path = Path("feeds.yaml")
    if not paths and config_path is None:
        raise click.UsageError("give a PATH to check, or run where feeds.yaml is (or --config)")
    options = ValidateOptions(paths, config_path)
    on_error = OnError("nothing was published", input_exit=ExitCode.USAGE)
    results = _run(ctx, lambda: run_validation(options), on_error)
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
    ctx.exit(ExitCode.VALIDATION if errors or (strict and warnings) else ExitCode.OK)


@main.command(
    "new",
    epilog=_example(
        'feedpub new "Sri Lanka: Call a Hartal, Prepare for Power!" --country sri-lanka',
        '${EDITOR:-vi} "$(feedpub new "Fuel queues, day three" --country lanka --draft)"',
        'feedpub new "Asia in review" --region asia --date "2022-05-31 18:00"',
    )
    + "\n\nExit codes: 0 written; 2 usage error; 3 error in feeds.yaml or the file exists.",
)
@click.argument("title")
@click.option("--country", "countries", multiple=True, help="A country key or alias (repeatable).")
@click.option("--region", help="A region key: for a region-wide piece, or to check --country.")
@click.option("--date", help="Publication date  [default: now, in site.timezone]")
@click.option("--slug", help="File name and slug  [default: from the title, in ASCII]")
@click.option("--draft", is_flag=True, help="Write draft: true (not published until removed).")
@config_option()
@content_option
@click.pass_context
def new_command(
    ctx: click.Context,
    title: str,
    countries: tuple[str, ...],
    region: str | None,
    date: str | None,
    slug: str | None,
    draft: bool,
    config_path: Path,
    content: Path | None,
) -> None:
    """Write a new content file with its front matter filled in, and print its path.

    The file goes in content/<region>/<country>/<slug>.md with title, date, countries and a
    permanent id, and a placeholder line for its body, which build refuses until it is
    replaced with the article (a --draft may keep it). An existing file is never overwritten.
    """
    from feedpub.commands.new import NewArticle, new_article
    from feedpub.pipeline import build as build_module

    request = NewArticle(title, countries, region, date, slug, draft)
    path = _run(ctx, lambda: new_article(config_path, content, request, build_module.now()))
    click.echo(path.as_posix())


@main.group(
    "import",
    epilog=_example(
        "feedpub import listing articles.txt --date-from 2022-01-04 --date-to 2022-05-20",
        "feedpub import feed https://old.example/feed/ --country sri-lanka",
    ),
)
def import_group() -> None:
    """Bring articles in from elsewhere: a plain-text listing, or an existing feed."""


def _print_import(report: Any) -> None:
    for path in report.written:
        click.echo(f"wrote     {path.as_posix()}")
    for path in report.updated:
        click.echo(f"updated   {path.as_posix()}")
    for problem in report.to_check:
        _warn(problem)
    checks = len(report.to_check)
    click.echo(
        f"{len(report.written)} written, {len(report.updated)} updated, "
        f"{len(report.unchanged)} already there"
        + (f"; {checks} thing{'s' * (checks != 1)} to check (on stderr)" if checks else "")
    )


@import_group.command(
    "listing",
    epilog=_example(
        "feedpub import listing articles.txt",
        "feedpub import listing articles.txt --date-from 2022-01-04 --date-to 2022-05-20",
    )
    + "\n\nExit codes: 0 imported (check what it reports); 2 usage error; 3 the listing or "
    "feeds.yaml has errors (nothing written).",
)
@click.argument("listing", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--date-from", help="Date of the last (oldest) article of the listing.")
@click.option("--date-to", help="Date of the first (newest) article of the listing.")
@config_option()
@content_option
@click.pass_context
def import_listing_command(
    ctx: click.Context,
    listing: Path,
    date_from: str | None,
    date_to: str | None,
    config_path: Path,
    content: Path | None,
) -> None:
    """Write a content file for each article of a plain-text listing.

    The listing is blocks separated by blank lines: an optional image caption line and a
    title line, then a teaser paragraph; newest first. Countries come from the names the
    title and teaser use (country titles, keys and aliases in feeds.yaml). Articles already
    there (same title or slug) are skipped, so running it again adds only new ones.
    """
    from feedpub.commands.import_listing import import_listing

    _print_import(
        _run(ctx, lambda: import_listing(config_path, content, listing, date_from, date_to))
    )


@import_group.command(
    "feed",
    epilog=_example(
        "feedpub import feed old-site/feed.xml",
        "feedpub import feed https://old.example/feed/ --country sri-lanka",
    )
    + "\n\nExit codes: 0 imported (check what it reports); 2 usage error; 3 the feed or "
    "feeds.yaml has errors; 5 the URL could not be fetched.",
)
@click.argument("location", metavar="FILE_OR_URL")
@click.option(
    "--country", "countries", multiple=True, help="Put every entry in this country (repeatable)."
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Resolve relative links against URL (the old site's public address) instead of "
    "the address the feed is fetched from (a staging host would be baked in).",
)
@config_option()
@content_option
@click.pass_context
def import_feed_command(
    ctx: click.Context,
    location: str,
    countries: tuple[str, ...],
    base_url: str | None,
    config_path: Path,
    content: Path | None,
) -> None:
    """Migrate an RSS, Atom or JSON feed into content files, keeping every entry's id.

    Each entry's guid/id, link, dates, authors, categories, image and HTML content are kept,
    so subscribers of the old feed see no duplicates. Running it again updates the files it
    wrote (matched by id). Entries without an id or a date are reported, not imported.
    """
    from feedpub.commands.import_feed import import_feed
    from feedpub.inputs.fields import is_absolute_url

    if base_url is not None and not is_absolute_url(base_url):
        raise click.BadParameter(
            f"expected an absolute http(s) URL, got {base_url!r}", param_hint="--base-url"
        )
    _print_import(
        _run(
            ctx,
            lambda: import_feed(config_path, content, location, countries, base_url=base_url),
        )
    )


@main.command(
    "check",
    epilog=_example("feedpub check", "feedpub check --strict && feedpub build --quiet")
    + "\n\nExit codes: 0 no errors (warnings allowed unless --strict); 2 usage error; "
    "3 errors (or warnings, with --strict).",
)
@click.option("--strict", is_flag=True, help="Warnings count as errors.")
@click.option(
    "--live",
    metavar="URL",
    help="Check the feeds served at URL (where the output folder is served) as a reader "
    "meets them: status, type and charset, ETag or Last-Modified, 304s, a Last-Modified no "
    "older than the newest item, a feed and not an HTML page, self and hub links, the bytes "
    "of the output folder. Reads feeds.yaml if there is one; needs nothing else.",
)
@click.option(
    "--profile",
    "profiles",
    multiple=True,
    type=click.Choice(PROFILE_NAMES),
    help="Check the feeds published in the output folder against an aggregator's published "
    "rules (repeat for several); each finding names the feed, the item and the rule.",
)
@config_option()
@content_option
@click.pass_context
def check_command(
    ctx: click.Context,
    strict: bool,
    live: str | None,
    profiles: tuple[str, ...],
    config_path: Path,
    content: Path | None,
) -> None:
    """Report what build would refuse, and what readers would show badly; write nothing.

    Errors: feeds.yaml, front matter, unknown countries, duplicate ids or slugs, links,
    images, a change dated later than now. Warnings: no summary, an image without alt text, a
    title over 100 characters, an article in no channel but the combined one, an expiry not
    after the article's date. With --live URL: the served feeds instead. With --profile
    NAME: the published feeds against that aggregator's rules instead.
    """
    from feedpub.commands.check import check_site
    from feedpub.pipeline import build as build_module

    if live is not None and profiles:
        raise click.UsageError("give --live or --profile, not both")
    if live is not None:
        _check_live(ctx, live, config_path, strict)
    if profiles:
        _check_profiles(ctx, profiles, config_path, strict)

    report = _run(ctx, lambda: check_site(config_path, content, build_module.now()))
    for problem in report.errors:
        _err(str(problem))
    for problem in report.warnings:
        _warn(problem)
    checked = f"{report.articles} article{'s' * (report.articles != 1)} checked"
    _exit_with_counts(ctx, checked, len(report.errors), len(report.warnings), strict)


def _exit_with_counts(
    ctx: click.Context, what: str, errors: int, warnings: int, strict: bool
) -> None:
    """The summary line of a check (``what: N errors, M warnings``), and its exit: 3 on an
    error, or on a warning with --strict."""
    failed = bool(errors or (strict and warnings))
    _err(
        f"{what}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
        "red" if failed else None,
    )
    ctx.exit(EXIT_INPUT if failed else EXIT_OK)


def _check_profiles(
    ctx: click.Context, profiles: tuple[str, ...], config_path: Path, strict: bool
) -> None:
    from feedpub.commands.check import check_profiles

    findings = _run(ctx, lambda: check_profiles(config_path, profiles))
    for finding in findings:
        if finding.severity == "error":
            click.echo(f"{_styled('error:', 'red')} {finding}")
        else:
            click.echo(f"{_styled('warning:', 'yellow')} {finding}")
    errors = sum(f.severity == "error" for f in findings)
    names = ", ".join(dict.fromkeys(profiles))
    _exit_with_counts(ctx, names, errors, len(findings) - errors, strict)


def _check_live(ctx: click.Context, url: str, config_path: Path, strict: bool) -> None:
    from feedpub.commands.live import check_live, local_site

    base = url if url.endswith("/") else url + "/"
    local = _run(ctx, lambda: local_site(config_path)) if config_path.is_file() else None
    findings = check_live(base, local)
    for finding in findings:
        click.echo(str(finding))
    errors = sum(f.severity == "error" for f in findings)
    _exit_with_counts(ctx, base, errors, len(findings) - errors, strict)


@main.command(
    "channels",
    epilog=_example("feedpub channels", "feedpub channels --format json")
    + "\n\nExit codes: 0 listed; 2 usage error; 3 error in feeds.yaml or content.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="An aligned table, or one JSON array.",
)
@config_option()
@content_option
@click.pass_context
def channels_command(
    ctx: click.Context, output_format: str, config_path: Path, content: Path | None
) -> None:
    """List every channel: its item count, newest date and feed URLs, as build publishes them."""
    from feedpub.commands.channels import as_json, as_table, list_channels
    from feedpub.pipeline import build as build_module

    listed = _run(ctx, lambda: list_channels(config_path, content, build_module.now()))
    if output_format == "json":
        click.echo(as_json(listed.channels))
    else:
        click.echo(as_table(listed.channels, listed.next_due))


@main.command(
    "next-due",
    epilog=_example(
        "feedpub next-due",
        'due=$(feedpub next-due) && [ -n "$due" ] &&',
        '    sleep $(( $(date -d "$due" +%s) - $(date +%s) ))',
    )
    + "\n\nPrints the first time after now at which a build would publish something else "
    "with the same content files (an embargoed article comes due, one expires or is "
    "retracted, a tombstone leaves the current feeds), in ISO 8601 with the site's offset; "
    "nothing when nothing is due.\n\nExit codes: 0 printed (or nothing due); 2 usage error; "
    "3 error in feeds.yaml or content.",
)
@config_option()
@content_option
@click.pass_context
def next_due_command(ctx: click.Context, config_path: Path, content: Path | None) -> None:
    """Print when the next build would publish something new without any file changing."""
    from feedpub.commands.channels import next_due
    from feedpub.pipeline import build as build_module

    due = _run(ctx, lambda: next_due(config_path, content, build_module.now()))
    if due is not None:
        click.echo(due.isoformat())


@main.command(
    "retract",
    epilog=_example(
        'feedpub retract content/asia/vietnam/floods.md --note "The figures were wrong."',
    )
    + "\n\nWrites 'retracted: {date, note}' into the article's front matter (the date is now "
    "unless --date is given). The next build takes the article out of every feed, archive "
    "page and channel page, and its Atom feeds carry an RFC 6721 tombstone "
    "(at:deleted-entry) with the note: for site.tombstone_days in current feeds, for good "
    "in the archive page that held it.\n\nExit codes: 0 written; 2 usage error; 3 the file "
    "cannot be retracted (already retracted, no note, or the result would not build); "
    "4 cannot write the file.",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--note", required=True, help="Why it was withdrawn: shown in the tombstone.")
@click.option("--date", "when", help="When it is withdrawn  [default: now, in site.timezone]")
@config_option()
@content_option
@click.pass_context
def retract_command(
    ctx: click.Context,
    path: Path,
    note: str,
    when: str | None,
    config_path: Path,
    content: Path | None,
) -> None:
    """Retract a published article: it leaves every feed, with a tombstone in Atom."""
    from feedpub.commands.retract import Retraction, retract, retraction_date
    from feedpub.pipeline import build as build_module

    def run() -> None:
        moment = retraction_date(config_path, when, build_module.now())
        article = retract(Retraction(config_path, path, note, moment, content))
        _err(f"{path.as_posix()}: retracted {article.id} as of {moment.isoformat()}")

    _run(ctx, run)


@main.command(
    "deploy",
    epilog=_example(
        "feedpub deploy s3://my-bucket/feeds/",
        "feedpub deploy s3://feeds --endpoint-url https://ACCOUNT_ID.r2.cloudflarestorage.com",
        "feedpub deploy --dry-run --delete          # deploy.target of feeds.yaml",
        "feedpub deploy www@example.org:/srv/www/feeds/",
        "feedpub build --quiet && feedpub deploy --quiet    # from cron",
    )
    + "\n\n"
    + exit_codes_help(DEPLOY_EXIT_MEANINGS),
)
@click.argument("target", required=False)
@click.option(
    "--endpoint-url",
    help="The S3 API's address, for a store other than AWS (R2, B2, MinIO, GCS)  "
    "[default: deploy.endpoint_url of feeds.yaml, else AWS_ENDPOINT_URL, else AWS]",
)
@click.option(
    "--dry-run", is_flag=True, help="Print what would be uploaded and deleted; change nothing."
)
@click.option(
    "--delete",
    is_flag=True,
    help="Delete from the target the files this site published that the output no longer has.",
)
@config_option()
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder to deploy  [default: public/ beside feeds.yaml]",
)
@click.option(
    "--state",
    type=click.Path(path_type=Path, file_okay=False),
    help="State folder for the lock and what was deployed  [default: .feedpub/ beside feeds.yaml]",
)
@click.option("--wait", is_flag=True, help="Wait for a running build or deploy instead of exiting.")
@click.option(
    "--jobs",
    default=DEFAULT_JOBS,
    show_default=True,
    type=click.IntRange(1, 64),
    help="S3 requests in flight at once.",
)
@click.option(
    "--quiet", "-q", is_flag=True, help="Print nothing on success (warnings still go to stderr)."
)
@click.pass_context
def deploy_command(
    ctx: click.Context,
    target: str | None,
    endpoint_url: str | None,
    dry_run: bool,
    delete: bool,
    config_path: Path,
    out: Path | None,
    state: Path | None,
    wait: bool,
    jobs: int,
    quiet: bool,
) -> None:
    """Upload the output folder to TARGET, only what changed, in a safe order.

    TARGET is s3://BUCKET/PREFIX (through boto3: AWS, or any S3 API with --endpoint-url),
    rsync://HOST/MODULE/PATH, [USER@]HOST:PATH or a folder (through rsync); without it,
    deploy.target of feeds.yaml. Order: media, archive pages, channel pages, current feeds,
    the OPML and the index; deletions (--delete) last; then the WebSub pings, when TARGET is
    deploy.target. Credentials: the standard AWS environment variables and profiles.
    """
    from feedpub.commands.deploy import DeployOptions, Echo, deploy

    options = DeployOptions(
        config_path, target, endpoint_url, out, state, dry_run, delete, wait, jobs
    )
    say = (lambda line: None) if quiet else (lambda line: click.echo(printable(line)))
    on_error = OnError("nothing was deployed")
    report = _run(ctx, lambda: deploy(options, Echo(say, _warn)), on_error)
    say(report.summary())
    ctx.exit(EXIT_OK)
