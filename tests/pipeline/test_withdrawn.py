"""Retractions and expiry (issue 19): the item leaves every document, a retracted one leaves
an RFC 6721 tombstone in the Atom feeds that held it, and the next due time says when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree
from support.sites import NOW, Site

from feedpub.cli import main
from feedpub.errors import InputError
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


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "tag:example.org,2022:2024-05-30/floods"),
        ("slug", "floods"),
        ("link", "{url}"),
    ],
)
def test_another_article_with_a_retracted_id_slug_or_link_is_refused(
    site: Site, field: str, value: str
) -> None:
    write(site)
    site.build()
    url = next(i["url"] for i in site.feed("feed.json")["items"] if "floods" in i["id"])
    write(site, retracted=RETRACTED)
    site.build()
    published = (site.out / "feed.json").read_bytes()
    value = value.format(url=url)
    again = {"title": "Again", "date": "2024-05-31", "countries": ["india"], field: value}
    site.article("india/later", **again)
    content = (site.root / "content").as_posix()
    reason = (
        f"{content}/india/later.md: {field}: duplicate {field} {value!r} (also in "
        f"{content}/india/floods.md): one of the two is retracted, and a retracted article's "
        "id, slug and link are never reused\n"
    )
    result = CliRunner().invoke(main, ["check", "--config", str(site.config)])
    assert (result.exit_code, result.output) == (
        3,
        reason + "3 articles checked: 1 error, 0 warnings\n",
    )
    with pytest.raises(InputError) as refused:
        site.build()
    assert f"duplicate {field} {value!r}" in str(refused.value)
    assert (site.out / "feed.json").read_bytes() == published  # the last good feeds stay


def archived_site(site: Site) -> None:
    """India's six articles, two per archive page: pages 1 (May 21, 22) and 2 (May 23, 24);
    the current feed holds May 25 and 26."""
    config = yaml.safe_load(site.config.read_text())
    config["site"].update(limit=2, archive_page_size=2)
    site.write_config(config)
    for day in range(21, 27):
        site.article(
            f"india/day-{day}", title=f"Day {day}", date=f"2024-05-{day} 10:00", countries=["india"]
        )


def test_a_retracted_archived_item_changes_only_its_page_with_a_permanent_tombstone(
    site: Site,
) -> None:
    archived_site(site)
    site.build()
    before = site.snapshot()
    assert {"asia/india/archive/1/atom.xml", "asia/india/archive/2/atom.xml"} <= set(before)
    assert "asia/india/archive/3/atom.xml" not in before
    site.article(
        "india/day-22",
        title="Day 22",
        date="2024-05-22 10:00",
        countries=["india"],
        retracted=RETRACTED,
    )
    site.build()
    after = site.snapshot()
    changed = {p for p in after if before.get(p) != after[p]} | (before.keys() - after.keys())
    pages = {p for p in changed if "/archive/" in p or p.startswith("archive/")}
    assert pages == {
        f"{channel}archive/1/{name}"
        for channel in ("", "asia/", "asia/india/")
        for name in ("rss.xml", "atom.xml", "feed.json")
    }
    ref = "tag:example.org,2022:2024-05-22/day-22"
    page = "asia/india/archive/1/"
    assert [e.id for e in site.feed(page + "atom.xml").entries] == [
        "tag:example.org,2022:2024-05-21/day-21"
    ]
    assert [t[0] for t in tombstones(site, page + "atom.xml")] == [ref]
    assert ref not in (site.out / page / "rss.xml").read_text()
    assert ref not in (site.out / page / "feed.json").read_text()
    # Thirty days on, the current feeds lose the tombstone; the archive page keeps it.
    site.build(datetime(2024, 7, 2, tzinfo=UTC))
    assert tombstones(site, "asia/india/atom.xml") == []
    assert [t[0] for t in tombstones(site, page + "atom.xml")] == [ref]
    assert (
        site.snapshot()["asia/india/archive/2/atom.xml"] == before["asia/india/archive/2/atom.xml"]
    )


def test_an_expiry_before_the_retraction_takes_it_out_then_the_tombstone_follows(
    site: Site,
) -> None:
    write(site, expires="2024-05-31 10:00", retracted=RETRACTED)
    report = site.build(datetime(2024, 5, 31, 12, 0, tzinfo=UTC))  # expired, not yet retracted
    ref = "tag:example.org,2022:2024-05-30/floods"
    assert all(e.id != ref for e in site.feed("asia/india/atom.xml").entries)
    assert tombstones(site, "asia/india/atom.xml") == []
    retraction = datetime(2024, 6, 1, 4, 30, tzinfo=UTC)
    assert report.next_due == retraction
    report = site.build(retraction)
    assert [t[0] for t in tombstones(site, "asia/india/atom.xml")] == [ref]
    assert report.next_due == retraction + timedelta(days=30)
