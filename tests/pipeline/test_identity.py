"""Headline changes keep identity: once published, an article's id does not move with its
title, slug or date unless its front matter says so."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from support.sites import Site

from feedpub.errors import InputError


def write(site: Site, **changes: object) -> None:
    front = {"title": "Hartal called", "date": "2024-05-30 10:00", "countries": ["india"]}
    site.article("india/hartal", **{**front, **changes})


def shown(site: Site, error: InputError) -> list[str]:
    """The error's lines, with file names as the user wrote them (under the site folder)."""
    return str(error).replace(f"{site.root}/", "").splitlines()


def ids(site: Site) -> list[str]:
    return [entry.id for entry in site.feed("atom.xml").entries]


def test_a_title_edit_keeps_the_id(site: Site) -> None:
    write(site)
    site.build()
    write(site, title="Hartal called off")
    site.build()
    assert ids(site) == ["tag:example.org,2022:2024-05-30/hartal"]


def test_a_slug_change_without_an_id_is_refused_and_nothing_is_published(site: Site) -> None:
    write(site)
    site.build()
    before = site.snapshot()
    write(site, slug="hartal-off")
    with pytest.raises(InputError) as caught:
        site.build()
    assert shown(site, caught.value) == [
        "content/india/hartal.md:6: slug: changed from 'hartal' to 'hartal-off' after the "
        "article was published as 'tag:example.org,2022:2024-05-30/hartal', which would send "
        "it to every reader again as a new story; add 'id: tag:example.org,2022:2024-05-30/"
        "hartal' to the front matter to keep its id (or 'id: tag:example.org,2022:2024-05-30/"
        "hartal-off' to publish it as new)"
    ]
    assert site.snapshot() == before


def test_a_date_change_without_an_id_is_refused(site: Site) -> None:
    write(site)
    site.build()
    write(site, date="2024-05-31 10:00")
    with pytest.raises(InputError) as caught:
        site.build()
    assert shown(site, caught.value)[0].startswith(
        "content/india/hartal.md:3: date: changed from '2024-05-30' to '2024-05-31' after"
    )


def test_the_id_the_message_offers_keeps_the_story(site: Site) -> None:
    write(site)
    site.build()
    write(site, slug="hartal-off", id="tag:example.org,2022:2024-05-30/hartal")
    site.build()
    assert ids(site) == ["tag:example.org,2022:2024-05-30/hartal"]
    link = site.feed("atom.xml").entries[0].link
    assert "hartal-off" in link


def test_a_new_id_chosen_in_front_matter_is_the_authors_choice(site: Site) -> None:
    write(site)
    site.build()
    write(site, slug="hartal-off", id="tag:example.org,2022:2024-05-30/hartal-off")
    site.build()
    assert ids(site) == ["tag:example.org,2022:2024-05-30/hartal-off"]
    write(site, slug="hartal-off")  # the id it has now is the default id: nothing changes
    site.build()
    assert ids(site) == ["tag:example.org,2022:2024-05-30/hartal-off"]


def test_the_id_is_remembered_across_a_change_of_feeds_yaml(site: Site) -> None:
    write(site)
    site.build()
    site.config.write_text(site.config.read_text().replace("Test Desk", "The Desk"))
    write(site, slug="hartal-off")
    with pytest.raises(InputError, match="slug: changed from 'hartal' to 'hartal-off'"):
        site.build()


def test_an_unpublished_draft_may_change_its_slug(site: Site) -> None:
    write(site, draft=True)
    site.build()
    write(site, draft=True, slug="hartal-off")
    site.build()
    write(site, slug="hartal-off")
    site.build()
    assert ids(site) == ["tag:example.org,2022:2024-05-30/hartal-off"]


def test_without_the_state_only_the_front_matter_keeps_the_id(site: Site) -> None:
    write(site)
    site.build()
    shutil.rmtree(site.root / ".feedpub")
    write(site, slug="hartal-off")
    site.build()  # nothing remembers the old id: the README says to keep the state folder
    assert ids(site) == ["tag:example.org,2022:2024-05-30/hartal-off"]


def test_an_embargo_come_due_fixes_the_id_though_the_file_was_not_read_again(
    site: Site,
) -> None:
    write(site)
    site.build(now=datetime(2024, 5, 29, tzinfo=UTC))  # embargoed: the state keeps its listing
    site.build(now=datetime(2024, 5, 31, tzinfo=UTC))  # published from the state's listing
    assert ids(site) == ["tag:example.org,2022:2024-05-30/hartal"]
    write(site, slug="hartal-off")
    with pytest.raises(InputError, match="slug: changed from 'hartal' to 'hartal-off'"):
        site.build()


def test_a_file_skipped_once_has_its_id_fixed_when_it_is_published(site: Site) -> None:
    text = site.config.read_text()
    site.config.write_text(text.replace("site:\n", "site:\n  on_error: skip\n", 1))
    write(site)
    front = {"title": "Hartal again", "date": "2024-05-30 10:00", "countries": ["india"]}
    site.article("india/zz-hartal", slug="hartal", **front)  # the same id: skipped
    site.build()
    (site.root / "content/india/hartal.md").unlink()
    site.build()  # the skipped file, from the state's listing, now publishes the id
    assert [entry.title for entry in site.feed("atom.xml").entries] == ["Hartal again"]
    site.article("india/zz-hartal", slug="hartal-again", **front)
    skipped = site.build().skipped  # on_error: skip leaves the file out instead of refusing
    assert [problem.field for problem in skipped] == ["slug"]
    assert "changed from 'hartal' to 'hartal-again'" in skipped[0].message
