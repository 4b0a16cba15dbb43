"""Imports point down the layers only, and no module imports itself back through others.

Every module under ``apps/``, ``project/`` and ``actors/`` is parsed with ``ast``; imports at the top of a module
and inside functions count alike (a lazy import still ties the two modules together). The layers, bottom first:

    core < accounts < jobs < ocr | cefr < chat | leveltest < progress < privacy < actors < project

Apps on one line separated by ``|`` are siblings: neither imports the other. ``project`` is the composition root
(settings, URLs, ASGI, the embedded worker, which needs the actors registered).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = [
    {"apps.core"},
    {"apps.accounts"},
    {"apps.jobs"},
    {"apps.ocr", "apps.cefr"},
    {"apps.chat", "apps.leveltest"},
    {"apps.progress"},  # reads what learners did in chat, level tests and OCR
    {"apps.privacy"},
    {"actors"},
    {"project"},
]
RANK = {component: rank for rank, layer in enumerate(LAYERS) for component in layer}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def our_modules() -> dict[str, Path]:
    return {module_name(path): path for top in ("apps", "project", "actors") for path in (ROOT / top).rglob("*.py")}


def imports(module: str, path: Path) -> list[tuple[int, str]]:
    """``(line, imported name)`` for every import in the module, ``from x import y`` giving both x and x.y."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def component(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] == "apps" and len(parts) > 1:
        return f"apps.{parts[1]}"
    return parts[0] if parts[0] in ("project", "actors") else None


def layer_violations(modules: dict[str, Path]) -> list[str]:
    found = []
    for module, path in sorted(modules.items()):
        source = component(module)
        for line, name in imports(module, path):
            target = component(name)
            if source is None or target is None or target == source or target not in RANK:
                continue
            if RANK[target] >= RANK[source]:
                direction = "sideways to a sibling" if RANK[target] == RANK[source] else "up"
                found.append(f"{module}:{line} imports {name} ({direction}: {source} -> {target})")
    return sorted(set(found))


def import_cycles(modules: dict[str, Path]) -> list[list[str]]:
    graph = {m: sorted({n for _, n in imports(m, p) if n in modules and n != m}) for m, p in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            members = []
            while not members or members[-1] != node:
                members.append(stack.pop())
            if len(members) > 1:
                cycles.append(sorted(members))

    for node in graph:
        if node not in index:
            visit(node)
    return cycles


def test_every_app_has_a_layer():
    apps = {f"apps.{path.name}" for path in (ROOT / "apps").iterdir() if (path / "__init__.py").exists()}
    assert apps - RANK.keys() == set()


def test_imports_point_down_the_layers_only():
    violations = layer_violations(our_modules())
    assert not violations, "\n".join(violations)


def test_no_module_imports_itself_back_through_others():
    cycles = import_cycles(our_modules())
    assert not cycles, "\n".join(" <-> ".join(cycle) for cycle in cycles)


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "warmup.py"
    module.write_text("def warm_up():\n    from apps.chat import llm\n")
    assert layer_violations({"apps.core.warmup": module}) == [
        "apps.core.warmup:2 imports apps.chat (up: apps.core -> apps.chat)",
        "apps.core.warmup:2 imports apps.chat.llm (up: apps.core -> apps.chat)",
    ]


def test_the_check_sees_a_sibling_and_a_cycle(tmp_path):
    (tmp_path / "a.py").write_text("from apps.cefr import services\n")
    (tmp_path / "b.py").write_text("import apps.ocr.a\n")
    modules = {"apps.ocr.a": tmp_path / "a.py", "apps.cefr.services": tmp_path / "b.py"}
    assert layer_violations(modules) == [
        "apps.cefr.services:1 imports apps.ocr.a (sideways to a sibling: apps.cefr -> apps.ocr)",
        "apps.ocr.a:1 imports apps.cefr (sideways to a sibling: apps.ocr -> apps.cefr)",
        "apps.ocr.a:1 imports apps.cefr.services (sideways to a sibling: apps.ocr -> apps.cefr)",
    ]
    assert import_cycles(modules) == [["apps.cefr.services", "apps.ocr.a"]]
