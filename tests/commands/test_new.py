"""feedpub new: the file, its front matter and id, the slug, and every error, exactly."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.sites import Site

from feedpub.cli import main
from feedpub.commands.new import NewArticle, new_article
from feedpub.inputs.authoring import slugify
from feedpub.pipeline import build as build_module

NOW = datetime(2024, 6, 1, 18, 45, 30, tzinfo=UTC)  # 2024-06-02 00:15 in Asia/Colombo


def run(site: Site, *args: str) -> object:
    return CliRunner().invoke(
        main, [*args, "--config", str(site.config)], prog_name="feedpub", catch_exceptions=False
    )


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "now", lambda: NOW)


def test_new_writes_front_matter_and_prints_only_the_path(site: Site) -> None:
    result = run(
        site, "new", "Sri Lanka: Call a Hartal, Prepare for Power!", "--country", "sri-lanka"
    )
    assert result.exit_code == 0
    path = site.root / "content/asia/sri-lanka/sri-lanka-call-a-hartal-prepare-for-power.md"
    assert result.output == f"{path.as_posix()}\n"
    assert path.read_text() == (
        "---\n"
        'title: "Sri Lanka: Call a Hartal, Prepare for Power!"\n'
        "date: 2024-06-02 00:15\n"  # the site's time zone, not UTC
        "countries: [sri-lanka]\n"
        'id: "tag:example.org,2022:2024-06-02/sri-lanka-call-a-hartal-prepare-for-power"\n'
        "---\n\n"
        "Write the article here, in place of this line: feedpub build refuses the file while "
        "this line is in it.\n"
    )


def test_the_build_refuses_the_placeholder_until_it_is_replaced(site: Site) -> None:
    """The quick start's trap: a file fresh from feedpub new was published with its title as
    its content. Now the body is a line the build refuses, naming the file and the line."""
    site.article("india/other", title="Other", date="2022-03-01", countries=["india"])
    path = Path(run(site, "new", "Fuel Queues, Day Three", "--country", "sri-lanka").output.strip())
    result = run(site, "build")
    assert result.exit_code == 3
    assert result.stderr == (
        f"{path.as_posix()}:8: body: is still the placeholder feedpub new wrote; write the "
        "article in its place (or add draft: true until it is ready)\n"
        "feedpub: 1 problem found; nothing was published\n"
    )
    assert not site.out.exists()
    check = run(site, "check")
    assert (check.exit_code, check.stderr.splitlines()[0]) == (3, result.stderr.splitlines()[0])
    # A draft may keep it: it is not published anyway.
    draft = Path(run(site, "new", "Not yet", "--country", "india", "--draft").output.strip())
    path.write_text(path.read_text().replace("Write the article here", "Queues, written here"))
    assert run(site, "build").exit_code == 0
    titles = [e.title for e in site.feed("rss.xml").entries]
    assert titles == ["Fuel Queues, Day Three", "Other"]
    assert "Queues, written here" in site.feed("rss.xml").entries[0].content[0].value
    assert "Write the article here" in draft.read_text()


def test_the_written_id_is_the_one_the_build_computes(site: Site) -> None:
    path = new_article(site.config, None, NewArticle("Hartal", ("sri-lanka",)), NOW)
    text = path.read_text()
    written_id = text.split('id: "')[1].split('"')[0]
    text = text.replace(f'id: "{written_id}"\n', "")  # let the build compute it
    path.write_text(text.replace("Write the article here, in place", "Written, in place"))
    site.build(now=datetime(2025, 1, 1, tzinfo=UTC))
    assert site.feed("rss.xml").entries[0].id == written_id


def test_region_draft_date_and_alias(site: Site) -> None:
    path = new_article(
        site.config,
        None,
        NewArticle("Asia in review", region="asia", date="2022-05-31 18:00", draft=True),
        NOW,
    )
    assert path == site.root / "content/asia/asia-in-review.md"
    assert "region: asia\n" in path.read_text()
    assert "date: 2022-05-31 18:00\n" in path.read_text()
    assert "draft: true\n" in path.read_text()
    assert "tag:example.org,2022:2022-05-31/asia-in-review" in path.read_text()


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đà Nẵng: Workers’ Strike", "da-nang-workers-strike"),
        ("Straße & Smørrebrød — Łódź", "strasse-smorrebrod-lodz"),
        ("  --Hello,   World!--  ", "hello-world"),
        ("කොළඹ", ""),  # not Latin: no transliteration, the caller asks for --slug
        ("x" * 50 + " " + "y" * 50, "x" * 50),
    ],
)
def test_slugs(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_refuses_to_overwrite(site: Site) -> None:
    path = new_article(site.config, None, NewArticle("Hartal", ("sri-lanka",)), NOW)
    path.write_text("mine")
    result = run(site, "new", "Hartal", "--country", "sri-lanka")
    assert result.exit_code == 3
    assert result.output == (
        f"{path.as_posix()}: already exists; not overwritten\n"
        "feedpub: 1 problem found; nothing was written\n"
    )
    assert path.read_text() == "mine"


def test_refuses_a_slug_another_file_has(site: Site) -> None:
    site.article("asia/india/hartal", title="x", date="2022-01-01")
    result = run(site, "new", "Hartal", "--country", "sri-lanka")
    assert result.exit_code == 3
    new = site.root / "content/asia/sri-lanka/hartal.md"
    other = (site.root / "content/asia/india/hartal.md").as_posix()
    assert result.output.splitlines()[0] == (
        f"{new.as_posix()}: slug 'hartal' is already used by {other}; give another with --slug"
    )


USAGE = "Usage: feedpub new [OPTIONS] TITLE\nTry 'feedpub new --help' for help.\n\nError: "


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["x", "--country", "atlantis"],
            "--country: unknown country 'atlantis' (known: france, india, sri-lanka)",
        ),
        (["x", "--region", "mars"], "--region: unknown region 'mars' (known: asia, europe)"),
        (
            ["x", "--country", "france", "--region", "asia"],
            "--region: france is in region 'europe', not 'asia'",
        ),
        (
            ["x", "--country", "india", "--date", "next tuesday"],
            "--date: 'next tuesday' is not a date (expected e.g. 2022-04-12 09:30)",
        ),
        (
            ["කොළඹ", "--country", "sri-lanka"],
            "the title 'කොළඹ' gives no slug: feedpub turns only Latin letters into ASCII; "
            "give one with --slug",
        ),
        (["  ", "--country", "india", "--slug", "x"], "TITLE: expected text, got '  '"),
        (
            ["x", "--country", "india", "--slug", "../../x"],
            "--slug: expected a slug (lower-case letters, digits and '-'), got '../../x'",
        ),
        (
            ["x", "--country", "india", "--slug", "Bad Slug"],
            "--slug: expected a slug (lower-case letters, digits and '-'), got 'Bad Slug'",
        ),
        (
            ["x", "--country", "india", "--date", "1970-01-01"],
            "--date: '1970-01-01' is before 1990: feeds readers and validators take such dates "
            "for mistakes",
        ),
    ],
)
def test_usage_errors(site: Site, args: list[str], message: str) -> None:
    result = run(site, "new", *args)
    assert result.exit_code == 2
    assert result.output == USAGE + message + "\n"
    assert not list((site.root / "content").rglob("*.md"))


def test_non_latin_title_with_a_slug(site: Site) -> None:
    result = run(site, "new", "කොළඹ", "--country", "sri-lanka", "--slug", "colombo")
    assert result.output == f"{(site.root / 'content/asia/sri-lanka/colombo.md').as_posix()}\n"


def test_bad_config_is_reported_compiler_style(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text("site: [1]\nregions: {}\n")
    result = CliRunner().invoke(main, ["new", "x", "--config", str(config)], catch_exceptions=False)
    assert result.exit_code == 3
    assert result.output == (
        f"{config}:1: site: expected a mapping, got a list\n"
        f"{config}:1: site.author: is required\n"
        f"{config}:1: site.description: is required\n"
        f"{config}:1: site.feeds_url: is required\n"
        f"{config}:1: site.id_authority: is required\n"
        f"{config}:1: site.language: is required\n"
        f"{config}:1: site.timezone: is required\n"
        f"{config}:1: site.title: is required\n"
        f"{config}:1: site.url: is required\n"
        "feedpub: 9 problems found; nothing was written\n"
    )
