"""A coach's places and a group's seats never overfill: real concurrent transactions on separate
PostgreSQL connections, as tests/programmes/test_concurrency.py does for a cohort's places."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from coaching import services
from coaching.models import CoachingRelationship, ProfileStatus, RelationshipStatus, SupervisionAttendee
from tests.concurrency import refused_is_fine, run_together
from tests.conftest import make_person
from tests.factories import (
    CoachingRelationshipFactory,
    CoachingRequestFactory,
    CoachProfileFactory,
    RegionFactory,
    SupervisionSessionFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_coachees_for_a_coachs_last_place():
    region = RegionFactory()
    coach = CoachProfileFactory(person=make_person(region=region), capacity=3)
    for _ in range(2):
        CoachingRelationshipFactory(coach=coach, status=RelationshipStatus.ACTIVE)
    services.places_recount(profile_ids=[coach.pk])
    requests = [
        CoachingRequestFactory(requester=make_person(region=region), relationship_type="coaching")
        for _ in range(20)
    ]
    staff = make_person(region=region)
    assert connection.vendor == "postgresql"

    errors = run_together(
        [
            refused_is_fine(
                lambda r=r: services.relationship_offer(coaching_request=r, coach=coach, actor=staff.user)
            )
            for r in requests
        ]
    )

    assert errors == []
    assert CoachingRelationship.objects.filter(request__in=requests).count() == 1
    coach.refresh_from_db()
    assert coach.places_taken == 3


def test_twenty_coaches_for_the_last_seat_in_a_group_of_seven():
    region = RegionFactory()
    supervisor = make_person(region=region)
    session = SupervisionSessionFactory(
        supervisor=supervisor, region=region, starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    coaches = [
        CoachProfileFactory(person=make_person(region=region), status=ProfileStatus.APPROVED)
        for _ in range(27)
    ]
    for profile in coaches[:7]:
        services.supervision_add_attendee(session=session, profile=profile, actor=supervisor.user)

    errors = run_together(
        [
            refused_is_fine(
                lambda p=p: services.supervision_add_attendee(
                    session=session, profile=p, actor=supervisor.user
                )
            )
            for p in coaches[7:]
        ]
    )

    assert errors == []
    assert SupervisionAttendee.objects.filter(session=session).count() == 8
