"""``site.webfeeds``: each wrong value named by file, line and key, nothing published."""

from __future__ import annotations

from support.refusals import Snapshot, changed, lines, refused
from support.sites import Site

AUTHORITY = "  id_authority: example.org,2022\n"


def with_webfeeds(*entries: str) -> str:
    return changed(AUTHORITY, AUTHORITY + "  webfeeds:\n" + "".join(f"    {e}\n" for e in entries))


def test_wrong_values_are_named_with_their_lines(site: Site, published: Snapshot) -> None:
    config = with_webfeeds(
        "icon: /icon.svg",
        "logo: [https://example.org/logo.svg]",
        "cover: https://example.org/cover.jpg",
        "accent_color: '#00a3e0'",
        "colour: red",
    )
    assert refused(site, published, config) == lines(
        site,
        ":11: site.webfeeds.icon: expected an absolute http(s) URL, got '/icon.svg'",
        ":12: site.webfeeds.logo: expected an absolute http(s) URL, got a list",
        ":14: site.webfeeds.accent_color: expected a colour as six hex digits without '#', "
        "like '00a3e0', got '#00a3e0'",
        ":15: site.webfeeds.colour: unknown key (known keys: accent_color, cover, icon, logo)",
    )


def test_an_accent_colour_yaml_read_as_a_number(site: Site, published: Snapshot) -> None:
    assert refused(site, published, with_webfeeds("accent_color: 123456")) == lines(
        site,
        ":11: site.webfeeds.accent_color: expected a colour as six hex digits in quotes, "
        "like '00a3e0' (unquoted, YAML reads a number), got 123456",
    )


def test_an_unquoted_hash_leaves_the_colour_empty(site: Site, published: Snapshot) -> None:
    assert refused(site, published, with_webfeeds("accent_color: #00a3e0")) == lines(
        site,
        ":11: site.webfeeds.accent_color: is empty "
        "(an unquoted '#' starts a YAML comment: write '00a3e0', no '#')",
    )


def test_a_short_colour_and_an_empty_icon(site: Site, published: Snapshot) -> None:
    config = with_webfeeds("icon:", "accent_color: fff")
    assert refused(site, published, config) == lines(
        site,
        ":11: site.webfeeds.icon: is empty",
        ":12: site.webfeeds.accent_color: expected a colour as six hex digits without '#', "
        "like '00a3e0', got 'fff'",
    )


def test_not_a_mapping(site: Site, published: Snapshot) -> None:
    config = changed(AUTHORITY, AUTHORITY + "  webfeeds: https://example.org/icon.svg\n")
    assert refused(site, published, config) == lines(
        site, ":10: site.webfeeds: expected a mapping, got 'https://example.org/icon.svg'"
    )
