"""Benchmark: the Year in Review with 1,000,000 enrolments.

    .venv/bin/python bench/reporting.py [--runs 7]

Measures (1) the time to compute every figure of the report (programme figures, breakdowns with
suppression, coaching, HCLM) and the number of queries, for the region and for one system; (2) the time
to render the PDF; (3) the peak memory of a real Celery worker process rendering it. Uses its own
database (academy_bench_reporting in the embedded server, or whatever DATABASE_URL names), generates
the data once (200,000 people, 20,000 cohorts in 2020/21, 1,000,000 enrolments and attendance marks,
inserted with SQL) and writes bench/results/reporting.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import BASE, start_django, write_results  # noqa: E402

start_django(EMBEDDED_DATABASE_NAME="academy_bench_reporting")

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from academy.models import Organisation, Person, Region, System  # noqa: E402
from academy.scope import Scope  # noqa: E402
from coaching import selectors as coaching  # noqa: E402
from programmes import selectors as programme_selectors  # noqa: E402
from programmes.models import Cohort, CohortStatus, Enrolment, Programme, Session, Theme  # noqa: E402
from reporting import selectors, services  # noqa: E402
from reporting.models import Edition, ReportRun, ReportRunStatus  # noqa: E402
from tests.worker import celery_worker_process  # noqa: E402

NOTES = (BASE / "bench" / "reporting_notes.md").read_text().splitlines()  # what was tried, with plans
PEOPLE = 200_000
COHORTS = 20_000
ENROLMENTS = 1_000_000
PREFIX = "bench-yir"


def generate() -> None:
    if Enrolment.objects.filter(cohort__name__startswith=PREFIX).count() >= ENROLMENTS:
        return
    region = Region.objects.get(slug="midlands")
    with connection.cursor() as cursor:  # a half-finished earlier generation is started again
        cursor.execute(
            f"DELETE FROM programmes_attendance WHERE session_id IN (SELECT s.id FROM programmes_session s "
            f"JOIN programmes_cohort c ON c.id = s.cohort_id WHERE c.name LIKE '{PREFIX} %')"
        )
        cursor.execute(
            f"DELETE FROM programmes_enrolment WHERE cohort_id IN (SELECT id FROM programmes_cohort WHERE name LIKE '{PREFIX} %')"
        )
        cursor.execute(
            f"DELETE FROM programmes_session WHERE cohort_id IN (SELECT id FROM programmes_cohort WHERE name LIKE '{PREFIX} %')"
        )
        cursor.execute(f"DELETE FROM programmes_cohort WHERE name LIKE '{PREFIX} %'")
        cursor.execute(
            f"DELETE FROM academy_person WHERE user_id IN (SELECT id FROM academy_user WHERE email LIKE '{PREFIX}-%')"
        )
        cursor.execute(f"DELETE FROM academy_user WHERE email LIKE '{PREFIX}-%'")
    print(f"Generating {PEOPLE:,} people, {COHORTS:,} cohorts, {ENROLMENTS:,} enrolments...", flush=True)
    organisations = list(Organisation.objects.filter(region=region).values_list("id", flat=True))
    programmes = list(Programme.objects.filter(region=region).order_by("code"))
    start = dt.datetime(2020, 4, 2, 10, tzinfo=dt.UTC)
    cohorts = Cohort.objects.bulk_create(
        [
            Cohort(
                programme=programmes[n % len(programmes)],
                name=f"{PREFIX} cohort {n}",
                region=region,
                capacity=60,
                places_taken=50,
                status=CohortStatus.COMPLETED,
            )
            for n in range(COHORTS)
        ],
        batch_size=5000,
    )
    Session.objects.bulk_create(
        [
            Session(
                cohort=cohort,
                title="Bench session",
                starts_at=start + dt.timedelta(minutes=26 * n),  # spread over the year
                ends_at=start + dt.timedelta(minutes=26 * n + 90),
            )
            for n, cohort in enumerate(cohorts)
        ],
        batch_size=5000,
    )
    org_array = "ARRAY[" + ",".join(str(o) for o in organisations) + "]"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO academy_user (email, password, is_superuser, is_staff, is_active, first_name, last_name, date_joined)
            SELECT '{PREFIX}-' || g || '@nhs.net', '!', false, false, false, '', '', now()
            FROM generate_series(1, {PEOPLE}) g
            """
        )
        cursor.execute(
            f"""
            INSERT INTO academy_person (user_id, given_name, family_name, job_title, organisation_id, region_id,
                                        staff_group, pay_band, gender, ethnic_category, disability, created_at, updated_at)
            SELECT u.id, 'Bench', 'Person', '', ({org_array})[1 + u.id % {len(organisations)}], {region.pk},
                   (ARRAY['admin','admin','admin','medical','medical','nursing','ahp','acs','apst',''])[1 + (u.id * 7) % 10],
                   '', (ARRAY['female','female','female','female','male','prefer_not'])[1 + (u.id * 11) % 6],
                   (ARRAY['A','A','A','B','C','H','J','N','M','Z',''])[1 + (u.id * 13) % 11], '', now(), now()
            FROM academy_user u WHERE u.email LIKE '{PREFIX}-%'
            """
        )
        cursor.execute(
            f"""
            WITH c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM programmes_cohort WHERE name LIKE '{PREFIX} %'),
                 p AS (SELECT p.id, row_number() OVER (ORDER BY p.id) - 1 AS i FROM academy_person p
                       JOIN academy_user u ON u.id = p.user_id WHERE u.email LIKE '{PREFIX}-%')
            INSERT INTO programmes_enrolment (cohort_id, person_id, status, created_at, updated_at)
            SELECT c.id, p.id, (ARRAY['completed','completed','enrolled','withdrawn','waitlisted'])[1 + k % 5], now(), now()
            FROM generate_series(0, {ENROLMENTS} - 1) k
            JOIN c ON c.i = k % {COHORTS}
            JOIN p ON p.i = k / 5
            """
        )
        cursor.execute(
            f"""
            INSERT INTO programmes_attendance (session_id, enrolment_id, status, marked_at)
            SELECT s.id, e.id, CASE WHEN e.id % 10 < 7 THEN 'attended' WHEN e.id % 10 < 9 THEN 'absent' ELSE 'apologies' END, s.ends_at
            FROM programmes_enrolment e
            JOIN programmes_cohort c ON c.id = e.cohort_id AND c.name LIKE '{PREFIX} %'
            JOIN programmes_session s ON s.cohort_id = e.cohort_id
            WHERE e.status <> 'waitlisted'
            """
        )
        cursor.execute("ANALYZE")


def timed(function, runs: int) -> tuple[float, float, int, object]:
    """Median and max seconds over `runs`, and the queries of the last run."""
    times, result, queries = [], None, 0
    for _ in range(runs):
        reset_queries()  # the query log is a bounded deque: full after generating the data
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - started)
        queries = len(context.captured_queries)
    return statistics.median(times), max(times), queries, result


def figures(scope_factory):
    def compute():
        scope = scope_factory()
        # Every chapter's figures as published (the charts, drawn from them, are timed with the PDF).
        programme_selectors.reach_and_impact(scope)
        for theme in Theme:
            programme_selectors.theme_chapter(scope, theme)
        coaching.coaching_chapter(scope)
        selectors.hclm_table(scope)
        return scope

    return compute


def worker_peak_memory(edition: Edition) -> tuple[float, float, str]:
    """Start a real worker (solo pool: the task runs in its main process), render one run, read VmHWM."""
    with celery_worker_process({}) as worker:
        time.sleep(4)
        idle = _vm(worker.pid, "VmRSS")
        from academy.celery import app

        app.conf.task_always_eager = False
        run = services.report_run_request(edition=edition, actor=None)
        started = time.perf_counter()
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.is_finished:
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        peak = _vm(worker.pid, "VmHWM")
        status = f"{run.status} in {elapsed:.1f} s (queue to file)"
        if run.status != ReportRunStatus.SUCCEEDED:
            status += f": {run.error}"
        return idle, peak, status


def _vm(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--quiet-accounts", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    generate()
    region = Region.objects.get(slug="midlands")
    system = System.objects.filter(sub_region__region=region).order_by("name").first()
    counts = {
        "enrolments": Enrolment.objects.count(),
        "people": Person.objects.count(),
        "cohorts": Cohort.objects.count(),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM programmes_attendance")
        counts["attendance marks"] = cursor.fetchone()[0]

    region_figures = timed(figures(lambda: Scope.for_nhs_year("2020/21", region=region)), args.runs)
    system_figures = timed(
        figures(lambda: Scope.for_nhs_year("2020/21", region=region, system=system)), args.runs
    )
    headline = programme_selectors.reach_and_impact(region_figures[3])["headline"]  # cached on the scope

    edition = Edition.objects.filter(region=region, system=None, title="A Year in Review 2020/21").first()
    pdf_times = []
    for _ in range(3):
        started = time.perf_counter()
        pdf = services.report_pdf(edition=edition)
        pdf_times.append(time.perf_counter() - started)
    idle, peak, worker_status = worker_peak_memory(edition)
    ReportRun.objects.filter(edition=edition, requested_by=None).delete()

    lines = [
        "# Reporting benchmark: the Year in Review with 1,000,000 enrolments",
        "",
        f"Run on {timezone.localdate():%d %B %Y}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs "
        f"shared with other work (load average {load_at_start:.1f} at the start and {os.getloadavg()[0]:.1f} at the "
        "end of the run), PostgreSQL from "
        "the embedded server. Command: `.venv/bin/python bench/reporting.py`.",
        "",
        "Data: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
        + " (all bench cohorts meet in 2020/21, "
        "plus the demo's 2020/21 year).",
        f"The region's 2020/21 figures: {headline.interventions:,} interventions, {headline.enrolments.value:,} enrolments, "
        f"{headline.individuals.value:,} individuals, attendance {headline.attendance_rate:.0%}.",
        "",
        "| measure | median | max | queries | target |",
        "| --- | --- | --- | --- | --- |",
        f"| every figure of the report, whole region ({args.runs} runs) | {region_figures[0]:.2f} s | {region_figures[1]:.2f} s | {region_figures[2]} | < 2 s, fixed queries |",
        f"| every figure of the report, one system ({args.runs} runs) | {system_figures[0]:.2f} s | {system_figures[1]:.2f} s | {system_figures[2]} | < 2 s, fixed queries |",
        f"| render the PDF (figures, charts, WeasyPrint; 3 runs) | {statistics.median(pdf_times):.2f} s | {max(pdf_times):.2f} s | – | < 15 s |",
        f"| worker peak memory (VmHWM) rendering one run | {peak:.0f} MB | idle {idle:.0f} MB | – | – |",
        "",
        f"Worker run: {worker_status}. PDF size {len(pdf):,} bytes.",
        "",
        "The query count does not depend on the data: programme figures are four SQL statements (ROLLUP /",
        "GROUPING SETS over the same CTEs), coaching's figures are the coaching app's fixed set, HCLM one.",
        "",
        *NOTES,
    ]
    write_results("reporting.md", lines)


if __name__ == "__main__":
    main()
