"""feedpub import listing: the seed listing gives back the shipped sample articles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from support.sites import ROOT, Site

from feedpub.cli import main
from feedpub.commands.import_listing import countries_named, import_listing
from feedpub.inputs.config import load_config

SEED = Path("/work/shared/seed/000_382e99903fd054cb.txt")
LISTING = ROOT / "tests/data/import/seed_listing.txt"


def front(path: Path) -> tuple[dict[str, object], str]:
    _, matter, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(matter), body.strip()


def articles(folder: Path) -> dict[str, tuple[str, str | None, list[str], str]]:
    """title -> (summary, image_alt, countries, body) of every content file."""
    found = {}
    for path in folder.rglob("*.md"):
        data, body = front(path)
        found[str(data["title"])] = (
            str(data["summary"]),
            data.get("image_alt"),  # type: ignore[misc]
            data.get("countries", []),  # type: ignore[misc]
            body,
        )
    return found


@pytest.fixture
def empty_sample(tmp_path: Path) -> Site:
    s = Site(tmp_path / "site")
    (s.root / "content").mkdir(parents=True)
    shutil.copy(ROOT / "feeds.yaml", s.config)
    return s


def test_the_seed_listing_is_the_shipped_one() -> None:
    if SEED.exists():
        assert SEED.read_bytes() == LISTING.read_bytes()


def test_importing_the_seed_listing_reproduces_the_sample(empty_sample: Site) -> None:
    report = import_listing(empty_sample.config, None, LISTING, "2022-01-04", "2022-05-20")
    assert len(report.written) == 12
    imported = articles(empty_sample.root / "content")
    assert imported == articles(ROOT / "content")
    # ... and each in its country's folder, as in the sample.
    for path in report.written:
        data, _ = front(path)
        assert path.parent.name == data["countries"][0]  # type: ignore[index]
    assert not [p for p in report.to_check if p.field == "countries"]
    empty_sample.build()  # and it builds


def test_running_it_again_adds_nothing(empty_sample: Site) -> None:
    import_listing(empty_sample.config, None, LISTING)
    before = sorted(p.read_bytes() for p in (empty_sample.root / "content").rglob("*.md"))
    report = import_listing(empty_sample.config, None, LISTING, "2022-01-04", "2022-05-20")
    assert (len(report.written), len(report.unchanged)) == (0, 12)
    assert sorted(p.read_bytes() for p in (empty_sample.root / "content").rglob("*.md")) == before


def test_on_the_sample_itself_every_article_is_already_there(sample: Site) -> None:
    report = import_listing(sample.config, None, LISTING)
    assert (len(report.written), len(report.unchanged)) == (0, 12)


def test_dates_spread_newest_first_and_ids_follow(empty_sample: Site) -> None:
    report = import_listing(empty_sample.config, None, LISTING, "2022-01-01 00:00", "2022-01-12")
    dates = [str(front(p)[0]["date"]) for p in report.written]
    assert dates[0] == "2022-01-12 00:00" and dates[-1] == "2022-01-01 00:00"
    assert dates == sorted(dates, reverse=True)
    data, _ = front(report.written[0])
    assert data["id"] == (
        "tag:example.org,2022:2022-01-12/"
        "china-vs-the-united-states-in-the-pacific-what-does-it-mean-for-humanity"
    )


def test_without_dates_each_article_is_reported(empty_sample: Site) -> None:
    result = CliRunner().invoke(
        main,
        ["import", "listing", str(LISTING), "--config", str(empty_sample.config)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    hartal = (
        empty_sample.root / "content/asia/sri-lanka/sri-lanka-call-a-hartal-prepare-for-power.md"
    )
    assert f"wrote     {hartal.as_posix()}\n" in result.stdout
    assert (
        f"warning: {hartal.as_posix()}: date: not set: the listing has no dates; add the "
        "publication date (or import with --date-from and --date-to)\n"
    ) in result.stderr
    myanmar = (
        empty_sample.root / "content/asia/myanmar/myanmar-a-balance-sheet-of-the-1988-uprising.md"
    )
    assert (
        f"warning: {myanmar.as_posix()}:5: image_alt: the listing's caption has no image file; "
        "add image: beside it\n"
    ) in result.stderr
    assert result.stdout.endswith(
        "12 written, 0 updated, 0 already there; 16 things to check (on stderr)\n"
    )


def test_no_country_and_two_countries_are_reported(empty_sample: Site, tmp_path: Path) -> None:
    listing = tmp_path / "listing.txt"
    listing.write_text(
        "Notes from Nowhere\n\nNothing about any place.\n\n"
        "Taiwan and China Talk\n\nA Chinese and Taiwanese meeting.\n"
    )
    report = import_listing(empty_sample.config, None, listing, "2022-01-01", "2022-01-02")
    folder = (empty_sample.root / "content").as_posix()
    assert [str(p) for p in report.to_check] == [
        f"{folder}/notes-from-nowhere.md: countries: names no country of feeds.yaml "
        f"({listing.as_posix()}:1); add countries: or region: (it is in the combined feed only)",
        f"{folder}/asia/taiwan/taiwan-and-china-talk.md:4: countries: names 2 countries "
        "(taiwan, china); keep only those it is about",
    ]


def test_whole_words_any_case_and_demonyms() -> None:
    config = load_config(ROOT / "feeds.yaml")
    assert countries_named(config, "The SRI LANKAN people") == ["sri-lanka"]
    assert countries_named(config, "Sri-Lanka's crisis, and Burmese exiles") == [
        "sri-lanka",
        "myanmar",
    ]
    assert countries_named(config, "Indochina and Kazakhstanis") == []
    assert countries_named(config, "Vietnam’s climate") == ["vietnam"]


def test_a_bad_listing_is_refused_whole(empty_sample: Site, tmp_path: Path) -> None:
    listing = tmp_path / "bad.txt"
    listing.write_text("One\nTwo\nThree\n\nteaser\n\nLast title\n")
    result = CliRunner().invoke(
        main,
        ["import", "listing", str(listing), "--config", str(empty_sample.config)],
        catch_exceptions=False,
    )
    assert result.exit_code == 3
    assert result.output == (
        f"{listing}:1: expected an image caption line and a title line, got 3 lines "
        "(separate the teaser from the title with a blank line)\n"
        f"{listing}:7: title 'Last title' has no teaser after it\n"
        "feedpub: 2 problems found; nothing was written\n"
    )
    assert not list((empty_sample.root / "content").rglob("*.md"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date-from", "2022-01-01"], "--date-from and --date-to go together"),
        (
            ["--date-from", "2022-02-01", "--date-to", "2022-01-01"],
            "--date-from is after --date-to (the listing is newest first)",
        ),
        (
            ["--date-from", "soon", "--date-to", "2022-01-01"],
            "--date-from: 'soon' is not a date (expected e.g. 2022-04-12 09:30)",
        ),
    ],
)
def test_date_option_errors(empty_sample: Site, args: list[str], message: str) -> None:
    result = CliRunner().invoke(
        main,
        ["import", "listing", str(LISTING), *args, "--config", str(empty_sample.config)],
        prog_name="feedpub",
        catch_exceptions=False,
    )
    assert result.exit_code == 2
    assert result.output == (
        "Usage: feedpub import listing [OPTIONS] LISTING\n"
        "Try 'feedpub import listing --help' for help.\n\n"
        f"Error: {message}\n"
    )
