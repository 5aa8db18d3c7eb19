"""WebSub: hub links in every format, and pings to a hub this test runs on 127.0.0.1 for the
changed feeds only; a hub that fails or hangs is a warning, and its pings wait for the next run."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from support.hub import Hub, running_hubs
from support.sites import BASE_CONFIG, Site

import feedpub.pipeline.websub
from feedpub.cli import main
from feedpub.pipeline.websub import queue_path

FEEDS = "https://example.org/feeds/"
FORMATS = ("rss.xml", "atom.xml", "feed.json")
FOLDERS = ("", "asia/", "asia/sri-lanka/", "asia/india/", "europe/", "europe/france/")


@pytest.fixture
def hubs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Hub]]:
    """Two hubs on 127.0.0.1 (port 0); fast tries, and a short timeout for the slow one."""
    monkeypatch.setattr(feedpub.pipeline.websub, "PAUSES", (0.01, 0.01))
    monkeypatch.setattr(feedpub.pipeline.websub, "TIMEOUT", 0.3)
    with running_hubs(2) as found:
        yield found


def with_hubs(site: Site, *hubs: Hub) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"]["websub_hub"] = hubs[0].url if len(hubs) == 1 else [h.url for h in hubs]
    site.write_config(config)


def feeds(*folders: str) -> list[str]:
    return sorted(FEEDS + folder + name for folder in folders for name in FORMATS)


def cli_build(site: Site) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "--quiet", "--config", str(site.config)])
    return result.exit_code, result.stderr


def test_every_format_names_the_hubs_and_validates(site: Site, hubs: list[Hub]) -> None:
    with_hubs(site, *hubs)
    for number, country in enumerate(("india", "sri-lanka", "france")):
        site.article(
            f"{country}/{country}", title="A", date=f"2022-03-0{number + 1}", countries=[country]
        )
    site.build()
    for folder in FOLDERS:
        rss = site.feed(folder + "rss.xml")  # strict: no warning from our validator either
        atom = site.feed(folder + "atom.xml")
        for parsed in (rss, atom):
            assert [x.href for x in parsed.feed.links if x.rel == "hub"] == [h.url for h in hubs]
        assert site.feed(folder + "feed.json")["hubs"] == [
            {"type": "WebSub", "url": h.url} for h in hubs
        ]


def test_only_changed_feeds_are_pinged(site: Site, hubs: list[Hub]) -> None:
    hub = hubs[0]
    with_hubs(site, hub)
    site.article("india/a", title="A", date="2022-03-01", countries=["india"])
    site.article("france/b", title="B", date="2022-03-02", countries=["france"])
    site.build()
    assert hub.urls() == feeds(*FOLDERS)
    assert all(ping["hub.mode"] == ["publish"] for ping in hub.pings)
    hub.pings.clear()
    site.build()
    assert hub.pings == []  # nothing changed, nothing announced
    site.article("india/c", title="C", date="2022-03-03", countries=["india"])
    site.build()
    assert hub.urls() == feeds("", "asia/", "asia/india/")


def test_a_failing_hub_is_a_warning_and_is_pinged_again_on_the_next_run(
    site: Site, hubs: list[Hub]
) -> None:
    bad, good = hubs
    with_hubs(site, bad, good)
    bad.status = 500
    site.article("india/a", title="A", date="2022-03-01", countries=["india"])
    code, stderr = cli_build(site)
    assert code == 0
    assert stderr == (
        f"warning: {bad.url}: WebSub hub not reached (HTTP 500, 3 tries); "
        "18 feeds will be announced on the next run\n"
    )
    assert bad.tries == 3  # one ping's tries, not three for each of 18 feeds
    assert good.urls() == feeds(*FOLDERS)
    assert site.feed("asia/india/rss.xml").entries[0].title == "A"  # published all the same
    queued = json.loads(queue_path(site.root / ".feedpub", site.out).read_text())
    assert sorted(url for _, url in queued["pending"]) == feeds(*FOLDERS)

    bad.status, good.pings = 204, []
    before = site.snapshot()
    assert cli_build(site) == (0, "")  # a run with nothing to build delivers what waited
    assert site.snapshot() == before
    assert bad.urls() == feeds(*FOLDERS)
    assert good.pings == []
    assert not queue_path(site.root / ".feedpub", site.out).exists()
    bad.pings = []
    assert cli_build(site) == (0, "")
    assert bad.pings == []


def test_pings_waiting_and_new_ones_go_out_together(site: Site, hubs: list[Hub]) -> None:
    hub = hubs[0]
    with_hubs(site, hub)
    hub.status = 503
    site.article("india/a", title="A", date="2022-03-01", countries=["india"])
    site.build()
    hub.status = 204
    site.article("france/b", title="B", date="2022-03-02", countries=["france"])
    site.build()
    assert hub.urls() == feeds(*FOLDERS)


def test_a_slow_hub_times_out(site: Site, hubs: list[Hub]) -> None:
    slow = hubs[0]
    slow.delay = 1.0
    with_hubs(site, slow)
    site.article("india/a", title="A", date="2022-03-01", countries=["india"])
    code, stderr = cli_build(site)
    assert code == 0
    assert stderr == (
        f"warning: {slow.url}: WebSub hub not reached (no answer within 0.3 s, 3 tries); "
        "18 feeds will be announced on the next run\n"
    )
    assert queue_path(site.root / ".feedpub", site.out).exists()


def test_a_hub_that_refuses_is_warned_about_once(site: Site, hubs: list[Hub]) -> None:
    hub = hubs[0]
    hub.status = 400
    with_hubs(site, hub)
    site.article("india/a", title="A", date="2022-03-01", countries=["india"])
    code, stderr = cli_build(site)
    assert code == 0
    assert stderr.splitlines()[0] == (
        f"warning: {hub.url}: WebSub hub refused the ping for {FEEDS}asia/atom.xml (HTTP 400)"
    )
    assert len(stderr.splitlines()) == 18
    assert hub.tries == 18  # not retried
    assert not queue_path(site.root / ".feedpub", site.out).exists()


def test_an_unreachable_hub(site: Site, hubs: list[Hub]) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"]["websub_hub"] = "http://127.0.0.1:9/hub"  # discard: nobody listens
    site.write_config(config)
    site.article("india/a", title="A", date="2022-03-01", countries=["india"])
    code, stderr = cli_build(site)
    assert code == 0
    assert stderr.startswith("warning: http://127.0.0.1:9/hub: WebSub hub not reached (")
    assert stderr.endswith(", 3 tries); 18 feeds will be announced on the next run\n")


def test_a_hub_removed_from_feeds_yaml_is_not_pinged_again(site: Site, hubs: list[Hub]) -> None:
    hub = hubs[0]
    hub.status = 500
    with_hubs(site, hub)
    site.article("india/a", title="A", date="2022-03-01", countries=["india"])
    site.build()
    site.write_config(BASE_CONFIG)
    hub.status, hub.tries = 204, 0
    site.build()
    assert hub.tries == 0
    assert not queue_path(site.root / ".feedpub", site.out).exists()


def test_pings_that_cannot_be_kept_are_a_warning_too(site: Site, hubs: list[Hub]) -> None:
    hub = hubs[0]
    hub.status = 500
    with_hubs(site, hub)
    site.article("india/a", title="A", date="2022-03-01", countries=["india"])
    queue = queue_path(site.root / ".feedpub", site.out)
    queue.mkdir(parents=True)  # where the file should go: os.replace fails
    code, stderr = cli_build(site)
    assert code == 0
    assert stderr.splitlines()[1:] == [
        f"warning: {queue}: cannot keep the undelivered WebSub pings: Is a directory"
    ]
    assert site.feed("asia/india/rss.xml").entries[0].title == "A"
