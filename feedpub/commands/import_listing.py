"""``feedpub import listing``: a plain-text article listing -> one content file per article.

The listing is blocks separated by blank lines: an optional image caption line and a title
line, then the teaser paragraph; newest first. Countries are the ones the title and teaser
name (feeds.yaml's country titles, keys and aliases, as whole words); what the listing cannot
tell (dates, an article naming no country or several, an image behind a caption) is reported
for the publisher to check. Articles already in the content folder (same slug or title) are
left alone, so running it again adds only what is new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from feedpub.errors import InputError, Problem, UsageError
from feedpub.inputs import authoring
from feedpub.inputs.articles import default_id
from feedpub.inputs.config import load_config
from feedpub.model import Config


@dataclass(frozen=True)
class Listed:
    """One article of a listing, with the line its title is on."""

    line: int
    title: str
    teaser: str
    caption: str | None


@dataclass
class ImportReport:
    """What an import wrote, what it left alone and what the publisher should check."""

    written: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    to_check: list[Problem] = field(default_factory=list)


def read_listing(path: Path) -> list[Listed]:
    """The articles of a listing file, or an :class:`InputError` naming every bad block."""
    name = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError([Problem(name, f"cannot read: {exc.strerror or exc}")]) from exc
    except UnicodeDecodeError as exc:
        raise InputError([Problem(name, "is not UTF-8 text; save it as UTF-8")]) from exc
    blocks = _blocks(text)
    articles, problems = [], []
    for index in range(0, len(blocks), 2):
        line, header = blocks[index]
        if len(header) > 2:
            problems.append(
                Problem(
                    name,
                    f"expected an image caption line and a title line, got {len(header)} lines "
                    "(separate the teaser from the title with a blank line)",
                    line,
                )
            )
            continue
        if index + 1 == len(blocks):
            problems.append(Problem(name, f"title {header[-1]!r} has no teaser after it", line))
            continue
        teaser = " ".join(" ".join(blocks[index + 1][1]).split())
        caption = header[0] if len(header) == 2 else None
        articles.append(Listed(line + len(header) - 1, header[-1], teaser, caption))
    if problems:
        raise InputError(problems)
    return articles


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, lines) of each run of non-blank lines."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            if not current:
                blocks.append((number, current))
            current.append(" ".join(line.split()))
        else:
            current = []
    return blocks


def countries_named(config: Config, text: str) -> list[str]:
    """The keys of the countries ``text`` names (title, key or alias as whole words, in any
    case; an alias ``sri-lankan`` matches "Sri Lankan"), in the order they first appear."""
    first: dict[str, int] = {}
    for name, country in _names(config):
        match = _word_pattern(name).search(text)
        if match and match.start() < first.get(country, len(text) + 1):
            first[country] = match.start()
    return sorted(first, key=first.__getitem__)


def _names(config: Config) -> list[tuple[str, str]]:
    names = []
    for region in config.regions:
        for country in region.countries:
            for name in (country.title, country.key, *country.aliases):
                names.append((name, country.key))
    return names


def _word_pattern(name: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in re.split(r"[\s-]+", name.strip()) if word]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(words) + r"(?!\w)", re.IGNORECASE)


def spread_dates(count: int, start: datetime, end: datetime) -> list[datetime]:
    """``count`` dates from ``end`` (the first, newest article) back to ``start`` (the last),
    evenly spaced, to the minute."""
    if count == 1:
        return [end.replace(second=0, microsecond=0)]
    step = (end - start) / (count - 1)
    return [(end - step * i).replace(second=0, microsecond=0) for i in range(count)]


def import_listing(
    config_path: Path,
    content: Path | None,
    listing: Path,
    date_from: str | None = None,
    date_to: str | None = None,
) -> ImportReport:
    """Write a content file for each article of ``listing`` not already in the content folder."""
    config = load_config(config_path)
    folder = authoring.content_folder(config_path, content)
    articles = read_listing(listing)
    dates = _dates(config, len(articles), date_from, date_to)
    existing = authoring.existing_articles(folder)
    slugs = {e.slug for e in existing}
    titles = {e.title: e for e in existing if e.title}
    report = ImportReport()
    for article, published in zip(articles, dates, strict=True):
        if article.title in titles:
            report.unchanged.append(titles[article.title].path)
            continue
        slug = authoring.free_slug(authoring.slugify(article.title) or "article", slugs)
        countries = countries_named(config, f"{article.title}\n{article.teaser}")
        path = authoring.article_path(folder, config, countries[:1], None) / f"{slug}.md"
        fields = {
            "title": article.title,
            "date": authoring.RawDate(authoring.local_date_text(published, config.site.timezone))
            if published
            else None,
            "countries": countries or None,
            "summary": article.teaser,
            "image_alt": article.caption,
            "id": default_id(config, published, slug) if published else None,
        }
        authoring.write_new(path, authoring.front_matter(fields) + "\n" + article.teaser + "\n")
        slugs.add(slug)
        report.written.append(path)
        report.to_check += _to_check(path, fields, article, listing)
    return report


def _dates(
    config: Config, count: int, date_from: str | None, date_to: str | None
) -> list[datetime | None]:
    if date_from is None and date_to is None:
        return [None] * count
    if date_from is None or date_to is None:
        raise UsageError("--date-from and --date-to go together")
    zone = config.site.timezone
    start, end = authoring.parse_date(date_from, zone), authoring.parse_date(date_to, zone)
    for option, text, value in (("--date-from", date_from, start), ("--date-to", date_to, end)):
        if value is None:
            raise UsageError(f"{option}: {text!r} is not a date (expected e.g. 2022-04-12 09:30)")
    assert start is not None and end is not None
    if start > end:
        raise UsageError("--date-from is after --date-to (the listing is newest first)")
    return list(spread_dates(count, start, end)) if count else []


def _to_check(path: Path, fields: dict[str, Any], article: Listed, listing: Path) -> list[Problem]:
    """What the listing could not tell about the article just written to ``path``."""
    name = path.as_posix()
    written = [key for key, value in fields.items() if value is not None]

    def line(key: str) -> int:
        return written.index(key) + 2  # after the opening '---'

    notes = []
    countries = fields["countries"]
    if not countries:
        notes.append(
            Problem(
                name,
                f"names no country of feeds.yaml ({listing.as_posix()}:{article.line}); "
                "add countries: or region: (it is in the combined feed only)",
                field="countries",
            )
        )
    elif isinstance(countries, list) and len(countries) > 1:
        notes.append(
            Problem(
                name,
                f"names {len(countries)} countries ({', '.join(countries)}); "
                "keep only those it is about",
                line("countries"),
                "countries",
            )
        )
    if fields["date"] is None:
        notes.append(
            Problem(
                name,
                "not set: the listing has no dates; add the publication date "
                "(or import with --date-from and --date-to)",
                field="date",
            )
        )
    if article.caption:
        notes.append(
            Problem(
                name,
                "the listing's caption has no image file; add image: beside it",
                line("image_alt"),
                "image_alt",
            )
        )
    return notes
