"""Reading an enrolment CSV: every row checked, every problem named with its line, nothing written.
`services.enrolments_import_csv` commits a file only when this finds no problem at all."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from academy.models import Organisation, PayBand, Person, StaffGroup
from programmes.models import ACTIVE, Cohort, Enrolment

REQUIRED_COLUMNS = ("email",)
KNOWN_COLUMNS = ("email", "first_name", "last_name", "job_title", "organisation", "staff_group", "pay_band")
MAX_ROWS = 5000


@dataclass
class ImportRow:
    line: int
    email: str
    first_name: str = ""
    last_name: str = ""
    job_title: str = ""
    organisation: Organisation | None = None
    staff_group: str = ""
    pay_band: str = ""
    person: Person | None = None

    @property
    def is_new(self) -> bool:
        return self.person is None


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def new_people(self) -> int:
        return sum(1 for r in self.rows if r.is_new)


def _choice(value: str, choices) -> str | None:
    """Accept either the stored value or its label, case-insensitively."""
    wanted = value.strip().lower()
    for stored, label in choices:
        if wanted in (str(stored).lower(), str(label).lower()):
            return stored
    return None


def read(*, cohort: Cohort, text: str) -> ImportPreview:
    preview = ImportPreview()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        preview.errors.append((1, f"The first line must name the columns; missing: {', '.join(missing)}."))
        return preview
    reader.fieldnames = headers
    raw_rows = []
    for index, raw in enumerate(reader, start=2):
        if index - 1 > MAX_ROWS:
            preview.errors.append((index, f"A file may hold at most {MAX_ROWS} people."))
            break
        cleaned = {k: (v or "").strip() for k, v in raw.items() if k in KNOWN_COLUMNS}
        if not any(cleaned.values()):
            continue
        raw_rows.append((index, cleaned))

    emails = [r["email"].lower() for _, r in raw_rows if r.get("email")]
    people = {
        p.user.email.lower(): p for p in Person.objects.select_related("user").filter(user__email__in=emails)
    }
    on_cohort = set(
        Enrolment.objects.filter(
            cohort=cohort, status__in=ACTIVE, person__user__email__in=emails
        ).values_list("person__user__email", flat=True)
    )
    organisations = {o.name.lower(): o for o in Organisation.objects.filter(region=cohort.region_id)}
    seen: dict[str, int] = {}

    for line, r in raw_rows:
        email = r.get("email", "").lower()
        problems = []
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                f"“{r.get('email', '')}” is not an email address" if email else "the email is missing"
            )
        if email in seen:
            problems.append(f"{email} is also on line {seen[email]}")
        seen.setdefault(email, line)
        if email in on_cohort:
            problems.append(f"{email} is already on this cohort")
        row = ImportRow(line=line, email=email, person=people.get(email))
        row.first_name, row.last_name, row.job_title = (
            r.get("first_name", ""),
            r.get("last_name", ""),
            r.get("job_title", ""),
        )
        if row.is_new and not (row.first_name and row.last_name):
            problems.append("a new person needs a first_name and a last_name")
        if r.get("organisation"):
            row.organisation = organisations.get(r["organisation"].lower())
            if row.organisation is None:
                problems.append(f"no organisation called “{r['organisation']}” in {cohort.region}")
        if r.get("staff_group"):
            row.staff_group = _choice(r["staff_group"], StaffGroup.choices) or ""
            if not row.staff_group:
                problems.append(f"“{r['staff_group']}” is not an ESR staff group")
        if r.get("pay_band"):
            row.pay_band = _choice(r["pay_band"], PayBand.choices) or ""
            if not row.pay_band:
                problems.append(f"“{r['pay_band']}” is not a pay band")
        if problems:
            message = "; ".join(problems)
            preview.errors.append((line, message[0].upper() + message[1:] + "."))
        else:
            preview.rows.append(row)

    if not raw_rows and not preview.errors:
        preview.errors.append((1, "The file has no people in it."))
    places_left = cohort.capacity - cohort.places_taken
    if not preview.errors and len(preview.rows) > places_left:
        preview.errors.append(
            (
                0,
                f"The file has {len(preview.rows)} people but only {places_left} places are left on this cohort.",
            )
        )
    return preview
