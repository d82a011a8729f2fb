"""Every programme-staff page: refused to participants (403) and to staff of another region (404),
and every page opens for staff of the cohort's own region."""

from __future__ import annotations

import pytest
from django.urls import reverse

from academy.models import Role
from tests.conftest import make_person, signed_in_client
from tests.factories import CohortFactory, ProgrammeFactory, SessionFactory
from tests.programmes.conftest import apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(participant, cohort, application_route):
    application = apply(participant, cohort)
    return {
        "programme": cohort.programme.pk,
        "cohort": cohort.pk,
        "session": cohort.sessions.first().pk,
        "application": application.pk,
        "enrolment": application.enrolment_id,
    }


def staff_urls(r):
    return [
        ("GET", reverse("programmes:staff_programme_create")),
        ("GET", reverse("programmes:staff_programme", args=[r["programme"]])),
        ("GET", reverse("programmes:staff_programme_edit", args=[r["programme"]])),
        ("GET", reverse("programmes:staff_cohort_create", args=[r["programme"]])),
        ("GET", reverse("programmes:staff_cohort", args=[r["cohort"]])),
        ("GET", reverse("programmes:staff_cohort_edit", args=[r["cohort"]])),
        ("GET", reverse("programmes:staff_cohort_cancel", args=[r["cohort"]])),
        ("POST", reverse("programmes:staff_cohort_status", args=[r["cohort"], "close"])),
        ("POST", reverse("programmes:staff_cohort_add", args=[r["cohort"]])),
        ("POST", reverse("programmes:staff_waitlist_promote", args=[r["cohort"], r["enrolment"]])),
        ("GET", reverse("programmes:staff_register_csv", args=[r["cohort"]])),
        ("GET", reverse("programmes:staff_cohort_import", args=[r["cohort"]])),
        ("GET", reverse("programmes:staff_session_create", args=[r["cohort"]])),
        ("GET", reverse("programmes:staff_applications", args=[r["cohort"]])),
        ("GET", reverse("programmes:staff_session_edit", args=[r["session"]])),
        ("GET", reverse("programmes:staff_attendance", args=[r["session"]])),
        ("GET", reverse("programmes:staff_session_cancel", args=[r["session"]])),
        ("POST", reverse("programmes:staff_application_decide", args=[r["application"]])),
        ("POST", reverse("programmes:staff_application_offer", args=[r["enrolment"]])),
    ]


def test_participants_are_refused_every_staff_page(participant_client, records):
    for method, url in staff_urls(records):
        response = participant_client.get(url) if method == "GET" else participant_client.post(url)
        assert response.status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(anonymous_client, records):
    for method, url in staff_urls(records):
        response = anonymous_client.get(url) if method == "GET" else anonymous_client.post(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_staff_of_another_region_see_nothing(other_region, records):
    client = signed_in_client(make_person(Role.PROGRAMME_STAFF, region=other_region))
    for method, url in staff_urls(records)[1:]:  # creating a programme is open to any staff
        response = client.get(url) if method == "GET" else client.post(url)
        assert response.status_code == 404, url


def test_staff_of_the_region_open_every_page(region_staff_client, records):
    for method, url in staff_urls(records):
        if method == "GET":
            assert region_staff_client.get(url).status_code == 200, url


def test_staff_programme_list_query_count(region_staff_client, staff, django_assert_max_num_queries):
    for n in range(30):
        programme = ProgrammeFactory(region=staff.region, code=f"Q{n}")
        CohortFactory(programme=programme)
    # Middleware (6), the person (1), their region (1), the paginator's count (1), the page of
    # programmes with their cohort counts as a subquery (1) = 10.
    with django_assert_max_num_queries(10):
        response = region_staff_client.get(reverse("programmes:staff_programmes"))
    assert len(response.context["page"].object_list) == 30


def test_staff_programme_page_query_count(region_staff_client, staff, django_assert_max_num_queries):
    programme = ProgrammeFactory(region=staff.region)
    for _ in range(25):
        SessionFactory(cohort=CohortFactory(programme=programme, system=None))
    # Middleware (6), the person (1), their region (1), the programme (1), its cohorts with their
    # systems and session counts (1) = 10.
    with django_assert_max_num_queries(10):
        response = region_staff_client.get(reverse("programmes:staff_programme", args=[programme.pk]))
    assert len(response.context["cohorts"]) == 25


def test_applications_page_query_count(
    region_staff_client, participant, cohort, application_cohort, person_in, django_assert_max_num_queries
):
    for n in range(20):
        apply(person_in(), cohort, answers={"why": "x"}, profession=["Nurse", "Midwife"][n % 2])
    url = reverse("programmes:staff_applications", args=[cohort.pk])
    # Middleware (6), the person (1), their region (1), the cohort (1), systems for the filter (1),
    # the paginator's count (1), the page of applications with person, organisation, system and
    # reviewer (1), the quota table (1) = 13.
    with django_assert_max_num_queries(13):
        response = region_staff_client.get(url)
    assert len(response.context["page"].object_list) == 20
