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


DOMAIN_APPS = ("programmes", "coaching", "talent", "gmts")


def test_reporting_reads_other_apps_only_through_their_selectors():
    """The import-linter contract names the modules reporting may not import; this names the one it
    may, so a module added to an app later (chapters, imports, links) is covered without a list."""
    offences = []
    for path in sorted((BASE / "reporting").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            modules = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from programmes import selectors` names the module it imports
                modules = [
                    f"{node.module}.{alias.name}" if "." not in node.module else node.module
                    for alias in node.names
                ]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            for module in modules:
                app, _, rest = module.partition(".")
                if app in DOMAIN_APPS and rest != "selectors":
                    offences.append(f"{path.relative_to(BASE)}:{node.lineno} imports {module}")
    assert offences == []
