"""The parts of an RSS 2.0 channel and item that have structure of their own.

guid (isPermaLink rules), enclosure, source, cloud, image, textInput, skipHours and skipDays,
with the W3C validator's severities.
"""

from __future__ import annotations

from lxml import etree

from . import extensions
from .tree import (
    Field,
    Rule,
    Scope,
    check_attributes,
    check_children,
    leaf,
    quote,
)
from .uris import uri_problem
from .values import full_url, http_url, integer, mime_type, not_blank, plain_text

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def guid(scope: Scope, element: etree._Element) -> None:
    """<guid>: a permalink URL unless isPermaLink="false"; unique within the channel."""
    leaf(not_blank, attributes=frozenset({"isPermaLink"}))(scope, element)
    value = scope.doc.text(element).strip()
    flag = element.get("isPermaLink")
    if flag is not None and flag not in ("true", "false"):
        scope.error(
            "InvalidBooleanAttribute",
            f"<guid> isPermaLink {quote(flag)} must be 'true' or 'false'",
            element,
        )
    if flag == "false":
        if value.isdigit() and len(value) < 9:
            scope.warning(
                "NotSufficientlyUnique",
                f"<guid> {quote(value)} is too short to stay unique across feeds",
                element,
            )
        return
    code = uri_problem(value, absolute=True)
    if code in ("InvalidFullLink", "InvalidUriChar"):
        scope.error(
            "InvalidHttpGUID",
            f"<guid> {quote(value)} is not a URL, but isPermaLink "
            'is true (the default): add isPermaLink="false"',
            element,
        )
    elif code is not None:
        full_url(scope, Field(element), value)
    elif value.lower().startswith(("tag:", "urn:uuid:")):
        scope.error(
            "InvalidPermalink",
            f'<guid> {quote(value)} is not a link to the item: add isPermaLink="false"',
            element,
        )


def enclosure(scope: Scope, element: etree._Element) -> None:
    """<enclosure>: url (http), length (bytes) and type (MIME) are all required."""
    check_attributes(scope, element, frozenset({"url", "length", "type"}))
    check_children(scope, element, {}, home="")
    for name in ("url", "length", "type"):
        if element.get(name) is None:
            scope.error("MissingAttribute", f"<enclosure> needs a {name} attribute", element)
    url, length, kind = (element.get(name) for name in ("url", "length", "type"))
    if url is not None:
        http_url(scope, Field(element, "url"), url.strip())
    if length is not None:
        _enclosure_length(scope, element, length.strip())
    if kind is not None:
        mime_type("InvalidMIMEAttribute")(scope, Field(element, "type"), kind.strip())


def _enclosure_length(scope: Scope, enclosure: etree._Element, length: str) -> None:
    if length == "-1":
        scope.error(
            "UseZeroForUnknown", "<enclosure> length -1: use 0 when the size is unknown", enclosure
        )
    elif not (length.isascii() and length.lstrip("+").isdigit()):
        code = "InvalidNonNegativeInteger" if length.startswith("-") else "InvalidIntegerAttribute"
        scope.error(code, f"<enclosure> length {quote(length)} is not a size in bytes", enclosure)


def source(scope: Scope, element: etree._Element) -> None:
    """<source>: the channel an item came from, named by a required url attribute."""
    leaf(plain_text, attributes=frozenset({"url"}))(scope, element)
    url = element.get("url")
    if url is None:
        scope.error("MissingAttribute", "<source> needs a url attribute", element)
    else:
        full_url(scope, Field(element, "url"), url.strip())


def cloud(scope: Scope, element: etree._Element) -> None:
    """<cloud>: a change-notification service; all five attributes are required."""
    names = ("domain", "port", "path", "registerProcedure", "protocol")
    check_attributes(scope, element, frozenset(names))
    check_children(scope, element, {}, home="")
    for name in names:
        if element.get(name) is None:
            scope.error("MissingAttribute", f"<cloud> needs a {name} attribute", element)
    port = element.get("port")
    if port is not None and not (_small_number(port.strip()) or 0) > 0:
        scope.error(
            "InvalidIntegerAttribute", f"<cloud> port {quote(port)} is not a port number", element
        )


def check_image(scope: Scope, image: etree._Element, link: str | None, title: str | None) -> None:
    """<image>: url, title and link required; it should repeat the channel title and link."""
    check_attributes(scope, image)
    seen = check_children(scope, image, IMAGE_RULES, home="")
    for name in ("title", "url", "link"):
        if ("", name) not in seen:
            scope.error("MissingElement", f"<image> needs a <{name}>", image)
    for element in seen.get(("", "link"), [])[:1]:
        if link and scope.doc.text(element).strip() != link:
            scope.warning(
                "ImageLinkDoesntMatch", "<image> <link> should match the channel <link>", element
            )
    for element in seen.get(("", "title"), [])[:1]:
        if title and scope.doc.text(element).strip() != title:
            scope.warning(
                "ImageTitleDoesntMatch", "<image> <title> should match the channel <title>", element
            )


def _image_url(scope: Scope, field: Field, value: str) -> None:
    extension = value.rsplit(".", 1)[-1].lower()
    if "." in value and extension.isalnum() and extension not in ("jpg", "jpeg", "gif", "png"):
        scope.warning(
            "ImageUrlFormat",
            f"{field.name} {quote(value)} should be a JPEG, GIF or PNG image",
            field.element,
        )


def check_text_input(scope: Scope, element: etree._Element) -> None:
    """<textInput>: title, description, name and link are required."""
    scope.warning("AvoidTextInput", "<textInput> is ignored by most readers", element)
    check_attributes(scope, element)
    seen = check_children(scope, element, _TEXT_INPUT_RULES, home="")
    for name in ("title", "description", "name", "link"):
        if ("", name) not in seen:
            scope.error("MissingElement", f"<textInput> needs a <{name}>", element)
    for element in seen.get(("", "name"), [])[:1]:
        value = scope.doc.text(element).strip()
        if not (value[:1].isascii() and value[:1].isalpha()):
            scope.error(
                "InvalidFormComponentName",
                f"<textInput> <name> {quote(value)} must start with a letter",
                element,
            )


def skip_hours(scope: Scope, element: etree._Element) -> None:
    """<skipHours>: up to 24 distinct <hour>s from 0 to 23."""
    check_attributes(scope, element)
    seen = check_children(scope, element, {("", "hour"): Rule(leaf())}, home="")
    hours = seen.get(("", "hour"), [])
    if not hours:
        scope.error("MissingElement", "<skipHours> needs at least one <hour>", element)
    if len(hours) > 24:
        scope.error("NotEnoughHoursInTheDay", "<skipHours> has more than 24 <hour>s", element)
    found: set[int] = set()
    for hour in hours:
        value = scope.doc.text(hour).strip()
        number = _small_number(value)
        if number == 24:
            scope.warning("UseZeroForMidnight", "<hour> 24: use 0 for midnight", hour)
            number = 0
        elif number is None or number > 23:
            scope.error("InvalidHour", f"<hour> {quote(value)} must be 0 to 23", hour)
            continue
        if number in found:
            scope.error("DuplicateValue", f"<hour> {quote(value)} is listed twice", hour)
        found.add(number)


def _small_number(value: str) -> int | None:
    """The value as a non-negative integer of at most six digits, else None."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 6 else None


def skip_days(scope: Scope, element: etree._Element) -> None:
    """<skipDays>: up to 7 distinct English day names."""
    check_attributes(scope, element)
    seen = check_children(scope, element, {("", "day"): Rule(leaf())}, home="")
    days = seen.get(("", "day"), [])
    if not days:
        scope.error("MissingElement", "<skipDays> needs at least one <day>", element)
    if len(days) > 7:
        scope.error("EightDaysAWeek", "<skipDays> has more than 7 <day>s", element)
    found: set[str] = set()
    for day in days:
        value = scope.doc.text(day).strip()
        if value not in DAYS:
            scope.error(
                "InvalidDay",
                f"<day> {quote(value)} must be an English day name such as 'Monday'",
                day,
            )
        elif value in found:
            scope.error("DuplicateValue", f"<day> {quote(value)} is listed twice", day)
        found.add(value)


IMAGE_RULES = {
    ("", "title"): Rule(leaf(not_blank, plain_text), unique=True),
    ("", "url"): Rule(leaf(full_url, _image_url), unique=True),
    ("", "link"): Rule(leaf(full_url), unique=True),
    ("", "width"): Rule(leaf(integer(1, 144, "InvalidWidth")), unique=True),
    ("", "height"): Rule(leaf(integer(1, 400, "InvalidHeight")), unique=True),
    ("", "description"): Rule(leaf(plain_text), unique=True),
    **extensions.EVERYWHERE,
}

_TEXT_INPUT_RULES = {
    ("", "title"): Rule(leaf(plain_text), unique=True),
    ("", "description"): Rule(leaf(), unique=True),
    ("", "name"): Rule(leaf(), unique=True),
    ("", "link"): Rule(leaf(full_url), unique=True),
    **extensions.EVERYWHERE,
}
