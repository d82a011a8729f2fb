"""The register, the directory and the coach's own page run a fixed number of queries, however many
coaches, qualifications, relationships and supervision records there are."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories


def _coaches(region_person, count: int):
    organisation = factories.OrganisationFactory(system=region_person.organisation.system)
    coaches = []
    for _n in range(count):
        profile = factories.CoachProfileFactory(
            person=factories.PersonFactory(organisation=organisation, region=organisation.region)
        )
        factories.QualificationFactory(profile=profile, kind="ilm5")
        factories.QualificationFactory(profile=profile, kind="ilm3")
        factories.CoachingRelationshipFactory(
            coach=profile, coachee=factories.PersonFactory(organisation=region_person.organisation)
        )
        coaches.append(profile)
    return coaches


def _count(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_register_queries_do_not_grow_with_coaches(
    staff_client, programme_staff, django_assert_max_num_queries
):
    _coaches(programme_staff, 3)
    small = _count(staff_client, reverse("coaching:register"))
    _coaches(programme_staff, 30)
    # session, user, the user's groups (role check), person, region; count, systems for the filter,
    # the page's ids (a narrow sorted query), those coaches' rows, their qualifications (one
    # prefetch); and the session's save (savepoint, update, release).
    with django_assert_max_num_queries(13):
        response = staff_client.get(
            reverse("coaching:register"), {"qualification": "ilm5", "capacity": "free"}
        )
    assert response.status_code == 200
    assert _count(staff_client, reverse("coaching:register")) == small


def test_directory_queries_do_not_grow_with_coaches(
    participant, participant_client, django_assert_max_num_queries
):
    _coaches(participant, 30)
    # session, user, the user's groups, person; count, the page's ids, those coaches' rows, the
    # participant's requests, relationships; and the session's save (savepoint, update, release).
    with django_assert_max_num_queries(12):
        response = participant_client.get(reverse("coaching:directory"))
    assert response.status_code == 200


def test_my_coaching_queries_do_not_grow_with_history(coach, coach_client, django_assert_max_num_queries):
    profile = factories.CoachProfileFactory(person=coach)
    today = timezone.localdate()
    for n in range(30):
        factories.SupervisionRecordFactory(profile=profile, held_on=today - datetime.timedelta(days=10 * n))
    for _ in range(3):
        factories.QualificationFactory(profile=profile)
    for _ in range(8):
        relationship = factories.CoachingRelationshipFactory(coach=profile)
        factories.CoachingSessionLogFactory(relationship=relationship)
        factories.CoachingSessionLogFactory(relationship=relationship)
        factories.CPDEventFactory(region=profile.region).attendances.create(profile=profile)
    # session, user, the user's role grants (navigation), the profile with its person; then
    # qualifications, supervision (latest 20, with the count as a window), group places, CPD
    # attendances and CPD log (each with its share of the year's CPD hours as a window), relationships
    # with session counts; and the session's save (savepoint, update, release).
    with django_assert_max_num_queries(13):
        response = coach_client.get(reverse("coaching:mine"))
    assert response.status_code == 200
    assert response.text.count("Academy group supervision") + response.text.count("Held elsewhere") == 20
    assert response.context["supervision_count"] == 30
