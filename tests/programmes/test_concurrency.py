"""Places never oversell: real concurrent transactions on separate PostgreSQL connections."""

from __future__ import annotations

import contextlib

import pytest
from django.db import connection

from programmes import services
from programmes.models import Cohort, Enrolment, EnrolmentStatus
from programmes.services import EnrolmentRefused
from tests.concurrency import run_together
from tests.conftest import make_person
from tests.factories import CohortFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_people_for_the_last_place(participant):
    cohort = CohortFactory(programme__region=participant.region, capacity=10)
    SessionFactory(cohort=cohort)
    for _ in range(9):
        EnrolmentFactory(cohort=cohort, person=make_person(organisation=participant.organisation))
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=9)
    people = [make_person(organisation=participant.organisation) for _ in range(50)]
    assert connection.vendor == "postgresql"

    errors = run_together(
        [lambda p=p: services.enrolment_create(person=p, cohort=cohort, actor=p.user) for p in people]
    )

    assert errors == []
    mine = Enrolment.objects.filter(cohort=cohort, person__in=people)
    assert mine.filter(status=EnrolmentStatus.ENROLLED).count() == 1
    positions = sorted(
        mine.filter(status=EnrolmentStatus.WAITLISTED).values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, 50))
    cohort.refresh_from_db()
    assert cohort.places_taken == 10
    assert cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 10


def test_cancelling_and_promoting_at_once_keeps_the_count(participant):
    cohort = CohortFactory(programme__region=participant.region, capacity=5)
    SessionFactory(cohort=cohort)
    placed = [make_person(organisation=participant.organisation) for _ in range(5)]
    waiting = [make_person(organisation=participant.organisation) for _ in range(10)]
    for person in placed + waiting:
        services.enrolment_create(person=person, cohort=cohort, actor=None)
    cancels = [
        lambda e=e: services.enrolment_cancel(enrolment=e, actor=None)
        for e in Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED)[:3]
    ]

    def promote():
        # No free place at that instant is a correct answer, not an oversell.
        with contextlib.suppress(EnrolmentRefused):
            services.waitlist_promote(cohort=cohort, actor=None)

    errors = run_together(cancels + [promote, promote, promote])

    assert errors == []
    cohort.refresh_from_db()
    held = cohort.enrolments.filter(status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.OFFERED)).count()
    assert held == cohort.places_taken == 5
    positions = sorted(
        cohort.enrolments.filter(status=EnrolmentStatus.WAITLISTED).values_list(
            "waitlist_position", flat=True
        )
    )
    assert positions == list(range(1, len(positions) + 1))
    assert len(positions) == 7
