"""Benchmark: the talent pages with 20,000 pool members, 200,000 readiness changes and 5,000
opportunities, and the Year in Review chapter's figures.

    EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python bench/talent.py [--runs 30]

Uses its own database (academy_bench in the embedded server, or whatever DATABASE_URL names) and writes
bench/results/talent.md. Data is generated once and reused on later runs. Targets: every page's p95
under 100 ms with a fixed number of queries (tests/talent/test_query_counts.py asserts the counts), the
chapter's figures under 1 s.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import start_django, write_results  # noqa: E402

start_django(EMBEDDED_DATABASE_NAME="academy_bench")

from django.db import connection, transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from academy.models import Organisation, Person, Region  # noqa: E402
from academy.scope import Scope  # noqa: E402
from bench.timing import bench_people, machine_line, page_bench_ready, page_timing, signed_in_client  # noqa: E402
from talent import services  # noqa: E402
from talent.figures import talent_chapter  # noqa: E402
from talent.models import (  # noqa: E402
    CareerMovement,
    CriticalRole,
    EntryRoute,
    Interest,
    Opportunity,
    PoolMember,
    ProfessionalGroup,
    Readiness,
    ReadinessChange,
    ServiceType,
    SlateEntry,
    TargetRole,
)

MEMBERS = 20_000
CHANGES = 200_000
OPPORTUNITIES = 5_000
PREFIX = "bench-talent"
READINESSES = list(Readiness)


def generate() -> None:
    if PoolMember.objects.filter(person__user__email__startswith=PREFIX).count() >= MEMBERS:
        return
    rng = random.Random(11)
    region = Region.objects.get(slug="midlands")
    organisations = list(Organisation.objects.filter(region=region, system__isnull=False))
    start = datetime.date(2016, 4, 1)
    print(
        f"Generating {MEMBERS} members, {CHANGES} readiness changes, {OPPORTUNITIES} opportunities...",
        flush=True,
    )
    people = bench_people(
        prefix=PREFIX,
        count=MEMBERS,
        given_name="Aspirant",
        organisations=organisations,
        region=region,
        ethnic_category=lambda n: rng.choice("AAAAACHJMNZ"),
        gender=lambda n: rng.choice(["female", "female", "male"]),
        disability=lambda n: rng.choice(["no", "no", "no", "yes", ""]),
    )
    per_member = CHANGES // MEMBERS
    members = PoolMember.objects.bulk_create(
        [
            PoolMember(
                person=p,
                region=region,
                organisation=p.organisation,
                system_id=p.organisation.system_id,
                professional_group=list(ProfessionalGroup)[n % len(ProfessionalGroup)],
                service_type=list(ServiceType)[n % len(ServiceType)],
                entry_route=EntryRoute.ASPIRE_TOGETHER,
                readiness=READINESSES[n % 3],
                readiness_on=start + datetime.timedelta(days=per_member * 90),
                # The first of the decisions below with READINESSES[(n + k) % 3] ready now.
                first_ready_now_on=start + datetime.timedelta(days=90 * ((-n) % 3 + 1)),
                joined_on=start,
                board_consent=n % 3 != 0,
            )
            for n, p in enumerate(people)
        ],
        batch_size=5000,
    )
    ReadinessChange.objects.bulk_create(
        (
            ReadinessChange(
                member=m,
                readiness=READINESSES[(n + k) % 3],
                decided_on=start + datetime.timedelta(days=90 * (k + 1)),
                evidence="Talent review panel.",
            )
            for n, m in enumerate(members)
            for k in range(per_member)
        ),
        batch_size=10000,
    )
    today = timezone.localdate()
    opportunities = Opportunity.objects.bulk_create(
        [
            Opportunity(
                region=region,
                role=f"Director {n}",
                host=organisations[n % len(organisations)],
                kind="secondment" if n % 2 else "stretch",
                starts_on=today + datetime.timedelta(days=n % 400 - 200),
                ends_on=today + datetime.timedelta(days=n % 400 - 100),
                closes_on=today + datetime.timedelta(days=n % 400 - 230),
            )
            for n in range(OPPORTUNITIES)
        ],
        batch_size=5000,
    )
    Interest.objects.bulk_create(
        [
            Interest(opportunity=opportunities[n % OPPORTUNITIES], member=members[n], statement="Interested")
            for n in range(0, MEMBERS, 2)
        ],
        batch_size=5000,
    )
    CareerMovement.objects.bulk_create(
        [
            CareerMovement(
                member=members[n],
                role="Director",
                organisation=organisations[n % len(organisations)],
                moved_on=today - datetime.timedelta(days=n % 1500),
                kind="appointment" if n % 3 else "promotion",
                board_level=n % 3 == 1,
            )
            for n in range(0, MEMBERS, 4)
        ],
        batch_size=5000,
    )
    roles = list(TargetRole.objects.filter(is_board_role=True))
    critical = CriticalRole.objects.bulk_create(
        [
            CriticalRole(system_id=o.system_id, organisation=o, target_role=r)
            for o in organisations
            for r in roles
        ],
        ignore_conflicts=True,
    )
    critical = list(CriticalRole.objects.filter(organisation__in=organisations))
    by_system: dict[int, list[PoolMember]] = {}
    for m in members:
        by_system.setdefault(m.system_id, []).append(m)
    SlateEntry.objects.bulk_create(
        [
            SlateEntry(critical_role=role, member=member)
            for role in critical
            for member in rng.sample(by_system[role.system_id], 4)
        ],
        ignore_conflicts=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def board_member(region: Region, lead: Person) -> Person:
    """A member of one system's talent board (the system of the region's first organisation by name),
    seated through the service as the talent lead seats one; made once and reused."""
    email = "bench-board@nhs.net"
    person = Person.objects.filter(user__email=email).first()
    if person is None:
        organisation = (
            Organisation.objects.filter(region=region, system__isnull=False).order_by("name").first()
        )
        person = bench_people(
            prefix="bench-board", count=1, given_name="Board", organisations=[organisation], region=region
        )[0]
        person.user.email = email
        person.user.save(update_fields=["email"])
        services.board_seat_grant(user=person.user, system=organisation.system, actor=lead.user)
    return person


def after_a_readiness_change(lead: Person, runs: int, params: dict | None = None) -> dict:
    """The lead's dashboard (for the period `params` names) on the first visit after a change: before
    each visit the lead records a readiness decision for another member, through the service as the
    member's page does, so the data's version changes and the period's figures, tables and funnel are
    worked out and drawn afresh (a chart is redrawn when the published figures it shows have changed:
    talent/chapters.py). The decisions are rolled back afterwards, so the data stay as generated."""
    members = iter(
        PoolMember.objects.filter(person__user__email__startswith=PREFIX).order_by("-pk")[: runs + 1]
    )

    def decide() -> None:
        member = next(members)
        following = READINESSES[(READINESSES.index(member.readiness) + 1) % len(READINESSES)]
        services.readiness_change(
            member=member, readiness=following, evidence="Talent review panel.", actor=lead.user
        )

    with transaction.atomic():
        timing = page_timing(signed_in_client(lead), reverse("talent:dashboard"), runs, params, before=decide)
        transaction.set_rollback(True)
    return timing


def main() -> None:
    runs = page_bench_ready(generate, vacuum="talent_poolmember, talent_readinesschange", cache_table=True)

    region = Region.objects.get(slug="midlands")
    lead = Person.objects.get(user__email="talent@nhs.net")
    member = PoolMember.objects.filter(person__user__email__startswith=PREFIX).order_by("pk").first()
    lead_client, member_client = signed_in_client(lead), signed_in_client(member.person)
    opportunity = Opportunity.objects.filter(region=region).order_by("pk").first()
    board_client = signed_in_client(board_member(region, lead))
    role = CriticalRole.objects.filter(slate__isnull=False).order_by("pk").first()
    pages = [
        ("Dashboard (lead), this year", lead_client, reverse("talent:dashboard"), None),
        ("Dashboard (lead), 2020/21", lead_client, reverse("talent:dashboard"), {"year": "2020/21"}),
        ("A dashboard chart: readiness by ICS", lead_client, reverse("talent:chart", args=["system"]), None),
        ("Pool, first page", lead_client, reverse("talent:pool"), None),
        ("Pool, page 300", lead_client, reverse("talent:pool"), {"page": 300}),
        (
            "Pool filtered: ready now, finance",
            lead_client,
            reverse("talent:pool"),
            {"readiness": "ready_now", "professional_group": "finance"},
        ),
        ("A member's record (lead)", lead_client, reverse("talent:member", args=[member.pk]), None),
        ("Opportunities (lead)", lead_client, reverse("talent:opportunities"), None),
        ("Opportunities (lead), page 60", lead_client, reverse("talent:opportunities"), {"page": 60}),
        (
            "An opportunity's interests",
            lead_client,
            reverse("talent:opportunity", args=[opportunity.pk]),
            None,
        ),
        ("My talent record (member)", member_client, reverse("talent:mine"), None),
        ("Talent board (board member), first page", board_client, reverse("talent:board"), None),
        (
            "Talent boards: every system's critical roles and slates (lead)",
            lead_client,
            reverse("talent:boards"),
            None,
        ),
        (
            "A critical role and its slate (lead)",
            lead_client,
            reverse("talent:critical_role", args=[role.pk]),
            None,
        ),
        ("Development Assessment Centres (lead)", lead_client, reverse("talent:centres"), None),
    ]
    load_before = os.getloadavg()[0]
    results = [(name, page_timing(client, url, runs, params)) for name, client, url, params in pages]
    afresh = "the first visit after a readiness change (the figures worked out afresh)"
    results.insert(1, (f"Dashboard (lead), this year, {afresh}", after_a_readiness_change(lead, runs)))
    results.insert(
        3, (f"Dashboard (lead), 2020/21, {afresh}", after_a_readiness_change(lead, runs, {"year": "2020/21"}))
    )
    chapter_times = []
    for _ in range(5):
        start = time.perf_counter()
        talent_chapter(Scope.for_nhs_year("2020/21", region=region))
        chapter_times.append((time.perf_counter() - start) * 1000)
    load_after = os.getloadavg()[0]
    counts = {
        "pool members": PoolMember.objects.count(),
        "readiness changes": ReadinessChange.objects.count(),
        "opportunities": Opportunity.objects.count(),
        "interests": Interest.objects.count(),
        "career movements": CareerMovement.objects.count(),
        "slate entries": SlateEntry.objects.count(),
    }
    lines = [
        "# Talent pages benchmark",
        "",
        machine_line(
            f"EMBEDDED_DATABASE_NAME={os.environ.get('EMBEDDED_DATABASE_NAME', 'academy_bench')} .venv/bin/python "
            f"bench/talent.py --runs {runs}"
        ),
        "",
        "Data: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + ".",
        "",
        f"Load average (1 min): {load_before:.1f} at the start, {load_after:.1f} at the end.",
        "",
        "| page | median ms | p95 ms | queries | Django CPU median ms | Django CPU p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *[
            f"| {name} | {r['median']:.1f} | {r['p95']:.1f} | {r['queries']} | {r['cpu_median']:.1f} "
            f"| {r['cpu_p95']:.1f} |"
            for name, r in results
        ],
        "",
        f"The Year in Review chapter's figures for 2020/21 (the pool on 31 March 2021 from the readiness "
        f"history, movements, placements, the equity funnel): median {statistics.median(chapter_times):.0f} ms, "
        f"slowest of 5 {max(chapter_times):.0f} ms.",
    ]
    write_results("talent.md", lines)


if __name__ == "__main__":
    main()
