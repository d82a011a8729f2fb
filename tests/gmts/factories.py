"""factory_boy factories for the scheme's models."""

from __future__ import annotations

import datetime as dt

import factory
from dateutil.relativedelta import relativedelta

from gmts.models import (
    BidStatus,
    HostBid,
    Intake,
    Placement,
    PlacementKind,
    PlacementStatus,
    Season,
    Specialism,
    Trainee,
)
from gmts.specialisms import SPECIALISMS
from tests.factories import OrganisationFactory, PersonFactory, RegionFactory


def specialism(slug: str = "general-management") -> Specialism:
    """One of the five specialisms the migrations create (made again after a test that flushes)."""
    spec = next(s for s in SPECIALISMS if s["slug"] == slug)
    return Specialism.objects.get_or_create(slug=slug, defaults=spec)[0]


class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intake
        django_get_or_create = ("region", "year", "season")

    region = factory.SubFactory(RegionFactory)
    year = 2021
    season = Season.MARCH


def intake_starting(region, starts_on: dt.date) -> Intake:
    season = Season.MARCH if starts_on.month <= 6 else Season.SEPTEMBER
    intake = IntakeFactory(region=region, year=starts_on.year, season=season)
    intake.refresh_from_db()
    return intake


class TraineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainee

    person = factory.SubFactory(PersonFactory)
    intake = factory.SubFactory(IntakeFactory)
    specialism = factory.LazyFunction(specialism)
    ends_on = factory.LazyAttribute(
        lambda t: (
            Intake.objects.get(pk=t.intake.pk).starts_on
            + relativedelta(months=t.specialism.length_months)
            - dt.timedelta(days=1)
        )
    )


class HostBidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostBid

    intake = factory.SubFactory(IntakeFactory)
    lead_organisation = factory.SubFactory(OrganisationFactory)
    kind = PlacementKind.FIRST
    places_requested = 2
    programme_manager = factory.SubFactory(PersonFactory)
    placement_manager = factory.SubFactory(PersonFactory)
    funding_commitment = "Salary and on-costs for the placement."
    status = BidStatus.APPROVED
    places_approved = 2
    decision_reason = "Assured: a strong placement plan."


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    trainee = factory.SubFactory(TraineeFactory)
    host = factory.SubFactory(OrganisationFactory)
    kind = PlacementKind.FIRST
    starts_on = dt.date(2021, 3, 1)
    ends_on = factory.LazyAttribute(lambda p: p.starts_on + relativedelta(months=6) - dt.timedelta(days=1))
    status = PlacementStatus.CONFIRMED
