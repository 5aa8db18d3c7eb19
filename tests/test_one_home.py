"""Each repeated fact has one home (issue 8): no module of feedpub spells a feed's file name,
its media type or an XML namespace except the module that owns it."""

from __future__ import annotations

import ast
from pathlib import Path

from feedpub import formats
from feedpub.validator import namespaces

PACKAGE = Path(__file__).resolve().parent.parent / "feedpub"
FORMAT_FACTS = {fact for fmt in formats.FORMATS for fact in (fmt.filename, fmt.media_type)}
NAMESPACES = {
    value for name, value in vars(namespaces).items() if name.isupper() and isinstance(value, str)
}


def _strings(path: Path) -> set[str]:
    """The string constants of a module, docstrings aside (they may name a file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    }


def _spelled(facts: set[str], homes: set[Path], *, exact: bool = False) -> dict[str, set[str]]:
    """The strings holding one of ``facts`` (or, ``exact``, being one, maybe in Clark notation
    ``{namespace}name``) in each module outside ``homes``."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in homes:
            continue
        spelled = {
            s
            for s in _strings(path)
            for fact in facts
            if (s == fact or s.startswith("{" + fact + "}") if exact else fact in s)
        }
        if spelled:
            found[str(path.relative_to(PACKAGE))] = spelled
    return found


def test_feed_file_names_and_media_types_live_in_formats() -> None:
    validator = set((PACKAGE / "validator").rglob("*.py"))  # reads any feed, not only ours
    assert _spelled(FORMAT_FACTS, {PACKAGE / "formats.py", *validator}) == {}


def test_xml_namespaces_live_in_the_validator() -> None:
    assert _spelled(NAMESPACES, {PACKAGE / "validator" / "namespaces.py"}, exact=True) == {}
