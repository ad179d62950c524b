"""The reporting package's structure: no import cycles, and dependencies that point one way
(report sections use the shared layout; the layout uses nothing of theirs; the questionnaire
and checklist reports do not use each other).

Imports are read from the source (every ``import`` statement, including those inside
functions and ``TYPE_CHECKING`` blocks), so a cycle hidden behind a deferred import counts.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import surveyor.reporting

PACKAGE = "surveyor.reporting"
ROOT = Path(surveyor.reporting.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports (``from X import name`` counts as
    importing ``X.name`` when that is a module, else ``X``)."""
    graph = {}
    for name, path in modules.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, path.name == "__init__.py", node)
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                    for a in node.names
                ]
            else:
                continue
            edges |= {t for t in targets if t in modules and t != name}
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


GRAPH = import_graph(_modules())


def test_the_graph_is_read():
    """Guard against a checker that sees nothing: known edges are found."""
    assert f"{PACKAGE}.layout.writer" in GRAPH[f"{PACKAGE}.questionnaire.summary"]
    assert f"{PACKAGE}.questionnaire" in GRAPH[f"{PACKAGE}.report"]
    assert f"{PACKAGE}.fonts" in GRAPH[f"{PACKAGE}.layout.flowables"]


def test_no_import_cycle_in_reporting():
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_deferred_import(tmp_path):
    """The checker itself: two modules importing each other, one of them inside a function
    (as report_questionnaire and report_questionnaire_words once did), are a cycle."""
    (tmp_path / "a.py").write_text("from .b import g\n")
    (tmp_path / "b.py").write_text("def g():\n    from .a import f\n")
    modules = {"surveyor.reporting.a": tmp_path / "a.py", "surveyor.reporting.b": tmp_path / "b.py"}
    assert find_cycle(import_graph(modules)) == [
        "surveyor.reporting.a", "surveyor.reporting.b", "surveyor.reporting.a"
    ]


@pytest.mark.parametrize(
    "lower, upper",
    [
        ("layout", "questionnaire"),
        ("layout", "checklist"),
        ("layout", "report"),
        ("questionnaire", "checklist"),
        ("checklist", "questionnaire"),
        ("questionnaire", "report"),
        ("checklist", "report"),
    ],
)
def test_dependencies_point_one_way(lower, upper):
    """Modules of ``lower`` import nothing from ``upper``."""
    def inside(module, part):
        return module == f"{PACKAGE}.{part}" or module.startswith(f"{PACKAGE}.{part}.")

    wrong = sorted(
        f"{m} -> {t}"
        for m, targets in GRAPH.items()
        if inside(m, lower)
        for t in targets
        if inside(t, upper)
    )
    assert not wrong, wrong
