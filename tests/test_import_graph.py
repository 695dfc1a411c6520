"""No module-level import cycle in actcli: the static import graph of src/actcli is acyclic.

An edge is an import executed when a module is imported: a statement at module level, in a
class body or under a plain ``if``/``try`` there. Imports inside functions (deferred for
start-up speed) and under ``if TYPE_CHECKING:`` are not edges. ``from actcli.x import y`` is an
edge to ``actcli.x.y`` when that is a module, else to ``actcli.x``; a package's ``__init__``
is the module named after the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import actcli

ROOT = Path(actcli.__file__).parent


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _executed(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """The import statements run when this block runs (function bodies are not entered)."""
    out: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.append(node)
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                out += _executed(node.body)
            out += _executed(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                out += _executed(block)
            for handler in node.handlers:
                out += _executed(handler.body)
        elif isinstance(node, ast.With | ast.For | ast.While | ast.ClassDef):
            out += _executed(node.body)
    return out


def _package(module: str) -> str:
    """The package a module's relative imports start from."""
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = _package(module).split(".")
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, base] if base else package)
        names = [
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
            for alias in node.names
        ]
    out = set()
    for name in names:
        while name and name not in MODULES:  # import actcli.x.y.z -> the deepest module
            name = name.rpartition(".")[0]
        if name.startswith("actcli"):
            out.add(name)
    return out


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        targets: set[str] = set()
        for node in _executed(tree.body):
            targets |= _targets(module, node)
        targets.discard(module)
        edges[module] = targets
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path ``[a, b, ..., a]``, or None (depth-first search, three colours)."""
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


@pytest.mark.slow
def test_the_graph_is_read():
    edges = graph()
    assert "actcli.catalog.registry" in edges["actcli.catalog.binding"]
    assert "actcli.catalog.records" in edges["actcli.catalog.registry"]
    assert "actcli.catalog.binding" in edges["actcli"]
    # deferred and TYPE_CHECKING imports are not edges: the registry loads the families lazily
    assert not {m for m in edges["actcli.catalog.registry"] if "rectifiers" in m}


def test_the_cycle_finder_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_level_import_cycle():
    cycle = find_cycle(graph())
    assert cycle is None, "module-level import cycle: " + " -> ".join(cycle or [])
