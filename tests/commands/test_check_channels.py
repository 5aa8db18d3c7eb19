"""feedpub check and feedpub channels: exact output, exit codes, and nothing written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.sites import Site

from feedpub.cli import main, use_colour
from feedpub.pipeline import build as build_module


def folder_snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file and folder under ``root``: bytes, inode, mtime."""
    result = {}
    for path in sorted(root.rglob("*")):
        st = path.stat()
        result[path.relative_to(root).as_posix()] = (
            path.read_bytes() if path.is_file() else b"",
            st.st_ino,
            st.st_mtime_ns,
        )
    return result


def invoke(*args: str) -> object:
    return CliRunner().invoke(main, list(args), prog_name="feedpub", catch_exceptions=False)


def test_check_reports_errors_and_warnings_and_writes_nothing(site: Site) -> None:
    site.article("asia/sri-lanka/ok", title="Fine", date="2022-01-01", countries=["sri-lanka"])
    site.article("bad", title="Bad", date="next tuesday", countries=["atlantis"])
    site.article("dup", title="Dup", date="2022-01-02", slug="ok", countries=["india"])
    site.article(
        "long",
        body="",
        title="T" * 101,
        date="2022-01-03",
        image="https://example.org/a.png",
        region="asia",
    )
    site.article("nowhere", title="Nowhere", date="2022-01-04")
    before = folder_snapshot(site.root)
    result = invoke("check", "--config", str(site.config))
    assert folder_snapshot(site.root) == before
    c = (site.root / "content").as_posix()
    assert result.exit_code == 3
    assert result.stderr == (
        f"{c}/bad.md:3: date: 'next tuesday' is not a date (expected e.g. 2022-04-12 09:30)\n"
        f"{c}/bad.md:5: countries.0: unknown country 'atlantis' (known: france, india, sri-lanka)\n"
        f"{c}/dup.md: slug: duplicate slug 'ok' (also in {c}/asia/sri-lanka/ok.md)\n"
        f"warning: {c}/long.md: summary: missing, and the body has no paragraph to take it from\n"
        f"warning: {c}/long.md:2: title: is 101 characters; readers cut titles over 100\n"
        f"warning: {c}/long.md:4: image: has no image_alt: someone who cannot see the image is "
        "told nothing of it\n"
        f"warning: {c}/nowhere.md: countries: none and no region: the article is in the "
        "combined feed only\n"
        "5 articles checked: 3 errors, 4 warnings\n"
    )


def test_check_passes_with_warnings_unless_strict(site: Site) -> None:
    site.article("nowhere", title="Nowhere", date="2022-01-04")
    assert invoke("check", "--config", str(site.config)).exit_code == 0
    strict = invoke("check", "--strict", "--config", str(site.config))
    assert strict.exit_code == 3
    assert strict.stderr.endswith("1 article checked: 0 errors, 1 warning\n")


@pytest.mark.parametrize("expires", ["2022-01-04 00:00", "2022-01-03 23:00"])
def test_check_warns_of_an_expiry_not_after_the_date(site: Site, expires: str) -> None:
    site.article("gone", title="Gone", date="2022-01-04", countries=["india"], expires=expires)
    result = invoke("check", "--strict", "--config", str(site.config))
    c = (site.root / "content").as_posix()
    assert result.exit_code == 3
    assert result.stderr == (
        f"warning: {c}/gone.md:6: expires: is not after the article's date: it is never "
        "published\n1 article checked: 0 errors, 1 warning\n"
    )


def test_check_on_the_sample_is_clean(sample: Site) -> None:
    result = invoke("check", "--strict", "--config", str(sample.config))
    assert (result.exit_code, result.stderr) == (0, "12 articles checked: 0 errors, 0 warnings\n")


def test_check_of_a_bad_config(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text("site: {}\nregions: []\n")
    result = invoke("check", "--config", str(config))
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == f"{config}:1: site.author: is required"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "now", lambda: datetime(2024, 6, 1, tzinfo=UTC))


def test_channels_table(site: Site, clock: None) -> None:
    site.article("a", title="A", date="2022-01-01 10:00", countries=["sri-lanka"])
    site.article("b", title="B", date="2030-01-01", countries=["india"])  # future: not counted
    before = folder_snapshot(site.root)
    result = invoke("channels", "--config", str(site.config))
    assert folder_snapshot(site.root) == before
    u = "https://example.org/feeds/"
    assert result.stdout == (
        "CHANNEL         ITEMS  NEWEST            FEEDS\n"
        f"(combined)          1  2022-01-01 10:00  {u}rss.xml  {u}atom.xml  {u}feed.json\n"
        f"asia                1  2022-01-01 10:00  {u}asia/rss.xml  {u}asia/atom.xml  "
        f"{u}asia/feed.json\n"
        f"asia/india          0  -                 {u}asia/india/rss.xml  {u}asia/india/atom.xml  "
        f"{u}asia/india/feed.json\n"
        f"asia/sri-lanka      1  2022-01-01 10:00  {u}asia/sri-lanka/rss.xml  "
        f"{u}asia/sri-lanka/atom.xml  {u}asia/sri-lanka/feed.json\n"
        f"europe              0  -                 {u}europe/rss.xml  {u}europe/atom.xml  "
        f"{u}europe/feed.json\n"
        f"europe/france       0  -                 {u}europe/france/rss.xml  "
        f"{u}europe/france/atom.xml  {u}europe/france/feed.json\n"
        "next due: 2030-01-01T00:00:00+05:30\n"  # the future article's date
    )


def test_channels_json(site: Site, clock: None) -> None:
    import json

    site.article("a", title="A", date="2022-01-01 10:00", countries=["sri-lanka"])
    result = invoke("channels", "--format", "json", "--config", str(site.config))
    channels = json.loads(result.stdout)
    assert channels[3] == {
        "channel": "asia/sri-lanka",
        "title": "Test Desk — Sri Lanka",
        "items": 1,
        "newest": "2022-01-01T10:00:00+05:30",
        "feeds": {
            "rss": "https://example.org/feeds/asia/sri-lanka/rss.xml",
            "atom": "https://example.org/feeds/asia/sri-lanka/atom.xml",
            "json": "https://example.org/feeds/asia/sri-lanka/feed.json",
        },
    }


def test_channels_with_content_errors(site: Site, clock: None) -> None:
    site.article("bad", title="Bad", date="2022-01-01", countries=["mars"])
    result = invoke("channels", "--config", str(site.config))
    assert result.exit_code == 3
    assert result.stderr == (
        f"{(site.root / 'content').as_posix()}/bad.md:5: countries.0: unknown country 'mars' "
        "(known: france, india, sri-lanka)\n"
        "feedpub: 1 problem found; nothing was written\n"
    )


COMMANDS = [
    ["build"],
    ["validate"],
    ["new"],
    ["import"],
    ["import", "listing"],
    ["import", "feed"],
    ["check"],
    ["channels"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example_and_config(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: feedpub {' '.join(command)} [OPTIONS]")
    assert "\n  Examples:\n    feedpub " in result.output
    if command != ["import"]:
        assert "  --config " in result.output


def test_new_help_exactly() -> None:
    result = invoke("new", "--help")
    assert result.output.split("Examples:\n", 1)[1] == (
        '    feedpub new "Sri Lanka: Call a Hartal, Prepare for Power!" --country sri-lanka\n'
        '    ${EDITOR:-vi} "$(feedpub new "Fuel queues, day three" --country lanka --draft)"\n'
        '    feedpub new "Asia in review" --region asia --date "2022-05-31 18:00"\n'
        "\n"
        "  Exit codes: 0 written; 2 usage error; 3 error in feeds.yaml or the file\n"
        "  exists.\n"
    )


@pytest.mark.parametrize(
    "command", [["new"], ["import", "listing"], ["import", "feed"]], ids=" ".join
)
def test_a_missing_argument_is_a_usage_error(command: list[str]) -> None:
    result = invoke(*command)
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: Missing argument '" + result.output.split("'")[-2] + "'.\n"
    )


def test_unknown_format_is_a_usage_error() -> None:
    result = invoke("channels", "--format", "xml")
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: Invalid value for '--format': 'xml' is not one of 'table', 'json'.\n"
    )


class FakeTerminal:
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour(FakeTerminal())  # type: ignore[arg-type]
    assert not use_colour(open("/dev/null"))
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour(FakeTerminal())  # type: ignore[arg-type]


def test_no_ansi_codes_off_a_terminal(site: Site) -> None:
    site.article("nowhere", title="Nowhere", date="2022-01-04")
    result = invoke("check", "--config", str(site.config))
    assert "\x1b[" not in result.output
