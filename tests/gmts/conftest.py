"""The scheme's fixtures: a GMTS manager of the Midlands, an intake starting in six weeks to six months, an
approved bid of two places and trainees waiting for their first placement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from academy.models import Role
from tests.conftest import make_person, signed_in_client
from tests.factories import OrganisationFactory, RegionFactory
from tests.gmts.factories import HostBidFactory, TraineeFactory, intake_starting


@pytest.fixture
def midlands(db):
    return RegionFactory()


@pytest.fixture
def host(midlands):
    return OrganisationFactory(name="Wye Valley NHS Trust")


@pytest.fixture
def manager(midlands, host):
    """The region's GMTS manager."""
    return make_person(Role.GMTS_MANAGER, organisation=host)


@pytest.fixture
def manager_client(manager):
    return signed_in_client(manager)


@pytest.fixture
def start():
    """The next intake's first day: the first 1 March or 1 September at least six weeks away."""
    earliest = timezone.localdate() + dt.timedelta(weeks=6)
    candidates = [dt.date(earliest.year + n, month, 1) for n in (0, 1) for month in (3, 9)]
    return min(d for d in candidates if d >= earliest)


@pytest.fixture
def intake(midlands, start):
    return intake_starting(midlands, start)


@pytest.fixture
def programme_manager(host):
    return make_person(organisation=host)


@pytest.fixture
def placement_manager(host):
    return make_person(organisation=host)


@pytest.fixture
def bid(intake, host, programme_manager, placement_manager):
    """Approved: two first placements at the host."""
    return HostBidFactory(
        intake=intake,
        lead_organisation=host,
        programme_manager=programme_manager,
        placement_manager=placement_manager,
        places_requested=3,
        places_approved=2,
    )


@pytest.fixture
def trainees(intake, programme_manager, host):
    """Three new trainees of the intake, their programme manager at the host."""
    return [
        TraineeFactory(
            intake=intake, programme_manager=programme_manager, person=make_person(organisation=host)
        )
        for _ in range(3)
    ]
