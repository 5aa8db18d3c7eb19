"""The two kinds of target behind one interface: an S3 bucket (boto3) and an rsync
destination (the real ``rsync``). Each is imported only when a deploy uses it."""

from __future__ import annotations

from typing import Protocol

from feedpub.deploy.ledger import Ledger
from feedpub.deploy.plan import LocalFile
from feedpub.deploy.target import DEFAULT_JOBS, S3Target, Target
from feedpub.errors import DeployError


class Store(Protocol):
    def remote(self, local: set[str]) -> dict[str, str | None] | None:
        """Every path the target holds under it and its feedpub digest (None when unknown),
        or None when the target cannot be listed and compares for itself (rsync). Asks for
        the digest only of the paths in ``local``. A :class:`DeployError` if it fails."""
        ...

    def send(self, batch: list[LocalFile], dry_run: bool) -> list[str]:
        """Upload ``batch`` (or, ``dry_run``, only say what would be); the paths sent."""
        ...

    def delete(self, paths: list[str], dry_run: bool) -> list[str]:
        """Delete ``paths`` from the target; the paths deleted."""
        ...

    def settle(self) -> None:
        """After a run that changed the target: learn what the ledger needs of the new files
        (a failure here is the caller's warning: the files are there)."""
        ...


def open_store(target: Target, ledger: Ledger, out: str, jobs: int = DEFAULT_JOBS) -> Store:
    """The store for ``target``, sending from the output folder ``out``."""
    if isinstance(target, S3Target):
        try:
            from feedpub.deploy.s3 import S3Store
        except ImportError as exc:
            raise DeployError(
                f"{target}: an s3:// target needs boto3: pip install 'feedpub[s3]'"
            ) from exc

        return S3Store(target, ledger, out, jobs)
    from feedpub.deploy.rsync import RsyncStore

    return RsyncStore(target, ledger, out)
