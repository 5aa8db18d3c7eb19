"""WebSub: after a build has published, tell each hub of ``site.websub_hub`` which feeds changed.

Each changed current feed is one ``POST`` of ``hub.mode=publish`` and ``hub.url=<feed URL>``
(form-encoded) to each hub, tried up to three times with short pauses. A hub that cannot be
reached does not fail the build and never touches the feeds: it is a warning, and its pings
wait in the state folder for the next run (a run with nothing to build retries them too), so
a hub outage loses no notification. A hub that refuses a ping outright (a 4xx answer other
than 408 and 429, or a redirect) is warned about once and not asked again.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from feedpub import __version__
from feedpub.errors import Problem
from feedpub.formats import FEED_FILENAMES
from feedpub.layout import StateFiles, is_archive_page
from feedpub.model import Config

TIMEOUT = 10.0  # seconds for one request (tests make it short)
PAUSES = (0.5, 1.0)  # before the second and the third try
Ping = tuple[str, str]  # (hub, feed URL)


@dataclass(frozen=True)
class Failure:
    reason: str
    retry: bool  # whether trying again later may succeed


def announce(config: Config, state: Path, out: Path, changed: Iterable[str]) -> list[Problem]:
    """Ping every hub for each changed current feed (``changed``: output-relative paths of the
    documents this run wrote) and for the pings earlier runs could not deliver; keep what is
    still undelivered. Returns the warnings."""
    site = config.site
    hubs = site.websub_hub
    queue = queue_path(state, out)
    pending = _load(queue)
    pings = {ping for ping in pending if ping[0] in hubs}
    for path in changed:
        if path.rsplit("/", 1)[-1] not in FEED_FILENAMES:
            continue  # an HTML page or the OPML: no WebSub topic
        if not (site.archives and is_archive_page(path)):  # archive pages name no hub
            pings.update((hub, site.feeds_url + path) for hub in hubs)
    undelivered, warnings = deliver(sorted(pings)) if pings else ([], [])
    if undelivered or pending:
        try:
            _save(queue, undelivered)
        except OSError as exc:  # the feeds are published: only the retry is lost
            warnings.append(
                Problem(str(queue), f"cannot keep the undelivered WebSub pings: {exc.strerror}")
            )
    return warnings


def deliver(pings: list[Ping]) -> tuple[list[Ping], list[Problem]]:
    """(the pings to try again on the next run, warnings). A hub that fails one ping is not
    asked for the rest in this run, so a dead hub costs one ping's tries, not one per feed."""
    undelivered: list[Ping] = []
    warnings = []
    for hub, group in groupby(pings, key=itemgetter(0)):
        urls = [url for _, url in group]
        for index, url in enumerate(urls):
            failure = ping(hub, url)
            if failure is None:
                continue
            if not failure.retry:
                warnings.append(
                    Problem(hub, f"WebSub hub refused the ping for {url} ({failure.reason})")
                )
                continue
            kept = urls[index:]
            undelivered += [(hub, url) for url in kept]
            count = f"{len(kept)} feed{'s' * (len(kept) != 1)}"
            warnings.append(
                Problem(
                    hub,
                    f"WebSub hub not reached ({failure.reason}, {1 + len(PAUSES)} tries); "
                    f"{count} will be announced on the next run",
                )
            )
            break
    return undelivered, warnings


def ping(hub: str, url: str) -> Failure | None:
    """Tell ``hub`` that the feed at ``url`` changed, trying again after short pauses."""
    failure = _post(hub, url)
    for pause in PAUSES:
        if failure is None or not failure.retry:
            break
        time.sleep(pause)
        failure = _post(hub, url)
    return failure


def _post(hub: str, url: str) -> Failure | None:
    import urllib.error
    import urllib.parse
    import urllib.request

    request = urllib.request.Request(
        hub,
        data=urllib.parse.urlencode({"hub.mode": "publish", "hub.url": url}).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": f"feedpub/{__version__}",
        },
        method="POST",
    )
    try:
        with _opener().open(request, timeout=TIMEOUT) as response:
            response.read(65536)
    except urllib.error.HTTPError as exc:
        retry = exc.code >= 500 or exc.code in (408, 429)
        return Failure(f"HTTP {exc.code}", retry)  # a 3xx too: not followed, not retried
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError):
            return Failure(f"no answer within {TIMEOUT:g} s", True)
        return Failure(str(reason), True)
    return None


@functools.cache
def _opener() -> Any:
    """urllib without redirects: a hub that moved must be configured anew, and a POST is
    never re-sent elsewhere. Made on first use, so a run that pings no hub imports nothing."""
    import urllib.request

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    return urllib.request.build_opener(NoRedirects)


def queue_path(state: Path, out: Path) -> Path:
    """The pending pings of one output folder (two sites may share a state folder)."""
    return StateFiles.of(state, out).websub_queue


def _load(path: Path) -> list[Ping]:
    try:
        raw = path.read_bytes()
    except OSError:
        return []  # usually: none waits (and then a no-op build imports no json)
    import json

    try:
        data = json.loads(raw)
        return [(str(hub), str(url)) for hub, url in data["pending"]]
    except (ValueError, KeyError, TypeError):
        return []  # damaged: those notifications are lost, the next change sends new ones


def _save(path: Path, pings: list[Ping]) -> None:
    if not pings:
        path.unlink(missing_ok=True)
        return
    import json

    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({"pending": pings}, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, path)
