"""Size limits that keep ``sim`` readable: short modules, short functions.

A function's length counts from its ``def`` line to its last line, minus the lines of its
docstring (a long docstring with formulas is welcome); nested functions count towards the
function around them too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[2] / "sim"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50

FILES = sorted(SIM.rglob("*.py"))


def _name(path: Path) -> str:
    return str(path.relative_to(SIM.parent))


def function_lengths(source: str) -> list[tuple[str, int, int]]:
    """``(qualified name, def line, code lines)`` of every function in ``source``."""
    found: list[tuple[str, int, int]] = []

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = prefix
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}."
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (child.end_lineno or child.lineno) - child.lineno + 1
                found.append((name[:-1], child.lineno, lines - _docstring_lines(child)))
            walk(child, name)

    walk(ast.parse(source), "")
    return found


def _docstring_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    first = node.body[0]
    if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        return (first.end_lineno or first.lineno) - first.lineno + 1
    return 0


def test_function_lengths_counts_code_only() -> None:
    """Sanity: the docstring is not counted, the def line and the body are."""
    source = 'def f():\n    """Doc.\n\n    More.\n    """\n    x = 1\n    return x\n'
    assert function_lengths(source) == [("f", 1, 3)]


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_module_size(path: Path) -> None:
    """No module is longer than ``MAX_MODULE_LINES`` lines."""
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_name(path)}: {lines} lines > {MAX_MODULE_LINES}"


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_function_sizes(path: Path) -> None:
    """No function is longer than ``MAX_FUNCTION_LINES`` lines of code."""
    long = [f"{name} (line {line}): {n} lines" for name, line, n in
            function_lengths(path.read_text(encoding="utf-8")) if n > MAX_FUNCTION_LINES]
    assert not long, f"{_name(path)}: functions over {MAX_FUNCTION_LINES} lines: {long}"
