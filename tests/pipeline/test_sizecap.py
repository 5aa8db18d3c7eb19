"""Size caps (issue 21): ``max_feed_bytes`` keeps every format of a current feed under its
cap with as many of its newest articles as fit; the rest stay in its archive pages; an
incremental build makes the bytes a cold one makes."""

from __future__ import annotations

import copy
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from support.sites import BASE_CONFIG, NOW, Site

from feedpub.cli import main
from feedpub.commands.check import check_site
from feedpub.errors import InputError
from feedpub.formats import FEED_FILENAMES
from feedpub.pipeline import build as build_module

CAP = 12_000
FEEDS = ("", "asia", "asia/india", "europe", "europe/france")


def configure(site: Site, **site_keys: Any) -> dict[str, Any]:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"].update({"max_feed_bytes": CAP, **site_keys})
    site.write_config(config)
    return config


def body(words: int, seed: int) -> str:
    return " ".join(f"word{seed}x{n}" for n in range(words)) + ".\n"


def write_articles(site: Site, count: int, words: int = 120) -> None:
    for n in range(count):
        country = "india" if n % 3 else "france"
        site.article(
            f"{country}/story-{n:02d}",
            body(words, n),
            title=f"Story {n}",
            date=f"2024-05-{1 + n % 28:02d} {n % 24:02d}:00",
            countries=[country],
        )


def size(site: Site, feed: str, name: str) -> int:
    return (site.out / feed / name).stat().st_size


def ids(site: Site, path: str) -> list[str]:
    if path.endswith(".json"):
        return [i["id"] for i in site.feed(path)["items"]]
    return [e.id for e in site.feed(path).entries]


def archived_ids(site: Site, feed: str, name: str) -> list[str]:
    folder = site.out / feed / "archive"
    pages = sorted(folder.glob(f"*/{name}")) if folder.is_dir() else []
    return [i for page in pages for i in ids(site, page.relative_to(site.out).as_posix())]


def test_every_current_feed_fits_in_every_format(site: Site) -> None:
    configure(site)
    write_articles(site, 30)
    site.build()
    for feed in FEEDS:
        for name in FEED_FILENAMES:
            assert size(site, feed, name) <= CAP, (feed, name)
    assert 1 < len(ids(site, "rss.xml")) < 30


def test_a_capped_feed_holds_the_most_that_fit(site: Site, tmp_path: Path) -> None:
    """One more article than it holds (as an uncapped feed of that many) is over the cap in
    at least one format."""
    configure(site)
    write_articles(site, 30)
    site.build()
    held = {feed: len(ids(site, f"{feed}/atom.xml".lstrip("/"))) for feed in FEEDS}
    for feed, count in held.items():
        total = len(ids(site, f"{feed}/atom.xml".lstrip("/"))) + len(
            archived_ids(site, feed, "atom.xml")
        )
        if count == total:
            continue
        wider = copied(site, tmp_path / f"wider-{feed.replace('/', '-')}")
        config = yaml.safe_load(wider.config.read_text())
        del config["site"]["max_feed_bytes"]
        config["site"]["limit"] = count + 1
        wider.write_config(config)
        wider.build()
        sizes = [size(wider, feed, name) for name in FEED_FILENAMES]
        assert max(sizes) > CAP, (feed, count, sizes)


def test_what_a_feed_leaves_out_is_in_its_archive_pages(site: Site) -> None:
    configure(site)
    write_articles(site, 30)
    site.build()
    for feed in FEEDS:
        for name in FEED_FILENAMES:
            path = f"{feed}/{name}".lstrip("/")
            archived = archived_ids(site, feed, name)
            assert len(archived) == len(set(archived)), path  # pages count from the oldest
            expected = 30 if feed == "" else 10 if "europe" in feed else 20
            assert len(set(ids(site, path)) | set(archived)) == expected, path


def test_without_archives_the_oldest_are_left_out(site: Site) -> None:
    configure(site, archives=False)
    write_articles(site, 30)
    site.build()
    for feed in FEEDS:
        for name in FEED_FILENAMES:
            assert size(site, feed, name) <= CAP, (feed, name)
    assert not (site.out / "archive").exists()
    assert 1 < len(ids(site, "rss.xml")) < 30


def test_a_country_cap_overrides_the_site_cap(site: Site) -> None:
    config = configure(site)
    config["site"]["max_feed_bytes"] = 10 * CAP
    config["regions"]["asia"]["countries"]["india"]["max_feed_bytes"] = CAP
    site.write_config(config)
    write_articles(site, 30)
    site.build()
    assert len(ids(site, "asia/india/rss.xml")) < len(ids(site, "asia/rss.xml")) == 20
    assert size(site, "asia/india", "rss.xml") <= CAP


def test_a_region_cap_is_its_countries_cap(site: Site) -> None:
    config = configure(site)
    del config["site"]["max_feed_bytes"]
    config["regions"]["asia"]["max_feed_bytes"] = CAP
    site.write_config(config)
    write_articles(site, 30)
    site.build()
    assert len(ids(site, "asia/india/rss.xml")) < 20
    assert len(ids(site, "rss.xml")) == 30  # the combined feed is not the region's
    assert len(ids(site, "europe/france/rss.xml")) == 10


def test_one_article_over_the_cap_is_published_alone_with_a_warning(site: Site) -> None:
    configure(site)
    write_articles(site, 4)
    site.article(
        "india/huge", body(3000, 99), title="Huge", date="2024-05-30 10:00", countries=["india"]
    )
    report = site.build()
    assert len(ids(site, "asia/india/rss.xml")) == 1
    messages = sorted(str(w) for w in report.warnings)
    alone = (
        "alone it makes the current feed of {} larger than max_feed_bytes (12,000 bytes): "
        "that feed is published with this one article"
    )
    assert messages == [
        f"{site.root / 'content/india/huge.md'}: {alone.format(where)}"
        for where in ("asia/", "asia/india/", "the combined feed")
    ]


def test_an_incremental_build_makes_what_a_cold_one_makes(site: Site, tmp_path: Path) -> None:
    configure(site)
    write_articles(site, 24)
    site.build()
    steps = [
        lambda: site.article(
            "india/big", body(900, 50), title="Big", date="2024-05-29 08:00", countries=["india"]
        ),
        lambda: site.article(
            "india/big", body(5, 50), title="Big", date="2024-05-29 08:00", countries=["india"]
        ),
        lambda: shrink_the_next_left_out(site),
        lambda: (site.root / "content/india/story-01.md").unlink(),
        lambda: site.article(
            "france/new", body(400, 51), title="New", date="2024-05-31 08:00", countries=["france"]
        ),
    ]
    for number, step in enumerate(steps):
        step()
        site.build()
        cold = copied(site, tmp_path / f"cold-{number}", with_output=False)
        cold.build()
        assert tree(site.out) == tree(cold.out), number


def test_the_no_op_build_writes_nothing(site: Site) -> None:
    configure(site)
    write_articles(site, 30)
    site.build()
    before = site.snapshot()
    site.build()
    assert site.snapshot() == before


def test_validate_strict_and_channels_know_the_caps(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(site)
    write_articles(site, 30)
    site.build()
    monkeypatch.setattr(build_module, "now", lambda: NOW + timedelta(minutes=5))
    runner = CliRunner()
    checked = runner.invoke(main, ["validate", "--strict", "--config", str(site.config)])
    assert checked.exit_code == 0, checked.output
    assert "0 errors, 0 warnings" in checked.output
    listed = runner.invoke(main, ["channels", "--config", str(site.config)])
    assert listed.exit_code == 0, listed.output
    held = len(ids(site, "rss.xml"))
    rows = {line.split()[0]: line.split()[1] for line in listed.output.splitlines()[1:]}
    assert rows["(combined)"] == str(held) != "30", listed.output
    assert rows["asia/india"] == str(len(ids(site, "asia/india/rss.xml"))), listed.output


@pytest.mark.parametrize(
    ("where", "value", "shown"),
    [
        ("site", 9_999, "9999"),
        ("site", "big", "'big'"),
        ("site", True, "true"),
        ("region", 0, "0"),
        ("country", 12.5, "12.5"),
    ],
)
def test_a_bad_cap_is_refused_by_name(site: Site, where: str, value: Any, shown: str) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    field = {
        "site": ("site", config["site"]),
        "region": ("regions.asia", config["regions"]["asia"]),
        "country": (
            "regions.asia.countries.india",
            config["regions"]["asia"]["countries"]["india"],
        ),
    }[where]
    field[1]["max_feed_bytes"] = value
    site.write_config(config)
    with pytest.raises(InputError) as raised:
        site.build()
    lines = site.config.read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "max_feed_bytes:" in text)
    assert str(raised.value) == (
        f"{site.config}:{line}: {field[0]}.max_feed_bytes: "
        f"expected a whole number of bytes, at least 10,000, got {shown}"
    )


def shrink_the_next_left_out(site: Site) -> None:
    """The newest article the combined feed leaves out, made short: the feed can hold it."""
    held = set(ids(site, "atom.xml"))
    pages = sorted((site.out / "archive").glob("*/atom.xml"))
    entries = [e for p in pages for e in site.feed(p.relative_to(site.out).as_posix()).entries]
    left_out = max((e for e in entries if e.id not in held), key=lambda e: e.published_parsed)
    path = next((site.root / "content").rglob(left_out.id.rsplit("/", 1)[1] + ".md"))
    front, _ = path.read_text().rsplit("---\n", 1)
    path.write_text(front + "---\nShort now.\n")


def copied(site: Site, root: Path, with_output: bool = True) -> Site:
    shutil.copytree(site.root, root, ignore=None if with_output else _output_and_state)
    return Site(root)


def _output_and_state(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n in ("public", ".feedpub") or n.startswith(".feedpub")]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_check_warns_of_a_feed_over_a_reader_limit_until_a_cap_fits(site: Site) -> None:
    config = configure(site)
    del config["site"]["max_feed_bytes"]
    site.write_config(config)
    for n in range(10):
        date = f"2024-05-{n + 1:02d}"
        site.article(
            f"india/long-{n}", body(3_000, n), title="Long", date=date, countries=["india"]
        )
    site.build()
    warned = size_warnings(site)
    assert sorted(warned) == sorted(
        f"{site.out / feed / name}: {size(site, feed, name):,} bytes, more than FeedBurner reads "
        "(524,288): set max_feed_bytes in feeds.yaml (README: Size caps)"
        for feed in ("", "asia", "asia/india")
        for name in FEED_FILENAMES
    )
    config["site"]["max_feed_bytes"] = 300_000
    site.write_config(config)
    site.build()
    assert size_warnings(site) == []
    assert 1 < len(ids(site, "rss.xml")) < 10


@pytest.mark.parametrize(
    ("cap", "reader", "limit"),
    [
        (600_000, "FeedBurner", "524,288"),
        (20_000_000, "Miniflux (its default HTTP_CLIENT_MAX_BODY_SIZE)", "15,728,640"),
    ],
)
def test_check_warns_of_a_cap_above_a_reader_limit(
    site: Site, cap: int, reader: str, limit: str
) -> None:
    config = configure(site)
    config["regions"]["europe"]["countries"]["france"]["max_feed_bytes"] = cap
    site.write_config(config)
    assert size_warnings(site) == [
        f"{site.config}: regions.europe.countries.france.max_feed_bytes: {cap:,} bytes allows "
        f"feeds larger than {reader} reads ({limit})"
    ]


def size_warnings(site: Site) -> list[str]:
    report = check_site(site.config, now=NOW)
    assert report.errors == []
    return [str(w) for w in report.warnings if "bytes" in w.message]
