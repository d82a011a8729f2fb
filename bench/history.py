"""Benchmark: a year of history imported from its four files, and imported again.

    .venv/bin/python bench/history.py [--scale 1.0] [--label "..."]

At scale 1: 20,000 cohorts of 6 sessions (120,000 lines in the cohorts file), 40,000 people, and a
register of 1,000,000 attendance marks (each cohort has 8 or 9 people, each at every session). The
files are written to a temporary folder first (line by line), then `programmes.services.history.
history_import` reads and writes them all in one transaction, on its own database
(academy_bench_history in the embedded server). Then the same files are imported again: nothing may
be added. Reports the seconds of each run, marks per second, and the process's peak resident memory
(the files' bytes are part of it, as they are for the page's background task).

Writes bench/results/history.md (each run kept under its label)."""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import start_django  # noqa: E402

start_django(EMBEDDED_DATABASE_NAME="academy_bench_history", CELERY_TASK_ALWAYS_EAGER="false")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from academy.models import Organisation, OrganisationType, Region, SubRegion, System  # noqa: E402
from bench.runs import cpu_between, cpu_seconds, run_save, run_started  # noqa: E402
from programmes.models import Attendance, Cohort  # noqa: E402
from programmes.services.history import history_import  # noqa: E402

SESSIONS = 6
DATES = [f"{day:02}/{month:02}/2021" for month in range(4, 13) for day in (3, 10, 17, 24)]
ATTENDANCE = ["Attended", "attended", "Present", "DNA", "Apols", "absent"]


def region_for_bench() -> Region:
    region, _ = Region.objects.get_or_create(slug="bench-history", defaults={"name": "Bench history"})
    sub_region, _ = SubRegion.objects.get_or_create(region=region, slug="bench-h", defaults={"name": "Bench"})
    system, _ = System.objects.get_or_create(
        slug="bench-history",
        defaults={"name": "Bench history ICS", "sub_region": sub_region, "ods_code": "QZ9"},
    )
    for n in range(20):
        Organisation.objects.get_or_create(
            region=region,
            name=f"Bench History Trust {n}",
            defaults={"type": OrganisationType.ACUTE_TRUST, "system": system, "ods_code": f"ZH{n:02}"},
        )
    return region


def write_files(folder: Path, scale: float, tag: str) -> tuple[dict[str, Path], int]:
    """The four files, written line by line; returns their paths and the number of marks."""
    cohorts = int(20_000 * scale)
    people = max(50, int(40_000 * scale))
    paths = {name: folder / f"{name}.csv" for name in ("programmes", "cohorts", "people", "register")}
    with paths["programmes"].open("w") as out:
        out.write("Code,Title,Theme,Delivery mode\n")
        for p in range(20):
            out.write(f"H{tag}P{p},Bench programme {p},Looking after our people,Virtual\n")
    with paths["people"].open("w") as out:
        out.write("Email,First name,Last name,Organisation,Staff group,Pay band,Gender,Ethnic category\n")
        for n in range(people):
            out.write(
                f"h{tag}-{n}@nhs.net,Ada,Obi{n},ZH{n % 20:02},Nursing and Midwifery Registered,Band {4 + n % 4},"
                f"{'Female' if n % 3 else 'Male'},{'AHZ'[n % 3]}\n"
            )
    marks = 0
    with paths["cohorts"].open("w") as out, paths["register"].open("w") as register:
        out.write("Cohort,Programme,System,Session date,Start time,End time\n")
        register.write("Cohort,Email,Session date,Attendance,Outcome\n")
        for c in range(cohorts):
            name = f"Cohort {tag}-{c}"
            first = c % (len(DATES) - SESSIONS)
            days = DATES[first : first + SESSIONS]
            for day in days:
                out.write(f"{name},H{tag}P{c % 20},QZ9,{day},09:30,12:30\n")
            for k in range(9 if c % 3 == 0 else 8):
                email = f"h{tag}-{(c * 9 + k) % people}@nhs.net"
                outcome = "withdrawn" if k == 7 else ""
                for s, day in enumerate(days):
                    register.write(f"{name},{email},{day},{ATTENDANCE[(c + k + s) % 6]},{outcome}\n")
                    marks += 1
    return paths, marks


def timed_import(region: Region, paths: dict[str, Path]) -> tuple[float, object, dict]:
    files = {name: path.read_bytes() for name, path in paths.items()}
    cpu_before = cpu_seconds(connection)
    started = time.perf_counter()
    report = history_import(region=region, files=files)
    seconds = time.perf_counter() - started
    return seconds, report, cpu_between(cpu_before, cpu_seconds(connection))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--label", default="set-based, streamed register")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    load_before = os.getloadavg()
    region = region_for_bench()
    tag = f"{int(time.time()) % 100000}"
    with tempfile.TemporaryDirectory() as folder:
        paths, marks = write_files(Path(folder), args.scale, tag)
        megabytes = sum(p.stat().st_size for p in paths.values()) / 1024 / 1024
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        first_s, first, first_cpu = timed_import(region, paths)
        rss_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        again_s, again, again_cpu = timed_import(region, paths)
        rss_again = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert first.marks == marks, (first.marks, marks)
    assert (again.cohorts, again.sessions, again.people, again.enrolments, again.marks) == (0, 0, 0, 0, 0), (
        again
    )
    assert Attendance.objects.filter(session__cohort__name__startswith=f"Cohort {tag}-").count() == marks
    run = {
        **run_started(args.label, load_before, os.getloadavg()),
        "scale": args.scale,
        "cohorts": first.cohorts,
        "sessions": first.sessions,
        "people": first.people,
        "enrolments": first.enrolments,
        "marks": first.marks,
        "files_mb": round(megabytes, 1),
        "first_s": round(first_s, 1),
        "again_s": round(again_s, 1),
        "cpu_s": {"first": first_cpu, "again": again_cpu},
        "rss_before_mb": round(rss_before / 1024),
        "peak_rss_first_mb": round(rss_first / 1024),
        "peak_rss_again_mb": round(rss_again / 1024),
        "cohorts_in_db": Cohort.objects.filter(name__startswith=f"Cohort {tag}-").count(),
    }
    print(run)
    run_save(name="history", run=run, render=render)


def render(history: list[dict]) -> str:
    lines = [
        "# History import: a year from its four files",
        "",
        "`.venv/bin/python bench/history.py [--scale 0.1]` — at scale 1: 20,000 cohorts of 6 sessions, 40,000",
        "people, 1,000,000 attendance marks (CSV, as Excel writes it), imported with `history_import` in one",
        "transaction, then the same files again (which must add nothing). Target: a year in under 5 minutes,",
        "peak memory under 500 MB. Peak RSS is the whole process's (Django, the files' bytes, the import).",
        "",
        "| run | scale | cohorts | sessions | people | enrolments | marks | files | first import | marks/s | again (adds nothing) | CPU s, Python + database: first; again | peak RSS before → after first → after again |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for run in history:
        lines.append(
            f"| {run['label']} ({run['date']}, {run['commit']}, load {run['load'][0]}) | {run['scale']} | "
            f"{run['cohorts']:,} | {run['sessions']:,} | {run['people']:,} | {run['enrolments']:,} | "
            f"{run['marks']:,} | {run['files_mb']} MB | {run['first_s']} s | {run['marks'] / run['first_s']:,.0f} | "
            f"{run['again_s']} s | {cpu_cell(run.get('cpu_s'))} | {run['rss_before_mb']} → {run['peak_rss_first_mb']} → {run['peak_rss_again_mb']} MB |"
        )
    lines += [
        "",
        "All runs on a 2-core machine shared with seven other sessions (the load column): several times",
        "slower than the same machine idle. The full year (04:07 run) took 646 s against the 300 s target;",
        "from the 08:03 run on it takes about a minute: `academy.bulk` sends each column as one array",
        "literal that PostgreSQL reads with the type's own input function, where psycopg2's `ARRAY[...]`",
        "made the server build an expression per value (most of the inserts' time), a value shared by every",
        "row is sent once, and the lookups by a list of names or ids go in the same way. Of the 08:03 run's",
        "minute, the database's own CPU was 23 s (inserts, indexes, and the foreign-key checks at COMMIT),",
        "reading and checking the files 10 s of Python. Memory: 416 MB at the end of the first import (the",
        "66 MB of files, their decoded text and the register's arrays included), 489 MB once the second had",
        "run too (the process's peak over both: Python keeps memory it has freed for reuse); from the 08:10",
        "run on, 342 and 423 MB, the files' cohorts and people being let go once written, before the",
        "register's marks are matched, and the sessions and enrolments read a row at a time.",
        "",
    ]
    return "\n".join(lines)


def cpu_cell(cpu: dict | None) -> str:
    """The CPU seconds (from runs of 08:00 on): the benchmark's process and its database server's."""
    if not cpu:
        return "–"
    return "; ".join(
        f"{cpu[step]['python']} + {'?' if cpu[step]['database'] is None else cpu[step]['database']}"
        for step in ("first", "again")
    )


if __name__ == "__main__":
    main()
