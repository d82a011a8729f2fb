"""Scale data for the programmes benchmark: 20,000 cohorts and 1,000,000 enrolments (by default),
written with PostgreSQL COPY. Run it against a database of its own, never the development one:

    EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python manage.py migrate
    EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python bench/data.py [--cohorts 20000 --per-cohort 50]

It is deterministic and refuses to run twice on the same database."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import start_django  # noqa: E402

start_django()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from academy import demo as academy_demo  # noqa: E402
from academy.models import Organisation, Person, Region, StaffGroup, User  # noqa: E402
from programmes.models import Cohort, Enrolment, Programme, Session, Theme  # noqa: E402

PROGRAMMES = 200
PEOPLE = 100_000
BENCH_EMAIL = "bench{:06d}@bench.nhs.net"
# Fixed ids the benchmark reads back: the 500-place register and the learner with many records.
REGISTER_COHORT_NAME = "Bench register of 500"
LEARNER_EMAIL = "bench.learner@bench.nhs.net"
STAFF_EMAIL = "bench.staff@bench.nhs.net"


def copy(model, columns: list[str], rows: Iterable[tuple], chunk: int = 200_000) -> int:
    """Stream rows into the model's table with COPY ... FROM STDIN (CSV), in chunks."""
    table = model._meta.db_table
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    total = 0
    buffer, writer, pending = io.StringIO(), None, 0
    writer = csv.writer(buffer)
    with connection.cursor() as cursor:
        for row in rows:
            writer.writerow(["\\N" if v is None else v for v in row])
            pending += 1
            if pending >= chunk:
                buffer.seek(0)
                cursor.cursor.copy_expert(sql, buffer)
                total += pending
                buffer, pending = io.StringIO(), 0
                writer = csv.writer(buffer)
        if pending:
            buffer.seek(0)
            cursor.cursor.copy_expert(sql, buffer)
            total += pending
    return total


def generate(cohorts: int, per_cohort: int) -> None:
    if Cohort.objects.filter(name=REGISTER_COHORT_NAME).exists():
        sys.exit("Bench data is already loaded in this database.")
    started = time.perf_counter()
    academy_demo.load()
    region = Region.objects.get(slug="midlands")
    organisations = list(
        Organisation.objects.filter(region=region, system__isnull=False).values_list("pk", "system_id")
    )
    now = timezone.now()
    today = timezone.localdate()
    stamp = now.isoformat()

    with transaction.atomic():
        Programme.objects.bulk_create(
            Programme(
                title=f"Bench leadership programme {n}",
                code=f"BENCH{n:03d}",
                slug=f"bench-{n:03d}",
                summary=f"Leadership module {n} for compassionate, inclusive teams.",
                theme=Theme.values[n % 4],
                delivery_mode=["virtual", "face_to_face", "blended"][n % 3],
                region=region,
            )
            for n in range(PROGRAMMES)
        )
        programme_ids = list(
            Programme.objects.filter(code__startswith="BENCH").order_by("pk").values_list("pk", flat=True)
        )

        copy(
            User,
            [
                "password",
                "is_superuser",
                "first_name",
                "last_name",
                "is_staff",
                "is_active",
                "date_joined",
                "email",
            ],
            (
                ("!", False, "Bench", f"Person {n}", False, True, stamp, BENCH_EMAIL.format(n))
                for n in range(PEOPLE)
            ),
        )
        user_ids = list(
            User.objects.filter(email__endswith="@bench.nhs.net").order_by("pk").values_list("pk", flat=True)
        )
        groups = StaffGroup.values
        copy(
            Person,
            [
                "user_id",
                "given_name",
                "family_name",
                "job_title",
                "organisation_id",
                "region_id",
                "staff_group",
                "pay_band",
                "gender",
                "ethnic_category",
                "disability",
                "created_at",
                "updated_at",
            ],
            (
                (
                    uid,
                    "Bench",
                    f"Person {n}",
                    "Team Leader",
                    organisations[n % len(organisations)][0],
                    region.pk,
                    groups[n % len(groups)],
                    "6",
                    "",
                    "",
                    "",
                    stamp,
                    stamp,
                )
                for n, uid in enumerate(user_ids)
            ),
        )
        person_ids = list(
            Person.objects.filter(user_id__in=user_ids).order_by("user_id").values_list("pk", flat=True)
        )
        print(f"people: {len(person_ids)} in {time.perf_counter() - started:.0f}s", flush=True)

        # Cohorts: most in the past (completed), a sixth upcoming and open, spread over four years.
        def cohort_rows():
            for n in range(cohorts):
                days = -1100 + (n * 37) % 1460
                starts = today + dt.timedelta(days=days)
                upcoming = days > 0
                status = "open" if upcoming else "completed"
                system = organisations[n % len(organisations)][1] if n % 3 == 0 else None
                yield (
                    programme_ids[n % PROGRAMMES],
                    f"Bench cohort {n}",
                    region.pk,
                    system,
                    60,
                    None,
                    None,
                    status,
                    "Bench facilitators",
                    0,
                    starts.isoformat(),
                    (starts + dt.timedelta(days=14)).isoformat(),
                    stamp,
                    stamp,
                )

        copy(
            Cohort,
            [
                "programme_id",
                "name",
                "region_id",
                "system_id",
                "capacity",
                "enrolment_opens_at",
                "enrolment_closes_at",
                "status",
                "facilitators",
                "places_taken",
                "starts_on",
                "ends_on",
                "created_at",
                "updated_at",
            ],
            cohort_rows(),
        )
        cohort_rows_db = list(
            Cohort.objects.filter(name__startswith="Bench cohort")
            .order_by("pk")
            .values_list("pk", "starts_on", "status")
        )

        def session_rows():
            for pk, starts_on, _ in cohort_rows_db:
                for k in range(3):
                    start = dt.datetime.combine(
                        starts_on + dt.timedelta(days=7 * k), dt.time(9, 30), tzinfo=dt.UTC
                    )
                    yield (
                        pk,
                        f"Session {k + 1}",
                        start.isoformat(),
                        (start + dt.timedelta(hours=3)).isoformat(),
                        "",
                        "https://teams.example.nhs.uk/bench",
                        "",
                        0,
                        False,
                        None,
                        stamp,
                        stamp,
                    )

        copy(
            Session,
            [
                "cohort_id",
                "title",
                "starts_at",
                "ends_at",
                "venue",
                "joining_url",
                "recording_url",
                "sequence",
                "is_cancelled",
                "reminder_sent_at",
                "created_at",
                "updated_at",
            ],
            session_rows(),
        )
        print(
            f"cohorts and sessions: {len(cohort_rows_db)} in {time.perf_counter() - started:.0f}s", flush=True
        )

        # Enrolments: per_cohort people each; gcd(7919, PEOPLE) = 1, so no one is on a cohort twice.
        def enrolment_rows():
            for i, (pk, _, status) in enumerate(cohort_rows_db):
                for j in range(per_cohort):
                    person = person_ids[(i * per_cohort + j * 7919) % PEOPLE]
                    if status == "completed":
                        state = "completed" if j % 10 < 7 else ("cancelled" if j % 10 == 9 else "enrolled")
                    else:
                        state = "enrolled" if j < 45 else "cancelled"
                    yield (pk, person, state, None, None, stamp, stamp)

        total = copy(
            Enrolment,
            [
                "cohort_id",
                "person_id",
                "status",
                "waitlist_position",
                "offer_expires_at",
                "created_at",
                "updated_at",
            ],
            enrolment_rows(),
        )
        print(f"enrolments: {total} in {time.perf_counter() - started:.0f}s", flush=True)

        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE programmes_cohort c SET places_taken = e.held
                FROM (SELECT cohort_id, count(*) AS held FROM programmes_enrolment
                      WHERE status IN ('enrolled', 'offered', 'completed') GROUP BY cohort_id) e
                WHERE e.cohort_id = c.id
                """
            )
        _fixtures(region, programme_ids[0], person_ids, stamp, today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"done in {time.perf_counter() - started:.0f}s", flush=True)


def _fixtures(region, programme_id, person_ids, stamp, today) -> None:
    """The pages the benchmark opens: a 500-person register and a learner with 40 records."""
    from allauth.mfa.totp.internal.auth import TOTP

    from academy.models import Role, RoleGrant

    # The first of its four weekly sessions was yesterday, so its register is open for attendance.
    start = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(9, 30), tzinfo=dt.UTC)
    register = Cohort.objects.create(
        programme_id=programme_id,
        name=REGISTER_COHORT_NAME,
        region=region,
        capacity=600,
        status="running",
        starts_on=start.date(),
        ends_on=(start + dt.timedelta(days=21)).date(),
    )
    for k in range(4):
        Session.objects.create(
            cohort=register,
            title=f"Register session {k + 1}",
            starts_at=start + dt.timedelta(days=7 * k),
            ends_at=start + dt.timedelta(days=7 * k, hours=3),
            joining_url="https://teams.example.nhs.uk/r",
        )
    Enrolment.objects.bulk_create(
        Enrolment(cohort=register, person_id=pid, status="enrolled") for pid in person_ids[-500:]
    )
    Cohort.objects.filter(pk=register.pk).update(places_taken=500)

    learner_user = User.objects.create_user(email=LEARNER_EMAIL, password=None)
    learner = Person.objects.create(
        user=learner_user,
        given_name="Bench",
        family_name="Learner",
        region=region,
        organisation_id=Organisation.objects.filter(region=region).first().pk,
        staff_group="nursing",
        pay_band="6",
    )
    taken = set(Enrolment.objects.filter(person=learner).values_list("cohort_id", flat=True))
    cohorts = Cohort.objects.filter(name__startswith="Bench cohort").exclude(pk__in=taken).order_by("pk")[:40]
    Enrolment.objects.bulk_create(Enrolment(cohort=c, person=learner, status="enrolled") for c in cohorts)

    staff_user = User.objects.create_user(email=STAFF_EMAIL, password=None)
    RoleGrant.objects.create(user=staff_user, role=Role.PROGRAMME_STAFF, region=region)
    Person.objects.create(user=staff_user, given_name="Bench", family_name="Staff", region=region)
    TOTP.activate(staff_user, academy_demo.DEMO_TOTP_SECRET)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cohorts", type=int, default=20_000)
    parser.add_argument("--per-cohort", type=int, default=50)
    options = parser.parse_args()
    generate(options.cohorts, options.per_cohort)
