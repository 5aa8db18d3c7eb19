"""The promise behind every check: if feeds.yaml and content pass them, the build publishes
feeds that ``feedpub validate`` (document and build checks) finds no error in. Hypothesis
writes front matter and config values, the hostile and the ordinary alike (issue 9)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from support.refusals import GOOD, Snapshot, changed, error, front, refused
from support.sites import BASE_CONFIG, Site, site_folder

from feedpub.commands.validate import ValidateOptions, run_validation
from feedpub.errors import InputError
from feedpub.pipeline.build import BuildOptions, build

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
# Mostly nothing, so that a good share of the examples pass the checks and get built.
NEWLINE_AND_SPACES = st.sampled_from([""] * 12 + ["\n", " ", "\t", "\u3000", "\u00a0", "\u2028"])
UNICODE = st.text(st.characters(codec="utf-8"), max_size=8)


def around(core: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``core`` with, sometimes, spaces or newlines before or after it."""
    return st.tuples(NEWLINE_AND_SPACES, core, NEWLINE_AND_SPACES).map("".join)


def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``good`` seven times in eight: many examples should pass the checks and be built."""
    return st.one_of(*[good] * 7, bad)


SLUGS = mostly(
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True),
    around(st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True)) | UNICODE,
)
LANGUAGES = mostly(
    st.tuples(
        st.sampled_from(["en", "si", "ta", "fr", "zh", "pt", "x", "haw", "EN"]),
        st.sampled_from(["", "-us", "-Hant-TW", "-419", "-klingon"]),
    ).map("".join),
    st.from_regex(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,2}", fullmatch=True)
    | around(st.sampled_from(["en", "EN_gb", "e", "en-", "1234", "i-default"]))
    | UNICODE,
)
LINKS = mostly(
    st.tuples(
        st.sampled_from(["https://example.org/", "http://other.example/", "https://x.org"]),
        st.from_regex(r"[a-z0-9/._~%-]{0,8}", fullmatch=True),
    ).map("".join),
    st.tuples(
        st.sampled_from(["https://example.org/", "https://", "", "HTTPS://x.org/"]),
        st.text(st.characters(codec="utf-8"), max_size=6),
        st.sampled_from(["", "?q=1", "#top", "/", " x"]),
    ).map("".join)
    | around(st.sampled_from(["https://example.org/a", "javascript:alert(1)", "//x.org/"])),
)
TEXT = mostly(
    st.text(
        st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]),
        min_size=1,
        max_size=8,
    ).filter(str.strip),
    around(UNICODE),
)
EMAILS = mostly(
    st.sampled_from(["a@b.org", "desk@example.org", "x.y+z@sub.example.org"]),
    st.sampled_from(["a@b", "a!b@example.org", "é@example.org", "a@b.c"])
    | st.tuples(
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=4),
        st.sampled_from(["@", ""]),
        st.sampled_from(["example.org", "b", "ex ample.org", "é.org", ""]),
    ).map("".join),
)
STYLESHEETS = mostly(
    st.sampled_from(["/feed.xsl", "https://example.org/s.css", "/a/b.xslt"]),
    st.tuples(
        st.sampled_from(["/", "https://example.org/", ""]),
        st.text(st.characters(codec="utf-8"), max_size=4),
        st.sampled_from([".xsl", ".css", ".txt"]),
    ).map("".join),
)
ZONES = st.sampled_from(
    [UTC, ZoneInfo("Asia/Colombo"), ZoneInfo("Africa/Monrovia"), timezone(timedelta(hours=14))]
)
# st.datetimes takes naive bounds; timezones= gives the values their zones.
EARLY, LATE = datetime(1985, 1, 1), datetime(2024, 6, 30)  # noqa: DTZ001
FIRST, LAST = datetime(1, 1, 2), datetime(9999, 12, 30)  # noqa: DTZ001
DATES = mostly(
    st.datetimes(EARLY, LATE, timezones=ZONES | st.none()).map(lambda d: d.isoformat(sep=" ")),
    st.datetimes(FIRST, LAST, timezones=ZONES | st.none()).map(lambda d: d.isoformat(sep=" "))
    | st.sampled_from(["2022-03-01", "1900-01-01 10:00", "0001-01-01", "2024-06-01 18:00 +14:00"]),
)


@st.composite
def front_matter(draw: st.DrawFn) -> dict[str, Any]:
    front: dict[str, Any] = {"title": draw(TEXT), "date": draw(DATES)}
    optional = {
        "slug": SLUGS,
        "language": LANGUAGES,
        "link": LINKS,
        "id": mostly(
            st.sampled_from(["tag:example.org,2022:a", "urn:x:y"]),
            around(st.sampled_from(["tag:example.org,2022:a", "no scheme", "a:"])),
        ),
        "updated": DATES,
        "countries": st.lists(
            mostly(st.sampled_from(["india", "sri-lanka", "france"]), st.just("india\n"))
        ),
        "tags": st.lists(TEXT, max_size=3),
        "author": st.lists(
            st.fixed_dictionaries(
                {"name": TEXT},
                optional={"email": mostly(st.just("a@b.org"), st.sampled_from(["x", "a@b.org\n"]))},
            ),
            max_size=3,
        ),
        "summary": TEXT,
        "image": mostly(
            st.sampled_from(["https://example.org/i.png", "/i.png"]),
            around(st.sampled_from(["https://example.org/i.png", "//x.org/i.png"]))
            | st.tuples(
                st.sampled_from(["https://example.org/", "/"]),
                st.text(st.characters(codec="utf-8"), max_size=4),
                st.just(".png"),
            ).map("".join),
        ),
    }
    for key, strategy in optional.items():
        if draw(st.integers(0, 3)) == 0:
            front[key] = draw(strategy)
    return front


@st.composite
def configs(draw: st.DrawFn) -> dict[str, Any]:
    config = copy.deepcopy(BASE_CONFIG)
    site = config["site"]
    if draw(st.integers(0, 3)) == 0:
        site["language"] = draw(LANGUAGES)
    if draw(st.integers(0, 3)) == 0:
        config["regions"]["asia"]["countries"]["india"]["language"] = draw(LANGUAGES)
    if draw(st.integers(0, 3)) == 0:
        site["link_pattern"] = draw(
            st.sampled_from(["{slug}/", "{year}/{month}/{slug}/", "{{slug}}/", "{slug}.html", "a"])
        )
    if draw(st.integers(0, 3)) == 0:
        site["feeds_url"] = draw(LINKS)
    if draw(st.integers(0, 3)) == 0:
        site["url"] = draw(LINKS)
    for key in ("image", "icon", "websub_hub"):
        if draw(st.integers(0, 5)) == 0:
            site[key] = draw(LINKS)
    if draw(st.integers(0, 5)) == 0:
        site["stylesheet"] = draw(STYLESHEETS)
    if draw(st.integers(0, 4)) == 0:
        site["author"]["email"] = draw(EMAILS)
    if draw(st.integers(0, 5)) == 0:
        site["id_authority"] = draw(
            mostly(
                st.sampled_from(["example.org,2022", "desk@example.org,2022-03"]),
                st.sampled_from(["Example.org,2022", "a+b@x.org,2022", "x.org,2022-13-40"]),
            )
        )
    if draw(st.integers(0, 4)) == 0:
        site["author"]["name"] = draw(TEXT | st.sampled_from(["A)", "(A", '"x)', "A\\", "a (b)"]))
    for key in ("title", "description", "copyright"):
        if draw(st.integers(0, 5)) == 0:
            site[key] = draw(TEXT)
    asia = config["regions"]["asia"]
    if draw(st.integers(0, 5)) == 0:
        asia["title"] = draw(TEXT)
    if draw(st.integers(0, 5)) == 0:
        asia["description"] = draw(TEXT)
    if draw(st.integers(0, 5)) == 0:
        asia["countries"]["sri-lanka"]["title"] = draw(TEXT)
    if draw(st.integers(0, 5)) == 0:
        asia["countries"]["sri-lanka"]["language"] = draw(LANGUAGES)
    return config


def write(root: Path, config: dict[str, Any], articles: list[dict[str, Any]]) -> None:
    (root / "content").mkdir()
    (root / "feeds.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for number, values in enumerate(articles):
        matter = yaml.safe_dump(values, allow_unicode=True, sort_keys=False)
        (root / "content" / f"a{number}.md").write_text(
            f"---\n{matter}---\nBody [link](x/).\n", encoding="utf-8"
        )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs(), st.lists(front_matter(), min_size=1, max_size=3))
def test_what_the_checks_accept_publishes_valid_feeds(
    config: dict[str, Any], articles: list[dict[str, Any]]
) -> None:
    with site_folder() as root:
        write(root, config, articles)
        try:
            build(BuildOptions(root / "feeds.yaml", now=NOW))
        except InputError as exc:
            event("refused: " + exc.problems[0].message[:30])
            return  # refused, with messages: the other tests hold those to their text
        event("published")
        results = run_validation(ValidateOptions((), root / "feeds.yaml", now=NOW))
        errors = [
            f"{file.relative_to(root)}: {m.code}: {m.message}"
            for file, messages in results.items()
            for m in messages
            if m.severity == "error"
        ]
        assert errors == []
        assert len(results) == 27  # 18 feeds, 6 pages, three OPMLs


# What the property found: values the checks accepted and the validator then refused.


def test_an_id_the_validator_refuses_is_refused(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: T", "date: 2022-03-02", "id: urn:x:y"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":4: id: expected an absolute URI like 'tag:example.org,2022:hartal' or "
        "'urn:uuid:...', got 'urn:x:y'",
    )


def test_a_language_that_is_no_iso_639_code_is_refused(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: T", "date: 2022-03-02", "language: BB"))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":4: language: expected a language tag like 'en' or 'si', got 'BB'"
    )


def test_a_link_with_characters_urls_do_not_hold(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: T", "date: 2022-03-02", "link: https://example.org/¡"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":4: link: expected an absolute http(s) URL with only the characters URLs hold "
        "(percent-encode others), got 'https://example.org/¡'",
    )


def test_a_local_image_name_with_a_space_is_percent_encoded(site: Site) -> None:
    site.raw("asia/my photo.png", b"\x89PNG\r\n\x1a\n")
    site.article("asia/pic", title="Pic", date="2022-03-02", image="my photo.png")
    site.build()
    enclosure = site.feed("rss.xml").entries[0].enclosures[0]
    assert enclosure.href == "https://example.org/feeds/_media/asia/my%20photo.png"
    assert (site.out / "_media" / "asia" / "my photo.png").exists()


def _config_refused(site: Site, before: Snapshot, old: str, new: str) -> str:
    return refused(site, before, changed(old, new, GOOD))


@pytest.mark.parametrize("email", ["a@b", "a!b@example.org", "a#b@example.org"])
def test_an_email_the_validator_refuses_is_refused(
    site: Site, published: Snapshot, email: str
) -> None:
    stderr = _config_refused(site, published, "email: desk@example.org", f"email: '{email}'")
    assert stderr == (
        f"{site.config}:8: site.author.email: expected an email address like "
        f"'desk@example.org', got {email!r}\n"
        "feedpub: 1 problem found; nothing was published\n"
    )


def test_a_config_url_with_brackets_is_refused(site: Site, published: Snapshot) -> None:
    stderr = _config_refused(
        site,
        published,
        "  language: en\n",
        "  language: en\n  icon: https://example.org/a[1].png\n",
    )
    assert stderr == (
        f"{site.config}:7: site.icon: expected an absolute http(s) URL with only the characters "
        "URLs hold (percent-encode others), got 'https://example.org/a[1].png'\n"
        "feedpub: 1 problem found; nothing was published\n"
    )


def test_the_issues_language_is_one_line_and_exit_3(site: Site, published: Snapshot) -> None:
    """Issue 8: ``site.language: zz`` once passed feeds.yaml and failed all 30 documents."""
    stderr = _config_refused(site, published, "  language: en\n", "  language: zz\n")
    assert stderr == (
        f"{site.config}:6: site.language: expected a language tag like 'en' or 'si', got 'zz'\n"
        "feedpub: 1 problem found; nothing was published\n"
    )


def test_the_issues_non_ascii_link_is_refused(site: Site, published: Snapshot) -> None:
    """Issue 8: ``link: https://example.org/café/`` once failed as InvalidFullLink."""
    site.raw(
        "asia/bad.md", front("title: T", "date: 2022-03-02", "link: https://example.org/café/")
    )
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":4: link: expected an absolute http(s) URL with only the characters URLs hold "
        "(percent-encode others), got 'https://example.org/café/'",
    )


@pytest.mark.parametrize("authority", ["Example.org,2022", "a+b@example.org,2022"])
def test_an_id_authority_the_validators_tag_syntax_refuses_is_refused(
    site: Site, published: Snapshot, authority: str
) -> None:
    stderr = _config_refused(
        site, published, "id_authority: example.org,2022", f"id_authority: '{authority}'"
    )
    assert stderr == (
        f"{site.config}:9: site.id_authority: expected a tag: authority like 'example.org,2022' "
        f"(a domain, a comma, a date), got {authority!r}\n"
        "feedpub: 1 problem found; nothing was published\n"
    )


def test_an_author_name_rss_cannot_write_after_the_email_is_refused(
    site: Site, published: Snapshot
) -> None:
    """RSS writes `desk@example.org (A))`: readers (and the validator) find no address."""
    stderr = _config_refused(
        site, published, "author: {name: Test Desk,", "author: {name: 'Test Desk)',"
    )
    assert stderr == (
        f"{site.config}:8: site.author.name: cannot be written as "
        "'desk@example.org (Test Desk))', as RSS writes an author: balance its parentheses "
        "and quotes\n"
        "feedpub: 1 problem found; nothing was published\n"
    )


def test_an_article_author_name_rss_cannot_write_is_refused(
    site: Site, published: Snapshot
) -> None:
    site.raw(
        "asia/bad.md",
        front("title: T", "date: 2022-03-02", 'author: {name: "\\"x)", email: a@b.org}'),
    )
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":4: author.name: cannot be written as 'a@b.org (\"x))', as RSS writes an author: "
        "balance its parentheses and quotes",
    )
