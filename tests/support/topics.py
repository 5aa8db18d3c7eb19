"""The topic channels' test site: 40 articles with tags (one spelled two ways), several
authors (some articles by two) and two languages, plus a named filter.

What each topic channel must hold is worked out here from the articles' own fields, never
from feedpub's output, so a test compares the feeds with an independent answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

TOPICS = {"tags": "auto", "authors": "auto", "languages": "auto", "min_items": 2}
FILTER = {"title": "Asia elections", "regions": ["asia"], "tags": ["elections"]}

CONFIG: dict[str, Any] = {
    "site": {
        "title": "Topic Desk",
        "description": "News by place and by topic",
        "url": "https://topics.example/",
        "feeds_url": "https://topics.example/feeds/",
        "language": "en",
        "timezone": "Asia/Colombo",
        "author": {"name": "Topic Desk", "email": "desk@topics.example"},
        "id_authority": "topics.example,2024",
    },
    "regions": {
        "asia": {
            "title": "Asia",
            "countries": {
                "sri-lanka": {"title": "Sri Lanka"},
                "india": {"title": "India"},
            },
        },
        "europe": {"title": "Europe", "countries": {"france": {"title": "France"}}},
    },
    "topics": {**TOPICS, "filters": {"asia-elections": FILTER}},
}

TAGS = ["labour", "elections", "climate", "trade", "health"]
AUTHORS = ["Nimali Perera", "Arjun Rao", "Claire Dubois", "Kavindu Silva"]
COUNTRIES = ["sri-lanka", "india", "france"]
FIRST = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
COLOMBO = ZoneInfo("Asia/Colombo")


@dataclass(frozen=True)
class TopicArticle:
    slug: str
    published: datetime
    country: str
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    language: str | None

    @property
    def id(self) -> str:
        local = self.published.astimezone(COLOMBO)
        return f"tag:topics.example,2024:{local.date().isoformat()}/{self.slug}"

    def front(self) -> dict[str, Any]:
        front: dict[str, Any] = {
            "title": f"Story {self.slug}",
            "date": self.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "countries": [self.country],
            "tags": list(self.tags),
        }
        if self.authors:
            front["author"] = list(self.authors)
        if self.language:
            front["language"] = self.language
        return front


def _articles() -> list[TopicArticle]:
    found = []
    for n in range(40):
        tags = [TAGS[n % 5], TAGS[(n * 3 + 1) % 5]] if n % 4 else [TAGS[n % 5]]
        if n in (7, 13):
            tags = ["Labour" if t == "labour" else t for t in tags] + ["Labour"]
        authors = [AUTHORS[n % 4]] + ([AUTHORS[(n + 1) % 4]] if n % 6 == 0 else [])
        country = COUNTRIES[n % 3]
        language = "si" if country == "sri-lanka" and n % 2 == 0 else None
        found.append(
            TopicArticle(
                f"story-{n:02d}",
                FIRST + timedelta(hours=17 * n),
                country,
                tuple(dict.fromkeys(tags)),
                tuple(authors) if n % 10 != 9 else (),  # a few by the desk itself
                language,
            )
        )
    return found


def write_topic_site(root: Path, config: dict[str, Any] | None = None) -> list[TopicArticle]:
    """feeds.yaml and the 40 articles under ``root``; the articles, oldest first."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(config or CONFIG, allow_unicode=True, sort_keys=False)
    (root / "feeds.yaml").write_text(text, encoding="utf-8")
    for article in ARTICLES:
        write_article(root, article)
    return ARTICLES


def write_article(root: Path, article: TopicArticle) -> None:
    matter = yaml.safe_dump(article.front(), allow_unicode=True, sort_keys=False)
    path = root / "content" / article.country / f"{article.slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{matter}---\nThe story {article.slug}.\n", encoding="utf-8")


def members(articles: list[TopicArticle], kind: str, term: str) -> list[str]:
    """The ids a topic channel must hold, newest first: by tag or author (case and spaces
    do not count), by language (an article's own, else the site's ``en``), or the filter."""

    def chosen(article: TopicArticle) -> bool:
        if kind == "tags":
            return term in {t.lower() for t in article.tags}
        if kind == "authors":
            return term in article.authors
        if kind == "languages":
            return (article.language or "en") == term
        return article.country in ("sri-lanka", "india") and "elections" in article.tags

    ordered = sorted(articles, key=lambda a: a.published, reverse=True)
    return [a.id for a in ordered if chosen(a)]


ARTICLES = _articles()
