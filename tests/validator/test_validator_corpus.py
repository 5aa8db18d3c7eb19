"""The corpus: one small document per rule, each with the exact findings it must produce.

Documents named `*_valid_*` must produce no error and no warning. Every message code the
validator can emit must be exercised by some document here (or by a unit test named in
`CODES_TESTED_ELSEWHERE`), so a new rule cannot land without a scenario.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.corpus import CORPUS, NOW, SELF_URLS

from feedpub.validator import ERROR, WARNING, validate_path

PACKAGE = Path(__file__).parents[2] / "feedpub" / "validator"

CODES_TESTED_ELSEWHERE = {"IOError", "ValidatorBug", "ValidatorLimit"}
# The feedpub profile's rules (validate_document(..., profile="feedpub")): test_feedpub_profile.
CODES_TESTED_ELSEWHERE |= {"DuplicateId", "RelativeURL", "FutureDate", "SelfLinkMismatch"}

# file name -> sorted "severity Code" of every message it must produce
EXPECTED: dict[str, list[str]] = {
    "atom_03_namespace.xml": ["error ObsoleteNamespace"],
    "atom_tombstone_bad_children.xml": ["error DuplicateElement", "error UndefinedElement"],
    "atom_tombstone_bad_when.xml": ["error InvalidRFC3339Date"],
    "atom_tombstone_for_present_entry.xml": ["error DeletedEntryPresent"],
    "atom_tombstone_inside_entry.xml": ["error UndefinedElement"],
    "atom_tombstone_missing_ref.xml": ["error MissingAttribute"],
    "atom_tombstone_relative_ref.xml": ["error InvalidFullLink"],
    "atom_category_missing_term.xml": ["error MissingAttribute"],
    "atom_category_relative_scheme.xml": ["error InvalidFullLink"],
    "atom_child_in_no_namespace.xml": ["warning UndeterminableVocabulary"],
    "atom_content_multipart.xml": ["error InvalidMIMEType", "error NotBase64"],
    "atom_content_not_base64.xml": ["error NotBase64"],
    "atom_content_src_not_empty.xml": ["error UnexpectedText"],
    "atom_content_src_with_text_type.xml": ["error InvalidMIMEType"],
    "atom_content_src_without_summary.xml": ["error MissingSummary"],
    "atom_content_src_without_type.xml": ["warning MissingTypeAttr"],
    "atom_duplicate_alternate_links.xml": ["error DuplicateAtomLink"],
    "atom_duplicate_entry_ids.xml": ["warning DuplicateEntries"],
    "atom_duplicate_title.xml": ["error DuplicateElement"],
    "atom_email_invalid.xml": ["error InvalidAddrSpec"],
    "atom_entry_element_in_feed.xml": ["error UndefinedElement"],
    "atom_entry_missing_id.xml": ["error MissingElement"],
    "atom_entry_missing_title.xml": ["error MissingElement"],
    "atom_entry_missing_updated.xml": ["error MissingElement"],
    "atom_entry_no_content_no_alternate.xml": [
        "error MissingContentOrAlternate",
        "warning MissingTextualContent",
    ],
    "atom_generator_uri_bad_character.xml": ["error InvalidUriChar"],
    "atom_html_content_javascript_url.xml": ["error JavascriptURL"],
    "atom_html_content_script.xml": ["warning SecurityRisk"],
    "atom_icon_bad.xml": ["error InvalidLink"],
    "atom_id_bad_tag.xml": ["error InvalidTAG"],
    "atom_id_bad_urn.xml": ["error InvalidURN"],
    "atom_id_bad_uuid.xml": ["error InvalidUUID"],
    "atom_id_relative.xml": ["error InvalidFullLink"],
    "atom_link_bad_href.xml": ["error InvalidIRI"],
    "atom_link_bad_hreflang.xml": ["error InvalidLanguage"],
    "atom_link_bad_type.xml": ["error InvalidMIMEType"],
    "atom_link_empty_rel.xml": ["warning AttrNotBlank"],
    "atom_link_missing_href.xml": ["error MissingAttribute"],
    "atom_link_negative_length.xml": ["error InvalidNonNegativeInteger"],
    "atom_link_not_empty.xml": ["warning AtomLinkNotEmpty"],
    "atom_link_unregistered_rel.xml": ["warning UnregisteredAtomLinkRel"],
    "atom_misplaced_atom_elements.xml": [
        "error UndefinedElement",
        "error UndefinedElement",
        "error UndefinedElement",
    ],
    "atom_misplaced_metadata.xml": ["error MisplacedMetadata"],
    "atom_missing_author.xml": ["error MissingElement"],
    "atom_missing_feed_id.xml": ["error MissingElement"],
    "atom_missing_feed_title.xml": ["error MissingElement"],
    "atom_missing_feed_updated.xml": ["error MissingElement"],
    "atom_missing_self_link.xml": ["warning MissingSelf"],
    "atom_namespace_prefix.xml": ["warning AvoidNamespacePrefix"],
    "atom_no_namespace.xml": ["error MissingNamespace"],
    "atom_person_missing_name.xml": ["error MissingElement"],
    "atom_self_link_not_feed_type.xml": ["warning SelfNotAtom"],
    "atom_self_link_wrong_location.xml": ["error SelfDoesntMatchLocation"],
    "atom_source_incomplete.xml": ["warning MissingSourceElement", "warning MissingSourceElement"],
    "atom_text_with_undeclared_html.xml": ["warning ContainsUndeclaredHTML"],
    "atom_title_type_mime.xml": ["error InvalidTextType"],
    "atom_unexpected_attribute.xml": ["error UnexpectedAttribute"],
    "atom_unknown_atom_element.xml": ["error UndefinedElement"],
    "atom_updated_bad_month.xml": ["error InvalidRFC3339Date"],
    "atom_updated_not_rfc3339.xml": ["error InvalidRFC3339Date"],
    "atom_updated_whitespace.xml": ["error UnexpectedWhitespace"],
    "atom_valid_alternates_by_type_and_language.xml": [],
    "atom_valid_author_only_in_entries.xml": [],
    "atom_valid_base64_content.xml": [],
    "atom_valid_blogger.xml": [],
    "atom_valid_content_src.xml": [],
    "atom_valid_entry_document.xml": [],
    "atom_valid_foreign_attributes.xml": [],
    "atom_valid_github.xml": [],
    "atom_valid_jekyll.xml": [],
    "atom_valid_minimal.xml": [],
    "atom_valid_same_id_later_update.xml": [],
    "atom_valid_tombstone.xml": [],
    "atom_valid_unknown_extension.xml": [],
    "atom_valid_xhtml_content.xml": [],
    "atom_xhtml_content_onclick.xml": ["warning SecurityRiskAttr"],
    "atom_xhtml_text_outside_div.xml": ["error MissingXhtmlDiv"],
    "atom_xhtml_two_divs.xml": ["error MissingXhtmlDiv"],
    "atom_xhtml_without_div.xml": ["error MissingXhtmlDiv"],
    "json_attachment_missing_mime_type.json": ["error MissingField"],
    "json_author_empty_object.json": ["error MissingField"],
    "json_authors_not_array.json": ["error UnexpectedType"],
    "json_bad_date.json": ["error InvalidRFC3339Date"],
    "json_bad_version.json": ["error InvalidVersion"],
    "json_content_html_script.json": ["warning SecurityRisk"],
    "json_deprecated_author.json": ["warning DeprecatedField"],
    "json_duplicate_item_ids.json": ["error DuplicateValue"],
    "json_duplicate_key.json": ["warning DuplicateKey"],
    "json_feed_url_wrong_location.json": ["error SelfDoesntMatchLocation"],
    "json_item_id_object.json": ["error UnexpectedType"],
    "json_item_missing_content.json": ["error MissingField"],
    "json_item_missing_id.json": ["error MissingField"],
    "json_item_numeric_id.json": ["warning IdNotString"],
    "json_items_not_array.json": ["error UnexpectedType"],
    "json_language_invalid.json": ["error InvalidLanguage"],
    "json_missing_items.json": ["error MissingField"],
    "json_missing_title.json": ["error MissingField"],
    "json_missing_version.json": ["error MissingField"],
    "json_nan.json": ["error InvalidJSON"],
    "json_relative_url.json": ["error InvalidFullLink"],
    "json_syntax_error.json": ["error InvalidJSON"],
    "json_title_not_string.json": ["error UnexpectedType"],
    "json_top_level_array.json": ["error UnexpectedType"],
    "json_unknown_field.json": ["warning UnknownField"],
    "json_valid_extension_field.json": [],
    "json_valid_minimal.json": [],
    "json_valid_podcast_attachments.json": [],
    "json_valid_version_1_with_author.json": [],
    "json_version_www.json": ["warning NonCanonicalVersion"],
    "rss_atom_link_missing_href.xml": ["error MissingAttribute"],
    "rss_atom_self_link_relative.xml": ["warning RelativeSelf"],
    "rss_atom_self_link_wrong_location.xml": ["error SelfDoesntMatchLocation"],
    "rss_author_and_dc_creator.xml": ["warning DuplicateItemSemantics"],
    "rss_author_bad_email.xml": ["error InvalidContact"],
    "rss_author_valid_with_name.xml": [],
    "rss_bad_version.xml": ["error InvalidRSSVersion"],
    "rss_channel_link_relative.xml": ["error InvalidFullLink"],
    "rss_cloud_missing_port.xml": ["error MissingAttribute"],
    "rss_comments_relative.xml": ["error InvalidFullLink"],
    "rss_content_before_description.xml": ["warning NeedDescriptionBeforeContent"],
    "rss_content_encoded_in_channel.xml": ["error UndefinedElement"],
    "rss_content_encoded_onclick.xml": ["warning SecurityRiskAttr"],
    "rss_dc_date_invalid.xml": ["error InvalidW3CDTFDate"],
    "rss_dc_unknown_element.xml": ["error UndefinedElement"],
    "rss_description_javascript_url.xml": ["error JavascriptURL"],
    "rss_description_relative_link.xml": ["warning ContainsRelRef"],
    "rss_description_relative_link_with_space.xml": ["error InvalidUriChar"],
    "rss_description_script.xml": ["warning SecurityRisk"],
    "rss_duplicate_channel_title.xml": ["error DuplicateElement"],
    "rss_enclosure_bad_type.xml": ["error InvalidMIMEAttribute"],
    "rss_enclosure_length_minus_one.xml": ["error UseZeroForUnknown"],
    "rss_enclosure_length_not_integer.xml": ["error InvalidIntegerAttribute"],
    "rss_enclosure_missing_length.xml": ["error MissingAttribute"],
    "rss_enclosure_relative_url.xml": ["error InvalidURLAttribute"],
    "rss_enclosure_twice.xml": ["warning DuplicateEnclosure"],
    "rss_enclosure_valid.xml": [],
    "rss_extension_child_without_namespace.xml": ["error NotInANamespace"],
    "rss_feedburner_unknown_element.xml": ["error UndefinedElement"],
    "rss_geo_lat_out_of_range.xml": ["error InvalidLatitude"],
    "rss_geo_long_out_of_range.xml": ["error InvalidLongitude"],
    "rss_georss_line_bad.xml": ["error InvalidCoordList"],
    "rss_georss_point_bad.xml": ["error InvalidCoord"],
    "rss_geourl_longitude_out_of_range.xml": ["error InvalidLongitude"],
    "rss_guid_bad_ispermalink.xml": ["error InvalidBooleanAttribute"],
    "rss_guid_duplicate.xml": ["error DuplicateValue"],
    "rss_guid_not_url.xml": ["error InvalidHttpGUID"],
    "rss_guid_short_number.xml": ["warning NotSufficientlyUnique"],
    "rss_guid_tag_uri_as_permalink.xml": ["error InvalidPermalink"],
    "rss_icbm_latitude_out_of_range.xml": ["error InvalidLatitude"],
    "rss_image_link_differs.xml": ["warning ImageLinkDoesntMatch"],
    "rss_image_missing_url.xml": ["error MissingElement"],
    "rss_image_title_differs.xml": ["warning ImageTitleDoesntMatch"],
    "rss_image_too_tall.xml": ["error InvalidHeight"],
    "rss_image_too_wide.xml": ["error InvalidWidth"],
    "rss_image_url_not_image.xml": ["warning ImageUrlFormat"],
    "rss_image_valid.xml": [],
    "rss_item_category_valid.xml": [],
    "rss_item_link_with_space.xml": ["error InvalidUriChar"],
    "rss_item_title_html.xml": ["warning ContainsHTML"],
    "rss_item_without_title_or_description.xml": ["error ItemMustContainTitleOrDescription"],
    "rss_itunes_bad_category.xml": ["error InvalidItunesCategory"],
    "rss_itunes_block_bad.xml": ["error InvalidYesNoClean"],
    "rss_itunes_duration_bad.xml": ["error InvalidDuration"],
    "rss_itunes_element_at_wrong_level.xml": ["error UndefinedElement"],
    "rss_itunes_episode_type_bad.xml": ["error InvalidItunesEpisodeType"],
    "rss_itunes_explicit_yes.xml": ["error InvalidTrueFalse"],
    "rss_itunes_image_missing_href.xml": ["error MissingAttribute", "error UnexpectedAttribute"],
    "rss_itunes_keywords_spaces.xml": ["warning InvalidKeywords"],
    "rss_itunes_old_category.xml": ["warning ObsoleteItunesCategory"],
    "rss_itunes_owner_missing_email.xml": ["error MissingElement"],
    "rss_itunes_subtitle_too_long.xml": ["error TooLong"],
    "rss_itunes_type_bad.xml": ["error InvalidItunesChannelType"],
    "rss_language_invalid.xml": ["error InvalidLanguage"],
    "rss_lastbuilddate_bad_hour.xml": ["error InvalidRFC2822Date"],
    "rss_managingeditor_name_only.xml": ["error InvalidContact"],
    "rss_managingeditor_no_real_name.xml": ["warning MissingRealName"],
    "rss_media_adult.xml": ["warning DeprecatedMediaAdult"],
    "rss_media_content_bad_attributes.xml": [
        "error InvalidFloat",
        "error InvalidMediaExpression",
        "error InvalidMediaMedium",
    ],
    "rss_media_content_relative_url.xml": ["error InvalidFullLink"],
    "rss_media_credit_bad_role.xml": ["error InvalidCreditRole"],
    "rss_media_description_hides_summary.xml": ["warning MediaDescriptionHidesSummary"],
    "rss_media_group_single_content.xml": ["error MediaGroupWithoutAlternatives"],
    "rss_media_hash_bad.xml": ["error InvalidMediaHash"],
    "rss_media_namespace_without_slash.xml": ["error MediaRssNamespace"],
    "rss_media_rating_bad.xml": ["error InvalidMediaRating"],
    "rss_media_restriction_bad_relationship.xml": ["error InvalidMediaRestrictionRel"],
    "rss_media_restriction_bad_type.xml": ["error InvalidMediaRestrictionType"],
    "rss_media_restriction_bad_value.xml": ["error InvalidMediaRestriction"],
    "rss_media_thumbnail_bad_time.xml": ["error InvalidNPTTime"],
    "rss_media_thumbnail_missing_url.xml": ["error MissingAttribute"],
    "rss_media_title_bad_type.xml": ["error InvalidMediaTextType"],
    "rss_misplaced_item.xml": ["warning MisplacedItem"],
    "rss_missing_atom_self_link.xml": ["warning MissingAtomSelfLink"],
    "rss_missing_channel.xml": ["error MissingElement"],
    "rss_missing_channel_description.xml": ["error MissingElement"],
    "rss_missing_channel_link.xml": ["error MissingElement"],
    "rss_missing_channel_title.xml": ["error MissingElement"],
    "rss_missing_guid.xml": ["warning MissingGuid"],
    "rss_missing_version.xml": ["error MissingAttribute"],
    "rss_namespace_with_spaces.xml": ["error SAXError"],
    "rss_namespaced_root.xml": ["error InvalidNamespace"],
    "rss_pubdate_bad_weekday.xml": ["error IncorrectDOW"],
    "rss_pubdate_future.xml": ["warning ImplausibleDate"],
    "rss_pubdate_impossible_date.xml": ["error InvalidRFC2822Date"],
    "rss_pubdate_iso8601.xml": ["error InvalidRFC2822Date"],
    "rss_pubdate_missing_zone.xml": ["error InvalidRFC2822Date"],
    "rss_pubdate_two_digit_year.xml": ["warning ProblematicalRFC822Date"],
    "rss_pubdate_unknown_zone.xml": ["error InvalidRFC2822Date"],
    "rss_skipdays_bad_day.xml": ["error InvalidDay"],
    "rss_skipdays_eight.xml": ["error DuplicateValue", "error EightDaysAWeek"],
    "rss_skiphours_24.xml": ["warning UseZeroForMidnight"],
    "rss_skiphours_duplicate.xml": ["error DuplicateValue"],
    "rss_skiphours_out_of_range.xml": ["error InvalidHour"],
    "rss_skiphours_too_many.xml": ["error DuplicateValue", "error NotEnoughHoursInTheDay"],
    "rss_slash_comments_not_number.xml": ["error InvalidNonNegativeInteger"],
    "rss_slash_hit_parade_bad.xml": ["error InvalidCommaSeparatedIntegers"],
    "rss_sy_update_period_bad.xml": ["error InvalidUpdatePeriod"],
    "rss_text_in_channel.xml": ["error UnexpectedText"],
    "rss_textinput_bad_name.xml": ["error InvalidFormComponentName", "warning AvoidTextInput"],
    "rss_textinput_lowercase.xml": ["error UndefinedElement"],
    "rss_textinput_missing_name.xml": ["error MissingElement", "warning AvoidTextInput"],
    "rss_title_empty.xml": ["warning NotBlank"],
    "rss_ttl_not_integer.xml": ["error InvalidPositiveInteger"],
    "rss_unescaped_html_in_description.xml": ["error UndefinedElement"],
    "rss_unexpected_attribute.xml": ["error UnexpectedAttribute"],
    "rss_unknown_element.xml": ["error UndefinedElement"],
    "rss_valid_feedburner.xml": [],
    "rss_valid_geo.xml": [],
    "rss_valid_guid_not_permalink.xml": [],
    "rss_valid_icbm_at_the_limits.xml": [],
    "rss_valid_media_and_dc.xml": [],
    "rss_valid_minimal.xml": [],
    "rss_valid_podcast_itunes.xml": [],
    "rss_valid_unknown_extension_namespace.xml": [],
    "rss_valid_wordpress.xml": [],
    "rss_webmaster_angle_brackets.xml": ["warning EmailFormat"],
    "rss_wfw_comment_rss_typo.xml": ["warning CommentRSS"],
    "rss_xml_lang_invalid.xml": ["error InvalidLanguage"],
    "xml_billion_laughs.xml": ["error ValidatorLimit"],
    "xml_bom_contradicts_declaration.xml": ["error UnicodeError"],
    "xml_c1_control_characters.xml": ["warning BadCharacters"],
    "xml_declared_utf8_latin1_bytes.xml": ["error UnicodeError"],
    "xml_empty_file.xml": ["error SAXError"],
    "xml_external_entity.xml": ["info ContainsSystemEntity"],
    "xml_illegal_control_character.xml": ["error InvalidXmlCharacter"],
    "xml_not_well_formed.xml": ["error SAXError"],
    "xml_nul_byte.xml": ["error InvalidXmlCharacter"],
    "xml_obscure_encoding.xml": ["warning ObscureEncoding"],
    "xml_quadratic_blowup.xml": ["error ValidatorLimit"],
    "xml_rss_091_doctype_wrong_version.xml": ["error InvalidDoctype"],
    "xml_rss_091_netscape_doctype.xml": ["error DeprecatedDTD"],
    "xml_rss_1_0_rdf.xml": ["info UnsupportedFormat"],
    "xml_single_line_without_declaration.xml": ["warning MissingAtomSelfLink"],
    "xml_undeclared_latin1.xml": ["error UnicodeError"],
    "xml_undefined_entity_nbsp.xml": ["error UndefinedNamedEntity"],
    "xml_undefined_entity_with_external_dtd.xml": [
        "error UndefinedNamedEntity",
        "info ContainsSystemEntity",
    ],
    "xml_unknown_encoding.xml": ["error UnknownEncoding"],
    "xml_unknown_root_element.xml": ["error UndefinedElement"],
    "xml_valid_bom_utf8.xml": [],
    "xml_valid_internal_entity.xml": [],
    "xml_valid_latin1_declared.xml": [],
    "xml_valid_rss_091_rssboard_doctype.xml": [],
    "xml_valid_utf16.xml": [],
    "xml_version_1_1.xml": ["error BadXmlVersion"],
    "xml_whitespace_before_declaration.xml": ["error SAXError"],
}


def _findings(name: str) -> list[str]:
    messages = validate_path(CORPUS / name, now=NOW, self_url=SELF_URLS.get(name))
    return sorted(f"{m.severity} {m.code}" for m in messages)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_document_produces_exactly_the_expected_findings(name: str) -> None:
    assert _findings(name) == EXPECTED[name]


def test_every_corpus_file_has_an_expectation_and_every_expectation_a_file() -> None:
    assert sorted(path.name for path in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if "_valid_" in n))
def test_valid_documents_have_no_errors_or_warnings(name: str) -> None:
    messages = validate_path(CORPUS / name, now=NOW, self_url=SELF_URLS.get(name))
    assert [m for m in messages if m.severity in (ERROR, WARNING)] == []


# The page and OPML checks have their own corpora and their own test of this kind, the news
# sitemap's its own test (test_sitemapcheck.py); the build-level checks (output.py) are tested
# on built folders (tests/commands/test_validate_cli.py).
OWN_CORPORA = {"pages.py", "opml.py", "output.py", "sitemap.py"}


def test_every_message_code_in_the_validator_is_exercised() -> None:
    camel_case = re.compile(r'"([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+|SAXError|IOError)"')
    emitted = {
        match.group(1)
        for source in PACKAGE.glob("*.py")
        if source.name not in OWN_CORPORA
        for match in camel_case.finditer(source.read_text(encoding="utf-8"))
    }
    exercised = {finding.split()[1] for findings in EXPECTED.values() for finding in findings}
    assert emitted - exercised - CODES_TESTED_ELSEWHERE == set()


def test_messages_name_the_element_and_its_position() -> None:
    messages = validate_path(CORPUS / "rss_pubdate_bad_weekday.xml", now=NOW)
    assert [(m.line, m.column, m.message) for m in messages] == [
        (
            14,
            7,
            "item 1: <pubDate> 'Tue, 02 Jan 2006 15:04:05 +0000' says Tue, but that date is a Mon",
        )
    ]


def test_columns_are_exact_on_single_line_documents() -> None:
    messages = validate_path(CORPUS / "xml_single_line_without_declaration.xml", now=NOW)
    assert [(m.line, m.column) for m in messages] == [(1, 20)]


def test_parse_errors_carry_line_and_column() -> None:
    messages = validate_path(CORPUS / "xml_not_well_formed.xml", now=NOW)
    assert [(m.line, m.column, m.code) for m in messages] == [(10, 32, "SAXError")]
    assert "mismatch" in messages[0].message


def test_json_errors_carry_line_and_column() -> None:
    messages = validate_path(CORPUS / "json_syntax_error.json", now=NOW)
    assert [(m.line, m.column, m.code) for m in messages] == [(5, 1, "InvalidJSON")]
