"""The talent tests' ground: a region with two systems, its talent lead, pool members, a board member
of one system, and a talent lead of another region."""

from __future__ import annotations

import datetime as dt

import pytest

from academy.models import Role
from talent import services
from talent.models import BoardSeat, EntryRoute, ProfessionalGroup, Readiness, ServiceType
from tests.conftest import make_person, signed_in_client
from tests.factories import OrganisationFactory, PersonFactory, RegionFactory, SystemFactory

EVIDENCE = "Aspire Together assessment centre, March 2020."


@pytest.fixture
def midlands(db):
    region = RegionFactory()
    north = SystemFactory(sub_region__region=region, name="Derby and Derbyshire", slug="derby")
    south = SystemFactory(sub_region__region=region, name="Coventry and Warwickshire", slug="coventry")
    return {
        "region": region,
        "north": north,
        "south": south,
        "north_trust": OrganisationFactory(system=north, name="University Hospitals of Derby and Burton"),
        "south_trust": OrganisationFactory(system=south, name="South Warwickshire NHS Foundation Trust"),
    }


@pytest.fixture
def talent_lead(midlands):
    return make_person(Role.TALENT_LEAD, organisation=midlands["north_trust"])


@pytest.fixture
def lead_client(talent_lead):
    return signed_in_client(talent_lead)


@pytest.fixture
def other_lead(db):
    other = RegionFactory(name="North West", slug="north-west")
    return make_person(Role.TALENT_LEAD, region=other)


def add_member(
    person,
    *,
    actor=None,
    readiness=Readiness.READY_SOON,
    group=ProfessionalGroup.NURSING,
    service=ServiceType.ACUTE,
    decided_on=dt.date(2020, 6, 1),
    region=None,
):
    return services.member_add(
        person=person,
        region=region or person.region,
        professional_group=group,
        service_type=service,
        entry_route=EntryRoute.ASPIRE_TOGETHER,
        readiness=readiness,
        evidence=EVIDENCE,
        decided_on=decided_on,
        actor=actor,
    )


@pytest.fixture
def member_person(midlands):
    return make_person(organisation=midlands["north_trust"])


@pytest.fixture
def member(member_person, talent_lead):
    return add_member(member_person, actor=talent_lead.user)


@pytest.fixture
def member_client(member, member_person):
    return signed_in_client(member_person)


@pytest.fixture
def south_member(midlands, talent_lead):
    person = PersonFactory(organisation=midlands["south_trust"])
    return add_member(person, actor=talent_lead.user, readiness=Readiness.READY_NOW)


@pytest.fixture
def board_person(midlands):
    """A board member of the northern system (the seat is the grant; the role shows them the page)."""
    person = make_person(Role.TALENT_BOARD, organisation=midlands["north_trust"])
    BoardSeat.objects.create(user=person.user, system=midlands["north"])
    return person


@pytest.fixture
def board_client(board_person):
    return signed_in_client(board_person)
