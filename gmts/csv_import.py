"""Reading a file of trainees or of placements (CSV, or an Excel workbook's first sheet): every row
checked, every problem named with its line, nothing written. The import services in
`gmts/services.py` write a file only when this finds no problem at all.

Trainees: email, first_name, last_name, intake ("March 2021" or "2021-03"), specialism, status,
programme_manager_email, and optionally gender, ethnic_category (a code or its label).
Placements: trainee_email, host_organisation, kind, start, end (dates as 2021-03-01 or 01/03/2021),
placement_manager_email, status."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from academy.models import EthnicCategory, Gender, Organisation, Person, Region
from gmts.models import Intake, PlacementKind, PlacementStatus, Season, Specialism, Trainee, TraineeStatus

MAX_ROWS = 5000
TRAINEE_COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "intake",
    "specialism",
    "status",
    "programme_manager_email",
)
TRAINEE_OPTIONAL = ("gender", "ethnic_category", "status_reason")
PLACEMENT_COLUMNS = (
    "trainee_email",
    "host_organisation",
    "kind",
    "start",
    "end",
    "placement_manager_email",
    "status",
)
INTAKE_LABEL = re.compile(r"^(?P<season>march|september)\s+(?P<year>\d{4})$", re.IGNORECASE)
INTAKE_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")


@dataclass
class Preview:
    """The rows ready to write (plain dicts of resolved values) and the problems, by line."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def table(*, content: bytes, filename: str) -> list[dict[str, str]] | str:
    """The file's rows as dicts keyed by lower-case column names (with the line each came from under
    "_line"), or a sentence saying why it cannot be read."""
    if filename.lower().endswith(".xlsx"):
        return _workbook_rows(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "The file must be a CSV saved as UTF-8, or an Excel workbook (.xlsx)."
    reader = csv.reader(io.StringIO(text))
    return _rows(list(reader))


def _workbook_rows(content: bytes) -> list[dict[str, str]] | str:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception:  # noqa: BLE001 — any unreadable workbook gets the same answer
        return "The workbook could not be read: save it as an Excel workbook (.xlsx) or a CSV."
    values = [
        [v.date().isoformat() if isinstance(v, dt.datetime) else ("" if v is None else str(v)) for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    return _rows(values)


def _rows(values: list[list[str]]) -> list[dict[str, str]] | str:
    if not values:
        return "The file is empty."
    headers = [str(h).strip().lower() for h in values[0]]
    rows = []
    for line, raw in enumerate(values[1:], start=2):
        row = {h: str(v or "").strip() for h, v in zip(headers, raw, strict=False) if h}
        if any(row.values()):
            rows.append({**row, "_line": line})
    if len(rows) > MAX_ROWS:
        return f"A file may hold at most {MAX_ROWS:,} rows."
    return rows


def _choice(value: str, choices) -> str | None:
    """The stored value for `value`, given as the value or its label, ignoring case and spaces."""
    wanted = value.strip().lower().replace(" ", "_")
    for stored, label in choices:
        if wanted in (str(stored).lower(), str(label).lower().replace(" ", "_")):
            return stored
    return None


def _intake(value: str) -> tuple[int, str] | None:
    if match := INTAKE_LABEL.match(value.strip()):
        return int(match["year"]), match["season"].lower()
    if match := INTAKE_MONTH.match(value.strip()):
        month = int(match["month"])
        if month in (3, 9):
            return int(match["year"]), Season.MARCH if month == 3 else Season.SEPTEMBER
    return None


def _date(value: str) -> dt.date | None:
    """2021-03-01 or 01/03/2021 (day first, as written in the UK)."""
    text = value.strip()
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _missing(rows: list[dict], required: tuple[str, ...]) -> list[str]:
    present = set(rows[0]) if rows else set()
    return [c for c in required if c not in present]


def _finish(preview: Preview, line: int, problems: list[str], row: dict) -> None:
    if problems:
        message = "; ".join(problems)
        preview.errors.append((line, message[0].upper() + message[1:] + "."))
    else:
        preview.rows.append(row)


def _email(value: str, what: str, problems: list[str]) -> str:
    email = value.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        problems.append(f"“{value}” is not an email address" if value else f"the {what} is missing")
    return email


def read_trainees(*, region: Region, rows: list[dict]) -> Preview:
    preview = Preview()
    if missing := _missing(rows, TRAINEE_COLUMNS):
        preview.errors.append((1, f"The first line must name the columns; missing: {', '.join(missing)}."))
        return preview
    emails = {r["email"].lower() for r in rows} | {r["programme_manager_email"].lower() for r in rows}
    people = {
        p.user.email.lower(): p for p in Person.objects.select_related("user").filter(user__email__in=emails)
    }
    on_scheme = set(
        Trainee.objects.filter(person__user__email__in=emails).values_list("person__user__email", flat=True)
    )
    intakes = {(i.year, i.season): i for i in Intake.objects.filter(region=region)}
    specialisms = {s.name.lower(): s for s in Specialism.objects.all()} | {
        s.slug: s for s in Specialism.objects.all()
    }
    seen: dict[str, int] = {}
    for r in rows:
        line, problems = r["_line"], []
        email = _email(r["email"], "email", problems)
        if email in seen:
            problems.append(f"{email} is also on line {seen[email]}")
        seen.setdefault(email, line)
        if email in on_scheme:
            problems.append(f"{email} is already on the scheme")
        person = people.get(email)
        if person is None and not (r["first_name"] and r["last_name"]):
            problems.append("a new person needs a first_name and a last_name")
        key = _intake(r["intake"])
        if key is None:
            problems.append(f"“{r['intake']}” is not an intake such as March 2021 or 2021-03")
        elif key not in intakes:
            problems.append(f"there is no {Season(key[1]).label} {key[0]} intake in {region}")
        specialism = specialisms.get(r["specialism"].strip().lower())
        if specialism is None:
            problems.append(f"“{r['specialism']}” is not a specialism")
        status = _choice(r["status"] or "active", TraineeStatus.choices)
        if status is None:
            problems.append(f"“{r['status']}” is not a status (active, on a break, completed, withdrawn)")
        manager = None
        if r["programme_manager_email"]:
            manager = people.get(r["programme_manager_email"].lower())
            if manager is None:
                problems.append(f"no one in the portal has the email {r['programme_manager_email']}")
        gender = _choice(r.get("gender", ""), Gender.choices) if r.get("gender") else ""
        if gender is None:
            problems.append(f"“{r['gender']}” is not a gender option")
        ethnic = (
            _choice(r.get("ethnic_category", ""), EthnicCategory.choices) if r.get("ethnic_category") else ""
        )
        if ethnic is None:
            problems.append(f"“{r['ethnic_category']}” is not an NHS ethnic category")
        reason = r.get("status_reason", "") or (
            "Recorded before the portal" if status in ("on_break", "withdrawn") else ""
        )
        _finish(
            preview,
            line,
            problems,
            {
                "line": line,
                "email": email,
                "first_name": r["first_name"],
                "last_name": r["last_name"],
                "person": person,
                "intake": intakes.get(key) if key else None,
                "specialism": specialism,
                "status": status,
                "status_reason": reason,
                "programme_manager": manager,
                "gender": gender or "",
                "ethnic_category": ethnic or "",
            },
        )
    if not rows:
        preview.errors.append((1, "The file has no rows."))
    return preview


def read_placements(*, region: Region, rows: list[dict]) -> Preview:
    preview = Preview()
    if missing := _missing(rows, PLACEMENT_COLUMNS):
        preview.errors.append((1, f"The first line must name the columns; missing: {', '.join(missing)}."))
        return preview
    emails = {r["trainee_email"].lower() for r in rows} | {r["placement_manager_email"].lower() for r in rows}
    trainees = {
        t.person.user.email.lower(): t
        for t in Trainee.objects.select_related("person__user", "specialism").filter(
            intake__region=region, person__user__email__in=emails
        )
    }
    people = {
        p.user.email.lower(): p for p in Person.objects.select_related("user").filter(user__email__in=emails)
    }
    hosts = {o.name.lower(): o for o in Organisation.objects.filter(region=region)}
    booked: dict[str, list[tuple[dt.date, dt.date, int]]] = {}
    for r in rows:
        line, problems = r["_line"], []
        email = _email(r["trainee_email"], "trainee_email", problems)
        trainee = trainees.get(email)
        if trainee is None and email:
            problems.append(f"no trainee of {region} has the email {email}")
        host = hosts.get(r["host_organisation"].strip().lower())
        if host is None:
            problems.append(f"no organisation called “{r['host_organisation']}” in {region}")
        kind = _choice(r["kind"], [(k, k) for k in PlacementKind.values] + list(PlacementKind.choices))
        if kind is None:
            problems.append(f"“{r['kind']}” is not a kind of placement (first, flexi, final, principal)")
        start, end = _date(r["start"]), _date(r["end"])
        if start is None or end is None:
            problems.append("start and end must be dates such as 2021-03-01")
        elif end <= start:
            problems.append("the end must be after the start")
        status = _choice(r["status"] or "proposed", PlacementStatus.choices)
        if status is None:
            problems.append(f"“{r['status']}” is not a placement status")
        manager = people.get(r["placement_manager_email"].lower()) if r["placement_manager_email"] else None
        if r["placement_manager_email"] and manager is None:
            problems.append(f"no one in the portal has the email {r['placement_manager_email']}")
        if start and end and end > start and status != PlacementStatus.WITHDRAWN:
            for other_start, other_end, other_line in booked.get(email, []):
                if start <= other_end and other_start <= end:
                    problems.append(f"the dates overlap the placement on line {other_line}")
            booked.setdefault(email, []).append((start, end, line))
        _finish(
            preview,
            line,
            problems,
            {
                "trainee": trainee,
                "host": host,
                "kind": kind,
                "starts_on": start,
                "ends_on": end,
                "status": status,
                "placement_manager": manager,
                "line": line,
            },
        )
    if not rows:
        preview.errors.append((1, "The file has no rows."))
    return preview
