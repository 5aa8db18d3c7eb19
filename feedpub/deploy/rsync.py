"""A deploy through the real ``rsync`` command: to a daemon (``rsync://HOST/MODULE/PATH``),
over ssh (``[USER@]HOST:PATH``) or to a local folder.

rsync compares each file itself, by checksum (``--checksum``): a CI checkout's fresh mtimes
change nothing, and an unchanged file is not touched on the server, so its mtime, and the
web server's ETag and Last-Modified, stay. Each batch is one rsync run over the batch's list
of files (``--files-from``), so the order holds as for S3; rsync writes each file under a
temporary name and renames it, so a reader never sees half a file. Deletions are a last run
of only the files to delete (``--delete-missing-args``), never ``--delete`` on a folder:
nothing feedpub did not publish is ever removed. Content types and Cache-Control are the web
server's to set (README: Serving behind nginx).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterable

from feedpub.deploy.ledger import Entry, Ledger
from feedpub.deploy.plan import LocalFile
from feedpub.deploy.retry import BatchFailed, Failed, retried
from feedpub.deploy.target import RsyncTarget

RSYNC = "rsync"
IO_TIMEOUT = 60  # seconds without any data moving before rsync gives up (--timeout)
CONNECT_TIMEOUT = 20  # seconds to reach a daemon (--contimeout)
# rsync's exit codes (its man page) worth another try: the network, not the files.
TRANSIENT = {10, 12, 30, 35, 255}
MEANINGS = {
    1: "syntax or usage error",
    2: "protocol incompatibility",
    3: "errors selecting input/output files, dirs",
    5: "error starting client-server protocol",
    10: "error in socket I/O",
    11: "error in file I/O",
    12: "error in rsync protocol data stream",
    20: "received SIGUSR1 or SIGINT",
    23: "partial transfer due to error",
    24: "partial transfer due to vanished source files",
    30: "timeout in data send/receive",
    35: "timeout waiting for daemon connection",
    255: "the remote shell failed",
}
_ITEM = 11  # the width of rsync's %i
_DELETING = "*deleting"


class RsyncFailed(Exception):
    def __init__(self, code: int, stderr: str) -> None:
        super().__init__(code)
        self.code = code
        self.stderr = stderr


class RsyncStore:
    def __init__(self, target: RsyncTarget, ledger: Ledger, out: str) -> None:
        self.target = target
        self.ledger = ledger
        self.out = out.rstrip("/") + "/"

    def remote(self, local: set[str]) -> None:
        return None  # rsync compares every file by checksum itself

    def settle(self) -> None:
        pass  # the ledger holds digests only

    def send(self, batch: list[LocalFile], dry_run: bool) -> list[str]:
        lines = self._run(["--checksum", "--mkpath"], [f.path for f in batch], dry_run)
        if not dry_run:
            for file in batch:
                self.ledger.record(file.path, Entry(file.digest))
        return [line[_ITEM + 1 :] for line in lines if line[:2] in ("<f", ">f")]

    def delete(self, paths: list[str], dry_run: bool) -> list[str]:
        lines = self._run(["--delete-missing-args", "--mkpath"], paths, dry_run)
        if not dry_run:
            for path in paths:
                self.ledger.forget(path)
        return [line[_ITEM + 1 :] for line in lines if line.startswith(_DELETING)]

    def _run(self, options: list[str], paths: Iterable[str], dry_run: bool) -> list[str]:
        """One rsync run over ``paths``: the lines it itemized. A :class:`BatchFailed` once
        its tries are spent (what it did before failing is not trusted: a rerun checks it)."""
        with tempfile.NamedTemporaryFile("wb", prefix="feedpub-rsync-", suffix=".list") as listing:
            listing.write(b"".join(os.fsencode(path) + b"\0" for path in paths))
            listing.flush()
            command = self._command([*options, f"--files-from={listing.name}"], dry_run)
            try:
                output = retried(lambda: _rsync(command), classify)
            except Failed as exc:
                cause = exc.__cause__
                detail = cause.stderr if isinstance(cause, RsyncFailed) else ""
                failure = f"{self.target}: rsync failed ({exc})" + "".join(
                    f"\n  {line}" for line in detail.splitlines() if line.strip()
                )
                raise BatchFailed([], [failure]) from exc
        return output.splitlines()

    def _command(self, options: list[str], dry_run: bool) -> list[str]:
        command = [RSYNC, *options, "--from0", "--8-bit-output", f"--timeout={IO_TIMEOUT}"]
        command += ["--itemize-changes", "--out-format=%i %n"]
        if self.target.is_daemon:
            command.append(f"--contimeout={CONNECT_TIMEOUT}")
        if dry_run:
            command.append("--dry-run")
        return [*command, "--", self.out, self.target.destination]


def _rsync(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise RsyncFailed(-1, "") from exc
    if done.returncode:
        raise RsyncFailed(done.returncode, done.stderr.decode("utf-8", "backslashreplace"))
    return done.stdout.decode("utf-8", "surrogateescape")


def classify(exc: Exception) -> tuple[str, bool]:
    """(why rsync failed, and whether another try may succeed)."""
    if not isinstance(exc, RsyncFailed):
        raise exc
    if exc.code == -1:
        return "the rsync command is not installed", False
    meaning = MEANINGS.get(exc.code, "unknown error")
    return f"exit code {exc.code}: {meaning}", exc.code in TRANSIENT
