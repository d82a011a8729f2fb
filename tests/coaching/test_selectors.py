from __future__ import annotations

import pytest

from coaching.selectors import match_suggestions
from tests.factories import (
    CoachingRelationshipFactory,
    CoachingRequestFactory,
    CoachProfileFactory,
    OrganisationFactory,
    PersonFactory,
)


@pytest.fixture
def outside(participant):
    return OrganisationFactory(system=participant.organisation.system)


def coach(org, **kwargs):
    return CoachProfileFactory(person=PersonFactory(organisation=org, region=org.region), **kwargs)


def test_suggestions_ranked_by_overlap_then_availability_then_free_places(participant, outside):
    coaching_request = CoachingRequestFactory(
        requester=participant, specialisms=["career", "teams", "change"]
    )
    three = coach(outside, specialisms=["career", "teams", "change"], capacity=1)
    two_soon = coach(outside, specialisms=["career", "teams"], availability="soon", capacity=5)
    two_now_few = coach(outside, specialisms=["career", "teams"], capacity=2)
    two_now_many = coach(outside, specialisms=["teams", "change"], capacity=4)
    none_in_common = coach(outside, specialisms=["clinical"], capacity=9)
    assert match_suggestions(coaching_request=coaching_request) == [
        three,
        two_now_many,
        two_now_few,
        two_soon,
        none_in_common,
    ]


def test_suggestions_exclude_own_organisation_lapsed_full_unavailable_and_wrong_kind(participant, outside):
    coaching_request = CoachingRequestFactory(requester=participant, relationship_type="mentoring")
    fits = coach(outside, kind="mentor")
    coach(participant.organisation, kind="mentor")  # same organisation
    coach(outside, kind="mentor", status="lapsed")
    coach(outside, kind="coach")  # not a mentor
    coach(outside, kind="both", availability="none")
    full = coach(outside, kind="both", capacity=1)
    CoachingRelationshipFactory(coach=full, status="offered", started_on=None)
    CoachProfileFactory(person=participant, kind="mentor")  # the participant themself
    assert match_suggestions(coaching_request=coaching_request) == [fits]
