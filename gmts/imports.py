"""The scheme's imports, declared on the portal's import machinery (`academy.imports`, ADR 0004): the
trainees and the placements of a region, their columns and the checks a row must pass against the
database. Reading only; `gmts.services` writes a clean file, all rows or none.

Trainees: email, first_name, last_name, intake ("March 2021" or "2021-03"), specialism, status,
programme_manager_email, and optionally gender, ethnic_category, status_reason.
Placements: trainee_email, host_organisation, kind, start, end, placement_manager_email, status."""

from __future__ import annotations

import dataclasses
import re

from django.db.models.functions import Lower

from academy.imports import (
    CellError,
    Column,
    ImportRow,
    ImportSpec,
    Preview,
    choice,
    choice_key,
    lookup,
    text,
    uk_date,
)
from academy.imports import email as email_parser
from academy.imports import people as person_columns
from academy.models import Organisation, Person, Region
from gmts.models import Intake, PlacementKind, PlacementStatus, Season, Specialism, Trainee, TraineeStatus

MAX_ROWS = 5000
INTAKE_LABEL = re.compile(r"^(?P<season>march|september)\s+(?P<year>\d{4})$", re.IGNORECASE)
INTAKE_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$")
# Written for a trainee on a break or withdrawn whose file gives no reason (the record needs one).
REASON_BEFORE_THE_PORTAL = "Recorded before the portal"


def intake_key(value: str) -> tuple[int, str]:
    """(year, season) of "March 2021" or "2021-03"."""
    if match := INTAKE_LABEL.match(value):
        return int(match["year"]), match["season"].lower()
    if (match := INTAKE_MONTH.match(value)) and int(match["month"]) in (3, 9):
        return int(match["year"]), Season.MARCH if int(match["month"]) == 3 else Season.SEPTEMBER
    raise CellError(f"“{value[:40]}” is not an intake such as March 2021 or 2021-03")


def unbound(value: str):
    raise CellError("cannot be read here")  # replaced by `with_parsers` before a file is read


TRAINEES = ImportSpec(
    key="gmts-trainees",
    title="GMTS trainees",
    columns=(
        person_columns.EMAIL,
        # The headers must be there; a cell may be blank for someone already on Academy.
        dataclasses.replace(person_columns.FIRST_NAME, required=True),
        dataclasses.replace(person_columns.LAST_NAME, required=True),
        Column(
            "intake",
            unbound,
            required=True,
            blank_ok=False,
            help="The intake they joined: March or September and the year, or the year and month.",
            example="March 2021",
        ),
        Column(
            "specialism",
            unbound,
            required=True,
            blank_ok=False,
            help="General Management, Finance, Human Resources, Health Informatics or Policy and Strategy.",
            example="Finance",
        ),
        Column(
            "status",
            choice(TraineeStatus.choices, noun="a status (active, on a break, completed, withdrawn)"),
            required=True,
            help="Active, on a break, completed or withdrawn; blank is active.",
            example="Active",
            blank=TraineeStatus.ACTIVE,
        ),
        Column(
            "programme_manager_email",
            email_parser(),
            required=True,
            aliases=("programme manager", "programme manager email"),
            help="The work email of their programme manager, someone already on Academy; may be blank.",
            example="cass.moyo@nhs.net",
        ),
        person_columns.GENDER,
        dataclasses.replace(
            person_columns.ETHNICITY, name="ethnic_category", aliases=("ethnicity", "ethnic group")
        ),
        Column(
            "status_reason",
            text(300),
            aliases=("reason",),
            help=f"Why they are on a break or withdrew; “{REASON_BEFORE_THE_PORTAL}” if blank.",
            example="Parental leave",
        ),
    ),
    noun=("trainee", "trainees"),
    unique=("email",),
    max_rows=MAX_ROWS,
    description="Every trainee in the file is added to the scheme, or none is. People are matched by "
    "email; anyone new to Academy gets an account.",
)

PLACEMENTS = ImportSpec(
    key="gmts-placements",
    title="GMTS placements",
    columns=(
        Column(
            "trainee_email",
            email_parser(),
            required=True,
            blank_ok=False,
            aliases=("trainee", "email"),
            help="The work email of a trainee of your region.",
            example="sam.ng@nhs.net",
        ),
        Column(
            "host_organisation",
            unbound,
            required=True,
            blank_ok=False,
            aliases=("host", "organisation"),
            help="The host organisation, by its name as Academy lists it.",
            example="Derbyshire Healthcare NHS Foundation Trust",
        ),
        Column(
            "kind",
            choice(PlacementKind.choices, noun="a kind of placement (first, flexi, final, principal)"),
            required=True,
            blank_ok=False,
            help="First, flexi, final or principal (Finance).",
            example="First",
        ),
        Column(
            "start", uk_date(), required=True, blank_ok=False, help="The first day.", example="01/03/2021"
        ),
        Column("end", uk_date(), required=True, blank_ok=False, help="The last day.", example="31/08/2021"),
        Column(
            "placement_manager_email",
            email_parser(),
            required=True,
            aliases=("placement manager", "placement manager email"),
            help="The work email of the placement manager, someone already on Academy; may be blank.",
            example="dov.ash@nhs.net",
        ),
        Column(
            "status",
            choice(PlacementStatus.choices, noun="a placement status"),
            required=True,
            help="Proposed, confirmed, trainee notified, started, completed or withdrawn; blank is proposed.",
            example="Completed",
            blank=PlacementStatus.PROPOSED,
        ),
    ),
    noun=("placement", "placements"),
    max_rows=MAX_ROWS,
    description="Every placement in the file is recorded, or none is. A trainee's placements may not "
    "overlap, in the file or with those already recorded.",
)


def _people(emails: set[str]) -> dict[str, Person]:
    """The people with these (lower-case) emails, in one query."""
    return {
        p.email_lower: p
        for p in Person.objects.select_related("user")
        .annotate(email_lower=Lower("user__email"))
        .filter(email_lower__in=emails)
    }


def _manager(row: ImportRow, column: str, people: dict[str, Person]) -> Person | None:
    address = row.get(column)
    if not address:
        return None
    person = people.get(address)
    if person is None:
        row.refuse(f"no one in the portal has the email {address}")
    return person


def read_trainees(*, region: Region, content: bytes, filename: str = "") -> Preview:
    """Every row checked against the region's intakes, the specialisms and the people on Academy, in
    three queries whatever the file's size."""
    intakes = {(i.year, i.season): i for i in Intake.objects.filter(region=region)}
    specialisms: dict[str, Specialism] = {}
    for specialism in Specialism.objects.all():
        specialisms[choice_key(specialism.name)] = specialism
        specialisms.setdefault(choice_key(specialism.slug), specialism)

    def intake(value: str) -> Intake:
        key = intake_key(value)
        if key not in intakes:
            raise CellError(f"is {Season(key[1]).label} {key[0]}, but there is no such intake in {region}")
        return intakes[key]

    spec = TRAINEES.with_parsers(intake=intake, specialism=lookup(specialisms, noun="a specialism"))
    return spec.read(content, filename=filename, check=_check_trainees)


def _check_trainees(rows: list[ImportRow], preview: Preview) -> None:
    emails = {row["email"] for row in rows if row.get("email")}
    emails |= {row["programme_manager_email"] for row in rows if row.get("programme_manager_email")}
    people = _people(emails)
    on_scheme = set(
        Trainee.objects.annotate(email_lower=Lower("person__user__email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", flat=True)
    )
    for row in rows:
        address = row.get("email")
        if address in on_scheme:
            row.refuse(f"{address} is already on the scheme")
        row.values["person"] = people.get(address or "")
        if row["person"] is None and not (row.get("first_name") and row.get("last_name")):
            row.refuse("a new person needs a first_name and a last_name")
        row.values["programme_manager"] = _manager(row, "programme_manager_email", people)
        if not row.get("status_reason") and row.get("status") in (
            TraineeStatus.ON_BREAK,
            TraineeStatus.WITHDRAWN,
        ):
            row.values["status_reason"] = REASON_BEFORE_THE_PORTAL


def read_placements(*, region: Region, content: bytes, filename: str = "") -> Preview:
    """Every row checked against the region's trainees and organisations and the people on Academy, in
    three queries whatever the file's size; a trainee's placements in the file may not overlap (those
    already recorded are checked as each is written)."""
    hosts = {choice_key(o.name): o for o in Organisation.objects.filter(region=region)}
    spec = PLACEMENTS.with_parsers(host_organisation=lookup(hosts, noun=f"an organisation in {region}"))
    return spec.read(
        content, filename=filename, check=lambda rows, preview: _check_placements(region, rows, preview)
    )


def _check_placements(region: Region, rows: list[ImportRow], preview: Preview) -> None:
    emails = {row["trainee_email"] for row in rows if row.get("trainee_email")}
    emails |= {row["placement_manager_email"] for row in rows if row.get("placement_manager_email")}
    trainees = {
        t.email_lower: t
        for t in Trainee.objects.select_related("person__user", "specialism")
        .annotate(email_lower=Lower("person__user__email"))
        .filter(intake__region=region, email_lower__in=emails)
    }
    people = _people(emails)
    booked: dict[str, list[tuple]] = {}
    for row in rows:
        address = row.get("trainee_email")
        row.values["trainee"] = trainees.get(address or "")
        if address and row["trainee"] is None:
            row.refuse(f"no trainee of {region} has the email {address}")
        row.values["placement_manager"] = _manager(row, "placement_manager_email", people)
        start, end = row.get("start"), row.get("end")
        if not (start and end):
            continue
        if end <= start:
            row.refuse("the end must be after the start")
        elif row.get("status") != PlacementStatus.WITHDRAWN:
            for other_start, other_end, other_line in booked.get(address, []):
                if start <= other_end and other_start <= end:
                    row.refuse(f"the dates overlap the placement on line {other_line}")
            booked.setdefault(address, []).append((start, end, row.line))
