"""The enrolment import, declared on the portal's import machinery (`academy.imports`): its columns
and the checks a row must pass against the cohort. Reading only; `services.imports` writes."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from academy.adapters import email_domain_allowed
from academy.imports import ImportRow, ImportSpec, Preview
from academy.imports import people as person_columns
from academy.models import Person, User
from programmes.models import ACTIVE, Cohort, Enrolment, EnrolmentStatus

ENROLMENTS = ImportSpec(
    key="enrolments",
    title="Enrolments",
    columns=person_columns.PERSON_COLUMNS,
    noun=("person", "people"),
    unique=("email",),
    max_rows=100_000,
    description="Everyone in the file is enrolled, or nobody is. People are matched by email; anyone new "
    "gets an account and an email inviting them to set a password.",
)


def read(*, cohort: Cohort, content: bytes, filename: str = "", other_domains: bool = False) -> Preview:
    """Every row checked against the cohort, with three queries whatever the file's size: the people
    (by email), their enrolments on this cohort, and the region's organisations and systems. Someone
    new must have an address in the sign-up domains, unless `other_domains` (an exception staff
    confirm with a reason, audited when the file is written)."""
    spec = ENROLMENTS.with_parsers(
        organisation=person_columns.organisation_parser(cohort.region),
        system=person_columns.system_parser(cohort.region),
    )
    return spec.read(
        content, filename=filename, check=lambda rows, preview: _check(cohort, rows, preview, other_domains)
    )


@dataclass(frozen=True)
class KnownPerson:
    """Someone on Academy already, as an import needs them: without building a model per row."""

    pk: int
    user_id: int
    email: str
    full_name: str
    region_id: int | None


def outside_domains(rows: list[ImportRow]) -> list[ImportRow]:
    """The rows that create someone whose address is outside the sign-up domains."""
    return [row for row in rows if row.get("person") is None and not email_domain_allowed(row["email"])]


def people_by_email(emails: list[str]) -> dict[str, KnownPerson]:
    """The people with these (lower-case) emails, in one query on the case-insensitive email index.
    The emails go in as one array (`= ANY(%s)`), not as a placeholder each: Django's `__in` prepares
    every value in Python, a second of a 50,000-row preview (bench/imports.py)."""
    if not emails:
        return {}
    person, user = Person._meta.db_table, User._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, p.user_id, lower(u.email), p.given_name, p.family_name, p.region_id "  # noqa: S608 - table names from the models
            f'FROM "{person}" p JOIN "{user}" u ON u.id = p.user_id WHERE lower(u.email) = ANY(%s)',
            [list(emails)],
        )
        rows = cursor.fetchall()
    return {
        email: KnownPerson(pk, user_id, email, f"{given} {family}".strip(), region_id)
        for pk, user_id, email, given, family, region_id in rows
    }


def statuses_on(cohort: Cohort, person_ids: list[int]) -> dict[int, str]:
    """Each of these people's enrolment status on the cohort (those enrolled at all), in one query."""
    if not person_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT person_id, status FROM "{Enrolment._meta.db_table}" '  # noqa: S608 - table name from the model
            "WHERE cohort_id = %s AND person_id = ANY(%s)",
            [cohort.pk, list(person_ids)],
        )
        return dict(cursor.fetchall())


def _check(cohort: Cohort, rows: list[ImportRow], preview: Preview, other_domains: bool) -> None:
    emails = [row["email"] for row in rows if row.get("email")]
    people = people_by_email(emails)
    on_cohort = statuses_on(cohort, [p.pk for p in people.values()])
    for row in rows:
        person = people.get(row.get("email") or "")
        row.values["person"] = person
        person_columns.check_organisation_in_system(row)
        if person is None:
            if not (row.get("first_name") and row.get("last_name")):
                row.refuse("a new person needs a first_name and a last_name")
            if row.get("email") and not other_domains and not email_domain_allowed(row["email"]):
                row.refuse(
                    f"the address {row['email']} is outside the sign-up domains ({', '.join(settings.ACADEMY_SIGNUP_DOMAINS)}): "
                    "to import it, allow addresses outside them and give the reason"
                )
            continue
        status = on_cohort.get(person.pk)
        if status in ACTIVE:
            row.refuse(f"the person with the address {row['email']} is already on this cohort")
        elif status == EnrolmentStatus.DECLINED:
            row.refuse(
                f"the person with the address {row['email']} applied for this cohort and was not shortlisted"
            )
    good = sum(1 for row in rows if not row.problems)
    places_left = cohort.capacity - cohort.places_taken
    if good == len(rows) and good > places_left:
        preview.refuse(
            f"The file has {ENROLMENTS.counted(good)} but only {places_left:,} place"
            f"{'' if places_left == 1 else 's'} {'is' if places_left == 1 else 'are'} left on this cohort."
        )
