"""Corrections: a visible note in every format and on the pages, the item's modified date,
never its id or publication date, and only the documents holding it rewritten."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from support.sites import BASE_CONFIG, NOW, Site

from feedpub.commands.check import check_site
from feedpub.errors import InputError

FRONT: dict[str, Any] = {
    "title": "Hartal called",
    "date": "2024-05-30 10:00",
    "countries": ["india"],
}
FIXED = {"date": "2024-05-31 09:00", "note": "An earlier version named the wrong minister."}
AGAIN = {"date": "2024-05-31 15:30", "note": "The march starts at <b>noon</b>, not 11."}


def write(site: Site, *corrections: dict[str, str], **front: Any) -> None:
    site.article("india/hartal", **{**FRONT, **front, "corrections": list(corrections)})
    site.article("france/greve", title="Grève", date="2024-05-29 10:00", countries=["france"])


def entry(site: Site, path: str) -> Any:
    return next(e for e in site.feed(path).entries if "hartal" in e.id)


def test_a_correction_moves_the_modified_date_and_keeps_id_and_published(site: Site) -> None:
    write(site)
    site.build()
    before = entry(site, "atom.xml")
    write(site, FIXED, AGAIN)
    site.build()
    after = entry(site, "atom.xml")
    assert (after.id, after.published) == (before.id, before.published)
    assert after.updated == "2024-05-31T15:30:00+05:30"
    item = next(i for i in site.feed("feed.json")["items"] if "hartal" in i["id"])
    assert item["date_modified"] == "2024-05-31T15:30:00+05:30"
    assert item["date_published"] == "2024-05-30T10:00:00+05:30"
    assert entry(site, "rss.xml").published == "Thu, 30 May 2024 10:00:00 +0530"


def test_updated_newer_than_every_correction_wins(site: Site) -> None:
    write(site, FIXED, updated="2024-06-01 08:00")
    site.build()
    assert entry(site, "atom.xml").updated == "2024-06-01T08:00:00+05:30"


def test_the_correction_block_ends_the_content_in_every_format_sanitized(site: Site) -> None:
    write(site, AGAIN, FIXED)  # written in any order, shown oldest first
    site.build()
    block = (
        "<hr />\n<p><strong>Correction (2024-05-31):</strong> An earlier version named the "
        "wrong minister.</p>\n<p><strong>Correction (2024-05-31):</strong> The march starts "
        "at <b>noon</b>, not 11.</p>"
    )
    for path in ("rss.xml", "atom.xml"):
        assert entry(site, path).content[0].value.rstrip().endswith(block), path
    item = next(i for i in site.feed("feed.json")["items"] if "hartal" in i["id"])
    assert item["content_html"].rstrip().endswith(block.replace("<hr />", "<hr>"))
    assert "Body text." in item["content_html"]
    page = (site.out / "asia/india/index.html").read_text()
    assert (
        "<p class=correction><strong>Correction (2024-05-31):</strong> The march starts at "
        "&lt;b&gt;noon&lt;/b&gt;, not 11.</p>"
    ) in page


def test_a_script_in_a_note_is_removed_like_in_a_body(site: Site) -> None:
    write(site, {"date": "2024-05-31", "note": "Fixed <script>alert(1)</script> it"})
    site.build()
    content = entry(site, "atom.xml").content[0].value
    assert content.rstrip().endswith("<strong>Correction (2024-05-31):</strong> Fixed  it</p>")
    for path in ("atom.xml", "rss.xml", "feed.json", "asia/india/index.html"):
        assert "<script" not in (site.out / path).read_text(), path


def test_only_the_documents_holding_the_item_change(site: Site) -> None:
    write(site)
    site.build()
    before = site.snapshot()
    write(site, FIXED)
    site.build()
    after = site.snapshot()
    changed = {path for path in after if after[path] != before.get(path)}
    assert changed == {
        "atom.xml",
        "feed.json",
        "rss.xml",
        "asia/atom.xml",
        "asia/feed.json",
        "asia/rss.xml",
        "asia/index.html",
        "asia/india/atom.xml",
        "asia/india/feed.json",
        "asia/india/rss.xml",
        "asia/india/index.html",
        "index.html",  # it shows the newest articles, this one among them
    }


def test_corrections_bump_pubdate_moves_only_the_rss_pubdate(site: Site) -> None:
    config = {**BASE_CONFIG, "site": {**BASE_CONFIG["site"], "corrections_bump_pubdate": True}}
    site.write_config(config)
    write(site, FIXED)
    site.build()
    assert entry(site, "rss.xml").published == "Fri, 31 May 2024 09:00:00 +0530"
    assert entry(site, "atom.xml").published == "2024-05-30T10:00:00+05:30"
    assert entry(site, "asia/rss.xml").published == "Fri, 31 May 2024 09:00:00 +0530"


def test_bad_corrections_are_refused_naming_file_line_and_field(site: Site) -> None:
    site.raw(
        "india/hartal.md",
        "---\ntitle: Hartal\ndate: 2024-05-30\ncorrections:\n"
        "  - {date: someday 2024x, note: Fixed}\n  - {date: 2024-05-31}\n"
        "  - {date: 2024-05-31, note: Fixed, by: me}\n  - Fixed the name\n---\nBody\n",
    )
    site.raw("india/other.md", "---\ntitle: Other\ndate: 2024-05-30\ncorrections: Fixed\n---\nB\n")
    with pytest.raises(InputError) as caught:
        site.build()
    assert str(caught.value).replace(f"{site.root}/", "").splitlines() == [
        "content/india/hartal.md:5: corrections.0.date: 'someday 2024x' is not a date",
        "content/india/hartal.md:6: corrections.1.note: is required",
        "content/india/hartal.md:7: corrections.2.by: unknown key (known keys: date, note)",
        "content/india/hartal.md:8: corrections.3: expected {date, note}, got 'Fixed the name'",
        "content/india/other.md:4: corrections: expected a list of {date, note}, got 'Fixed'",
    ]


def test_a_bumped_pubdate_reorders_only_the_rss_feed(site: Site) -> None:
    config = {**BASE_CONFIG, "site": {**BASE_CONFIG["site"], "corrections_bump_pubdate": True}}
    site.write_config(config)
    write(site)
    site.build()
    greve = {"title": "Grève", "date": "2024-05-29 10:00", "countries": ["france"]}
    site.article("france/greve", **greve, corrections=[FIXED])
    site.build()
    titles = {path: [e.title for e in site.feed(path).entries] for path in ("rss.xml", "atom.xml")}
    assert titles == {"rss.xml": ["Grève", "Hartal called"], "atom.xml": ["Hartal called", "Grève"]}


AHEAD = (
    "is later than now (2024-06-01T17:30:00+05:30): a change is dated when it is made "
    "(feeds would show a date in the future)"
)


@pytest.mark.parametrize(
    ("front", "line", "field", "when"),
    [
        (
            {"corrections": [FIXED, {"date": "2024-06-02 09:00", "note": "Later."}]},
            6,
            "corrections",
            "2024-06-02T09:00:00+05:30",
        ),
        ({"updated": "2024-06-01 17:31"}, 6, "updated", "2024-06-01T17:31:00+05:30"),
    ],
    ids=["correction", "updated"],
)
def test_a_change_dated_ahead_of_now_is_refused_by_build_and_check(
    site: Site, front: dict[str, Any], line: int, field: str, when: str
) -> None:
    write(site)
    site.build()
    before = site.snapshot()
    site.article("india/hartal", **FRONT, **front)
    path = (site.root / "content/india/hartal.md").as_posix()
    message = f"{path}:{line}: {field}: {when} {AHEAD}"
    with pytest.raises(InputError) as refused:
        site.build()
    assert [str(p) for p in refused.value.problems] == [message]
    assert site.snapshot() == before  # the last good feeds stay
    report = check_site(site.config, now=NOW)
    assert [str(p) for p in report.errors] == [message]


def test_skipped_for_a_change_dated_ahead_then_published_once_that_time_has_come(
    site: Site,
) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"]["on_error"] = "skip"
    site.write_config(config)
    write(site, {"date": "2024-06-02 09:00", "note": "Later."})
    report = site.build()
    assert [p.field for p in report.skipped] == ["corrections"]
    assert [i["title"] for i in site.feed("feed.json")["items"]] == ["Grève"]
    report = site.build()  # the file was not taken for read: it is refused again
    assert [p.field for p in report.skipped] == ["corrections"]
    site.build(datetime(2024, 6, 2, 4, 0, tzinfo=UTC))  # 09:30 in Colombo
    assert [i["title"] for i in site.feed("feed.json")["items"]] == ["Hartal called", "Grève"]
