"""The layout holds: no import cycle anywhere in bot/ or actions/, counting imports inside functions."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Mapping

import grimp

from bot.paths import PROJECT_ROOT


def strongly_connected(nodes: Iterable[str], edges: Mapping[str, set[str]]) -> list[list[str]]:
    """Every group of more than one node that import each other, directly or through others (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
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

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return found


def _imports() -> dict[str, set[str]]:
    graph = grimp.build_graph("bot", "actions")  # every import statement, also those inside functions
    return {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}


def _layer(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "bot" else parts[0]


def test_no_module_imports_itself_through_others():
    imports = _imports()
    assert strongly_connected(imports, imports) == []


def test_no_package_of_bot_imports_itself_through_others():
    imports = _imports()
    packages: dict[str, set[str]] = {}
    for module, targets in imports.items():
        packages.setdefault(_layer(module), set()).update(_layer(t) for t in targets if _layer(t) != _layer(module))
    assert strongly_connected(packages, packages) == []


def test_the_cycle_finder_finds_a_cycle():
    assert strongly_connected("abc", {"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c"]]
    assert strongly_connected("abc", {"a": {"b"}, "b": {"c"}}) == []


def test_only_the_rasa_adapter_imports_rasa():
    found = []
    for path in sorted((PROJECT_ROOT / "bot").rglob("*.py")):
        if "rasa_adapter" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            engine = [n for n in names if n.split(".")[0] in ("rasa", "rasa_sdk")]
            found += [f"{path.relative_to(PROJECT_ROOT)}: {n}" for n in engine]
    assert found == []
