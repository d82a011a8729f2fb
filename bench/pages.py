"""Side-by-side page benchmark: each portal page against a bare view that runs one hand-written query for
the same rows and returns them as minimal HTML (bench/bare.py), through the same middleware, for the same
signed-in user, in one process with Django's test Client. Requests alternate page / bare, so a burst of
load on the shared machine hits both alike; the ratio of the medians is the page's rendering overhead.

    EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python manage.py migrate
    EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python bench/data.py
    EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python bench/pages.py --label "after: Jinja2" [--runs 40]

The coaching pages need bench/coaching_pages.py's data (20,000 coaches); it is generated here when
missing (a few minutes, once), or skipped with --no-coaching. Each run is kept in bench/results/pages.json
under its label (a re-run with the same label replaces it) and bench/results/pages.md shows them all,
the first run (the baseline) against the latest."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import start_django  # noqa: E402

start_django(DJANGO_DEBUG="false", EMBEDDED_DATABASE_NAME="academy_bench")

from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from academy.models import Region, System, User  # noqa: E402
from bench.data import LEARNER_EMAIL, REGISTER_COHORT_NAME, STAFF_EMAIL  # noqa: E402
from bench.programmes_pages import client_for, count_queries  # noqa: E402
from bench.runs import git_commit, reproduce, run_load, run_save, run_started, run_where, runs_compared  # noqa: E402
from bench.timing import percentile  # noqa: E402
from programmes.models import Cohort, Enrolment, Programme  # noqa: E402

BASE = Path(__file__).resolve().parent.parent
COACH_EMAIL = "bench-coach00001@nhs.net"  # bench/coaching_pages.py: the coach with 500 supervision records
LEAD_EMAIL = "lead@nhs.net"  # academy/demo.py, loaded by bench/data.py
COMMAND = "EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python bench/pages.py"


def coaching_ready() -> bool:
    """bench/coaching_pages.py's data, generated once (it returns at once when already there)."""
    from bench.coaching_pages import generate as coaching_generate

    coaching_generate()
    return User.objects.filter(email=COACH_EMAIL).exists()


def pages(*, coaching: bool) -> list[tuple[str, Client, str]]:
    """(label, signed-in client, path) for every page; its bare view is /bench-bare<path>. Everything is
    found by name, slug or email, never by a primary key, so a fresh database gives the same pages."""
    region = Region.objects.get(slug="midlands")
    register = Cohort.objects.get(name=REGISTER_COHORT_NAME)
    session = register.sessions.order_by("starts_at").first()
    system = System.objects.filter(sub_region__region=region).order_by("slug").first()
    starts_after = timezone.localdate() + dt.timedelta(days=30)
    participant = client_for(LEARNER_EMAIL)
    staff = client_for(STAFF_EMAIL, staff=True)
    lead = client_for(LEAD_EMAIL, staff=True)
    from reporting.forms import default_year
    from reporting.selectors import latest_complete_year_with_data

    year = latest_complete_year_with_data(region) or default_year()
    listed = [
        ("Find a programme, first page", participant, "/programmes/"),
        ("Find a programme, searched", participant, "/programmes/?q=compassionate+teams"),
        (
            "Find a programme, filtered (system, places, date, theme)",
            participant,
            f"/programmes/?system={system.pk}&places_available=on&starts_after_day={starts_after.day}"
            f"&starts_after_month={starts_after.month}&starts_after_year={starts_after.year}&theme=growing",
        ),
        (
            "A programme's page (100 cohorts)",
            participant,
            f"/programmes/{Programme.objects.get(code='BENCH001').slug}/",
        ),
        ("My learning (40 enrolments)", participant, "/programmes/my-learning/"),
        ("Register of 500 (staff)", staff, f"/programmes/manage/cohorts/{register.pk}/"),
        ("Attendance page of 500 (staff)", staff, f"/programmes/manage/sessions/{session.pk}/attendance/"),
        ("Staff programme list", staff, "/programmes/manage/"),
    ]
    if coaching:
        listed += [
            ("Coach register (staff), first page", staff, "/coaching/register/"),
            ("My coaching (500 supervision records)", client_for(COACH_EMAIL), "/coaching/"),
        ]
    listed.append(("Lead's dashboard, latest complete NHS year", lead, f"/reports/?year={year}"))
    return listed


def timed(client: Client, url: str) -> tuple[float, float]:
    started, started_cpu = time.perf_counter(), time.process_time()
    client.get(url)
    return (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000


def measure(listed, runs: int) -> dict[str, dict]:
    """Round-robin over the pages; for each, the page and its bare view back to back, in alternating
    order from run to run so neither always goes first."""
    samples = {label: {"page": [], "bare": [], "page_cpu": [], "bare_cpu": []} for label, _, _ in listed}
    for run in range(runs):
        for label, client, url in listed:
            order = ("page", "bare") if run % 2 == 0 else ("bare", "page")
            for kind in order:
                wall, cpu = timed(client, url if kind == "page" else f"/bench-bare{url}")
                samples[label][kind].append(wall)
                samples[label][f"{kind}_cpu"].append(cpu)
    return {
        label: {
            "page_median": statistics.median(s["page"]),
            "page_p95": percentile(s["page"], 95),
            "bare_median": statistics.median(s["bare"]),
            "bare_p95": percentile(s["bare"], 95),
            "page_cpu_median": statistics.median(s["page_cpu"]),
            "bare_cpu_median": statistics.median(s["bare_cpu"]),
        }
        for label, s in samples.items()
    }


def main(label: str, runs: int, coaching: bool) -> None:
    call_command("createcachetable", verbosity=0)  # the dashboard keeps its figures in the cache table
    coaching = coaching and coaching_ready()
    with override_settings(ROOT_URLCONF="bench.bare_urls"):
        listed = pages(coaching=coaching)
        queries = {}
        for name, client, url in listed:
            queries[name] = (count_queries(client, url), count_queries(client, f"/bench-bare{url}"))
        load_before = os.getloadavg()
        started = time.perf_counter()
        results = measure(listed, runs)
        load_after = os.getloadavg()
    rows = []
    for name, _, url in listed:
        r = results[name] | {"url": url, "queries": queries[name][0], "bare_queries": queries[name][1]}
        r["ratio"] = r["page_median"] / r["bare_median"]
        rows.append({"page": name} | r)
        print(
            f"{name:<58} page {r['page_median']:6.1f} / {r['page_p95']:6.1f} ms  "
            f"bare {r['bare_median']:6.1f} / {r['bare_p95']:6.1f} ms  {r['ratio']:4.1f}x  "
            f"{r['queries']} vs {r['bare_queries']} queries",
            flush=True,
        )
    run = run_started(label, load_before, load_after) | {
        "runs": runs,
        "seconds": round(time.perf_counter() - started),
        "scale": {
            "programmes": Programme.objects.count(),
            "cohorts": Cohort.objects.count(),
            "enrolments": Enrolment.objects.count(),
        },
        "coaching": coaching,
        "rows": rows,
    }
    run_save(name="pages", run=run, render=render)


def render(history: list[dict]) -> str:
    lines = [
        "# Pages against their bare views",
        "",
        "Each page is requested in-process with Django's test Client, alternating with a **bare view**",
        "(bench/bare.py) that runs one hand-written SQL statement for the same rows and returns them as a",
        "minimal HTML table, behind the same middleware (session, user, CSRF, messages, MFA) and for the same",
        "signed-in user. The difference is what the page spends beyond fetching its rows: ORM objects,",
        "forms, permission checks, template rendering, date formats and URL reversals. Medians of interleaved",
        "pairs and their ratio are what count: the machine (2 cores) is shared with other work, so absolute",
        "times move with its load, the ratio much less. Query counts include the session, user and session",
        "save of every signed-in request (the bare view makes those too). DEBUG off.",
        "",
        "Target: every page within 2× its bare view at the median.",
        "",
        *reproduce(
            "Reproduce (from a fresh database; the data is deterministic and the pages are found by name):",
            "EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python manage.py migrate",
            "EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python bench/data.py",
            f'{COMMAND} --label "after: Jinja2, commit <sha>"',
        ),
        'A run labelled with an earlier commit (a "before" run re-measured beside an "after" one) ran',
        "from that commit's own tree on the same data: `git worktree add /tmp/before <sha>`, then in it the",
        "command above with `DATABASE_URL` naming this checkout's `academy_bench` database (its embedded",
        "server listens on the socket in `.data/postgres`), so the command line printed under such a run",
        "is the one typed in that tree.",
        "",
    ]
    for first, last in runs_compared(history):
        before = {r["page"]: r for r in first["rows"]}
        lines += [
            f"## {first['label']} → {last['label']}",
            "",
            f"Load average at the start: {first['load'][0]} before, {last['load'][0]} after (2 cores); "
            "under load a page's time grows with its CPU time, so compare ratios from runs at a like load.",
            "",
            "| page | page median before (ms) | ratio before | page median after (ms) | ratio after |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for r in last["rows"]:
            b = before.get(r["page"])
            was = f"{b['page_median']:.1f} | {b['ratio']:.1f}×" if b else "– | –"
            lines.append(f"| {r['page']} | {was} | {r['page_median']:.1f} | {r['ratio']:.1f}× |")
        lines.append("")
    for run in history:
        scale = run["scale"]
        lines += [
            f"## {run['label']}",
            "",
            f"{run_where(run)}. {run_load(run)}; {run['runs']} pairs per page in {run['seconds']} s. "
            f"Data: {scale['programmes']:,} programmes, {scale['cohorts']:,} cohorts, "
            f"{scale['enrolments']:,} enrolments"
            + (
                ", 20,000 coaches and 100,000 supervision records."
                if run["coaching"]
                else " (coaching pages skipped)."
            ),
            f'Command: `{COMMAND} --label "{run["label"]}" --runs {run["runs"]}`',
            "",
            "| page | page median (ms) | page p95 (ms) | bare median (ms) | bare p95 (ms) | ratio of medians "
            "| page CPU median (ms) | bare CPU median (ms) | queries (page / bare) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {r['page']} | {r['page_median']:.1f} | {r['page_p95']:.1f} | {r['bare_median']:.1f} "
            f"| {r['bare_p95']:.1f} | {r['ratio']:.1f}× | {r['page_cpu_median']:.1f} | {r['bare_cpu_median']:.1f} "
            f"| {r['queries']} / {r['bare_queries']} |"
            for r in run["rows"]
        ]
        over = [r["page"] for r in run["rows"] if r["ratio"] > 2]
        lines += [
            "",
            f"Within 2× of the bare view: {len(run['rows']) - len(over)} of {len(run['rows'])} pages"
            + (f"; not yet: {', '.join(over)}." if over else "."),
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="", help='what this run measures, e.g. "after: Jinja2"')
    parser.add_argument("--runs", type=int, default=40, help="page/bare pairs per page")
    parser.add_argument("--no-coaching", action="store_true", help="skip the coaching pages")
    options = parser.parse_args()
    main(options.label or f"commit {git_commit()}", options.runs, not options.no_coaching)
