"""Every OSError on the input side is a clear message naming the path, never a traceback
(issue 9): files that vanish mid-build, symlink loops, names that are not UTF-8, folders
where the state's files belong."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support.refusals import Snapshot, cli_build, error, path, refused, summary
from support.sites import Site

import feedpub.inputs.finding
import feedpub.pipeline.build
import feedpub.pipeline.site
from feedpub.cli import main


class _Vanishing:
    """A directory entry whose file is deleted just before feedpub stats it."""

    def __init__(self, entry: os.DirEntry[str]) -> None:
        self._entry = entry
        self.name, self.path = entry.name, entry.path

    def __getattr__(self, name: str) -> Any:
        return getattr(self._entry, name)

    def stat(self, **kwargs: Any) -> os.stat_result:
        os.unlink(self.path)
        return self._entry.stat(**kwargs)


def test_a_file_deleted_between_scan_and_stat(
    site: Site, published: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.article("asia/gone", title="Gone", date="2022-03-02", countries=["india"])
    real = os.scandir

    class Scandir:
        def __init__(self, folder: str) -> None:
            self._it = real(folder)

        def __enter__(self) -> Any:
            entries = self._it.__enter__()
            return (_Vanishing(e) if e.name == "gone.md" else e for e in entries)

        def __exit__(self, *exc: object) -> None:
            self._it.__exit__(*exc)

    monkeypatch.setattr(feedpub.inputs.finding.os, "scandir", Scandir)
    assert refused(site, published) == error(
        site, "asia/gone.md", ": vanished while feedpub was reading it; run again"
    )


def test_a_file_deleted_between_scan_and_read(
    site: Site, published: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    doomed = site.article("asia/gone", title="Gone", date="2022-03-02", countries=["india"])
    real = feedpub.pipeline.site.find_sources

    def then_delete(*args: Any) -> Any:
        found = real(*args)
        doomed.unlink()
        return found

    monkeypatch.setattr(feedpub.pipeline.site, "find_sources", then_delete)
    assert refused(site, published) == error(
        site, "asia/gone.md", ": cannot read: No such file or directory"
    )


def test_a_symlink_loop_to_a_file(site: Site, published: Snapshot) -> None:
    (site.root / "content" / "asia" / "loop.md").symlink_to("loop.md")
    assert refused(site, published) == error(
        site, "asia/loop.md", ": cannot read: Too many levels of symbolic links"
    )


def test_a_symlink_loop_between_folders(site: Site, published: Snapshot) -> None:
    (site.root / "content" / "a").symlink_to("b")
    (site.root / "content" / "b").symlink_to("a")
    assert refused(site, published) == (
        f"{path(site, 'a')}: cannot read: Too many levels of symbolic links\n"
        f"{path(site, 'b')}: cannot read: Too many levels of symbolic links\n" + summary(2)
    )


def test_a_file_name_that_is_not_utf8(site: Site, published: Snapshot) -> None:
    folder = os.fsencode(site.root / "content" / "asia")
    with open(os.path.join(folder, b"caf\xe9.md"), "wb") as handle:
        handle.write(b"---\ntitle: Cafe\ndate: 2022-03-02\n---\nBody.\n")
    assert refused(site, published) == error(
        site, "asia/caf\\xe9.md", ": file name is not UTF-8; rename it"
    )


def test_an_unreadable_folder(
    site: Site, published: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = site.root / "content" / "locked"
    locked.mkdir()
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads every folder (CI runs as root): the kernel's answer
        scandir = os.scandir

        def refuse_locked(folder: Any) -> Any:
            if os.path.samefile(folder, locked):
                raise PermissionError(13, "Permission denied", str(folder))
            return scandir(folder)

        monkeypatch.setattr(feedpub.inputs.finding.os, "scandir", refuse_locked)
    try:
        assert refused(site, published) == error(
            site, "locked", ": cannot read folder: Permission denied"
        )
    finally:
        locked.chmod(0o755)


def failed_with_io_error(site: Site, before: Snapshot) -> str:
    result = cli_build(site)
    assert result.exit_code == 5, result.output
    assert "Traceback" not in result.stderr
    return result.stderr


def test_a_folder_where_the_state_database_belongs(site: Site, published: Snapshot) -> None:
    store = next((site.root / ".feedpub").glob("state-*.sqlite"))
    store.unlink()
    store.mkdir()
    site.article("asia/new", title="New", date="2022-03-03", countries=["india"])
    assert failed_with_io_error(site, published) == (
        f"feedpub: error: cannot use the build state {store}: it is a folder; remove it\n"
    )


def test_a_folder_where_the_listings_belong(site: Site, published: Snapshot) -> None:
    index = next((site.root / ".feedpub").glob("state-*.listings"))
    index.unlink()
    index.mkdir()
    site.article("asia/new", title="New", date="2022-03-03", countries=["india"])
    assert failed_with_io_error(site, published) == (
        f"feedpub: error: cannot save build state {index}: Is a directory\n"
    )


def test_a_file_where_the_state_folder_belongs(site: Site, published: Snapshot) -> None:
    state = site.root / ".feedpub"
    for child in state.iterdir():
        child.unlink()
    state.rmdir()
    state.write_text("not a folder")
    assert failed_with_io_error(site, published) == (
        f"feedpub: error: cannot create the lock in {state}: File exists\n"
    )


def test_no_oserror_escapes_the_command(
    site: Site, published: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The net under everything: an OSError nobody foresaw still names its path."""

    def broken(*args: Any) -> Any:
        raise PermissionError(13, "Permission denied", "/somewhere/unforeseen")

    monkeypatch.setattr(feedpub.pipeline.build, "State", broken)
    assert failed_with_io_error(site, published) == (
        "feedpub: error: /somewhere/unforeseen: Permission denied\n"
    )
    assert Path("/somewhere").exists() is False


def test_no_oserror_escapes_validate(
    site: Site, published: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import feedpub.commands.validate

    def broken(*args: Any) -> Any:
        raise PermissionError(13, "Permission denied", "/somewhere/unforeseen")

    monkeypatch.setattr(feedpub.commands.validate, "expected_build", broken)
    result = CliRunner(catch_exceptions=False).invoke(
        main, ["validate", "--config", str(site.config)]
    )
    assert (result.exit_code, result.stderr) == (
        5,
        "feedpub: error: /somewhere/unforeseen: Permission denied\n",
    )
