"""Geographic extensions: W3C Basic Geo (geo:), GeoRSS Simple (georss:), and the older
ICBM (icbm:) and GeoURL (geourl:) latitude/longitude pairs the W3C service also checks."""

from __future__ import annotations

import re

from lxml import etree

from . import namespaces as ns
from .tree import (
    Field,
    Key,
    Rule,
    Scope,
    check_attributes,
    check_children,
    display_name,
    ignore,
    leaf,
    quote,
)

_NUMBER = re.compile(r"[-+]?\d+\.?\d*\Z", re.ASCII)
_POINT = re.compile(r"[-+]?\d+\.?\d*[ ,][-+]?\d+\.?\d*\Z", re.ASCII)


def _degrees(limit: int, code: str) -> Rule:
    def check(scope: Scope, field: Field, value: str) -> None:
        if not _NUMBER.match(value) or abs(float(value)) > limit:
            scope.error(
                code,
                f"{field.name} {quote(value)} is not a number from -{limit} to {limit}",
                field.element,
            )

    return Rule(leaf(check))


def _decimal(scope: Scope, field: Field, value: str) -> None:
    if not _NUMBER.match(value):
        scope.error("InvalidFloat", f"{field.name} {quote(value)} is not a number", field.element)


def _point(scope: Scope, field: Field, value: str) -> None:
    if not _POINT.match(value):
        scope.error(
            "InvalidCoord",
            f"{field.name} {quote(value)} is not 'latitude longitude'",
            field.element,
        )


def _coordinate_list(scope: Scope, field: Field, value: str) -> None:
    numbers = value.replace(",", " ").split()
    if len(numbers) < 4 or len(numbers) % 2 or not all(_NUMBER.match(n) for n in numbers):
        scope.error(
            "InvalidCoordList",
            f"{field.name} is not a list of 'latitude longitude' pairs",
            field.element,
        )


def _geo_point(scope: Scope, element: etree._Element) -> None:
    check_attributes(scope, element)
    seen = check_children(scope, element, _POINT_PARTS, home=ns.GEO)
    for name in ("lat", "long"):
        if (ns.GEO, name) not in seen:
            scope.error("MissingElement", f"{display_name(element)} needs a <geo:{name}>", element)


_POINT_PARTS: dict[Key, Rule] = {
    (ns.GEO, "lat"): _degrees(90, "InvalidLatitude"),
    (ns.GEO, "long"): _degrees(180, "InvalidLongitude"),
}
ELEMENTS: dict[Key, Rule] = {
    **_POINT_PARTS,
    (ns.ICBM, "latitude"): _POINT_PARTS[(ns.GEO, "lat")],
    (ns.ICBM, "longitude"): _POINT_PARTS[(ns.GEO, "long")],
    (ns.GEOURL, "latitude"): _POINT_PARTS[(ns.GEO, "lat")],
    (ns.GEOURL, "longitude"): _POINT_PARTS[(ns.GEO, "long")],
    (ns.GEO, "alt"): Rule(leaf(_decimal)),
    (ns.GEO, "Point"): Rule(_geo_point),
    (ns.GEORSS, "point"): Rule(leaf(_point)),
    (ns.GEORSS, "line"): Rule(leaf(_coordinate_list)),
    (ns.GEORSS, "polygon"): Rule(leaf(_coordinate_list)),
    (ns.GEORSS, "box"): Rule(leaf(_coordinate_list)),
    (ns.GEORSS, "where"): Rule(ignore),  # GML inside; not checked
    (ns.GEORSS, "featureTypeTag"): Rule(leaf()),
    (ns.GEORSS, "relationshipTag"): Rule(leaf()),
    (ns.GEORSS, "featureName"): Rule(leaf()),
    (ns.GEORSS, "elev"): Rule(leaf(_decimal)),
    (ns.GEORSS, "floor"): Rule(leaf(_decimal)),
    (ns.GEORSS, "radius"): Rule(leaf(_decimal)),
}
