"""The shipped sample site builds into every feed, correct as feedparser and json read it."""

from __future__ import annotations

import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

from lxml import etree
from support.sites import Site

COLOMBO = ZoneInfo("Asia/Colombo")
# slug, country, local publication time: the seed listing's order, newest first.
SAMPLE = [
    ("china-vs-us-in-the-pacific", "china", "2022-05-20 10:00"),
    ("bongbong-elected", "philippines", "2022-05-12 09:00"),
    ("call-a-hartal", "sri-lanka", "2022-05-05 08:30"),
    ("masses-must-organize", "sri-lanka", "2022-04-12 18:00"),
    ("care-workers-strike", "india", "2022-03-30 11:00"),
    ("climate-catastrophe", "vietnam", "2022-03-15 09:15"),
    ("new-youth-launch", "taiwan", "2022-02-28 16:00"),
    ("hijab-ban-protests", "india", "2022-02-14 10:30"),
    ("roots-of-the-rising", "kazakhstan", "2022-01-20 12:00"),
    ("1988-uprising-balance-sheet", "myanmar", "2022-01-14 09:00"),
    ("foreign-troops", "kazakhstan", "2022-01-06 20:00"),
    ("fuel-price-protests", "kazakhstan", "2022-01-04 14:00"),
]
WITH_IMAGE = {
    "masses-must-organize": "Protest and Flag Image",
    "climate-catastrophe": "Flooding Vietnam Climate Change Disaster",
    "hijab-ban-protests": "Hijab ban protest",
    "1988-uprising-balance-sheet": "Myanmar 8888 mural",
}
IMAGE_URL = "https://example.org/feeds/_media/asia/images/placeholder.png"


def local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=COLOMBO)


def expected_id(slug: str, when: str) -> str:
    return f"tag:example.org,2022:{when[:10]}/{slug}"


def expected_link(slug: str, when: str) -> str:
    return f"https://example.org/{when[:4]}/{when[5:7]}/{slug}/"


def channel_paths() -> dict[str, list[str]]:
    """Each channel folder of the sample and the slugs it must hold, newest first."""
    channels: dict[str, list[str]] = {
        "": [s for s, _, _ in SAMPLE],
        "asia/": [s for s, _, _ in SAMPLE],
    }
    for country in (
        "china",
        "philippines",
        "sri-lanka",
        "india",
        "vietnam",
        "taiwan",
        "kazakhstan",
        "myanmar",
    ):
        channels[f"asia/{country}/"] = [s for s, c, _ in SAMPLE if c == country]
    return channels


def test_every_feed_holds_the_right_articles_in_order(sample: Site) -> None:
    sample.build()
    when = {slug: date for slug, _, date in SAMPLE}
    for folder, slugs in channel_paths().items():
        ids = [expected_id(s, when[s]) for s in slugs]
        links = [expected_link(s, when[s]) for s in slugs]
        for name in ("rss.xml", "atom.xml"):
            parsed = sample.feed(folder + name)
            assert [e.id for e in parsed.entries] == ids, folder + name
            assert [e.link for e in parsed.entries] == links
            published = [
                datetime(*e.published_parsed[:6], tzinfo=ZoneInfo("UTC")) for e in parsed.entries
            ]
            assert published == [local(when[s]) for s in slugs]
        feed = sample.feed(folder + "feed.json")
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert [i["id"] for i in feed["items"]] == ids
        assert [i["url"] for i in feed["items"]] == links
        assert [datetime.fromisoformat(i["date_published"]) for i in feed["items"]] == [
            local(when[s]) for s in slugs
        ]


def test_channel_metadata(sample: Site) -> None:
    sample.build()
    rss = sample.feed("asia/sri-lanka/rss.xml")
    assert rss.feed.title == "Asia Desk — Sri Lanka"
    assert rss.feed.link == "https://example.org/feeds/asia/sri-lanka/"  # the channel's page
    assert rss.feed.language == "en"
    assert {link.rel: link.href for link in rss.feed.links}["self"] == (
        "https://example.org/feeds/asia/sri-lanka/rss.xml"
    )
    # updated is the newest item's date, never the build time
    assert rss.feed.updated == "Thu, 05 May 2022 08:30:00 +0530"
    atom = sample.feed("atom.xml")
    assert atom.feed.title == "Asia Desk"
    assert atom.feed.updated == "2022-05-20T10:00:00+05:30"
    assert atom.feed.author_detail == {"name": "Asia Desk", "email": "desk@example.org"}
    atom_links = {link.rel: link.href for link in atom.feed.links}
    assert atom_links["self"] == "https://example.org/feeds/atom.xml"
    feed = sample.feed("asia/feed.json")
    assert feed["title"] == "Asia Desk — Asia"
    assert feed["feed_url"] == "https://example.org/feeds/asia/feed.json"
    assert feed["authors"] == [{"name": "Asia Desk", "url": "mailto:desk@example.org"}]


def test_each_feeds_channel_link_is_the_opml_htmlurl_of_its_channel(sample: Site) -> None:
    """RSS <link>, Atom rel="alternate" and JSON Feed home_page_url name the channel's page,
    as feeds.opml's htmlUrl does (they named the site's root before)."""
    sample.build()
    opml = etree.fromstring((sample.out / "feeds.opml").read_bytes())
    outlines = [o for o in opml.iter("outline") if o.get("xmlUrl")]
    assert len(outlines) == 10
    for outline in outlines:
        folder = outline.get("xmlUrl").removeprefix("https://example.org/feeds/")
        folder = folder.removesuffix("rss.xml")
        page = outline.get("htmlUrl")
        assert page == f"https://example.org/feeds/{folder}"
        assert sample.feed(folder + "rss.xml").feed.link == page
        atom = sample.feed(folder + "atom.xml")
        assert [x.href for x in atom.feed.links if x.rel == "alternate"] == [page]
        assert sample.feed(folder + "feed.json")["home_page_url"] == page
        assert (sample.out / folder / "index.html").is_file()


def test_titles_summaries_and_images(sample: Site) -> None:
    sample.build()
    rss = sample.feed("rss.xml")
    atom = sample.feed("atom.xml")
    feed = sample.feed("feed.json")
    bongbong = rss.entries[1]
    assert (
        bongbong.title
        == "“Bongbong” Elected in the Philippines: Is this the Return of the Dictatorship?"
    )
    assert bongbong.summary.startswith(
        "Bongbong’s landslide victory was a result of deep discontent"
    )
    assert atom.entries[1].title == bongbong.title
    assert feed["items"][1]["title"] == bongbong.title
    for index, (slug, _, _) in enumerate(SAMPLE):
        rss_entry, atom_entry, item = rss.entries[index], atom.entries[index], feed["items"][index]
        if slug in WITH_IMAGE:
            assert rss_entry.enclosures == [
                {"href": IMAGE_URL, "length": "382", "type": "image/png"}
            ]
            enclosures = [link.href for link in atom_entry.links if link.rel == "enclosure"]
            assert enclosures == [IMAGE_URL]
            assert rss_entry.media_content[0]["url"] == IMAGE_URL
            assert item["image"] == IMAGE_URL
        else:
            assert rss_entry.enclosures == [] and "image" not in item
    assert (sample.out / "_media/asia/images/placeholder.png").read_bytes()[:4] == b"\x89PNG"


def test_two_builds_give_identical_bytes(sample: Site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sample.build()
    first = {k: v[0] for k, v in sample.snapshot().items()}
    shutil.rmtree(sample.out)
    shutil.rmtree(sample.root / ".feedpub")
    sample.build()
    assert {k: v[0] for k, v in sample.snapshot().items()} == first
    # 10 channels x (3 formats + a page) + the three OPMLs + the image
    assert len(first) == 44
