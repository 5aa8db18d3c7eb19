"""An output folder that is a mount point: renames from beside it fail with EXDEV, so the
build stages on the output's own filesystem instead, still one atomic rename per file."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support.sites import Site

import feedpub.pipeline.publish
from feedpub.cli import main
from feedpub.pipeline.publish import INSIDE_STAGING, staging_folder

real_replace = os.replace


def cross_device(*, only_under: str = "") -> Any:
    """os.replace as across a mount: EXDEV for a move out of the folder beside the output
    (into ``only_under`` only, if given: a sub-folder of the output that is a mount)."""
    moves: list[tuple[str, str]] = []

    def replace(source: Any, destination: Any) -> None:
        source, destination = str(source), str(destination)
        if ".public.feedpub-staging" in source and f"/public/{only_under}" in destination:
            raise OSError(errno.EXDEV, "Invalid cross-device link", source, None, destination)
        moves.append((source, destination))
        real_replace(source, destination)

    return replace, moves


@pytest.mark.parametrize("mount", ["", "asia/"])
def test_a_mounted_output_folder_is_published_atomically(
    site: Site, monkeypatch: pytest.MonkeyPatch, mount: str
) -> None:
    site.article("asia/one", title="One", date="2022-03-01", countries=["india"])
    replace, moves = cross_device(only_under=mount)
    monkeypatch.setattr(feedpub.pipeline.publish.os, "replace", replace)
    report = site.build()
    assert len(report.feeds) >= 18 and all(feed.changed for feed in report.feeds)
    inside = str(site.out / INSIDE_STAGING)
    assert any(source.startswith(inside) for source, _ in moves)
    assert all(source.startswith(inside) for source, final in moves if f"/public/{mount}" in final)
    assert site.feed("asia/india/rss.xml").entries[0].title == "One"
    assert not (site.out / INSIDE_STAGING).exists()
    assert not staging_folder(site.out).exists()


def test_the_folder_beside_cannot_be_written(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    site.article("asia/one", title="One", date="2022-03-01", countries=["india"])
    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
        if self.name.endswith(".feedpub-staging") and self.name.startswith(".public"):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    site.build()
    assert site.feed("rss.xml").entries[0].title == "One"
    assert not (site.out / INSIDE_STAGING).exists()


def test_a_staging_leftover_inside_the_output_is_never_output(site: Site) -> None:
    site.article("asia/one", title="One", date="2022-03-01", countries=["india"])
    site.build()
    leftover = site.out / INSIDE_STAGING / "asia" / "rss.xml"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"<rss>half a feed")
    assert site.build().stale == []
    result = CliRunner().invoke(main, ["validate", str(site.out)])
    assert result.exit_code == 0, result.output
    assert INSIDE_STAGING not in result.output
    assert result.stderr.startswith("27 files checked: 0 errors")
    result = CliRunner().invoke(main, ["build", "--prune", "--quiet", "--config", str(site.config)])
    assert (result.exit_code, result.stderr) == (0, "")
    assert leftover.exists()  # not pruned as a feed; removed by the next build that publishes
    site.article("asia/two", title="Two", date="2022-03-02", countries=["india"])
    site.build()
    assert not (site.out / INSIDE_STAGING).exists()
