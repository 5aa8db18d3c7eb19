"""``feedpub check --profile``: per aggregator, a site that passes and one that fails each
rule, with the exact message naming the feed, the item and the rule; exit codes.

The sites are built by feedpub and their published feeds read back by feedparser and lxml.
A rule feedpub's own output never breaks (a guid without isPermaLink="false", no
content:encoded, a feed not in UTF-8) is shown failing on a published feed edited after the
build, as another tool or a proxy would leave it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from click.testing import CliRunner, Result
from support.sites import BASE_CONFIG, Site

from feedpub.cli import PROFILE_NAMES, main
from feedpub.validator.aggregators import PROFILES

LONG_BODY = "First paragraph of the story.\n\nSecond paragraph, which no summary holds.\n"
BIG_IMAGE = {"image": "https://example.org/big.jpg", "image_width": 800, "image_height": 600}
ID = "tag:example.org,2022:2024-05-01/one"


def check(site: Site, *profiles: str, strict: bool = False) -> Result:
    args = ["check", "--config", str(site.config)]
    args += [part for profile in profiles for part in ("--profile", profile)]
    return CliRunner().invoke(main, args + ["--strict"] * strict, catch_exceptions=False)


def configure(site: Site, **changes: Any) -> None:
    """BASE_CONFIG with one region and one country (three channels), and ``changes`` to site."""
    config = copy.deepcopy(BASE_CONFIG)
    config["regions"] = {"asia": {"title": "Asia", "countries": {"india": {"title": "India"}}}}
    config["site"].update(changes)
    site.write_config(config)


def story(site: Site, name: str = "one", day: int = 1, **front: Any) -> None:
    front = {"title": "A fine headline for a story", "summary": "What happened."} | front
    front = {key: value for key, value in front.items() if value is not None}
    site.article(name, body=front.pop("body", LONG_BODY), date=f"2024-05-{day:02d}", **front)


def lines(*found: str) -> str:
    return "".join(f"{line}\n" for line in found)


def edit(site: Site, path: str, pattern: str, replacement: str) -> None:
    """Change a published feed as another tool on the way might have."""
    file = site.out / path
    text, count = re.subn(pattern, replacement, file.read_text(encoding="utf-8"), flags=re.S)
    assert count, pattern
    file.write_text(text, encoding="utf-8")


FEEDS = ("atom.xml", "rss.xml", "asia/atom.xml", "asia/rss.xml")  # india has no article
RSS_FEEDS = ("rss.xml", "asia/rss.xml", "asia/india/rss.xml")


def test_the_option_names_every_profile() -> None:
    assert PROFILE_NAMES == tuple(PROFILES)


def test_unknown_profile_is_a_usage_error(site: Site) -> None:
    result = check(site, "bing")
    assert result.exit_code == 2
    assert "'bing' is not one of 'google-news', 'flipboard', 'apple-news', 'feedly'" in (
        result.stderr
    )


def test_no_published_feeds(site: Site) -> None:
    result = check(site, "feedly")
    assert (result.exit_code, result.stdout) == (
        3,
        f"error: {site.out}: check: no feeds here: build first\n",
    )


# Google News


def test_google_news_passes(site: Site) -> None:
    configure(site)
    story(site, countries=["india"])
    site.build()
    result = check(site, "google-news", strict=True)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "google-news: 0 errors, 0 warnings\n",
    )


def test_google_news_sizes(site: Site) -> None:
    configure(site)
    big = "word " * 220_000 + "\n"  # 1.1 MB of text: in content and its summary
    story(site, "one", 1, body=big, summary="A big one.")
    story(site, "two", 2, body=big, summary="Another.")
    site.build()
    result = check(site, "google-news")
    out = result.stdout
    assert result.exit_code == 3
    for path in ("atom.xml", "rss.xml"):
        size = (site.out / path).stat().st_size
        assert (
            f"error: {site.out}/{path}: google-news: is {size:,} bytes, "
            "Google News reads at most 2 MB of a feed\n" in out
        )
        for name, day in (("one", 1), ("two", 2)):
            assert re.search(
                rf"error: {re.escape(str(site.out))}/{path}: "
                rf"item tag:example.org,2022:2024-05-0{day}/{name}: "
                r"google-news: is [\d,]+ bytes, Google News reads at most 1 MB of an article\n",
                out,
            )
    assert out.count("\n") == 6


def test_google_news_more_than_sixty_a_fetch(site: Site) -> None:
    configure(site, limit=61)
    for number in range(61):
        site.article(f"n{number}", body="Text.\n", title=f"Story {number}", date="2024-05-01")
    site.build()
    result = check(site, "google-news")
    message = (
        "google-news: has 61 items, Google News reads at most 60 new articles a fetch "
        "(a site.limit of 60 or less keeps a burst of news from being cut)"
    )
    assert result.stdout == lines(
        *(f"warning: {site.out}/{path}: {message}" for path in ("atom.xml", "rss.xml"))
    )
    assert result.exit_code == 0
    assert check(site, "google-news", strict=True).exit_code == 3


def test_google_news_guid_and_permalink(site: Site) -> None:
    configure(site)
    story(site, "one", 1, countries=["india"])
    story(site, "two", 2, countries=["india"])
    site.build()
    edit(
        site,
        "asia/india/rss.xml",
        r'<guid isPermaLink="false">(tag:[^<]*/two)</guid>',
        r"<guid>\1</guid>",
    )
    edit(site, "asia/india/rss.xml", r"<guid[^>]*>tag:[^<]*/one</guid>", "")
    edit(site, "asia/india/atom.xml", r"<id>tag:[^<]*/one</id>", "")
    result = check(site, "google-news")
    india = f"{site.out}/asia/india"
    assert result.stdout == lines(
        f"error: {india}/atom.xml: item A fine headline for a story: google-news: has no <id>: "
        "Google News tells articles apart by it",
        f"error: {india}/rss.xml: item A fine headline for a story: google-news: has no <guid>: "
        "Google News tells articles apart by it",
        f"error: {india}/rss.xml: item tag:example.org,2022:2024-05-02/two: google-news: guid is "
        "not a full URL and isPermaLink is not false, as Google News wants",
    )
    assert result.exit_code == 3


# Flipboard


def test_flipboard_passes(site: Site) -> None:
    configure(site, limit=30)
    for day in range(1, 31):
        story(site, f"s{day}", day, countries=["india"], **BIG_IMAGE)
    site.build()
    result = check(site, "flipboard", strict=True)
    assert (result.exit_code, result.stdout) == (0, "")


def test_flipboard_images_and_body(site: Site) -> None:
    configure(site)
    story(site, "small", 1, image="https://example.org/s.jpg", image_width=320, image_height=240)
    story(site, "none", 2)
    story(site, "unsized", 3, image="https://example.org/u.jpg")
    story(site, "short", 4, body="Only this.\n", summary=None, **BIG_IMAGE)
    site.build()
    result = check(site, "flipboard")
    rss = f"{site.out}/rss.xml"
    tag = "tag:example.org,2022:2024-05-0"
    assert result.stdout == lines(
        f"error: {site.out}/asia/india/rss.xml: flipboard: has 0 items, "
        "Flipboard wants at least 30",
        f"error: {site.out}/asia/rss.xml: flipboard: has 0 items, Flipboard wants at least 30",
        f"warning: {rss}: item {tag}4/short: flipboard: its content:encoded is only its summary: "
        "Flipboard wants the entire body",
        f"error: {rss}: item {tag}2/none: flipboard: has no image: Flipboard wants one of at "
        "least 400 px",
        f"error: {rss}: item {tag}1/small: flipboard: lead image is 320 x 240 px, Flipboard wants "
        "at least 400 px in its smallest dimension",
        f"warning: {rss}: item {tag}3/unsized: flipboard: lead image has no width and height in "
        "the feed: Flipboard cannot tell it is at least 400 px (give image_width and image_height)",
        f"error: {rss}: flipboard: has 4 items, Flipboard wants at least 30",
    )
    assert result.exit_code == 3


def test_flipboard_no_content_encoded(site: Site) -> None:
    configure(site, limit=30)
    for day in range(1, 31):
        story(site, f"s{day}", day, countries=["india"], **BIG_IMAGE)
    site.build()
    edit(
        site,
        "asia/india/rss.xml",
        r"\s*<content:encoded>.*?</content:encoded>(.*?/s30</guid>)",
        r"\1",
    )
    result = check(site, "flipboard")
    assert result.stdout == lines(
        f"error: {site.out}/asia/india/rss.xml: item tag:example.org,2022:2024-05-30/s30: "
        "flipboard: has no content:encoded: Flipboard wants the article's entire body, "
        "not a summary"
    )
    assert result.exit_code == 3


# Apple News


def regional(site: Site, **changes: Any) -> None:
    """A site whose every channel's language has a region: en-US, and si-LK for Sri Lanka."""
    config = copy.deepcopy(BASE_CONFIG)
    config["site"].update({"language": "en-US", **changes})
    config["regions"] = {
        "asia": {
            "title": "Asia",
            "countries": {"sri-lanka": {"title": "Sri Lanka", "language": "si-LK"}},
        }
    }
    site.write_config(config)


def test_apple_news_passes(site: Site) -> None:
    regional(site)
    story(site, countries=["sri-lanka"])
    site.build()
    result = check(site, "apple-news", strict=True)
    assert (result.exit_code, result.stdout) == (0, "")


def test_apple_news_language_without_region(site: Site) -> None:
    configure(site)
    story(site, countries=["india"])
    site.build()
    result = check(site, "apple-news")
    message = "apple-news: language is 'en', Apple News wants one with a region, like 'en-US'"
    paths = (
        "atom.xml",
        "rss.xml",
        "asia/atom.xml",
        "asia/rss.xml",
        "asia/india/atom.xml",
        "asia/india/rss.xml",
    )
    assert sorted(result.stdout.splitlines()) == sorted(
        f"error: {site.out}/{p}: {message}" for p in paths
    )
    assert result.exit_code == 3


def test_apple_news_title_length(site: Site) -> None:
    regional(site)
    title = "A headline that runs on and on, well past what Apple News shows"
    story(site, title=title)
    site.build()
    result = check(site, "apple-news")
    message = f"item {ID}: apple-news: title is {len(title)} characters, Apple News wants 15 to 60"
    assert result.stdout == lines(
        *(f"warning: {site.out}/{p}: {message}" for p in ("atom.xml", "rss.xml"))
    )
    assert result.exit_code == 0
    assert check(site, "apple-news", strict=True).exit_code == 3


def test_apple_news_channel_item_and_encoding(site: Site) -> None:
    regional(site)
    story(site, countries=["sri-lanka"])
    site.build()
    edit(site, "rss.xml", r"<title>Test Desk</title>", "")
    edit(
        site,
        "asia/rss.xml",
        r"<description>What happened\.</description>\s*<content:encoded>.*?</content:encoded>",
        "",
    )
    latin = site.out / "asia/sri-lanka/rss.xml"
    latin.write_bytes(latin.read_bytes().replace(b"encoding='UTF-8'", b"encoding='ISO-8859-1'"))
    result = check(site, "apple-news")
    assert result.stdout == lines(
        f"error: {site.out}/asia/rss.xml: item {ID}: apple-news: has no description: Apple News "
        "wants a title, link and description",
        f"error: {site.out}/asia/sri-lanka/rss.xml: apple-news: is encoded as ISO-8859-1, Apple "
        "News wants UTF-8",
        f"error: {site.out}/rss.xml: apple-news: has no title: Apple News wants a title, "
        "a language and a link",
    )
    assert result.exit_code == 3


# Feedly

WEBFEEDS = {
    "icon": "https://example.org/icon.svg",
    "cover": "https://example.org/cover.jpg",
    "accent_color": "00a3e0",
}


def test_feedly_passes(site: Site) -> None:
    configure(site, webfeeds=WEBFEEDS)
    story(site)
    site.build()
    result = check(site, "feedly", strict=True)
    assert (result.exit_code, result.stdout) == (0, "")


def test_feedly_without_webfeeds(site: Site) -> None:
    configure(site)
    story(site)
    site.build()
    result = check(site, "feedly")
    expected = []
    for path in ("asia/india/rss.xml", "asia/rss.xml", "rss.xml"):
        where = f"warning: {site.out}/{path}: feedly: no webfeeds:"
        expected += [
            f"{where}icon: Feedly reads it for the feed's icon (set site.webfeeds.icon)",
            f"{where}cover: Feedly reads it for the feed's cover (set site.webfeeds.cover)",
            f"{where}accentColor: Feedly reads it for the feed's accent color "
            "(set site.webfeeds.accent_color)",
        ]
    assert result.stdout == lines(*expected)
    assert result.exit_code == 0
    assert check(site, "feedly", strict=True).exit_code == 3


def test_feedly_accent_colour_with_a_hash(site: Site) -> None:
    configure(site, webfeeds=WEBFEEDS)
    story(site)
    site.build()
    edit(site, "rss.xml", "<webfeeds:accentColor>00a3e0<", "<webfeeds:accentColor>#00a3e0<")
    result = check(site, "feedly")
    assert result.stdout == lines(
        f"error: {site.out}/rss.xml: feedly: webfeeds:accentColor is '#00a3e0', Feedly wants six "
        "hex digits without '#'"
    )
    assert result.exit_code == 3


def test_profiles_repeat_and_add_up(site: Site) -> None:
    regional(site, webfeeds=WEBFEEDS)
    story(site, countries=["sri-lanka"])
    site.build()
    result = check(site, "feedly", "apple-news", "feedly", strict=True)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "feedly, apple-news: 0 errors, 0 warnings\n",
    )


@pytest.mark.parametrize("other", [["--live", "http://127.0.0.1:9/"]])
def test_not_with_live(site: Site, other: list[str]) -> None:
    result = CliRunner().invoke(
        main, ["check", "--profile", "feedly", *other], catch_exceptions=False
    )
    assert result.exit_code == 2
    assert "give --live or --profile, not both" in result.stderr


@pytest.mark.parametrize(
    ("language", "passes"),
    [("en-US", True), ("zh-Hant-TW", True), ("es-419", True), ("en", False), ("zh-Hant", False)],
)
def test_apple_news_reads_the_region_subtag(site: Site, language: str, passes: bool) -> None:
    regional(site, language=language)
    story(site, countries=["sri-lanka"])
    site.build()
    lines_found = check(site, "apple-news").stdout.splitlines()
    wrong = f"apple-news: language is {language!r}, Apple News wants one with a region"
    assert sum(wrong in line for line in lines_found) == (0 if passes else 4)
