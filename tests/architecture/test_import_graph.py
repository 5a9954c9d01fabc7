"""The import graph of ``sim``: no cycles, and each layer imports only the layers below it.

Every ``import`` / ``from ... import`` statement of every module counts, wherever it is:
at the top, under ``if TYPE_CHECKING:`` and inside functions. An import of ``a.b.c`` by a
module outside package ``a.b`` also counts as an import of ``a.b`` (Python runs a package's
``__init__`` before any of its modules), so a package ``__init__`` that imports its modules
cannot hide a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[2] / "sim"

#: Layering rules: modules under the first prefix never import modules under the others.
FORBIDDEN: list[tuple[str, tuple[str, ...]]] = [
    # importer        must not import
    ("sim.plots",     ("sim.model", "sim.execution", "sim.study", "sim.cli")),
    ("sim.results",   ("sim.model", "sim.execution", "sim.study", "sim.cli")),
    ("sim.model",     ("sim.metrics", "sim.results", "sim.plots", "sim.study", "sim.execution",
                       "sim.staffing", "sim.preflight", "sim.cli", "sim.calibration")),
    ("sim.policies",  ("sim.model", "sim.metrics", "sim.results", "sim.plots", "sim.study",
                       "sim.execution", "sim.staffing", "sim.cli")),
    ("sim.config",    ("sim.model", "sim.metrics", "sim.results", "sim.plots", "sim.study",
                       "sim.execution", "sim.staffing", "sim.preflight", "sim.cli")),
    ("sim.preflight", ("sim.metrics", "sim.results", "sim.plots", "sim.study", "sim.execution",
                       "sim.staffing", "sim.cli")),
    ("sim.execution", ("sim.study", "sim.cli", "sim.calibration")),
    # calibration reads logs and fits; it simulates only through the study layer
    ("sim.calibration", ("sim.model", "sim.policies", "sim.cli")),
    # the robustness core is pure analysis over arrays: the study layer feeds it worlds
    ("sim.robust",    ("sim.model", "sim.policies", "sim.execution", "sim.study", "sim.cli",
                       "sim.calibration")),
]
#: Only these may import ``sim.cli`` (the command line is the top layer).
CLI_IMPORTERS = ("sim.cli", "sim.__main__")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SIM.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(SIM.rglob("*.py"))}


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _resolve(name: str) -> str | None:
    """The ``sim`` module ``name`` refers to (itself or its longest module prefix)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imported_names(module: str, tree: ast.AST) -> list[str]:
    """Dotted names of everything ``module`` imports (modules or names in modules)."""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names += [f"{base}.{alias.name}" for alias in node.names]
    return names


def imports_of(module: str) -> set[str]:
    """The ``sim`` modules that importing ``module`` imports directly (package inits too)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    targets: set[str] = set()
    for name in _imported_names(module, tree):
        target = _resolve(name)
        if target is None:
            continue
        targets.add(target)
        parts = target.split(".")
        for i in range(2, len(parts)):  # the packages around the target, below ``sim``
            package = ".".join(parts[:i])
            if not _within(module, package):
                targets.add(package)
    targets.discard(module)
    return targets


GRAPH: dict[str, set[str]] = {m: imports_of(m) for m in MODULES}


def find_cycles(graph: dict[str, set[str]]) -> list[tuple[list[str], list[str]]]:
    """Per strongly connected component of several modules: one concrete cycle, and all
    the component's modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [(_cycle_in(graph, set(c)), c) for c in components]


def _cycle_in(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest path from the component's first module back to itself, inside it."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(graph[node] & component):
                if nxt == start:
                    return [*paths[node], start]
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # cannot happen in a component


def test_graph_sees_type_checking_and_local_imports() -> None:
    """Sanity: the parser finds imports under TYPE_CHECKING and inside functions."""
    tree = ast.parse("if TYPE_CHECKING:\n    from sim.errors import ConfigError\n"
                     "def f():\n    import sim.theory\n")
    assert _imported_names("sim.cli.check", tree) == ["sim.errors.ConfigError", "sim.theory"]


def test_no_import_cycles() -> None:
    """No module imports itself through other modules."""
    cycles = find_cycles(GRAPH)
    assert not cycles, "import cycles:\n" + "\n".join(
        f"{' -> '.join(cycle)}  (all modules of this cycle: {', '.join(members)})"
        for cycle, members in cycles)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_layering(module: str) -> None:
    """``module`` imports nothing its layer forbids, and ``sim.cli`` only if it is the CLI."""
    wrong = []
    for importer, forbidden in FORBIDDEN:
        if _within(module, importer):
            wrong += [t for t in sorted(GRAPH[module]) if any(_within(t, f) for f in forbidden)]
    if not any(_within(module, m) for m in CLI_IMPORTERS):
        wrong += [t for t in sorted(GRAPH[module]) if _within(t, "sim.cli")]
    assert not wrong, f"{module} must not import {', '.join(sorted(set(wrong)))}"
