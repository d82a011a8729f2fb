"""Where a page's time goes beyond its queries: cProfile over a few requests of My learning, Find a
programme and the register of 500 (in-process, bench/data.py's data), counted per request: Jinja2
templates rendered and looked up, macro calls (the NHS.UK components), fields drawn by the form bridge,
the date and time filters, URL reversals, permission checks, model instances built, and the time in the
database driver against the time in templates. Writes
bench/results/pages_profile.md, with bench/pages_profile_notes.md (what to change, and where) after the
figures.

    EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python bench/profile_pages.py [--requests 10]"""

from __future__ import annotations

import argparse
import cProfile
import inspect
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import start_django  # noqa: E402

start_django(DJANGO_DEBUG="false", EMBEDDED_DATABASE_NAME="academy_bench")

from django.db.models import Model  # noqa: E402
from django.forms.boundfield import BoundField  # noqa: E402
from django.forms.widgets import Widget  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.urls import base as urls_base  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import trans_real  # noqa: E402

from academy import jinja2 as bridge  # noqa: E402
from academy import permissions  # noqa: E402
from bench.pages import pages  # noqa: E402
from bench.programmes_pages import count_queries  # noqa: E402
from bench.runs import git_commit  # noqa: E402
from jinja2 import environment as jinja_environment  # noqa: E402
from jinja2 import runtime as jinja_runtime  # noqa: E402
from programmes.services import attendance as attendance_rules  # noqa: E402
from programmes.services import places as programme_rules  # noqa: E402

BASE = Path(__file__).resolve().parent.parent
RESULTS = BASE / "bench" / "results" / "pages_profile.md"
NOTES = BASE / "bench" / "pages_profile_notes.md"
PROFILED = ("Find a programme, first page", "My learning (40 enrolments)", "Register of 500 (staff)")

PERMISSION_CHECKS = [
    permissions.user_roles,
    permissions.has_role,
    permissions.is_staff_type,
    permissions.is_programme_staff,
    permissions.can_read_audit_log,
    permissions.person_of,
    permissions.staff_region,
    permissions.require_region,
]
# What is counted per request, and the functions whose calls count (the call's own cumulative time is
# shown where one function is named; a group of several shows calls only, as their times overlap).
COUNTED = [
    ("Jinja2 pages rendered (jinja2 Template.render)", [jinja_environment.Template.render]),
    (
        "templates looked up: extends, include, macro imports (Environment.get_template)",
        [jinja_environment.Environment.get_template],
    ),
    ("macro calls: NHS.UK components and the pages' own (Macro.__call__)", [jinja_runtime.Macro.__call__]),
    ("fields drawn by the form bridge (academy.jinja2.field)", [bridge.field]),
    ("forms drawn by the bridge (academy.jinja2.form_fields)", [bridge.form_fields]),
    ("error summaries (academy.jinja2.error_summary)", [bridge.error_summary]),
    ("|nhs_date filters (on their own and within |nhs_datetime)", [bridge.nhs_date]),
    ("|nhs_time filters (on their own and within |nhs_datetime)", [bridge.nhs_time]),
    ("|nhs_datetime filters", [bridge.nhs_datetime]),
    ("time zone conversions (timezone.localtime)", [timezone.localtime]),
    ("URL reversals (urls.reverse)", [urls_base.reverse]),
    ("url() in pages (academy.jinja2.url)", [bridge.url]),
    ("permission checks (academy/permissions.py predicates)", PERMISSION_CHECKS),
    ("eligibility_problems (per cohort)", [programme_rules.eligibility_problems]),
    ("feedback_allowed (per enrolment)", [attendance_rules.feedback_allowed]),
    ("fields Django draws itself: hidden ones (BoundField.__str__)", [BoundField.__str__]),
    ("Django widget templates rendered (Widget.render)", [Widget.render]),
    ("model instances built (Model.from_db)", [Model.from_db.__func__]),
    ("translations looked up (gettext)", [trans_real.gettext]),
    (
        "SQL statements executed (psycopg2)",
        [("~", 0, "<method 'execute' of 'psycopg2.extensions.cursor' objects>")],
    ),
]


def key_of(function) -> tuple[str, int, str]:
    if isinstance(function, tuple):
        return function
    code = inspect.unwrap(function).__code__
    return code.co_filename, code.co_firstlineno, code.co_name


def timed(client, url: str, requests: int, profiler: cProfile.Profile | None = None) -> float:
    """Milliseconds a request, over `requests` requests (with the profiler on when given)."""
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    for _ in range(requests):
        client.get(url)
    if profiler:
        profiler.disable()
    return (time.perf_counter() - started) * 1000 / requests


def summary(stats: pstats.Stats, requests: int) -> dict[str, tuple[float, float | None]]:
    """Per request: calls of each counted function, and its cumulative ms when it is one function."""
    rows = {}
    for what, functions in COUNTED:
        found = [stats.stats.get(key_of(f)) for f in functions]
        calls = sum(entry[1] for entry in found if entry)
        cumulative = found[0][3] * 1000 / requests if len(functions) == 1 and found[0] else None
        rows[what] = (calls / requests, cumulative)
    return rows


def top_project_functions(
    stats: pstats.Stats, requests: int, limit: int = 12
) -> list[tuple[str, float, float]]:
    """The portal's own functions (not Django's) with the most cumulative time per request."""
    own = []
    for (filename, line, function), (_, ncalls, _, cumtime, _) in stats.stats.items():
        relative = filename.replace(str(BASE) + "/", "")
        if relative.startswith(("academy/", "programmes/", "coaching/", "reporting/")):
            own.append((f"{relative}:{line} {function}", ncalls / requests, cumtime * 1000 / requests))
    return sorted(own, key=lambda row: -row[2])[:limit]


def main(requests: int) -> None:
    with override_settings(ROOT_URLCONF="bench.bare_urls"):
        listed = [p for p in pages(coaching=False) if p[0] in PROFILED]
        lines = [
            "# Where the pages' time goes",
            "",
            f"Run {timezone.now():%Y-%m-%d %H:%M} UTC on commit {git_commit()} (load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, shared): "
            f"`EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python bench/profile_pages.py --requests {requests}`.",
            "cProfile over the requests, in-process with Django's test Client, DEBUG off, bench/data.py's data.",
            "Counts are per request and exact; milliseconds are cumulative per request under the profiler, which",
            "inflates every Python call (compare them with each other and with the request's total under the",
            "profiler, not with bench/results/pages.md).",
            "",
        ]
        for label, client, url in listed:
            timed(client, url, 3)  # warm caches and connections
            plain_ms = timed(client, url, requests)
            profiler = cProfile.Profile()
            profiled_ms = timed(client, url, requests, profiler)
            stats = pstats.Stats(profiler)
            queries = count_queries(client, url)
            rows = summary(stats, requests)
            lines += [
                f"## {label}",
                "",
                f"`{url}`: {plain_ms:.1f} ms a request without the profiler, {profiled_ms:.1f} ms with it; "
                f"{queries} queries.",
                "",
                "| per request | calls | cumulative ms (profiled) |",
                "| --- | ---: | ---: |",
                *[
                    f"| {what} | {calls:.0f} | {'–' if ms is None else f'{ms:.1f}'} |"
                    for what, (calls, ms) in rows.items()
                ],
                "",
                "The portal's own functions with the most cumulative time per request:",
                "",
                "| function | calls | cumulative ms (profiled) |",
                "| --- | ---: | ---: |",
                *[
                    f"| `{name}` | {calls:.0f} | {ms:.1f} |"
                    for name, calls, ms in top_project_functions(stats, requests)
                ],
                "",
            ]
            print(f"{label}: {plain_ms:.1f} ms, {profiled_ms:.1f} ms profiled", flush=True)
    if NOTES.exists():
        lines += [NOTES.read_text()]
    RESULTS.write_text("\n".join(lines).rstrip() + "\n")
    print(f"Wrote {RESULTS}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10)
    main(parser.parse_args().requests)
