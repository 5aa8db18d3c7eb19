"""What a deploy sends and in what order, decided from the layout; the targets it reads; the
usage errors it gives before touching anything."""

from __future__ import annotations

import dataclasses
import os

import pytest
from click.testing import CliRunner
from support.sites import Site

from feedpub.cli import main
from feedpub.deploy.plan import DEPLOY_ORDER, LocalFile, make_plan, newest_archive_pages
from feedpub.deploy.target import RsyncTarget, S3Target, parse_target
from feedpub.layout import OutputKind, output_kind
from feedpub.model import CacheControl


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("_media/asia/india/photo.png", OutputKind.MEDIA),
        ("archive/3/rss.xml", OutputKind.ARCHIVE),
        ("asia/india/archive/1/feed.json", OutputKind.ARCHIVE),
        ("asia/india/index.html", OutputKind.PAGE),
        ("asia/index.html", OutputKind.PAGE),
        ("asia/india/atom.xml", OutputKind.FEED),
        ("rss.xml", OutputKind.FEED),
        ("feeds.opml", OutputKind.OPML),
        ("index.html", OutputKind.INDEX),
        ("feed.xsl", OutputKind.OTHER),
        ("asia/archive/x/rss.xml", OutputKind.FEED),
    ],
)
def test_every_output_path_has_its_kind(path: str, kind: OutputKind) -> None:
    assert output_kind(path) == kind


def test_each_kind_has_its_cache_control_key_and_its_turn() -> None:
    assert {f.name for f in dataclasses.fields(CacheControl)} == {k.value for k in OutputKind}
    assert set(DEPLOY_ORDER) == set(OutputKind)
    assert DEPLOY_ORDER[-2:] == (OutputKind.OPML, OutputKind.INDEX)


def test_the_newest_archive_page_of_each_channel() -> None:
    paths = [f"{c}archive/{n}/rss.xml" for c in ("", "asia/") for n in (1, 2, 10)]
    assert newest_archive_pages(paths) == {"archive/10/rss.xml", "asia/archive/10/rss.xml"}


def file(path: str, digest: str = "d") -> LocalFile:
    return LocalFile(path, output_kind(path), "t", "c", digest)


def test_the_plan_sends_what_differs_in_order_and_deletes_only_ours() -> None:
    local = [file(p) for p in ("index.html", "rss.xml", "_media/a.png", "asia/index.html")]
    remote = {"rss.xml": "d", "_media/a.png": "old", "gone.xml": None, "theirs.xml": None}
    plan = make_plan(local, remote, ours={"gone.xml", "rss.xml", "never-there.xml"})
    assert [[f.path for f in batch] for batch in plan.batches()] == [
        ["_media/a.png"],
        ["asia/index.html"],
        ["index.html"],
    ]
    assert [f.path for f in plan.unchanged] == ["rss.xml"]
    assert (plan.deletions, plan.foreign) == (["gone.xml"], ["theirs.xml"])
    unlisted = make_plan(local, None, ours={"gone.xml", "rss.xml"})  # rsync compares itself
    assert len(unlisted.uploads) == 4 and unlisted.deletions == ["gone.xml"]


def test_targets() -> None:
    assert parse_target("s3://feeds") == S3Target("feeds", "")
    assert parse_target("s3://feeds/a/b/", "http://127.0.0.1:9000") == S3Target(
        "feeds", "a/b/", "http://127.0.0.1:9000"
    )
    assert parse_target("rsync://host/module/x") == RsyncTarget("rsync://host/module/x/")
    assert parse_target("www@host:/srv/feeds") == RsyncTarget("www@host:/srv/feeds/")
    assert parse_target("out/www") == RsyncTarget(os.path.abspath("out/www") + "/")
    assert parse_target("www@host:/srv").is_local is False  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [],
            "give a TARGET (s3://BUCKET/PREFIX, rsync://HOST/MODULE/PATH, HOST:PATH or a "
            "folder), or set deploy.target in feeds.yaml",
        ),
        (
            ["ftp://x/y"],
            "TARGET: expected s3://BUCKET/PREFIX, rsync://HOST/MODULE/PATH, HOST:PATH or a "
            "folder, got 'ftp://x/y'",
        ),
        (["rsync://host"], "TARGET: expected rsync://HOST/MODULE/PATH, got 'rsync://host'"),
        (
            ["/srv/www", "--endpoint-url", "http://127.0.0.1:9000"],
            "--endpoint-url is only for an s3:// target",
        ),
        (
            ["s3://feeds", "--endpoint-url", "127.0.0.1:9000"],
            "--endpoint-url: expected an absolute http(s) URL, got '127.0.0.1:9000'",
        ),
    ],
)
def test_usage_errors(site: Site, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["deploy", "--config", str(site.config), *args])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {message}"


def test_no_output_folder(site: Site) -> None:
    result = CliRunner().invoke(main, ["deploy", "--config", str(site.config), "s3://feeds"])
    assert result.exit_code == 3
    assert result.stderr == (
        f"{site.out}: output folder not found (run feedpub build first); nothing was deployed\n"
        "feedpub: 1 problem found; nothing was deployed\n"
    )
