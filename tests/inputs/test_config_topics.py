"""feeds.yaml's ``topics:`` section: each wrong value's exact message and line, nothing
published; the reserved folder names only while their kind is on."""

from __future__ import annotations

from support.refusals import GOOD, Snapshot, changed, lines, refused
from support.sites import Site

from feedpub.inputs.config import load_config


def test_wrong_kinds_and_values(site: Site, published: Snapshot) -> None:
    config = GOOD + (
        "topics:\n  tags: yes\n  authors: [Ana, 3]\n  languages: [english]\n"
        "  min_items: 0\n  colour: red\n"
    )
    assert refused(site, published, config) == lines(
        site,
        ":21: topics.tags: expected auto, false, a list of terms or a mapping of terms, got true",
        ":22: topics.authors.1: expected text, got 3",
        ":23: topics.languages.0: expected a language tag like 'en' or 'si', got 'english'",
        ":24: topics.min_items: expected a whole number of at least 1, got 0",
        ":25: topics.colour: unknown key (known keys: authors, filters, languages, min_items, "
        "tags)",
    )


def test_two_spellings_of_one_term_or_one_folder_are_refused(
    site: Site, published: Snapshot
) -> None:
    config = GOOD + (
        "topics:\n  tags: [Labour, labour, São Paulo, Sao Paulo]\n"
        "  authors: {Ana: {title: A, colour: x}}\n"
    )
    assert refused(site, published, config) == lines(
        site,
        ":21: topics.tags.1: 'Labour' and 'labour' are one term (case and spaces do not count)",
        ":21: topics.tags.3: 'São Paulo' and 'Sao Paulo' would share the channel folder "
        "tags/sao-paulo/",
        ":22: topics.authors.Ana.colour: unknown key (known keys: description, title)",
    )


def test_filters(site: Site, published: Snapshot) -> None:
    config = GOOD + (
        "topics:\n  filters:\n    Bad Key: {title: X, tags: [a]}\n    empty: {title: E}\n"
        "    wrong: {title: W, regions: [mars], countries: atlantis}\n"
        "    notitle: {tags: [a]}\n    listy: [a]\n"
    )
    assert refused(site, published, config) == lines(
        site,
        ":22: topics.filters: filter key 'Bad Key' is not a slug (use lower-case letters, "
        "digits and '-')",
        ":23: topics.filters.empty: selects every article: give at least one of authors, "
        "countries, languages, regions, tags",
        ":24: topics.filters.wrong.countries: unknown country 'atlantis' (known: france, "
        "india, sri-lanka)",
        ":24: topics.filters.wrong.regions.0: unknown region 'mars' (known: asia, europe)",
        ":25: topics.filters.notitle.title: is required",
        ":26: topics.filters.listy: expected a mapping with a title and criteria, got a list",
    )


def test_folder_names_of_the_kinds_that_are_on_are_reserved(
    site: Site, published: Snapshot
) -> None:
    config = changed("  europe:\n", "  tags:\n")
    config = changed("      india: {title: India}", "      authors: {title: India}", config)
    assert refused(site, published, config + "topics:\n  tags: auto\n  authors: auto\n") == (
        lines(
            site,
            ":15: regions.asia.countries: country key 'authors' is reserved for the author "
            "channels of topics.authors (rename the country, or turn topics.authors off)",
            ":16: regions: region key 'tags' is reserved for the tag channels of topics.tags "
            "(rename the region, or turn topics.tags off)",
        )
    )
    site.write_config(config + "topics:\n  languages: auto\n")
    assert load_config(site.config).topics.languages is not None  # tags/authors: theirs again
