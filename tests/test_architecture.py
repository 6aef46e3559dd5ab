"""The package's house plan, read from the imports themselves (no code is run).

Stages, from the bottom up: shared modules, referentiel, scoring (the store), ingest, analysis, the
read API, exports, reports (rendering only), cli. A module imports from its own stage or from
below, never from above; no import circle; nothing outside ``demo/`` and the CLI's demo commands
imports the demo generator; no module takes another module's ``_private`` name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from autodiag.paths import ROOT

PACKAGE = ROOT / "src" / "autodiag"
STAGES = ["shared", "referentiel", "scoring", "ingest", "analysis", "api", "exports", "reports", "cli"]
DEMO_IMPORTERS = {"autodiag.cli.report_commands"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()):
        return parts[1]
    if module == "autodiag.__main__":
        return "cli"
    return "api" if module == "autodiag.api" else "shared"


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import of the package's own modules."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "autodiag":
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                if sub in MODULES:
                    found.append((sub, [], node.lineno))
                else:
                    found.append((node.module, [alias.name], node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == "autodiag"]
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append(("relative", [], node.lineno))
    return found


GRAPH = {name: imports(path) for name, path in MODULES.items()}


def test_imports_are_absolute():
    relative = [(m, line) for m, edges in GRAPH.items() for target, _, line in edges if target == "relative"]
    assert not relative


def test_no_import_circle():
    edges = {m: {t for t, _, _ in GRAPH[m] if t in MODULES and t != m} for m in MODULES}
    # a package imports its own modules when it is imported: that is no circle
    for m in MODULES:
        edges[m] = {t for t in edges[m] if not (m.startswith(t + ".") and MODULES[t].name == "__init__.py")}
    state: dict[str, int] = {}
    circles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                circles.append(path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for m in sorted(MODULES):
        if m not in state:
            visit(m, [m])
    assert not circles


@pytest.mark.parametrize("module", sorted(m for m in MODULES if stage(m) != "demo"))
def test_imports_run_down_the_stages(module):
    here = STAGES.index(stage(module))
    upward = [
        (t, line)
        for t, _, line in GRAPH[module]
        if t in MODULES and stage(t) != "demo" and STAGES.index(stage(t)) > here
    ]
    assert not upward


def test_only_the_demo_commands_import_the_demo():
    importers = {
        m
        for m, edges in GRAPH.items()
        for t, _, _ in edges
        if t in MODULES and stage(t) == "demo" and stage(m) != "demo"
    }
    assert importers <= DEMO_IMPORTERS


def test_no_private_name_is_taken_from_another_module():
    taken = [
        (m, t, n, line)
        for m, edges in GRAPH.items()
        for t, names, line in edges
        for n in names
        if n.startswith("_") and not n.startswith("__") and t != m
    ]
    assert not taken


def test_tests_take_no_private_name_either():
    taken = []
    for path in (ROOT / "tests").rglob("*.py"):
        for target, names, line in imports(path):
            taken += [
                (path.name, target, n, line) for n in names if n.startswith("_") and not n.startswith("__")
            ]
    assert not taken
