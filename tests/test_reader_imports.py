"""The shape of the code: no module of ``reader`` imports, even late (inside a function), a module that
imports it back, and the TEI pipeline imports nothing of the Django apps.

Read statically from every ``import`` statement (``ast``), so an import hidden in a function to dodge a
cycle at import time counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules(root: Path, package: str) -> dict[str, tuple[Path, bool]]:
    """Dotted name -> (file, is a package) for the package's modules, migrations left out."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the modules of ``package`` it imports anywhere in its body (``from . import x`` imports
    the module ``x`` where there is one, else the package itself)."""
    known = modules(root, package)

    def owner(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, (path, is_package) in known.items():
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    here = name.split(".") if is_package else name.split(".")[:-1]
                    here = here[: len(here) - node.level + 1]
                    base = ".".join(here + ([node.module] if node.module else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
            else:
                continue
            imported |= {t for t in map(owner, targets) if t and t != name}
        graph[name] = imported
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another, directly or round a longer circle (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_no_module_of_reader_imports_a_module_that_imports_it():
    graph = import_graph(ROOT, "reader")
    assert {"reader.tei.entities.stage", "reader.texts.views.compare", "reader.annotations.admin"} <= set(graph)
    assert "reader.tei.entities.mentions" in graph["reader.tei.entities.learn"]  # the walk sees relative imports
    assert cycles(graph) == []


def imports_django(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        if any(name.split(".")[0] == "django" for name in names):
            return True
    return False


def test_the_pipeline_imports_nothing_of_the_django_apps():
    from django.conf import settings

    apps = [app for app in settings.INSTALLED_APPS if app.startswith("reader.")]
    known = modules(ROOT, "reader")
    graph = import_graph(ROOT, "reader")
    assert {"reader.texts", "reader.annotations"} <= set(apps)

    def django_side(name: str) -> bool:
        return any(name == app or name.startswith(app + ".") for app in apps) or imports_django(known[name][0])

    outside = {
        (name, other)
        for name, imported in graph.items()
        if name.startswith("reader.tei.")
        for other in imported
        if not other.startswith("reader.tei") and django_side(other)
    }
    assert outside == set()
    assert django_side("reader.caching") and not django_side("reader.csvcells")


def test_a_late_import_back_is_a_cycle(tmp_path):
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/sub/__init__.py": "from .a import f\n",
            "pkg/sub/a.py": "from . import b\n\ndef f():\n    return b\n",
            "pkg/sub/b.py": "def g():\n    from .a import f  # hidden in a function\n    return f\n",
            "pkg/c.py": "import pkg.sub.a\nfrom pkg import sub\n",
        },
    )
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.sub.a"] == {"pkg.sub.b"}
    assert graph["pkg.c"] == {"pkg.sub.a", "pkg.sub"}
    assert cycles(graph) == [["pkg.sub.a", "pkg.sub.b"]]


def test_a_chain_without_a_way_back_is_no_cycle(tmp_path):
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from . import b\n",
            "pkg/b.py": "from .c import x\n",
            "pkg/c.py": "x = 1\n",
        },
    )
    assert cycles(import_graph(tmp_path, "pkg")) == []
    write(tmp_path, {"pkg/c.py": "from . import a\nx = 1\n"})  # c -> a -> b -> c
    assert cycles(import_graph(tmp_path, "pkg")) == [["pkg.a", "pkg.b", "pkg.c"]]
