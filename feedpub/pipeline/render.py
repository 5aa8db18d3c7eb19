"""Published articles -> their rendered HTML and summary, from the state or from their bodies
(on every core, for many: a cold build)."""

from __future__ import annotations

from pathlib import Path

from feedpub.errors import InputError, Problem
from feedpub.inputs.sources import decode, digest_of, source_path, split_front_matter
from feedpub.model import Article, Rendered
from feedpub.pipeline.packed import RenderedStore, pack
from feedpub.pipeline.parallel import map_items
from feedpub.pipeline.scan import Progress
from feedpub.pipeline.state import State, build_key
from feedpub.writers.corrections import corrections_markdown

# Below this many bodies to render, worker processes cost more than they save.
PARALLEL_MIN_BODIES = 200


def render_key(article: Article) -> str:
    """What an article's rendered HTML depends on: the build key, the file, the link."""
    return f"{build_key()}\0{article.digest}\0{article.link}"


def render_articles(
    content: Path, articles: dict[str, Article], state: State, progress: Progress | None
) -> RenderedStore:
    """Article id -> HTML and summary; every problem reading a body at once."""
    rendered = RenderedStore()
    todo = []
    for article in articles.values():
        found = state.html(render_key(article))
        if found is None:
            todo.append(article)
        else:
            rendered.put(article.id, found)
    problems = []
    done = 0
    for batch in map_items(_render_one, content, todo, PARALLEL_MIN_BODIES):
        for article, result in zip(todo[done : done + len(batch)], batch, strict=True):
            if isinstance(result, list):
                problems.extend(result)
            else:
                state.put_html(render_key(article), article.id, result)
                rendered.put(article.id, result)
        done += len(batch)
        if progress:
            progress("rendering", done, len(todo))
    if problems:
        raise InputError(problems)
    return rendered


def _render_one(content: Path, article: Article) -> bytes | list[Problem]:
    """An article's HTML, packed, or the problems reading its body (plain data: it may cross
    from a worker process)."""
    from feedpub.writers.markup import render

    try:
        body = read_body(article, content)
    except InputError as exc:
        return exc.problems
    rendered = render(body, article.link, article.summary)
    if article.corrections:  # rendered on its own: a body's open block cannot swallow it
        block = render(corrections_markdown(article), article.link, "").html
        rendered = Rendered(rendered.html + block, rendered.summary)
    return pack(rendered)


def read_body(article: Article, content: Path) -> str:
    """The Markdown body of a published article, read again from its file."""
    path = source_path(content, article.source)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(article.source, f"cannot read: {exc.strerror or exc}")]) from exc
    if digest_of(raw) != article.digest:
        raise InputError([Problem(article.source, "changed while feedpub was building; run again")])
    text, _ = decode(raw, article.source)
    return split_front_matter(text, article.source)[1]
