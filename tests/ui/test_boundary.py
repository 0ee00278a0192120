"""The data-access boundary stays the only way to the data: pages and other ui modules never
reach the unchecked readers (``ui.warehouse``, ``kpi.Warehouse``), and every boundary function that
reads data checks the principal first. Read from the source, so a new page or function that
forgets is caught here, not in production."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOUNDARY = {"ui/data.py", "ui/data_rows.py", "ui/data_admin.py", "ui/auth.py", "ui/warehouse.py"}
CHECKS = {"_scope", "_checked", "_check", "_whole_database", "check", "check_database"}
# Functions that touch the readers without a check of their own, and why that is safe.
ALLOWED = {
    "_stamp": "the database's path and mtime, no data",
    "check_database": "opens the database to say it is missing or broken; returns nothing",
    "_database_regions": "agency ids, used only after _whole_database's check",
    "denied": "records a refusal in the audit log",
    "_log": "records an action of a principal already checked by its caller",
}
CALLERS = sorted(
    str(p.relative_to(ROOT))
    for p in [*ROOT.glob("app_pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "dashboard.py"]
    if str(p.relative_to(ROOT)) not in BOUNDARY
)


def imported(path: Path) -> set[str]:
    """Every module and ``module.name`` a file imports."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
    return out


@pytest.mark.parametrize("name", CALLERS)
def test_pages_and_ui_never_reach_the_unchecked_readers(name):
    found = imported(ROOT / name)
    assert not found & {"ui.warehouse", "kpi.Warehouse", "kpi.warehouse", "etl.load", "duckdb"}
    assert "st.user" not in (ROOT / name).read_text(encoding="utf-8")  # identity: ui.auth only


@pytest.mark.parametrize("name", ["ui/data.py", "ui/data_rows.py", "ui/data_admin.py"])
def test_every_boundary_function_that_reads_data_checks_first(name):
    tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
    unchecked = []
    for fn in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
        called = {
            c.func.id if isinstance(c.func, ast.Name) else c.func.attr
            for c in ast.walk(fn)
            if isinstance(c, ast.Call) and isinstance(c.func, ast.Name | ast.Attribute)
        }
        reads = any(
            isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
            and n.value.id in ("warehouse", "store") or (isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute) and n.func.attr == "store")
            for n in ast.walk(fn)
        )  # fmt: skip
        uses_boundary = called & {*CHECKS, "principal", "settings", "info", "download"}
        if reads and not uses_boundary and fn.name not in ALLOWED:
            unchecked.append(fn.name)
    assert unchecked == []
