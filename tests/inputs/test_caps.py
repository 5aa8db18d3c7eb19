"""Caps on what one article may hold, said in the error, and linear work below them (issue 9:
20,000 tags took 109 s, feedgen's category() being linear per call)."""

from __future__ import annotations

from typing import Any

import pytest
from feedgen.entry import FeedEntry
from support.refusals import Snapshot, error, refused
from support.sites import Site


def test_too_many_tags(site: Site, published: Snapshot) -> None:
    site.article("asia/bad", title="T", date="2022-03-02", tags=[f"t{n}" for n in range(101)])
    assert refused(site, published) == error(
        site, "asia/bad.md", ":4: tags: 101 tags, over the limit of 100 an article may have"
    )


def test_too_many_authors(site: Site, published: Snapshot) -> None:
    site.article("asia/bad", title="T", date="2022-03-02", author=[f"A {n}" for n in range(101)])
    assert refused(site, published) == error(
        site, "asia/bad.md", ":4: author: 101 authors, over the limit of 100 an article may have"
    )


def test_front_matter_too_large(site: Site, published: Snapshot) -> None:
    site.article("asia/bad", title="T", date="2022-03-02", summary="x" * 70_000)
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":1: front matter is 70038 characters, over the limit of 65536 (put long text in the body)",
    )


def test_many_unknown_countries_are_one_problem_each(site: Site, published: Snapshot) -> None:
    site.article("asia/bad", title="T", date="2022-03-02", countries=["india", "atlantis"])
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":6: countries.1: unknown country 'atlantis' (known: france, india, sri-lanka)",
    )


@pytest.mark.parametrize("method", ["category", "author"])
def test_categories_and_authors_go_to_feedgen_in_one_call(
    site: Site, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    calls: list[int] = []
    real = getattr(FeedEntry, method)

    def counting(self: FeedEntry, value: Any = None, *args: Any, **kwargs: Any) -> Any:
        if value is not None or kwargs:
            calls.append(1)
        return real(self, value, *args, **kwargs)

    monkeypatch.setattr(FeedEntry, method, counting)
    site.article(
        "asia/many",
        title="Many",
        date="2022-03-02",
        countries=["india"],
        tags=[f"tag {n}" for n in range(100)],
        author=[{"name": f"A {n}", "email": f"a{n}@example.org"} for n in range(100)],
    )
    report = site.build()
    entries = sum(feed.items for feed in report.feeds if feed.path.endswith("rss.xml"))
    # at most once per entry (an item written once is spliced into the others), not per tag
    assert 1 <= len(calls) <= entries
    assert len(site.feed("asia/india/rss.xml").entries[0].tags) == 101
