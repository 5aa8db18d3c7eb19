"""feeds.yaml's ``deploy:`` section: each wrong value reported with its line, like every other
key, exit code 3, nothing published."""

from __future__ import annotations

import pytest
from support.refusals import GOOD, Snapshot, cli_build, lines, one, refused
from support.sites import Site

from feedpub.inputs.config import load_config


def test_a_good_deploy_section(site: Site, published: Snapshot) -> None:
    site.write_config(
        GOOD
        + "deploy:\n  target: s3://feeds.example.org/desk\n"
        + "  endpoint_url: https://0123abcd.r2.cloudflarestorage.com\n"
        + "  cache_control: {archive: 'public, max-age=604800', feed: 'no-cache'}\n"
    )
    result = cli_build(site)
    assert (result.exit_code, result.stderr) == (0, "")
    deploy = load_config(site.config).deploy
    assert deploy.target == "s3://feeds.example.org/desk"
    assert deploy.endpoint_url == "https://0123abcd.r2.cloudflarestorage.com"
    assert (deploy.cache_control.archive, deploy.cache_control.feed) == (
        "public, max-age=604800",
        "no-cache",
    )
    assert deploy.cache_control.media == "public, max-age=86400"  # the default stays


def test_every_problem_of_the_section_at_once(site: Site, published: Snapshot) -> None:
    config = GOOD + (
        "deploy:\n"
        "  target: ftp://example.org/feeds\n"
        "  endpoint: https://example.org/\n"
        "  cache_control:\n"
        "    feeds: public\n"
        "    feed: 300\n"
        '    page: "public,\\nmax-age=300"\n'
    )
    assert refused(site, published, config) == lines(
        site,
        ":21: deploy.target: expected s3://BUCKET/PREFIX, rsync://HOST/MODULE/PATH, "
        "HOST:PATH or a folder, got 'ftp://example.org/feeds'",
        ":22: deploy.endpoint: unknown key (known keys: cache_control, endpoint_url, target)",
        ":24: deploy.cache_control.feeds: unknown key "
        "(known keys: archive, feed, index, media, opml, other, page)",
        ":25: deploy.cache_control.feed: expected a Cache-Control value like "
        "'public, max-age=300' (printable ASCII, one line), got 300",
        ":26: deploy.cache_control.page: expected a Cache-Control value like "
        "'public, max-age=300' (printable ASCII, one line), got 'public,\\nmax-age=300'",
    )


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (
            "s3://Feeds_2022",
            "a bucket name of 3 to 63 lower-case letters, digits, dots and hyphens",
        ),
        ("s3://ab", "a bucket name of 3 to 63 lower-case letters, digits, dots and hyphens"),
        ("s3://feeds/../other", "a prefix of plain folder names"),
    ],
)
def test_bucket_names_and_prefixes(
    site: Site, published: Snapshot, target: str, expected: str
) -> None:
    config = GOOD + f"deploy:\n  target: {target}\n"
    assert refused(site, published, config) == one(
        site, f":21: deploy.target: expected s3://BUCKET/PREFIX with {expected}, got {target!r}"
    )


def test_an_endpoint_is_for_s3_only(site: Site, published: Snapshot) -> None:
    config = GOOD + "deploy:\n  target: www@example.org:/srv/feeds\n"
    config += "  endpoint_url: https://s3.us-west-004.backblazeb2.com\n"
    assert refused(site, published, config) == one(
        site, ":22: deploy.endpoint_url: is only for an s3:// target"
    )


def test_a_deploy_that_is_not_a_mapping(site: Site, published: Snapshot) -> None:
    config = GOOD + "deploy: s3://feeds\n"
    assert refused(site, published, config) == one(
        site, ":20: deploy: expected a mapping, got 's3://feeds'"
    )
