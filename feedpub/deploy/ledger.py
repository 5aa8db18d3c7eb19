"""What the state folder knows of one deploy target: for each file feedpub put there, the
digest it was sent with and, for S3, the object's ETag, size and modification time as a
listing shows them.

It saves requests and nothing else decides on it alone: an object whose listed ETag, size or
time differs from the ledger's (someone replaced it behind our back, or copied it onto itself
with other headers, in a later second than our upload: S3 times are whole seconds) is asked
for its own digest again; one the listing no longer shows is uploaded again. It also says
which files are this site's (``--delete`` removes no others) and which feeds changed since
the last deploy (the WebSub pings). One JSON file per output folder and target, replaced
atomically; a damaged or missing one costs requests (and pings for every feed), never a
wrong upload.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from feedpub.deploy.target import Target

LEDGER_VERSION = 1
Listed = tuple[str, int, int]  # an S3 object as a listing shows it: ETag, size, modified


@dataclass(frozen=True, slots=True)
class Entry:
    digest: str  # plan.LocalFile.digest of what was sent
    etag: str | None = None  # S3 only: the object's ETag, size and modification time (POSIX
    size: int | None = None  # seconds) when it had that digest; the time is known only once
    modified: int | None = None  # a listing or HeadObject showed it


class Ledger:
    """The entries of one target: loaded at the start of a deploy, updated as it goes, saved
    at its end (also after a failure: what was sent is known)."""

    def __init__(self, path: Path, target: str, entries: dict[str, Entry]) -> None:
        self.path = path
        self.target = target
        self.entries = entries
        self.before = dict(entries)  # as the last deploy left them

    @classmethod
    def load(cls, state: Path, out: Path, target: Target) -> Ledger:
        path = ledger_path(state, out, target)
        try:
            data = json.loads(path.read_bytes())
            if data.get("version") != LEDGER_VERSION or data.get("target") != str(target):
                return cls(path, str(target), {})
            entries = {str(p): Entry(str(d), e, s, m) for p, (d, e, s, m) in data["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(path, str(target), {})  # none yet, or damaged: only costs requests
        return cls(path, str(target), entries)

    def digest(self, path: str, listed: Listed) -> str | None:
        """The digest of the object at ``path`` if its listing matches what was recorded."""
        entry = self.entries.get(path)
        if (
            entry is None
            or entry.modified is None
            or (entry.etag, entry.size, entry.modified) != listed
        ):
            return None
        return entry.digest

    def settle(self, path: str, listed: Listed) -> None:
        """Learn the modification time of an object this run uploaded, from a listing that
        shows it as uploaded (same ETag and size)."""
        entry = self.entries.get(path)
        if entry is not None and entry.modified is None and (entry.etag, entry.size) == listed[:2]:
            self.entries[path] = Entry(entry.digest, *listed)

    def record(self, path: str, entry: Entry) -> None:
        self.entries[path] = entry

    def forget(self, path: str) -> None:
        self.entries.pop(path, None)

    def save(self) -> None:
        """Write the ledger (the caller turns an OSError into a warning: the deploy is done)."""
        files = {p: [e.digest, e.etag, e.size, e.modified] for p, e in sorted(self.entries.items())}
        text = json.dumps({"version": LEDGER_VERSION, "target": self.target, "files": files})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(text + "\n", encoding="utf-8")
        os.replace(temporary, self.path)


def ledger_path(state: Path, out: Path, target: Target) -> Path:
    """One file per output folder and target (sites may share a state folder)."""
    endpoint = getattr(target, "endpoint_url", None) or ""
    key = f"{out.resolve()}\0{target}\0{endpoint}"
    return state / f"deploy-{hashlib.blake2b(key.encode(), digest_size=6).hexdigest()}.json"
