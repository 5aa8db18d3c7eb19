"""What readers were hurt by, checked in the bytes and with feedparser, on both sites."""

from __future__ import annotations

import json
from typing import Any

import feedparser
import lxml.html
import pytest
from e2e.readers.served import RICH_ARTICLES, Served, expected_items, feed_paths, folder_of
from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"


@pytest.fixture(params=["sample", "rich"])
def site(request: pytest.FixtureRequest, served: Any) -> Served:
    made: Served = served(request.param)
    return made


def test_atom_has_no_prefix_for_its_own_namespace(site: Served) -> None:
    for path in feed_paths(site):
        if path.endswith("atom.xml"):
            data = (site.out / path).read_bytes()
            assert b"ns0:" not in data and b'xmlns:ns0="' not in data, path
            root = etree.fromstring(data)
            assert {e.prefix for e in root.iter() if etree.QName(e).namespace == ATOM} == {None}


def test_no_element_hijacks_the_summary_and_enclosures_are_found(site: Served) -> None:
    for path in feed_paths(site):
        if path.endswith(".json"):
            continue
        parsed = feedparser.parse((site.out / path).read_bytes())
        assert parsed.bozo == 0, path
        expected = {e.id: e for e in expected_items(site, folder_of(path))}
        for entry in parsed.entries:
            assert entry.summary_detail.value == entry.summary, (path, entry.id)
            assert entry.title == expected[entry.id].title
            image = expected[entry.id].image
            hrefs = [e.href for e in entry.get("enclosures", [])]
            assert hrefs == ([image] if image else []), (path, entry.id)


def test_every_item_names_its_authors_in_every_format(site: Served) -> None:
    for path in feed_paths(site):
        data = (site.out / path).read_bytes()
        expected = {e.id: e.authors for e in expected_items(site, folder_of(path))}
        assert all(expected.values())
        if path.endswith(".json"):
            items = json.loads(data)["items"]
            assert {i["id"]: tuple(a["name"] for a in i["authors"]) for i in items} == expected
            continue
        root = etree.fromstring(data)
        if path.endswith("rss.xml"):
            found = {
                item.findtext("guid"): tuple(c.text for c in item.iter(f"{{{DC}}}creator"))
                for item in root.iter("item")
            }
            assert not list(root.iter("author")), "dc:creator only: both is DuplicateSemantics"
        else:
            found = {
                entry.findtext(f"{{{ATOM}}}id"): tuple(
                    a.findtext(f"{{{ATOM}}}name") for a in entry.findall(f"{{{ATOM}}}author")
                )
                for entry in root.iter(f"{{{ATOM}}}entry")
            }
        assert found == expected, path


def test_json_items_carry_the_image_as_an_attachment_too(site: Served) -> None:
    for path in feed_paths(site):
        if path.endswith(".json"):
            for item in json.loads((site.out / path).read_text(encoding="utf-8"))["items"]:
                attachments = [a["url"] for a in item.get("attachments", [])]
                assert attachments == ([item["image"]] if "image" in item else [])


def test_content_shows_the_image_once_led_by_a_figure(site: Served) -> None:
    for item in expected_items(site, ""):
        html = item.content_html
        if item.image is None:
            assert "<figure>" not in html
        else:
            assert html.count(f'src="{item.image}"') == 1, item.id
            led = html.startswith(f'<figure><img src="{item.image}" alt="')
            assert led or "<figure>" not in html, item.id


def test_figure_with_alt_and_caption_and_not_twice(served: Any) -> None:
    site = served("rich")
    items = {i.id.rsplit("/", 1)[1]: i for i in expected_items(site, "")}
    stage = items["rock-and-roll"]
    assert stage.content_html.startswith(
        f'<figure><img src="{stage.image}" alt="A stage &amp; its lights">'
        "<figcaption>The stage, before the show</figcaption></figure><p>The band"
    )
    rain = items["colombo-rain"]  # its body shows the image already
    assert "<figure>" not in rain.content_html
    assert rain.content_html.count('src="https://rich.example/img/rain.jpg"') == 1
    assert RICH_ARTICLES["colombo-rain"][0]["image"] == rain.image


def test_figure_is_sanitized_like_the_body(served: Any) -> None:
    site = served("rich")
    site.article(
        "hostile",
        title="Hostile",
        date="2024-06-01 10:00",
        countries=["japan"],
        image="/img/a.png",
        image_alt='"><script>alert(2)</script><img src=x onerror=alert(3)>',
    )
    site.build()
    html = expected_items(site, "")[0].content_html
    elements = list(lxml.html.fragment_fromstring(html, create_parent="div").iter())
    assert [e.tag for e in elements[1:3]] == ["figure", "img"]
    assert not [
        e for e in elements if e.tag == "script" or any(a.startswith("on") for a in e.attrib)
    ]
    assert html.startswith('<figure><img src="https://rich.example/img/a.png" alt="')


def test_image_in_content_false_turns_the_figure_off(served: Any) -> None:
    site = served("rich")
    site.config["site"]["image_in_content"] = False
    site.build()
    for path in feed_paths(site):
        assert b"figure" not in (site.out / path).read_bytes(), path
    # The media elements stay.
    rss = (site.out / "rss.xml").read_text(encoding="utf-8")
    assert "<enclosure " in rss and "<media:content " in rss
    assert '<media:title type="plain">A stage &amp; its lights</media:title>' in rss
