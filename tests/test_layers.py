"""The layers of the package, checked from its imports.

Imports go down only: commands → render → store → domain, with dbfile/ beside store (it may use
store, store may not use it) and the base modules (errors, words, text, resources, readers) at
the bottom. Every ``import`` and ``from … import`` in every module counts — at the top, inside
functions (lazy imports), and under ``if TYPE_CHECKING:`` (a type a layer may not name is a
dependency all the same).

What each layer may not import (a name counts with everything below it: ``rich`` forbids
``rich.console``):

- ``domain/``: store, render, commands, dbfile, readers; sqlite3, rich, typer, click — and nor
  may any module of the package that domain/ reaches (the base modules it uses), or domain
  would reach them through it.
- ``store/``: render, commands, dbfile; rich, typer, click (it does not know the terminal).
- ``dbfile/``: render, commands; rich, typer, click.
- ``render/``: store, dbfile, commands.
- nothing but ``commands/`` and ``__main__`` imports commands.
- the base modules import only these modules of the package (``BASE_MAY_IMPORT``):
  errors → words, text (an error carries a code the catalogue turns into words);
  words → text; text, resources, records (the package's typed tuples) and ``hnreport/__init__``
  → nothing; tables (finding a table in a sheet as printed) → records; readers → errors, text,
  tables, records; outfile (the output guard, atomic writes, the console's encoding) → errors,
  text; workbooks (the units' workbooks: the 报送表's hidden record, returned sheets, the 分工方案
  read with tables.find_table) → errors, text, readers, tables, records.

And no module of the package is in an import cycle: the graph of every import between modules
(``from hnreport.store import seed`` is an edge to ``hnreport.store.seed``; ``from
hnreport.store import Store`` an edge to the package ``hnreport.store``, whose ``__init__``
imports its submodules) has no strongly connected component of more than one module.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cli" / "hnreport"

BASE = ("hnreport", "hnreport.errors", "hnreport.words", "hnreport.words.labels", "hnreport.words.messages",
        "hnreport.text", "hnreport.resources", "hnreport.readers", "hnreport.outfile", "hnreport.tables", "hnreport.workbooks",
        "hnreport.records")
BASE_MAY_IMPORT = {
    "hnreport": (),
    "hnreport.errors": ("hnreport.words", "hnreport.words.messages", "hnreport.text"),
    "hnreport.words": ("hnreport.text", "hnreport.words.labels", "hnreport.words.messages"),
    "hnreport.words.labels": (),
    "hnreport.words.messages": (),
    "hnreport.text": (),
    "hnreport.resources": (),
    "hnreport.readers": ("hnreport.errors", "hnreport.text", "hnreport.tables", "hnreport.records"),
    "hnreport.tables": ("hnreport.records",),
    "hnreport.records": (),
    "hnreport.outfile": ("hnreport.errors", "hnreport.text"),
    "hnreport.workbooks": ("hnreport.errors", "hnreport.text", "hnreport.readers", "hnreport.tables", "hnreport.records"),
}
TERMINAL = ("rich", "typer", "click")

# layer (a sub-package) → what its modules may not import
FORBIDDEN = {
    "hnreport.domain": ("hnreport.store", "hnreport.render", "hnreport.commands", "hnreport.dbfile", "hnreport.readers",
                        "sqlite3", *TERMINAL),
    "hnreport.store": ("hnreport.render", "hnreport.commands", "hnreport.dbfile", *TERMINAL),
    "hnreport.dbfile": ("hnreport.render", "hnreport.commands", *TERMINAL),
    "hnreport.render": ("hnreport.store", "hnreport.dbfile", "hnreport.commands"),
}  # fmt: skip


@dataclass(frozen=True)
class Import:
    importer: str  # hnreport.store.core
    target: str  # a module of the package (hnreport.store.seed) or any other name as written (rich.console)
    where: str  # store/core.py:42


class ImportGraph:
    """Every import of every module of a package directory, as edges between module names."""

    def __init__(self, package: Path) -> None:
        self.files: dict[str, Path] = {}
        for path in sorted(package.rglob("*.py")):
            parts = path.relative_to(package).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            self.files[".".join((package.name, *parts))] = path
        self.package = package
        self.imports = [imp for name in self.files for imp in self._imports_of(name)]

    @property
    def modules(self) -> list[str]:
        return list(self.files)

    def is_package(self, module: str) -> bool:
        return self.files[module].name == "__init__.py"

    def _imports_of(self, module: str) -> list[Import]:
        path = self.files[module]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        where = path.relative_to(self.package).as_posix()
        found = []
        for node in ast.walk(tree):  # every node: module level, functions, classes, TYPE_CHECKING blocks
            if isinstance(node, ast.Import):
                found += [Import(module, self._internal(a.name) or a.name, f"{where}:{node.lineno}") for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = self._absolute(module, node)
                for alias in node.names:
                    # `from pkg import name`: the submodule pkg.name if there is one, else pkg itself
                    target = self._internal(f"{base}.{alias.name}") if alias.name != "*" else None
                    found.append(Import(module, target or self._internal(base) or base, f"{where}:{node.lineno}"))
        return found

    def _absolute(self, module: str, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        package = module if self.is_package(module) else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        return f"{package}.{node.module}" if node.module else package

    def _internal(self, name: str) -> str | None:
        return name if name in self.files else None

    def internal_edges(self) -> dict[str, set[str]]:
        edges: dict[str, set[str]] = {m: set() for m in self.files}
        for imp in self.imports:
            if imp.target in self.files and imp.target != imp.importer:
                edges[imp.importer].add(imp.target)
        return edges

    def reached_from(self, modules: list[str]) -> set[str]:
        edges, seen, todo = self.internal_edges(), set(), list(modules)
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                todo += edges[m]
        return seen

    def cycles(self) -> list[list[str]]:
        """The strongly connected components of more than one module (Tarjan's algorithm)."""
        edges = self.internal_edges()
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on_stack: set[str] = set()
        out: list[list[str]] = []

        def visit(v: str) -> None:
            index[v] = low[v] = len(index)
            stack.append(v)
            on_stack.add(v)
            for w in sorted(edges[v]):
                if w not in index:
                    visit(w)
                    low[v] = min(low[v], low[w])
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                if len(component) > 1:
                    out.append(sorted(component))

        for v in sorted(edges):
            if v not in index:
                visit(v)
        return sorted(out)

    def cycle_lines(self) -> list[str]:
        """Each cycle with the imports that close it, as ``file:line imports module``."""
        lines = []
        for component in self.cycles():
            members = set(component)
            lines.append(" ⇄ ".join(component) + ": " + "; ".join(
                f"{i.where} imports {i.target}" for i in self.imports
                if i.importer in members and i.target in members and i.target != i.importer
            ))  # fmt: skip
        return lines


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _members(graph: ImportGraph, layer: str) -> list[str]:
    return [m for m in graph.modules if _under(m, layer)]


def layer_violations(graph: ImportGraph, layer: str) -> list[str]:
    forbidden = FORBIDDEN[layer]
    members = _members(graph, layer)
    return [f"{i.where} imports {i.target}" for i in graph.imports
            if i.importer in members and any(_under(i.target, f) for f in forbidden)]  # fmt: skip


def domain_reach_violations(graph: ImportGraph) -> list[str]:
    """Modules outside domain/ that domain/ reaches and that import sqlite3, rich, typer or click."""
    domain = _members(graph, "hnreport.domain")
    outside = graph.reached_from(domain) - set(domain)
    return [f"{i.where} imports {i.target} (domain/ reaches it)" for i in graph.imports
            if i.importer in outside and any(_under(i.target, f) for f in ("sqlite3", *TERMINAL))]  # fmt: skip


def base_violations(graph: ImportGraph) -> list[str]:
    out = []
    for base, allowed in BASE_MAY_IMPORT.items():
        for i in graph.imports:
            if i.importer == base and i.target in graph.files and i.target not in allowed and i.target != base:
                out.append(f"{i.where} imports {i.target}")
    return out


def command_importers(graph: ImportGraph) -> list[str]:
    commands, main = "hnreport.commands", "hnreport.__main__"
    return [f"{i.where} imports {i.target}" for i in graph.imports
            if _under(i.target, commands) and not _under(i.importer, commands) and i.importer != main]  # fmt: skip


@pytest.fixture(scope="module")
def graph() -> ImportGraph:
    return ImportGraph(PACKAGE)


def test_the_walk_sees_every_module_and_its_lazy_imports(graph) -> None:
    # A walk that saw only the top of the package (or only module-level imports) would pass
    # every rule below without looking.
    for layer in ("domain", "store", "dbfile", "render", "render.formats", "commands"):
        assert f"hnreport.{layer}" in graph.modules and len(_members(graph, f"hnreport.{layer}")) > 1, layer
    assert set(BASE) <= set(graph.modules)
    assert len(graph.modules) == len(list(PACKAGE.rglob("*.py")))
    # lazy imports: commands/context.py opens the store inside a function, store/core.py seeds on first use
    targets = {(i.importer, i.target) for i in graph.imports}
    assert ("hnreport.commands.context", "hnreport.store") in targets
    assert ("hnreport.store.core", "hnreport.store.seed") in targets


@pytest.mark.parametrize("layer", list(FORBIDDEN), ids=lambda layer: layer.split(".")[-1])
def test_a_layer_imports_nothing_above_it(graph, layer) -> None:
    assert layer_violations(graph, layer) == []


def test_what_domain_reaches_knows_nothing_of_sqlite_or_the_terminal(graph) -> None:
    assert domain_reach_violations(graph) == []


def test_the_base_modules_import_only_what_they_need(graph) -> None:
    assert base_violations(graph) == []


def test_only_the_commands_import_the_commands(graph) -> None:
    assert command_importers(graph) == []


def test_no_module_of_the_package_is_in_an_import_cycle(graph) -> None:
    assert graph.cycle_lines() == []


# ── the checks catch what they should ────────────────────────────────────────────────────────
def _package(root: Path, files: dict[str, str]) -> Path:
    """A package directory named hnreport (the rules' names) with the given modules."""
    package = root / "hnreport"
    for name, source in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(package).parents:
            (package / parent / "__init__.py").touch()
        path.write_text(source, encoding="utf-8")
    return package


def test_the_layer_checks_catch_forbidden_imports_even_inside_functions(tmp_path) -> None:
    package = _package(tmp_path, {
        "errors.py": "from hnreport.store import Store\n",  # base → store
        "text.py": "",
        "words.py": "",
        "resources.py": "",
        "readers.py": "from hnreport.errors import HnreportError\nfrom hnreport import words\n",  # words: not errors/text
        "domain/progress.py": (
            "from __future__ import annotations\n"
            "from typing import TYPE_CHECKING\n"
            "from hnreport.domain.model import Target\n"  # fine
            "from hnreport.errors import BadValue\n"  # fine (but errors imports the store)
            "if TYPE_CHECKING:\n"
            "    from hnreport.render.targets import Grid\n"  # line 6: render, only for a type
            "def status(target):\n"
            "    import sqlite3\n"  # line 8: lazy
            "    from ..store import figures\n"  # line 9: lazy and relative
            "    from rich.console import Console\n"  # line 10
            "    return 1\n"
        ),
        "domain/model.py": "class Target: ...\n",
        "domain/values.py": "import hnreport.readers\n",  # readers from domain
        "store/__init__.py": "from hnreport.store.core import Store\n",
        "store/core.py": "def open():\n    from hnreport.dbfile import check\n",
        "store/figures.py": "",
        "render/targets.py": "def show():\n    from hnreport.store import Store\n",
        "render/grid.py": "from . import targets\n",  # fine: within render
        "commands/app.py": "from hnreport.commands import db\n",
        "commands/db.py": "from hnreport.dbfile import check\n",  # fine
        "dbfile/check.py": "from hnreport.store import figures\nfrom hnreport.commands.app import app\n",
    })  # fmt: skip
    graph = ImportGraph(package)
    assert layer_violations(graph, "hnreport.domain") == [
        "domain/progress.py:6 imports hnreport.render.targets",
        "domain/progress.py:8 imports sqlite3",
        "domain/progress.py:9 imports hnreport.store.figures",
        "domain/progress.py:10 imports rich.console",
        "domain/values.py:1 imports hnreport.readers",
    ]
    assert layer_violations(graph, "hnreport.store") == ["store/core.py:2 imports hnreport.dbfile.check"]
    assert layer_violations(graph, "hnreport.render") == ["render/targets.py:2 imports hnreport.store"]
    assert layer_violations(graph, "hnreport.dbfile") == ["dbfile/check.py:2 imports hnreport.commands.app"]
    assert base_violations(graph) == ["errors.py:1 imports hnreport.store", "readers.py:2 imports hnreport.words"]
    assert command_importers(graph) == ["dbfile/check.py:2 imports hnreport.commands.app"]
    # commands/app → commands/db → dbfile/check → commands/app
    assert graph.cycles() == [["hnreport.commands.app", "hnreport.commands.db", "hnreport.dbfile.check"]]
    # errors.py imports the store, so domain/ reaches sqlite3 through it once the store does
    (package / "store" / "figures.py").write_text("import sqlite3\n", encoding="utf-8")
    assert domain_reach_violations(ImportGraph(package)) == ["store/figures.py:1 imports sqlite3 (domain/ reaches it)"]


def test_the_cycle_check_counts_a_package_init_and_lazy_imports(tmp_path) -> None:
    package = _package(tmp_path, {
        "render/__init__.py": "from hnreport.render.report import show\n",
        "render/report.py": "def show():\n    from hnreport.render import targets\n",
        "render/targets.py": "def row():\n    from hnreport import render\n",  # the package: its __init__
        "store/__init__.py": "from hnreport.store.core import Store\n",
        "store/core.py": "def first_use():\n    from hnreport.store import seed\n",  # the submodule: no cycle
        "store/seed.py": "",
    })  # fmt: skip
    graph = ImportGraph(package)
    assert graph.cycles() == [["hnreport.render", "hnreport.render.report", "hnreport.render.targets"]]
    assert graph.cycle_lines() == [
        "hnreport.render ⇄ hnreport.render.report ⇄ hnreport.render.targets: "
        "render/__init__.py:1 imports hnreport.render.report; render/report.py:2 imports hnreport.render.targets; "
        "render/targets.py:2 imports hnreport.render"
    ]
