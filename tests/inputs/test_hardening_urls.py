"""Front matter URLs (link, image) are used exactly as written, so they must be safe as written."""

from __future__ import annotations

from support.refusals import Snapshot, error, front, refused
from support.sites import Site


def test_link_with_a_leading_tab_is_refused(site: Site, published: Snapshot) -> None:
    site.raw(
        "asia/bad.md", front("title: T", "date: 2022-03-02", 'link: "\\thttps://evil.example/"')
    )
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":4: link: expected an absolute http(s) URL, got '\\thttps://evil.example/'",
    )


def test_link_with_a_script_scheme_is_refused(site: Site, published: Snapshot) -> None:
    site.raw("asia/bad.md", front("title: T", "date: 2022-03-02", 'link: "javascript:alert(1)"'))
    assert refused(site, published) == error(
        site, "asia/bad.md", ":4: link: expected an absolute http(s) URL, got 'javascript:alert(1)'"
    )


def test_image_on_another_host_written_as_a_site_path_is_refused(
    site: Site, published: Snapshot
) -> None:
    site.raw("asia/bad.md", front("title: T", "date: 2022-03-02", "image: //evil.example/x.png"))
    assert refused(site, published) == error(
        site,
        "asia/bad.md",
        ":4: image: expected an absolute http(s) URL, got '//evil.example/x.png' (it has no "
        "scheme: write it with https:)",
    )
