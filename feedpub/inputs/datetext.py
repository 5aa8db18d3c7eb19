"""A date written as text in front matter (``date: "2021-09-02T05:30:05+10:00"``) to a datetime.

The README promises "any form python-dateutil reads", and dateutil's meaning is the one we
keep. dateutil's parser is slow (a tokenizer in Python, a tenth of a cold build whose dates are
quoted), so the ISO 8601 forms Hugo and Jekyll tooling writes take ``datetime.fromisoformat``
instead, but only where the two are known to agree: Python 3.11's fromisoformat also reads week
dates (``2021-W05-3``), any character between date and time and offsets with seconds, all of
which dateutil refuses, so those, and everything else, go to dateutil. A hypothesis test holds
:func:`parse_date_text` equal to dateutil on every string.

dateutil is imported only when a date needs it: a no-op build imports neither.
"""

from __future__ import annotations

import re
from datetime import datetime

# YYYY-MM-DD, optionally with a time hh:mm[:ss[.ffffff]] after 'T' or a space, optionally with
# 'Z' or a +hh:mm offset: the forms where fromisoformat and dateutil give the same datetime.
_AGREED_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?\Z",
    re.ASCII,
)
_DEFAULT = datetime(2000, 1, 1)  # noqa: DTZ001 - dateutil's fill-in for missing parts; naive


def parse_date_text(text: str) -> datetime:
    """``text`` as dateutil reads it (naive if it names no zone); ValueError or OverflowError
    when it is not a date."""
    fast = iso_date(text)
    if fast is not None:
        return fast
    from dateutil import parser as dateparser  # imported here: most dates never need it

    return dateparser.parse(text, default=_DEFAULT)


def iso_date(text: str) -> datetime | None:
    """``text`` read by ``datetime.fromisoformat`` if it has a form dateutil reads the same way;
    None otherwise (including impossible dates like 2021-02-30, left to dateutil's errors)."""
    if not _AGREED_ISO.match(text):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
