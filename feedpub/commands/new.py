"""``feedpub new``: a content file with its front matter filled in, ready for an editor.

The file gets a permanent ``id``, the very one the build would compute from its date and slug,
so a later change of slug or date never makes readers see the article as new. Its body is a
placeholder line the build refuses until it is replaced (a draft keeps it unpublished
anyway), so an article is never published with its title for its content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from feedpub.errors import InputError, Problem, UsageError
from feedpub.inputs import authoring
from feedpub.inputs import fields as f
from feedpub.inputs.articles import BODY_PLACEHOLDER, default_id, unwritable_date
from feedpub.inputs.config import load_config
from feedpub.model import Config


@dataclass(frozen=True)
class NewArticle:
    """What ``feedpub new`` was asked for."""

    title: str
    countries: tuple[str, ...] = ()
    region: str | None = None
    date: str | None = None
    slug: str | None = None
    draft: bool = False


def new_article(
    config_path: Path, content: Path | None, request: NewArticle, now: datetime
) -> Path:
    """Write the new article's file and return its path; ``now`` is its date unless
    ``request.date`` gives one."""
    _check_request(request)
    config = load_config(config_path)
    folder = authoring.content_folder(config_path, content)
    countries = _countries(config, request)
    region = _region(config, request, countries)
    published = _date(config, request, now)
    slug = request.slug or authoring.slugify(request.title)
    if not slug:
        raise UsageError(
            f"the title {request.title!r} gives no slug: feedpub turns only Latin letters into "
            "ASCII; give one with --slug"
        )
    path = authoring.article_path(folder, config, countries, region) / f"{slug}.md"
    for other in authoring.existing_articles(folder):
        if other.slug == slug and other.path != path:
            raise InputError(
                [
                    Problem(
                        path.as_posix(),
                        f"slug {slug!r} is already used by {other.name}; give another with --slug",
                    )
                ]
            )
    fields = {
        "title": " ".join(request.title.split()),
        "date": authoring.RawDate(authoring.local_date_text(published, config.site.timezone)),
        "countries": countries or None,
        "region": region if not countries else None,
        "id": default_id(config, published, slug),
        "draft": True if request.draft else None,
    }
    authoring.write_new(path, authoring.front_matter(fields) + "\n" + BODY_PLACEHOLDER + "\n")
    return path


def _check_request(request: NewArticle) -> None:
    """A blank title or a slug the build would refuse is refused before anything is written (a
    --slug is a file name: '../x' or 'Bad Slug' never becomes a path)."""
    problem = f.text(request.title)
    if problem is not None:
        raise UsageError(f"TITLE: expected {problem}, got {request.title!r}")
    if request.slug is not None and f.slug(request.slug) is not None:
        raise UsageError(f"--slug: expected {f.slug(request.slug)}, got {request.slug!r}")


def _countries(config: Config, request: NewArticle) -> list[str]:
    keys: list[str] = []
    for name in request.countries:
        country = config.country_for(name)
        if country is None:
            known = ", ".join(sorted({c.key for c in config.countries.values()})) or "none"
            raise UsageError(f"--country: unknown country {name!r} (known: {known})")
        if country.key not in keys:
            keys.append(country.key)
    return keys


def _region(config: Config, request: NewArticle, countries: list[str]) -> str | None:
    if request.region is None:
        return None
    known = {r.key for r in config.regions}
    if request.region not in known:
        raise UsageError(
            f"--region: unknown region {request.region!r} (known: {', '.join(sorted(known))})"
        )
    for key in countries:
        if config.countries[key].region != request.region:
            raise UsageError(
                f"--region: {key} is in region {config.countries[key].region!r}, "
                f"not {request.region!r}"
            )
    return request.region


def _date(config: Config, request: NewArticle, now: datetime) -> datetime:
    zone = config.site.timezone
    if request.date is None:
        return now.astimezone(zone).replace(second=0, microsecond=0)
    value = authoring.parse_date(request.date, zone)
    if value is None:
        raise UsageError(f"--date: {request.date!r} is not a date (expected e.g. 2022-04-12 09:30)")
    problem = unwritable_date(value)
    if problem is not None:
        raise UsageError(f"--date: {request.date!r} {problem}")
    return value
