"""A bid's approved places never oversell and a trainee's placements never overlap: real concurrent
transactions on separate PostgreSQL connections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from gmts import services
from gmts.models import HostBid, Placement, PlacementKind, PlacementStatus
from tests.concurrency import refused_is_fine, run_together
from tests.conftest import make_person
from tests.gmts.factories import HostBidFactory, PlacementFactory, TraineeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_managers_confirming_at_once_take_no_more_than_the_approved_places(intake, host, start):
    bid = HostBidFactory(intake=intake, lead_organisation=host, places_requested=3, places_approved=3)
    proposed = [
        PlacementFactory(
            trainee=TraineeFactory(intake=intake, person=make_person(organisation=host)),
            bid=bid,
            host=host,
            starts_on=start,
            status=PlacementStatus.PROPOSED,
        )
        for _ in range(12)
    ]
    managers = [make_person(organisation=host) for _ in range(12)]
    assert connection.vendor == "postgresql"

    errors = run_together(
        [
            refused_is_fine(lambda p=p, m=m: services.placement_confirm(placement=p, actor=m.user))
            for p, m in zip(proposed, managers, strict=True)
        ]
    )

    assert errors == []
    bid = HostBid.objects.get(pk=bid.pk)
    confirmed = Placement.objects.filter(bid=bid, status=PlacementStatus.CONFIRMED).count()
    assert confirmed == bid.places_taken == 3
    assert Placement.objects.filter(bid=bid, status=PlacementStatus.PROPOSED).count() == 9


def test_two_managers_placing_one_trainee_on_overlapping_dates_at_once(intake, host, start):
    bid = HostBidFactory(intake=intake, lead_organisation=host, places_requested=10, places_approved=10)
    trainee = TraineeFactory(intake=intake, person=make_person(organisation=host))

    def place(offset: int):
        return refused_is_fine(
            lambda: services.placement_propose(
                trainee=trainee,
                bid=bid,
                kind=PlacementKind.FIRST,
                starts_on=start + dt.timedelta(days=offset),
                ends_on=start + dt.timedelta(days=offset + 180),
                actor=None,
                status=PlacementStatus.CONFIRMED,
            )
        )

    errors = run_together([place(i * 7) for i in range(8)])

    assert errors == []
    assert Placement.objects.filter(trainee=trainee).exclude(status=PlacementStatus.WITHDRAWN).count() == 1
    assert HostBid.objects.get(pk=bid.pk).places_taken == 1
