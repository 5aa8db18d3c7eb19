"""A trailing newline is not part of a slug, a language tag, an address or a URI: every check
anchors at the very end (issue 9: ``$`` also matched before a final newline)."""

from __future__ import annotations

import copy

import pytest
from support.sites import BASE_CONFIG, Site

from feedpub.errors import InputError
from feedpub.validator.uris import is_addr_spec, uri_problem


def problems(site: Site) -> list[str]:
    with pytest.raises(InputError) as caught:
        site.build()
    return [str(p).replace(str(site.root) + "/", "") for p in caught.value.problems]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("slug", "evil\n", "a slug (lower-case letters, digits and '-')"),
        ("language", "en\n", "a language tag like 'en' or 'si'"),
        ("id", "tag:example.org,2022:x\n", "an absolute URI like 'tag:example.org,2022:hartal'"),
    ],
)
def test_front_matter_values_with_a_trailing_newline(
    site: Site, key: str, value: str, expected: str
) -> None:
    site.article("asia/x", title="X", date="2022-03-01", **{key: value})
    [found] = problems(site)
    assert found.startswith(f"content/asia/x.md:4: {key}: expected {expected}")


def test_an_author_email_with_a_trailing_newline(site: Site) -> None:
    site.article("asia/x", title="X", date="2022-03-01", author={"name": "A", "email": "a@b.org\n"})
    assert problems(site) == [
        "content/asia/x.md:6: author.email: expected an email address like "
        "'desk@example.org', got 'a@b.org\\n'"
    ]


def test_a_country_key_with_a_trailing_newline(site: Site) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["regions"]["asia"]["countries"]["burma\n"] = {"title": "Burma"}
    site.write_config(config)
    [found] = problems(site)
    assert found.endswith(
        "regions.asia.countries: country key 'burma\\n' is not a slug "
        "(use lower-case letters, digits and '-')"
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [("language", "en\n"), ("id_authority", "example.org,2022\n"), ("link_pattern", "{slug}/\n")],
)
def test_site_values_with_a_trailing_newline(site: Site, key: str, value: str) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config["site"][key] = value
    site.write_config(config)
    [found] = problems(site)
    assert f": site.{key}: expected " in found


def test_the_validator_anchors_too() -> None:
    assert not is_addr_spec("desk@example.org\n")
    assert uri_problem("urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6\n", absolute=True) is not None
    assert uri_problem("tag:example.org,2022:x\n", absolute=True) is not None
