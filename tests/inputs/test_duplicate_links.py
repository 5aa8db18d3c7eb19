"""Two articles with one link published feeds the validator refused (issue 9): now refused at
content check time, naming both files."""

from __future__ import annotations

from support.refusals import Snapshot, error, front, path, refused
from support.sites import Site


def test_two_articles_with_the_same_link(site: Site, published: Snapshot) -> None:
    same = "link: https://example.org/elsewhere/"
    site.raw("asia/b.md", front("title: B", "date: 2022-03-02", same))
    site.raw("asia/a.md", front("title: A", "date: 2022-03-03", same))
    assert refused(site, published) == error(
        site,
        "asia/b.md",
        ": link: duplicate link 'https://example.org/elsewhere/' "
        f"(also in {path(site, 'asia/a.md')})",
    )


def test_a_link_equal_to_another_articles_own_link(site: Site, published: Snapshot) -> None:
    site.raw("asia/x.md", front("title: X", "date: 2022-03-02", "link: https://example.org/good/"))
    assert refused(site, published) == error(
        site,
        "asia/x.md",
        ": link: duplicate link 'https://example.org/good/' "
        f"(also in {path(site, 'asia/good.md')})",
    )


def test_a_duplicate_slug_is_reported_once(site: Site, published: Snapshot) -> None:
    site.raw("europe/good.md", front("title: Also good", "date: 2022-03-05"))
    assert refused(site, published) == error(
        site,
        "europe/good.md",
        f": slug: duplicate slug 'good' (also in {path(site, 'asia/good.md')})",
    )
