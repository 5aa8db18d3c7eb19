"""Dublin Core elements (dc:) and terms (dcterms:), allowed at every level of a feed."""

from __future__ import annotations

from . import namespaces as ns
from .tree import Key, Rule, ignore, leaf
from .values import language, plain_text, w3cdtf_date

_ONCE = ("title", "description", "type", "format", "source", "rights")
_REPEATABLE = (
    "publisher",
    "contributor",
    "identifier",
    "relation",
    "coverage",
    "creator",
    "subject",
)

_TERMS_DATES = ("created", "issued", "modified")
_TERMS = (
    "alternative abstract tableOfContents valid available dateAccepted dateCopyrighted "
    "dateSubmitted extent isVersionOf hasVersion isReplacedBy replaces isRequiredBy requires "
    "isPartOf hasPart isReferencedBy references isFormatOf hasFormat conformsTo spatial "
    "temporal audience mediator accessRights accrualMethod accrualPeriodicity accrualPolicy "
    "bibliographicCitation educationLevel instructionalMethod license provenance rightsHolder"
).split()

EVERYWHERE: dict[Key, Rule] = {
    **{(ns.DCTERMS, local): Rule(ignore) for local in _TERMS},
    **{(ns.DCTERMS, local): Rule(leaf(w3cdtf_date), unique=True) for local in _TERMS_DATES},
    **{(ns.DC, local): Rule(leaf(), unique=True) for local in _ONCE},
    **{(ns.DC, local): Rule(leaf()) for local in _REPEATABLE},
    (ns.DC, "rights"): Rule(leaf(plain_text), unique=True),
    (ns.DC, "language"): Rule(leaf(language), unique=True),
    (ns.DC, "date"): Rule(leaf(w3cdtf_date)),
}
# At channel and feed level dc:date may appear only once (at item level the W3C allows more).
CHANNEL: dict[Key, Rule] = {**EVERYWHERE, (ns.DC, "date"): Rule(leaf(w3cdtf_date), unique=True)}
