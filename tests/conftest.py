"""The fixtures every test folder shares; the helpers they use are in ``support/``."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.refusals import GOOD, OUTPUT_FILES, Snapshot, cli_build
from support.s3server import AWS_ENV, UNSET_ENV, MotoServer, client
from support.sites import BASE_CONFIG, ROOT, Site

pytest_plugins = ["e2e.readers.served"]  # the real-reader matrix's served sites


@pytest.fixture
def site(tmp_path: Path) -> Site:
    s = Site(tmp_path / "site")
    (s.root / "content").mkdir(parents=True)
    s.write_config(BASE_CONFIG)
    return s


@pytest.fixture
def sample(tmp_path: Path) -> Site:
    """A copy of the shipped sample site."""
    s = Site(tmp_path / "sample")
    s.root.mkdir()
    shutil.copy(ROOT / "feeds.yaml", s.config)
    shutil.copytree(ROOT / "content", s.root / "content")
    return s


@pytest.fixture
def published(site: Site) -> Snapshot:
    """A good site (feeds.yaml as the text ``GOOD``, whose lines the messages name) built once
    through the CLI; the snapshot of what it published: bytes, inode and mtime of every file."""
    site.write_config(GOOD)
    site.article("asia/good", title="Good", date="2022-03-01", countries=["india"])
    result = cli_build(site)
    assert (result.exit_code, result.stderr) == (0, "")
    snapshot = site.snapshot()
    assert len(snapshot) == OUTPUT_FILES
    return snapshot


@pytest.fixture(scope="session")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """moto's S3 server on 127.0.0.1, started once for the session (each test its bucket)."""
    server = MotoServer.start(tmp_path_factory.mktemp("moto"))
    yield server
    server.stop()


_buckets = itertools.count(1)


@pytest.fixture
def bucket(moto: MotoServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new, empty bucket on the moto server, and AWS settings that reach only it."""
    for name, value in AWS_ENV.items():
        monkeypatch.setenv(name, value)
    for name in UNSET_ENV:
        monkeypatch.delenv(name, raising=False)
    name = f"feeds-{next(_buckets)}"
    client(moto.url).create_bucket(Bucket=name)
    return name
