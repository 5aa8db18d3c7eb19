"""Checks of the HTML pages of an output folder (``index.html``, written by ``pages``), for
``feedpub validate``: parsed into the same tree by every browser (no element left open, no
stray or misnested end tag), a doctype, a ``lang`` for screen readers, a ``<title>``.

Not an HTML5 conformance checker: a one-pass tokenizer (tags, comments, declarations, the
raw text of <script>, <style>, <title>, <textarea>) with the few tree rules a page needs (void
elements, the end tags HTML lets a page leave out, the start tags that close them). Not the
standard library's html.parser: it takes quadratic time on hostile pages. The links a page
names are handed back, for the folder's check that each feed link points to a feed in the
folder (:func:`check_feed_links`).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
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
    parser = _PageReader(report, text.removeprefix("\ufeff"))
    try:
        parser.read()
    except Exception as exc:  # a bug in a rule must not reach the caller
        report.error("ValidatorBug", f"the page could not be checked ({type(exc).__name__}: {exc})")
    parser.finish()
    return CheckedPage(report.messages(), parser.links, parser.base)


@dataclass
class _Open:
    tag: str
    position: Position


@dataclass
class _State:
    stack: list[_Open] = field(default_factory=list)
    open_names: Counter[str] = field(default_factory=Counter)  # the stack's tags, counted
    foreign: int = 0  # how many <svg> and <math> are open
    doctype: bool = False
    started: bool = False  # a start tag was seen (the doctype must come before)
    html: Position | None = None
    lang: str | None = None
    title: Position | None = None
    title_text: str = ""
    closed_early: Counter[str] = field(default_factory=Counter)  # by a misnested end tag
    said: Counter[str] = field(default_factory=Counter)  # messages per code


# The tokenizer: every search starts where the last one ended and a tag that never ends
# ends the page (as in HTML), so a hostile page costs time in proportion to its size.
_TEXT_END = re.compile(r"<(?=[A-Za-z/!?])")
_NAME = re.compile(r"[^\s/>]*+")
_BETWEEN = re.compile(r"[\s/]*+")
_ATTRIBUTE_NAME = re.compile(r"=?[^\s/>=]*+")
_EQUALS = re.compile(r"\s*+=\s*+")
_UNQUOTED = re.compile(r"[^\s>]*+")
_RAW_TEXT = frozenset({"script", "style", "title", "textarea"})  # text up to their end tag
MESSAGES_PER_CODE = 50


class _PageReader:
    """Reads a page's tags in order, keeping the tree rules' stack of open elements."""

    def __init__(self, report: Report, text: str) -> None:
        self.report = report
        self.text = text
        self.lines = [0] + [m.end() for m in re.finditer("\n", text)]
        self.state = _State()
        self.links: list[PageLink] = []
        self.base: str | None = None

    def at(self, offset: int) -> Position:
        line = bisect.bisect_right(self.lines, offset)
        return (line, offset - self.lines[line - 1] + 1)

    def say(self, code: str, text: str, position: Position) -> None:
        """Report an error; past MESSAGES_PER_CODE of one code, one last line says so."""
        said = self.state.said
        said[code] += 1
        if said[code] <= MESSAGES_PER_CODE:
            self.report.error(code, text, position)
        elif said[code] == MESSAGES_PER_CODE + 1:
            self.report.error(code, f"more than {MESSAGES_PER_CODE} of these; not listed", position)

    def read(self) -> None:
        text, pos = self.text, 0
        while (found := _TEXT_END.search(text, pos)) is not None:
            start = found.start()
            if text.startswith("<!--", start):
                end = text.find("-->", start + 4)
                pos = len(text) if end < 0 else end + 3
            elif text[start + 1] in "!?":
                end = text.find(">", start)
                if end < 0:
                    return
                self._declaration(text[start + 2 : end])
                pos = end + 1
            elif text[start + 1] == "/":
                end = text.find(">", start)
                if end < 0:
                    return
                name = _NAME.match(text, start + 2)
                if name and name[0] and name[0][0].isalpha():
                    self._end(name[0].lower(), self.at(start))
                pos = end + 1
            else:
                tag = self._start_tag(start)
                if tag is None:
                    return  # the page ends inside a tag: it never opened
                pos = tag
        return

    def _declaration(self, inside: str) -> None:
        if inside.lower().split()[:2] == ["doctype", "html"] and not self.state.started:
            self.state.doctype = True

    def _start_tag(self, start: int) -> int | None:
        """Read the start tag at ``start``; where reading goes on (None: the page ends in it)."""
        text = self.text
        name_match = _NAME.match(text, start + 1)
        assert name_match is not None  # it matches the empty string
        name = name_match[0].lower()
        values: dict[str, str] = {}
        pos, slash = name_match.end(), False
        while True:
            between = _BETWEEN.match(text, pos)
            assert between is not None
            slash = between[0].endswith("/") or (slash and not between[0])
            pos = between.end()
            if pos >= len(text):
                return None
            if text[pos] == ">":
                break
            attribute = _ATTRIBUTE_NAME.match(text, pos)
            assert attribute is not None
            key, pos, value = attribute[0].lower(), attribute.end(), ""
            equals = _EQUALS.match(text, pos)
            if equals is not None:
                pos = equals.end()
                if pos >= len(text):
                    return None
                if text[pos] in "\"'":
                    close = text.find(text[pos], pos + 1)
                    if close < 0:
                        return None
                    value, pos = text[pos + 1 : close], close + 1
                else:
                    unquoted = _UNQUOTED.match(text, pos)
                    assert unquoted is not None
                    value, pos = unquoted[0], unquoted.end()
                slash = False
            values.setdefault(key, unescape(value))  # the first one counts
        self._start(name, values, self.at(start), closed=slash and self.state.foreign > 0)
        pos += 1
        stack = self.state.stack
        if name in _RAW_TEXT and stack and stack[-1].tag == name:
            pos = self._raw_text(name, pos)
        return pos

    def _raw_text(self, name: str, pos: int) -> int:
        """Skip a <script>, <style>, <title> or <textarea>'s text (no tags in it) to its end
        tag, which is then read; the title's text is kept."""
        end = re.compile(rf"</{name}(?=[\s/>])", re.I).search(self.text, pos)
        stop = len(self.text) if end is None else end.start()
        if name == "title" and not self.state.title_text:
            self.state.title_text = unescape(self.text[pos:stop])
        return stop

    def _start(self, tag: str, values: dict[str, str], position: Position, closed: bool) -> None:
        state = self.state
        if not state.started and not state.doctype:
            self.say(
                "MissingDoctype",
                "the page must start with <!DOCTYPE html> (without it browsers use quirks mode)",
                (1, 1),
            )
        state.started = True
        self._note(tag, values, position)
        implied = _IMPLIED_END.get(tag, frozenset())
        while state.stack and state.stack[-1].tag in implied:
            self._pop()
        if tag not in VOID_ELEMENTS and not closed:
            state.stack.append(_Open(tag, position))
            state.open_names[tag] += 1
            state.foreign += tag in _FOREIGN

    def _pop(self) -> _Open:
        state = self.state
        element = state.stack.pop()
        state.open_names[element.tag] -= 1
        state.foreign -= element.tag in _FOREIGN
        return element

    def _note(self, tag: str, values: dict[str, str], position: Position) -> None:
        """What the page-level rules need of a start tag."""
        state = self.state
        if tag == "html" and state.html is None:
            state.html, state.lang = position, values.get("lang")
        elif tag == "title" and state.title is None:
            state.title = position
        elif tag == "base" and self.base is None and "href" in values:
            self.base = values["href"].strip(_HTML_SPACE)
        elif tag == "a" and "href" in values:
            self.links.append(PageLink("<a>", values["href"], values.get("type"), position))
        elif tag == "link" and "alternate" in values.get("rel", "").lower().split():
            kind = values.get("type", "").split(";")[0].strip().lower()
            if kind in FEED_TYPES and "href" in values:
                element = '<link rel="alternate">'
                self.links.append(PageLink(element, values["href"], kind, position))

    def _end(self, tag: str, position: Position) -> None:
        state = self.state
        if state.open_names[tag] <= 0:
            if state.closed_early[tag] > 0:  # its error is said: '<b> is still open at'
                state.closed_early[tag] -= 1
            elif tag not in _IMPLIED_ELEMENTS:
                self.say("StrayEndTag", f"</{tag}> closes no open <{tag}>", position)
            return
        while (inner := self._pop()).tag != tag:
            if inner.tag not in OPTIONAL_END:
                self.say(
                    "MisnestedElement",
                    f"<{inner.tag}> (line {inner.position[0]}) is still open at </{tag}>",
                    position,
                )
                state.closed_early[inner.tag] += 1

    def finish(self) -> None:
        """The rules that need the whole page."""
        state = self.state
        for element in state.stack:
            if element.tag not in OPTIONAL_END:
                self.say(
                    "UnclosedElement",
                    f"<{element.tag}> is never closed (is the page cut short?)",
                    element.position,
                )
        if state.html is None:
            self.say("MissingLanguage", "the page has no <html> element to carry its lang", (1, 1))
        elif state.lang is None:
            self.say(
                "MissingLanguage",
                "<html> must have a lang attribute (screen readers choose a voice by it)",
                state.html,
            )
        elif not is_language(state.lang):
            self.say(
                "InvalidLanguage",
                f"<html> attribute 'lang' {quote(state.lang)} is not a language code like "
                "'en' or 'en-us'",
                state.html,
            )
        if state.title is None:
            text = "the page must have a <title> (tabs and screen readers show it)"
            self.say("MissingTitle", text, (1, 1))
        elif not state.title_text.strip():
            self.say("MissingTitle", "<title> is empty", state.title)


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
