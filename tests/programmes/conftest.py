from __future__ import annotations

import pytest

from academy.models import Role
from programmes import services
from programmes.models import EnrolmentStatus, EntryRoute
from tests.conftest import make_person, signed_in_client
from tests.factories import CohortFactory, SessionFactory


def enrol(person, cohort):
    """The person enrols themselves, as on the programme's page."""
    return services.enrolment_create(person=person, cohort=cohort, actor=person.user)


def apply(person, cohort, *, answers=None, profession: str = ""):
    """The person applies themselves, as on the cohort's application form."""
    return services.application_submit(
        person=person, cohort=cohort, answers=answers or {}, profession=profession, actor=person.user
    )


@pytest.fixture
def cohort(participant):
    """An open cohort of 2 places in the participant's region, with two upcoming sessions."""
    cohort = CohortFactory(programme__region=participant.region, capacity=2)
    SessionFactory(cohort=cohort)
    SessionFactory(cohort=cohort)
    return cohort


@pytest.fixture
def application_route(cohort):
    """The cohort, its programme taking applications (shortlisted, then offered places)."""
    cohort.programme.entry_route = EntryRoute.APPLICATION
    cohort.programme.save()
    return cohort


@pytest.fixture
def application_cohort(application_route):
    """The application-route cohort, shortlisting at most one applicant per system for each profession."""
    application_route.programme.shortlist_quota_per_system = 1
    application_route.programme.save()
    return application_route


@pytest.fixture
def roomy(cohort):
    """The cohort with places for everyone in the import tests' files."""
    cohort.capacity = 50
    cohort.save()
    return cohort


@pytest.fixture
def staff(participant):
    """Programme staff in the participant's region."""
    return make_person(Role.PROGRAMME_STAFF, region=participant.region)


@pytest.fixture
def region_staff_client(staff):
    return signed_in_client(staff)


@pytest.fixture
def person_in(participant):
    """Make more participants in the participant's region (and system)."""

    def make(**kwargs):
        person = make_person(organisation=participant.organisation)
        for name, value in kwargs.items():
            setattr(person, name, value)
        if kwargs:
            person.save()
        return person

    return make


@pytest.fixture
def offer(participant, cohort, person_in):
    """The participant, first in line, offered a freed place; a second person still waiting."""
    holder = enrol(person_in(), cohort)
    enrol(person_in(), cohort)
    offered = enrol(participant, cohort)
    waiting = enrol(person_in(), cohort)
    services.enrolment_cancel(enrolment=holder, actor=None)
    offered.refresh_from_db()
    assert offered.status == EnrolmentStatus.OFFERED
    return {"offered": offered, "waiting": waiting}
