"""Date formats of the three feed specifications, judged the way the W3C validator does.

* RFC 822 (RSS 2.0 pubDate, lastBuildDate): the RSS Advisory Board profile form
  (`Mon, 02 Jan 2006 15:04:05 +0000`, 4-digit year, known zone) is valid; looser RFC 822
  forms (2-digit year, missing zone, odd spacing, military zones) only earn a warning; a wrong
  day of the week or an impossible date is an error.
* RFC 3339 (Atom updated/published, JSON Feed dates) and W3CDTF (dc:date).

Each check returns None for a good value or a `DateFinding` naming what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from .messages import ERROR, WARNING

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ZONES = {
    "UT": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
}

_RFC822_PROFILE = re.compile(
    r"(?:(?P<dow>Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(?P<day>\d\d?) (?P<month>"
    + "|".join(_MONTHS)
    + r") (?P<year>\d{4}) (?P<hour>\d\d):(?P<minute>\d\d)(?::(?P<second>\d\d))? "
    r"(?P<zone>[+-]?\d\d[03]0|UT|GMT|[ECMP][SD]T|Z)\Z",
    re.ASCII,
)
_RFC822_LOOSE = re.compile(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)\s*,\s*)?\d\d?\s+(?:"
    + "|".join(m.lower() for m in _MONTHS)
    + r")\s+\d\d(?:\d\d)?\s+\d\d:\d\d(?::\d\d)?"
    r"\s+(?:[+-]\d{4}|ut|gmt|[ecmp][sd]t|[a-ik-z])\Z",
    re.ASCII,
)
_RFC3339 = re.compile(
    r"(?P<date>\d{4}-\d\d-\d\d)T(?P<hour>\d\d):(?P<minute>\d\d):(?P<second>\d\d)(?:\.\d*)?"
    r"(?P<zone>Z|[+-]\d\d:\d\d)\Z",
    re.ASCII,
)
_W3CDTF = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d\d)(?:-(?P<day>\d\d)(?:T(?P<hour>\d\d):(?P<minute>\d\d)"
    r"(?::(?P<second>\d\d)(?:\.\d*)?)?(?P<zone>Z|[+-]\d\d:\d\d))?)?)?\Z",
    re.ASCII,
)

# Dates before this, or more than ten minutes after "now", are implausible (W3C: ImplausibleDate).
_EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)
_FUTURE_SLACK = timedelta(minutes=10)
_NOT_RFC822 = "is not an RFC 822 date like 'Mon, 02 Jan 2006 15:04:05 +0000'"
# Longer values are not dates; the limit keeps comment stripping cheap on hostile input.
_LONGEST_DATE = 200


@dataclass(frozen=True)
class DateFinding:
    """What is wrong with a date value: severity, stable code, and a short reason."""

    severity: str
    code: str
    reason: str


def check_rfc822(value: str, now: datetime) -> DateFinding | None:
    """Judge an RSS 2.0 date such as `Mon, 02 Jan 2006 15:04:05 +0000`."""
    if len(value) > _LONGEST_DATE:
        return DateFinding(ERROR, "InvalidRFC2822Date", _NOT_RFC822)
    match = _RFC822_PROFILE.match(value)
    if match is None:
        if _RFC822_LOOSE.match(_strip_comments(value).strip().lower()):
            return DateFinding(
                WARNING,
                "ProblematicalRFC822Date",
                "is an RFC 822 date, but not in the recommended form "
                "'Mon, 02 Jan 2006 15:04:05 +0000' (4-digit year, numeric or GMT zone)",
            )
        return DateFinding(ERROR, "InvalidRFC2822Date", _NOT_RFC822)
    fields = match.groupdict()
    try:
        local = datetime(
            int(fields["year"]),
            _MONTHS.index(fields["month"]) + 1,
            int(fields["day"]),
            int(fields["hour"]),
            int(fields["minute"]),
            int(fields["second"] or 0),
            tzinfo=UTC,
        )
    except ValueError as exc:
        return DateFinding(ERROR, "InvalidRFC2822Date", f"is not an RFC 822 date: {exc}")
    if fields["dow"] is not None and fields["dow"] != _DAYS[local.weekday()]:
        return DateFinding(
            ERROR,
            "IncorrectDOW",
            f"says {fields['dow']}, but that date is a {_DAYS[local.weekday()]}",
        )
    moment = local.replace(tzinfo=_rfc822_zone(fields["zone"]))
    return _plausibility(moment, now)


def check_rfc3339(value: str, now: datetime) -> DateFinding | None:
    """Judge an RFC 3339 timestamp such as `2006-01-02T15:04:05Z`."""
    match = _RFC3339.match(value)
    if match is None:
        return DateFinding(
            ERROR,
            "InvalidRFC3339Date",
            "is not an RFC 3339 date like '2006-01-02T15:04:05Z' (time and zone required)",
        )
    fields = match.groupdict()
    year, month, day = (int(part) for part in fields["date"].split("-"))
    moment = _build(
        year, month, day, fields["hour"], fields["minute"], fields["second"], fields["zone"]
    )
    if isinstance(moment, str):
        return DateFinding(ERROR, "InvalidRFC3339Date", f"is not an RFC 3339 date: {moment}")
    return _plausibility(moment, now)


def check_w3cdtf(value: str, now: datetime) -> DateFinding | None:
    """Judge a W3C date-time profile value such as `2006-01-02` or `2006-01-02T15:04Z`."""
    match = _W3CDTF.match(value)
    if match is None:
        return DateFinding(
            ERROR,
            "InvalidW3CDTFDate",
            "is not a W3C-DTF date like '2006-01-02' or '2006-01-02T15:04:05Z'",
        )
    fields = match.groupdict()
    moment = _build(
        int(fields["year"]),
        int(fields["month"] or 1),
        int(fields["day"] or 1),
        fields["hour"] or "00",
        fields["minute"] or "00",
        fields["second"] or "00",
        fields["zone"] or "Z",
    )
    if isinstance(moment, str):
        return DateFinding(ERROR, "InvalidW3CDTFDate", f"is not a W3C-DTF date: {moment}")
    return _plausibility(moment, now)


def _build(
    year: int, month: int, day: int, hour: str, minute: str, second: str, zone: str
) -> datetime | str:
    """The moment the fields describe, or the reason they describe none."""
    if int(hour) > 23 or int(minute) > 59 or int(second) > 60:
        return f"there is no time {hour}:{minute}:{second}"
    try:
        tz = _numeric_zone(zone)
        # A leap second (:60) is valid; count it as the last second of the minute.
        return datetime(year, month, day, int(hour), int(minute), min(int(second), 59), tzinfo=tz)
    except ValueError as exc:
        return str(exc)


def _numeric_zone(zone: str) -> timezone:
    if zone == "Z":
        return UTC
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    if hours > 23 or minutes > 59:
        raise ValueError(f"zone offset {zone} out of range")
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if zone[0] == "-" else offset)


def _rfc822_zone(zone: str) -> timezone:
    if zone in _ZONES:
        return timezone(timedelta(hours=_ZONES[zone]))
    sign = -1 if zone[0] == "-" else 1
    digits = zone.lstrip("+-")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _plausibility(moment: datetime, now: datetime) -> DateFinding | None:
    if moment < _EARLIEST_PLAUSIBLE:
        return DateFinding(WARNING, "ImplausibleDate", "is before 1990")
    if moment > now + _FUTURE_SLACK:
        return DateFinding(WARNING, "ImplausibleDate", "is in the future")
    return None


def _strip_comments(value: str) -> str:
    """Remove RFC 822 comments `(...)` and quoted pairs, as the loose grammar allows them."""
    value = re.sub(r"\\.", "", value)
    previous = None
    while previous != value:
        previous, value = value, re.sub(r"\([^()]*\)", " ", value)
    return value
