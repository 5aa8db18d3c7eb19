"""The OPML checks: one document per rule in tests/validator/opml_corpus/, with the exact
findings it must produce; every code validator/opml.py reports itself is exercised; feedpub's
own OPML passes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.sites import Site

from feedpub.validator.opml import check_opml

CORPUS = Path(__file__).parent / "opml_corpus"
MODULE = Path(__file__).parents[2] / "feedpub" / "validator" / "opml.py"
NOW = datetime(2024, 6, 1, tzinfo=UTC)

EXPECTED: dict[str, list[str]] = {
    "bad_date.opml": ["error InvalidRFC2822Date"],
    "bad_language.opml": ["error InvalidLanguage"],
    "bad_owner_email.opml": ["error InvalidEmail"],
    "empty_body.opml": ["error MissingOutline"],
    "empty_title.opml": ["warning NotBlank"],
    "missing_body.opml": ["error MissingElement"],
    "missing_head.opml": ["error MissingElement"],
    "not_opml.opml": ["error NotOpml"],
    "not_well_formed.opml": ["error SAXError"],
    "outline_without_text.opml": ["error MissingAttribute"],
    "relative_xmlurl.opml": ["error InvalidFullLink"],
    "rss_outline_without_xmlurl.opml": ["error MissingAttribute"],
    "two_heads.opml": ["error DuplicateElement"],
    "unknown_element.opml": ["error UndefinedElement"],
    "unknown_outline_attribute.opml": ["error UnexpectedAttribute"],
    "valid_minimal.opml": [],
    "valid_nested_with_head.opml": [],
    "version_1.opml": ["error OpmlVersion"],
}


def findings(data: bytes) -> list[str]:
    return sorted(f"{m.severity} {m.code}" for m in check_opml(data, NOW))


def test_the_corpus_is_the_table() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_document_gives_exactly_its_findings(name: str) -> None:
    assert findings((CORPUS / name).read_bytes()) == EXPECTED[name]


def test_every_code_of_the_module_is_exercised() -> None:
    source = MODULE.read_text()
    codes = set(re.findall(r'scope\.(?:error|warning)\(\s*"(\w+)"', source))
    codes |= set(re.findall(r'email_address\("(\w+)"\)', source))
    exercised = {finding.split()[1] for found in EXPECTED.values() for finding in found}
    assert codes and codes <= exercised, codes - exercised


def test_the_builds_opml_has_nothing_to_report(sample: Site) -> None:
    sample.build()
    assert check_opml((sample.out / "feeds.opml").read_bytes(), NOW) == []


def test_a_bad_opml_fails_the_build_and_publishes_nothing(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    import feedpub.writers.opml
    from feedpub.errors import ValidationFailed

    site.article("a", title="A", date="2022-01-01", countries=["india"])
    monkeypatch.setattr(
        feedpub.writers.opml, "render_opml", lambda config, channels, path: b"<opml/>"
    )
    with pytest.raises(ValidationFailed) as failed:
        site.build()
    assert "feeds.opml:1:1: error OpmlVersion: opml: <opml> version None is not '2.0'" in str(
        failed.value
    )
    assert not site.out.exists()
