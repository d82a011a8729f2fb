"""Benchmarks and the data generator for scale runs. Each script runs directly
(`.venv/bin/python bench/<name>.py`), puts the project on `sys.path`, then calls `start_django`
before it imports an app."""

from __future__ import annotations

import os
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
RESULTS = BASE / "bench" / "results"


def start_django(**environment_defaults: str) -> None:
    """Set Django up with the project's settings and these defaults for the environment (such as
    the benchmark's own database, EMBEDDED_DATABASE_NAME); what the caller's environment sets wins.
    DEBUG is off unless the caller's environment turns it on: the portal is measured as it is deployed,
    without the debug cursor that keeps every query and the template loader that checks every file."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    for name, value in environment_defaults.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()


def write_results(filename: str, lines: list[str]) -> None:
    """Write a benchmark's report to bench/results/`filename` and print it."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / filename).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
