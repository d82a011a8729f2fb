from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from academy.models import StaffGroup
from programmes import services
from programmes.models import (
    AttendanceStatus,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Feedback,
    Theme,
)
from tests.conftest import make_person, signed_in_client
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    ProgrammeFactory,
    SessionFactory,
    SystemFactory,
    date_input,
)
from tests.files import assert_private_download

pytestmark = pytest.mark.django_db


def test_offer_is_public_and_lists_published_programmes(anonymous_client, cohort):
    ProgrammeFactory(title="Hidden draft", is_published=False, region=cohort.region)
    response = anonymous_client.get(reverse("programmes:offer"))
    assert response.status_code == 200
    assert cohort.programme.title in response.content.decode()
    assert "Hidden draft" not in response.content.decode()


def test_offer_full_text_search(anonymous_client, region):
    ProgrammeFactory(title="Trauma informed leadership", summary="Working through crisis", region=region)
    ProgrammeFactory(title="Virtual leadership", summary="Leading teams online", region=region)
    response = anonymous_client.get(
        reverse("programmes:offer"), {"q": "worked"}
    )  # stemmed: matches "Working"
    titles = [p.title for p in response.context["page"].object_list]
    assert titles == ["Trauma informed leadership"]


def test_offer_filters_by_theme_system_dates_and_places(anonymous_client, participant, other_participant):
    region = participant.region
    my_system = participant.organisation.system
    other_system = other_participant.organisation.system
    soon = timezone.localdate() + timedelta(days=10)
    full = CohortFactory(programme__title="Full one", programme__region=region, capacity=1, starts_on=soon)
    full.places_taken = 1
    full.save()
    CohortFactory(
        programme__title="Other system", programme__region=region, system=other_system, starts_on=soon
    )
    CohortFactory(
        programme__title="Mine later",
        programme__region=region,
        programme__theme=Theme.GROWING,
        system=my_system,
        starts_on=soon + timedelta(days=60),
    )

    def titles(**params):
        response = anonymous_client.get(reverse("programmes:offer"), params)
        return sorted(p.title for p in response.context["page"].object_list)

    assert titles(system=my_system.pk) == ["Full one", "Mine later"]
    assert titles(places_available="on") == ["Mine later", "Other system"]
    assert titles(theme=Theme.GROWING) == ["Mine later"]
    assert titles(**date_input("starts_before", soon + timedelta(days=5))) == ["Full one", "Other system"]
    assert titles(**date_input("starts_after", soon + timedelta(days=5))) == ["Mine later"]
    # The same filters with other values: each request's own values, not the first request's.
    assert titles(system=other_system.pk) == ["Full one", "Other system"]
    assert titles(**date_input("starts_after", soon + timedelta(days=61))) == []
    assert titles(theme=Theme.GROWING, places_available="on", system=my_system.pk) == ["Mine later"]
    assert titles(theme=Theme.GROWING, places_available="on", system=other_system.pk) == []
    # A filter with a mistake in it is shown with its error; the others still apply.
    response = anonymous_client.get(
        reverse("programmes:offer"),
        {"theme": Theme.GROWING, "starts_after_day": "31", "starts_after_month": "2"},
    )
    assert [p.title for p in response.context["page"].object_list] == ["Mine later"]
    assert "Earliest start date must include a year" in response.content.decode()


def test_offer_query_count_is_fixed(anonymous_client, region, django_assert_max_num_queries):
    for n in range(25):
        cohort = CohortFactory(programme__region=region, programme__title=f"Programme {n}")
        SessionFactory(cohort=cohort)
    with django_assert_max_num_queries(3):  # the first request also reads the systems for the filter
        anonymous_client.get(reverse("programmes:offer"), {"system": "", "page": 1})
    # 1 count for the paginator, 1 page of programmes with their next start, cohort count and places
    # left as subqueries; the filter's systems are kept by the process (academy.selectors.system_choices).
    with django_assert_max_num_queries(2):
        response = anonymous_client.get(reverse("programmes:offer"), {"system": "", "page": 1})
    assert len(response.context["page"].object_list) == 20


def test_the_offer_filter_lists_a_new_or_renamed_system_at_once(anonymous_client, region):
    system = SystemFactory(name="Arden system")
    assert "Arden system" in anonymous_client.get(reverse("programmes:offer")).content.decode()
    system.name = "Arden and Solihull system"
    system.save(update_fields=["name"])
    SystemFactory(name="Brand new system")
    body = anonymous_client.get(reverse("programmes:offer")).content.decode()
    assert "Arden and Solihull system" in body and "Brand new system" in body


def test_programme_page_shows_places_and_my_status(participant_client, participant, cohort):
    services.enrolment_create(person=participant, cohort=cohort, actor=None)
    response = participant_client.get(reverse("programmes:programme", args=[cohort.programme.slug]))
    body = response.content.decode()
    assert "1 of 2 places left" in body
    assert "You are <strong>enrolled</strong>" in body


def test_programme_page_cards_follow_each_change_and_each_page_has_its_own_token(participant, cohort):
    """The cards are kept by the values they show: a change to any of them shows on the next request,
    and the enrol form carries that page's own CSRF token, which the check accepts."""
    client = signed_in_client(participant)
    client.handler.enforce_csrf_checks = True
    url = reverse("programmes:programme", args=[cohort.programme.slug])
    first = client.get(url).content.decode()
    assert "2 of 2 places left" in first and "Enrol on " + cohort.name in first
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first)[1]
    assert (
        client.post(reverse("programmes:enrol", args=[cohort.pk]), {"csrfmiddlewaretoken": token}).status_code
        == 302
    )
    second = client.get(url).content.decode()
    assert "1 of 2 places left" in second and "You are <strong>enrolled</strong>" in second
    assert "Enrol on " + cohort.name not in second
    cohort.name, cohort.facilitators = "Renamed cohort", "Dr Ada Lovelace"
    cohort.save()
    third = client.get(url).content.decode()
    assert "Renamed cohort" in third and "Facilitated by Dr Ada Lovelace." in third
    assert token not in second and token not in third  # each page masks its own


def test_programme_page_is_public_and_asks_visitors_to_sign_in(anonymous_client, cohort):
    body = anonymous_client.get(
        reverse("programmes:programme", args=[cohort.programme.slug])
    ).content.decode()
    assert "Sign in to enrol" in body
    assert (
        anonymous_client.get(reverse("programmes:programme", args=["no-such-programme"])).status_code == 404
    )


def test_programme_page_query_count_is_fixed(participant_client, participant, django_assert_max_num_queries):
    programme = ProgrammeFactory(region=participant.region)
    for _ in range(10):
        cohort = CohortFactory(programme=programme)
        SessionFactory(cohort=cohort)
        SessionFactory(cohort=cohort)
        EnrolmentFactory(cohort=cohort, person=participant)
    # Middleware: session, the user with their person and organisation (which the eligibility check
    # reads), groups, and the session save (savepoint, update, release) = 6; the programme (1), the
    # cohorts with their sessions and the participant's place on each (1) = 8.
    with django_assert_max_num_queries(8):
        response = participant_client.get(reverse("programmes:programme", args=[programme.slug]))
    assert len(response.context["choices"]) == 10
    assert all(len(choice.sessions) == 2 and choice.my_status for choice in response.context["choices"])


def test_programme_page_explains_ineligibility(participant_client, cohort):
    cohort.programme.eligible_staff_groups = [StaffGroup.MEDICAL_DENTAL]
    cohort.programme.save()
    body = participant_client.get(
        reverse("programmes:programme", args=[cohort.programme.slug])
    ).content.decode()
    assert "This programme is for these staff groups only: Medical and Dental." in body
    assert "Enrol on" not in body


def test_enrol_and_waitlist_from_the_programme_page(participant_client, participant, cohort, person_in):
    for _ in range(2):
        services.enrolment_create(person=person_in(), cohort=cohort, actor=None)
    response = participant_client.post(reverse("programmes:enrol", args=[cohort.pk]), follow=True)
    assert "on the waiting list at position 1" in response.content.decode()
    assert Enrolment.objects.get(person=participant).status == EnrolmentStatus.WAITLISTED


def test_enrol_needs_sign_in(anonymous_client, cohort):
    response = anonymous_client.post(reverse("programmes:enrol", args=[cohort.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Enrolment.objects.exists()


def test_enrol_refused_shows_the_reason(participant_client, cohort):
    cohort.status = CohortStatus.CLOSED
    cohort.save()
    response = participant_client.post(reverse("programmes:enrol", args=[cohort.pk]), follow=True)
    assert "Enrolment for this cohort is not open." in response.content.decode()


def test_apply_form(participant_client, participant, cohort, application_route):
    url = reverse("programmes:apply", args=[cohort.pk])
    response = participant_client.post(url, {})
    assert response.status_code == 200
    assert "<title>Error:" in response.content.decode()
    response = participant_client.post(
        url,
        {
            "profession": "Nurse",
            "why": "Growth",
            "contribution": "Share",
            "line_manager_name": "Ann Lee",
            "line_manager_email": "ann.lee@nhs.net",
            "line_manager_supports": "on",
        },
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(person=participant)
    assert enrolment.status == EnrolmentStatus.APPLIED
    assert enrolment.application.answers == {"why": "Growth", "contribution": "Share"}


def test_apply_page_only_for_application_route(participant_client, cohort):
    assert participant_client.get(reverse("programmes:apply", args=[cohort.pk])).status_code == 404


def test_apply_needs_sign_in(anonymous_client, cohort, application_route):
    assert anonymous_client.get(reverse("programmes:apply", args=[cohort.pk])).status_code == 302


def test_my_learning_lists_only_my_records(participant_client, participant, other_participant, cohort):
    services.enrolment_create(person=participant, cohort=cohort, actor=None)
    other = CohortFactory(programme__title="Not mine", programme__region=participant.region)
    EnrolmentFactory(cohort=other, person=other_participant)
    body = participant_client.get(reverse("programmes:my_learning")).content.decode()
    assert cohort.programme.title in body
    assert "Join online" in body
    assert "Not mine" not in body
    assert re.search(r'<strong class="nhsuk-tag nhsuk-tag--green"\s*>\s*Enrolled\s*</strong>', body)


def test_my_learning_needs_sign_in(anonymous_client):
    assert anonymous_client.get(reverse("programmes:my_learning")).status_code == 302


def test_my_learning_query_count_is_fixed(participant_client, participant, django_assert_max_num_queries):
    past = timezone.now() - timedelta(days=30)
    for n in range(15):
        cohort = CohortFactory(programme__region=participant.region)
        SessionFactory(cohort=cohort)
        SessionFactory(cohort=cohort, starts_at=past + timedelta(days=n))
        enrolment = EnrolmentFactory(cohort=cohort, person=participant)
        services.attendance_mark(
            session=cohort.sessions.order_by("starts_at").first(),
            marks={enrolment.pk: AttendanceStatus.ATTENDED},
            actor=None,
        )
    # Middleware: session, the user with their person, groups, session save (savepoint, update,
    # release) = 6; enrolments with programme, application, feedback and certificate (1), the upcoming
    # and past sessions (with my attendance) in one UNION ALL (1) = 8.
    with django_assert_max_num_queries(8):
        response = participant_client.get(reverse("programmes:my_learning"))
    learning = response.context["learning"]
    assert len(learning.enrolments) == 15
    assert len(learning.upcoming_sessions) == len(learning.past_sessions) == 15
    assert [s["my_attendance_label"] for s in learning.past_sessions] == ["Attended"] * 15
    past_starts = [s["starts_at"] for s in learning.past_sessions]
    assert past_starts == sorted(past_starts, reverse=True)


def test_cancel_has_a_confirmation_page(participant_client, participant, cohort):
    enrolment = services.enrolment_create(person=participant, cohort=cohort, actor=None)
    url = reverse("programmes:cancel", args=[enrolment.pk])
    assert "Are you sure" in participant_client.get(url).content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED
    participant_client.post(url)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CANCELLED


def test_cannot_cancel_someone_elses_enrolment(participant, other_participant, cohort):
    enrolment = EnrolmentFactory(cohort=cohort, person=other_participant)
    client = signed_in_client(participant)
    assert client.post(reverse("programmes:cancel", args=[enrolment.pk])).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_accept_offer_page(participant_client, participant, cohort, person_in):
    holder = services.enrolment_create(person=person_in(), cohort=cohort, actor=None)
    services.enrolment_create(person=person_in(), cohort=cohort, actor=None)
    mine = services.enrolment_create(person=participant, cohort=cohort, actor=None)
    services.enrolment_cancel(enrolment=holder, actor=None)
    url = reverse("programmes:accept_offer", args=[mine.pk])
    assert "Accept by" in participant_client.get(url).content.decode()
    participant_client.post(url)
    mine.refresh_from_db()
    assert mine.status == EnrolmentStatus.ENROLLED


def test_accept_someone_elses_offer_is_404(participant, other_participant, cohort):
    enrolment = EnrolmentFactory(cohort=cohort, person=other_participant, status=EnrolmentStatus.OFFERED)
    assert (
        signed_in_client(participant)
        .post(reverse("programmes:accept_offer", args=[enrolment.pk]))
        .status_code
        == 404
    )


@pytest.fixture
def finished(participant):
    cohort = CohortFactory(programme__region=participant.region, status=CohortStatus.RUNNING)
    session = SessionFactory(cohort=cohort, starts_at=timezone.now() - timedelta(days=2))
    enrolment = EnrolmentFactory(cohort=cohort, person=participant)
    services.attendance_mark(session=session, marks={enrolment.pk: AttendanceStatus.ATTENDED}, actor=None)
    enrolment.refresh_from_db()
    return enrolment


def test_feedback_after_the_last_session(participant_client, finished):
    url = reverse("programmes:feedback", args=[finished.pk])
    response = participant_client.post(url, {"rating": "5", "consent_to_quote": "on"})
    assert "Say how a quote should be signed" in response.content.decode()
    participant_client.post(
        url, {"rating": "5", "comment": "Brilliant", "consent_to_quote": "on", "attribution": "Ward manager"}
    )
    assert Feedback.objects.get(enrolment=finished).attribution == "Ward manager"


def test_feedback_on_someone_elses_enrolment_is_404(other_participant, finished):
    response = signed_in_client(other_participant).get(reverse("programmes:feedback", args=[finished.pk]))
    assert response.status_code == 404


def test_certificate_pdf_and_public_verification(
    participant_client, anonymous_client, finished, other_participant
):
    assert finished.status == EnrolmentStatus.COMPLETED
    response = participant_client.get(reverse("programmes:certificate_pdf", args=[finished.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_private_download(response, filename_ends=".pdf")
    assert response.content.startswith(b"%PDF")
    code = finished.certificate.code
    body = anonymous_client.get(reverse("programmes:certificate_verify", args=[code])).content.decode()
    assert "Genuine certificate" in body and escape(finished.person.full_name) in body
    assert anonymous_client.get(reverse("programmes:certificate_verify", args=["NOPE"])).status_code == 404
    other = signed_in_client(other_participant).get(reverse("programmes:certificate_pdf", args=[finished.pk]))
    assert other.status_code == 404


def test_session_calendar_download(participant_client, participant, cohort, other_participant):
    services.enrolment_create(person=participant, cohort=cohort, actor=None)
    session = cohort.sessions.first()
    response = participant_client.get(reverse("programmes:session_calendar", args=[session.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert_private_download(response, filename_ends=f"session-{session.pk}.ics")
    assert f"UID:session-{session.pk}@".encode() in response.content
    outsider = make_person(organisation=other_participant.organisation)
    assert (
        signed_in_client(outsider).get(reverse("programmes:session_calendar", args=[session.pk])).status_code
        == 404
    )
