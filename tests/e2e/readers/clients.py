"""Real feed readers behind one small interface: subscribe to URLs, update, read what's stored.

Each `update()` returns, per subscribed URL, the items the reader stores after that update
(`Stored`), so a scenario can compare them with what the feed should show. The CLI readers
run in a folder of their own under the test's tmp_path.
"""

from __future__ import annotations

import email
import email.policy
import os
import sqlite3
import subprocess
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path


@dataclass(frozen=True)
class Stored:
    """One item as a reader keeps it. ``text`` is its summary and content, as stored."""

    id: str
    title: str
    link: str
    published: datetime | None
    text: str
    image: str | None
    author: str


class Client:
    name = ""
    formats: tuple[str, ...] = ("rss.xml", "atom.xml")
    conditional = True  # sends If-None-Match / If-Modified-Since
    image_enclosures = True  # stores an image enclosure (else the image is the lead figure)
    shows_edits = True  # an edited item (same id, new title) shows the new title
    all_authors: tuple[str, ...] = ()  # formats it keeps every author of (else one)

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True)
        self.urls: list[str] = []

    def subscribe(self, urls: list[str]) -> None:
        self.urls = list(urls)

    def update(self) -> dict[str, list[Stored]]:
        raise NotImplementedError


class LemonReader(Client):
    """lemon24/reader (PyPI `reader`): RSS, Atom and JSON Feed, in one database."""

    name = "reader"
    formats = ("rss.xml", "atom.xml", "feed.json")
    all_authors = ("feed.json",)  # of several RSS or Atom authors, it keeps the last

    def subscribe(self, urls: list[str]) -> None:
        from reader import make_reader

        super().subscribe(urls)
        self.reader = make_reader(str(self.folder / "db.sqlite"))
        for url in urls:
            self.reader.add_feed(url)
        self.counts: dict[str, tuple[int, int]] = {}

    def update(self) -> dict[str, list[Stored]]:
        self.counts = {}
        for result in self.reader.update_feeds_iter(scheduled=False):
            assert not isinstance(result.value, Exception), (result.url, result.value)
            value = result.value
            self.counts[result.url] = (value.new, value.modified) if value else (0, 0)
        return {url: self._stored(url) for url in self.urls}

    def _stored(self, url: str) -> list[Stored]:
        stored = []
        for entry in self.reader.get_entries(feed=url):
            text = " ".join([entry.summary or "", *(c.value for c in entry.content)])
            images = [e.href for e in entry.enclosures if (e.type or "").startswith("image/")]
            stored.append(
                Stored(
                    entry.id,
                    entry.title or "",
                    entry.link or "",
                    entry.published,
                    text,
                    images[0] if images else None,
                    entry.authors_str or "",
                )
            )
        return stored


class Newsboat(Client):
    """newsboat -x reload, one cache per feed (it stores a guid once across all feeds)."""

    name = "newsboat"
    image_enclosures = False  # it keeps only podcast (audio/video) enclosures
    # 2.21 saves Last-Modified after a download but reads 0 back at its next start (its
    # debug log shows it), so it never asks conditionally: a no-op rebuild is a full 200.
    conditional = False

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.binary = "newsboat"

    def update(self) -> dict[str, list[Stored]]:
        return {url: self._reload(index, url) for index, url in enumerate(self.urls)}

    def _reload(self, index: int, url: str) -> list[Stored]:
        home = self.folder / str(index)
        home.mkdir(exist_ok=True)
        (home / "urls").write_text(url + "\n")
        (home / "config").write_text("")
        cache = home / "cache.db"
        subprocess.run(
            [self.binary, "-x", "reload", "-u", "urls", "-c", str(cache), "-C", "config"],
            cwd=home,
            env={**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home)},
            check=True,
            capture_output=True,
            timeout=60,
        )
        with sqlite3.connect(cache) as db:
            rows = db.execute(
                "SELECT guid, title, url, pubDate, content, enclosure_url, author FROM rss_item "
                "WHERE feedurl = ? ORDER BY pubDate DESC",
                (url,),
            ).fetchall()
        return [
            Stored(guid, title, link, datetime.fromtimestamp(date, UTC), content, image or None, a)
            for guid, title, link, date, content, image, a in rows
        ]


class Sfeed(Client):
    """sfeed < file: fetched like sfeed_update does (curl, no conditional request)."""

    name = "sfeed"
    conditional = False

    def update(self) -> dict[str, list[Stored]]:
        result = {}
        for url in self.urls:
            with urllib.request.urlopen(url, timeout=30) as response:  # localhost
                data = response.read()
            tsv = subprocess.run(
                ["sfeed"], input=data, check=True, capture_output=True, timeout=60
            ).stdout.decode("utf-8")
            result[url] = [self._stored(line) for line in tsv.splitlines() if line]
        return result

    @staticmethod
    def _stored(line: str) -> Stored:
        # timestamp, title, link, content, content-type, id, author, enclosure, category
        fields = [_sfeed_unescape(f) for f in line.split("\t")]
        when = datetime.fromtimestamp(int(fields[0]), UTC) if fields[0] else None
        return Stored(
            fields[5], fields[1], fields[2], when, fields[3], fields[7] or None, fields[6]
        )


def _sfeed_unescape(value: str) -> str:
    return value.replace("\\t", "\t").replace("\\n", "\n").replace("\\\\", "\\")


class Rss2email(Client):
    """r2e with a local config and data file; a sendmail stub writes each mail to a folder."""

    name = "rss2email"
    image_enclosures = False  # it mails the content; the image is the lead figure
    shows_edits = False  # trust-guid: a known id is never mailed again
    html_mail = True  # r2e's own default is False: plain-text mail (html2text of the HTML)

    def subscribe(self, urls: list[str]) -> None:
        super().subscribe(urls)
        self.mail = self.folder / "mail"
        self.mail.mkdir()
        stub = self.folder / "sendmail"
        stub.write_text(
            '#!/bin/sh\nn=$(ls "$MAILDIR" | wc -l)\ncat > "$MAILDIR/$(printf %05d "$n").eml"\n'
        )
        stub.chmod(0o755)
        self._r2e("new", "me@example.org")  # it refuses an existing config: ours goes after
        (self.folder / "r2e.cfg").write_text(
            "[DEFAULT]\nfrom = r2e@example.org\nto = me@example.org\n"
            f"email-protocol = sendmail\nsendmail = {stub}\nhtml-mail = {self.html_mail}\n"
            "date-header = True\nuse-8bit = True\n"
        )
        for index, url in enumerate(urls):
            self._r2e("add", f"feed{index}", url)
        self.seen = 0

    def _r2e(self, *args: str) -> None:
        subprocess.run(
            ["r2e", "-c", "r2e.cfg", "-d", "r2e.json", *args],
            cwd=self.folder,
            env={**os.environ, "MAILDIR": str(self.mail), "HOME": str(self.folder)},
            check=True,
            capture_output=True,
            timeout=120,
        )

    def update(self) -> dict[str, list[Stored]]:
        """The mails this run sent (r2e keeps no items: what it mailed is what it shows)."""
        self._r2e("run")
        result: dict[str, list[Stored]] = {url: [] for url in self.urls}
        files = sorted(self.mail.iterdir())
        for path in files[self.seen :]:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            body = message.get_body(("html", "plain"))
            assert body is not None
            result[str(message["X-RSS-Feed"])].append(
                Stored(
                    str(message["X-RSS-ID"]),
                    str(message["Subject"]),
                    str(message["X-RSS-URL"]),
                    _mail_date(str(message["Date"])),
                    body.get_content(),
                    None,
                    str(message["From"]),
                )
            )
        self.seen = len(files)
        return result


def _mail_date(value: str) -> datetime:
    """r2e writes the entry's instant in UTC as -0000, which Python reads as naive."""
    when = parsedate_to_datetime(value)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


CLIENTS: dict[str, type[Client]] = {c.name: c for c in (LemonReader, Newsboat, Sfeed, Rss2email)}
PACKAGES = {"newsboat": "newsboat", "sfeed": "sfeed", "rss2email": "rss2email"}
COMMANDS = {"newsboat": "newsboat", "sfeed": "sfeed", "rss2email": "r2e"}
