"""``feedpub retract PATH --note TEXT``: withdraw a published article (RFC 6721).

It writes ``retracted: {date, note}`` at the end of the article's front matter and leaves
the rest of the file as it was; the next build takes the article out of every feed and
page and leaves a tombstone in the Atom documents that held it
(:mod:`feedpub.pipeline.withdrawn`). The file is checked as a build would read it before
it is replaced, so a retraction never turns a good file into one the build refuses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from feedpub.errors import InputError, Problem, UsageError
from feedpub.inputs.articles import front_matter_line, parse_source, unwritable_date
from feedpub.inputs.authoring import (
    content_folder,
    exact_date_text,
    parse_date,
    write_replacing,
)
from feedpub.inputs.config import load_config
from feedpub.inputs.finding import Source, stat_of
from feedpub.inputs.sources import Refused, decode, split_front_matter
from feedpub.model import Article, Config, Stat


@dataclass(frozen=True)
class Retraction:
    config: Path
    path: Path  # the article's content file
    note: str
    date: datetime  # when it is withdrawn: now, unless given
    content: Path | None = None  # the content folder, if not content/ beside feeds.yaml


def retract(request: Retraction) -> Article:
    """Write the retraction into the article's file; the article as the next build reads it."""
    config = load_config(request.config)
    name = request.path.as_posix()
    note = " ".join(request.note.split())
    if not note:
        raise InputError([Problem(name, "needs a note saying why (--note)", field="retracted")])
    text = _text(request.path)
    line = front_matter_line(request.path, name, ("retracted",))
    if line is not None:
        raise InputError(
            [
                Problem(
                    name,
                    "is already set: the article is withdrawn (edit its note there)",
                    line,
                    "retracted",
                )
            ]
        )
    front, _ = _split(text, name)
    end = 4 + len(front)
    when = exact_date_text(request.date, config.site.timezone)
    addition = f"retracted:\n  date: {when}\n  note: {json.dumps(note, ensure_ascii=False)}\n"
    if front and not front.endswith("\n"):
        addition = "\n" + addition
    updated = text[:end] + addition + text[end:]
    article = _parsed(updated, request, config)
    write_replacing(request.path, updated)
    return article


def _text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(path.as_posix(), f"cannot read: {exc.strerror}")]) from exc
    try:
        return decode(raw, path.as_posix())[0]
    except Refused as exc:
        raise InputError([exc.problem]) from exc


def _split(text: str, name: str) -> tuple[str, str]:
    try:
        return split_front_matter(text, name)
    except Refused as exc:
        raise InputError([exc.problem]) from exc


def _parsed(text: str, request: Retraction, config: Config) -> Article:
    """The article the new text gives, as a build reads it; its problems if it gives none."""
    path = request.path
    source = Source(path.as_posix(), str(path), stat_of(path) or Stat(0, 0, 0, 0))
    root = content_folder(request.config, request.content)
    parsed = parse_source(source, text.encode("utf-8"), config, root)
    if parsed.article is None:
        raise InputError(list(parsed.problems))
    return parsed.article


def retraction_date(config_path: Path, text: str | None, now: datetime) -> datetime:
    """``--date`` as a moment in the site's time zone, else ``now`` to the second."""
    zone = load_config(config_path).site.timezone
    if text is None:
        return now.astimezone(zone).replace(microsecond=0)
    value = parse_date(text, zone)
    if value is None:
        raise UsageError(f"--date: {text!r} is not a date (expected e.g. 2022-04-12 09:30)")
    problem = unwritable_date(value)
    if problem is not None:
        raise UsageError(f"--date: {text!r} {problem}")
    return value
