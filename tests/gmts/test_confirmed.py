"""The confirmed-placements figure at its edges: which intake it states (the last to start in the
period, its first and last days included), which trainees count as starting, which placements count
as confirmed, and the sentence for every case."""

from __future__ import annotations

import datetime as dt

import pytest

from academy.scope import Scope
from gmts.figures import ConfirmedStatement, confirmed_statement
from gmts.models import PlacementStatus, TraineeStatus
from tests.factories import OrganisationFactory, RegionFactory
from tests.gmts.factories import PlacementFactory, TraineeFactory, intake_starting

MARCH_21 = dt.date(2021, 3, 1)


@pytest.fixture
def region(db):
    return RegionFactory()


@pytest.fixture
def intakes(region):
    """September 2020: two trainees, both placed. March 2021: one trainee with a confirmed placement."""
    host = OrganisationFactory()
    sep20, mar21 = intake_starting(region, dt.date(2020, 9, 1)), intake_starting(region, MARCH_21)
    for _ in range(2):
        PlacementFactory(trainee=TraineeFactory(intake=sep20), host=host, starts_on=dt.date(2020, 9, 1))
    PlacementFactory(trainee=TraineeFactory(intake=mar21), host=host, starts_on=MARCH_21)
    return region


def statement(region, start, end):
    found = confirmed_statement(Scope(region, start, end))
    return None if found is None else (found.intake, found.starting, found.confirmed)


def test_the_last_intake_to_start_in_the_period_is_stated(intakes):
    assert statement(intakes, dt.date(2020, 4, 1), dt.date(2021, 3, 31)) == ("March 2021", 1, 1)


def test_an_intake_starting_on_the_periods_last_or_first_day_is_in_it(intakes):
    assert statement(intakes, dt.date(2020, 4, 1), MARCH_21) == ("March 2021", 1, 1)
    assert statement(intakes, dt.date(2020, 4, 1), MARCH_21 - dt.timedelta(days=1)) == (
        "September 2020",
        2,
        2,
    )
    assert statement(intakes, MARCH_21, dt.date(2021, 8, 31)) == ("March 2021", 1, 1)


def test_no_intake_starting_in_the_period_gives_no_figure(intakes):
    assert statement(intakes, MARCH_21 + dt.timedelta(days=1), dt.date(2021, 8, 31)) is None
    assert statement(intakes, dt.date(2019, 4, 1), dt.date(2020, 3, 31)) is None


def test_what_counts_as_starting_and_as_confirmed(region):
    host = OrganisationFactory()
    intake = intake_starting(region, MARCH_21)

    def trainee_with(placement_status, starts_on, ends_on, **trainee):
        PlacementFactory(
            trainee=TraineeFactory(intake=intake, **trainee),
            host=host,
            status=placement_status,
            starts_on=starts_on,
            ends_on=ends_on,
        )

    # Counted as confirmed: a confirmed placement ending on the start day, and a notified one.
    trainee_with(PlacementStatus.CONFIRMED, dt.date(2021, 1, 1), MARCH_21)
    trainee_with(PlacementStatus.NOTIFIED, MARCH_21, dt.date(2021, 8, 31))
    # Starting but not confirmed: a placement that ended before the start, a proposed one, a withdrawn one.
    trainee_with(PlacementStatus.COMPLETED, dt.date(2021, 1, 1), MARCH_21 - dt.timedelta(days=1))
    trainee_with(PlacementStatus.PROPOSED, MARCH_21, dt.date(2021, 8, 31))
    trainee_with(PlacementStatus.WITHDRAWN, MARCH_21, dt.date(2021, 8, 31))
    # Not starting at all: a trainee who withdrew, confirmed placement or not.
    trainee_with(
        PlacementStatus.CONFIRMED,
        MARCH_21,
        dt.date(2021, 8, 31),
        status=TraineeStatus.WITHDRAWN,
        status_reason="Left",
        left_on=dt.date(2021, 2, 1),
    )
    assert statement(region, dt.date(2020, 4, 1), dt.date(2021, 3, 31)) == ("March 2021", 5, 2)
    sentence = confirmed_statement(Scope(region, dt.date(2020, 4, 1), dt.date(2021, 3, 31))).sentence
    assert sentence == "2 of the 5 trainees starting in March 2021 have confirmed placements; 3 do not yet."


@pytest.mark.parametrize(
    ("starting", "confirmed", "sentence"),
    [
        (0, 0, "No trainees started the scheme in March 2021."),
        (1, 1, "The one trainee starting in March 2021 has a confirmed placement."),
        (2, 2, "All 2 trainees starting in March 2021 have confirmed placements."),
        (1, 0, "The one trainee starting in March 2021 does not yet have a confirmed placement."),
        (3, 2, "2 of the 3 trainees starting in March 2021 have confirmed placements; 1 does not yet."),
        (3, 1, "1 of the 3 trainees starting in March 2021 have confirmed placements; 2 do not yet."),
    ],
)
def test_the_sentence_for_every_case(starting, confirmed, sentence):
    figure = ConfirmedStatement("March 2021", starting, confirmed)
    assert figure.sentence == sentence
    assert figure.complete is (starting == confirmed)
