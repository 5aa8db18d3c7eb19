"""``site.on_error: skip``: one broken content file no longer holds up the rest of the site,
and every cron run still reports it (exit 3) until it is fixed."""

from __future__ import annotations

import copy

from click.testing import CliRunner
from support.sites import BASE_CONFIG, Site

from feedpub.cli import main


def skipping(site: Site) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"]["on_error"] = "skip"
    site.write_config(config)


def cli(site: Site, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["build", "--config", str(site.config), *args])
    return result.exit_code, result.stdout, result.stderr


def ids(site: Site, path: str) -> list[str]:
    return [entry.id for entry in site.feed(path).entries]


def test_the_rest_is_published_and_the_broken_file_reported_with_exit_3(site: Site) -> None:
    skipping(site)
    site.article("india/good", title="Good", date="2022-03-01", countries=["india"])
    broken = site.article("india/bad", title="Bad", date="next tuesday", countries=["india"])
    code, stdout, stderr = cli(site, "--quiet")
    problem = (
        f"{broken.as_posix()}:3: date: 'next tuesday' is not a date (expected e.g. "
        "2022-04-12 09:30)"
    )
    summary = "feedpub: 1 problem found; published everything but 1 file (site.on_error: skip)"
    assert (code, stdout, stderr) == (3, "", f"{problem}\n{summary}\n")
    assert ids(site, "asia/india/rss.xml") == ["tag:example.org,2022:2022-03-01/good"]
    # Nothing changed: the next run (cron's) says it again, with the same exit code.
    before = site.snapshot()
    assert cli(site, "--quiet") == (3, "", f"{problem}\n{summary}\n")
    assert site.snapshot() == before
    # Fixed: it is published, and the build is quiet again.
    broken.write_text(broken.read_text().replace("next tuesday", "2022-03-02"))
    assert cli(site, "--quiet") == (0, "", "")
    assert ids(site, "asia/india/rss.xml") == [
        "tag:example.org,2022:2022-03-02/bad",
        "tag:example.org,2022:2022-03-01/good",
    ]


def test_a_broken_edit_of_a_published_article_leaves_the_others_alone(site: Site) -> None:
    skipping(site)
    site.article("india/good", title="Good", date="2022-03-01", countries=["india"])
    edited = site.article("france/later", title="Later", date="2022-03-05", countries=["france"])
    assert cli(site, "--quiet")[0] == 0
    india = (site.out / "asia/india/rss.xml").read_bytes()
    edited.write_text(edited.read_text().replace("countries:\n- france", "countries: [mars]"))
    code, stdout, stderr = cli(site)
    assert code == 3
    assert stderr.startswith(
        f"{edited.as_posix()}:4: countries.0: unknown country 'mars' (known: france, india, "
        "sri-lanka)\n"
    )
    assert "2 of 2 articles published" not in stdout and "1 of 2 articles published" in stdout
    assert ids(site, "europe/france/rss.xml") == []
    assert (site.out / "asia/india/rss.xml").read_bytes() == india


def test_of_two_files_with_one_id_the_first_is_kept(site: Site) -> None:
    skipping(site)
    site.article(
        "india/a",
        title="First",
        date="2022-03-01",
        countries=["india"],
        id="https://old.example/?p=1",
    )
    site.article(
        "india/b",
        title="Second",
        date="2022-03-02",
        countries=["india"],
        id="https://old.example/?p=1",
    )
    code, _, stderr = cli(site, "--quiet")
    second = site.root / "content/india/b.md"
    assert (code, stderr.splitlines()[0]) == (
        3,
        f"{second.as_posix()}: id: duplicate id 'https://old.example/?p=1' (also in "
        f"{(site.root / 'content/india/a.md').as_posix()})",
    )
    assert [e.title for e in site.feed("asia/india/rss.xml").entries] == ["First"]


def test_by_default_a_broken_file_still_publishes_nothing(site: Site) -> None:
    site.article("india/good", title="Good", date="2022-03-01", countries=["india"])
    site.article("india/bad", title="Bad", date="next tuesday", countries=["india"])
    code, _, stderr = cli(site, "--quiet")
    assert code == 3 and stderr.endswith("feedpub: 1 problem found; nothing was published\n")
    assert not site.out.exists()
