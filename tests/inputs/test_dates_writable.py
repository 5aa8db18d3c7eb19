"""Dates the feeds cannot carry are refused at content check time (issue 9): year 1, and any
date before 1990 (readers and the validator take those for mistakes; in 1900 Asia/Colombo's
offset was +05:19:32, which neither RFC 822 nor RFC 3339 can write)."""

from __future__ import annotations

import pytest
from support.refusals import Snapshot, error, front, refused
from support.sites import Site

BEFORE = " is before 1990: feeds readers and validators take such dates for mistakes"


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("0001-01-01T12:00:00Z", "'0001-01-01 12:00:00+00:00'"),
        ("'1900-01-01 10:00'", "'1900-01-01 10:00'"),
        ("1989-12-31T23:59:59Z", "'1989-12-31 23:59:59+00:00'"),
    ],
)
def test_dates_before_1990_are_refused(
    site: Site, published: Snapshot, written: str, shown: str
) -> None:
    site.raw("asia/bad.md", front("title: When", f"date: {written}"))
    assert refused(site, published) == error(site, "asia/bad.md", f":3: date: {shown}{BEFORE}")


def test_updated_is_checked_too(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: When", "date: 2022-03-01", "updated: 1900-01-01"))
    assert refused(site, published) == error(
        site, "asia/bad.md", f":4: updated: '1900-01-01'{BEFORE}"
    )


def test_1990_itself_is_fine(site: Site) -> None:
    site.article("asia/old", title="Old", date="1990-01-01 12:00", countries=["india"])
    site.build()
    assert site.feed("rss.xml").entries[0].title == "Old"
