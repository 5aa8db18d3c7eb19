"""A test site: written into a temp folder, built, its feeds read back (shared by every wing)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import feedparser
import yaml

from feedpub.pipeline.build import BuildOptions, BuildReport, build
from feedpub.validator import validate_document

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)

BASE_CONFIG: dict[str, Any] = {
    "site": {
        "title": "Test Desk",
        "description": "Test feeds",
        "url": "https://example.org/",
        "feeds_url": "https://example.org/feeds/",
        "language": "en",
        "timezone": "Asia/Colombo",
        "author": {"name": "Test Desk", "email": "desk@example.org"},
        "id_authority": "example.org,2022",
        "limit": 50,
    },
    "regions": {
        "asia": {
            "title": "Asia",
            "countries": {
                "sri-lanka": {"title": "Sri Lanka", "language": "si"},
                "india": {"title": "India"},
            },
        },
        "europe": {
            "title": "Europe",
            "countries": {"france": {"title": "France", "language": "fr"}},
        },
    },
}


@dataclass
class Site:
    root: Path

    @property
    def config(self) -> Path:
        return self.root / "feeds.yaml"

    @property
    def out(self) -> Path:
        return self.root / "public"

    def write_config(self, config: dict[str, Any] | str) -> None:
        text = config if isinstance(config, str) else yaml.safe_dump(config, allow_unicode=True)
        self.config.write_text(text, encoding="utf-8")

    def article(self, name: str, body: str = "Body text.\n", **front: Any) -> Path:
        """Write content/<name>.md with ``front`` as YAML front matter."""
        path = self.root / "content" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        matter = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{matter}---\n{body}", encoding="utf-8")
        return path

    def raw(self, name: str, data: bytes | str) -> Path:
        path = self.root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    def build(self, now: datetime = NOW, **options: Any) -> BuildReport:
        return build(BuildOptions(self.config, now=now, **options))

    def feed(self, path: str) -> Any:
        """A feed under public/, parsed by feedparser (bozo must be 0) or json; our validator
        must find nothing at all to say about it, not even a warning."""
        data = (self.out / path).read_bytes()
        feeds_url = yaml.safe_load(self.config.read_text())["site"]["feeds_url"]
        messages = validate_document(data, self_url=feeds_url.rstrip("/") + "/" + path)
        assert [m for m in messages if m.severity != "info"] == [], path
        if path.endswith(".json"):
            return json.loads(data)
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert_summaries_intact(parsed, path)
        return parsed

    def snapshot(self) -> dict[str, tuple[bytes, int, int]]:
        """Every file under public/ with its bytes, inode and mtime."""
        result = {}
        for path in sorted(self.out.rglob("*")):
            if path.is_file():
                st = path.stat()
                result[path.relative_to(self.out).as_posix()] = (
                    path.read_bytes(),
                    st.st_ino,
                    st.st_mtime_ns,
                )
        return result


def assert_summaries_intact(parsed: Any, where: str) -> None:
    """No element of an item hijacks feedparser's summary_detail (rss2email mails that one)."""
    for entry in parsed.entries:
        detail = entry.get("summary_detail")
        if detail is not None:
            assert detail.value == entry.summary, (where, entry.get("id"))


@contextmanager
def site_folder() -> Iterator[Path]:
    """A temporary folder for one example's site. Publishing's fsync calls are skipped: they
    make files durable, which a throwaway folder does not need, and cost most of a build."""
    with tempfile.TemporaryDirectory() as folder, mock.patch("os.fsync"):
        yield Path(folder)
