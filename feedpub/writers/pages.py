"""Channels -> HTML pages a person can read: ``index.html`` of every channel, and one page per
region, country and topic channel with its feeds and newest items.

Plain static HTML5: no JavaScript, one inline stylesheet that fits a phone, landmarks and
headings for screen readers. Everything shown is escaped; only absolute http(s) URLs from the
articles are linked, and the output's own files (feeds, pages, images) are linked relatively
so the pages work wherever the output folder is served. No build time appears anywhere: the
same channels give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from html import escape

from feedpub.formats import FORMATS
from feedpub.inputs.fields import is_absolute_url
from feedpub.layout import (
    LEVEL_OPML_PATHS,
    NEWS_SITEMAP_PATH,
    OPML_PATH,
    OPML_PATHS,
    PAGE_FILENAME,
    TOPIC_FOLDERS,
    TOPIC_HEADINGS,
    archive_page,
    channel_folder,
    feed_url,
    page_path,
    page_url,
)
from feedpub.model import Article, Channel, Config, Rendered
from feedpub.writers.corrections import corrections_page_html
from feedpub.writers.feeds import Document

FORMAT_NAMES = {"rss": "RSS 2.0", "atom": "Atom 1.0", "json": "JSON Feed 1.1"}
# Which format to pick, as a subscriber would ask.
FORMAT_HINTS = {
    "rss": "works in every feed reader: pick this one if unsure",
    "atom": "the same articles, for readers that prefer Atom",
    "json": "the same articles as JSON, for apps and scripts",
}
# How to subscribe in the readers people use (their menus as of 2026).
READERS = (
    ("Feedly", "+ Follow websites, paste the address, Follow"),
    ("Inoreader", "+ Add new, then Feed, paste the address"),
    ("NetNewsWire", "File › New Web Feed, paste the address, Add"),
    ("Thunderbird", "New › Feed Account (once), then Manage Subscriptions, paste the address, Add"),
    ("Miniflux, newsboat and others", "add the address as a new feed"),
)
# How many of the newest articles the index shows.
INDEX_ITEMS = 10
MONTHS = (
    "January February March April May June July August September October November December"
).split()
STYLE = """
:root{--fg:#1b1b1b;--muted:#4a4a4a;--link:#0b57a4;--line:#d0d0d0;--box:#f4f4f4}
*{box-sizing:border-box}
body{margin:0;font:1.0625rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--fg);background:#fff}
header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}
header{padding-top:1.25rem;border-bottom:1px solid var(--line)}
footer{border-top:1px solid var(--line);margin-top:2rem;padding-bottom:2rem;color:var(--muted)}
h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0}
h2{font-size:1.3rem;margin:1.75rem 0 .5rem}
h3{font-size:1.1rem;margin:0 0 .25rem}
a{color:var(--link)}
a:focus-visible,input:focus-visible{outline:3px solid #e07b00;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff}
.crumbs{margin:0;font-size:.95rem}
.muted,time{color:var(--muted)}
.feeds{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:.25rem 0;list-style:none}
.cards,.items{list-style:none;padding:0;margin:0}
.cards>li,.items>li{padding:.9rem 0;border-bottom:1px solid var(--line)}
.items>li:last-child,.cards>li:last-child{border-bottom:0}
.items img{display:block;max-width:100%;height:auto;margin:.5rem 0;border-radius:4px}
.items p,.cards p{margin:.25rem 0}
.subscribe{background:var(--box);border-radius:6px;padding:.25rem 1rem .75rem;margin-top:1.5rem}
.subscribe h2{margin-top:.75rem}
label{display:block;font-weight:600;margin-top:.25rem}
input{width:100%;font:inherit;font-family:ui-monospace,monospace;font-size:.9rem;
padding:.4rem .5rem;border:1px solid #767676;border-radius:4px;background:#fff;color:var(--fg)}
code{font-family:ui-monospace,monospace;font-size:.9em;overflow-wrap:anywhere}
.masthead{margin:0;font-weight:700;letter-spacing:.02em;text-transform:uppercase;font-size:.85rem}
.masthead a{color:var(--fg);text-decoration:none}
.facts{color:var(--muted);margin:.25rem 0 .75rem}
.subscribe details{margin:.5rem 0}
.subscribe summary{cursor:pointer;font-weight:600}
.subscribe li{margin:.25rem 0}
"""


def render_channel_page(
    channel: Channel, config: Config, rendered: Mapping[str, Rendered]
) -> Document:
    """The page of a channel: how to subscribe, its items, where its older items are."""
    up = "../" * len(channel.path)
    crumbs = [f'<a href="{up}{PAGE_FILENAME}">All channels</a>']
    if channel.kind == "country":
        region = next(r for r in config.regions if r.key == channel.path[0])
        crumbs.append(f'<a href="../{PAGE_FILENAME}">{escape(region.title)}</a>')
    elif channel.kind in TOPIC_HEADINGS:
        section = _topic_section(channel.kind)
        crumbs.append(f'<a href="{up}{PAGE_FILENAME}#{section}">{TOPIC_HEADINGS[channel.kind]}</a>')
    items = "".join(_item(a, config, rendered.get(a.id), up) for a in channel.articles)
    language = _lang(channel.language, config.site.language)
    main = (
        _subscribe(channel, config)
        + _countries(channel, config)
        + '<section aria-labelledby="items"><h2 id="items">Latest articles</h2>\n'
        + (f"<ol class=items{language}>\n{items}</ol>" if items else "<p>No articles yet.</p>")
        + "\n"
        + _archive(channel)
        + "</section>\n"
    )
    header = (
        f'<p class=masthead><a href="{up}{PAGE_FILENAME}">{escape(config.site.title)}</a></p>\n'
        f'<nav aria-label="Breadcrumb"><p class=crumbs>{" › ".join(crumbs)}</p></nav>\n'
        f"<h1>{escape(short_title(channel, config))}</h1>\n"
        + _about(channel, config)
        + _other_languages(channel, up)
    )
    data = _page(config, channel, header, main, up)
    return Document(
        page_path(channel.path), page_url(config.site.feeds_url, channel.path), "html", data
    )


def short_title(channel: Channel, config: Config) -> str:
    """A channel's name without the site's (``Sri Lanka``, not ``Asia Desk — Sri Lanka``):
    the page shows the site's name above it."""
    return channel.title.removeprefix(f"{config.site.title} — ") or channel.title


def _about(channel: Channel, config: Config) -> str:
    """The channel's description, unless it is only the site's with the channel's name, and
    how many articles it holds."""
    name = short_title(channel, config)
    generic = f"{config.site.description} ({name})"
    about = "" if channel.description == generic else f"<p>{escape(channel.description)}</p>\n"
    count = len(channel.listings)
    facts = f"{count} article{'s' * (count != 1)}"
    if channel.listings:
        newest = datetime.fromtimestamp(channel.listings[0].published, config.site.timezone)
        facts += f", the newest from {_time(newest)}"
    if channel.paging is not None and channel.paging.previous:
        facts += ", older ones in its archive"
    return f"{about}<p class=facts>{facts}</p>\n"


def _countries(channel: Channel, config: Config) -> str:
    """A region's page: links to its countries' pages."""
    if channel.kind != "region":
        return ""
    region = next(r for r in config.regions if r.key == channel.path[0])
    links = "".join(
        f'<li><a href="{country.key}/{PAGE_FILENAME}">{escape(country.title)}</a></li>'
        for country in region.countries
    )
    return (
        '<nav aria-labelledby="countries"><h2 id="countries">Countries</h2>\n'
        f"<ul class=feeds>{links}</ul></nav>\n"
    )


def _archive(channel: Channel) -> str:
    """Where the items older than the current feed are: the channel's archive pages."""
    paging = channel.paging
    if paging is None or not paging.previous:
        return ""
    atom = next(fmt for fmt in FORMATS if fmt.kind == "atom")
    pages = [
        f'<a href="{channel_folder(archive_page((), n))}{atom.filename}">{n}</a>'
        for n in range(paging.previous, 0, -1)
    ]
    return (
        f"<p class=muted>Older articles are in the archive, page {' · '.join(pages)} "
        "(newest first; feed readers that follow RFC 5005 read them for you).</p>\n"
    )


def render_index(
    config: Config,
    channels: Iterable[Channel],
    latest: Iterable[Article] = (),
    rendered: Mapping[str, Rendered] | None = None,
) -> Document:
    """``index.html``: the newest articles (``latest``), then every channel, grouped by
    region and by kind of topic, with its feeds and the OPMLs."""
    channels = list(channels)
    combined = channels[0]
    by_region: dict[str, list[Channel]] = {}
    for channel in channels[1:]:
        if channel.kind in ("region", "country"):
            by_region.setdefault(channel.path[0], []).append(channel)
    shown = rendered or {}
    items = "".join(_item(article, config, shown.get(article.id), "") for article in latest)
    sections = [
        _subscribe(combined, config),
        '<section aria-labelledby="latest"><h2 id="latest">Latest articles</h2>\n'
        f"<ol class=items>\n{items}</ol></section>\n"
        if items
        else "",
        '<section aria-labelledby="all"><h2 id="all">Everything</h2>\n<ul class=cards>\n'
        + _card(combined, config)
        + f'<li><p><a href="{OPML_PATH}" download>All channels as OPML</a> '
        "(import it into a feed reader to subscribe to every channel, or pick some)</p>\n"
        + _level_lists()
        + "</li>\n</ul></section>\n",
    ]
    for region in config.regions:
        cards = "".join(_card(c, config) for c in by_region.get(region.key, []))
        sections.append(
            f'<section aria-labelledby="r-{region.key}"><h2 id="r-{region.key}">'
            f"{escape(region.title)}</h2>\n<ul class=cards>\n{cards}</ul></section>\n"
        )
    for kind, heading in TOPIC_HEADINGS.items():
        topical = [c for c in channels if c.kind == kind]
        if topical:
            section = _topic_section(kind)
            cards = "".join(_card(c, config) for c in topical)
            sections.append(
                f'<section aria-labelledby="{section}"><h2 id="{section}">{heading}</h2>\n'
                f"<ul class=cards>\n{cards}</ul></section>\n"
            )
    site = config.site
    header = f"<h1>{escape(site.title)}</h1>\n<p>{escape(site.description)}</p>\n"
    data = _page(config, combined, header, "".join(sections), "")
    return Document(PAGE_FILENAME, site.feeds_url, "html", data)


def _level_lists() -> str:
    """The links to the OPMLs of one level, and why a reader would want one."""
    links = " · ".join(
        f'<a href="{path}" download>every {kind}</a>' for kind, path in LEVEL_OPML_PATHS.items()
    )
    return (
        f"<p>Or one level, each article once: {links}. Pick one in newsboat: it shows an "
        "article in one feed only, so from the full list most feeds look empty.</p>\n"
    )


def _page(config: Config, channel: Channel, header: str, main: str, up: str) -> bytes:
    site = config.site
    alternates = "".join(
        f'<link rel="alternate" type="{fmt.media_type}" '
        f'title="{escape(channel.title)} ({FORMAT_NAMES[fmt.kind]})"{_hreflang(channel)} '
        f'href="{escape(feed_url(config.site.feeds_url, channel.path, fmt))}">\n'
        for fmt in FORMATS
    )
    text = (
        f'<!DOCTYPE html>\n<html lang="{escape(site.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(channel.title)}</title>\n"
        f'<meta name="description" content="{escape(channel.description)}">\n'
        f"{alternates}{_sibling_links(channel, config)}<style>{STYLE}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the content</a>\n'
        f"<header>\n{header}</header>\n<main id=main>\n{main}</main>\n"
        f'<footer><p><a href="{up}{OPML_PATH}" download>Every channel as OPML</a> · '
        f'<a href="{escape(site.url)}">{escape(site.title)}</a></p></footer>\n'
        "</body>\n</html>\n"
    )
    return text.encode("utf-8")


def _subscribe(channel: Channel, config: Config) -> str:
    """How to subscribe: the address to paste, how in each common reader, which format."""
    rss = FORMATS[0]
    readers = "".join(
        f"<li><strong>{escape(name)}</strong>: {escape(how)}.</li>\n" for name, how in READERS
    )
    formats = "".join(
        f'<li><a href="{fmt.filename}" type="{fmt.media_type}">{FORMAT_NAMES[fmt.kind]}</a>: '
        f"{FORMAT_HINTS[fmt.kind]}<br>"
        f"<code>{escape(feed_url(config.site.feeds_url, channel.path, fmt))}</code></li>\n"
        for fmt in FORMATS
    )
    return (
        '<section class=subscribe aria-labelledby="subscribe">'
        '<h2 id="subscribe">Subscribe</h2>\n'
        "<p>Paste this address into your feed reader to get every new article here:</p>\n"
        '<label for="address">Feed address</label>\n'
        f'<input id="address" type="url" readonly '
        f'value="{escape(feed_url(config.site.feeds_url, channel.path, rss))}">\n'
        f"<details><summary>How, in your reader</summary>\n<ul>\n{readers}</ul></details>\n"
        f"<details><summary>Which format?</summary>\n<ul>\n{formats}</ul>\n"
        "<p class=muted>These links are for feed readers: a browser shows a feed as raw "
        "code. This page is the one to read.</p></details>\n</section>\n"
    )


def _card(channel: Channel, config: Config) -> str:
    """One channel on the index: title linked to its page, description, count, newest date."""
    folder = channel_folder(channel.path)
    count = len(channel.listings)
    facts = f"{count} article{'s' * (count != 1)}"
    if channel.listings:
        newest = datetime.fromtimestamp(channel.listings[0].published, config.site.timezone)
        facts += f" · newest {_time(newest)}"
    feeds = "".join(
        f'<li><a href="{folder}{fmt.filename}" type="{fmt.media_type}">'
        f"{FORMAT_NAMES[fmt.kind]}</a></li>"
        for fmt in FORMATS
    )
    title = escape(channel.title)
    heading = (
        f'<a href="{folder}{PAGE_FILENAME}"{_hreflang(channel)}>{title}</a>'
        if channel.path
        else title
    )
    return (
        f"<li><h3>{heading}</h3>\n<p>{escape(channel.description)}</p>\n"
        f"<p class=muted>{facts}</p>\n"
        f'<ul class=feeds aria-label="Feeds of {title}">{feeds}</ul></li>\n'
    )


def _item(article: Article, config: Config, rendered: Rendered | None, up: str) -> str:
    link = _safe_url(article.link, config, up)
    title = escape(article.title)
    heading = f'<a href="{escape(link)}">{title}</a>' if link else title
    parts = [f"<h3>{heading}</h3>\n<p>{_time(article.published.astimezone(config.site.timezone))}"]
    if article.authors:
        parts.append(" · " + escape(", ".join(a.name for a in article.authors)))
    parts.append("</p>\n")
    image = article.image
    src = _safe_url(image.url, config, up) if image else None
    if image and src:
        parts.append(f'<img src="{escape(src)}" alt="{escape(image.alt or "")}" loading="lazy">\n')
    if rendered and rendered.summary:
        parts.append(f"<p>{escape(rendered.summary)}</p>\n")
    parts.append(corrections_page_html(article))
    parts.append(_translations(article, config, up))
    language = _lang(article.language, None)
    return f"<li{language}><article>\n{''.join(parts)}</article></li>\n"


def _translations(article: Article, config: Config, up: str) -> str:
    """The links to an article's translations, each named by its language."""
    links = []
    for alternate in article.alternates[:-1]:  # the last is the article's own
        href = _safe_url(alternate.link, config, up)
        if href:
            language = escape(alternate.language)
            links.append(
                f'<a href="{escape(href)}" hreflang="{language}" lang="{language}">{language}</a>'
            )
    return f"<p class=muted>Also in: {' · '.join(links)}</p>\n" if links else ""


def _safe_url(url: str, config: Config, up: str) -> str | None:
    """An absolute http(s) URL as is, or relative to the page when it is one of the output's
    own files; anything else is not linked."""
    if not is_absolute_url(url):
        return None
    feeds_url = config.site.feeds_url
    return up + url[len(feeds_url) :] if url.startswith(feeds_url) else url


def _time(when: datetime) -> str:
    shown = f"{when.day} {MONTHS[when.month - 1]} {when.year}"
    return f'<time datetime="{when.isoformat()}">{shown}</time>'


def _topic_section(kind: str) -> str:
    """The id of the index's section listing a topic kind's channels: ``t-tags``."""
    return "t-" + TOPIC_FOLDERS[kind]


def _other_languages(channel: Channel, up: str) -> str:
    """A language channel's links to the other language channels' pages."""
    links = [
        f'<a href="{up}{channel_folder(x.path)}{PAGE_FILENAME}" hreflang="{escape(x.language)}">'
        f"{escape(x.title)}</a>"
        for x in channel.siblings
    ]
    if not links:
        return ""
    return f'<nav aria-label="Other languages"><p>Other languages: {" · ".join(links)}</p></nav>\n'


def _sibling_links(channel: Channel, config: Config) -> str:
    """The ``<head>`` links to the pages of the other language channels."""
    return "".join(
        f'<link rel="alternate" hreflang="{escape(x.language)}" '
        f'href="{escape(page_url(config.site.feeds_url, x.path))}">\n'
        for x in channel.siblings
    )


def _hreflang(channel: Channel) -> str:
    """A language channel's links say which language they lead to."""
    return f' hreflang="{escape(channel.language)}"' if channel.kind == "language" else ""


def _lang(language: str | None, inherited: str | None) -> str:
    return f' lang="{escape(language)}"' if language and language != inherited else ""


def channel_pages(
    channel: Channel, config: Config, rendered: Mapping[str, Rendered]
) -> list[Document]:
    return [render_channel_page(channel, config, rendered)] if channel.path else []


def site_documents(
    config: Config,
    channels: list[Channel],
    latest: list[Article],
    rendered: Mapping[str, Rendered],
    news: Iterable[Article] = (),
) -> list[Document]:
    """The documents about every channel at once: the index page (with the ``latest``
    articles), the OPMLs and, with ``site.news_sitemap``, the news sitemap of ``news``.
    Every build that generates anything makes them."""
    from feedpub.writers.opml import render_opml

    feeds_url = config.site.feeds_url
    lists = [
        Document(path, feeds_url + path, "opml", render_opml(config, channels, path))
        for path in OPML_PATHS
    ]
    documents = [render_index(config, channels, latest, rendered), *lists]
    if config.site.news_sitemap is not None:
        from feedpub.writers.sitemap import render_news_sitemap

        data = render_news_sitemap(config, news)
        path = NEWS_SITEMAP_PATH
        documents.append(Document(path, feeds_url + path, "sitemap", data))
    return documents
