"""Checks of the HTML pages of an output folder (``index.html``, written by ``pages``), for
``feedpub validate``: parsed into the same tree by every browser (no element left open, no
stray or misnested end tag), a doctype, a ``lang`` for screen readers, a ``<title>``.

Not an HTML5 conformance checker: the standard library's tokenizer with the few tree rules a
page needs (void elements, the end tags HTML lets a page leave out, the start tags that close
them). The links a page names are handed back, for the folder's check that each feed link
points to a feed in the folder (:func:`check_feed_links`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote as url_quote
from urllib.parse import unquote, urljoin, urlsplit

from feedpub.formats import JSON, MEDIA_TYPES
from feedpub.languages import is_language
from feedpub.validator.messages import Message, Position, Report
from feedpub.validator.tree import quote

VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
# Elements whose end tag HTML lets a page leave out (the parser closes them itself).
OPTIONAL_END = frozenset(
    "html head body p li dt dd rb rt rtc rp optgroup option colgroup caption "
    "thead tbody tfoot tr td th".split()
)
_CLOSES_P = frozenset(
    "address article aside blockquote details dialog div dl fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section table ul".split()
)
# A start tag closes these while one is the open element (li closes the li before it).
_IMPLIED_END: dict[str, frozenset[str]] = {
    **{tag: frozenset({"p"}) for tag in _CLOSES_P},
    "body": frozenset({"head"}),
    "li": frozenset({"li", "p"}),
    "dt": frozenset({"dt", "dd", "p"}),
    "dd": frozenset({"dt", "dd", "p"}),
    "option": frozenset({"option"}),
    "optgroup": frozenset({"option", "optgroup"}),
    "tr": frozenset({"tr", "td", "th"}),
    "td": frozenset({"td", "th"}),
    "th": frozenset({"td", "th"}),
    **{tag: frozenset({"rb", "rt", "rtc", "rp"}) for tag in ("rb", "rtc")},
    **{tag: frozenset({"rb", "rt", "rp"}) for tag in ("rt", "rp")},
    **{
        tag: frozenset({"thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup"})
        for tag in ("thead", "tbody", "tfoot")
    },
}
_IMPLIED_ELEMENTS = frozenset({"html", "head", "body"})  # may end without having started
_FOREIGN = frozenset({"svg", "math"})  # inside them, <x/> closes itself
# JSON Feed's media type, and the one servers and older pages give it.
_JSON_TYPES = frozenset({JSON.media_type, "application/json"})
FEED_TYPES = frozenset(MEDIA_TYPES.values()) | _JSON_TYPES


@dataclass(frozen=True)
class PageLink:
    """A link a page names: ``<link rel="alternate">`` autodiscovery or an ``<a href>``."""

    element: str  # how messages name it: '<a>' or '<link rel="alternate">'
    href: str
    type: str | None
    position: Position

    @property
    def autodiscovery(self) -> bool:
        return self.element != "<a>"


@dataclass(frozen=True)
class CheckedPage:
    """A page's own messages, the links it names and the base URL it sets (``<base href>``)."""

    messages: list[Message]
    links: list[PageLink]
    base: str | None = None


@dataclass(frozen=True)
class Folder:
    """What a page's links are checked against: the address the folder is served at (None when
    unknown) and its feed documents (feeds and OPML), as paths relative to it."""

    base: str | None
    feeds: frozenset[str]


def check_page(data: bytes) -> CheckedPage:
    """The messages about one page, sorted by position, and the links it names."""
    report = Report()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", "replace")
        report.error(
            "UnicodeError",
            f"byte 0x{data[exc.start]:02X} is not valid UTF-8: feedpub's pages are UTF-8",
            (prefix.count("\n") + 1, len(prefix) - (prefix.rfind("\n") + 1) + 1),
        )
        text = data.decode("utf-8", "replace")
    parser = _PageParser(report)
    try:
        parser.feed(text.removeprefix("\ufeff"))
        parser.close()
    except Exception as exc:  # html.parser's own asserts on hostile input: report, never raise
        report.error("ValidatorBug", f"the page could not be parsed ({type(exc).__name__}: {exc})")
    parser.finish()
    return CheckedPage(report.messages(), parser.links, parser.base)


@dataclass
class _Open:
    tag: str
    position: Position


@dataclass
class _State:
    stack: list[_Open] = field(default_factory=list)
    doctype: bool = False
    started: bool = False  # a start tag was seen (the doctype must come before)
    html: Position | None = None
    lang: str | None = None
    title: Position | None = None
    title_text: list[str] = field(default_factory=list)
    closed_early: list[str] = field(default_factory=list)  # by a misnested end tag


class _PageParser(HTMLParser):
    def __init__(self, report: Report) -> None:
        super().__init__(convert_charrefs=True)
        self.report = report
        self.state = _State()
        self.links: list[PageLink] = []
        self.base: str | None = None

    def where(self) -> Position:
        line, offset = self.getpos()
        return (line, offset + 1)

    def handle_decl(self, decl: str) -> None:
        if decl.lower().split()[:2] == ["doctype", "html"] and not self.state.started:
            self.state.doctype = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # '<div/>' opens a <div> in HTML; only inside <svg> or <math> does the slash close it
        self._start(tag, attrs, closed=self._in_foreign())

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        state = self.state
        position = self.where()
        if not state.started and not state.doctype:
            self.report.error(
                "MissingDoctype",
                "the page must start with <!DOCTYPE html> (without it browsers use quirks mode)",
                (1, 1),
            )
        state.started = True
        values = {name: value or "" for name, value in reversed(attrs)}  # the first one counts
        self._note(tag, values, position)
        implied = _IMPLIED_END.get(tag, frozenset())
        while state.stack and state.stack[-1].tag in implied:
            state.stack.pop()
        if tag not in VOID_ELEMENTS and not closed:
            state.stack.append(_Open(tag, position))

    def _note(self, tag: str, values: dict[str, str], position: Position) -> None:
        """What the page-level rules need of a start tag."""
        state = self.state
        if tag == "html" and state.html is None:
            state.html, state.lang = position, values.get("lang")
        elif tag == "title" and state.title is None:
            state.title = position
        elif tag == "base" and self.base is None and "href" in values:
            self.base = values["href"].strip()
        elif tag == "a" and "href" in values:
            self.links.append(PageLink("<a>", values["href"], values.get("type"), position))
        elif tag == "link" and "alternate" in values.get("rel", "").lower().split():
            kind = values.get("type", "").split(";")[0].strip().lower()
            if kind in FEED_TYPES and "href" in values:
                element = '<link rel="alternate">'
                self.links.append(PageLink(element, values["href"], kind, position))

    def handle_endtag(self, tag: str) -> None:
        stack = self.state.stack
        index = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].tag == tag), None)
        if index is None:
            if tag in self.state.closed_early:  # its error is said: '<b> is still open at'
                self.state.closed_early.remove(tag)
            elif tag not in _IMPLIED_ELEMENTS:
                self.report.error("StrayEndTag", f"</{tag}> closes no open <{tag}>", self.where())
            return
        for inner in stack[index + 1 :]:
            if inner.tag not in OPTIONAL_END:
                self.report.error(
                    "MisnestedElement",
                    f"<{inner.tag}> (line {inner.position[0]}) is still open at </{tag}>",
                    self.where(),
                )
                self.state.closed_early.append(inner.tag)
        del stack[index:]

    def handle_data(self, data: str) -> None:
        stack = self.state.stack
        if stack and stack[-1].tag == "title":
            self.state.title_text.append(data)

    def _in_foreign(self) -> bool:
        return any(element.tag in _FOREIGN for element in self.state.stack)

    def finish(self) -> None:
        """The rules that need the whole page."""
        state = self.state
        for element in state.stack:
            if element.tag not in OPTIONAL_END:
                self.report.error(
                    "UnclosedElement",
                    f"<{element.tag}> is never closed (is the page cut short?)",
                    element.position,
                )
        if state.html is None:
            self.report.error(
                "MissingLanguage", "the page has no <html> element to carry its lang", (1, 1)
            )
        elif state.lang is None:
            self.report.error(
                "MissingLanguage",
                "<html> must have a lang attribute (screen readers choose a voice by it)",
                state.html,
            )
        elif not is_language(state.lang):
            self.report.error(
                "InvalidLanguage",
                f"<html> attribute 'lang' {quote(state.lang)} is not a language code like "
                "'en' or 'en-us'",
                state.html,
            )
        if state.title is None:
            text = "the page must have a <title> (tabs and screen readers show it)"
            self.report.error("MissingTitle", text, (1, 1))
        elif not "".join(state.title_text).strip():
            self.report.error("MissingTitle", "<title> is empty", state.title)


def check_feed_links(page: str, checked: CheckedPage, folder: Folder) -> list[Message]:
    """The messages about the feed links of the page at ``page`` (relative to the folder):
    every autodiscovery link (a page names its own feeds), and every ``<a>`` into the folder
    to a feed (by its type or its file name), must name a feed in the folder, and a type its
    format has."""
    base = folder.base or _LOCAL
    page_url = base + url_quote(page)
    if checked.base:
        page_url = urljoin(page_url, checked.base)
    report = Report()
    for link in checked.links:
        target = resolve(page_url, link.href, base)
        name = urlsplit(urljoin(page_url, link.href.strip(_HTML_SPACE))).path.rpartition("/")[2]
        if not link.autodiscovery and (target is None or not _names_a_feed(link, name)):
            continue  # an <a> out of the folder (a subfolder's link up to the OPML) is not ours
        problem = link_problem(link.href, target, folder)
        if problem is not None:
            report.error("BrokenFeedLink", f"{link.element} href {problem}", link.position)
        elif link.type is not None and target in folder.feeds:
            _check_type(report, link, name)
    return report.messages()


_HTML_SPACE = " \t\n\r\f"  # what HTML strips around a URL
_LOCAL = "file:///"  # the base of a folder whose address is unknown: relative links only


def resolve(page_url: str, href: str, base: str) -> str | None:
    """The folder-relative path ``href`` on the page at ``page_url`` names (a folder's page
    for a path ending in '/'), or None when it leads out of the folder ``base`` is."""
    url = urljoin(page_url, href.strip(_HTML_SPACE))
    parts = urlsplit(url)
    bare = parts._replace(query="", fragment="").geturl()
    if not bare.startswith(base):
        return None
    relative = unquote(bare[len(base) :])
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative


def link_problem(href: str, target: str | None, folder: Folder) -> str | None:
    """What is wrong with a link that must name one of ``folder``'s feeds, as the end of a
    message starting with the link's name ('<a> href ...'); None when nothing is."""
    if target is None and folder.base is None:
        return (
            f"{quote(href)} is not the address of a feed in this folder (no feed in it has "
            "a self link to say where the folder is served)"
        )
    if target is None:
        return f"{quote(href)} is not under this folder's address, {folder.base}"
    if target not in folder.feeds:
        return f"{quote(href)} names {target}, which is not a feed in this folder"
    return None


def _names_a_feed(link: PageLink, name: str) -> bool:
    kind = (link.type or "").split(";")[0].strip().lower()
    return kind in FEED_TYPES or name in MEDIA_TYPES or name.endswith(".opml")


def _check_type(report: Report, link: PageLink, name: str) -> None:
    expected = MEDIA_TYPES.get(name)
    kind = (link.type or "").split(";")[0].strip().lower()
    if expected is None or kind == expected or (kind in _JSON_TYPES and expected in _JSON_TYPES):
        return
    report.warning(
        "FeedLinkType",
        f"{link.element} type {quote(link.type or '')} is not the type of {name}, {expected!r}",
        link.position,
    )
