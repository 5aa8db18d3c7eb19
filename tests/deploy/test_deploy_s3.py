"""``feedpub deploy s3://...`` against moto's S3 server on 127.0.0.1: what each object is
served with, the order the server saw, nothing sent twice, a bucket changed behind our back,
``--dry-run``, ``--delete`` and the errors a user reads."""

from __future__ import annotations

import copy
import hashlib
import time

import pytest
from support.deploying import deploy, write_site
from support.s3server import MotoServer, client
from support.sites import BASE_CONFIG, Site

FEED_TYPES = {
    "rss.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}


def target(moto: MotoServer, bucket: str, prefix: str = "feeds/") -> list[str]:
    return [f"s3://{bucket}/{prefix}", "--endpoint-url", moto.url]


def local_paths(site: Site) -> list[str]:
    return sorted(site.snapshot())


def test_every_object_has_its_type_cache_control_and_digest(
    site: Site, moto: MotoServer, bucket: str
) -> None:
    write_site(site)
    result = deploy(site, *target(moto, bucket))
    assert (result.exit_code, result.stderr) == (0, "")
    s3 = client(moto.url)
    listed = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert sorted(item["Key"] for item in listed) == [f"feeds/{p}" for p in local_paths(site)]
    expected = {
        "_media/asia/india/photo.png": ("image/png", "public, max-age=86400"),
        "asia/india/archive/1/rss.xml": (
            FEED_TYPES["rss.xml"],
            "public, max-age=31536000, immutable",
        ),
        "asia/india/archive/2/feed.json": (FEED_TYPES["feed.json"], "public, max-age=300"),
        "asia/india/atom.xml": (FEED_TYPES["atom.xml"], "public, max-age=300"),
        "asia/india/index.html": ("text/html; charset=utf-8", "public, max-age=300"),
        "feeds.opml": ("text/x-opml; charset=utf-8", "public, max-age=300"),
        "index.html": ("text/html; charset=utf-8", "public, max-age=300"),
    }
    for path, (content_type, cache_control) in expected.items():
        head = s3.head_object(Bucket=bucket, Key=f"feeds/{path}")
        assert (head["ContentType"], head["CacheControl"]) == (content_type, cache_control), path
        body = s3.get_object(Bucket=bucket, Key=f"feeds/{path}")["Body"].read()
        assert body == (site.out / path).read_bytes()
        headers = f"\0{content_type}\0{cache_control}".encode()
        digest = hashlib.sha256(body + headers).hexdigest()
        assert head["Metadata"] == {"feedpub-digest": digest}
        assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-meta-feedpub-digest"] == digest
    # archive page 2 is the newest: it gains a next-archive link when page 3 appears.
    # Two pages in three formats for three channels: the site, asia, india.
    assert len([p for p in local_paths(site) if p.split("/")[-3:-2] == ["archive"]]) == 18


def test_the_server_sees_media_archives_pages_feeds_then_opml_and_index(
    site: Site, moto: MotoServer, bucket: str
) -> None:
    write_site(site)
    mark = moto.mark()
    assert deploy(site, *target(moto, bucket), "--jobs", "4").exit_code == 0
    order = [key.removeprefix("feeds/") for key in moto.puts(mark, bucket)]
    assert sorted(order) == local_paths(site)

    def rank(path: str) -> int:
        if path.startswith("_media/"):
            return 0
        if "/archive/" in path or path.startswith("archive/"):
            return 1
        if path.endswith(".opml"):  # feeds.opml, countries.opml, regions.opml
            return 4
        if path == "index.html":
            return 5
        return 2 if path.endswith("index.html") else 3

    ranks = [rank(path) for path in order]
    assert ranks == sorted(ranks)
    assert set(ranks) == {0, 1, 2, 3, 4, 5}


def test_a_second_deploy_uploads_nothing_and_an_edit_only_what_changed(
    site: Site, moto: MotoServer, bucket: str
) -> None:
    write_site(site)
    assert deploy(site, *target(moto, bucket)).exit_code == 0
    total = len(local_paths(site))
    mark = moto.mark()
    result = deploy(site, *target(moto, bucket))
    assert result.output == f"s3://{bucket}/feeds/: 0 uploaded, {total} unchanged, 0 deleted\n"
    methods = {method for method, _, _ in moto.requests(mark, bucket)}
    assert methods == {"GET"}  # one listing; the ledger vouches for every object: no HEAD
    site.article("asia/india/day-4", title="Day 4, edited", date="2022-03-04", countries=["india"])
    report = site.build()
    changed = sorted(feed.path for feed in report.feeds if feed.changed)
    mark = moto.mark()
    result = deploy(site, *target(moto, bucket))
    assert sorted(k.removeprefix("feeds/") for k in moto.puts(mark, bucket)) == changed
    assert result.output.endswith(
        f"s3://{bucket}/feeds/: {len(changed)} uploaded, {total - len(changed)} unchanged, "
        "0 deleted\n"
    )


def test_a_bucket_changed_behind_our_back_is_put_right(
    site: Site, moto: MotoServer, bucket: str
) -> None:
    write_site(site)
    assert deploy(site, *target(moto, bucket)).exit_code == 0
    s3 = client(moto.url)
    s3.put_object(Bucket=bucket, Key="feeds/rss.xml", Body=b"<rss>defaced</rss>")
    s3.delete_object(Bucket=bucket, Key="feeds/asia/index.html")
    time.sleep(1.05)  # S3 times are whole seconds: a copy within our upload's second looks the same
    s3.copy_object(  # same bytes, the default type S3 gives: breaks feeds (PITFALLS)
        Bucket=bucket,
        Key="feeds/atom.xml",
        CopySource={"Bucket": bucket, "Key": "feeds/atom.xml"},
        ContentType="binary/octet-stream",
        MetadataDirective="REPLACE",
    )
    mark = moto.mark()
    assert deploy(site, *target(moto, bucket)).exit_code == 0
    assert sorted(moto.puts(mark, bucket)) == [
        "feeds/asia/index.html",
        "feeds/atom.xml",
        "feeds/rss.xml",
    ]
    for path in ("rss.xml", "atom.xml", "asia/index.html"):
        head = s3.head_object(Bucket=bucket, Key=f"feeds/{path}")
        assert head["ContentType"].endswith("; charset=utf-8"), path
        assert (
            s3.get_object(Bucket=bucket, Key=f"feeds/{path}")["Body"].read()
            == (site.out / path).read_bytes()
        )


def test_a_changed_cache_control_resends_only_its_kind(
    site: Site, moto: MotoServer, bucket: str
) -> None:
    write_site(site)
    assert deploy(site, *target(moto, bucket)).exit_code == 0
    config = copy.deepcopy(BASE_CONFIG)
    config["site"].update(limit=2, archive_page_size=2)
    config["deploy"] = {"cache_control": {"media": "public, max-age=604800, immutable"}}
    site.write_config(config)
    mark = moto.mark()
    assert deploy(site, *target(moto, bucket)).exit_code == 0
    assert moto.puts(mark, bucket) == ["feeds/_media/asia/india/photo.png"]
    head = client(moto.url).head_object(Bucket=bucket, Key="feeds/_media/asia/india/photo.png")
    assert head["CacheControl"] == "public, max-age=604800, immutable"


def test_dry_run_prints_the_plan_and_changes_nothing(
    site: Site, moto: MotoServer, bucket: str
) -> None:
    write_site(site)
    mark = moto.mark()
    result = deploy(site, *target(moto, bucket), "--dry-run")
    assert result.exit_code == 0
    assert {method for method, _, _ in moto.requests(mark, bucket)} == {"GET"}
    lines = result.output.splitlines()
    total = len(local_paths(site))
    assert lines[0] == (
        f"would upload s3://{bucket}/feeds/_media/asia/india/photo.png "
        "(media; image/png; public, max-age=86400)"
    )
    assert lines[-5:-2] == [
        f"would upload s3://{bucket}/feeds/{name} "
        "(opml; text/x-opml; charset=utf-8; public, max-age=300)"
        for name in ("countries.opml", "feeds.opml", "regions.opml")
    ]
    assert lines[-2] == (
        f"would upload s3://{bucket}/feeds/index.html "
        "(index; text/html; charset=utf-8; public, max-age=300)"
    )
    assert lines[-1] == (
        f"s3://{bucket}/feeds/: dry run: {total} to upload, 0 unchanged, 0 to delete; "
        "nothing was changed"
    )
    assert client(moto.url).list_objects_v2(Bucket=bucket)["KeyCount"] == 0
    assert not list(site.root.glob(".feedpub/deploy-*"))  # not even the ledger


def test_delete_removes_only_what_this_site_published(
    site: Site, moto: MotoServer, bucket: str
) -> None:
    write_site(site)
    assert deploy(site, *target(moto, bucket)).exit_code == 0
    s3 = client(moto.url)
    s3.put_object(Bucket=bucket, Key="feeds/podcast/rss.xml", Body=b"<rss/>")  # someone's
    s3.put_object(Bucket=bucket, Key="elsewhere/rss.xml", Body=b"<rss/>")  # outside the prefix
    config = copy.deepcopy(BASE_CONFIG)
    config["site"].update(limit=2, archive_page_size=2)
    del config["regions"]["europe"]
    site.write_config(config)
    site.build(prune=True)
    gone = [f"europe/{name}" for name in ("index.html", *FEED_TYPES)]
    gone += [f"europe/france/{name}" for name in ("index.html", *FEED_TYPES)]
    kept = deploy(site, *target(moto, bucket))
    assert kept.exit_code == 0
    assert kept.stderr == (
        f"warning: s3://{bucket}/feeds/: 8 files this site published no longer in the output "
        "folder; left in place (--delete removes them)\n"
    )
    result = deploy(site, *target(moto, bucket), "--delete")
    assert result.exit_code == 0
    assert [line for line in result.output.splitlines() if line.startswith("deleted")] == [
        f"deleted      s3://{bucket}/feeds/{path}" for path in sorted(gone)
    ]
    assert result.stderr == (
        f"warning: s3://{bucket}/feeds/: 1 file this site did not publish; left in place "
        "(--delete never removes them)\n"
    )
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert keys == {f"feeds/{p}" for p in local_paths(site)} | {
        "feeds/podcast/rss.xml",
        "elsewhere/rss.xml",
    }


def test_a_target_in_feeds_yaml_and_no_prefix(site: Site, moto: MotoServer, bucket: str) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["deploy"] = {"target": f"s3://{bucket}", "endpoint_url": moto.url}
    write_site(site, config)
    result = deploy(site)
    assert result.exit_code == 0
    keys = {item["Key"] for item in client(moto.url).list_objects_v2(Bucket=bucket)["Contents"]}
    assert keys == set(local_paths(site))
    assert result.output.endswith(f"s3://{bucket}/: {len(keys)} uploaded, 0 unchanged, 0 deleted\n")


def test_quiet_prints_nothing(site: Site, moto: MotoServer, bucket: str) -> None:
    write_site(site)
    result = deploy(site, *target(moto, bucket), "--quiet")
    assert (result.exit_code, result.output) == (0, "")


def test_a_missing_bucket_is_an_error_and_changes_nothing(
    site: Site, moto: MotoServer, bucket: str
) -> None:
    write_site(site)
    result = deploy(site, "s3://no-such-bucket/feeds", "--endpoint-url", moto.url)
    assert result.exit_code == 5
    assert result.stderr == (
        "feedpub: error: s3://no-such-bucket/feeds/: cannot list (HTTP 404 NoSuchBucket, "
        "after 1 try); nothing was changed\n"
    )


def test_no_credentials(
    site: Site, moto: MotoServer, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(site)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = deploy(site, *target(moto, bucket))
    assert result.exit_code == 5
    assert result.stderr == (
        f"feedpub: error: s3://{bucket}/feeds/: cannot list (no AWS credentials: set "
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, after 1 try); "
        "nothing was changed\n"
    )
