"""``feedpub check``: what ``build`` would refuse, and what readers would show badly, with
nothing written (not even the state folder).

The errors are the build's own: feeds.yaml through :func:`load_config`, each content file
through the scan's :func:`parse_entry`, ids and slugs through its :func:`duplicates`, topic
terms through :func:`topic_problems`. The warnings are about articles that build but read
poorly in a feed reader, and topic terms spelled apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from feedpub.errors import InputError, Problem
from feedpub.formats import FEED_FILENAMES
from feedpub.inputs.sources import decode, split_front_matter
from feedpub.inputs.yamlsrc import Located, YamlSourceError, load_located
from feedpub.layout import is_archive_page
from feedpub.model import Article, Config, Listing, article_of, listing_of
from feedpub.pipeline.scan import duplicates, parse_entry
from feedpub.pipeline.site import Site
from feedpub.pipeline.topics import spelling_warnings, topic_problems

if TYPE_CHECKING:
    from feedpub.validator.aggregators import Finding

TITLE_MAX = 100


class ReaderLimit(NamedTuple):
    """The most bytes of a feed a reader or aggregator fetches, as its own documentation says
    (cited in the README's Size caps)."""

    reader: str
    bytes: int


# Smallest first: a feed is warned about against the largest it exceeds (so the smaller too).
READER_LIMITS = (
    ReaderLimit("FeedBurner", 512 * 1024),
    ReaderLimit("Miniflux (its default HTTP_CLIENT_MAX_BODY_SIZE)", 15 * 1024 * 1024),
)


@dataclass
class CheckReport:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    articles: int = 0


def check_site(
    config_path: Path, content: Path | None = None, now: datetime | None = None
) -> CheckReport:
    """Every error a build of this site at ``now`` would stop on, and every warning, all at
    once."""
    report = CheckReport()
    try:
        site = Site.open(config_path, content)
    except InputError as exc:
        report.errors = exc.problems
        return report
    config, folder = site.config, site.paths.content
    sources, report.warnings = site.find()
    articles: list[Article] = []
    for source in sources:
        _, record, parsed = parse_entry(source, None, config, folder, now)
        report.errors += parsed.problems
        report.warnings += parsed.warnings
        if record is not None:
            articles.append(article_of(record))
    report.articles = len(sources)
    listings: list[Listing] = [listing_of(a, config) for a in articles]
    report.errors += duplicates(listings)
    if config.topics.any():
        report.errors += topic_problems(config, listings)
        report.warnings += spelling_warnings(config, listings)
    for article in articles:
        report.warnings += article_warnings(config, article, folder)
    report.warnings += size_warnings(site, config_path)
    report.errors.sort(key=_order)
    report.warnings.sort(key=_order)
    return report


def size_warnings(site: Site, config_path: Path) -> list[Problem]:
    """A published current feed larger than a known reader limit, and a ``max_feed_bytes``
    that allows one."""
    warnings = []
    out = site.paths.out
    for path in sorted(out.rglob("*")) if out.is_dir() else ():
        relative = path.relative_to(out).as_posix()
        if path.name not in FEED_FILENAMES or is_archive_page(relative) or not path.is_file():
            continue
        size = path.stat().st_size
        limit = _exceeded(size)
        if limit is not None:
            message = (
                f"{size:,} bytes, more than {limit.reader} reads ({limit.bytes:,}): "
                "set max_feed_bytes in feeds.yaml (README: Size caps)"
            )
            warnings.append(Problem(str(path), message))
    for name, cap in _caps(site.config):
        limit = _exceeded(cap)
        if limit is not None:
            message = (
                f"{cap:,} bytes allows feeds larger than {limit.reader} reads ({limit.bytes:,})"
            )
            warnings.append(Problem(str(config_path), message, field=name))
    return warnings


def _exceeded(size: int) -> ReaderLimit | None:
    return next((limit for limit in reversed(READER_LIMITS) if size > limit.bytes), None)


def _caps(config: Config) -> list[tuple[str, int]]:
    """Each ``max_feed_bytes`` feeds.yaml sets, with its field."""
    found = [("site.max_feed_bytes", config.site.max_feed_bytes)]
    for region in config.regions:
        found.append((f"regions.{region.key}.max_feed_bytes", region.max_feed_bytes))
        for country in region.countries:
            name = f"regions.{region.key}.countries.{country.key}.max_feed_bytes"
            found.append((name, country.max_feed_bytes))
    return [(name, cap) for name, cap in found if cap is not None]


def check_profiles(config_path: Path, profiles: tuple[str, ...]) -> list[Finding]:
    """What each aggregator profile finds in the feeds published in the site's output folder
    (what the aggregators fetch); an :class:`InputError` if feeds.yaml is wrong."""
    from feedpub.validator.aggregators import check_profiles as check_folder

    site = Site.open(config_path)
    return check_folder(site.paths.out, tuple(dict.fromkeys(profiles)))


def _order(problem: Problem) -> tuple[str, int, str]:
    return problem.file, problem.line or 0, problem.field or ""


def article_warnings(config: Config, article: Article, content: Path) -> list[Problem]:
    """What a reader would show badly about an article that builds."""
    found: list[tuple[str, str]] = []
    if len(article.title) > TITLE_MAX:
        found.append(
            ("title", f"is {len(article.title)} characters; readers cut titles over {TITLE_MAX}")
        )
    if article.image is not None and not article.image.alt:
        found.append(
            ("image", "has no image_alt: someone who cannot see the image is told nothing of it")
        )
    if not article.countries and not article.regions:
        found.append(("countries", "none and no region: the article is in the combined feed only"))
    if article.expires is not None and article.expires <= article.published:
        found.append(("expires", "is not after the article's date: it is never published"))
    front, body = _front_and_body(article.source, content)
    if article.summary is None and not _first_paragraph(body, article.link):
        found.append(("summary", "missing, and the body has no paragraph to take it from"))
    if not found:
        return []
    lines = _lines(front)
    return [Problem(article.source, message, _line(lines, key), key) for key, message in found]


def _front_and_body(name: str, content: Path) -> tuple[str, str]:
    path = content / name.removeprefix(content.as_posix() + "/")
    try:
        text, _ = decode(path.read_bytes(), name)
        return split_front_matter(text, name)
    except Exception:  # it parsed a moment ago; a file changed meanwhile has no lines to give
        return "", ""


def _first_paragraph(body: str, link: str) -> str:
    from feedpub.writers.markup import render

    return render(body, link, None).summary


def _lines(front: str) -> Located:
    try:
        return load_located(front)
    except YamlSourceError:
        return Located(None)


def _line(lines: Located, key: str) -> int | None:
    line = lines.lines.get((key,))
    return None if line is None else line + 1  # after the opening '---' line
