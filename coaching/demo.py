"""Demo data for coaching and mentoring: about 40 coaches and mentors across the Midlands systems, their
qualifications, supervision (some lapsing, some lapsed), group supervision, CPD webinars and coaching
relationships in 2020/21 and in the current year. Deterministic and idempotent: a second run finds the
demo's first webinar and stops. Development only."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from academy.demo import DEMO_PASSWORD
from academy.models import Organisation, Person, Region, Role, StaffGroup, User
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
    RelationshipType,
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
MARKER_WEBINAR = "Coaching in a VUCA world"
GIVEN = [
    "Amira", "Ben", "Chloe", "Dev", "Ellie", "Farah", "Gareth", "Hannah", "Imran", "Jess", "Kwame", "Laura",
    "Marcus", "Nadia", "Owen", "Parveen", "Rachel", "Sanjay", "Tola", "Uma", "Victor", "Wendy", "Yusuf", "Zoe",
]  # fmt: skip
FAMILY = [
    "Adeyemi", "Bennett", "Chauhan", "Davies", "Evans", "Fletcher", "Griffiths", "Hussain", "Iqbal", "Jones",
    "Khan", "Lewis", "Mensah", "Nolan", "Okafor", "Patel", "Quinn", "Robinson", "Singh", "Turner", "Walsh",
]  # fmt: skip
JOB_TITLES = [
    "Head of Nursing", "Organisational Development Practitioner", "Consultant Psychiatrist", "Practice Manager",
    "Deputy Director of Workforce", "Clinical Lead Physiotherapist", "Matron", "Service Manager",
]  # fmt: skip
# The current year's "today" is taken from the clock; the demo's history is laid out around it.


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def load(stdout=None) -> None:
    if CPDEvent.objects.filter(title=MARKER_WEBINAR).exists():
        if stdout:
            stdout.write("  coaching demo data already loaded")
        return
    rng = random.Random(2021)
    region = Region.objects.get(slug="midlands")
    today = timezone.localdate()
    organisations = list(
        Organisation.objects.filter(region=region, system__isnull=False)
        .select_related("system")
        .order_by("name")
    )
    hashed = make_password(DEMO_PASSWORD)
    coach_group, _ = Group.objects.get_or_create(name=Role.COACH)

    # --- People: coaches and mentors, and coachees ------------------------------------------------------
    def make_people(prefix: str, count: int, offset: int) -> list[Person]:
        emails = [f"{prefix}{n:02d}.demo@nhs.net" for n in range(1, count + 1)]
        users = User.objects.bulk_create(
            [User(email=email, password=hashed, is_active=True) for email in emails]
        )
        people = []
        for n, user in enumerate(users):
            organisation = organisations[(n * 7 + offset) % len(organisations)]
            people.append(
                Person(
                    user=user,
                    given_name=GIVEN[(n + offset) % len(GIVEN)],
                    family_name=FAMILY[(n * 5 + offset) % len(FAMILY)],
                    job_title=JOB_TITLES[n % len(JOB_TITLES)],
                    organisation=organisation,
                    region=region,
                    staff_group=rng.choice(
                        [
                            StaffGroup.NURSING_MIDWIFERY,
                            StaffGroup.ADMINISTRATIVE_CLERICAL,
                            StaffGroup.MEDICAL_DENTAL,
                            StaffGroup.ALLIED_HEALTH_PROFESSIONALS,
                        ]
                    ),
                    pay_band=rng.choice(["7", "8a", "8b", "8c"]),
                )
            )
        return Person.objects.bulk_create(people)

    coach_people = make_people("coach", 38, 0)
    coachees = make_people("coachee", 24, 3)
    demo_coach = Person.objects.select_related("organisation").get(user__email="coach@nhs.net")
    demo_supervisor = Person.objects.select_related("organisation").get(user__email="supervisor@nhs.net")
    participant = Person.objects.filter(user__email="participant@nhs.net").first()

    # --- Profiles -------------------------------------------------------------------------------------
    # Statuses by position: most approved and compliant; some lapsing soon, some lapsed, some applying.
    profiles: list[CoachProfile] = []
    last_supervised: dict[int, datetime.date | None] = {}
    specialisms = Specialism.values
    for n, person in enumerate([demo_coach, demo_supervisor, *coach_people]):
        if n in (2, 3, 4):
            status, approved = ProfileStatus.APPLIED, None
        elif n == 5:
            status, approved = ProfileStatus.MORE_INFO_REQUESTED, None
        elif n in (6, 7, 8, 9):
            status, approved = (
                ProfileStatus.LAPSED,
                datetime.date(2019, 9, 1) + datetime.timedelta(days=n * 20),
            )
        elif n < 22:
            # Approved in 2020/21 (the merged register's first year) — counted as new that year.
            status, approved = (
                ProfileStatus.APPROVED,
                datetime.date(2020, 4, 20) + datetime.timedelta(days=n * 19),
            )
        else:
            status = ProfileStatus.APPROVED
            approved = (
                datetime.date(2019, 2, 1) if n % 3 == 0 else today - datetime.timedelta(days=40 + n * 25)
            )
        if n in (6, 7, 8, 9):
            last = today - datetime.timedelta(days=SUPERVISION_INTERVAL_DAYS + 30 + n * 9)
        elif n in (10, 11, 12):
            last = today - datetime.timedelta(days=SUPERVISION_INTERVAL_DAYS - 10 - n)  # due within 30 days
        elif status == ProfileStatus.APPROVED:
            last = today - datetime.timedelta(days=20 + (n * 13) % 280)
        else:
            last = None
        kind = [CoachKind.COACH, CoachKind.MENTOR, CoachKind.BOTH][n % 3] if n > 1 else CoachKind.BOTH
        profile = CoachProfile(
            person=person,
            region=region,
            kind=kind,
            status=status,
            specialisms=rng.sample(specialisms, 3),
            capacity=3 if n == 0 else 2 + n % 3,  # The demo coach has three coachees.
            availability=Availability.SOON if n % 7 == 0 else Availability.NOW,
            availability_notes=["Tuesday afternoons", "Early mornings", "Fridays", ""][n % 4],
            experience="Coaching colleagues across acute and community services since 2017.",
            applied_at=_at(approved - datetime.timedelta(days=30))
            if approved
            else _at(today - datetime.timedelta(days=n)),
            approved_at=_at(approved) if approved else None,
            last_supervised_on=last,
            supervision_due_on=supervision_due(last, approved),
            review_note="Please upload your ILM certificate."
            if status == ProfileStatus.MORE_INFO_REQUESTED
            else "",
        )
        profiles.append(profile)
        last_supervised[n] = last
    profiles = CoachProfile.objects.bulk_create(profiles)
    services.sort_names_recount()
    on_register = [p for p in profiles if p.status in (ProfileStatus.APPROVED, ProfileStatus.LAPSED)]
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=p.person.user_id, group_id=coach_group.pk) for p in on_register],
        ignore_conflicts=True,
    )

    qualifications = []
    for n, profile in enumerate(profiles):
        if n == 5:  # the applicant asked for more information has only an unrecognised course
            qualifications.append(
                Qualification(profile=profile, kind=QualificationKind.OTHER, title="Coaching taster day")
            )
            continue
        kind = [
            QualificationKind.ILM5,
            QualificationKind.ILM3,
            QualificationKind.ILM5,
            QualificationKind.ILM7,
            QualificationKind.EMCC,
        ][n % 5]
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
    certificate.certificate.save(
        "ilm5-certificate.pdf", ContentFile(_demo_pdf("ILM Level 5 Certificate in Coaching and Mentoring"))
    )

    # --- Group supervision and supervision records --------------------------------------------------------
    supervisor_profile = profiles[1]
    themes = SupervisionTheme.values
    functions = SupervisionFunction.values
    records: list[SupervisionRecord] = []
    attendees: list[SupervisionAttendee] = []
    sessions = []
    # 2020/21: a group every six weeks, exploring leading during COVID-19 among other themes.
    group_days = [datetime.date(2020, 5, 12) + datetime.timedelta(days=42 * k) for k in range(8)]
    # This year: held sessions, and two to come.
    group_days += [today - datetime.timedelta(days=d) for d in (300, 230, 160, 90, 30)]
    for k, day in enumerate(group_days):
        held_themes = (
            [SupervisionTheme.COVID, *rng.sample(themes[:-2], 2)]
            if day.year < 2022
            else rng.sample(themes[:-2], 3)
        )
        sessions.append(
            SupervisionSession(
                supervisor=demo_supervisor,
                region=region,
                starts_at=_at(day, 14),
                duration_hours=Decimal(2),
                joining_details="Microsoft Teams",
                themes=held_themes,
                functions=rng.sample(functions, 2 + k % 2),
                status=SessionStatus.HELD,
            )
        )
    for day in (today + datetime.timedelta(days=10), today + datetime.timedelta(days=52)):
        sessions.append(
            SupervisionSession(
                supervisor=demo_supervisor,
                region=region,
                starts_at=_at(day, 14),
                joining_details="Microsoft Teams",
            )
        )
    sessions = SupervisionSession.objects.bulk_create(sessions)
    group_members = [p for p in on_register if p.pk != supervisor_profile.pk]
    for session in sessions:
        day = timezone.localtime(session.starts_at).date()
        if session.status == SessionStatus.HELD:
            # Coaches already approved by then whose latest supervision is no earlier than this group,
            # so the group never changes anyone's compliance date.
            eligible = [
                p
                for p in group_members
                if p.approved_at.date() <= day and p.last_supervised_on and p.last_supervised_on >= day
            ]
            members = rng.sample(eligible, min(len(eligible), 5 + session.pk % 4))
        else:
            # The coaches whose supervision is overdue or nearly due, booked into the next groups.
            members = [
                p
                for p in group_members
                if p.last_supervised_on and p.last_supervised_on < today - datetime.timedelta(days=300)
            ][:6]
        for seat, profile in enumerate(members, start=1):
            attended = True if session.status == SessionStatus.HELD else None
            attendees.append(
                SupervisionAttendee(session=session, profile=profile, seat=seat, attended=attended)
            )
            if attended:
                records.append(
                    SupervisionRecord(
                        profile=profile,
                        source=SupervisionSource.GROUP,
                        session=session,
                        held_on=day,
                        hours=session.duration_hours,
                        supervisor_name=demo_supervisor.full_name,
                        functions=session.functions,
                        themes=session.themes,
                    )
                )
    SupervisionAttendee.objects.bulk_create(attendees)
    with_group_record = {(r.profile.pk, r.held_on) for r in records}
    supervisors_elsewhere = [
        "Dr Helen Marsh (EMCC)",
        "Tom Adeyemi",
        "Coaching Supervision Academy",
        "Gill Pryce",
    ]
    for n, profile in enumerate(profiles):
        last = last_supervised[n]
        if last is not None and (profile.pk, last) not in with_group_record:
            records.append(
                SupervisionRecord(
                    profile=profile,
                    source=SupervisionSource.ELSEWHERE,
                    held_on=last,
                    hours=Decimal("1.5"),
                    supervisor_name=supervisors_elsewhere[n % 4],
                    functions=rng.sample(functions, 2),
                    themes=rng.sample(themes[:-1], 2),
                )
            )
        if profile.status in (ProfileStatus.APPROVED, ProfileStatus.LAPSED) and n % 2 == 0:
            # An earlier supervision in 2020/21 for half the register.
            held = datetime.date(2020, 6, 1) + datetime.timedelta(days=(n * 11) % 290)
            if (profile.pk, held) not in with_group_record:
                records.append(
                    SupervisionRecord(
                        profile=profile,
                        source=SupervisionSource.ELSEWHERE,
                        held_on=held,
                        hours=Decimal(1),
                        supervisor_name=supervisors_elsewhere[(n + 1) % 4],
                        functions=[SupervisionFunction.RESTORATIVE],
                        themes=[SupervisionTheme.WELLBEING, SupervisionTheme.COVID],
                    )
                )
    SupervisionRecord.objects.bulk_create(records)

    # --- CPD webinars -----------------------------------------------------------------------------------
    webinars = [
        (
            MARKER_WEBINAR,
            datetime.date(2020, 11, 18),
            "Working with volatility, uncertainty, complexity and ambiguity.",
        ),
        (
            "Trauma and coaching",
            datetime.date(2021, 1, 27),
            "Recognising trauma responses and staying within boundaries.",
        ),
        (
            "Coaching for wellbeing",
            datetime.date(2021, 3, 10),
            "Supporting coachees through exhaustion and burnout.",
        ),
        ("Contracting and boundaries in internal coaching", today - datetime.timedelta(days=200), ""),
        (
            "Coaching across difference",
            today - datetime.timedelta(days=60),
            "Race, culture and power in the coaching room.",
        ),
        ("Coaching in a VUCA world: revisited", today + datetime.timedelta(days=11), ""),
    ]
    events = CPDEvent.objects.bulk_create(
        [
            CPDEvent(
                region=region,
                title=title,
                description=description,
                starts_at=_at(day, 12),
                duration_hours=Decimal("1.5"),
                joining_url="https://teams.microsoft.com/l/meetup-join/academy-demo",
                recording_url="https://www.youtube.com/watch?v=academy-demo" if day < today else "",
            )
            for title, day, description in webinars
        ]
    )
    CPDAttendance.objects.bulk_create(
        [
            CPDAttendance(event=event, profile=profile, watched_recording=(n + k) % 4 == 0)
            for k, event in enumerate(events)
            if event.starts_at.date() < today
            for n, profile in enumerate(on_register)
            if (n + k) % 3 != 0
        ]
    )
    CPDLog.objects.bulk_create(
        [
            CPDLog(
                profile=profile,
                done_on=today - datetime.timedelta(days=15 + n * 9),
                hours=Decimal(3),
                activity=[
                    "Read 'Coaching for Performance'",
                    "EMCC regional conference",
                    "Team coaching course",
                ][n % 3],
            )
            for n, profile in enumerate(on_register[:15])
        ]
    )
    ReflectiveNote.objects.create(
        profile=profiles[0],
        title="Holding the silence",
        body="I noticed I filled the pause again today. Next time, count to ten.",
    )

    # --- Requests and relationships ------------------------------------------------------------------------
    approved = [p for p in profiles if p.status == ProfileStatus.APPROVED and p.pk != supervisor_profile.pk]
    relationships: list[CoachingRelationship] = []

    def pair(coach: CoachProfile, coachee: Person, **fields) -> None:
        if coach.person.organisation_id == coachee.organisation_id:
            return
        relationships.append(CoachingRelationship(coach=coach, coachee=coachee, region=region, **fields))

    types = [
        RelationshipType.COACHING,
        RelationshipType.MENTORING,
        RelationshipType.REVERSE,
        RelationshipType.RECIPROCAL,
    ]
    for n in range(16):  # 2020/21
        coach = approved[n % len(approved)]
        start = datetime.date(2020, 5, 1) + datetime.timedelta(days=n * 17)
        closed = start + datetime.timedelta(days=150) if n % 3 else None
        pair(
            coach,
            coachees[n % len(coachees)],
            relationship_type=types[n % 4],
            offered_at=_at(start - datetime.timedelta(days=7)),
            status=RelationshipStatus.CLOSED if closed else RelationshipStatus.ACTIVE,
            started_on=start,
            closed_on=closed,
            evaluation_rating=4 + n % 2 if closed else None,
            evaluation="It helped me find my voice in meetings." if closed else "",
        )
    for n in range(10):  # this year
        coach = approved[(n * 3 + 1) % len(approved)]
        start = today - datetime.timedelta(days=40 + n * 25)
        pair(
            coach,
            coachees[(n + 16) % len(coachees)],
            relationship_type=types[(n + 1) % 4],
            offered_at=_at(start - datetime.timedelta(days=5)),
            status=RelationshipStatus.ACTIVE,
            started_on=start,
        )
    demo_coach_profile = profiles[0]
    pair(
        demo_coach_profile,
        coachees[1],
        relationship_type=RelationshipType.COACHING,
        offered_at=_at(today - datetime.timedelta(days=90)),
        status=RelationshipStatus.ACTIVE,
        started_on=today - datetime.timedelta(days=85),
    )
    pair(
        demo_coach_profile,
        coachees[5],
        relationship_type=RelationshipType.REVERSE,
        offered_at=_at(today - datetime.timedelta(days=2)),
        status=RelationshipStatus.OFFERED,
    )
    relationships = CoachingRelationship.objects.bulk_create(relationships)
    services.places_recount(profile_ids=[p.pk for p in profiles])

    logs = []
    for n, relationship in enumerate(relationships):
        if relationship.started_on is None:
            continue
        end = relationship.closed_on or today
        day = relationship.started_on + datetime.timedelta(days=7)
        while day <= end and len([x for x in logs if x.relationship is relationship]) < 6:
            logs.append(
                CoachingSessionLog(
                    relationship=relationship,
                    held_on=day,
                    duration_minutes=[60, 90, 45][n % 3],
                    notes="Explored priorities and agreed a next step.",
                    logged_by=relationship.coach.person,
                )
            )
            day += datetime.timedelta(days=28)
    CoachingSessionLog.objects.bulk_create(logs)

    requests = [
        CoachingRequest(
            requester=coachees[20 + k],
            region=region,
            relationship_type=types[k % 2],
            goals=[
                "Settle into my first band 8a role.",
                "Prepare for a director interview.",
                "Lead a team through a merger.",
            ][k],
            specialisms=[Specialism.TRANSITION, Specialism.CAREER, Specialism.CHANGE][k : k + 2],
            status=RequestStatus.OPEN,
        )
        for k in range(3)
    ]
    if participant is not None:
        requests.append(
            CoachingRequest(
                requester=participant,
                region=region,
                relationship_type=RelationshipType.COACHING,
                goals="Build confidence leading my ward team through winter pressures.",
                specialisms=[Specialism.CONFIDENCE, Specialism.WELLBEING, Specialism.TEAMS],
                preferences="Someone from outside nursing would be welcome.",
            )
        )
    CoachingRequest.objects.bulk_create(requests)
    if stdout:
        stdout.write(
            f"  {len(profiles)} coaches and mentors, {len(sessions)} group sessions, {len(records)} supervision "
            f"records, {len(events)} webinars, {len(relationships)} relationships, {len(logs)} sessions"
        )


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
