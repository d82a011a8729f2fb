"""The talent imports, declared on the portal's import machinery (`academy.imports`, ADR 0004): an
existing pool, career movements, and systems' senior workforce figures. Their columns and the checks a row must pass against the
region's pool. Reading only; `talent.services.imports` writes.

A choice may be given as its stored value or its words ("ready_now" or "Ready now"); a date as
31/03/2021 or 2021-03-31; several target roles separated by ";"."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from academy.imports import (
    CellError,
    Column,
    ImportRow,
    ImportSpec,
    Preview,
    choice,
    choice_key,
    text,
    uk_date,
    whole_number,
)
from academy.imports import people as person_columns
from academy.models import Person, Region
from talent.models import (
    CareerMovement,
    EntryRoute,
    MovementKind,
    MovementTerms,
    PoolMember,
    ProfessionalGroup,
    Readiness,
    SeniorWorkforce,
    ServiceType,
    TargetRole,
)

MAX_ROWS = 5000


def _required(parse):
    """A parser for a required column: a blank cell is named as missing."""

    def read(value: str):
        if not value:
            raise CellError("is missing")
        return parse(value)

    return read


def yes_no(value: str) -> bool:
    key = choice_key(value)
    if key in {"yes", "y", "true", "1"}:
        return True
    if key in {"no", "n", "false", "0"}:
        return False
    raise CellError(f"“{value[:40]}” is not yes or no")


def target_roles_parser(region: Region):
    """Several of the board roles (national, or added for `region`), separated by ";"."""
    roles = {
        choice_key(r.name): r for r in TargetRole.objects.filter(Q(region__isnull=True) | Q(region=region))
    }

    def parse(value: str) -> list[TargetRole]:
        found, unknown = [], []
        for name in filter(None, (n.strip() for n in value.split(";"))):
            role = roles.get(choice_key(name))
            if role is None:
                unknown.append(f"“{name[:60]}”")
            elif role not in found:
                found.append(role)
        if unknown:
            raise CellError(
                f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not a target role (add it first)"
            )
        return found

    return parse


READINESS = choice(
    Readiness.choices,
    noun="a readiness (ready_now, ready_soon or not_yet_ready)",
    aliases={"Ready": Readiness.READY_NOW, "Not ready": Readiness.NOT_YET_READY},
)

POOL_COLUMNS = (
    person_columns.EMAIL,
    person_columns.FIRST_NAME,
    person_columns.LAST_NAME,
    dataclasses.replace(
        person_columns.JOB_TITLE, help="Their current role.", example="Deputy Director of Nursing"
    ),
    person_columns.ORGANISATION,
    dataclasses.replace(
        person_columns.SYSTEM,
        help="Their integrated care system; when blank, the organisation's system.",
        example="Derby and Derbyshire",
    ),
    Column(
        "professional_group",
        _required(choice(ProfessionalGroup.choices, noun="a professional group")),
        required=True,
        aliases=("professional group", "profession", "staff group"),
        help="Nursing, Medical, Finance, Operations, People, Strategy, Digital, ... (the value or its words).",
        example="nursing",
        blank_ok=False,
    ),
    Column(
        "service_type",
        _required(choice(ServiceType.choices, noun="a service type")),
        required=True,
        aliases=("service type", "sector", "service"),
        help="Acute, mental health, community, ambulance, primary care, commissioning, social care, regional.",
        example="acute",
        blank_ok=False,
    ),
    Column(
        "readiness",
        _required(READINESS),
        required=True,
        aliases=("readiness level", "ready"),
        help="ready_now, ready_soon or not_yet_ready, or the words (Ready now, Ready soon, Not yet ready).",
        example="ready_soon",
        blank_ok=False,
    ),
    Column(
        "readiness_date",
        _required(uk_date()),
        required=True,
        aliases=("readiness date", "decided on", "date of decision", "assessed on"),
        help="When the readiness was decided; not in the future.",
        example="15/01/2021",
        blank_ok=False,
    ),
    Column(
        "target_roles",
        _required(lambda value: value),  # bound per region by `with_parsers`
        aliases=("target roles", "target role", "aspirations"),
        help="The board roles they aim for, separated by “;”, as Academy names them.",
        example="Director of nursing; Chief executive",
        blank=(),
    ),
    Column(
        "entry_route",
        _required(
            choice(
                EntryRoute.choices, noun="an entry route (aspire_together, assessment_centre or nomination)"
            )
        ),
        required=True,
        aliases=("entry route", "route", "how they entered"),
        help="aspire_together, assessment_centre or nomination, or the words.",
        example="aspire_together",
        blank_ok=False,
    ),
    dataclasses.replace(person_columns.GENDER, help="Optional; kept only where their profile has no answer."),
    dataclasses.replace(
        person_columns.ETHNICITY,
        name="ethnic_category",
        aliases=("ethnicity", *person_columns.ETHNICITY.aliases),
        help="Optional: the NHS ethnic category (A to Z or its name); kept only where their profile has none.",
    ),
    dataclasses.replace(person_columns.DISABILITY, help="Optional: Yes, No or Prefer not to say."),
)

POOL = ImportSpec(
    key="talent-pool",
    title="Talent pool",
    columns=POOL_COLUMNS,
    noun=("pool member", "pool members"),
    unique=("email",),
    max_rows=MAX_ROWS,
    max_bytes=5 * 1024 * 1024,
    description="Everyone in the file joins the region's talent pool, or nobody does. People are matched "
    "by email; anyone new gets an account. Each readiness is recorded with the file as its evidence.",
)

MOVEMENTS = ImportSpec(
    key="talent-movements",
    title="Career movements",
    columns=(
        dataclasses.replace(person_columns.EMAIL, help="The pool member's work email address."),
        Column(
            "role",
            _required(text(200)),
            required=True,
            aliases=("job title", "new role", "post"),
            help="The role they moved into.",
            example="Director of Nursing",
            blank_ok=False,
        ),
        Column(
            "organisation",
            person_columns.unbound,
            required=True,
            aliases=("organisation name", "employer", "trust"),
            help="The organisation of the role, by its name as Academy lists it.",
            example="Chesterfield Royal Hospital NHS Foundation Trust",
            blank_ok=False,
        ),
        Column(
            "date",
            _required(uk_date()),
            required=True,
            aliases=("moved on", "start date", "appointed on"),
            help="The start date in the role; at most a year ahead.",
            example="01/04/2021",
            blank_ok=False,
        ),
        Column(
            "kind",
            _required(choice(MovementKind.choices, noun="appointment or promotion")),
            required=True,
            aliases=("movement", "type"),
            help="appointment or promotion.",
            example="appointment",
            blank_ok=False,
        ),
        Column(
            "board_level",
            yes_no,
            aliases=("board level", "board", "executive"),
            help="yes for a board-level (executive) role; blank means no.",
            example="yes",
            blank=False,
        ),
        Column(
            "terms",
            choice(MovementTerms.choices, noun="interim or substantive"),
            aliases=("interim or substantive", "contract"),
            help="interim or substantive; blank means substantive.",
            example="substantive",
            blank=MovementTerms.SUBSTANTIVE,
        ),
    ),
    noun=("career movement", "career movements"),
    max_rows=MAX_ROWS,
    max_bytes=5 * 1024 * 1024,
    description="Every movement in the file is recorded, or none is. A substantive board-level appointment "
    "ends the person's pool membership as appointed.",
)


def _count(name: str, words: str, example: str, aliases: tuple[str, ...] = ()) -> Column:
    return Column(
        name,
        _required(whole_number(maximum=100_000)),
        required=True,
        aliases=aliases,
        help=f"How many of the system's senior staff are {words}.",
        example=example,
        blank_ok=False,
    )


WORKFORCE = ImportSpec(
    key="talent-workforce",
    title="Senior workforce figures",
    columns=(
        Column(
            "system",
            person_columns.unbound,
            required=True,
            aliases=("ics", "icb", "integrated care system"),
            help="The system (ICS), by its name as Academy lists it.",
            example="Derby and Derbyshire",
            blank_ok=False,
        ),
        Column(
            "as_of",
            _required(uk_date()),
            required=True,
            aliases=("as of", "date", "on"),
            help="The date of the figures (for example the ESR snapshot's); not in the future.",
            example="31/03/2021",
            blank_ok=False,
        ),
        _count("white", "white", "120"),
        _count("minority_ethnic", "from a minority ethnic group", "30", ("minority ethnic", "bame")),
        _count(
            "ethnicity_not_stated", "of ethnicity not stated", "10", ("ethnicity not stated", "not stated")
        ),
        _count("female", "female", "90"),
        _count("male", "male", "68"),
        _count("gender_other", "of another gender or not stated", "2", ("gender other", "other")),
    ),
    noun=("system's figures", "systems' figures"),
    max_rows=1000,
    max_bytes=1 * 1024 * 1024,
    description="The senior workforce (band 8c to VSM) of each system on a date, by ethnicity and by "
    "gender, to set beside its successor slates. Every row is saved, or none is; a row for a system and "
    "date already entered replaces those figures.",
)


def read_workforce(*, region: Region, content: bytes, filename: str = "") -> Preview:
    """Every row checked: a system of the region, a date not in the future, each system and date once,
    and the ethnicity and gender counts adding up to the same staff."""
    spec = WORKFORCE.with_parsers(system=_required(person_columns.system_parser(region)))
    return spec.read(content, filename=filename, check=lambda rows, preview: _check_workforce(rows))


def _check_workforce(rows: list[ImportRow]) -> None:
    today = timezone.localdate()
    seen: dict[tuple[int, dt.date], int] = {}
    for row in rows:
        system, as_of = row.get("system"), row.get("as_of")
        if as_of and as_of > today:
            row.refuse("as_of is in the future: enter figures already published")
        if system and as_of:
            key = (system.pk, as_of)
            if key in seen:
                row.refuse(f"the figures of {system} on {as_of:%d/%m/%Y} are also on line {seen[key]}")
            else:
                seen[key] = row.line
        if problem := SeniorWorkforce.counts_disagree(row.values):
            row.refuse(problem[0].lower() + problem[1:].rstrip("."))


def read_pool(*, region: Region, content: bytes, filename: str = "") -> Preview:
    """Every row checked against the region's pool, in a few queries whatever the file's size."""
    spec = POOL.with_parsers(
        organisation=person_columns.organisation_parser(region),
        system=person_columns.system_parser(region),
        target_roles=_required(target_roles_parser(region)),
    )
    return spec.read(content, filename=filename, check=lambda rows, preview: _check_pool(rows))


def people_by_email(emails: list[str]) -> dict[str, Person]:
    """The people with these (lower-case) emails, in one query on the case-insensitive email index."""
    people = Person.objects.annotate(email_lower=Lower("user__email")).filter(email_lower__in=emails)
    return {person.email_lower: person for person in people}


def _check_pool(rows: list[ImportRow]) -> None:
    emails = [row["email"] for row in rows if row.get("email")]
    people = people_by_email(emails)
    in_pool = set(
        PoolMember.objects.active()
        .filter(person__in=list(people.values()))
        .values_list("person_id", flat=True)
    )
    today = timezone.localdate()
    for row in rows:
        person = people.get(row.get("email") or "")
        row.values["person"] = person
        person_columns.check_organisation_in_system(row)
        if person is None:
            if not (row.get("first_name") and row.get("last_name")):
                row.refuse("a new person needs a first_name and a last_name")
        elif person.pk in in_pool:
            row.refuse(f"the person with the address {row['email']} is already in the talent pool")
        decided_on = row.get("readiness_date")
        if decided_on and decided_on > today:
            row.refuse("readiness_date is in the future: record the readiness decided so far")


def read_movements(*, region: Region, content: bytes, filename: str = "") -> Preview:
    """Every row checked: the person is in the region's pool, and the movement is not recorded yet."""
    spec = MOVEMENTS.with_parsers(organisation=_required(person_columns.organisation_parser(region)))
    return spec.read(content, filename=filename, check=lambda rows, preview: _check_movements(region, rows))


def _check_movements(region: Region, rows: list[ImportRow]) -> None:
    emails = [row["email"] for row in rows if row.get("email")]
    members: dict[str, PoolMember] = {}
    for member in (
        PoolMember.objects.filter(region=region)
        .annotate(email_lower=Lower("person__user__email"))
        .filter(email_lower__in=emails)
        .select_related("person")
        .order_by("exited_on", "-joined_on")  # the active membership (no exit date) first
    ):
        members.setdefault(member.email_lower, member)
    recorded = set(
        CareerMovement.objects.filter(member__in=list(members.values())).values_list(
            "member_id", "role", "organisation_id", "moved_on"
        )
    )
    seen: dict[tuple, int] = {}
    latest = timezone.localdate() + dt.timedelta(days=366)
    for row in rows:
        member = members.get(row.get("email") or "")
        row.values["member"] = member
        if member is None:
            if row.get("email"):
                row.refuse(f"the email {row['email']} is not in the {region} talent pool")
            continue
        if row.get("date") and row["date"] > latest:
            row.refuse("date is more than a year ahead: a movement that far ahead cannot be recorded yet")
        organisation = row.get("organisation")
        if not (organisation and row.get("role") and row.get("date")):
            continue
        key = (member.pk, row["role"], organisation.pk, row["date"])
        if key in recorded:
            row.refuse(f"this movement of {row['email']} is already recorded")
        elif key in seen:
            row.refuse(f"this movement is also on line {seen[key]}")
        else:
            seen[key] = row.line


def member_name(row: ImportRow) -> str:
    person = row.get("person")
    return person.full_name if person else f"{row['first_name']} {row['last_name']}".strip()
