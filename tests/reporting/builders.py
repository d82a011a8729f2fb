"""Small builders for reporting tests: programme data made directly, so each fixture's counts can be
worked out by hand from the test itself."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from academy.models import Organisation, OrganisationType
from programmes.models import Attendance, Cohort, CohortStatus, Enrolment, Feedback, Programme, Session
from tests.factories import PersonFactory, SubRegionFactory, SystemFactory

LONDON = ZoneInfo("Europe/London")
_codes = itertools.count(1)


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def system(region, *, sub_region="West Midlands", name=None):
    sr = SubRegionFactory(region=region, name=sub_region, slug=sub_region.lower().replace(" ", "-"))
    return SystemFactory(sub_region=sr, **({"name": name} if name else {}))


def organisation(system_):
    n = next(_codes)
    return Organisation.objects.create(
        name=f"Organisation {n}",
        type=OrganisationType.ACUTE_TRUST,
        region=system_.sub_region.region,
        system=system_,
    )


def person(system_, **fields):
    return PersonFactory(organisation=organisation(system_), region=system_.sub_region.region, **fields)


def programme(region, *, theme="new_ways", code=None, title=None):
    code = code or f"P{next(_codes)}"
    return Programme.objects.create(
        title=title or f"Programme {code}",
        code=code,
        slug=code.lower(),
        summary="A programme",
        theme=theme,
        delivery_mode="virtual",
        region=region,
    )


def cohort(programme_, *, system=None, status=CohortStatus.RUNNING, name=None):
    return Cohort.objects.create(
        programme=programme_,
        name=name or f"{programme_.code} cohort {next(_codes)}",
        region=programme_.region,
        system=system,
        capacity=100,
        status=status,
    )


def session(cohort_, starts_at, *, cancelled=False):
    return Session.objects.create(
        cohort=cohort_,
        title="Session",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=20),
        is_cancelled=cancelled,
    )


def enrol(cohort_, person_, status="enrolled"):
    return Enrolment.objects.create(cohort=cohort_, person=person_, status=status)


def mark(session_, enrolment, status="attended"):
    return Attendance.objects.create(session=session_, enrolment=enrolment, status=status)


def feedback(
    enrolment, *, comment="It changed how I lead.", consent=True, rating=5, attribution="Ward manager"
):
    return Feedback.objects.create(
        enrolment=enrolment, rating=rating, comment=comment, consent_to_quote=consent, attribution=attribution
    )


def edition(region, *, actor=None, title="2020/21", **fields):
    """An edition for the financial year 2020/21 (April to March), made through the service."""
    from reporting import services

    return services.edition_create(
        actor=actor,
        region=region,
        title=title,
        **{"period_start": dt.date(2020, 4, 1), "period_end": dt.date(2021, 3, 31), **fields},
    )
