"""The listings on disk: a build that changed a few files writes only the changes; whatever
the base and the changes hold, a build sees the listings a cold build would make."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.sites import Site

import feedpub.pipeline.listingfiles
from feedpub.model import Listing
from feedpub.pipeline.site import Site as SiteFront
from feedpub.pipeline.state import State


def many(site: Site, count: int) -> None:
    for number in range(count):
        story(site, number)


def story(site: Site, number: int, title: str = "") -> Path:
    return site.article(
        f"india/story-{number:03d}",
        title=title or f"Story {number}",
        date=f"2022-{1 + number % 12:02d}-{1 + number % 28:02d} 10:00",
        countries=["india"],
    )


def listings(site: Site) -> dict[str, Listing]:
    """The listings the state holds, as the next build would load them."""
    front = SiteFront.open(site.config)
    state = State(front.paths.state, front.paths.out, front.config.digest, writable=False)
    try:
        return {name: cached.listing for name, cached in state.cached_files().items()}
    finally:
        state.close()


def cold_listings(site: Site) -> dict[str, Listing]:
    """What a build from no state leaves (the state folder is put back afterwards)."""
    state = site.root / ".feedpub"
    kept = site.root / "kept-state"
    shutil.copytree(state, kept)
    shutil.rmtree(state)
    site.build()
    found = listings(site)
    shutil.rmtree(state)
    kept.rename(state)
    return found


def files(site: Site, suffix: str) -> Path:
    return next((site.root / ".feedpub").glob(f"state-*.{suffix}"))


def test_a_plus_one_build_rewrites_only_the_changes(site: Site) -> None:
    many(site, 30)
    site.build()
    base = files(site, "listings")
    before = (base.read_bytes(), base.stat().st_mtime_ns)
    story(site, 30, "The new one")
    site.build()
    assert (base.read_bytes(), base.stat().st_mtime_ns) == before
    assert b"story-030.md" in files(site, "changes").read_bytes()
    assert b"story-030.md" not in base.read_bytes()
    assert len(listings(site)) == 31
    assert listings(site) == cold_listings(site)


def test_edits_and_removals_add_up_over_builds(site: Site) -> None:
    many(site, 30)
    site.build()
    story(site, 3, "Edited once")
    site.build()
    (site.root / "content/india/story-004.md").unlink()
    story(site, 3, "Edited twice")
    story(site, 31, "Added")
    site.build()
    (site.root / "content/india/story-031.md").unlink()
    story(site, 4, "Back again")
    site.build()
    found = listings(site)
    assert found == cold_listings(site)  # the digests of the edits, the files removed
    names = {Path(name).name for name in found}
    assert "story-004.md" in names and "story-031.md" not in names and len(found) == 30


def test_changes_grown_past_their_share_are_folded_into_the_base(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feedpub.pipeline.listingfiles, "MIN_FOLDED", 2)
    many(site, 24)  # the fold comes above 24 // 8 = 3 changes
    site.build()
    base = files(site, "listings")
    first = base.read_bytes()
    for number in range(3):
        story(site, number, f"Edit {number}")
        site.build()
        assert base.read_bytes() == first
    story(site, 3, "Edit 3")
    site.build()
    assert base.read_bytes() != first
    assert b"story-0" not in files(site, "changes").read_bytes()
    assert listings(site) == cold_listings(site)


@pytest.mark.parametrize("damage", ["truncated", "stale", "missing"])
def test_a_changes_file_that_does_not_match_the_database_is_a_miss(site: Site, damage: str) -> None:
    many(site, 10)
    site.build()
    changes = files(site, "changes")
    old = changes.read_bytes()
    story(site, 10, "Newest story")
    site.build()
    if damage == "truncated":
        changes.write_bytes(changes.read_bytes()[:-3])
    elif damage == "stale":  # as a build that wrote it and did not commit would leave it
        changes.write_bytes(old)
    else:
        changes.unlink()
    assert listings(site) == {}  # every file is parsed again
    for path in site.out.rglob("*.*"):
        path.unlink()
    site.build()
    titles = [entry.title for entry in site.feed("asia/india/rss.xml").entries]
    assert titles[0] == "Newest story" and len(titles) == 11
    assert listings(site) == cold_listings(site)


def test_values_many_articles_share_are_stored_and_loaded_once(site: Site) -> None:
    assert feedpub.pipeline.listingfiles._REPEATED <= set(Listing._fields)
    many(site, 30)
    site.build()
    loaded = list(listings(site).values())
    assert len({id(listing.countries) for listing in loaded}) == 1  # all ("india",)
    assert len({id(listing.language) for listing in loaded}) == 1
    assert loaded == list(cold_listings(site).values())
