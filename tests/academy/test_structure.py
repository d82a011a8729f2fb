"""Rules of the codebase's shape that ruff's private-import rule (PLC2701) does not cover, because it
allows underscored names to cross modules of one package: here no module imports an underscored name
from another module at all, and no `__all__` exports one."""

from __future__ import annotations

import ast
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
PACKAGES = ("academy", "programmes", "coaching", "talent", "gmts", "reporting", "tests", "bench")


def project_modules():
    for package in PACKAGES:
        for path in sorted((BASE / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(), filename=str(path))


def test_no_underscored_name_is_imported_from_another_module():
    offences = [
        f"{path.relative_to(BASE)}:{node.lineno} imports {alias.name} from {node.module}"
        for path, tree in project_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and not node.module.startswith("__")
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert offences == []


def test_no_module_exports_an_underscored_name():
    offences = [
        f"{path.relative_to(BASE)} exports {element.value}"
        for path, tree in project_modules()
        for node in tree.body
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets)
        for element in getattr(node.value, "elts", [])
        if isinstance(element, ast.Constant) and str(element.value).startswith("_")
    ]
    assert offences == []
