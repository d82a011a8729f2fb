"""Benchmark: the Graduate Management Training Scheme's pages with 5,000 trainees and 25,000 placements,
and the Year in Review chapter's figures.

    EMBEDDED_DATABASE_NAME=gmts_bench .venv/bin/python bench/gmts.py [--runs 30]

Uses its own database (academy_bench in the embedded server, or whatever DATABASE_URL names) and writes
bench/results/gmts.md. Data is generated once and reused on later runs. Targets: every page's p95 under
100 ms with a fixed number of queries; the chapter's figures under 1 s.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import start_django, write_results  # noqa: E402

start_django(EMBEDDED_DATABASE_NAME="academy_bench")

from dateutil.relativedelta import relativedelta  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from academy.models import Organisation, Person, Region  # noqa: E402
from academy.scope import Scope  # noqa: E402
from bench.timing import bench_people, machine_line, page_bench_ready, page_timing, signed_in_client  # noqa: E402
from gmts import selectors  # noqa: E402
from gmts.models import (  # noqa: E402
    BidStatus,
    HostBid,
    Intake,
    Placement,
    PlacementFeedback,
    PlacementStatus,
    Specialism,
    Trainee,
    TraineeStatus,
)
from gmts.specialisms import SPECIALISMS  # noqa: E402

TRAINEES = 5_000
PER_TRAINEE = 5  # placements: 25,000
PREFIX = "bench-gmts"
KINDS = ("first", "flexi", "flexi", "flexi", "final")


def _intakes(region: Region) -> list[Intake]:
    """Ten intakes, March and September, from September 2019 to March 2024 (and so to today's)."""
    intakes = []
    for n in range(10):
        year, season = 2019 + (n + 1) // 2, "september" if n % 2 == 0 else "march"
        intake, _ = Intake.objects.get_or_create(region=region, year=year, season=season)
        intake.refresh_from_db()
        intakes.append(intake)
    return intakes


def generate() -> None:
    if Trainee.objects.filter(person__user__email__startswith=PREFIX).count() >= TRAINEES:
        return
    rng = random.Random(12)
    region = Region.objects.get(slug="midlands")
    for spec in SPECIALISMS:
        Specialism.objects.get_or_create(slug=spec["slug"], defaults=spec)
    specialisms = list(Specialism.objects.all())
    hosts = list(Organisation.objects.filter(region=region))
    intakes = _intakes(region)
    print(f"Generating {TRAINEES} trainees and {TRAINEES * PER_TRAINEE} placements...", flush=True)
    people = bench_people(
        prefix=PREFIX,
        count=TRAINEES + 50,
        given_name="Trainee",
        organisations=hosts,
        region=region,
        family_names=991,
    )
    managers, people = people[TRAINEES:], people[:TRAINEES]
    trainees = []
    for n, person in enumerate(people):
        intake, specialism = intakes[n % len(intakes)], specialisms[n % len(specialisms)]
        ends_on = intake.starts_on + relativedelta(months=specialism.length_months) - dt.timedelta(days=1)
        trainees.append(
            Trainee(
                person=person,
                intake=intake,
                specialism=specialism,
                programme_manager=managers[n % 50],
                ends_on=ends_on,
                status=TraineeStatus.COMPLETED if ends_on < timezone.localdate() else TraineeStatus.ACTIVE,
                left_on=ends_on if ends_on < timezone.localdate() else None,
            )
        )
    trainees = Trainee.objects.bulk_create(trainees, batch_size=5000)
    bids = {}
    for intake in intakes:
        for n, host in enumerate(hosts[:40]):
            bids[(intake.pk, host.pk)] = HostBid(
                intake=intake,
                lead_organisation=host,
                kind="first",
                places_requested=500,
                places_approved=500,
                programme_manager=managers[n % 50],
                placement_manager=managers[(n + 1) % 50],
                funding_commitment="Salary",
                status=BidStatus.APPROVED,
                decision_reason="Assured",
            )
    HostBid.objects.bulk_create(bids.values(), batch_size=2000)
    today = timezone.localdate()
    placements = []
    for n, trainee in enumerate(trainees):
        start = trainee.intake.starts_on
        for step in range(PER_TRAINEE):
            end = start + relativedelta(months=5) - dt.timedelta(days=1)
            status = (
                PlacementStatus.COMPLETED
                if end < today
                else PlacementStatus.STARTED
                if start <= today
                else PlacementStatus.PROPOSED
            )
            host = hosts[(n + 7 * step) % len(hosts)]
            placements.append(
                Placement(
                    trainee=trainee,
                    host=host,
                    kind=KINDS[step],
                    starts_on=start,
                    ends_on=end,
                    status=status,
                    placement_manager=managers[(n + step) % 50],
                    bid=bids.get((trainee.intake_id, host.pk)) if step == 0 else None,
                )
            )
            start = end + dt.timedelta(days=1)
    Placement.objects.bulk_create(placements, batch_size=10000)
    done = [p for p in placements if p.status == PlacementStatus.COMPLETED]
    PlacementFeedback.objects.bulk_create(
        [PlacementFeedback(placement=p, stage="mid", rating=rng.randint(2, 5)) for p in done[::2]],
        batch_size=10000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    runs = page_bench_ready(generate, cache_table=True)
    region = Region.objects.get(slug="midlands")
    manager = signed_in_client(Person.objects.get(user__email="gmts@nhs.net"))
    busiest_pm = Person.objects.get(user__email=f"{PREFIX}{TRAINEES:05d}@nhs.net")  # 100 trainees name them
    trainee = Trainee.objects.filter(person__user__email__startswith=PREFIX).order_by("pk").first()
    pages = [
        ("GMTS dashboard", manager, reverse("gmts:dashboard"), None),
        ("Trainee list, first page", manager, reverse("gmts:trainees"), None),
        ("Trainee list, page 80", manager, reverse("gmts:trainees"), {"page": 80}),
        (
            "Trainee list, filtered (active, Finance)",
            manager,
            reverse("gmts:trainees"),
            {"status": "active", "specialism": Specialism.objects.get(slug="finance").pk},
        ),
        ("Trainee's record (GMTS manager)", manager, reverse("gmts:trainee", args=[trainee.pk]), None),
        ("Host bids", manager, reverse("gmts:bids"), None),
        (
            "Trainees I manage (programme manager of 100)",
            signed_in_client(busiest_pm),
            reverse("gmts:managed"),
            None,
        ),
        ("My graduate scheme (trainee)", signed_in_client(trainee.person), reverse("gmts:mine"), None),
        ("Quotes for the Year in Review", manager, reverse("gmts:quotes"), None),
        ("Add a trainee (form)", manager, reverse("gmts:trainee_create"), None),
        ("Import trainees (form)", manager, reverse("gmts:import"), None),
    ]
    load_before = os.getloadavg()[0]
    results = [(name, page_timing(client, url, runs, params)) for name, client, url, params in pages]
    results.insert(
        1,
        (
            "GMTS dashboard, the period's figures not yet cached (the first visit after a change)",
            page_timing(manager, reverse("gmts:dashboard"), runs, before=cache.clear),
        ),
    )
    csv_timing = page_timing(manager, reverse("gmts:trainees"), 3, {"format": "csv"})
    chapter = []
    for _ in range(5):
        scope = Scope.for_nhs_year("2020/21", region=region)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            selectors.gmts_chapter(scope)
            chapter.append((time.perf_counter() - start) * 1000)
    load_after = os.getloadavg()[0]
    counts = {
        "trainees": Trainee.objects.count(),
        "placements": Placement.objects.count(),
        "bids": HostBid.objects.count(),
        "feedback responses": PlacementFeedback.objects.count(),
    }
    worst = max(r["p95"] for _, r in results)
    worst_cpu = max(r["cpu_p95"] for _, r in results)
    lines = [
        "# GMTS pages benchmark",
        "",
        machine_line(f"EMBEDDED_DATABASE_NAME=gmts_bench .venv/bin/python bench/gmts.py --runs {runs}"),
        "",
        "Data: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + ".",
        "",
        f"Load average (1 min, `os.getloadavg`, as `uptime` shows it): {load_before:.1f} at the start, "
        f"{load_after:.1f} at the end, on {os.cpu_count()} cores.",
        "",
        "Wall time is the request end to end in the process, including waiting for PostgreSQL and for the",
        "CPU the machine's other work holds; Python CPU is the web process's own CPU time, which that other",
        "work disturbs less.",
        "",
        "| page | median ms | p95 ms | Python CPU median ms | Python CPU p95 ms | queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *[
            f"| {name} | {r['median']:.1f} | {r['p95']:.1f} | {r['cpu_median']:.1f} | {r['cpu_p95']:.1f} | {r['queries']} |"
            for name, r in results
        ],
        f"| Trainee list CSV, all {counts['trainees']:,} (3 runs) | {csv_timing['median']:.0f} | {csv_timing['p95']:.0f} "
        f"| {csv_timing['cpu_median']:.0f} | {csv_timing['cpu_p95']:.0f} | {csv_timing['queries']} |",
        "",
        f"Target: every page's p95 under 100 ms. Worst wall-time p95: {worst:.1f} ms; worst Python CPU p95: "
        f"{worst_cpu:.1f} ms (the CSV download of every trainee aside).",
        "",
        f"Year in Review chapter figures (2020/21, region): median {statistics.median(chapter):.0f} ms, "
        f"worst {max(chapter):.0f} ms of 5, {len(queries)} queries (target: under 1 s).",
        "",
        "Query counts are fixed: the same as with a handful of trainees (tests/gmts/test_pages.py and",
        "tests/gmts/test_new_pages.py guard them). Every table is stamped (academy/stamps.py): the NHS.UK",
        "table and tag macros run once per process, and each row's values, worked out in gmts/selectors.py,",
        "are filled in. Long lists are 50 a page. The dashboard keeps the period's Year in Review figures,",
        "charts and the hosts' feedback in the cache until the scheme's data changes (the second row",
        "measures a visit that works them out); its live lists are read on every visit.",
    ]
    write_results("gmts.md", lines)


if __name__ == "__main__":
    main()
