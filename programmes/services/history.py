"""History imports: a past year from the academy's spreadsheets, so its Year in Review can be produced.

Four CSV files, each with a header line (columns in any order and case):

* programmes: `code, title, theme, delivery mode[, summary]` (a code already known is kept as it is);
* cohorts, one line per session: `cohort, programme, session date[, system, start time, end time,
  session title, venue, capacity]` (the system by ODS code or name; UK dates, 31/03/2021 or 2021-03-31);
* people: `email, first name, last name[, organisation, staff group, pay band, gender, ethnic category,
  disability]` (the organisation by ODS code or name; the equality columns are optional; someone
  already known keeps their profile);
* register, one line per person per session: `cohort, email, session date, attendance[, outcome]`
  (attendance: attended, absent or apologies, as people write them: "Present", "DNA", "Apols"; outcome:
  completed (the default), enrolled or withdrawn).

Every file is read whole and every bad line named (file, line, reason) before anything is written; then
everything is written in one transaction in a few bulk statements, with one audit entry. The row
readers (`_programme`, `_cohort_session`, `_person`, `_mark`) take a row of cells by column name, so
they become the parsers of `academy.imports` specs unchanged when those reach this app."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from academy import audit
from academy.models import (
    Disability,
    EthnicCategory,
    Gender,
    Organisation,
    PayBand,
    Person,
    Region,
    StaffGroup,
    System,
    User,
)
from programmes.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortStatus,
    DeliveryMode,
    Enrolment,
    EnrolmentStatus,
    Programme,
    Session,
    Theme,
)

LONDON = ZoneInfo("Europe/London")
FILES = ("programmes", "cohorts", "people", "register")


class HistoryRefused(ValueError):
    """The files were not imported; `problems` names each bad line as "file line N: reason"."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}: nothing was imported.")
        self.problems = problems


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


class RowError(ValueError):
    pass


# --- reading cells ------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def read_rows(content: bytes) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV with a header line, by header key ("Session date" -> "sessiondate")."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    reader = csv.reader(io.StringIO(text))
    header = [_key(cell) for cell in next(reader, [])]
    return [
        (line, {header[i]: cell.strip() for i, cell in enumerate(cells) if i < len(header)})
        for line, cells in enumerate(reader, start=2)
        if any(cell.strip() for cell in cells)
    ]


def _required(row: Mapping[str, str], name: str) -> str:
    value = row.get(_key(name), "")
    if not value:
        raise RowError(f"{name} is empty")
    return value


def uk_date(value: str, name: str) -> dt.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise RowError(f"{name} {value!r} is not a date like 31/03/2021")


def _time(value: str, default: dt.time, name: str) -> dt.time:
    if not value:
        return default
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise RowError(f"{name} {value!r} is not a time like 09:30")
    return dt.time(int(match[1]), int(match[2]))


def choice_reader(choices, aliases: Mapping[str, str] | None = None) -> Callable[[str, str], str]:
    """The value of a choice from its code, its label or a word people use for it, in any case."""
    words = {_key(value): value for value in choices.values}
    words |= {_key(label): value for value, label in choices.choices}
    words |= {_key(word): value for word, value in (aliases or {}).items()}

    def read(text: str, name: str) -> str:
        if not text:
            return ""
        try:
            return words[_key(text)]
        except KeyError:
            raise RowError(f"{name} {text!r} is not one of: {', '.join(choices.labels)}") from None

    return read


ATTENDANCE = choice_reader(
    AttendanceStatus,
    {"present": "attended", "yes": "attended", "y": "attended", "dna": "absent", "no": "absent", "n": "absent",
     "did not attend": "absent", "apols": "apologies", "apology": "apologies", "sent apologies": "apologies"},
)  # fmt: skip
OUTCOME = choice_reader(EnrolmentStatus)
THEME = choice_reader(Theme)
MODE = choice_reader(
    DeliveryMode, {"online": "virtual", "in person": "face_to_face", "face-to-face": "face_to_face"}
)
STAFF_GROUP = choice_reader(StaffGroup, {"Nursing and Midwifery": "nursing", "Admin and Clerical": "admin"})
PAY_BAND = choice_reader(PayBand, {f"band{b.value}": b.value for b in PayBand})
GENDER = choice_reader(Gender, {"f": "female", "m": "male", "woman": "female", "man": "male"})
ETHNICITY = choice_reader(EthnicCategory)
DISABILITY = choice_reader(Disability, {"y": "yes", "n": "no"})
OUTCOMES = (EnrolmentStatus.COMPLETED, EnrolmentStatus.ENROLLED, EnrolmentStatus.WITHDRAWN)


# --- the row readers ----------------------------------------------------------------------------------


def _programme(row: Mapping[str, str]) -> dict:
    return {
        "code": _required(row, "code").upper(),
        "title": _required(row, "title"),
        "theme": THEME(_required(row, "theme"), "theme"),
        "delivery_mode": MODE(_required(row, "delivery mode"), "delivery mode"),
        "summary": row.get("summary", ""),
    }


def _cohort_session(row: Mapping[str, str], systems: Mapping[str, System]) -> dict:
    on = uk_date(_required(row, "session date"), "session date")
    starts = _time(row.get("starttime", ""), dt.time(9, 30), "start time")
    ends = _time(row.get("endtime", ""), dt.time(12, 30), "end time")
    if ends <= starts:
        raise RowError("end time must be after start time")
    system = None
    if row.get("system"):
        system = systems.get(row["system"].upper()) or systems.get(row["system"].lower())
        if system is None:
            raise RowError(f"system {row['system']!r} is not a system of the region (name or ODS code)")
    capacity = row.get("capacity", "")
    if capacity and not capacity.isdigit():
        raise RowError(f"capacity {capacity!r} is not a whole number")
    return {
        "cohort": _required(row, "cohort"),
        "programme": _required(row, "programme").upper(),
        "system": system,
        "capacity": int(capacity) if capacity else None,
        "starts_at": dt.datetime.combine(on, starts, tzinfo=LONDON),
        "ends_at": dt.datetime.combine(on, ends, tzinfo=LONDON),
        "title": row.get("sessiontitle", ""),
        "venue": row.get("venue", ""),
    }


def _person(row: Mapping[str, str], organisations: Mapping[str, Organisation]) -> dict:
    email = _required(row, "email").lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise RowError(f"email {email!r} is not an email address")
    organisation = None
    if row.get("organisation"):
        organisation = organisations.get(row["organisation"].upper()) or organisations.get(
            row["organisation"].lower()
        )
        if organisation is None:
            raise RowError(f"organisation {row['organisation']!r} is not known (name or ODS code)")
    return {
        "email": email,
        "given_name": _required(row, "first name"),
        "family_name": _required(row, "last name"),
        "organisation": organisation,
        "staff_group": STAFF_GROUP(row.get("staffgroup", ""), "staff group"),
        "pay_band": PAY_BAND(row.get("payband", ""), "pay band"),
        "gender": GENDER(row.get("gender", ""), "gender"),
        "ethnic_category": ETHNICITY(row.get("ethniccategory", ""), "ethnic category"),
        "disability": DISABILITY(row.get("disability", ""), "disability"),
    }


def _mark(row: Mapping[str, str]) -> dict:
    outcome = OUTCOME(row.get("outcome", ""), "outcome") or EnrolmentStatus.COMPLETED
    if outcome not in OUTCOMES:
        raise RowError("outcome must be completed, enrolled or withdrawn")
    return {
        "cohort": _required(row, "cohort"),
        "email": _required(row, "email").lower(),
        "on": uk_date(_required(row, "session date"), "session date"),
        "status": ATTENDANCE(_required(row, "attendance"), "attendance"),
        "outcome": outcome,
    }


# --- the import ---------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    problems: list[str] = field(default_factory=list)
    programmes: dict[str, dict] = field(default_factory=dict)
    cohorts: dict[str, dict] = field(default_factory=dict)
    people: dict[str, dict] = field(default_factory=dict)
    marks: list[dict] = field(default_factory=list)


def _each(parsed: _Parsed, name: str, content: bytes, reader: Callable[[Mapping[str, str]], dict]):
    for line, row in read_rows(content):
        try:
            yield line, reader(row)
        except RowError as problem:
            parsed.problems.append(f"{name} line {line}: {problem}.")


def _lookups(region: Region) -> tuple[dict, dict]:
    systems: dict[str, System] = {}
    for system in System.objects.filter(sub_region__region=region):
        systems |= {system.name.lower(): system, system.slug: system}
        if system.ods_code:
            systems[system.ods_code] = system
    organisations: dict[str, Organisation] = {}
    for organisation in Organisation.objects.filter(Q(region=region) | ~Q(ods_code="")):
        organisations.setdefault(organisation.name.lower(), organisation)
        if organisation.ods_code:
            organisations[organisation.ods_code] = organisation
    return systems, organisations


def _parse(region: Region, files: Mapping[str, bytes]) -> _Parsed:
    parsed = _Parsed()
    systems, organisations = _lookups(region)
    known_programmes = set(Programme.objects.filter(region=region).values_list("code", flat=True))
    for _line, programme in _each(parsed, "programmes", files.get("programmes", b""), _programme):
        parsed.programmes[programme["code"]] = programme
    for line, session in _each(parsed, "cohorts", files["cohorts"], lambda r: _cohort_session(r, systems)):
        if session["programme"] not in parsed.programmes and session["programme"] not in known_programmes:
            parsed.problems.append(f"cohorts line {line}: programme {session['programme']} is in no file.")
            continue
        cohort = parsed.cohorts.setdefault(session["cohort"], {**session, "sessions": {}})
        if session["programme"] != cohort["programme"]:
            parsed.problems.append(
                f"cohorts line {line}: {session['cohort']} is also of {cohort['programme']}."
            )
        cohort["sessions"].setdefault(session["starts_at"].date(), session)
    for _line, person in _each(
        parsed, "people", files.get("people", b""), lambda r: _person(r, organisations)
    ):
        parsed.people[person["email"]] = person
    known_people = set(User.objects.filter(email__in=_emails(files)).values_list("email", flat=True))
    for line, mark in _each(parsed, "register", files["register"], _mark):
        cohort = parsed.cohorts.get(mark["cohort"])
        if cohort is None:
            parsed.problems.append(
                f"register line {line}: cohort {mark['cohort']!r} is not in the cohorts file."
            )
        elif mark["on"] not in cohort["sessions"]:
            parsed.problems.append(
                f"register line {line}: {mark['cohort']} has no session on {mark['on']:%d/%m/%Y}."
            )
        elif mark["email"] not in parsed.people and mark["email"] not in known_people:
            parsed.problems.append(f"register line {line}: {mark['email']} is not in the people file.")
        else:
            parsed.marks.append(mark)
    return parsed


def _emails(files: Mapping[str, bytes]) -> set[str]:
    return {row.get("email", "").lower() for _line, row in read_rows(files["register"])}


@transaction.atomic
def history_import(*, region: Region, files: Mapping[str, bytes], actor=None) -> HistoryReport:
    """Import a past year (see the module's docstring): all of it, or nothing with every problem named."""
    missing = [name for name in ("cohorts", "register") if name not in files]
    if missing:
        raise HistoryRefused([f"The {name} file is needed." for name in missing])
    parsed = _parse(region, files)
    if parsed.problems:
        raise HistoryRefused(parsed.problems)
    report = HistoryReport()
    programmes = _write_programmes(region, parsed, report)
    sessions = _write_cohorts(region, parsed, programmes, report)
    people = _write_people(region, parsed, report)
    _write_register(parsed, sessions, people, report)
    audit.record(actor, "history.import", data=report.__dict__, region=region)
    return report


def _write_programmes(region: Region, parsed: _Parsed, report: HistoryReport) -> dict[str, Programme]:
    known = {p.code: p for p in Programme.objects.filter(code__in=parsed.programmes)}
    new = [
        Programme(
            region=region,
            slug=slugify(f"{p['code']}-{p['title']}")[:200],
            summary=p["summary"] or p["title"],
            is_published=False,
            **{k: v for k, v in p.items() if k != "summary"},
        )
        for code, p in parsed.programmes.items()
        if code not in known
    ]
    Programme.objects.bulk_create(new)
    report.programmes = len(new)
    return known | {p.code: p for p in new} | {p.code: p for p in Programme.objects.filter(region=region)}


def _write_cohorts(region, parsed, programmes, report) -> dict[tuple[str, dt.date], Session]:
    places: dict[str, set[str]] = {}
    for mark in parsed.marks:
        places.setdefault(mark["cohort"], set()).add(mark["email"])
    cohorts = Cohort.objects.bulk_create(
        [
            Cohort(
                programme=programmes[c["programme"]],
                name=name,
                region=region,
                system=c["system"],
                capacity=c["capacity"] or len(places.get(name, ())),
                status=CohortStatus.COMPLETED,
                starts_on=min(c["sessions"]),
                ends_on=max(c["sessions"]),
            )
            for name, c in parsed.cohorts.items()
        ],
        batch_size=5000,
    )
    sessions = []
    for cohort in cohorts:
        for sequence, (_on, s) in enumerate(sorted(parsed.cohorts[cohort.name]["sessions"].items()), start=1):
            title = s["title"] or f"Session {sequence}"
            sessions.append(
                Session(cohort=cohort, title=title, starts_at=s["starts_at"], ends_at=s["ends_at"],
                        venue=s["venue"], sequence=sequence)
            )  # fmt: skip
    Session.objects.bulk_create(sessions, batch_size=5000)
    report.cohorts, report.sessions = len(cohorts), len(sessions)
    return {(s.cohort.name, s.starts_at.astimezone(LONDON).date()): s for s in sessions}


def _write_people(region: Region, parsed: _Parsed, report: HistoryReport) -> dict[str, Person]:
    known = {
        p.user.email: p
        for p in Person.objects.filter(user__email__in=_register_emails(parsed)).select_related("user")
    }
    unusable = make_password(None)
    new = [p for email, p in parsed.people.items() if email not in known]
    users = User.objects.bulk_create(
        [User(email=p["email"], password=unusable, is_active=False, first_name=p["given_name"],
              last_name=p["family_name"]) for p in new],
        batch_size=5000,
    )  # fmt: skip
    people = Person.objects.bulk_create(
        [
            Person(user=user, region=(p["organisation"].region if p["organisation"] else region),
                   **{k: v for k, v in p.items() if k != "email"})
            for user, p in zip(users, new, strict=True)
        ],
        batch_size=5000,
    )  # fmt: skip
    report.people = len(people)
    return known | {p.user.email: p for p in people}


def _register_emails(parsed: _Parsed) -> set[str]:
    return {m["email"] for m in parsed.marks}


def _write_register(parsed, sessions, people, report) -> None:
    enrolments: dict[tuple[str, str], Enrolment] = {}
    for mark in parsed.marks:
        key = (mark["cohort"], mark["email"])
        if key not in enrolments:
            cohort = sessions[(mark["cohort"], mark["on"])].cohort
            enrolments[key] = Enrolment(cohort=cohort, person=people[mark["email"]], status=mark["outcome"])
    Enrolment.objects.bulk_create(enrolments.values(), batch_size=5000)
    marks: dict[tuple, Attendance] = {}
    for mark in parsed.marks:
        session = sessions[(mark["cohort"], mark["on"])]
        marks[(session.pk, mark["email"])] = Attendance(
            session=session,
            enrolment=enrolments[(mark["cohort"], mark["email"])],
            status=mark["status"],
            marked_at=session.ends_at,
        )
    Attendance.objects.bulk_create(marks.values(), batch_size=10000)
    taken = {}
    for enrolment in enrolments.values():
        if enrolment.status in (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED):
            taken[enrolment.cohort_id] = taken.get(enrolment.cohort_id, 0) + 1
    for cohort_id, count in taken.items():
        Cohort.objects.filter(pk=cohort_id).update(places_taken=count)
    report.enrolments, report.marks = len(enrolments), len(marks)
