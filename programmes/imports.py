"""The enrolment import, declared on the portal's import machinery (`academy.imports`): its columns
and the checks a row must pass against the cohort. Reading only; `services.imports` writes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q

from academy.adapters import email_domain_allowed
from academy.bulk import array_literal
from academy.imports import (
    MB,
    CellError,
    Column,
    ImportRow,
    ImportSpec,
    Preview,
    choice,
    choice_key,
    clock_time,
    lookup,
    text,
    uk_date,
    whole_number,
)
from academy.imports import people as person_columns
from academy.models import Organisation, Person, System, User
from programmes.models import (
    ACTIVE,
    AttendanceStatus,
    Cohort,
    DeliveryMode,
    Enrolment,
    EnrolmentStatus,
    Theme,
)

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
    The emails go in as one array literal (`= ANY(%s::text[])`, `academy.bulk`), not as a placeholder each: Django's `__in` prepares
    every value in Python, a second of a 50,000-row preview (bench/imports.py)."""
    if not emails:
        return {}
    person, user = Person._meta.db_table, User._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, p.user_id, lower(u.email), p.given_name, p.family_name, p.region_id "  # noqa: S608 - table names from the models
            f'FROM "{person}" p JOIN "{user}" u ON u.id = p.user_id WHERE lower(u.email) = ANY(%s::text[])',
            [array_literal(emails)],
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
            "WHERE cohort_id = %s AND person_id = ANY(%s::bigint[])",
            [cohort.pk, array_literal(person_ids)],
        )
        return dict(cursor.fetchall())


def _check(cohort: Cohort, rows: list[ImportRow], preview: Preview, other_domains: bool) -> None:
    emails = [row["email"] for row in rows if row.get("email")]
    people = people_by_email(emails)
    on_cohort = statuses_on(cohort, [p.pk for p in people.values()])
    for row in rows:
        person = people.get(row.get("email") or "")
        row.values["person"] = person
        # Anyone not already a person of the cohort's region is invited, and checked exactly as someone
        # new is: the preview must not tell staff whether an account exists in another region.
        row.values["invited"] = person is None or person.region_id != cohort.region_id
        person_columns.check_organisation_in_system(row)
        if row["invited"]:
            if not (row.get("first_name") and row.get("last_name")):
                row.refuse("someone not yet in your region needs a first_name and a last_name")
            if row.get("email") and not other_domains and not email_domain_allowed(row["email"]):
                row.refuse(
                    f"the address {row['email']} is outside the sign-up domains ({', '.join(settings.ACADEMY_SIGNUP_DOMAINS)}): "
                    "to import it, allow addresses outside them and give the reason"
                )
        if person is None:
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


# --- history: a past year from the academy's spreadsheets (services.history writes them) ----------------


def _code(value: str) -> str:
    if len(value) > 30:
        raise CellError(f"is {len(value):,} characters long; a code has at most 30")
    return value.upper()


OUTCOMES = (EnrolmentStatus.COMPLETED, EnrolmentStatus.ENROLLED, EnrolmentStatus.WITHDRAWN)

HISTORY_PROGRAMMES = ImportSpec(
    key="history-programmes",
    title="Past programmes",
    columns=(
        Column("code", _code, required=True, blank_ok=False, aliases=("programme code",),
               help="The programme's short code; a code already on Academy is kept as it is.", example="CLS1"),
        Column("title", text(200, required=True), required=True, blank_ok=False, aliases=("programme",),
               help="The programme's title.", example="Compassionate leadership"),
        Column("theme", choice(Theme.choices, noun="a theme of the People Plan"), required=True, blank_ok=False,
               help="Its People Plan theme.", example="Looking after our people"),
        Column("delivery_mode", choice(DeliveryMode.choices, noun="a delivery mode (virtual, face to face or blended)",
               aliases={"online": DeliveryMode.VIRTUAL, "in person": DeliveryMode.FACE_TO_FACE}),
               required=True, blank_ok=False, aliases=("delivery mode", "mode"),
               help="Virtual, face to face or blended.", example="Virtual"),
        Column("summary", text(2000), help="Optional: a sentence about it.", example="Six half days"),
    ),
    noun=("programme", "programmes"),
    unique=("code",),
    description="Programmes whose code is new are added (unpublished); a code already on Academy is kept.",
)  # fmt: skip

# The most a year's cohorts file or people file may hold (its register, a line a mark, may hold more).
HISTORY_FILE_LIMITS = {"max_rows": 500_000, "max_bytes": 60 * MB}

# The cohorts file and the register name a cohort and a session's date alike.
COHORT = Column("cohort", text(200, required=True), required=True, blank_ok=False, aliases=("cohort name",),
                help="The cohort's name: how the register names it.", example="CLS1 May 2021")  # fmt: skip
SESSION_DATE = Column("session_date", uk_date(), required=True, blank_ok=False, aliases=("session date", "date"),
                      help="One line per session: its date.", example="04/05/2021")  # fmt: skip

HISTORY_COHORTS = ImportSpec(
    key="history-cohorts",
    title="Past cohorts and their sessions",
    columns=(
        COHORT,
        Column("programme", _code, required=True, blank_ok=False, aliases=("programme code",),
               help="The programme's code.", example="CLS1"),
        SESSION_DATE,
        Column("system", person_columns.unbound, aliases=("ics", "icb"), blank=None,
               help="Optional: the system (ICB) by name or ODS code; blank for region-wide.", example="QJ2"),
        Column("start_time", clock_time(), aliases=("start time", "starts"), blank=None,
               help="Optional (09:30 if blank).", example="09:30"),
        Column("end_time", clock_time(), aliases=("end time", "ends"), blank=None,
               help="Optional (12:30 if blank).", example="12:30"),
        Column("session_title", text(200), aliases=("session title", "session"),
               help="Optional (Session 1, 2, ... if blank).", example="Welcome"),
        Column("venue", text(300), help="Optional.", example="Online"),
        Column("capacity", whole_number(), blank=None,
               help="Optional: the places it had (else the number of people on its register).", example="24"),
    ),
    noun=("session", "sessions"),
    **HISTORY_FILE_LIMITS,
    description="A cohort already on Academy (same name in this region) keeps its sessions; only sessions "
    "on new dates are added, so the same file imported twice adds nothing.",
)  # fmt: skip

HISTORY_PEOPLE = ImportSpec(
    key="history-people",
    title="People of past cohorts",
    columns=(
        person_columns.EMAIL,
        dataclasses.replace(person_columns.FIRST_NAME, parse=text(100, required=True), required=True,
                            blank_ok=False, help="Their first name."),
        dataclasses.replace(person_columns.LAST_NAME, parse=text(100, required=True), required=True,
                            blank_ok=False, help="Their last name."),
        dataclasses.replace(person_columns.ORGANISATION, help="Optional: their employer, by ODS code or name."),
        person_columns.STAFF_GROUP,
        person_columns.PAY_BAND,
        person_columns.GENDER,
        person_columns.ETHNICITY,
        person_columns.DISABILITY,
    ),
    noun=("person", "people"),
    unique=("email",),
    **HISTORY_FILE_LIMITS,
    description="Someone already on Academy (by email) keeps their profile; someone new gets an account "
    "they cannot sign in to until invited.",
)  # fmt: skip

HISTORY_REGISTER = ImportSpec(
    key="history-register",
    title="Past registers",
    columns=(
        dataclasses.replace(COHORT, help="The cohort, as the cohorts file names it."),
        person_columns.EMAIL,
        dataclasses.replace(SESSION_DATE, help="The session's date."),
        Column("attendance", choice(AttendanceStatus.choices, noun="attended, absent or apologies", aliases={
            "present": "attended", "yes": "attended", "y": "attended", "dna": "absent", "no": "absent",
            "n": "absent", "did not attend": "absent", "apols": "apologies", "apology": "apologies",
            "sent apologies": "apologies"}), required=True, blank_ok=False,
               help="Attended, absent or apologies (Present, DNA and Apols too).", example="Attended"),
        Column("outcome", choice([(o.value, o.label) for o in OUTCOMES], noun="completed, enrolled or withdrawn"),
               blank=EnrolmentStatus.COMPLETED, help="Optional: completed (if blank), enrolled or withdrawn.",
               example="Completed"),
    ),
    noun=("attendance mark", "attendance marks"),
    max_rows=2_000_000,
    max_bytes=120 * MB,
    description="One line per person per session. A mark already on Academy is kept, so the same file "
    "imported twice adds nothing.",
)  # fmt: skip

HISTORY_SPECS = {
    spec.key: spec for spec in (HISTORY_PROGRAMMES, HISTORY_COHORTS, HISTORY_PEOPLE, HISTORY_REGISTER)
}


def history_organisation_parser(region):
    """An organisation by ODS code (any region) or by name (this region's, or any with a code)."""
    table = {}
    for organisation in Organisation.objects.filter(Q(region=region) | ~Q(ods_code="")).only(
        "id", "name", "ods_code", "region_id", "system_id"
    ):
        table.setdefault(choice_key(organisation.name), organisation)
    for organisation in Organisation.objects.exclude(ods_code="").only(
        "id", "name", "ods_code", "region_id", "system_id"
    ):
        table[choice_key(organisation.ods_code)] = organisation
    return lookup(table, noun="an organisation Academy knows (by ODS code or name)")


def history_system_parser(region):
    """A system of the region by name, short name or ODS code."""
    table = {}
    for system in System.objects.filter(sub_region__region=region):
        for key in (system.name, system.slug, system.ods_code):
            if key:
                table.setdefault(choice_key(key), system)
    return lookup(table, noun=f"a system in {region} (by name or ODS code)")
