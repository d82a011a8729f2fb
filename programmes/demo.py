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
from programmes.demo_data import (
    COMPLETED_COHORT,
    CURRENT_COHORTS,
    F2F,
    FAMILY_NAMES,
    FIRST_NAMES,
    PROFILES,
    PROGRAMMES,
)
from programmes.models import (
    PLACE_HOLDING,
    Application,
    Attendance,
    AttendanceStatus,
    Certificate,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    EntryRoute,
    Feedback,
    Programme,
    Session,
)

LONDON = ZoneInfo("Europe/London")
# The demo's "today": current cohorts are dated after it, so they stay fixed whatever day it loads.
DEMO_TODAY = dt.date(2026, 11, 22)
TEAMS = "https://teams.microsoft.com/l/meetup-join/academy-demo-{}"


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
