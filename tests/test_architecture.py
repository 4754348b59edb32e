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


def test_only_the_store_talks_to_duckdb():
    offenders = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
                 if p.name != "store.py" and "duckdb" in imported_modules(p)]
    assert offenders == []


def test_no_sql_is_built_from_f_strings_with_values():
    text = (PACKAGE / "store.py").read_text()
    assert 'execute(f"' not in text and "execute(f'" not in text
