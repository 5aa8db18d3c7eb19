"""Retractions and expiry (issue 19): the item leaves every document, a retracted one leaves
an RFC 6721 tombstone in the Atom feeds that held it, and the next due time says when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lxml import etree
from support.sites import NOW, Site

from feedpub.validator import namespaces as ns

RETRACTED = {"date": "2024-06-01 10:00", "note": "The source withdrew the figures."}


def write(site: Site, **extra: object) -> None:
    site.article(
        "india/floods", title="Floods", date="2024-05-30 10:00", countries=["india"], **extra
    )
    site.article("france/greve", title="Grève", date="2024-05-29 10:00", countries=["france"])


def tombstones(site: Site, path: str) -> list[tuple[str | None, str | None, str | None]]:
    root = etree.fromstring((site.out / path).read_bytes())
    return [
        (x.get("ref"), x.get("when"), x.findtext(f"{{{ns.TOMBSTONES}}}comment"))
        for x in root.iter(f"{{{ns.TOMBSTONES}}}deleted-entry")
    ]


def test_a_retraction_leaves_every_format_with_a_tombstone_in_atom(site: Site) -> None:
    write(site)
    site.build()
    before = site.snapshot()
    write(site, retracted=RETRACTED)
    site.build()
    ref = "tag:example.org,2022:2024-05-30/floods"
    for path in ("atom.xml", "asia/atom.xml", "asia/india/atom.xml"):
        assert tombstones(site, path) == [
            (ref, "2024-06-01T04:30:00+00:00", "The source withdrew the figures.")
        ], path
    for path in ("rss.xml", "atom.xml", "asia/india/rss.xml", "asia/india/atom.xml"):
        assert all("floods" not in e.id for e in site.feed(path).entries), path
    assert all("floods" not in i["id"] for i in site.feed("feed.json")["items"])
    assert "Floods" not in (site.out / "asia/india/index.html").read_text()
    assert tombstones(site, "europe/france/atom.xml") == []
    after = site.snapshot()
    unchanged = {p for p in before if before[p] == after.get(p)}
    assert {"europe/france/atom.xml", "europe/france/rss.xml", "europe/atom.xml"} <= unchanged


def test_the_tombstone_leaves_current_feeds_after_tombstone_days(site: Site) -> None:
    write(site, retracted=RETRACTED)
    report = site.build()
    retracted = datetime(2024, 6, 1, 4, 30, tzinfo=UTC)
    assert report.next_due == retracted + timedelta(days=30)
    later = site.build(NOW + timedelta(minutes=1))
    assert not any(feed.changed for feed in later.feeds)  # nothing due: nothing written
    site.build(retracted + timedelta(days=30, seconds=1))
    assert tombstones(site, "atom.xml") == []


def test_expiry_removes_the_item_at_its_time_without_a_tombstone(site: Site) -> None:
    write(site, expires="2024-06-02 09:00")
    report = site.build()
    assert any("floods" in e.id for e in site.feed("atom.xml").entries)
    assert report.next_due == datetime(2024, 6, 2, 3, 30, tzinfo=UTC)
    site.build(datetime(2024, 6, 2, 3, 30, tzinfo=UTC))
    assert all("floods" not in e.id for e in site.feed("atom.xml").entries)
    assert tombstones(site, "atom.xml") == []


def test_a_retraction_before_publication_leaves_no_tombstone(site: Site) -> None:
    write(site, retracted={"date": "2024-05-29", "note": "Pulled before it ran."})
    site.build()
    assert tombstones(site, "atom.xml") == []
    assert all("floods" not in e.id for e in site.feed("atom.xml").entries)


def test_another_article_with_a_retracted_id_is_refused(site: Site) -> None:
    write(site, retracted=RETRACTED)
    site.article(
        "india/again",
        title="Again",
        date="2024-05-31",
        countries=["india"],
        id="tag:example.org,2022:2024-05-30/floods",
    )
    try:
        site.build()
    except Exception as exc:  # noqa: BLE001 - the message is what is tested
        assert "one of the two is retracted, and a retracted article's id" in str(exc)
    else:
        raise AssertionError("the build accepted a retracted id again")
