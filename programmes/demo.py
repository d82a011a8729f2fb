"""Demo data for programmes: the 2020/21 offer from the Year in Review as programmes (by code, so that
the 2020/21 year in `programmes/demo_2020_21.py` builds its cohorts on them), plus current cohorts
after 22 November 2026 that a participant can enrol on now, a full cohort with a waiting list, an
application-route cohort with applications, and the demo participant's own learning. Deterministic and
idempotent."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Count, Q

from academy.models import Organisation, PayBand, Person, Region, StaffGroup, System, User
from programmes import demo_2020_21
from programmes.models import (
    PLACE_HOLDING,
    Application,
    Attendance,
    AttendanceStatus,
    Audience,
    Certificate,
    Cohort,
    CohortStatus,
    DeliveryMode,
    Enrolment,
    EnrolmentStatus,
    EntryRoute,
    Feedback,
    Programme,
    Session,
    Theme,
)

LONDON = ZoneInfo("Europe/London")
# The demo's "today": current cohorts are dated after it, so they stay fixed whatever day it loads.
DEMO_TODAY = dt.date(2026, 11, 22)
TEAMS = "https://teams.microsoft.com/l/meetup-join/academy-demo-{}"

V, F2F, BL = DeliveryMode.VIRTUAL, DeliveryMode.FACE_TO_FACE, DeliveryMode.BLENDED
CLS_SUMMARY = "Part of the Complete Leadership Series: a half-day virtual module for leaders at every level."

# code, title, summary, theme, audience, delivery, entry route, bands, staff groups, partner, note, quota
PROGRAMMES = [
    (
        "CLS1",
        "Leading compassionately through change",
        CLS_SUMMARY,
        Theme.LOOKING_AFTER,
        Audience.ALL_STAFF,
        V,
    ),
    ("CLS2", "Leading and developing great teams", CLS_SUMMARY, Theme.NEW_WAYS, Audience.ALL_STAFF, V),
    ("CLS3", "Influencing and negotiating skills", CLS_SUMMARY, Theme.GROWING, Audience.ALL_STAFF, V),
    ("CLS4", "Emotionally intelligent leadership", CLS_SUMMARY, Theme.LOOKING_AFTER, Audience.ALL_STAFF, V),
    ("CLS5", "Virtual leadership", CLS_SUMMARY, Theme.NEW_WAYS, Audience.ALL_STAFF, V),
    (
        "CLS6",
        "Using online platforms as a tool for change",
        CLS_SUMMARY,
        Theme.NEW_WAYS,
        Audience.ALL_STAFF,
        V,
    ),
    (
        "CLS7",
        "Trauma informed leadership, working through crisis",
        "Our most requested module: how trauma shows up in teams, and how leaders work through crisis with care.",
        Theme.LOOKING_AFTER,
        Audience.ALL_STAFF,
        V,
    ),
    (
        "CLS8",
        "Inclusive culturally sensitive appreciative leadership",
        CLS_SUMMARY,
        Theme.BELONGING,
        Audience.ALL_STAFF,
        V,
    ),
    (
        "RCLRT",
        "Relationships and connectivity – leading remote teams",
        "Keeping people connected, trusted and well when the team rarely meets in person.",
        Theme.NEW_WAYS,
        Audience.ALL_STAFF,
        V,
    ),
    (
        "MSP",
        "Mary Seacole programme",
        "The national six-month leadership programme for first-time leaders, delivered locally under licence.",
        Theme.GROWING,
        Audience.ASPIRING_LEADERS,
        BL,
        {"partner": "NHS Leadership Academy (national), under licence"},
    ),
    (
        "BAME-NM",
        "Developing Aspirant BAME Nursing and Midwifery Leaders",
        "Positive action development for Black, Asian and minority ethnic nurses and midwives aspiring to lead.",
        Theme.BELONGING,
        Audience.ASPIRING_LEADERS,
        BL,
        {
            "route": EntryRoute.APPLICATION,
            "bands": [PayBand.BAND_6, PayBand.BAND_7, PayBand.BAND_8A],
            "groups": [StaffGroup.NURSING_MIDWIFERY],
            "note": "Positive action: for BAME, NMC-registered nurses and midwives at bands 6 to 8a. Each system "
            "nominates 3 nurses and 3 midwives; one nurse and one midwife per system are shortlisted.",
            "quota": 1,
        },
    ),
    (
        "LFSC",
        "Leading for System Change",
        "For up to 40 leaders from one integrated care system, working together on a shared system challenge.",
        Theme.NEW_WAYS,
        Audience.SYSTEM_LEADERS,
        BL,
        {"route": EntryRoute.NOMINATION, "note": "Places are nominated by the integrated care system."},
    ),
    (
        "PC-TRI",
        "Triumvirate “Power of Three”",
        "For a practice team of three – a GP, a practice nurse and a practice manager – leading together.",
        Theme.NEW_WAYS,
        Audience.PRIMARY_CARE,
        V,
        {"note": "Book as a team of three from one practice."},
    ),
    (
        "PC-PCNCD",
        "PCN Clinical Director Coaching",
        "One-to-one and group coaching for primary care network clinical directors.",
        Theme.LOOKING_AFTER,
        Audience.PRIMARY_CARE,
        V,
    ),
    (
        "PC-5B",
        "Five Behaviours of a Cohesive Team",
        "Trust, conflict, commitment, accountability and results: a team development day for primary care teams.",
        Theme.NEW_WAYS,
        Audience.PRIMARY_CARE,
        F2F,
        {"partner": "Wiley Five Behaviors accredited facilitators"},
    ),
    (
        "PC-NGP",
        "Leadership Development for New GPs",
        "For GPs in their first five years: leading in practice, in the PCN and beyond.",
        Theme.GROWING,
        Audience.PRIMARY_CARE,
        BL,
        {"groups": [StaffGroup.MEDICAL_DENTAL]},
    ),
    (
        "PC-PM",
        "Practice Manager Leadership Programme",
        "Leadership and resilience for practice and business managers in general practice.",
        Theme.GROWING,
        Audience.PRIMARY_CARE,
        V,
    ),
    (
        "MC-COMP",
        "Compassionate leadership masterclass",
        "A 90-minute masterclass on compassionate leadership with a guest speaker and Q&A.",
        Theme.LOOKING_AFTER,
        Audience.ALL_STAFF,
        V,
    ),
    (
        "LE-BEL",
        "Listening event: belonging in the NHS",
        "An open listening event for staff networks and allies on race, inclusion and belonging.",
        Theme.BELONGING,
        Audience.ALL_STAFF,
        V,
    ),
]

# code, cohort name, system slug or None, capacity, [(date, start, end, title)], status
CURRENT_COHORTS = [
    (
        "CLS7",
        "CLS7 December 2026",
        None,
        12,
        [(dt.date(2026, 12, 3), "09:30", "12:30", "Trauma informed leadership")],
    ),
    (
        "CLS7",
        "CLS7 January 2027",
        None,
        40,
        [(dt.date(2027, 1, 14), "13:30", "16:30", "Trauma informed leadership")],
    ),
    (
        "CLS1",
        "CLS1 January 2027",
        None,
        40,
        [(dt.date(2027, 1, 20), "09:30", "12:30", "Leading through change")],
    ),
    (
        "CLS2",
        "CLS2 December 2026",
        None,
        35,
        [
            (dt.date(2026, 12, 9), "09:30", "12:30", "Great teams, part 1"),
            (dt.date(2026, 12, 16), "09:30", "12:30", "Great teams, part 2"),
        ],
    ),
    (
        "CLS3",
        "CLS3 February 2027",
        None,
        40,
        [(dt.date(2027, 2, 4), "13:30", "16:30", "Influencing and negotiating")],
    ),
    (
        "CLS4",
        "CLS4 February 2027",
        None,
        40,
        [(dt.date(2027, 2, 11), "09:30", "12:30", "Emotional intelligence")],
    ),
    ("CLS5", "CLS5 January 2027", None, 40, [(dt.date(2027, 1, 27), "09:30", "12:00", "Virtual leadership")]),
    (
        "CLS6",
        "CLS6 March 2027",
        None,
        40,
        [(dt.date(2027, 3, 3), "13:30", "16:00", "Online platforms for change")],
    ),
    (
        "CLS8",
        "CLS8 February 2027",
        None,
        40,
        [(dt.date(2027, 2, 24), "09:30", "12:30", "Inclusive leadership")],
    ),
    (
        "RCLRT",
        "Leading remote teams – December 2026",
        None,
        30,
        [(dt.date(2026, 12, 10), "10:00", "12:00", "Leading remote teams")],
    ),
    (
        "MSP",
        "Mary Seacole – Spring 2027 (East Midlands)",
        None,
        30,
        [
            (
                dt.date(2027, 2, 2) + dt.timedelta(weeks=3 * n),
                "09:30",
                "16:00",
                f"Mary Seacole workshop {n + 1}",
            )
            for n in range(6)
        ],
    ),
    (
        "BAME-NM",
        "Aspirant BAME Nursing and Midwifery Leaders 2027",
        None,
        22,
        [
            (dt.date(2027, 3, 9), "09:30", "16:00", "Launch day"),
            (dt.date(2027, 4, 13), "09:30", "16:00", "Module 2"),
        ],
    ),
    (
        "LFSC",
        "Leading for System Change – Coventry and Warwickshire",
        "coventry-warwickshire",
        40,
        [
            (dt.date(2027, 1, 19), "09:30", "16:30", "System challenge launch"),
            (dt.date(2027, 2, 16), "09:30", "16:30", "Working across boundaries"),
        ],
    ),
    (
        "PC-TRI",
        "Power of Three – January 2027",
        None,
        30,
        [(dt.date(2027, 1, 12), "13:00", "17:00", "Power of Three")],
    ),
    (
        "PC-PCNCD",
        "PCN Clinical Director Coaching – 2027",
        None,
        16,
        [
            (dt.date(2027, 1, 25), "12:30", "14:00", "Group coaching 1"),
            (dt.date(2027, 3, 1), "12:30", "14:00", "Group coaching 2"),
        ],
    ),
    (
        "PC-5B",
        "Five Behaviours – Leicester, February 2027",
        "llr",
        24,
        [(dt.date(2027, 2, 18), "09:00", "16:30", "Five Behaviours team day")],
    ),
    (
        "PC-NGP",
        "New GPs – Spring 2027",
        None,
        20,
        [(dt.date(2027, 3, 16), "13:00", "17:00", "Leading in practice")],
    ),
    (
        "PC-PM",
        "Practice managers – January 2027",
        None,
        25,
        [(dt.date(2027, 1, 21), "09:30", "12:30", "Leading the practice")],
    ),
    (
        "MC-COMP",
        "Compassionate leadership masterclass – December 2026",
        None,
        200,
        [(dt.date(2026, 12, 2), "12:30", "14:00", "Masterclass with Q&A")],
    ),
    (
        "LE-BEL",
        "Listening event – January 2027",
        None,
        150,
        [(dt.date(2027, 1, 28), "12:00", "13:30", "Listening event")],
    ),
]
# A recent cohort the demo participant completed: past sessions, attendance and a certificate.
COMPLETED_COHORT = (
    "CLS4",
    "CLS4 October 2026",
    [
        (dt.date(2026, 10, 7), "09:30", "12:30", "Emotional intelligence"),
        (dt.date(2026, 10, 14), "09:30", "12:30", "Emotional intelligence 2"),
    ],
)

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Daniel",
    "Ellie",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Jess",
    "Kwame",
    "Laura",
    "Mohammed",
    "Niamh",
    "Oliver",
    "Precious",
    "Rajesh",
    "Sophie",
    "Tom",
    "Uzma",
    "Victoria",
    "Wei",
    "Yasmin",
    "Zoe",
]
FAMILY_NAMES = [
    "Adeyemi",
    "Brown",
    "Chauhan",
    "Davies",
    "Evans",
    "Fernandes",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Mensah",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Robinson",
    "Singh",
    "Taylor",
    "Uddin",
    "Walker",
    "Xu",
    "Young",
]
PROFILES = [
    (StaffGroup.NURSING_MIDWIFERY, PayBand.BAND_6, "Nurse"),
    (StaffGroup.NURSING_MIDWIFERY, PayBand.BAND_7, "Midwife"),
    (StaffGroup.ADMINISTRATIVE_CLERICAL, PayBand.BAND_5, ""),
    (StaffGroup.MEDICAL_DENTAL, PayBand.MEDICAL, ""),
    (StaffGroup.ALLIED_HEALTH_PROFESSIONALS, PayBand.BAND_7, ""),
    (StaffGroup.NURSING_MIDWIFERY, PayBand.BAND_8A, "Nurse"),
]


def _at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def _programmes(region: Region) -> dict[str, Programme]:
    found = {p.code: p for p in Programme.objects.filter(code__in=[row[0] for row in PROGRAMMES])}
    for code, title, summary, theme, audience, mode, *extra in PROGRAMMES:
        if code in found:
            continue
        options = extra[0] if extra else {}
        found[code], _ = Programme.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "slug": f"{code.lower()}-{_slug(title)}"[:200],
                "summary": summary,
                "description": "Delivered by the Midlands Leadership and Lifelong Learning team.",
                "theme": theme,
                "audience": audience,
                "delivery_mode": mode,
                "entry_route": options.get("route", EntryRoute.OPEN),
                "eligible_pay_bands": options.get("bands", []),
                "eligible_staff_groups": options.get("groups", []),
                "eligibility_note": options.get("note", ""),
                "delivery_partner": options.get("partner", ""),
                "shortlist_quota_per_system": options.get("quota"),
                "region": region,
            },
        )
    return found


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text)


def _people(region: Region) -> list[Person]:
    """48 demo colleagues across the region's organisations, with profiles that fit the offer."""
    organisations = list(Organisation.objects.filter(region=region, system__isnull=False).order_by("name"))
    emails = [f"demo.colleague{n:02d}@nhs.net" for n in range(48)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    for n, email in enumerate(emails):
        if email in existing:
            continue
        given, family = FIRST_NAMES[n % 24], FAMILY_NAMES[(n * 7) % 24]
        user = User.objects.create_user(email=email, password=None, first_name=given, last_name=family)
        group, band, _ = PROFILES[n % len(PROFILES)]
        organisation = organisations[(n * 5) % len(organisations)]
        Person.objects.create(
            user=user,
            given_name=given,
            family_name=family,
            job_title="Team Leader",
            organisation=organisation,
            region=region,
            staff_group=group,
            pay_band=band,
            gender="female" if n % 5 else "male",
            ethnic_category="ABCHJMNRA"[n % 9],
        )
    return list(
        Person.objects.filter(user__email__in=emails).select_related("organisation").order_by("user__email")
    )


def _cohort(programme, name, system, capacity, sessions, status, region) -> Cohort | None:
    if Cohort.objects.filter(programme=programme, name=name).exists():
        return None
    cohort = Cohort.objects.create(
        programme=programme,
        name=name,
        region=region,
        system=system,
        capacity=capacity,
        status=status,
        facilitators="Midlands Leadership and Lifelong Learning team",
        enrolment_closes_at=_at(sessions[0][0] - dt.timedelta(days=2), "17:00") if status == "open" else None,
        starts_on=sessions[0][0],
        ends_on=sessions[-1][0],
    )
    Session.objects.bulk_create(
        Session(
            cohort=cohort,
            title=title,
            starts_at=_at(day, start),
            ends_at=_at(day, end),
            joining_url=TEAMS.format(f"{cohort.pk}-{i}") if programme.delivery_mode != F2F else "",
            venue="Leicester Tigers Conference Centre" if programme.delivery_mode == F2F else "",
        )
        for i, (day, start, end, title) in enumerate(sessions)
    )
    return cohort


def load(stdout=None) -> None:
    region = Region.objects.get(slug="midlands")
    programmes = _programmes(region)
    systems = {s.slug: s for s in System.objects.filter(sub_region__region=region)}
    people = _people(region)
    participant = Person.objects.select_related("organisation").get(user__email="participant@nhs.net")
    if not participant.pay_band:
        participant.pay_band = PayBand.BAND_7
        participant.save(update_fields=["pay_band"])

    created = {}
    for code, name, system_slug, capacity, sessions in CURRENT_COHORTS:
        cohort = _cohort(
            programmes[code], name, systems.get(system_slug), capacity, sessions, CohortStatus.OPEN, region
        )
        if cohort:
            created[name] = cohort

    rows: list[Enrolment] = []
    if "CLS7 December 2026" in created:
        # Full, with a waiting list; the demo participant is third in line.
        full = created["CLS7 December 2026"]
        rows += [Enrolment(cohort=full, person=p, status=EnrolmentStatus.ENROLLED) for p in people[:12]]
        waiting = [people[12], people[13], participant, people[14], people[15]]
        rows += [
            Enrolment(cohort=full, person=p, status=EnrolmentStatus.WAITLISTED, waitlist_position=i + 1)
            for i, p in enumerate(waiting)
        ]
    if "CLS2 December 2026" in created:
        cls2 = created["CLS2 December 2026"]
        rows += [Enrolment(cohort=cls2, person=participant, status=EnrolmentStatus.ENROLLED)]
        rows += [Enrolment(cohort=cls2, person=p, status=EnrolmentStatus.ENROLLED) for p in people[16:40]]
    for name, start in (
        ("CLS7 January 2027", 20),
        ("Mary Seacole – Spring 2027 (East Midlands)", 30),
        ("Compassionate leadership masterclass – December 2026", 0),
    ):
        if name in created:
            rows += [
                Enrolment(cohort=created[name], person=p, status=EnrolmentStatus.ENROLLED)
                for p in people[start : start + 14]
            ]
    Enrolment.objects.bulk_create(rows)

    if "Aspirant BAME Nursing and Midwifery Leaders 2027" in created:
        _applications(created["Aspirant BAME Nursing and Midwifery Leaders 2027"], people)
    _completed(programmes, region, participant, people)

    # Places are recounted from the rows, as the services keep them.
    for cohort in Cohort.objects.filter(programme__in=programmes.values()).annotate(
        held=Count("enrolments", filter=Q(enrolments__status__in=PLACE_HOLDING))
    ):
        if cohort.places_taken != cohort.held:
            Cohort.objects.filter(pk=cohort.pk).update(places_taken=cohort.held)
    if stdout:
        stdout.write(f"  programmes: {len(programmes)} programmes, {len(created)} new current cohorts")
    demo_2020_21.load(region, stdout)


def _applications(cohort: Cohort, people: list[Person]) -> None:
    eligible = [p for p in people if p.staff_group == StaffGroup.NURSING_MIDWIFERY][:12]
    for index, person in enumerate(eligible):
        enrolment = Enrolment.objects.create(cohort=cohort, person=person, status=EnrolmentStatus.APPLIED)
        Application.objects.create(
            enrolment=enrolment,
            profession="Midwife" if person.pay_band == PayBand.BAND_7 else "Nurse",
            answers={
                "why": "I want to lead change for the communities my ward serves.",
                "contribution": "I will set up a reverse mentoring scheme with our executive team.",
            },
            nominated_by_name=f"Line manager {index + 1}",
            nominated_by_email=f"line.manager{index + 1}@nhs.net",
        )


def _completed(programmes, region, participant: Person, people: list[Person]) -> None:
    code, name, sessions = COMPLETED_COHORT
    cohort = _cohort(programmes[code], name, None, 30, sessions, CohortStatus.COMPLETED, region)
    if cohort is None:
        return
    attendees = [participant, *people[40:48]]
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(cohort=cohort, person=p, status=EnrolmentStatus.ENROLLED) for p in attendees]
    )
    marks = []
    for session_index, session in enumerate(cohort.sessions.order_by("starts_at")):
        for i, enrolment in enumerate(enrolments):
            missed = (i + session_index) % 4 == 3
            marks.append(
                Attendance(
                    session=session,
                    enrolment=enrolment,
                    status=AttendanceStatus.ABSENT if missed else AttendanceStatus.ATTENDED,
                    marked_at=session.ends_at,
                )
            )
    Attendance.objects.bulk_create(marks)
    for i, enrolment in enumerate(enrolments):
        attended = sum(1 for m in marks if m.enrolment is enrolment and m.status == AttendanceStatus.ATTENDED)
        if attended == len(sessions):
            Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.COMPLETED)
            Certificate.objects.create(
                enrolment=enrolment,
                code=f"DEMO{cohort.pk:04d}{i:04d}",
                issued_at=_at(sessions[-1][0], "17:00"),
            )
    Feedback.objects.create(
        enrolment=enrolments[1],
        rating=5,
        comment="It gave me the words to talk to my team about how they were really feeling.",
        consent_to_quote=True,
        attribution="Ward Sister",
    )
