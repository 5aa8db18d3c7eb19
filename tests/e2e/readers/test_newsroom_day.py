"""A newsroom's day, run as cron runs it (issue 19), and read after each run by real readers.

Five stories go out at 07:00; one is corrected at 08:00 and again at 09:00; one is retracted
at 09:30 with `feedpub retract`; one embargoed until 10:00 comes out then; one is renamed at
10:30 (refused until it keeps its id); one expires at 12:00; at 12:01 nothing is due. Every
run is `feedpub build --verbose` through the CLI with the clock injected. After each one:
lemon24/reader, newsboat, rss2email and feedparser read the feeds; no item is new twice or
back after it left, `feedpub validate --strict` finds nothing, the hub is pinged for exactly
the feeds that changed, and only the documents of the channels holding the story changed.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import CliRunner, Result
from e2e.readers.clients import Client, LemonReader, Newsboat, Rss2email
from e2e.readers.served import Served, feed_paths, folder_of, need_tool
from support.hub import Hub, running_hubs

import feedpub.pipeline.build
from feedpub.cli import main

TOMBSTONE = "{http://purl.org/atompub/tombstones/1.0}deleted-entry"
FORMATS = ("rss.xml", "atom.xml", "feed.json")
OPML = {"feeds.opml", "countries.opml", "regions.opml"}
FIRST = "The port is in the north, not the south."
SECOND = "The ship's name was misspelt."
WHY = "The strike was called off before it began; we reported a rumour."
RENAMED = "Kandy festival postponed"


def at(hhmm: str, day: int = 3) -> datetime:
    hours, minutes = hhmm.split(":")
    return datetime(2024, 6, day, int(hours), int(minutes), tzinfo=UTC)


# slug -> (country, hh:mm, extra front matter); the day's stories.
STORIES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "tokyo-market": ("japan", "06:00", {}),
    "colombo-port": ("sri-lanka", "06:10", {}),
    "paris-strike": ("france", "06:20", {}),
    "kandy-festival": ("sri-lanka", "06:30", {}),
    "osaka-expo": ("japan", "06:40", {"expires": "2024-06-03 12:00"}),
    "lyon-vote": ("france", "10:00", {}),  # written at 07:00, embargoed until 10:00
}
REGION = {"japan": "asia", "sri-lanka": "asia", "france": "europe"}


def folders(slug: str) -> set[str]:
    """The channel folders holding a story: the site's, its region's, its country's."""
    country = STORIES[slug][0]
    return {"", f"{REGION[country]}/", f"{REGION[country]}/{country}/"}


def story(site: Served, name: str, **more: Any) -> None:
    """Write the story's file, ``content/NAME.md``, with ``more`` front matter."""
    country, hhmm, extra = STORIES[name]
    front = {
        "title": name.replace("-", " ").capitalize(),
        "date": f"2024-06-03 {hhmm}",
        "countries": [country],
        **extra,
        **more,
    }
    site.article(name, f"The {name} story.\n", **front)


def write_day_site(site: Served, hub: Hub) -> None:
    site.config = {
        "site": {
            "title": "Day Desk",
            "description": "A newsroom's day",
            "url": "https://day.example/",
            "language": "en",
            "timezone": "UTC",
            "author": {"name": "Day Desk", "email": "desk@day.example"},
            "id_authority": "day.example,2024",
            "link_pattern": "{year}/{slug}/",
            "websub_hub": hub.url,
        },
        "regions": {
            "asia": {
                "title": "Asia",
                "countries": {"japan": {"title": "Japan"}, "sri-lanka": {"title": "Sri Lanka"}},
            },
            "europe": {"title": "Europe", "countries": {"france": {"title": "France"}}},
        },
    }
    for slug in STORIES:
        story(site, slug)
    site.clock = at("07:00")


@dataclass(frozen=True)
class Run:
    """What one cron run did: the CLI's result, the files it changed, the feeds it pinged."""

    result: Result
    changed: set[str]
    pinged: list[str]


@dataclass
class Day:
    site: Served
    hub: Hub
    monkeypatch: pytest.MonkeyPatch
    readers: list[Client] = field(default_factory=list)
    mailed: dict[str, list[str]] = field(default_factory=dict)  # rss2email: ids, per URL
    gone: set[str] = field(default_factory=set)  # ids retracted or expired so far

    def cli(self, *args: str) -> Result:
        """``feedpub ARGS --config feeds.yaml`` at the site's clock, from the site's folder."""
        self.monkeypatch.setattr(feedpub.pipeline.build, "now", lambda: self.site.clock)
        self.monkeypatch.chdir(self.site.root)
        return CliRunner().invoke(main, [*args, "--config", "feeds.yaml"])

    def cron(self, hhmm: str) -> Run:
        """One run of the cron job at ``hhmm``: ``feedpub build --verbose``."""
        self.site.clock = at(hhmm)
        self.hub.pings.clear()
        before = self.files()
        result = self.site.changed_by(lambda: self.cli("build", "--verbose"))
        after = self.files()
        changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
        return Run(result, changed, self.hub.urls())

    def files(self) -> dict[str, tuple[int, bytes]]:
        out = self.site.out
        return {
            p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in out.rglob("*")
            if p.is_file()
        }

    def entry_ids(self, path: str) -> list[str]:
        """The item ids of a feed document: feedparser's for RSS and Atom, JSON Feed's own."""
        data = (self.site.out / path).read_bytes()
        if path.endswith(".json"):
            return [str(item["id"]) for item in json.loads(data)["items"]]
        return [str(entry.get("id")) for entry in feedparser.parse(data).entries]

    def id_of(self, slug: str) -> str:
        items = json.loads((self.site.out / "feed.json").read_text(encoding="utf-8"))["items"]
        return next(str(i["id"]) for i in items if f"/{slug}/" in i["url"] or slug in i["id"])


@pytest.fixture
def day(served: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Day]:
    need_tool("newsboat", "newsboat")
    need_tool("r2e", "rss2email")
    with running_hubs(1) as (hub,):
        site: Served = served("day", lambda s: write_day_site(s, hub))
        yield Day(site, hub, monkeypatch)


def subscribe(day: Day, tmp_path: Path) -> dict[str, dict[str, Any]]:
    """The readers, subscribed to the site's feeds and France's (which loses a story and
    gains one): lemon24/reader to every format, newsboat and rss2email to RSS and Atom."""
    site = day.site
    france = "europe/france/"
    plan: list[tuple[type[Client], tuple[str, ...]]] = [
        (LemonReader, FORMATS),
        (Newsboat, FORMATS[:2]),
        (Rss2email, FORMATS[:2]),
    ]
    first = {}
    for kind, formats in plan:
        client = kind(tmp_path / kind.name)
        client.subscribe([site.url(folder + f) for folder in ("", france) for f in formats])
        day.readers.append(client)
        first[kind.name] = client.update()
        if isinstance(client, Rss2email):
            day.mailed = {url: [s.id for s in items] for url, items in first[kind.name].items()}
    return first


def expect_run(
    day: Day, run: Run, touched: set[str], *, new: int = 0, modified: int = 0, due: str
) -> None:
    """The run succeeded, changed the documents of the ``touched`` channel folders (and
    perhaps the OPML files' counts) and nothing else, pinged their feeds, validates strictly,
    and the readers saw ``new`` new and ``modified`` modified items in each touched feed."""
    assert run.result.exit_code == 0, run.result.output
    assert run.result.output.splitlines()[-1] == f"next due: {due}"
    must = {folder + name for folder in touched for name in (*FORMATS, "index.html")}
    assert must <= run.changed, sorted(must - run.changed)
    assert run.changed - must <= OPML, sorted(run.changed - must - OPML)
    feeds_url = day.site.feeds_url
    assert run.pinged == sorted(feeds_url + folder + f for folder in touched for f in FORMATS)
    validate_strictly(day)
    for path in feed_paths(day.site):
        ids = day.entry_ids(path)
        assert len(set(ids)) == len(ids) and not day.gone & set(ids), path
    read_everywhere(day, touched, new, modified)


def validate_strictly(day: Day) -> None:
    result = day.cli("validate", "--strict")
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(": 0 errors, 0 warnings\n"), result.stderr


def read_everywhere(day: Day, touched: set[str], new: int, modified: int) -> None:
    """Each reader updates; what it counts as new (and lemon24/reader as modified) in a feed
    is what the run did to it; rss2email mails only new items, each id once."""
    for client in day.readers:
        stored = client.update()
        for url, items in stored.items():
            folder = folder_of(url.removeprefix(day.site.url("")))
            here = folder + "/" if folder else ""
            expected = (new, modified) if here in touched else (0, 0)
            ids = [s.id for s in items]
            if isinstance(client, Rss2email):
                assert len(ids) == expected[0], (url, ids)
                day.mailed.setdefault(url, []).extend(ids)
                assert len(set(day.mailed[url])) == len(day.mailed[url]), url
                continue
            assert len(set(ids)) == len(ids), (client.name, url, ids)
            if isinstance(client, LemonReader):
                assert client.counts[url] == expected, (url, client.counts[url])


def stored(day: Day, name: str, url: str) -> dict[str, Any]:
    client = next(c for c in day.readers if c.name == name)
    return {s.id: s for s in client.update()[url]}


def gone_everywhere(day: Day, slug: str, ident: str) -> None:
    """The story is in no feed document (current or archived, any format) and no page."""
    paths = feed_paths(day.site)
    assert len(paths) == 18  # three formats of six channels: no archive page yet
    for path in paths:
        assert ident not in day.entry_ids(path), path
    title = slug.replace("-", " ").capitalize()
    for page in day.site.out.rglob("index.html"):
        assert title not in page.read_text(encoding="utf-8"), page


def tombstones(day: Day) -> dict[str, list[str]]:
    """The refs of the RFC 6721 tombstones in each Atom document that has any."""
    found = {}
    for path in feed_paths(day.site):
        if path.endswith(".xml"):
            root = ET.parse(day.site.out / path).getroot()
            refs = [e.get("ref", "") for e in root.iter(TOMBSTONE)]
            if refs:
                found[path] = refs
    return found


def current_ids(day: Day) -> list[str]:
    """The site feed's items, newest first, the same in every format."""
    found = [day.entry_ids(name) for name in FORMATS]
    assert found[0] == found[1] == found[2]
    return found[0]


def test_a_newsroom_day(day: Day, tmp_path: Path) -> None:
    site = day.site
    first = subscribe(day, tmp_path)
    # 07:00, the first run: five stories out, Lyon held until 10:00.
    assert len(current_ids(day)) == 5
    for name, by_url in first.items():
        for url, items in by_url.items():
            count = 1 if "france" in url else 5
            assert len(items) == count, (name, url, [s.id for s in items])
    assert day.cli("next-due").output == "2024-06-03T10:00:00+00:00\n"
    ids = {slug: day.id_of(slug) for slug in STORIES if slug != "lyon-vote"}

    # 08:00 and 09:00: two corrections of the Colombo story; same id, notes shown.
    port = site.url("rss.xml")
    notes: list[dict[str, str]] = []
    for hhmm, note in (("08:00", FIRST), ("09:00", SECOND)):
        notes.append({"date": f"2024-06-03 {hhmm}", "note": note})
        story(site, "colombo-port", corrections=notes)
        run = day.cron(hhmm)
        expect_run(day, run, folders("colombo-port"), modified=1, due="2024-06-03T10:00:00+00:00")
        for name in ("reader", "newsboat"):
            text = stored(day, name, port)[ids["colombo-port"]].text
            for given in notes:
                assert f"Correction ({given['date'][:10]}):</strong> {given['note']}" in text
    assert current_ids(day).count(ids["colombo-port"]) == 1

    # 09:30: `feedpub retract`, then the run takes it out and leaves a tombstone in Atom.
    site.clock = at("09:30")
    retracted = day.cli("retract", "content/paris-strike.md", "--note", WHY)
    assert retracted.exit_code == 0, retracted.output
    day.gone.add(ids["paris-strike"])
    run = day.cron("09:30")
    expect_run(day, run, folders("paris-strike"), due="2024-06-03T10:00:00+00:00")
    gone_everywhere(day, "paris-strike", ids["paris-strike"])
    strike = ids["paris-strike"]
    assert tombstones(day) == {f"{f}atom.xml": [strike] for f in folders("paris-strike")}
    atom = (site.out / "atom.xml").read_text(encoding="utf-8")
    assert 'when="2024-06-03T09:30:00' in atom
    assert f"<at:comment>{WHY}</at:comment>" in atom
    # The readers ignore the tombstone: they keep the story they had (none shows it as new).
    assert strike in stored(day, "reader", site.url("atom.xml"))
    assert strike in stored(day, "newsboat", site.url("atom.xml"))

    # 10:00: the embargo ends.
    run = day.cron("10:00")
    expect_run(day, run, folders("lyon-vote"), new=1, due="2024-06-03T12:00:00+00:00")
    assert current_ids(day)[0] == day.id_of("lyon-vote")

    # 10:30: a new headline and slug for the Kandy story; refused until it keeps its id.
    site.clock = at("10:30")
    story(site, "kandy-festival", title=RENAMED, slug="kandy-festival-postponed")
    before = day.files()
    refused = day.cli("build", "--verbose")
    kandy = ids["kandy-festival"]
    assert refused.exit_code == 3, refused.output
    assert "kandy-festival.md" in refused.stderr and "slug" in refused.stderr
    assert f"add 'id: {kandy}' to the front matter to keep its id" in refused.stderr
    assert "nothing was published" in refused.stderr
    assert day.files() == before  # the last good feeds stay
    story(site, "kandy-festival", title=RENAMED, slug="kandy-festival-postponed", id=kandy)
    run = day.cron("10:30")
    expect_run(day, run, folders("kandy-festival"), modified=1, due="2024-06-03T12:00:00+00:00")
    for name in ("reader", "newsboat"):
        kept = stored(day, name, site.url("rss.xml"))[kandy]
        assert kept.title == RENAMED
        assert kept.link.endswith("/2024/kandy-festival-postponed/")

    # 12:00: the Osaka story expires: gone, with no tombstone.
    day.gone.add(ids["osaka-expo"])
    run = day.cron("12:00")
    expect_run(day, run, folders("osaka-expo"), due="2024-07-03T09:30:00+00:00")
    gone_everywhere(day, "osaka-expo", ids["osaka-expo"])
    assert ids["osaka-expo"] not in str(tombstones(day))

    # 12:01: nothing due: nothing written, nobody pinged.
    run = day.cron("12:01")
    assert run.result.exit_code == 0, run.result.output
    assert run.changed == set() and run.pinged == []
    assert run.result.output.splitlines()[-1] == "next due: 2024-07-03T09:30:00+00:00"
    read_everywhere(day, set(), 0, 0)
    # Through the whole day, each story was mailed once and no retracted one came back.
    ids["lyon-vote"] = day.id_of("lyon-vote")
    for url, mailed in day.mailed.items():
        france = "/france/" in url
        wanted = [i for slug, i in ids.items() if not france or STORIES[slug][0] == "france"]
        assert sorted(mailed) == sorted(wanted), url
