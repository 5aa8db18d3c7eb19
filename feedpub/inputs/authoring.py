"""What writing content files needs, shared by ``new`` and ``import``: slugs from titles, dates
from options, where a file goes, its front matter as text, and the articles already there.

Front matter is written in the sample site's layout (``title``, ``date``, ``countries``, ...),
strings double-quoted (JSON escapes are YAML escapes), so every file reads back as written.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from dateutil import parser as dateparser

from feedpub.errors import InputError, Problem, PublishError
from feedpub.inputs.finding import find_sources
from feedpub.inputs.sources import decode, split_front_matter
from feedpub.inputs.yamlsrc import load
from feedpub.layout import SitePaths
from feedpub.model import Config

SLUG_MAX = 80
# Latin letters NFKD does not take apart into an ASCII letter and accents.
_LATIN = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
        "ħ": "h",
    }
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_PLAIN = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")


def slugify(title: str) -> str:
    """``title`` as a slug: ASCII letters and digits joined by '-', at most 80 characters.

    Latin letters lose their accents (NFKD, plus a table for ß, æ, ø, đ, ł and the like).
    Other scripts are not transliterated (that needs a dictionary per language), so a title
    in Sinhala or Chinese gives an empty slug and the caller asks for one.
    """
    ascii_text = (
        unicodedata.normalize("NFKD", title.translate(_LATIN))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    slug = _NOT_SLUG.sub("-", ascii_text.lower().replace("'", "")).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[: SLUG_MAX + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut[:SLUG_MAX]
    return slug.strip("-")


def free_slug(slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``... whichever no article has yet."""
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def parse_date(text: str, zone: tzinfo) -> datetime | None:
    """A date as content files take it (anything python-dateutil reads; naive means ``zone``),
    or None if ``text`` is not one."""
    if not _HAS_YEAR.search(text):  # dateutil reads "5" or "tuesday" as a day of this month
        return None
    try:
        value = dateparser.parse(text, default=datetime(2000, 1, 1))  # noqa: DTZ001
    except (ValueError, OverflowError):
        return None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def local_date_text(value: datetime, zone: tzinfo) -> str:
    """``value`` in the site's time zone, as the sample writes dates (``2022-05-05 08:30``);
    seconds only when there are some. Naive, so the build reads it back in the same zone."""
    local = value.astimezone(zone)
    return local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")


def exact_date_text(value: datetime, zone: tzinfo) -> str:
    """``value`` in the site's time zone with its offset: exact even in a DST change."""
    return value.astimezone(zone).isoformat()


def content_folder(config_path: Path, content: Path | None) -> Path:
    """The content folder new files go in (the build's default unless given)."""
    return SitePaths.of(config_path, content).content


def article_path(content: Path, config: Config, countries: list[str], region: str | None) -> Path:
    """The folder a new article goes in, as in the sample: ``<region>/<country>/``, or
    ``<region>/`` for a region-wide piece, or the content folder itself for neither."""
    if countries:
        country = config.countries[countries[0]]
        return content / country.region / country.key
    if region:
        return content / region
    return content


def front_matter(fields: dict[str, Any]) -> str:
    """``---`` front matter ``---`` of ``fields`` in order (None values left out)."""
    lines = ["---"]
    for key, value in fields.items():
        if value is not None:
            lines.append(f"{key}: {_yaml_value(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class RawDate:
    """A date written unquoted, as the sample writes them."""

    text: str


def _yaml_value(value: Any) -> str:
    if isinstance(value, RawDate):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(_plain(v) for v in value):
        return "[" + ", ".join(value) + "]"
    if _plain(value):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


# YAML reads these unquoted as booleans or null; digits-and-dashes as numbers or dates.
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _plain(value: Any) -> bool:
    """Whether a string can go unquoted and read back as the same string."""
    return (
        isinstance(value, str)
        and _PLAIN.match(value) is not None
        and value not in _YAML_WORDS
        and not re.fullmatch(r"[0-9][0-9-]*", value)
    )


@dataclass(frozen=True)
class Existing:
    """An article already in the content folder, read leniently (it may not build yet)."""

    path: Path
    name: str
    slug: str
    title: str | None
    id: str | None


def existing_articles(content: Path) -> list[Existing]:
    """Every content file's slug, title and id, skipping what cannot be read at all: ``new``
    and ``import`` must work beside files the publisher has not finished (no date yet)."""
    if not content.is_dir():
        return []
    sources, _ = find_sources(content, content.as_posix())
    found = []
    for source in sources:
        stem = os.path.basename(source.path).removesuffix(".md")
        data: dict[str, Any] = {}
        try:
            text, _ = decode(Path(source.path).read_bytes(), source.name)
            loaded = load(split_front_matter(text, source.name)[0])
            data = loaded if isinstance(loaded, dict) else {}
        except Exception:  # unreadable, not UTF-8, no front matter, bad YAML: "no keys"
            data = {}
        slug = data.get("slug") if isinstance(data.get("slug"), str) else None
        found.append(
            Existing(
                Path(source.path),
                source.name,
                slug or _NOT_SLUG.sub("-", stem.lower()).strip("-"),
                data.get("title") if isinstance(data.get("title"), str) else None,
                data.get("id") if isinstance(data.get("id"), str) else None,
            )
        )
    return found


def write_replacing(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically (a build never reads half a file)."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8", newline="\n")
        os.replace(temporary, path)
    except OSError as exc:
        raise PublishError(f"{path.as_posix()}: cannot write: {exc.strerror or exc}") from exc


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; never replace a file that is there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError as exc:
        raise InputError([Problem(path.as_posix(), "already exists; not overwritten")]) from exc
    except OSError as exc:
        raise PublishError(f"{path.as_posix()}: cannot write: {exc.strerror or exc}") from exc
