"""Demo data for coaching and mentoring: about 40 coaches and mentors across the Midlands systems, their
qualifications, supervision (some lapsing, some lapsed), group supervision, CPD webinars and coaching
relationships in 2020/21 and in the current year. The data is in `coaching/demo_data.py`; the functions
here lay it out around today's date. Deterministic and idempotent: a second run finds the demo's first
webinar and stops. Development only."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from academy.demo import DEMO_PASSWORD
from academy.models import Organisation, Person, Region, Role, RoleGrant, User
from coaching import demo_data as data
from coaching import services
from coaching.models import (
    SUPERVISION_INTERVAL_DAYS,
    Availability,
    CoachingRelationship,
    CoachingRequest,
    CoachingSessionLog,
    CoachKind,
    CoachProfile,
    CPDAttendance,
    CPDEvent,
    CPDLog,
    ProfileStatus,
    Qualification,
    QualificationKind,
    ReflectiveNote,
    RelationshipStatus,
    RequestStatus,
    SessionStatus,
    Specialism,
    SupervisionAttendee,
    SupervisionFunction,
    SupervisionRecord,
    SupervisionSession,
    SupervisionSource,
    SupervisionTheme,
    supervision_due,
)

LONDON = ZoneInfo("Europe/London")
MARKER_WEBINAR = data.MARKER_WEBINAR
DAY = datetime.timedelta(days=1)
ON_REGISTER = (ProfileStatus.APPROVED, ProfileStatus.LAPSED)


@dataclass
class Demo:
    """What every step reads: the region, the day the demo is laid out around, and one random stream
    (its calls are made in a fixed order, so the demo is the same every time)."""

    region: Region
    today: datetime.date
    rng: random.Random
    stdout: object = None


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def _day(when: datetime.date | int, today: datetime.date) -> datetime.date:
    """A date as the data gives it: a date, or a number of days before today (negative: after)."""
    return when if isinstance(when, datetime.date) else today - when * DAY


def load(stdout=None) -> None:
    if CPDEvent.objects.filter(title=MARKER_WEBINAR).exists():
        if stdout:
            stdout.write("  coaching demo data already loaded")
        return
    demo = Demo(Region.objects.get(slug="midlands"), timezone.localdate(), random.Random(2021), stdout)
    coach_people = _people(demo, *data.COACHES)
    coachees = _people(demo, *data.COACHEES)
    demo_coach = Person.objects.select_related("organisation").get(user__email="coach@nhs.net")
    demo_supervisor = Person.objects.select_related("organisation").get(user__email="supervisor@nhs.net")
    participant = Person.objects.filter(user__email="participant@nhs.net").first()
    profiles = _profiles(demo, [demo_coach, demo_supervisor, *coach_people])
    _qualifications(profiles)
    sessions = _group_sessions(demo, demo_supervisor)
    records = _group_attendance(demo, sessions, profiles, supervisor=demo_supervisor)
    records += _supervision_elsewhere(demo, profiles, records)
    SupervisionRecord.objects.bulk_create(records)
    events = _cpd(demo, profiles)
    relationships = _relationships(demo, profiles, coachees)
    logs = _session_logs(demo, relationships)
    _requests(demo, coachees, participant)
    if stdout:
        stdout.write(
            f"  {len(profiles)} coaches and mentors, {len(sessions)} group sessions, {len(records)} supervision "
            f"records, {len(events)} webinars, {len(relationships)} relationships, {len(logs)} sessions"
        )


def _people(demo: Demo, prefix: str, count: int, offset: int) -> list[Person]:
    organisations = list(
        Organisation.objects.filter(region=demo.region, system__isnull=False)
        .select_related("system")
        .order_by("name")
    )
    hashed = make_password(DEMO_PASSWORD)
    emails = [f"{prefix}{n:02d}.demo@nhs.net" for n in range(1, count + 1)]
    users = User.objects.bulk_create([User(email=email, password=hashed, is_active=True) for email in emails])
    people = []
    for n, user in enumerate(users):
        people.append(
            Person(
                user=user,
                given_name=data.GIVEN[(n + offset) % len(data.GIVEN)],
                family_name=data.FAMILY[(n * 5 + offset) % len(data.FAMILY)],
                job_title=data.JOB_TITLES[n % len(data.JOB_TITLES)],
                organisation=organisations[(n * 7 + offset) % len(organisations)],
                region=demo.region,
                staff_group=demo.rng.choice(data.STAFF_GROUPS),
                pay_band=demo.rng.choice(data.PAY_BANDS),
            )
        )
    return Person.objects.bulk_create(people)


def _standing(n: int, today: datetime.date) -> tuple[str, datetime.date | None, datetime.date | None]:
    """The status, approval date and last supervision of the register's entry at position `n`."""
    if n in data.APPLYING:
        status, approved = ProfileStatus.APPLIED, None
    elif n == data.MORE_INFO_REQUESTED:
        status, approved = ProfileStatus.MORE_INFO_REQUESTED, None
    elif n in data.LAPSED:
        status, approved = ProfileStatus.LAPSED, data.LAPSED_APPROVED_FROM + n * 20 * DAY
    elif n < data.NEW_IN_2020_21:  # approved in 2020/21 (the merged register's first year)
        status, approved = ProfileStatus.APPROVED, data.NEW_APPROVED_FROM + n * 19 * DAY
    else:
        status = ProfileStatus.APPROVED
        approved = data.LONG_STANDING_APPROVED if n % 3 == 0 else today - (40 + n * 25) * DAY
    if n in data.LAPSED:
        last = today - (SUPERVISION_INTERVAL_DAYS + 30 + n * 9) * DAY
    elif n in data.DUE_SOON:
        last = today - (SUPERVISION_INTERVAL_DAYS - 10 - n) * DAY
    elif status == ProfileStatus.APPROVED:
        last = today - (20 + (n * 13) % 280) * DAY
    else:
        last = None
    return status, approved, last


def _profiles(demo: Demo, people: list[Person]) -> list[CoachProfile]:
    """The register: the demo coach (three coachees), the demo supervisor, then the coaches."""
    profiles = []
    for n, person in enumerate(people):
        status, approved, last = _standing(n, demo.today)
        profiles.append(
            CoachProfile(
                person=person,
                region=demo.region,
                kind=[CoachKind.COACH, CoachKind.MENTOR, CoachKind.BOTH][n % 3] if n > 1 else CoachKind.BOTH,
                status=status,
                specialisms=demo.rng.sample(Specialism.values, 3),
                capacity=3 if n == 0 else 2 + n % 3,
                availability=Availability.SOON if n % 7 == 0 else Availability.NOW,
                availability_notes=data.AVAILABILITY_NOTES[n % 4],
                experience=data.EXPERIENCE,
                applied_at=_at(approved - 30 * DAY) if approved else _at(demo.today - n * DAY),
                approved_at=_at(approved) if approved else None,
                last_supervised_on=last,
                supervision_due_on=supervision_due(last, approved),
                review_note=data.MORE_INFO_NOTE if status == ProfileStatus.MORE_INFO_REQUESTED else "",
            )
        )
    profiles = CoachProfile.objects.bulk_create(profiles)
    services.sort_names_recount()
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user_id=p.person.user_id, role=Role.COACH, region_id=p.region_id)
            for p in profiles
            if p.status in ON_REGISTER
        ],
        ignore_conflicts=True,
    )
    return profiles


def _qualifications(profiles: list[CoachProfile]) -> None:
    qualifications = []
    for n, profile in enumerate(profiles):
        if n == data.MORE_INFO_REQUESTED:
            qualifications.append(
                Qualification(profile=profile, kind=QualificationKind.OTHER, title="Coaching taster day")
            )
            continue
        kind = data.QUALIFICATIONS[n % len(data.QUALIFICATIONS)]
        qualifications.append(
            Qualification(profile=profile, kind=kind, awarded_on=datetime.date(2015 + n % 6, 6, 1))
        )
        if n % 4 == 0:
            qualifications.append(
                Qualification(
                    profile=profile, kind=QualificationKind.ILM3, awarded_on=datetime.date(2013 + n % 3, 3, 1)
                )
            )
    Qualification.objects.bulk_create(qualifications)
    certificate = Qualification.objects.filter(profile=profiles[0], kind=QualificationKind.ILM5).first()
    certificate.certificate_content_type = "application/pdf"
    certificate.certificate.save("ilm5-certificate.pdf", ContentFile(_demo_pdf(data.CERTIFICATE_TITLE)))


def _group_sessions(demo: Demo, supervisor: Person) -> list[SupervisionSession]:
    """Held groups (2020/21's explored leading during COVID-19 among other themes), then two to come."""
    themes, functions = SupervisionTheme.values, SupervisionFunction.values
    held_days = [*data.GROUPS_2020_21, *(demo.today - days * DAY for days in data.GROUPS_HELD_DAYS_AGO)]
    sessions = []
    for k, day in enumerate(held_days):
        held_themes = (
            [SupervisionTheme.COVID, *demo.rng.sample(themes[:-2], 2)]
            if day.year < 2022
            else demo.rng.sample(themes[:-2], 3)
        )
        sessions.append(
            SupervisionSession(
                supervisor=supervisor,
                region=demo.region,
                starts_at=_at(day, 14),
                duration_hours=Decimal(2),
                joining_details="Microsoft Teams",
                themes=held_themes,
                functions=demo.rng.sample(functions, 2 + k % 2),
                status=SessionStatus.HELD,
            )
        )
    for days in data.GROUPS_TO_COME_IN_DAYS:
        sessions.append(
            SupervisionSession(
                supervisor=supervisor,
                region=demo.region,
                starts_at=_at(demo.today + days * DAY, 14),
                joining_details="Microsoft Teams",
            )
        )
    return SupervisionSession.objects.bulk_create(sessions)


def _group_attendance(
    demo: Demo, sessions: list[SupervisionSession], profiles: list[CoachProfile], *, supervisor: Person
) -> list[SupervisionRecord]:
    """Seat coaches in the groups; a held group gives each of its coaches a supervision record."""
    members_of = [p for p in profiles if p.status in ON_REGISTER and p.person_id != supervisor.pk]
    attendees, records = [], []
    for session in sessions:
        day = timezone.localtime(session.starts_at).date()
        if session.status == SessionStatus.HELD:
            # Coaches already approved by then whose latest supervision is no earlier than this group,
            # so the group never changes anyone's compliance date.
            eligible = [
                p
                for p in members_of
                if p.approved_at.date() <= day and p.last_supervised_on and p.last_supervised_on >= day
            ]
            members = demo.rng.sample(eligible, min(len(eligible), 5 + session.pk % 4))
        else:
            # The coaches whose supervision is overdue or nearly due, booked into the next groups.
            overdue_before = demo.today - 300 * DAY
            members = [
                p for p in members_of if p.last_supervised_on and p.last_supervised_on < overdue_before
            ][:6]
        held = session.status == SessionStatus.HELD
        for seat, profile in enumerate(members, start=1):
            attendees.append(
                SupervisionAttendee(
                    session=session, profile=profile, seat=seat, attended=True if held else None
                )
            )
            if held:
                records.append(
                    SupervisionRecord(
                        profile=profile,
                        source=SupervisionSource.GROUP,
                        session=session,
                        held_on=day,
                        hours=session.duration_hours,
                        supervisor_name=supervisor.full_name,
                        functions=session.functions,
                        themes=session.themes,
                    )
                )
    SupervisionAttendee.objects.bulk_create(attendees)
    return records


def _supervision_elsewhere(
    demo: Demo, profiles: list[CoachProfile], group_records: list[SupervisionRecord]
) -> list[SupervisionRecord]:
    """Each coach's last supervision, where no group gave it; and an earlier one in 2020/21 for half."""
    themes, functions = SupervisionTheme.values, SupervisionFunction.values
    with_group_record = {(r.profile.pk, r.held_on) for r in group_records}
    supervisors = data.SUPERVISORS_ELSEWHERE
    records = []
    for n, profile in enumerate(profiles):
        last = profile.last_supervised_on
        if last is not None and (profile.pk, last) not in with_group_record:
            records.append(
                SupervisionRecord(
                    profile=profile,
                    source=SupervisionSource.ELSEWHERE,
                    held_on=last,
                    hours=Decimal("1.5"),
                    supervisor_name=supervisors[n % 4],
                    functions=demo.rng.sample(functions, 2),
                    themes=demo.rng.sample(themes[:-1], 2),
                )
            )
        held = data.EARLIER_SUPERVISION_FROM + ((n * 11) % 290) * DAY
        if profile.status in ON_REGISTER and n % 2 == 0 and (profile.pk, held) not in with_group_record:
            records.append(
                SupervisionRecord(
                    profile=profile,
                    source=SupervisionSource.ELSEWHERE,
                    held_on=held,
                    hours=Decimal(1),
                    supervisor_name=supervisors[(n + 1) % 4],
                    functions=[SupervisionFunction.RESTORATIVE],
                    themes=[SupervisionTheme.WELLBEING, SupervisionTheme.COVID],
                )
            )
    return records


def _cpd(demo: Demo, profiles: list[CoachProfile]) -> list[CPDEvent]:
    """The webinars (with recordings once held), who attended them, CPD logged, one reflective note."""
    on_register = [p for p in profiles if p.status in ON_REGISTER]
    events = CPDEvent.objects.bulk_create(
        [
            CPDEvent(
                region=demo.region,
                title=title,
                description=description,
                starts_at=_at(day, 12),
                duration_hours=Decimal("1.5"),
                joining_url=data.JOINING_URL,
                recording_url=data.RECORDING_URL if day < demo.today else "",
            )
            for title, day, description in [(t, _day(when, demo.today), d) for t, when, d in data.WEBINARS]
        ]
    )
    CPDAttendance.objects.bulk_create(
        [
            CPDAttendance(event=event, profile=profile, watched_recording=(n + k) % 4 == 0)
            for k, event in enumerate(events)
            if event.starts_at.date() < demo.today
            for n, profile in enumerate(on_register)
            if (n + k) % 3 != 0
        ]
    )
    CPDLog.objects.bulk_create(
        [
            CPDLog(
                profile=profile,
                done_on=demo.today - (15 + n * 9) * DAY,
                hours=Decimal(3),
                activity=data.CPD_ACTIVITIES[n % 3],
            )
            for n, profile in enumerate(on_register[:15])
        ]
    )
    ReflectiveNote.objects.create(profile=profiles[0], **data.REFLECTIVE_NOTE)
    return events


def _relationships(
    demo: Demo, profiles: list[CoachProfile], coachees: list[Person]
) -> list[CoachingRelationship]:
    """2020/21's relationships, this year's, and the demo coach's own; never within one organisation."""
    approved = [p for p in profiles[:1] + profiles[2:] if p.status == ProfileStatus.APPROVED]
    pairs = _pairings(demo, approved, coachees)
    for coachee, kind, offered, started, status in data.DEMO_COACH_RELATIONSHIPS:
        fields = {"relationship_type": kind, "offered_at": _at(demo.today - offered * DAY), "status": status}
        if started is not None:
            fields["started_on"] = demo.today - started * DAY
        pairs.append((profiles[0], coachees[coachee], fields))
    relationships = CoachingRelationship.objects.bulk_create(
        [
            CoachingRelationship(coach=coach, coachee=coachee, region=demo.region, **fields)
            for coach, coachee, fields in pairs
            if coach.person.organisation_id != coachee.organisation_id
        ]
    )
    services.places_recount(profile_ids=[p.pk for p in profiles])
    return relationships


def _pairings(demo: Demo, approved: list[CoachProfile], coachees: list[Person]) -> list[tuple]:
    """(coach, coachee, fields): 2020/21's (two in three closed after 150 days), then this year's."""
    types = data.RELATIONSHIP_TYPES
    pairs = []
    for n in range(data.RELATIONSHIPS_2020_21):
        start = data.RELATIONSHIPS_FROM + n * 17 * DAY
        closed = start + 150 * DAY if n % 3 else None
        fields = {
            "relationship_type": types[n % 4],
            "offered_at": _at(start - 7 * DAY),
            "status": RelationshipStatus.CLOSED if closed else RelationshipStatus.ACTIVE,
            "started_on": start,
            "closed_on": closed,
            "evaluation_rating": 4 + n % 2 if closed else None,
            "evaluation": data.EVALUATION if closed else "",
        }
        pairs.append((approved[n % len(approved)], coachees[n % len(coachees)], fields))
    for n in range(data.RELATIONSHIPS_THIS_YEAR):
        start = demo.today - (40 + n * 25) * DAY
        fields = {
            "relationship_type": types[(n + 1) % 4],
            "offered_at": _at(start - 5 * DAY),
            "status": RelationshipStatus.ACTIVE,
            "started_on": start,
        }
        pairs.append((approved[(n * 3 + 1) % len(approved)], coachees[(n + 16) % len(coachees)], fields))
    return pairs


def _session_logs(demo: Demo, relationships: list[CoachingRelationship]) -> list[CoachingSessionLog]:
    """Sessions every four weeks from a week after the start, at most six per relationship."""
    logs = []
    for n, relationship in enumerate(relationships):
        if relationship.started_on is None:
            continue
        end = relationship.closed_on or demo.today
        days = [relationship.started_on + (7 + 28 * k) * DAY for k in range(6)]
        logs += [
            CoachingSessionLog(
                relationship=relationship,
                held_on=day,
                duration_minutes=data.SESSION_MINUTES[n % 3],
                notes=data.SESSION_NOTES,
                logged_by=relationship.coach.person,
            )
            for day in days
            if day <= end
        ]
    return CoachingSessionLog.objects.bulk_create(logs)


def _requests(demo: Demo, coachees: list[Person], participant: Person | None) -> None:
    requests = [
        CoachingRequest(
            requester=coachees[20 + k],
            region=demo.region,
            relationship_type=data.RELATIONSHIP_TYPES[k % 2],
            goals=goals,
            specialisms=list(specialisms),
            status=RequestStatus.OPEN,
        )
        for k, (goals, specialisms) in enumerate(data.REQUESTS)
    ]
    if participant is not None:
        requests.append(
            CoachingRequest(requester=participant, region=demo.region, **data.PARTICIPANT_REQUEST)
        )
    CoachingRequest.objects.bulk_create(requests)


def _demo_pdf(title: str) -> bytes:
    """A one-page PDF certificate, small and valid."""
    stream = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
