"""The import graph follows the layer order of docs/architecture.md (issue 16).

Every module under ``generator/`` is parsed with :mod:`ast` (nothing is imported) and every
``generator.*`` import is collected: module level, inside functions, and under
``if TYPE_CHECKING:``. TYPE_CHECKING imports count like any other: a type borrowed from a
higher room is still a dependency on that room's meaning, and it is how cycles hide.

Layers, lowest first; a module may import only its own layer or a lower one:

0. ``diagnostics`` and the small stdlib-only utilities (``parallel``, ``progress``,
   ``ownership``, ``quickexit``, the package root)
1. ``source``, ``model``
2. ``checks``
3. ``project`` (``project.py``, ``project_cache.py``)
4. ``search``, ``site``, ``audit``, ``importer``, ``scaffold``, ``newsite``
5. ``cli`` (``cli.py``, ``cli_audit.py``, ``clihelp.py``, ``clioptions.py``, ``commands/``,
   ``__main__.py``)

Within one layer, the rooms (top-level packages; the top-level modules grouped as above)
must not import each other in a circle. A module that is in no layer fails the test: a new
top-level module or package has to be placed here (and in docs/architecture.md).

``GONGKAI_LAYERS_ROOT=/path/to/checkout pytest tests/test_layers.py`` checks another tree
(the main branch before issue 16 fails, with 17 problems).
"""

from __future__ import annotations

import ast
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO

ROOT = Path(os.environ.get("GONGKAI_LAYERS_ROOT") or REPO)

# room -> layer. A room is a top-level package of generator/, or a name for top-level modules.
LAYERS: dict[str, int] = {
    "diagnostics": 0,
    "utilities": 0,
    "source": 1,
    "model": 1,
    "checks": 2,
    "project": 3,
    "search": 4,
    "site": 4,
    "audit": 4,
    "importer": 4,
    "scaffold": 4,
    "newsite": 4,
    "cli": 5,
}
# top-level modules (and packages that belong to a room of another name) -> room
MODULE_ROOMS: dict[str, str] = {
    "__init__": "utilities",
    "parallel": "utilities",
    "progress": "utilities",
    "ownership": "utilities",
    "quickexit": "utilities",
    "project": "project",
    "project_cache": "project",
    "scaffold": "scaffold",
    "newsite": "newsite",
    "cli": "cli",
    "clihelp": "cli",
    "cli_audit": "cli",
    # the command modules split out of cli.py (issue 16, merged beside this test)
    "clioptions": "cli",
    "commands": "cli",
    "__main__": "cli",
}


@dataclass(frozen=True)
class Import:
    where: str  # file:line
    importer: str  # dotted module name
    imported: str  # dotted module name (as resolved as the source allows)


def module_name(package: Path, path: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def imports_of(package: Path, path: Path) -> list[Import]:
    """Every ``generator.*`` import in one file, wherever it stands in the file."""
    name = module_name(package, path)
    is_package = path.name == "__init__.py"
    where = path.relative_to(package.parent).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: list[Import] = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from generator.model import fields` imports generator.model.fields
            targets = [f"{base}.{a.name}" if _is_submodule(package, base, a.name) else base for a in node.names]
        for target in dict.fromkeys(targets):
            if target == "generator" or target.startswith("generator."):
                out.append(Import(f"{where}:{node.lineno}", name, target))
    return out


def _is_submodule(package: Path, base: str, attr: str) -> bool:
    folder = package.parent.joinpath(*base.split("."))
    return (folder / f"{attr}.py").is_file() or (folder / attr / "__init__.py").is_file()


def room_of(dotted: str) -> str | None:
    """The room of ``generator.x...``: the package ``x``, or the room of the top-level module ``x``."""
    parts = dotted.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    if top in MODULE_ROOMS:
        return MODULE_ROOMS[top]
    return top if top in LAYERS and top not in MODULE_ROOMS.values() else None


def all_imports(root: Path) -> tuple[list[Import], list[str]]:
    package = root / "generator"
    imports: list[Import] = []
    unplaced: list[str] = []
    for path in sorted(package.rglob("*.py")):
        name = module_name(package, path)
        if room_of(name) is None:
            unplaced.append(f"{path.relative_to(root).as_posix()}: {name} is in no layer")
        imports += imports_of(package, path)
    return imports, unplaced


def layer_violations(root: Path) -> list[str]:
    """``file:line: importer -> imported (layer a -> layer b)`` for each upward import, plus unplaced modules."""
    imports, problems = all_imports(root)
    for imp in imports:
        src, dst = room_of(imp.importer), room_of(imp.imported)
        if dst is None:
            problems.append(f"{imp.where}: {imp.importer} -> {imp.imported} (imported module is in no layer)")
        elif src is not None and LAYERS[dst] > LAYERS[src]:
            problems.append(
                f"{imp.where}: {imp.importer} -> {imp.imported} "
                f"({src}, layer {LAYERS[src]} -> {dst}, layer {LAYERS[dst]})"
            )
    return problems


def room_cycles(root: Path) -> list[str]:
    """Each circle of imports between rooms of one layer, with the imports that make it."""
    imports, _ = all_imports(root)
    edges: dict[tuple[str, str], list[Import]] = {}
    for imp in imports:
        src, dst = room_of(imp.importer), room_of(imp.imported)
        if src and dst and src != dst and LAYERS[src] == LAYERS[dst]:
            edges.setdefault((src, dst), []).append(imp)
    graph: dict[str, set[str]] = {}
    for src, dst in edges:
        graph.setdefault(src, set()).add(dst)
    cycles: list[str] = []
    seen: set[frozenset[str]] = set()

    def walk(node: str, trail: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in trail:
                circle = trail[trail.index(nxt) :]
                if frozenset(circle) not in seen:
                    seen.add(frozenset(circle))
                    pairs = list(zip(circle, [*circle[1:], circle[0]], strict=True))
                    detail = "; ".join(
                        f"{e.where}: {e.importer} -> {e.imported}" for pair in pairs for e in edges[pair][:1]
                    )
                    cycles.append(" -> ".join([*circle, nxt]) + f" ({detail})")
            else:
                walk(nxt, [*trail, nxt])

    for start in sorted(graph):
        walk(start, [start])
    return cycles


def test_every_import_goes_down_the_layers() -> None:
    problems = layer_violations(ROOT)
    assert not problems, "imports against the layer order:\n" + "\n".join(problems)


def test_no_cycle_between_rooms_of_one_layer() -> None:
    cycles = room_cycles(ROOT)
    assert not cycles, "rooms of one layer importing each other in a circle:\n" + "\n".join(cycles)


def test_diagnostics_is_a_leaf_of_the_standard_library() -> None:
    """generator/diagnostics/ imports only itself and the standard library (every room may use it)."""
    package = ROOT / "generator" / "diagnostics"
    outside = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if name.startswith("generator.diagnostics") or (top != "generator" and top in sys.stdlib_module_names):
                    continue
                outside.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}: {name}")
    assert outside == []


def test_the_rooms_of_this_test_are_the_rooms_of_the_package() -> None:
    """No stale room: every room named here exists (a removed package is removed here too)."""
    package = REPO / "generator"
    present = {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    present |= {MODULE_ROOMS[p.stem] for p in package.glob("*.py") if p.stem in MODULE_ROOMS}
    assert sorted(set(LAYERS) - present) == []


# ------------------------------------------------------------------ the checker itself can fail


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / "generator" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_an_upward_import_is_reported_with_its_place(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "__init__.py": "",
            "diagnostics/__init__.py": "",
            "model/__init__.py": "",
            "model/entry.py": "from __future__ import annotations\n\nimport json\n",
            "site/__init__.py": "",
            "site/pages.py": "X = 1\n",
            "model/bad.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from generator.site.pages import X\n",
            "source/__init__.py": "",
            "source/files.py": "def f():\n    from ..site import pages\n    from . import files\n",
        },
    )
    assert layer_violations(tmp_path) == [
        "generator/model/bad.py:3: generator.model.bad -> generator.site.pages (model, layer 1 -> site, layer 4)",
        "generator/source/files.py:2: generator.source.files -> generator.site.pages (source, layer 1 -> site, layer 4)",
    ]


def test_an_unplaced_module_fails(tmp_path: Path) -> None:
    _write(tmp_path, {"__init__.py": "", "helpers.py": "", "cli.py": "import generator.helpers\n"})
    assert layer_violations(tmp_path) == [
        "generator/helpers.py: generator.helpers is in no layer",
        "generator/cli.py:1: generator.cli -> generator.helpers (imported module is in no layer)",
    ]


def test_a_cycle_between_rooms_of_one_layer_is_reported(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "__init__.py": "",
            "site/__init__.py": "from generator.search import index\n",
            "search/__init__.py": "",
            "search/index.py": "def f():\n    import generator.site\n",
        },
    )
    assert room_cycles(tmp_path) == [
        "search -> site -> search (generator/search/index.py:2: generator.search.index -> generator.site; "
        "generator/site/__init__.py:1: generator.site -> generator.search.index)"
    ]
