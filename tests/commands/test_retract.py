"""feedpub retract, feedpub next-due and build --verbose: what they write and print, and every
refusal, exactly (issue 19). The clock is injected as the CLI reads it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support.sites import Site

from feedpub.cli import main
from feedpub.pipeline import build as build_module

NOW = datetime(2024, 6, 1, 18, 45, 30, tzinfo=UTC)  # 2024-06-02 00:15:30 in Asia/Colombo
ARTICLE = "---\ntitle: Floods\ndate: 2024-05-30 09:00\ncountries: [india]\n---\nThe body.\n"


def run(site: Site, *args: str) -> Result:
    return CliRunner().invoke(
        main, [*args, "--config", str(site.config)], prog_name="feedpub", catch_exceptions=False
    )


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "now", lambda: NOW)


@pytest.fixture
def floods(site: Site) -> Path:
    return site.raw("india/floods.md", ARTICLE)


def test_retract_writes_the_block_and_leaves_the_rest_of_the_file(site: Site, floods: Path) -> None:
    result = run(site, "retract", str(floods), "--note", "The  figures\nwere wrong.")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f"{floods.as_posix()}: retracted tag:example.org,2022:2024-05-30/floods "
        "as of 2024-06-02T00:15:30+05:30\n"
    )
    assert floods.read_text() == ARTICLE.replace(
        "---\nThe body",
        'retracted:\n  date: 2024-06-02T00:15:30+05:30\n  note: "The figures were wrong."\n'
        "---\nThe body",
    )
    site.build(now=NOW)
    assert site.feed("asia/india/feed.json")["items"] == []
    atom = (site.out / "asia/india/atom.xml").read_text()
    assert "<at:comment>The figures were wrong.</at:comment>" in atom


def test_retract_date_is_read_in_the_site_time_zone(site: Site, floods: Path) -> None:
    result = run(site, "retract", str(floods), "--note", "Wrong.", "--date", "2024-06-01 10:00")
    assert result.exit_code == 0, result.output
    assert "  date: 2024-06-01T10:00:00+05:30\n" in floods.read_text()


def test_a_front_matter_without_final_newline_gets_one(site: Site) -> None:
    path = site.raw("india/crlf.md", ARTICLE.replace("[india]\n---", "[india]\r\n---"))
    assert run(site, "retract", str(path), "--note", "Wrong.").exit_code == 0
    site.build(now=NOW)
    assert site.feed("asia/india/feed.json")["items"] == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--note", "   "],
            3,
            "{path}: retracted: needs a note saying why (--note)\n"
            "feedpub: 1 problem found; nothing was written\n",
        ),
        (
            ["--note", "x", "--date", "tomorrow"],
            2,
            "Error: --date: 'tomorrow' is not a date (expected e.g. 2022-04-12 09:30)\n",
        ),
        (
            ["--note", "x", "--date", "2024-02-30"],
            2,
            "Error: --date: '2024-02-30' is not a date (expected e.g. 2022-04-12 09:30)\n",
        ),
    ],
    ids=["empty-note", "not-a-date", "no-such-day"],
)
def test_retract_refusals_leave_the_file(
    site: Site, floods: Path, args: list[str], code: int, message: str
) -> None:
    result = run(site, "retract", str(floods), *args)
    assert result.exit_code == code
    assert result.stderr.endswith(message.format(path=floods.as_posix()))
    assert floods.read_text() == ARTICLE


def test_retract_twice_is_refused_at_the_line(site: Site, floods: Path) -> None:
    assert run(site, "retract", str(floods), "--note", "Wrong.").exit_code == 0
    written = floods.read_text()
    result = run(site, "retract", str(floods), "--note", "Again.")
    assert result.exit_code == 3
    assert result.stderr == (
        f"{floods.as_posix()}:5: retracted: is already set: the article is withdrawn "
        "(edit its note there)\nfeedpub: 1 problem found; nothing was written\n"
    )
    assert floods.read_text() == written


def test_retract_refuses_a_file_the_build_would_refuse(site: Site) -> None:
    broken = site.raw("india/broken.md", "---\ntitle: [Floods\ndate: 2024-05-30\n---\nBody.\n")
    result = run(site, "retract", str(broken), "--note", "Wrong.")
    assert result.exit_code == 3
    assert result.stderr == (
        f"{broken.as_posix()}:2: invalid YAML: a list opened with '[' is not closed with ']'\n"
        "feedpub: 1 problem found; nothing was written\n"
    )
    unknown = site.raw("india/unknown.md", ARTICLE.replace("[india]", "[atlantis]"))
    result = run(site, "retract", str(unknown), "--note", "Wrong.")
    assert result.exit_code == 3
    assert (
        f"{unknown.as_posix()}:4: countries.0: unknown country 'atlantis' "
        "(known: france, india, sri-lanka)" in result.stderr
    )
    assert unknown.read_text() == ARTICLE.replace("[india]", "[atlantis]")


def test_retract_a_missing_file_is_a_usage_error(site: Site) -> None:
    result = run(site, "retract", str(site.root / "content/none.md"), "--note", "Wrong.")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_next_due_prints_nothing_or_the_instant(site: Site, floods: Path) -> None:
    result = run(site, "next-due")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    site.raw("india/later.md", ARTICLE.replace("2024-05-30 09:00", "2024-06-03 07:00"))
    site.raw("france/ends.md", ARTICLE.replace("[india]", "[france]\nexpires: 2024-06-02 09:00"))
    result = run(site, "next-due")
    assert (result.exit_code, result.stdout) == (0, "2024-06-02T09:00:00+05:30\n")
    assert run(site, "retract", str(floods), "--note", "Wrong.").exit_code == 0
    site.raw("france/ends.md", ARTICLE.replace("[india]", "[france]"))  # no expiry now
    result = run(site, "next-due")
    assert result.stdout == "2024-06-03T07:00:00+05:30\n"


def test_next_due_names_a_bad_file(site: Site) -> None:
    site.raw("india/bad.md", ARTICLE.replace("2024-05-30 09:00", "soon"))
    result = run(site, "next-due")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "content/india/bad.md:3: date:" in result.stderr


def test_build_verbose_ends_with_the_next_due_time(site: Site, floods: Path) -> None:
    result = run(site, "build", "--verbose")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "next due: nothing (no embargo, expiry, retraction or tombstone ahead)"
    )
    assert run(site, "retract", str(floods), "--note", "Wrong.").exit_code == 0
    result = run(site, "build", "--verbose")
    # The tombstone leaves the current feeds 30 days after the retraction.
    assert result.stdout.splitlines()[-1] == "next due: 2024-07-02T00:15:30+05:30"
    quiet = run(site, "build")
    assert "next due" not in quiet.stdout
