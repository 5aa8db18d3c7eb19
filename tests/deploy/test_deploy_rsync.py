"""``feedpub deploy`` through the real rsync: to a local folder and to an rsync daemon this
test starts on 127.0.0.1. The folder ends up byte for byte the output folder, an unchanged
file is never touched (its mtime and inode stay: the web server's ETag too), ``--delete``
removes only this site's files, and a failed batch stops the later kinds."""

from __future__ import annotations

import copy
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.deploying import deploy, write_site
from support.sites import BASE_CONFIG, Site

import feedpub.deploy.retry


@pytest.fixture(autouse=True)
def need_rsync() -> None:
    if shutil.which("rsync") is None:
        if os.environ.get("FEEDPUB_REQUIRE_TOOLS") == "1":
            pytest.fail("rsync is not installed (apt-get install rsync)")
        pytest.skip("rsync is not installed")


def tree(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def contents(folder: Path) -> dict[str, bytes]:
    return {path: data for path, (data, _, _) in tree(folder).items()}


def test_a_local_folder_gets_the_output_and_unchanged_files_stay_put(
    site: Site, tmp_path: Path
) -> None:
    write_site(site)
    www = tmp_path / "www" / "feeds"  # not there yet: made
    result = deploy(site, str(www))
    total = len(site.snapshot())
    assert (result.exit_code, result.stderr) == (0, "")
    assert (
        result.output.splitlines()[0] == f"uploaded     {www}/_media/asia/india/photo.png (media)"
    )
    assert result.output.splitlines()[-1] == f"{www}/: {total} uploaded, 0 unchanged, 0 deleted"
    assert contents(www) == contents(site.out)
    before = tree(www)
    time.sleep(0.01)
    again = deploy(site, str(www))
    assert again.output == f"{www}/: 0 uploaded, {total} unchanged, 0 deleted\n"
    assert tree(www) == before  # bytes, inodes and mtimes
    site.article("asia/india/day-4", title="Day 4, edited", date="2022-03-04", countries=["india"])
    changed = sorted(feed.path for feed in site.build().feeds if feed.changed)
    edited = deploy(site, str(www))
    sent = [line.split()[1].removeprefix(f"{www}/") for line in edited.output.splitlines()[:-1]]
    assert sorted(sent) == changed
    assert contents(www) == contents(site.out)
    after = tree(www)
    assert all(after[path] == before[path] for path in before if path not in changed)


def test_dry_run_writes_nothing(site: Site, tmp_path: Path) -> None:
    write_site(site)
    www = tmp_path / "www"
    www.mkdir()
    result = deploy(site, str(www), "--dry-run")
    total = len(site.snapshot())
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        f"{www}/: dry run: {total} to upload, 0 unchanged, 0 to delete; nothing was changed"
    )
    assert f"would upload {www}/index.html (index)" in result.output.splitlines()
    assert list(www.iterdir()) == []


def test_delete_removes_only_this_sites_files(site: Site, tmp_path: Path) -> None:
    write_site(site)
    www = tmp_path / "www"
    assert deploy(site, str(www)).exit_code == 0
    (www / "podcast").mkdir()
    (www / "podcast/rss.xml").write_bytes(b"<rss/>")  # someone else's
    config = copy.deepcopy(BASE_CONFIG)
    config["site"].update(limit=2, archive_page_size=2)
    del config["regions"]["europe"]
    site.write_config(config)
    site.build(prune=True)
    kept = deploy(site, str(www))
    assert kept.stderr == (
        f"warning: {www}/: 8 files this site published no longer in the output folder; "
        "left in place (--delete removes them)\n"
    )
    result = deploy(site, str(www), "--delete")
    assert result.exit_code == 0
    deleted = sorted(
        line.split()[1] for line in result.output.splitlines() if line.startswith("deleted")
    )
    names = ("atom.xml", "feed.json", "index.html", "rss.xml")
    assert deleted == sorted(f"{www}/{f}/{n}" for f in ("europe", "europe/france") for n in names)
    assert contents(www) == {**contents(site.out), "podcast/rss.xml": b"<rss/>"}


def test_a_failed_batch_stops_the_later_kinds_and_a_rerun_finishes(
    site: Site, tmp_path: Path
) -> None:
    write_site(site)
    www = tmp_path / "www"
    (www / "asia/index.html").mkdir(parents=True)  # a full folder where a page must go
    (www / "asia/index.html/x").write_bytes(b"")
    result = deploy(site, str(www))
    assert result.exit_code == 6
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"feedpub: error: {www}/: rsync failed (exit code 23: partial transfer due to error, "
        "after 1 try)"
    )
    assert all(line.startswith("  ") for line in lines[1:-1]) and len(lines) > 2  # rsync's own
    pages = sum(1 for path in site.snapshot() if path.endswith("/index.html"))
    sent = pages and sum(
        1 for path in site.snapshot() if path.startswith("_media/") or "archive/" in path
    )
    total = len(site.snapshot())
    assert lines[-1] == (
        f"{www}/: stopped part way: {sent} of {total} changed files uploaded, in order, so "
        "nothing there points at a file it lacks; run feedpub deploy again to finish"
    )
    assert not (www / "rss.xml").exists() and not (www / "index.html").exists()
    shutil.rmtree(www / "asia/index.html")
    again = deploy(site, str(www))
    assert again.exit_code == 0
    assert contents(www) == contents(site.out)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An rsync daemon on 127.0.0.1 with a writable module ``feeds``: (its URL, its folder)."""
    module = tmp_path / "module"
    module.mkdir()
    conf = tmp_path / "rsyncd.conf"
    conf.write_text(
        f"use chroot = false\nuid = {os.getuid()}\ngid = {os.getgid()}\n"
        f"[feeds]\npath = {module}\nread only = false\n"
    )
    port = free_port()
    process = subprocess.Popen(
        [
            "rsync",
            "--daemon",
            "--no-detach",
            "--address=127.0.0.1",
            f"--port={port}",
            f"--config={conf}",
            f"--log-file={tmp_path / 'rsyncd.log'}",
        ]
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"rsync://127.0.0.1:{port}/feeds", module
    finally:
        process.terminate()
        process.wait(10)


def test_an_rsync_daemon(site: Site, daemon: tuple[str, Path]) -> None:
    url, module = daemon
    write_site(site)
    result = deploy(site, f"{url}/site")
    assert (result.exit_code, result.stderr) == (0, "")
    assert contents(module / "site") == contents(site.out)
    total = len(site.snapshot())
    assert deploy(site, f"{url}/site").output == (
        f"{url}/site/: 0 uploaded, {total} unchanged, 0 deleted\n"
    )


def test_no_daemon_is_tried_again_with_backoff(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(site)
    slept: list[float] = []
    monkeypatch.setattr(feedpub.deploy.retry, "sleep", slept.append)
    url = f"rsync://127.0.0.1:{free_port()}/feeds"
    result = deploy(site, url)
    assert result.exit_code == 5
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"feedpub: error: {url}/: rsync failed (exit code 10: error in socket I/O, after 5 tries)"
    )
    assert lines[-1] == f"{url}/: nothing on it was changed"
    assert slept == [0.5, 1.0, 2.0, 4.0]
