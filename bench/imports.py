"""Benchmark: a 50,000-row enrolment import, checked and written, while people enrol on the same cohort.

    .venv/bin/python bench/imports.py [--rows 50000] [--label "after bulk writes"]

Builds a file of `--rows` people (half already on Academy, half new; organisation, staff group, pay
band, gender and ethnicity filled in as an ESR export would), then measures with the services
themselves, on their own database (academy_bench_imports in the embedded server, or DATABASE_URL):

1. the preview of the CSV (`programmes.services.enrolments_import`) and of the same rows as .xlsx;
2. the commit (`enrolments_import_commit`, which checks the file again and writes it), in rows per
   second and queries, while a second connection enrols people on the same cohort one after another
   (`enrolment_create`, which takes the cohort's row lock): the longest an enrolment waited is the
   time the import held the lock;
3. peak memory: the process's peak resident size (resource) and the peak of Python allocations
   during the commit (tracemalloc, measured on a second, smaller run because tracing slows it).

Writes bench/results/imports.md (each run kept under its label, the first being the baseline).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import start_django  # noqa: E402

start_django(EMBEDDED_DATABASE_NAME="academy_bench_imports", CELERY_TASK_ALWAYS_EAGER="false")

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from academy.models import (  # noqa: E402
    ImportRun,
    Organisation,
    OrganisationType,
    Person,
    Region,
    SubRegion,
    System,
    User,
)
from bench.runs import cpu_between, cpu_seconds, run_save, run_started  # noqa: E402
from programmes import services  # noqa: E402
from programmes.models import Cohort, CohortStatus, Programme, Theme  # noqa: E402
from programmes.services import imports as import_services  # noqa: E402

HEADER = "email,first_name,last_name,job_title,organisation,staff_group,pay_band,gender,ethnicity\n"
GROUPS = ["Nursing and Midwifery Registered", "Admin & Clerical", "Add Prof Scientific and Technic", "AHP"]
BANDS = ["Band 4", "band5", "6", "Band 8a", "AfC Band 7"]
GENDERS = ["Female", "Male", "F", "Prefer not to say"]
ETHNICITIES = ["A", "White – British", "Indian", "N", "Z"]


def setting_up(label: str, rows: int) -> tuple[Cohort, list[Person], bytes, str]:
    """A region with 20 organisations, a cohort with room for everyone, `rows // 2` people already on
    Academy, a file of `rows` people, and 200 people ready to enrol by themselves meanwhile."""
    region, _ = Region.objects.get_or_create(slug="bench-imports", defaults={"name": "Bench imports"})
    sub_region, _ = SubRegion.objects.get_or_create(region=region, slug="bench", defaults={"name": "Bench"})
    system, _ = System.objects.get_or_create(
        slug="bench-imports", defaults={"name": "Bench ICS", "sub_region": sub_region}
    )
    organisations = [
        Organisation.objects.get_or_create(
            region=region,
            name=f"Bench Trust {n}",
            defaults={"type": OrganisationType.ACUTE_TRUST, "system": system},
        )[0]
        for n in range(20)
    ]
    tag = f"{int(time.time())}"
    programme = Programme.objects.create(
        title=f"Bench programme {tag}",
        code=f"B{tag}",
        slug=f"bench-{tag}",
        summary="Bench",
        theme=Theme.LOOKING_AFTER,
        region=region,
    )
    cohort = Cohort.objects.create(
        programme=programme,
        region=region,
        name=f"Bench cohort {tag}",
        capacity=rows + 1000,
        status=CohortStatus.OPEN,
    )

    def people(prefix: str, count: int) -> list[Person]:
        users = User.objects.bulk_create(
            [User(email=f"{prefix}{n}@nhs.net", password="!") for n in range(count)], batch_size=5000
        )
        return Person.objects.bulk_create(
            [
                Person(
                    user=u,
                    given_name="Known",
                    family_name=f"P{n}",
                    organisation=organisations[n % 20],
                    region=region,
                    staff_group="nursing",
                )
                for n, u in enumerate(users)
            ],
            batch_size=5000,
        )

    people(f"known-{tag}-", rows // 2)
    walk_ins = people(f"walkin-{tag}-", 3000)
    lines = [HEADER]
    table = [HEADER.strip().split(",")]
    for n in range(rows):
        kind = "known" if n < rows // 2 else "new"
        cells = [
            f"{kind}-{tag}-{n}@nhs.net",
            "Ada",
            f"Obi{n}",
            "Ward manager",
            f"Bench Trust {n % 20}",
            GROUPS[n % 4],
            BANDS[n % 5],
            GENDERS[n % 4],
            ETHNICITIES[n % 5],
        ]
        lines.append(",".join(cells) + "\n")
        table.append(cells)
    return cohort, walk_ins, "".join(lines).encode("cp1252"), xlsx(table)


def xlsx(table: list[list[str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("People")
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def enrolling_meanwhile(
    cohort_pk: int, walk_ins: list[Person], stop: threading.Event, waits: list[float]
) -> None:
    """People enrolling on the cohort, one after another, on their own connection, for as long as the
    import runs: each enrolment's time is how long it waited for the cohort's lock plus its own work."""
    try:
        cohort = Cohort.objects.get(pk=cohort_pk)
        for person in walk_ins:
            if stop.is_set():
                break
            started = time.perf_counter()
            services.enrolment_create(person=person, cohort=cohort, actor=None, by_staff=True)
            waits.append((started, time.perf_counter() - started))
            time.sleep(0.05)
    finally:
        connections.close_all()


def commit(cohort: Cohort, content: bytes, *, with_walk_ins: list[Person] | None = None) -> dict:
    """The commit, timed; with walk-ins enrolling meanwhile. The moment the import takes the cohort's
    lock is recorded (by wrapping the service's lock_cohort), so the lock's hold is measured directly,
    and so is the wait of every enrolment that asked for the lock while the import held it."""
    run = ImportRun.objects.create(
        kind="enrolments",
        service="programmes.services.enrolments_import_commit",
        target_id=cohort.pk,
        created_by=User.objects.filter(email__startswith="known-").first(),
        content=content,
        filename="bench.csv",
    )
    locked_at: list[float] = []
    original_lock = import_services.lock_cohort

    def timed_lock(target):
        locked = original_lock(target)
        locked_at.append(time.perf_counter())
        return locked

    import_services.lock_cohort = timed_lock
    # The lock ends at COMMIT, before the commit's callbacks (the emails' tasks) run: timed there.
    committed_at: list[float] = []
    original_commit = connection._commit

    def timed_commit():
        original_commit()
        committed_at.append(time.perf_counter())

    connection._commit = timed_commit
    stop, waits = threading.Event(), []
    walker = None
    if with_walk_ins:
        walker = threading.Thread(target=enrolling_meanwhile, args=(cohort.pk, with_walk_ins, stop, waits))
        walker.start()
        time.sleep(0.3)  # the walk-ins are under way before the import starts
    try:
        with CaptureQueriesContext(connection) as queries:
            cpu_before = cpu_seconds(connection)
            started = time.perf_counter()
            outcome = services.enrolments_import_commit(run=run, progress=lambda percent, stage: None)
            finished = time.perf_counter()
            cpu = cpu_between(cpu_before, cpu_seconds(connection))
    finally:
        import_services.lock_cohort = original_lock
        del connection._commit
    time.sleep(0.5)
    stop.set()
    if walker:
        walker.join()
    held = min(t for t in committed_at if t >= locked_at[0]) - locked_at[0]
    during = [wait for began, wait in waits if began + wait >= locked_at[0] and began <= finished]
    return {
        "seconds": finished - started,
        "cpu": cpu,
        "queries": len(queries),
        "outcome": outcome,
        "waits": [wait for _, wait in waits],
        "lock_held": held,
        "waits_during_lock": during,
    }


def no_broker() -> list[str]:
    """The emails' tasks are counted, not sent: the bench has no broker (kombu would retry a missing
    one for seconds), and sending them is not the import's work."""
    from celery.app.task import Task

    sent: list[str] = []

    def apply_async(self, args=None, kwargs=None, **options):
        sent.append(self.name)

    Task.apply_async = apply_async
    return sent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--label", default="bulk writes, lock for the count only")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    no_broker()
    load_before = os.getloadavg()
    rows = args.rows

    cohort, walk_ins, csv_content, xlsx_content = setting_up(args.label, rows)
    cpu_before = cpu_seconds(connection)
    started = time.perf_counter()
    preview = services.enrolments_import(cohort=cohort, content=csv_content, actor=None)
    preview_csv = time.perf_counter() - started
    preview_csv_cpu = cpu_between(cpu_before, cpu_seconds(connection))
    assert preview.ok, preview.errors[:5]
    cpu_before = cpu_seconds(connection)
    started = time.perf_counter()
    preview = services.enrolments_import(
        cohort=cohort, content=xlsx_content, actor=None, filename="bench.xlsx"
    )
    preview_xlsx = time.perf_counter() - started
    preview_xlsx_cpu = cpu_between(cpu_before, cpu_seconds(connection))
    assert preview.ok, preview.errors[:5]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    written = commit(cohort, csv_content, with_walk_ins=walk_ins)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cohort.refresh_from_db()
    assert cohort.places_taken == rows + len(written["waits"]), (
        cohort.places_taken,
        rows,
        len(written["waits"]),
    )

    # Python's own allocations during a commit, on a tenth of the rows (tracing slows every allocation).
    small_cohort, _, small_content, _ = setting_up(args.label, rows // 10)
    tracemalloc.start()
    commit(small_cohort, small_content)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    waits = sorted(written["waits"])
    run = {
        **run_started(args.label, load_before, os.getloadavg()),
        "rows": rows,
        "file_mb": round(len(csv_content) / 1024 / 1024, 1),
        "preview_csv_s": round(preview_csv, 2),
        "preview_xlsx_s": round(preview_xlsx, 2),
        "commit_s": round(written["seconds"], 2),
        "commit_queries": written["queries"],
        "cpu_s": {"preview_csv": preview_csv_cpu, "preview_xlsx": preview_xlsx_cpu, "commit": written["cpu"]},
        "walk_ins": len(waits),
        "wait_max_s": round(waits[-1], 3) if waits else None,
        "wait_median_s": round(waits[len(waits) // 2], 3) if waits else None,
        "lock_held_s": round(written["lock_held"], 3),
        "waits_during_lock": [round(w, 3) for w in written["waits_during_lock"]],
        "peak_rss_mb": round(rss_after / 1024, 0),
        "rss_growth_mb": round((rss_after - rss_before) / 1024, 0),
        "traced_peak_mb_tenth": round(traced_peak / 1024 / 1024, 1),
    }
    print(run)
    run_save(name="imports", run=run, render=render)


def render(history: list[dict]) -> str:
    lines = [
        "# Enrolment import: 50,000 rows",
        "",
        "`.venv/bin/python bench/imports.py` — half the people already on Academy, half new; the CSV saved",
        "as Windows-1252 as Excel writes it. The preview is `enrolments_import` (nothing written); the commit",
        "is `enrolments_import_commit` (the file checked again, then written: accounts, profiles, enrolments,",
        "the import's audit entry, the emails queued; runs before 2026-11-30 03:30 wrote an audit entry per",
        "person and per enrolment, and read .xlsx with openpyxl). Meanwhile a second connection",
        "enrols people on the same cohort one after another; the longest any of them took is how long the",
        "import held the cohort's lock (from runs of 03:40 on: from the lock to COMMIT, and the emails' tasks",
        "counted instead of sent, as the bench has no broker). Target: 5,000 rows/s, a wait well under 1 s.",
        "",
        "| run | rows | preview CSV | preview .xlsx | commit | commit queries | rows/s (preview + commit) | CPU s, Python + database: preview CSV; .xlsx; commit | enrolments meanwhile | lock held by the import | waits of enrolments that met the lock | longest wait | median wait | peak RSS | traced peak (1/10 of rows) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for run in history:
        total = run["preview_csv_s"] + run["commit_s"]
        lines.append(
            f"| {run['label']} ({run['date']}, {run['commit']}, load {run['load'][0]}) | {run['rows']:,} | "
            f"{run['preview_csv_s']} s ({run['rows'] / run['preview_csv_s']:,.0f}/s) | "
            f"{run['preview_xlsx_s']} s ({run['rows'] / run['preview_xlsx_s']:,.0f}/s) | "
            f"{run['commit_s']} s ({run['rows'] / run['commit_s']:,.0f}/s) | {run['commit_queries']:,} | "
            f"{run['rows'] / total:,.0f} | {cpu_cell(run.get('cpu_s'))} | {run['walk_ins']} | {run.get('lock_held_s', '–')} s | "
            f"{', '.join(f'{w} s' for w in run.get('waits_during_lock', [])) or '–'} | "
            f"{run['wait_max_s']} s | {run['wait_median_s']} s | "
            f"{run['peak_rss_mb']:,.0f} MB | {run['traced_peak_mb_tenth']} MB |"
        )
    lines += [
        "",
        "CPU seconds (from runs of 07:59 on) are the benchmark process's (the walk-ins' thread included) and",
        "its database connection's server process's, read from /proc: unlike the elapsed times they change",
        "little with the machine's load.",
        "",
        "The walk-ins run in a thread of the benchmark's own process, so while the import parses rows they",
        "also wait for Python's GIL: \"lock held by the import\" (from the moment it has the cohort's lock to",
        "its commit) is the direct measure. All runs were on a 2-core machine shared with seven others (load",
        "3-15): the figures are up to several times those of an idle machine.",
        "",
        "From the 07:59 run on, `academy.bulk` sends each column as one array literal (read by the type's own",
        "input function; psycopg2's `ARRAY[...]` made the server build an expression per value, most of the",
        "inserts' time), a value shared by every row once, and the preview's lookups by 50,000 emails the",
        "same way. Of the commit's 4.4 s, 1.7 s was the database's CPU (a third of it the foreign-key checks,",
        "run before the lock) and 1.4 s Python (reading and checking the file again, then the columns).",
        "",
        "Before (issue 13, measured on the old service): the preview checked 5,000 rows in 0.25–0.37 s; the",
        "commit wrote 282 rows/s for new people (7 queries a row) and 722 rows/s for existing ones, held the",
        "cohort's lock throughout (an enrolment meanwhile waited 14 s), and files over 5,000 rows were refused.",
        "",
    ]
    return "\n".join(lines)


def cpu_cell(cpu: dict | None) -> str:
    if not cpu:
        return "–"

    def step(used: dict) -> str:
        database = "?" if used["database"] is None else used["database"]
        return f"{used['python']} + {database}"

    return "; ".join(step(cpu[name]) for name in ("preview_csv", "preview_xlsx", "commit"))


if __name__ == "__main__":
    main()
