"""``feedpub check --live URL``: the site's feeds as a reader meets them where they are served.

From the outside, with nothing but HTTP: the feeds are found in ``URL`` + ``feeds.opml`` (each
channel it lists, in every format). Each feed must answer 200 with its media type and
``charset=utf-8`` (:func:`feedpub.formats.media_type`), carry an ETag or a Last-Modified,
answer a conditional re-fetch with 304, have a Last-Modified no older than its newest item,
be a feed and not an HTML page (a bot wall's challenge), and name the address it was fetched
from as its self link. With the site's feeds.yaml at hand, its hubs must be the feed's, and
a body that differs from the output folder's file is reported (deployed before the last
build, or rewritten on the way).
"""

from __future__ import annotations

import email.utils
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from feedpub import __version__
from feedpub.formats import FEED_FILENAMES, media_type
from feedpub.layout import OPML_PATH
from feedpub.validator import namespaces as ns
from feedpub.validator.feedview import read_view

USER_AGENT = f"feedpub-check/{__version__} (a feed reader's fetch; +https://pypi.org/p/feedpub)"
TIMEOUT = 15  # seconds per request
XML_TYPES = ("application/xml", "text/xml")  # generic: readers cope, feedparser warns


class Finding(NamedTuple):
    """One fault of one served file: its URL, error or warning, the rule, what is wrong."""

    url: str
    severity: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.url}: {self.severity} {self.rule}: {self.message}"


@dataclass(frozen=True)
class Local:
    """What the site says a feed should be: its output folder and hubs (from feeds.yaml)."""

    out: Path
    feeds_url: str
    hubs: tuple[str, ...]


class Response(NamedTuple):
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes
    url: str  # after redirects


def local_site(config_path: Path) -> Local:
    """What feeds.yaml at ``config_path`` says of its feeds (an InputError if it is wrong)."""
    from feedpub.pipeline.site import Site

    site = Site.open(config_path)
    return Local(site.paths.out, site.config.site.feeds_url, site.config.site.websub_hub)


def check_live(base: str, local: Local | None = None) -> list[Finding]:
    """Every fault of the feeds served under ``base`` (a URL ending in ``/``)."""
    opml_url = base + OPML_PATH
    opml = fetch(opml_url)
    if opml.status != 200:
        return [Finding(opml_url, "error", "live-status", f"answers {opml.status}, not 200")]
    relatives = _listed(opml.body)
    if relatives is None:
        return [Finding(opml_url, "error", "live-body", "is not the site's OPML")]
    findings = []
    for relative in relatives:
        findings += check_feed(base + relative, relative, local)
    return findings


def _listed(data: bytes) -> list[str] | None:
    """Each feed the OPML's channels have (every format of each), relative to the site's
    feeds address: the combined channel's RSS feed, listed first, tells where that is."""
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    urls = [str(o.get("xmlUrl")) for o in root.iter("outline") if o.get("xmlUrl")]
    if root.tag != "opml" or not urls:
        return None
    feeds_url = urls[0].rsplit("/", 1)[0] + "/"
    folders = []
    for url in urls:
        relative = url.removeprefix(feeds_url)
        folders.append(relative.rsplit("/", 1)[0] + "/" if "/" in relative else "")
    return [folder + name for folder in dict.fromkeys(folders) for name in FEED_FILENAMES]


def check_feed(url: str, relative: str, local: Local | None) -> list[Finding]:
    """The faults of the feed at ``url`` (``relative`` to the site's feeds address)."""
    response = fetch(url)
    if response.status != 200:
        return [Finding(url, "error", "live-status", f"answers {response.status}, not 200")]
    found = []
    if response.url != url:
        found.append(Finding(url, "warning", "live-status", f"redirects to {response.url}"))
    body = _body(url, response)
    if body:
        return found + body
    found += _type(url, relative, response.headers.get("content-type", ""))
    found += _freshness(url, response)
    found += _links(url, relative, response.body, local)
    if local is not None and local.out.is_dir():  # none there: built elsewhere (a preview)
        found += _same_as_built(url, relative, response.body, local)
    return found


def fetch(url: str, headers: dict[str, str] | None = None) -> Response:
    """One GET as a feed reader sends it (a 4xx or 5xx is a response, not an error)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            return Response(answer.status, _lower(answer.headers), answer.read(), answer.url)
    except urllib.error.HTTPError as exc:
        return Response(exc.code, _lower(exc.headers), exc.read(), url)
    except (urllib.error.URLError, OSError) as exc:
        return Response(0, {}, str(getattr(exc, "reason", exc)).encode(), url)


def _lower(headers: object) -> dict[str, str]:
    items = headers.items() if hasattr(headers, "items") else []
    return {str(name).lower(): str(value) for name, value in items}


def _body(url: str, response: Response) -> list[Finding]:
    """A body that is no feed: an HTML page (a bot wall's challenge, an error page)."""
    head = response.body[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return [
            Finding(
                url,
                "error",
                "live-body",
                "is an HTML page, not the feed (a bot wall's challenge or an error page?)",
            )
        ]
    root = None if url.endswith(".json") else _xml(response.body)
    if read_view(response.body, root) is None:
        return [Finding(url, "error", "live-body", "is not a feed feedpub can read")]
    return []


def _xml(data: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None


def _type(url: str, relative: str, header: str) -> list[Finding]:
    """Its Content-Type: the format's own, with charset=utf-8."""
    expected = media_type(relative.rsplit("/", 1)[-1])
    kind = header.split(";", 1)[0].strip().lower()
    wanted = expected.split(";", 1)[0]
    if kind != wanted:
        generic = kind in XML_TYPES and not relative.endswith(".json")
        return [
            Finding(
                url,
                "warning" if generic else "error",
                "live-type",
                f"is served as {header or 'no type'!r}, not {expected!r}",
            )
        ]
    if "charset=utf-8" not in header.lower().replace(" ", ""):
        return [Finding(url, "warning", "live-type", f"says no charset=utf-8 ({header!r})")]
    return []


def _freshness(url: str, response: Response) -> list[Finding]:
    """ETag or Last-Modified, a 304 to a conditional re-fetch, and a Last-Modified no older
    than the newest item."""
    etag = response.headers.get("etag")
    modified = response.headers.get("last-modified")
    if not etag and not modified:
        message = "has neither ETag nor Last-Modified: readers fetch it whole every time"
        return [Finding(url, "error", "live-validators", message)]
    conditions = {"If-None-Match": etag} if etag else {}
    if modified:
        conditions["If-Modified-Since"] = modified
    again = fetch(url, conditions)
    found = []
    if again.status != 304:
        message = f"answers a conditional re-fetch with {again.status}, not 304"
        found.append(Finding(url, "error", "live-304", message))
    newest = _newest(response.body, url)
    stamp = _http_date(modified) if modified else None
    if stamp is not None and newest is not None and stamp < newest.replace(microsecond=0):
        message = (
            f"Last-Modified {modified} is older than its newest item ({newest.isoformat()}): "
            "readers that trust it skip the feed"
        )
        found.append(Finding(url, "error", "live-last-modified", message))
    return found


def _newest(body: bytes, url: str) -> datetime | None:
    root = None if url.endswith(".json") else _xml(body)
    view = read_view(body, root)
    dates = [entry.date for entry in view.entries if entry.date] if view else []
    return max(dates, default=None)


def _http_date(value: str) -> datetime | None:
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def _links(url: str, relative: str, body: bytes, local: Local | None) -> list[Finding]:
    """The self link names ``url``; the hubs are the site's (when its feeds.yaml is known)."""
    self_url, hubs = _self_and_hubs(body, relative)
    found = []
    if self_url != url:
        message = f"names {self_url or 'no address'} as its own, not the address it is served at"
        found.append(Finding(url, "error", "live-self", message))
    if local is not None and set(hubs) != set(local.hubs):
        message = f"names the hubs {sorted(hubs)}, not the site's {sorted(local.hubs)}"
        found.append(Finding(url, "error", "live-hub", message))
    return found


def _self_and_hubs(body: bytes, relative: str) -> tuple[str | None, list[str]]:
    if relative.endswith(".json"):
        data = json.loads(body)
        return data.get("feed_url"), [h.get("url") for h in data.get("hubs", [])]
    root = _xml(body)
    assert root is not None  # _body read it
    links = [x for x in root.iter(f"{{{ns.ATOM}}}link") if x.get("rel") in ("self", "hub")]
    selves = [x.get("href") for x in links if x.get("rel") == "self"]
    return (selves[0] if selves else None), [
        x.get("href", "") for x in links if x.get("rel") == "hub"
    ]


def _same_as_built(url: str, relative: str, body: bytes, local: Local) -> list[Finding]:
    """A body other than the output folder's file (the self links differ by address only
    when the site is checked where feeds.yaml does not say it is served)."""
    try:
        built = (local.out / relative).read_bytes()
    except OSError:
        return [Finding(url, "warning", "live-body", "is not in the output folder")]
    served_at = url.removesuffix(relative)
    if served_at != local.feeds_url:
        built = built.replace(local.feeds_url.encode(), served_at.encode())
    if body != built:
        message = "differs from the output folder's (deployed before the last build?)"
        return [Finding(url, "warning", "live-body", message)]
    return []
