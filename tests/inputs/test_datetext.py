"""Dates written as text: the fromisoformat fast path means exactly what dateutil reads."""

from __future__ import annotations

from datetime import datetime

import pytest
from dateutil import parser as dateparser
from hypothesis import example, given, settings
from hypothesis import strategies as st

from feedpub.inputs.datetext import iso_date, parse_date_text

# dateutil warns about words it takes for zone names in random text; that is its business.
pytestmark = pytest.mark.filterwarnings("ignore:tzname .* identified but not understood")


def dateutil_reads(text: str) -> datetime | type[Exception]:
    try:
        return dateparser.parse(text, default=datetime(2000, 1, 1))  # noqa: DTZ001
    except (ValueError, OverflowError) as exc:
        return ValueError if isinstance(exc, ValueError) else OverflowError


def ours(text: str) -> datetime | type[Exception]:
    try:
        return parse_date_text(text)
    except (ValueError, OverflowError) as exc:
        return ValueError if isinstance(exc, ValueError) else OverflowError


def same_meaning(a: datetime | type[Exception], b: datetime | type[Exception]) -> bool:
    """The same wall-clock fields and the same offset (or both naive), or the same failure."""
    if not isinstance(a, datetime) or not isinstance(b, datetime):
        return a == b
    if (a.tzinfo is None) != (b.tzinfo is None):
        return False
    try:
        offsets = a.utcoffset() == b.utcoffset()
    except ValueError:  # dateutil's offsets of a day or more (content.py reports them)
        offsets = a.tzinfo == b.tzinfo
    return a.replace(tzinfo=None) == b.replace(tzinfo=None) and offsets


def digits(count: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from("0123456789"), min_size=count, max_size=count)


# ISO 8601 and near-ISO strings: every part in the forms either parser knows, and ones only
# fromisoformat knows (week dates, compact forms, any separator, offsets with seconds).
DATE = st.one_of(
    st.tuples(digits(4), st.just("-"), digits(2), st.just("-"), digits(2)).map("".join),
    st.sampled_from(["2021-09-02", "2024-02-29", "2023-02-29", "0001-01-01", "9999-12-31"]),
    st.sampled_from(["20210902", "2021-W05", "2021-W05-3", "2021W053", "2021-09", "2021-9-2"]),
    st.sampled_from(["２０２１-09-02", "2021-09-0٢"]),
)
SEPARATOR = st.sampled_from(["T", " ", "t", "x", "_", "  ", "\t", "T "])
TIME = st.one_of(
    st.tuples(digits(2), st.just(":"), digits(2)).map("".join),
    st.sampled_from(["05", "0530", "053005", "05:30:05", "23:59:59", "23:59:60", "24:00"]),
    st.sampled_from(["00:00", "12:00:00", "05:30:5", "5:30"]),
)
FRACTION = st.one_of(
    st.just(""),
    st.tuples(st.sampled_from([".", ","]), st.integers(1, 9).flatmap(digits)).map("".join),
)
OFFSET = st.one_of(
    st.sampled_from(["", "Z", "z", " Z", "+00:00", "-00:00", "+10:00", "-05:30", "+14:00"]),
    st.sampled_from(["+10", "+1000", "+10:00:30", "+05:30:00.5", "+24:00", "+23:59", " +05:30"]),
    st.tuples(st.sampled_from("+-"), digits(2), st.just(":"), digits(2)).map("".join),
)
ISO_LIKE = st.one_of(
    DATE,
    st.tuples(DATE, SEPARATOR, TIME, FRACTION, OFFSET).map("".join),
    st.tuples(DATE, SEPARATOR, TIME, st.just(":"), digits(2), FRACTION, OFFSET).map("".join),
)
PADDED = st.tuples(st.sampled_from(["", " ", "\n"]), ISO_LIKE, st.sampled_from(["", " "]))


@settings(max_examples=1500, deadline=None)
@given(st.one_of(ISO_LIKE, PADDED.map("".join), st.text(max_size=30)))
@example("2021-09-02T05:30:05+10:00")
@example("2021-09-02 05:30")
@example("2021-W05-3")
@example("2021-09-02x05:30")
@example("2021-09-02T05:30:05+10:00:30")
@example("2021-02-30")
def test_parse_date_text_means_what_dateutil_reads(text: str) -> None:
    assert same_meaning(ours(text), dateutil_reads(text)), text


@settings(max_examples=1500, deadline=None)
@given(st.one_of(ISO_LIKE, st.text(max_size=30)))
def test_fast_path_agrees_with_dateutil_wherever_it_is_taken(text: str) -> None:
    fast = iso_date(text)
    if fast is not None:
        assert fast == datetime.fromisoformat(text)
        assert same_meaning(fast, dateutil_reads(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "2021-09-02",
        "2021-09-02 05:30",
        "2021-09-02T05:30:05",
        "2021-09-02T05:30:05.123456",
        "2021-09-02T05:30:05Z",
        "2021-09-02T05:30:05+10:00",
        "2021-09-02T05:30:05.5-03:30",
    ],
)
def test_what_tooling_writes_takes_the_fast_path(text: str) -> None:
    assert iso_date(text) is not None


@pytest.mark.parametrize(
    "text",
    ["2021-W05-3", "2021W053", "2021-09-02x05:30", "2021-09-02T05:30:05+10:00:30"],
)
def test_forms_only_fromisoformat_reads_are_left_to_dateutil(text: str) -> None:
    datetime.fromisoformat(text)  # Python 3.11 reads these; dateutil does not
    assert iso_date(text) is None
    with pytest.raises(ValueError):
        parse_date_text(text)
