"""Where ``feedpub deploy`` sends the output folder: an S3 bucket (and a prefix in it), or a
destination the real ``rsync`` writes (a daemon's ``rsync://`` module, ``HOST:PATH`` over
ssh, or a local folder). The one home of their spellings, read by feeds.yaml's check too.

Light (the standard library only): feeds.yaml's ``deploy.target`` is checked with it on
every build.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

# S3's bucket naming rules: 3 to 63 lower-case letters, digits, dots and hyphens, starting
# and ending with a letter or digit (R2, B2, MinIO and GCS accept these names too).
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\Z")
# [user@]host: before the first '/', as rsync itself decides a destination is remote.
_REMOTE_SHELL = re.compile(r"^(?:[^@/:\s]+@)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
DEFAULT_JOBS = 8  # S3 requests in flight at once (here: the CLI reads it on every run)
EXPECTED = "s3://BUCKET/PREFIX, rsync://HOST/MODULE/PATH, HOST:PATH or a folder"


@dataclass(frozen=True)
class S3Target:
    bucket: str
    prefix: str  # "" or "some/folder/": every object's key is prefix + output path
    endpoint_url: str | None = None  # None: AWS itself (or AWS_ENDPOINT_URL)

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def url(self, path: str) -> str:
        return f"{self}{path}"


@dataclass(frozen=True)
class RsyncTarget:
    destination: str  # as rsync reads it, ending with '/'

    def __str__(self) -> str:
        return self.destination

    def url(self, path: str) -> str:
        return self.destination + path

    @property
    def is_daemon(self) -> bool:
        return self.destination.startswith("rsync://")

    @property
    def is_local(self) -> bool:
        return not self.is_daemon and not _REMOTE_SHELL.match(self.destination)


Target = S3Target | RsyncTarget


def parse_target(text: str, endpoint_url: str | None = None) -> Target:
    """The target ``text`` names (``endpoint_url`` is an s3:// target's; others have none);
    a ValueError saying what is wrong with it. A relative folder is made absolute: the
    target's name keys what the state folder knows of it, so it must not depend on the
    folder feedpub runs in."""
    problem = target_problem(text)
    if problem:
        raise ValueError(problem)
    if text.startswith("s3://"):
        bucket, _, prefix = text.removeprefix("s3://").partition("/")
        prefix = prefix.strip("/")
        return S3Target(bucket, prefix + "/" if prefix else "", endpoint_url)
    if text.startswith("rsync://") or _REMOTE_SHELL.match(text):
        return RsyncTarget(text.rstrip("/") + "/")
    return RsyncTarget(os.path.abspath(text).rstrip("/") + "/")


def target_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a target (feeds.yaml's expected-form message), or None."""
    if not isinstance(value, str) or not value.strip() or _CONTROL.search(value):
        return EXPECTED
    if value.startswith("s3://"):
        bucket, _, prefix = value.removeprefix("s3://").partition("/")
        if not _BUCKET.match(bucket) or ".." in bucket:
            return (
                "s3://BUCKET/PREFIX with a bucket name of 3 to 63 lower-case letters, "
                "digits, dots and hyphens"
            )
        if any(part in (".", "..") for part in prefix.split("/")) or "//" in prefix.strip("/"):
            return "s3://BUCKET/PREFIX with a prefix of plain folder names"
        return None
    if value.startswith("rsync://"):
        host, _, module = value.removeprefix("rsync://").partition("/")
        return None if host and module.strip("/") else "rsync://HOST/MODULE/PATH"
    if "://" in value:
        return EXPECTED
    return None
