"""The package's modules import each other in one direction (no import cycles), lazy imports included."""

from __future__ import annotations

import ast

from support.common import ROOT

PACKAGE = ROOT / "translate_summarize"


def module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path) -> set[str]:
    """Every translate_summarize module ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("translate_summarize"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("translate_summarize"))
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: {m for m in imports_of(path) if m in modules and m != name} for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it; a package importing its own submodules is no cycle."""
    edges = {a: {b for b in bs if not b.startswith(a + ".")} for a, bs in graph.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_package_has_no_import_cycles():
    assert find_cycle(import_graph()) is None


def test_render_and_review_do_not_import_each_other():
    graph = import_graph()
    rendering = {"translate_summarize.output.render", "translate_summarize.output.review"}
    cycles = [(a, b) for a in rendering for b in graph[a] if b in rendering and a in graph[b]]
    assert cycles == []
    assert "translate_summarize.output.render" not in graph["translate_summarize.output.review"]


# The package's layers, lowest first. A module may import its own layer and the layers below it,
# never one above: the folders are the architecture (utilities < models < text < engines and the
# core < output < batch < the server < the command line and the Python API).
LAYERS = [
    {"errors", "options", "util"},
    {"models"},
    {"text", "web"},
    {"engines", "core"},
    {"output"},
    {"batch"},
    {"serve"},
    {"cli", "api", "__main__"},
]


def layer_of(module: str) -> int | None:
    """The layer of a ``translate_summarize`` module; None for the package root, whose imports are
    lazy re-exports of the public API."""
    parts = module.split(".")
    if len(parts) == 1:
        return None
    for index, names in enumerate(LAYERS):
        if parts[1] in names:
            return index
    raise AssertionError(f"{module} is in no layer: add its folder to LAYERS in {__name__}")


def test_every_module_imports_only_its_own_layer_and_below():
    graph = import_graph()
    upward = [
        f"{a} -> {b}"
        for a, bs in graph.items()
        for b in bs
        if layer_of(a) is not None and layer_of(b) is not None and layer_of(b) > layer_of(a)
    ]
    assert upward == []


def test_a_module_importing_a_higher_layer_is_caught():
    assert layer_of("translate_summarize.util.files") < layer_of("translate_summarize.core.pipeline")
    assert layer_of("translate_summarize.text.segment") < layer_of("translate_summarize.output.render")
