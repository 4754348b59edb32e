"""The layout rules of STYLE.md that keep logic testable without a browser."""

from __future__ import annotations

import ast
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "stakeholder_map"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_nothing_outside_the_ui_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
                 if "ui" not in p.relative_to(PACKAGE).parts[:1] and "streamlit" in imported_modules(p)]
    assert offenders == []


STORE = PACKAGE / "store"


def test_only_the_store_talks_to_duckdb():
    offenders = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
                 if STORE not in p.parents and "duckdb" in imported_modules(p)]
    assert offenders == []


def test_no_sql_is_built_from_f_strings_with_values():
    for path in STORE.glob("*.py"):
        text = path.read_text()
        assert 'execute(f"' not in text and "execute(f'" not in text, path.name


# ---------------------------------------------------------------- walls between the rooms

def package_modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def package_of(module: str, path: Path) -> str:
    """The package a module's relative imports start from."""
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def imports(module: str, path: Path) -> list[tuple[str, str | None, int]]:
    """Every import of a module, function-level ones included, resolved to absolute names.

    One ``(module, name, line)`` per imported name: ``import a.b`` gives
    ``("a.b", None, line)``; ``from .x import y`` gives ``("<package>.x", "y", line)``.
    """
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package_of(module, path).split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found += [(base, alias.name, node.lineno) for alias in node.names]
    return found


def targets(module: str, name: str | None) -> list[str]:
    """What an import can mean: the module, and ``module.name`` when that is a submodule."""
    return [module] if name is None else [module, f"{module}.{name}"]


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_imports_resolve_to_package_modules():
    """The resolver below understands every relative import (else the walls would see nothing)."""
    modules = package_modules()
    relative = [(m, n) for m, p in modules.items() for m_, n, _ in imports(m, p)
                for m in [m_] if m.startswith("stakeholder_map")]
    assert relative, "no package-internal imports found"
    unknown = [(m, n) for m, n in relative if not any(t in modules for t in targets(m, n))]
    assert unknown == []


def test_tracking_imports_neither_export_nor_ingest():
    """Tracking reads and returns frames: the files it plans from and writes to are the ingest and export side's."""
    sides = ("stakeholder_map.export", "stakeholder_map.ingest")   # export.py, export_*.py, ingest.py, ingest_*.py
    offenders = [f"{path.relative_to(ROOT)}:{line} imports {'.'.join(filter(None, (m, n)))}"
                 for module, path in package_modules().items()
                 if module.startswith("stakeholder_map.tracking")
                 for m, n, line in imports(module, path)
                 if any(t.startswith(sides) for t in targets(m, n))]
    assert offenders == []


def test_no_module_imports_another_modules_private_names():
    """``from x import _y`` only for a private module of the importer's own package (``analysis._kernels``).

    A helper two modules share is public in the module where it belongs, with a name and a docstring.
    """
    modules = package_modules()
    offenders = []
    for module, path in modules.items():
        own_package = package_of(module, path)
        for m, n, line in imports(module, path):
            if not m.startswith("stakeholder_map"):
                continue
            private_module = any(is_private(part) for part in m.split("."))
            own_private_module = n is not None and m == own_package and f"{m}.{n}" in modules
            if private_module and m.rpartition(".")[0] != own_package:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports from private module {m}")
            elif n is not None and is_private(n) and not own_private_module:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {m}.{n}")
    assert offenders == []


def imports_by_name(path: Path) -> list[int]:
    """Lines that load a module by a name computed at run time (``import_module``, ``__import__``).

    Finding a package's files (``importlib.util.find_spec``) imports nothing and is not counted.
    """
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "importlib" \
                and any(a.name == "import_module" for a in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name in ("import_module", "__import__"):
                lines.append(node.lineno)
    return lines


def test_no_import_by_name():
    """Every dependency is an import statement a reader (and this file) can see."""
    offenders = [f"{p.relative_to(ROOT)}:{line}" for p in PACKAGE.rglob("*.py") for line in imports_by_name(p)]
    assert offenders == []


# ---------------------------------------------------------------- rooms and the order between them

#: The rooms of the package, lowest first: a module imports only its own room and the rooms below it
#: (contract → ingest → store → access → graph, export, demo → analysis → tracking → workspace → presentation → ui, cli).
ROOMS = (
    ("contract", ("stakeholder_map", "stakeholder_map.errors", "stakeholder_map.schema",
                  "stakeholder_map.synthetic")),
    ("ingest", ("stakeholder_map.ingest", "stakeholder_map.ingest_team", "stakeholder_map.ingest_org_chart",
                "stakeholder_map.ingest_interactions", "stakeholder_map.surveys", "stakeholder_map.ingest_xlsx")),
    ("store", ("stakeholder_map.store",)),
    ("access", ("stakeholder_map.access", "stakeholder_map.team_config")),
    ("graph, export, demo", ("stakeholder_map.graph", "stakeholder_map.export", "stakeholder_map.export_rotation",
                             "stakeholder_map.demo", "stakeholder_map.export_xlsx")),
    ("analysis", ("stakeholder_map.analysis",)),
    ("tracking", ("stakeholder_map.tracking",)),
    ("workspace", ("stakeholder_map.workspace", "stakeholder_map.privacy")),
    ("presentation", ("stakeholder_map.presentation",)),
    ("ui", ("stakeholder_map.ui",)),
    ("cli", ("stakeholder_map.cli", "stakeholder_map.__main__")),
)


def room_of(module: str) -> int:
    """The rank of the room a module belongs to (its longest matching prefix)."""
    best, rank = -1, None
    for i, (_, prefixes) in enumerate(ROOMS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), i
    assert rank is not None, f"{module} is in no room: add it to ROOMS"
    return rank


def upward_imports() -> list[str]:
    modules = package_modules()
    offenders = []
    for module, path in modules.items():
        own = room_of(module)
        for m, n, line in imports(module, path):
            if not m.startswith("stakeholder_map"):
                continue
            target = next((t for t in reversed(targets(m, n)) if t in modules), m)
            other = room_of(target)
            same_top = ROOMS[own][0] in ("ui", "cli") and ROOMS[other][0] in ("ui", "cli")
            if other > own or (same_top and other != own):
                offenders.append(f"{path.relative_to(ROOT)}:{line} ({ROOMS[own][0]}) imports {target} "
                                 f"({ROOMS[other][0]})")
    return offenders


def test_every_room_imports_only_the_rooms_below_it():
    """The store does not build graphs, analysis and tracking know nothing of labels or widgets,
    the presentation takes plain data (not the store), and the dashboard and the CLI do not import each other."""
    assert upward_imports() == []


def test_every_module_is_in_a_room():
    assert all(room_of(module) >= 0 for module in package_modules())


def test_the_store_does_not_build_graphs():
    """The store returns frames; the graph model is built above it (``graph.build_graph``)."""
    modules = {m: p for m, p in package_modules().items() if m.startswith("stakeholder_map.store")}
    assert len(modules) > 1
    for module, path in modules.items():
        assert "networkx" not in imported_modules(path), module
        assert not [m for m, n, _ in imports(module, path) if m.startswith("stakeholder_map.graph")], module
