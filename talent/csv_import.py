"""Reading a talent pool or career movements CSV: every row checked, every problem named with its
line, nothing written. `talent.services.imports` commits a file only when this finds no problem.

Pool columns: email, first_name, last_name, job_title, organisation, system, professional_group,
service_type, readiness, readiness_date, target_roles (several, separated by ";"), entry_route, and
optional gender, ethnic_category, disability. Movement columns: email, role, organisation, date,
kind, board_level, and optional terms. A choice may be given as its stored value or its words
("ready_now" or "Ready now"); a date as 2021-03-31 or 31/03/2021."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone

from academy.models import Disability, EthnicCategory, Gender, Organisation, Person, Region, System
from talent.models import (
    EntryRoute,
    MovementKind,
    MovementTerms,
    PoolMember,
    ProfessionalGroup,
    Readiness,
    ServiceType,
    TargetRole,
)

MAX_ROWS = 5000
POOL_REQUIRED = ("email", "professional_group", "service_type", "readiness", "readiness_date", "entry_route")
POOL_COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "job_title",
    "organisation",
    "system",
    "professional_group",
    "service_type",
    "readiness",
    "readiness_date",
    "target_roles",
    "entry_route",
    "gender",
    "ethnic_category",
    "disability",
)
MOVEMENT_REQUIRED = ("email", "role", "organisation", "date", "kind")
MOVEMENT_COLUMNS = (*MOVEMENT_REQUIRED, "board_level", "terms")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


@dataclass
class PoolRow:
    line: int
    email: str
    values: dict = field(default_factory=dict)  # the service's keyword arguments for the membership
    person: Person | None = None
    profile: dict = field(default_factory=dict)  # first_name, last_name, job_title, equality answers
    target_roles: list[TargetRole] = field(default_factory=list)


@dataclass
class MovementRow:
    line: int
    email: str
    member: PoolMember | None = None
    values: dict = field(default_factory=dict)


@dataclass
class Preview:
    rows: list = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def choice(value: str, choices) -> str | None:
    """The stored value for `value`, given as the value or its label, in any case."""
    wanted = value.strip().lower().replace("-", " ").replace("_", " ")
    for stored, label in choices:
        if wanted in (str(stored).lower().replace("_", " "), str(label).lower().replace("-", " ")):
            return stored
    return None


def parse_date(value: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()  # noqa: DTZ007 (a date, not a time)
        except ValueError:
            continue
    return None


def rows_of(text: str, required: tuple[str, ...], known: tuple[str, ...], preview: Preview):
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in headers]
    if missing:
        preview.errors.append((1, f"The first line must name the columns; missing: {', '.join(missing)}."))
        return []
    reader.fieldnames = headers
    rows = []
    for line, raw in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            preview.errors.append((line, f"A file may hold at most {MAX_ROWS} rows."))
            break
        cleaned = {k: (v or "").strip() for k, v in raw.items() if k in known}
        if any(cleaned.values()):
            rows.append((line, cleaned))
    if not rows and not preview.errors:
        preview.errors.append((1, "The file has no rows in it."))
    return rows


def name_problems(line: int, problems: list[str], preview: Preview) -> bool:
    if problems:
        message = "; ".join(problems)
        preview.errors.append((line, message[0].upper() + message[1:] + "."))
    return bool(problems)


def checked_email(raw: str, seen: dict[str, int], line: int, problems: list[str]) -> str:
    email = raw.lower()
    try:
        validate_email(email)
    except ValidationError:
        problems.append(f"“{raw}” is not an email address" if raw else "the email is missing")
    if email in seen:
        problems.append(f"the email {email} is also on line {seen[email]}")
    seen.setdefault(email, line)
    return email


def read_pool(*, region: Region, text: str) -> Preview:
    preview = Preview()
    raw_rows = rows_of(text, POOL_REQUIRED, POOL_COLUMNS, preview)
    emails = [r["email"].lower() for _, r in raw_rows if r.get("email")]
    people = {
        p.user.email.lower(): p for p in Person.objects.select_related("user").filter(user__email__in=emails)
    }
    in_pool = set(
        PoolMember.objects.active()
        .filter(person__user__email__in=emails)
        .values_list("person__user__email", flat=True)
    )
    organisations = {o.name.lower(): o for o in Organisation.objects.filter(region=region)}
    systems = {s.name.lower(): s for s in System.objects.filter(sub_region__region=region)}
    roles = {r.name.lower(): r for r in TargetRole.objects.filter(Q(region__isnull=True) | Q(region=region))}
    seen: dict[str, int] = {}
    today = timezone.localdate()
    for line, r in raw_rows:
        problems: list[str] = []
        email = checked_email(r.get("email", ""), seen, line, problems)
        if email in in_pool:
            problems.append(f"the email {email} is already in the talent pool")
        row = PoolRow(line=line, email=email, person=people.get(email))
        row.profile = {k: r.get(k, "") for k in ("first_name", "last_name", "job_title")}
        if row.person is None and not (row.profile["first_name"] and row.profile["last_name"]):
            problems.append("a new person needs a first_name and a last_name")
        organisation = system = None
        if r.get("organisation"):
            organisation = organisations.get(r["organisation"].lower())
            if organisation is None:
                problems.append(f"no organisation called “{r['organisation']}” in {region}")
        if r.get("system"):
            system = systems.get(r["system"].lower())
            if system is None:
                problems.append(f"no system called “{r['system']}” in {region}")
            elif organisation is not None and organisation.system_id not in (None, system.pk):
                problems.append(f"{organisation} is not in {system}")
        for column, choices in (
            ("professional_group", ProfessionalGroup.choices),
            ("service_type", ServiceType.choices),
            ("readiness", Readiness.choices),
            ("entry_route", EntryRoute.choices),
        ):
            row.values[column] = choice(r.get(column, ""), choices)
            if row.values[column] is None:
                problems.append(f"“{r.get(column, '')}” is not a {column.replace('_', ' ')}")
        for column, choices in (
            ("gender", Gender.choices),
            ("ethnic_category", EthnicCategory.choices),
            ("disability", Disability.choices),
        ):
            if r.get(column):
                row.profile[column] = choice(r[column], choices)
                if row.profile[column] is None:
                    problems.append(f"“{r[column]}” is not a {column.replace('_', ' ')}")
        decided_on = parse_date(r.get("readiness_date", ""))
        if decided_on is None:
            problems.append(f"“{r.get('readiness_date', '')}” is not a date such as 2021-03-31")
        elif decided_on > today:
            problems.append("the readiness_date is in the future")
        for name in filter(None, (n.strip() for n in r.get("target_roles", "").split(";"))):
            if name.lower() in roles:
                row.target_roles.append(roles[name.lower()])
            else:
                problems.append(f"“{name}” is not a target role (add it first)")
        if name_problems(line, problems, preview):
            continue
        row.values.update(
            organisation=organisation,
            system=system or (organisation.system if organisation else None),
            decided_on=decided_on,
            current_role=row.profile["job_title"],
        )
        preview.rows.append(row)
    return preview


def read_movements(*, region: Region, text: str) -> Preview:
    preview = Preview()
    raw_rows = rows_of(text, MOVEMENT_REQUIRED, MOVEMENT_COLUMNS, preview)
    emails = [r["email"].lower() for _, r in raw_rows if r.get("email")]
    members: dict[str, PoolMember] = {}
    for member in (
        PoolMember.objects.filter(region=region, person__user__email__in=emails)
        .select_related("person__user")
        .order_by("exited_on", "-joined_on")  # the active membership (no exit date) first
    ):
        members.setdefault(member.person.user.email.lower(), member)
    organisations = {o.name.lower(): o for o in Organisation.objects.filter(region=region)}
    for line, r in raw_rows:
        problems: list[str] = []
        email = r.get("email", "").lower()
        row = MovementRow(line=line, email=email, member=members.get(email))
        if row.member is None:
            problems.append(
                f"{'the email ' + email if email else 'the email'} is not in the {region} talent pool"
            )
        organisation = organisations.get(r.get("organisation", "").lower())
        if organisation is None:
            problems.append(f"no organisation called “{r.get('organisation', '')}” in {region}")
        moved_on = parse_date(r.get("date", ""))
        if moved_on is None:
            problems.append(f"“{r.get('date', '')}” is not a date such as 2021-03-31")
        kind = choice(r.get("kind", ""), MovementKind.choices)
        if kind is None:
            problems.append(f"“{r.get('kind', '')}” is not appointment or promotion")
        terms = choice(r.get("terms") or "substantive", MovementTerms.choices)
        if terms is None:
            problems.append(f"“{r.get('terms', '')}” is not interim or substantive")
        board = r.get("board_level", "").lower()
        if board not in YES | NO:
            problems.append(f"board_level “{r.get('board_level', '')}” is not yes or no")
        if not r.get("role"):
            problems.append("the role is missing")
        if name_problems(line, problems, preview):
            continue
        row.values = {
            "role": r["role"],
            "organisation": organisation,
            "moved_on": moved_on,
            "kind": kind,
            "terms": terms,
            "board_level": board in YES,
        }
        preview.rows.append(row)
    return preview
