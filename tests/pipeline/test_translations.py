"""Articles naming their translations (issue 18): each item links its published translations
in Atom (``rel="alternate" hreflang``) and on the pages; bad refs are refused with file, line
and field; a change of translations rewrites only the documents holding those articles."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from lxml import html
from support.sites import BASE_CONFIG, NOW, Site

from feedpub.errors import InputError

ATOM = "{http://www.w3.org/2005/Atom}"
LINK = "https://example.org/{}/"
# BASE_CONFIG: Sri Lanka's articles are in si, France's in fr, India's in the site's en.
STORY = {
    "hartal": ("asia/sri-lanka/hartal", "sri-lanka", "si"),
    "hartal-en": ("asia/india/hartal-en", "india", "en"),
    "hartal-fr": ("europe/france/hartal-fr", "france", "fr"),
}


def write_story(site: Site, refs: dict[str, object], **front: dict[str, object]) -> None:
    """The three versions of one story (and one unrelated article), with ``refs`` as the
    translations of the named ones."""
    for number, (slug, (name, country, _)) in enumerate(STORY.items()):
        fields: dict[str, object] = {
            "title": f"Story {slug}",
            "date": f"2024-05-0{number + 1}T06:00:00Z",
            "countries": [country],
        }
        if slug in refs:
            fields["translations"] = refs[slug]
        site.article(name, **{**fields, **front.get(slug, {})})
    site.article(
        "asia/india/other", title="Other", date="2024-05-05T06:00:00Z", countries=["india"]
    )


def story_id(slug: str, day: int) -> str:
    return f"tag:example.org,2022:2024-05-0{day}/{slug}"


def atom_alternates(site: Site, path: str = "atom.xml") -> dict[str, list[tuple[str, str]]]:
    """Entry link (as feedparser reads it) -> its links with an hreflang, in order."""
    parsed = site.feed(path)  # validator silent, feedparser bozo 0
    found = {}
    for entry in parsed.entries:
        assert entry.links[0].href == entry.link  # the item's own link comes first
        found[entry.link] = [
            (link["hreflang"], link["href"]) for link in entry.links if "hreflang" in link
        ]
    return found


def versions(own: str, *others: str) -> list[tuple[str, str]]:
    """The hreflang links an item of ``own`` (a STORY key) must have: the ``others`` by
    language, then its own."""
    pairs = sorted((STORY[slug][2], LINK.format(slug)) for slug in others)
    return [*pairs, (STORY[own][2], LINK.format(own))]


def test_each_version_links_every_other_one_in_atom(site: Site) -> None:
    # by a path from the file's folder, by a path from content/ without .md: a chain
    write_story(
        site,
        {"hartal": ["../india/hartal-en.md"], "hartal-en": "europe/france/hartal-fr"},
    )
    site.build()
    links = atom_alternates(site)
    assert links[LINK.format("hartal")] == versions("hartal", "hartal-en", "hartal-fr")
    assert links[LINK.format("hartal-en")] == versions("hartal-en", "hartal", "hartal-fr")
    assert links[LINK.format("hartal-fr")] == versions("hartal-fr", "hartal", "hartal-en")
    assert links[LINK.format("other")] == []
    # the same items in every channel holding them
    assert atom_alternates(site, "asia/sri-lanka/atom.xml") == {
        LINK.format("hartal"): links[LINK.format("hartal")]
    }
    for name in ("rss.xml", "feed.json"):  # no element for it: nothing
        assert b"hreflang" not in (site.out / name).read_bytes()


def test_an_id_names_a_translation_too(site: Site) -> None:
    write_story(site, {"hartal-fr": [story_id("hartal", 1)]})
    site.build()
    links = atom_alternates(site)
    assert links[LINK.format("hartal-fr")] == versions("hartal-fr", "hartal")
    assert links[LINK.format("hartal")] == versions("hartal", "hartal-fr")
    assert links[LINK.format("hartal-en")] == []


def test_a_translation_is_linked_only_once_it_is_published(site: Site) -> None:
    later = {"hartal-fr": {"date": "2024-06-03T06:00:00Z"}}  # after NOW
    write_story(site, {"hartal": ["../india/hartal-en", "../../europe/france/hartal-fr"]}, **later)
    site.build()
    assert atom_alternates(site)[LINK.format("hartal")] == versions("hartal", "hartal-en")
    report = site.build(now=NOW + timedelta(days=3))
    links = atom_alternates(site)
    assert links[LINK.format("hartal")] == versions("hartal", "hartal-en", "hartal-fr")
    changed = {feed.path for feed in report.feeds if feed.changed}
    assert "asia/india/atom.xml" in changed  # hartal-en's item gained a link


def test_adding_translations_rewrites_only_the_documents_holding_them(site: Site) -> None:
    write_story(site, {})
    site.build()
    before = site.snapshot()
    write_story(site, {"hartal": ["../india/hartal-en.md"]})
    report = site.build()
    changed = {feed.path for feed in report.feeds if feed.changed}
    # the site's and Asia's feeds and pages hold both, each country's its own
    feeds = {
        f"{folder}{name}"
        for folder in ("", "asia/", "asia/sri-lanka/", "asia/india/")
        for name in ("atom.xml", "index.html")
    }
    assert feeds - {"index.html"} <= changed  # the index shows no items
    assert not {p for p in changed if p.startswith("europe/")}
    after = site.snapshot()
    for path in ("rss.xml", "feed.json", "asia/india/rss.xml", "europe/france/atom.xml"):
        assert after[path] == before[path], path  # not even rewritten
    assert not any(p.endswith(("rss.xml", "feed.json")) for p in changed)


def test_pages_show_the_translations_under_each_item(site: Site) -> None:
    write_story(site, {"hartal": ["../india/hartal-en.md"]})
    site.build()
    page = html.parse(str(site.out / "asia/sri-lanka/index.html")).getroot()
    (items,) = page.xpath("//ol[@class='items']")
    (item,) = items.findall("li")
    assert item.get("lang") is None and items.get("lang") == "si"
    (also,) = [p for p in item.iter("p") if (p.text or "").startswith("Also in")]
    (link,) = also.iter("a")
    assert (link.text, link.get("href"), link.get("hreflang")) == (
        "en",
        LINK.format("hartal-en"),
        "en",
    )


def test_a_language_page_links_the_other_language_channels(site: Site) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["topics"] = {"languages": "auto", "min_items": 1}
    site.write_config(config)
    write_story(site, {})
    site.build()
    page = html.parse(str(site.out / "languages/si/index.html")).getroot()
    (head,) = [x for x in page.iter("link") if x.get("hreflang") == "fr" and not x.get("type")]
    assert head.get("href") == "https://example.org/feeds/languages/fr/"
    (nav,) = page.xpath("//nav[@aria-label='Other languages']")
    (link,) = nav.iter("a")  # not its own
    assert (link.get("href"), link.get("hreflang")) == ("../../languages/fr/index.html", "fr")


@pytest.mark.parametrize(
    ("refs", "front", "message"),
    [
        (
            {"hartal": ["../india/hartal-en.md", "nowhere.md"]},
            {},
            "asia/sri-lanka/hartal.md:8: translations.1: 'nowhere.md' is no article: name a "
            "translation by its id, or by its file's path from this file's folder or from the "
            "content folder",
        ),
        (
            {"hartal": "hartal.md"},
            {},
            "asia/sri-lanka/hartal.md:6: translations: 'hartal.md' is this article itself: "
            "list only its translations",
        ),
        (
            {"hartal-en": ["europe/france/hartal-fr"]},
            {"hartal-fr": {"language": "en"}},
            "asia/india/hartal-en.md:6: translations: content/asia/india/hartal-en.md and "
            "content/europe/france/hartal-fr.md are both in language 'en' and translations of "
            "one story; a story has one article per language: correct one's language, or the "
            "translations that link them",
        ),
    ],
)
def test_bad_translations_are_refused_with_file_line_and_field(
    site: Site, refs: dict[str, object], front: dict[str, dict[str, object]], message: str
) -> None:
    write_story(site, refs, **front)
    with pytest.raises(InputError) as caught:
        site.build()
    content = (site.root / "content").as_posix()
    assert [str(p).removeprefix(content + "/") for p in caught.value.problems] == [
        message.replace("content/", content + "/")
    ]
    assert not (site.out / "atom.xml").exists()


def test_translations_must_be_text(site: Site) -> None:
    write_story(site, {"hartal": [3]})
    with pytest.raises(InputError) as caught:
        site.build()
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (7, "translations.0")
    assert problem.message.startswith("expected text, got 3")
