"""The programmes' 2020/21 year, built so that the Year in Review states the source document's headline
figures from the portal's own data —

    191 interventions delivered between 10 September 2020 and 31 March 2021, 4,116 enrolments,
    70% attendance on the day; participants 37% administrative and clerical, 31% medical and dental,
    20% nurses, midwives and AHPs; 79% female; 32% minority ethnic —

on the programmes `programmes/demo.py` creates (found by code), with 4,116 participants spread over the
11 systems, and quotes given with consent. Deterministic (seeded), idempotent (skips what is there) and
bulk-created. Loaded by `programmes.demo.load()`; `tests/reporting/test_demo.py` pins the figures.

The shares are of the published (rounded) figures, so the counts below are chosen to land inside
each percentage once rounded to the nearest 5 — e.g. 1,523 administrative and clerical of 4,116:
1,525 / 4,115 = 37.1%."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password

from academy.models import Gender, Organisation, Person, Region, StaffGroup, User
from programmes.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Feedback,
    Programme,
    Session,
)

LONDON = ZoneInfo("Europe/London")
SEED = 2021
PREFIX = "2020/21"  # every historical cohort's name starts with it: the idempotency check
EMAIL = "yir2021.participant{:04d}@nhs.net"
FIRST_SESSION = dt.date(2020, 9, 10)
LAST_SESSION = dt.date(2021, 3, 31)

ENROLMENTS = 4116
ATTENDANCE_RATE = 0.70

# Individuals by ESR staff group (sum 4,116).
STAFF_GROUPS = {
    StaffGroup.ADMINISTRATIVE_CLERICAL: 1523,  # 37%
    StaffGroup.MEDICAL_DENTAL: 1276,  # 31%
    StaffGroup.NURSING_MIDWIFERY: 580,  # with AHPs: 825 → 20%
    StaffGroup.ALLIED_HEALTH_PROFESSIONALS: 243,
    StaffGroup.ADDITIONAL_CLINICAL_SERVICES: 150,
    StaffGroup.ADDITIONAL_PROF_SCIENTIFIC_TECHNICAL: 120,
    StaffGroup.HEALTHCARE_SCIENTISTS: 90,
    StaffGroup.ESTATES_ANCILLARY: 60,
    StaffGroup.STUDENTS: 20,
    "": 54,  # not stated
}
GENDERS = {Gender.FEMALE: 3252, Gender.MALE: 820, Gender.NON_BINARY: 14, Gender.PREFER_NOT_TO_SAY: 30}  # 79%
# 3,900 stated: 2,652 White (A–C) and 1,248 minority ethnic (32%); 216 not stated.
ETHNIC_CATEGORIES = {
    "A": 2300, "B": 90, "C": 262,
    "D": 40, "E": 20, "F": 35, "G": 25, "H": 380, "J": 150, "K": 60, "L": 110,
    "M": 110, "N": 220, "P": 30, "R": 28, "S": 40,
    "Z": 150, "": 66,
}  # fmt: skip
# Where participants work: relative weights of the 11 systems (slugs from academy.demo).
SYSTEM_WEIGHTS = {
    "birmingham-solihull": 15,
    "black-country": 11,
    "nottingham-nottinghamshire": 11,
    "derby-derbyshire": 10,
    "llr": 10,
    "staffordshire-stoke": 9,
    "coventry-warwickshire": 8,
    "lincolnshire": 7,
    "northamptonshire": 7,
    "herefordshire-worcestershire": 6,
    "shropshire-telford-wrekin": 6,
}
# Programme code: (cohorts delivered, sessions per cohort, participants per cohort or None for a share).
COHORTS = {
    "CLS1": (14, 1, None),
    "CLS2": (14, 1, None),
    "CLS3": (12, 1, None),
    "CLS4": (12, 1, None),
    "CLS5": (16, 1, None),
    "CLS6": (10, 1, None),
    "CLS7": (30, 1, None),  # the most in demand
    "CLS8": (12, 1, None),
    "RCLRT": (10, 1, None),
    "MSP": (3, 3, 25),
    "BAME-NM": (1, 3, 22),  # one nurse and one midwife per system shortlisted: 22
    "LFSC": (2, 3, 40),  # up to 40 from one ICS
    "PC-TRI": (8, 2, 18),
    "PC-PCNCD": (12, 1, None),
    "PC-5B": (6, 1, 18),
    "PC-NGP": (6, 2, 16),
    "PC-PM": (6, 1, None),
    "MC-COMP": (12, 1, None),
    "LE-BEL": (5, 1, None),
}  # 191 cohorts
GIVEN_NAMES = (
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Ellie",
    "Farah",
    "Grace",
    "Hamza",
    "Isla",
    "Jas",
    "Kemi",
    "Liam",
)
FAMILY_NAMES = ("Patel", "Smith", "Khan", "Jones", "Okafor", "Williams", "Begum", "Brown", "Nowak", "Taylor")
SHARE_WEIGHT = {"CLS7": 1.6, "MC-COMP": 1.4}  # larger than the others among the "share" cohorts

QUOTES = [
    (
        "CLS2",
        "I can really see how all these courses fit together. Each one built on the last and I used "
        "something from every session with my team the following week.",
        "Team leader, acute trust",
    ),
    (
        "CLS7",
        "The trauma informed leadership session gave me the words to talk to my team about what they had "
        "been through this year, and permission to look after myself too.",
        "Ward manager",
    ),
    (
        "CLS5",
        "Practical, kind and straight to the point: I changed how I run every virtual team meeting.",
        "Practice manager",
    ),
    (
        "PC-PCNCD",
        "Having a coach as a new clinical director made the difference between surviving the year and "
        "leading through it.",
        "PCN Clinical Director",
    ),
    (
        "CLS8",
        "A brave and honest space. I left with a clearer idea of the ally I want to be.",
        "Head of nursing",
    ),
    (
        "MSP",
        "Six months that changed how I lead my ward: I finally feel like a leader, not just a senior nurse.",
        "Mary Seacole participant",
    ),
]


def load(region: Region, stdout=None) -> None:
    programmes = {p.code: p for p in Programme.objects.filter(code__in=COHORTS)}
    missing = sorted(set(COHORTS) - set(programmes))
    if missing:
        raise RuntimeError(f"The programmes demo did not create: {', '.join(missing)}")
    if Cohort.objects.filter(region=region, name__startswith=PREFIX).exists():
        if stdout:
            stdout.write("  the 2020/21 year is already loaded")
        return
    _history(region, programmes)
    if stdout:
        stdout.write("  2020/21: 191 interventions, 4,116 enrolments.")


def _shuffled(counts: dict, rng: random.Random) -> list:
    values = [value for value, n in counts.items() for _ in range(n)]
    rng.shuffle(values)
    return values


def _dates(rng: random.Random, n: int) -> list[dt.date]:
    """n session dates on weekdays from 10 September 2020 to 31 March 2021, first and last included."""
    days = [
        FIRST_SESSION + dt.timedelta(days=i)
        for i in range((LAST_SESSION - FIRST_SESSION).days + 1)
        if (FIRST_SESSION + dt.timedelta(days=i)).weekday() < 5
        and not (dt.date(2020, 12, 21) <= FIRST_SESSION + dt.timedelta(days=i) <= dt.date(2021, 1, 1))
    ]
    middle = sorted(rng.choice(days[1:-1]) for _ in range(n - 2))
    return [FIRST_SESSION, *middle, LAST_SESSION]


def _sizes(rng: random.Random) -> list[tuple[str, int, int]]:
    """(code, sessions, participants) for each of the 191 cohorts, participants adding up to 4,116."""
    plan = [(code, sessions, size) for code, (n, sessions, size) in COHORTS.items() for _ in range(n)]
    fixed = sum(size for _, _, size in plan if size)
    shared = [i for i, (_, _, size) in enumerate(plan) if size is None]
    weights = [SHARE_WEIGHT.get(plan[i][0], 1.0) * rng.uniform(0.8, 1.2) for i in shared]
    remaining = ENROLMENTS - fixed
    exact = [remaining * w / sum(weights) for w in weights]
    sizes = [int(x) for x in exact]
    by_remainder = sorted(range(len(shared)), key=lambda k: exact[k] - sizes[k], reverse=True)
    for k in by_remainder[: remaining - sum(sizes)]:
        sizes[k] += 1
    result = [(code, sessions, size or 0) for code, sessions, size in plan]
    for k, i in enumerate(shared):
        result[i] = (plan[i][0], plan[i][1], sizes[k])
    return result


def _history(region: Region, programmes: dict[str, Programme]) -> None:
    rng = random.Random(SEED)
    people = _participants(region, rng)
    plan = _sizes(rng)
    rng.shuffle(plan)
    cohorts, sessions_by_cohort = _cohorts(region, programmes, plan, _dates(rng, len(plan)))
    enrolments, cursor = [], 0
    for cohort, (_, _, size) in zip(cohorts, plan, strict=True):
        enrolments += [
            Enrolment(cohort=cohort, person=person, status=EnrolmentStatus.COMPLETED)
            for person in people[cursor : cursor + size]
        ]
        cursor += size
    enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    went = _attendance(enrolments, sessions_by_cohort, rng)
    # Who attended nothing did not complete: their enrolment stays "enrolled".
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments if e.pk not in went]).update(
        status=EnrolmentStatus.ENROLLED
    )
    _quotes([e for e in enrolments if e.pk in went], programmes)


def _cohorts(
    region: Region, programmes: dict[str, Programme], plan: list[tuple[str, int, int]], starts: list[dt.date]
) -> tuple[list[Cohort], dict[int, list[Session]]]:
    """Each cohort's first session on its own date; multi-session cohorts continue weekly (capped at 31
    March). Returns the cohorts and their sessions by cohort id."""
    cohorts, sessions_of = [], []
    for number, ((code, n_sessions, size), first) in enumerate(zip(plan, starts, strict=True), start=1):
        dates = sorted(min(first + dt.timedelta(weeks=w), LAST_SESSION) for w in range(n_sessions))
        if first == LAST_SESSION:
            dates = sorted(LAST_SESSION - dt.timedelta(weeks=w) for w in range(n_sessions))
        cohorts.append(
            Cohort(
                programme=programmes[code],
                name=f"{PREFIX} {code} cohort {number}",
                region=region,
                capacity=max(size, 12),
                places_taken=size,
                status=CohortStatus.COMPLETED,
                facilitators="Midlands Leadership and Lifelong Learning Team",
                starts_on=dates[0],
                ends_on=dates[-1],
            )
        )
        sessions_of.append(dates)
    cohorts = Cohort.objects.bulk_create(cohorts)
    sessions = Session.objects.bulk_create(
        [
            Session(
                cohort=cohort,
                title=f"{cohort.programme.title} – part {i + 1}"
                if len(dates) > 1
                else cohort.programme.title,
                starts_at=dt.datetime.combine(day, dt.time(9 if i % 2 else 13, 30), tzinfo=LONDON),
                ends_at=dt.datetime.combine(day, dt.time(12 if i % 2 else 16, 0), tzinfo=LONDON),
                joining_url="https://teams.microsoft.com/l/meetup-join/academy-demo-2020-21",
            )
            for cohort, dates in zip(cohorts, sessions_of, strict=True)
            for i, day in enumerate(dates)
        ]
    )
    sessions_by_cohort: dict[int, list[Session]] = {}
    for session in sessions:
        sessions_by_cohort.setdefault(session.cohort_id, []).append(session)
    return cohorts, sessions_by_cohort


def _attendance(
    enrolments: list[Enrolment], sessions_by_cohort: dict[int, list[Session]], rng: random.Random
) -> set[int]:
    """Mark every place at every session, 70% attended; returns the enrolments that attended any."""
    slots = [(e, s) for e in enrolments for s in sessions_by_cohort[e.cohort_id]]
    attended = set(rng.sample(range(len(slots)), round(ATTENDANCE_RATE * len(slots))))
    marks = []
    for index, (enrolment, session) in enumerate(slots):
        if index in attended:
            status = AttendanceStatus.ATTENDED
        else:
            status = AttendanceStatus.APOLOGIES if index % 3 == 0 else AttendanceStatus.ABSENT
        marks.append(
            Attendance(session=session, enrolment=enrolment, status=status, marked_at=session.ends_at)
        )
    Attendance.objects.bulk_create(marks, batch_size=5000)
    return {slots[index][0].pk for index in attended}


def _participants(region: Region, rng: random.Random) -> list[Person]:
    """4,116 participants with sign-ins (unusable passwords), their equality data dealt out exactly."""
    organisations: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.filter(region=region, system__isnull=False).select_related(
        "system"
    ):
        organisations.setdefault(organisation.system.slug, []).append(organisation)
    slugs = [slug for slug in SYSTEM_WEIGHTS if slug in organisations]
    places = rng.choices(slugs, weights=[SYSTEM_WEIGHTS[s] for s in slugs], k=ENROLMENTS)
    groups, genders, ethnicities = (
        _shuffled(STAFF_GROUPS, rng),
        _shuffled(GENDERS, rng),
        _shuffled(ETHNIC_CATEGORIES, rng),
    )
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(email=EMAIL.format(n), password=unusable, is_active=False) for n in range(ENROLMENTS)],
        batch_size=2000,
    )
    given, family = GIVEN_NAMES, FAMILY_NAMES
    return Person.objects.bulk_create(
        [
            Person(
                user=user,
                given_name=given[n % len(given)],
                family_name=family[(n * 7) % len(family)],
                job_title="",
                organisation=rng.choice(organisations[places[n]]),
                region=region,
                staff_group=groups[n],
                gender=genders[n],
                ethnic_category=ethnicities[n],
            )
            for n, user in enumerate(users)
        ],
        batch_size=2000,
    )


def _quotes(enrolments: list[Enrolment], programmes: dict[str, Programme]) -> None:
    by_programme: dict[int, Enrolment] = {}
    for enrolment in enrolments:
        by_programme.setdefault(enrolment.cohort.programme_id, enrolment)
    Feedback.objects.bulk_create(
        [
            Feedback(
                enrolment=by_programme[programmes[code].pk],
                rating=5,
                comment=comment,
                consent_to_quote=True,
                attribution=attribution,
            )
            for code, comment, attribution in QUOTES
            if programmes[code].pk in by_programme
        ]
    )
