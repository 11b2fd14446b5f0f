"""journeymap's own import graph, read from the source (nothing is imported): which module
imports which, and how (at the top of the module, inside a function, or for type checking
only). The layering test (tests/test_import_layers.py) checks it; to see it:

    .venv/bin/python -m tests.import_graph            # each module and what it imports
    .venv/bin/python -m tests.import_graph --dot      # the same for Graphviz (dot -Tsvg)
    .venv/bin/python -m tests.import_graph --lazy     # only the imports made inside functions
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

SRC = Path(__file__).parents[1] / "src"
How = Literal["top", "lazy", "typing"]


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module of ours
    how: How
    line: int


def modules(src: Path = SRC) -> dict[str, Path]:
    """Every module of the package, by dotted name (a package by its own name)."""
    found = {}
    for path in sorted((src / "journeymap").rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(src: Path = SRC) -> list[Import]:
    """Every import of one of our modules by another; `from pkg import name` counts as an
    import of `pkg.name` when that is a module, else of `pkg`."""
    known = modules(src)
    out: list[Import] = []
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, how in _walk(tree, "top"):
            for target in _targets(node, package, known):
                if target != name:
                    out.append(Import(name, target, how, node.lineno))
    return out


def cycles(edges: Iterable[Import]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted. An import
    of a package by one of its own modules is left out: importing a module runs its
    package's __init__ first anyway, and that is no circle."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        if not e.source.startswith(e.target + "."):
            graph.setdefault(e.source, set()).add(e.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for node in sorted(graph):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(found)


def _walk(node: ast.AST, how: How) -> Iterator[tuple[ast.Import | ast.ImportFrom, How]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, how
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _walk(child, "typing" if how == "typing" else "lazy")
        elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            for inner in child.body:
                yield from _walk(ast.Module(body=[inner], type_ignores=[]), "typing")
            for inner in child.orelse:
                yield from _walk(ast.Module(body=[inner], type_ignores=[]), how)
        else:
            yield from _walk(child, how)


def _targets(node: ast.Import | ast.ImportFrom, package: str, known: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [_own(a.name, known) for a in node.names if _own(a.name, known)]
    base = node.module or ""
    if node.level:
        parts = package.split(".")
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    if not base.startswith("journeymap"):
        return []
    out = []
    for alias in node.names:
        whole = f"{base}.{alias.name}"
        target = whole if whole in known else _own(base, known)
        if target and target not in out:
            out.append(target)
    return out


def _own(name: str, known: dict[str, Path]) -> str:
    """The module of ours that `name` is, or is in ("" when it is not ours)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name


def main(argv: list[str]) -> None:
    edges = imports()
    if "--lazy" in argv:
        edges = [e for e in edges if e.how == "lazy"]
    if "--dot" in argv:
        print("digraph journeymap {\n  rankdir=LR; node [shape=box, fontsize=10];")
        for e in edges:
            style = {"top": "solid", "lazy": "dashed", "typing": "dotted"}[e.how]
            print(f'  "{e.source}" -> "{e.target}" [style={style}];')
        print("}")
        return
    by_source: dict[str, list[Import]] = {}
    for e in edges:
        by_source.setdefault(e.source, []).append(e)
    for source in sorted(by_source):
        print(source)
        for e in sorted(by_source[source], key=lambda e: (e.how, e.target)):
            print(f"  -> {e.target}" + ("" if e.how == "top" else f"  ({e.how}, line {e.line})"))
    found = cycles(e for e in imports() if e.how == "top")
    print(f"\n{len(found)} import circles at module level" + "".join(f"\n  {c}" for c in found))


if __name__ == "__main__":
    main(sys.argv[1:])
