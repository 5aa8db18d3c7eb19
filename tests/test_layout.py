"""The package's shape: the README's layout table is the module list, and imports flow one way
(no import circle; no module imports a command but the CLI)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "feedpub"
VALIDATOR_CORE = "validator/"  # the document checks: one row for the package's core modules


def _modules() -> dict[str, Path]:
    """``inputs.config`` -> its file, for every module but the package markers."""
    return {
        ".".join(path.relative_to(PACKAGE).with_suffix("").parts): path
        for path in PACKAGE.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py")
    }


def _imports(path: Path) -> set[str]:
    """The feedpub modules ``path`` imports (at any depth: lazy imports count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            base = node.module
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        elif isinstance(node, ast.ImportFrom) and node.level:
            package = ".".join(path.relative_to(PACKAGE).parent.parts)
            base = "feedpub." + package + (f".{node.module}" if node.module else "")
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(n.removeprefix("feedpub.") for n in names if n.startswith("feedpub."))
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path) & set(modules) - {name} for name, path in modules.items()}


def test_no_import_circle() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                circles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_only_the_cli_imports_a_command() -> None:
    importers = {
        (name, target)
        for name, targets in _graph().items()
        for target in targets
        if target.startswith("commands.") and not name.startswith("commands.") and name != "cli"
    }
    assert importers == set()


def test_the_readme_layout_table_is_the_module_list() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Layout\n") :]
    section = section[: section.index("\n## ") if "\n## " in section else len(section)]
    named = {
        cell.replace("/", ".")
        for row in section.splitlines()
        if row.startswith("| `")
        for cell in re.findall(r"`([a-z0-9_/]+)`", row.split("|")[1])
    }
    modules = set(_modules())
    core = {m for m in modules if m.startswith("validator.")} - named
    assert "validator." in named  # the row for the validator's document checks
    assert all("." not in m.removeprefix("validator.") for m in core)
    assert (named - {"validator."}) - modules == set()
    assert modules - named - core == set()


def test_package_markers_are_empty_or_lazy() -> None:
    for marker in PACKAGE.rglob("__init__.py"):
        if marker.parent in (PACKAGE, PACKAGE / "validator"):
            continue  # the version; the validator's public names
        assert marker.read_text(encoding="utf-8") == "", marker


def test_the_tests_mirror_the_wings() -> None:
    """Each wing has its test folder; no test module imports another (shared helpers are in
    tests/support/, shared fixtures in tests/conftest.py); test names are unique."""
    tests = ROOT / "tests"
    wings = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert wings <= {p.name for p in tests.iterdir() if p.is_dir()}
    modules = [p for p in tests.rglob("test_*.py")]
    assert len({p.name for p in modules}) == len(modules)
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.split(".")[-1].startswith("test_"), (path, node.module)
                assert node.module not in ("conftest", "tests.conftest"), (path, node.module)
