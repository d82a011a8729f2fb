"""A centre's places and an opportunity's places never overfill, and a person never gets two active
memberships: real concurrent transactions on separate PostgreSQL connections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from talent import services
from talent.models import (
    BookingStatus,
    CentreBooking,
    CentreLevel,
    Interest,
    InterestStatus,
    OpportunityKind,
    PoolMember,
)
from tests.concurrency import refused_is_fine, run_together
from tests.factories import OrganisationFactory, PersonFactory, SystemFactory
from tests.talent.conftest import add_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def trust():
    return OrganisationFactory(system=SystemFactory())


def test_twelve_bookings_for_a_centres_last_two_places(trust):
    centre = services.centre_create(
        region=trust.region,
        title="Leadership Development Assessment Centre",
        level=CentreLevel.LEADERSHIP,
        held_on=timezone.localdate() + dt.timedelta(days=30),
        places=2,
        actor=None,
    )
    bookings = [
        services.booking_nominate(centre=centre, person=PersonFactory(organisation=trust), actor=None)
        for _ in range(12)
    ]
    errors = run_together(
        [refused_is_fine(lambda b=b: services.booking_book(booking=b, actor=None)) for b in bookings]
    )
    assert errors == []
    assert CentreBooking.objects.filter(centre=centre, status=BookingStatus.BOOKED).count() == 2


def test_ten_placements_for_one_place(trust):
    today = timezone.localdate()
    opportunity = services.opportunity_create(
        region=trust.region,
        role="Director of Strategy",
        host=trust,
        kind=OpportunityKind.STRETCH,
        starts_on=today + dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=90),
        closes_on=today + dt.timedelta(days=7),
        actor=None,
    )
    interests = []
    for _ in range(10):
        member = add_member(PersonFactory(organisation=trust))
        interest = services.interest_express(
            opportunity=opportunity, member=member, statement="Me", actor=None
        )
        interests.append(services.interest_move(interest=interest, move="shortlist", actor=None))
    errors = run_together(
        [
            refused_is_fine(lambda i=i: services.interest_move(interest=i, move="place", actor=None))
            for i in interests
        ]
    )
    assert errors == []
    assert Interest.objects.filter(opportunity=opportunity, status=InterestStatus.PLACED).count() == 1


def test_the_same_person_added_eight_times_at_once_joins_once(trust):
    person = PersonFactory(organisation=trust)
    errors = run_together([refused_is_fine(lambda: add_member(person)) for _ in range(8)])
    assert errors == []  # the person row is locked first: the others are refused, none fails
    assert PoolMember.objects.filter(person=person).count() == 1
