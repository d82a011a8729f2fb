"""History imports: a past year from the academy's spreadsheets, so its Year in Review can be produced.

Four files, each declared as an import (`programmes.imports.HISTORY_*`: columns, aliases, limits, the
template to download), read by the portal's machinery (CSV in any of Excel's encodings, or .xlsx):

* programmes: `code, title, theme, delivery mode[, summary]` (a code already known is kept as it is);
* cohorts, one line per session: `cohort, programme, session date[, system, start time, end time,
  session title, venue, capacity]` (the system by ODS code or name);
* people: `email, first name, last name[, organisation, staff group, pay band, gender, ethnicity,
  disability]` (the organisation by ODS code or name; someone already known keeps their profile);
* register, one line per person per session: `cohort, email, session date, attendance[, outcome]`.

`history_import(files=...)` takes them together (the `import_history` command): every bad line of
every file is named before anything is written. The staff page takes one file at a time, in that
order (`history_check`, `history_commit`), each checked against what is already on Academy.

Re-importing is safe: records are matched by their natural keys (a programme by code, a cohort by
name in its region, a session by its cohort and date, a person by email, an enrolment by cohort and
person, a mark by session and enrolment), and only what is missing is added. The writes are
set-based: each table gets one statement per 10,000 rows (`academy.bulk`), the register is read as
a stream into compact arrays (a year's million marks are never a million Python objects), and one
audit entry records the import with its counts. bench/history.py measures a year."""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from academy import audit
from academy.bulk import array_literal, insert_columns, repeat
from academy.imports import ImportRow, Preview
from academy.imports.people import people_insert
from academy.models import ImportRun, Region
from programmes import imports
from programmes.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Programme,
    Session,
)

LONDON = ZoneInfo("Europe/London")
FILES = ("programmes", "cohorts", "people", "register")
SPECS = {
    "programmes": imports.HISTORY_PROGRAMMES,
    "cohorts": imports.HISTORY_COHORTS,
    "people": imports.HISTORY_PEOPLE,
    "register": imports.HISTORY_REGISTER,
}
DEFAULT_START, DEFAULT_END = dt.time(9, 30), dt.time(12, 30)
STATUSES = tuple(AttendanceStatus.values)
OUTCOMES = tuple(o.value for o in imports.OUTCOMES)
STATUS_INDEX = {status: index for index, status in enumerate(STATUSES)}
OUTCOME_INDEX = {outcome: index for index, outcome in enumerate(OUTCOMES)}
MARK_BATCH = 50_000
PREVIEW_ROWS = 200  # the rows a streamed file keeps for the page to show


class HistoryRefused(ValidationError):
    """The files were not imported; `problems` names each bad line as "file line N: reason"."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            [f"{len(problems)} problem{'s' if len(problems) != 1 else ''}: nothing was imported."]
            + problems[:500]
        )

    def __str__(self) -> str:
        return self.messages[0]


@dataclass
class HistoryReport:
    programmes: int = 0
    cohorts: int = 0
    sessions: int = 0
    people: int = 0
    enrolments: int = 0
    marks: int = 0

    def summary(self) -> str:
        return (
            f"{self.programmes} programmes, {self.cohorts} cohorts with {self.sessions} sessions, "
            f"{self.people} new people, {self.enrolments} enrolments and {self.marks} attendance marks imported."
        )


@dataclass
class _Marks:
    """The register, compactly: each line's cohort and email as indexes into the names seen, its
    session's date as an ordinal, its attendance and outcome as indexes."""

    cohorts: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    cohort_index: dict[str, int] = field(default_factory=dict)
    email_index: dict[str, int] = field(default_factory=dict)
    line: array = field(default_factory=lambda: array("l"))
    cohort: array = field(default_factory=lambda: array("l"))
    email: array = field(default_factory=lambda: array("l"))
    day: array = field(default_factory=lambda: array("l"))
    status: array = field(default_factory=lambda: array("b"))
    outcome: array = field(default_factory=lambda: array("b"))

    def add(self, row: ImportRow) -> None:
        values = row.values
        self.line.append(row.line)
        self.cohort.append(_index(self.cohort_index, self.cohorts, values["cohort"]))
        self.email.append(_index(self.email_index, self.emails, values["email"]))
        self.day.append(values["session_date"].toordinal())
        self.status.append(STATUS_INDEX[values["attendance"]])
        self.outcome.append(OUTCOME_INDEX[values["outcome"]])

    def __len__(self) -> int:
        return len(self.line)


def _index(index: dict[str, int], names: list[str], name: str) -> int:
    found = index.get(name)
    if found is None:
        found = index[name] = len(names)
        names.append(name)
    return found


@dataclass
class _Plan:
    """What the files hold, checked."""

    region: Region
    programmes: dict[str, dict] = field(default_factory=dict)
    cohorts: dict[str, dict] = field(default_factory=dict)
    people: dict[str, dict] = field(default_factory=dict)
    marks: _Marks | None = None
    problems: list[str] = field(default_factory=list)

    def take(self, name: str, preview: Preview) -> None:
        for line, message in preview.errors:
            self.problems.append(f"{name} line {line}: {message}" if line else f"{name}: {message}")


# --- reading -----------------------------------------------------------------------------------------


def _read_programmes(plan: _Plan, content: bytes, filename: str) -> Preview:
    preview = imports.HISTORY_PROGRAMMES.read(content, filename=filename)
    for row in preview.rows:
        plan.programmes[row["code"]] = row.values
    return preview


def _read_cohorts(plan: _Plan, content: bytes, filename: str) -> Preview:
    """One line per session, streamed (a year has 120,000): each is kept as its cohort's session."""
    spec = imports.HISTORY_COHORTS.with_parsers(system=imports.history_system_parser(plan.region))
    known = _programme_ids(plan.region, set())
    existing = dict(Cohort.objects.filter(region=plan.region).values_list("name", "programme__code"))

    def each(row: ImportRow) -> None:
        code, name = row["programme"], row["cohort"]
        if code not in plan.programmes and code not in known:
            row.refuse(f"programme {code} is in no file and not on Academy")
            return
        starts = row["start_time"] or DEFAULT_START
        ends = row["end_time"] or DEFAULT_END
        if ends <= starts:
            row.refuse("end_time must be after start_time")
            return
        cohort = plan.cohorts.setdefault(
            name, {"programme": code, "system": row["system"], "capacity": row["capacity"], "sessions": {}}
        )
        if code != cohort["programme"] or existing.get(name, code) != code:
            row.refuse(f"{name} is also a cohort of {existing.get(name) or cohort['programme']}")
            return
        day = row["session_date"]
        cohort["sessions"].setdefault(
            day,
            (
                dt.datetime.combine(day, starts, tzinfo=LONDON),
                dt.datetime.combine(day, ends, tzinfo=LONDON),
                row["session_title"],
                row["venue"],
            ),
        )

    return spec.scan(content, filename=filename, each=each, keep=PREVIEW_ROWS)


def _read_people(plan: _Plan, content: bytes, filename: str) -> Preview:
    spec = imports.HISTORY_PEOPLE.with_parsers(organisation=imports.history_organisation_parser(plan.region))
    preview = spec.read(content, filename=filename)
    for row in preview.rows:
        plan.people[row["email"]] = row.values
    return preview


def _read_register(plan: _Plan, content: bytes, filename: str) -> Preview:
    marks = plan.marks = _Marks()
    spec = imports.HISTORY_REGISTER

    def check(preview: Preview) -> None:
        on_file = {name: {day.toordinal() for day in c["sessions"]} for name, c in plan.cohorts.items()}
        on_academy = _session_days(plan.region, [n for n in marks.cohorts if n not in on_file])
        known = set(plan.people) | _emails_on_academy([e for e in marks.emails if e not in plan.people])
        days = [on_file.get(name, on_academy.get(name)) for name in marks.cohorts]
        people = [email in known for email in marks.emails]
        for i in range(len(marks)):
            cohort_days = days[marks.cohort[i]]
            if cohort_days is None:
                problem = (
                    f"The cohort “{marks.cohorts[marks.cohort[i]]}” is not in the cohorts file nor on Academy"
                )
            elif marks.day[i] not in cohort_days:
                problem = (
                    f"The cohort {marks.cohorts[marks.cohort[i]]} has no session on "
                    f"{dt.date.fromordinal(marks.day[i]):%d/%m/%Y}"
                )
            elif not people[marks.email[i]]:
                problem = (
                    f"The person {marks.emails[marks.email[i]]} is not in the people file nor on Academy"
                )
            else:
                continue
            preview.errors.append((marks.line[i], problem + "."))
            preview.scanned -= 1

    return spec.scan(content, filename=filename, each=marks.add, check=check, keep=PREVIEW_ROWS)


def _session_days(region: Region, names: list[str]) -> dict[str, set[int]]:
    """The session dates (as ordinals) of the region's cohorts with these names."""
    if not names:
        return {}
    days: dict[str, set[int]] = {
        name: set()
        for name in Cohort.objects.filter(region=region, name__in=names).values_list("name", flat=True)
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT c.name, (s.starts_at AT TIME ZONE %s)::date FROM "{Session._meta.db_table}" s '  # noqa: S608 - table names from the models
            f'JOIN "{Cohort._meta.db_table}" c ON c.id = s.cohort_id WHERE c.region_id = %s AND c.name = ANY(%s::text[])',
            ["Europe/London", region.pk, array_literal(names)],
        )
        for name, day in cursor.fetchall():
            days.setdefault(name, set()).add(day.toordinal())
    return days


def _emails_on_academy(emails: list[str]) -> set[str]:
    return set(imports.people_by_email(emails)) if emails else set()


READERS: dict[str, Callable[[_Plan, bytes, str], Preview]] = {
    "programmes": _read_programmes,
    "cohorts": _read_cohorts,
    "people": _read_people,
    "register": _read_register,
}


# --- the imports -------------------------------------------------------------------------------------


def history_import(*, region: Region, files: Mapping[str, bytes], actor=None) -> HistoryReport:
    """Import a past year (see the module's docstring): all of it, or nothing with every problem named."""
    missing = [name for name in ("cohorts", "register") if name not in files]
    if missing:
        raise HistoryRefused([f"The {name} file is needed." for name in missing])
    plan = _Plan(region=region)
    for name in FILES:
        if name in files:
            plan.take(name, READERS[name](plan, files[name], f"{name}.csv"))
    if plan.problems:
        raise HistoryRefused(plan.problems)
    return _write(plan, actor, files=sorted(files))


def history_check(*, kind: str, region: Region, content: bytes, filename: str = "") -> Preview:
    """One file of the history (the staff page's preview), checked against what Academy holds."""
    return READERS[kind](_Plan(region=region), content, filename)


def history_commit(*, run: ImportRun, progress: Callable[[int, str], None]) -> str:
    """Write one uploaded file of the history (kept by `academy.imports.pages`; large ones by its task)."""
    kind = run.kind.removeprefix("history-")
    region = Region.objects.get(pk=run.target_id)
    progress(5, "Checking the file again")
    plan = _Plan(region=region)
    plan.take(kind, READERS[kind](plan, bytes(run.content), run.filename))
    if plan.problems:
        raise HistoryRefused(plan.problems)
    progress(40, "Writing")
    return _write(plan, run.created_by, files=[kind]).summary()


@transaction.atomic
def _write(plan: _Plan, actor, *, files: list[str]) -> HistoryReport:
    report = HistoryReport()
    now = timezone.now()
    _write_programmes(plan, report)
    cohort_ids = _write_cohorts(plan, report, now)
    people = _write_people(plan, report, now)
    # The register needs only their ids now: the files' cohorts with their sessions and the people's
    # rows (a year's are about 100 MB of Python objects) are let go before its marks are matched.
    plan.cohorts.clear()
    plan.people.clear()
    if plan.marks is not None:
        _write_register(plan, cohort_ids, people, report, now)
    audit.record(actor, "history.import", data={**asdict(report), "files": files}, region=plan.region)
    return report


def _programme_ids(region: Region, codes: set[str]) -> dict[str, int]:
    """Programme ids by code: the region's, and these codes wherever they are."""
    found = Programme.objects.filter(region=region) | Programme.objects.filter(code__in=codes)
    return dict(found.values_list("code", "pk"))


def _write_programmes(plan: _Plan, report: HistoryReport) -> None:
    if not plan.programmes:
        return
    known = set(Programme.objects.filter(code__in=list(plan.programmes)).values_list("code", flat=True))
    new = [
        Programme(
            region=plan.region,
            code=code,
            title=p["title"],
            slug=slugify(f"{code}-{p['title']}")[:200],
            summary=p["summary"] or p["title"],
            theme=p["theme"],
            delivery_mode=p["delivery_mode"],
            is_published=False,
        )
        for code, p in plan.programmes.items()
        if code not in known
    ]
    Programme.objects.bulk_create(new)
    report.programmes = len(new)


def _write_cohorts(plan: _Plan, report: HistoryReport, now) -> dict[str, int]:
    """The region's cohorts by name (those of the files added), with the files' new sessions."""
    region = plan.region
    existing = dict(
        Cohort.objects.filter(region=region, name__in=list(plan.cohorts)).values_list("name", "pk")
    )
    programmes = _programme_ids(region, {c["programme"] for c in plan.cohorts.values()})
    new = [(name, c) for name, c in plan.cohorts.items() if name not in existing]
    count = len(new)
    existing |= dict(
        insert_columns(
            Cohort,
            {
                "programme": [programmes[c["programme"]] for _, c in new],
                "name": [name for name, _ in new],
                "region": repeat(region.pk, count),
                "system": [c["system"].pk if c["system"] else None for _, c in new],
                "capacity": [c["capacity"] or 0 for _, c in new],
                "status": repeat(CohortStatus.COMPLETED, count),
                "facilitators": repeat("", count),
                "places_taken": repeat(0, count),
                "starts_on": [min(c["sessions"]) for _, c in new],
                "ends_on": [max(c["sessions"]) for _, c in new],
                "created_at": repeat(now, count),
                "updated_at": repeat(now, count),
            },
            returning=("name", "id"),
        )
    )
    report.cohorts = count
    added = {name for name, _ in new}
    known_days = _session_days(region, [name for name in plan.cohorts if name not in added])
    sessions = []
    for name, cohort in plan.cohorts.items():
        had = known_days.get(name, set())
        for sequence, (day, (starts_at, ends_at, title, venue)) in enumerate(
            sorted(cohort["sessions"].items()), start=1
        ):
            if day.toordinal() not in had:
                sessions.append((existing[name], title or f"Session {sequence}", starts_at, ends_at, venue))
    count = len(sessions)
    insert_columns(
        Session,
        {
            "cohort": [s[0] for s in sessions],
            "title": [s[1] for s in sessions],
            "starts_at": [s[2] for s in sessions],
            "ends_at": [s[3] for s in sessions],
            "venue": [s[4] for s in sessions],
            "joining_url": repeat("", count),
            "recording_url": repeat("", count),
            "sequence": repeat(0, count),
            "is_cancelled": repeat(False, count),
            "created_at": repeat(now, count),
            "updated_at": repeat(now, count),
        },
    )
    report.sessions = count
    return existing


def _write_people(plan: _Plan, report: HistoryReport, now) -> dict[str, int]:
    """Person ids by email: those of the files, created if new (an account that cannot sign in until
    the person is invited), and those the register names that were already on Academy."""
    wanted = list(plan.people)
    if plan.marks is not None:
        wanted += [e for e in plan.marks.emails if e not in plan.people]
    found = {email: known.pk for email, known in imports.people_by_email(wanted).items()}
    new = [p for email, p in plan.people.items() if email not in found]
    found |= people_insert(new, region_id=plan.region.pk, now=now, can_sign_in=False)
    report.people = len(new)
    return found


def _write_register(plan: _Plan, cohort_ids: dict[str, int], people: dict[str, int], report, now) -> None:
    marks = plan.marks
    elsewhere = [name for name in marks.cohorts if name not in cohort_ids]  # already on Academy
    if elsewhere:
        cohort_ids = cohort_ids | dict(
            Cohort.objects.filter(region=plan.region, name__in=elsewhere).values_list("name", "pk")
        )
    cohort_of = [cohort_ids[name] for name in marks.cohorts]
    person_of = [people[email] for email in marks.emails]
    involved = sorted(set(cohort_of))
    sessions: dict[tuple[int, int], tuple[int, dt.datetime]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT id, cohort_id, starts_at, ends_at FROM "{Session._meta.db_table}" WHERE cohort_id = ANY(%s::bigint[])',  # noqa: S608 - table name from the model
            [array_literal(involved)],
        )
        for pk, cohort_id, starts_at, ends_at in cursor:  # a row at a time, not a list of them all
            sessions.setdefault((cohort_id, starts_at.astimezone(LONDON).date().toordinal()), (pk, ends_at))

    # An enrolment per cohort and person; the outcome on the person's last line of the cohort.
    outcome: dict[tuple[int, int], int] = {}
    for i in range(len(marks)):
        outcome[(cohort_of[marks.cohort[i]], person_of[marks.email[i]])] = marks.outcome[i]
    pairs = list(outcome.items())
    count = len(pairs)
    report.enrolments = len(
        insert_columns(
            Enrolment,
            {
                "cohort": [cohort for (cohort, _), _ in pairs],
                "person": [person for (_, person), _ in pairs],
                "status": [OUTCOMES[o] for _, o in pairs],
                "waitlist_position": repeat(None, count),
                "offer_expires_at": repeat(None, count),
                "created_at": repeat(now, count),
                "updated_at": repeat(now, count),
            },
            skip_existing=True,
        )
    )
    del outcome, pairs
    enrolment_of: dict[tuple[int, int], int] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT cohort_id, person_id, id FROM "{Enrolment._meta.db_table}" WHERE cohort_id = ANY(%s::bigint[])',  # noqa: S608 - table name from the model
            [array_literal(involved)],
        )
        for cohort_id, person_id, pk in cursor:
            enrolment_of[(cohort_id, person_id)] = pk

    added = 0
    for start in range(0, len(marks), MARK_BATCH):
        batch = range(start, min(start + MARK_BATCH, len(marks)))
        found = [sessions[(cohort_of[marks.cohort[i]], marks.day[i])] for i in batch]
        added += len(
            insert_columns(
                Attendance,
                {
                    "session": [session for session, _ in found],
                    "enrolment": [
                        enrolment_of[(cohort_of[marks.cohort[i]], person_of[marks.email[i]])] for i in batch
                    ],
                    "status": [STATUSES[marks.status[i]] for i in batch],
                    "marked_at": [ends_at for _, ends_at in found],
                },
                skip_existing=True,
            )
        )
    report.marks = added
    _recount(involved)


def _recount(cohort_ids: list[int]) -> None:
    """The cohorts' places taken (enrolled or completed), their capacity at least the people on their
    register, and their first and last days from their sessions: one statement each."""
    cohort, enrolment, session = Cohort._meta.db_table, Enrolment._meta.db_table, Session._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{cohort}" c SET places_taken = e.taken, capacity = GREATEST(c.capacity, e.everyone) '  # noqa: S608 - table names from the models
            f"FROM (SELECT cohort_id, count(*) FILTER (WHERE status IN (%s, %s)) AS taken, count(*) AS everyone "
            f'FROM "{enrolment}" WHERE cohort_id = ANY(%s::bigint[]) GROUP BY cohort_id) e WHERE c.id = e.cohort_id',
            [EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, array_literal(cohort_ids)],
        )
        cursor.execute(
            f'UPDATE "{cohort}" c SET starts_on = s.first, ends_on = s.last '  # noqa: S608 - table names from the models
            f"FROM (SELECT cohort_id, min((starts_at AT TIME ZONE %s)::date) AS first, "
            f'max((starts_at AT TIME ZONE %s)::date) AS last FROM "{session}" WHERE cohort_id = ANY(%s::bigint[]) '
            f"GROUP BY cohort_id) s WHERE c.id = s.cohort_id",
            ["Europe/London", "Europe/London", array_literal(cohort_ids)],
        )
