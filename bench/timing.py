"""Timing pages in-process through Django's test Client: a signed-in client, a page measured over many
runs (wall time, the process's CPU time and its queries), percentiles, and the bench people the page
benchmarks generate. Imported after `start_django`."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from academy.middleware import MFA_CONFIRMED_KEY
from academy.models import Organisation, Person, Region, User


def page_bench_ready(generate: Callable[[], None], *, vacuum: str = "", cache_table: bool = False) -> int:
    """A page benchmark's start: its --runs, the schema, the demo's people and the benchmark's own data
    (generated once), then `vacuum`'s tables vacuumed and analysed as autovacuum would have by now (fresh
    statistics, and a visibility map for index-only scans). Returns how many runs a page is measured over."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    call_command("migrate", verbosity=0)
    if cache_table:
        call_command("createcachetable", verbosity=0)
    from academy import demo

    demo.load()
    generate()
    if vacuum:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {vacuum}")
    return runs


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(pct / 100 * len(ordered)) - 1)]


def signed_in_client(person: Person) -> Client:
    """A client signed in as `person`, past the staff pages' second factor."""
    client = Client()
    client.force_login(person.user)
    session = client.session
    session[MFA_CONFIRMED_KEY] = True
    session.save()
    return client


def page_timing(
    client: Client,
    url: str,
    runs: int,
    params: dict | None = None,
    before: Callable[[], object] | None = None,
) -> dict:
    """One warm-up request, then `runs` timed ones (each after `before`, when given; a streamed response
    is read to its end): the median and p95 of wall and CPU milliseconds; then one more, untimed, whose
    queries are counted (capturing them keeps every query's text and time, which the timed requests
    must not pay for)."""

    def visit():
        response = client.get(url, params or {})
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        assert response.status_code == 200, (url, response.status_code)

    client.get(url, params or {})  # warm
    timings, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        visit()
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    if before is not None:
        before()
    with CaptureQueriesContext(connection) as queries:
        visit()
    return {
        "median": statistics.median(timings),
        "p95": percentile(timings, 95),
        "cpu_median": statistics.median(cpu),
        "cpu_p95": percentile(cpu, 95),
        "queries": len(queries),
    }


def bench_people(
    *,
    prefix: str,
    count: int,
    given_name: str,
    organisations: list[Organisation],
    region: Region,
    family_names: int = 997,
    **fields: Callable[[int], object],
) -> list[Person]:
    """`count` people with accounts <prefix><n>@nhs.net (password "bench"), spread over the organisations;
    each further field is worked out from the person's number."""
    hashed = make_password("bench")
    users = User.objects.bulk_create(
        [User(email=f"{prefix}{n:05d}@nhs.net", password=hashed) for n in range(count)], batch_size=5000
    )
    return Person.objects.bulk_create(
        [
            Person(
                user=user,
                given_name=f"{given_name}{n}",
                family_name=f"Bench{n % family_names}",
                organisation=organisations[n % len(organisations)],
                region=region,
                **{name: value(n) for name, value in fields.items()},
            )
            for n, user in enumerate(users)
        ],
        batch_size=5000,
    )


def machine_line(command: str) -> str:
    """The sentence every page benchmark's results start with: when, what ran, and on what."""
    return (
        f"Run {timezone.now():%Y-%m-%d %H:%M} UTC with `{command}` on {platform.machine()} ({os.cpu_count()} "
        "cores shared with other work), embedded PostgreSQL, Django test client in-process (full middleware, "
        f"templates rendered), DEBUG {'on' if settings.DEBUG else 'off'}; queries counted on one more, untimed visit."
    )
