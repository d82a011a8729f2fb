"""Confirmation pages for removing a coach from a group, cancelling a group and withdrawing a request."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from academy.models import Role
from coaching.models import RequestStatus, SessionStatus
from tests.conftest import make_person, signed_in_client
from tests.factories import (
    CoachingRequestFactory,
    CoachProfileFactory,
    PersonFactory,
    SupervisionSessionFactory,
)


@pytest.fixture
def group(supervisor):
    session = SupervisionSessionFactory(supervisor=supervisor)
    coaches = [CoachProfileFactory(person=PersonFactory(region=supervisor.region)) for _ in range(2)]
    attendees = [session.attendees.create(profile=c, seat=n + 1) for n, c in enumerate(coaches)]
    return session, attendees


def test_supervisor_confirms_then_removes_a_coach(supervisor, group, django_capture_on_commit_callbacks):
    session, (first, second) = group
    client = signed_in_client(supervisor)
    url = reverse("coaching:supervision_remove", args=[session.pk, first.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f"remove {first.profile.person.full_name} from the group?" in page.text
    assert session.attendees.count() == 2  # Looking at the page changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert list(session.attendees.values_list("pk", flat=True)) == [second.pk]
    assert [m.to for m in mail.outbox] == [[first.profile.person.user.email]]


def test_remove_is_for_the_sessions_own_supervisor(group, coach_client):
    session, (first, _) = group
    url = reverse("coaching:supervision_remove", args=[session.pk, first.pk])
    assert coach_client.post(url).status_code == 403
    other_supervisor = signed_in_client(make_person(Role.SUPERVISOR, region=session.region))
    assert other_supervisor.post(url).status_code == 404
    assert session.attendees.count() == 2


def test_remove_after_confirmation_shows_the_refusal(supervisor, group):
    session, (first, _) = group
    session.status = SessionStatus.HELD
    session.save()
    response = signed_in_client(supervisor).post(
        reverse("coaching:supervision_remove", args=[session.pk, first.pk])
    )
    assert response.status_code == 200
    assert "Error: " in response.text and "can no longer change" in response.text
    assert session.attendees.count() == 2


def test_supervisor_cancels_a_session_and_attendees_are_emailed(
    supervisor, group, django_capture_on_commit_callbacks
):
    session, attendees = group
    client = signed_in_client(supervisor)
    url = reverse("coaching:supervision_cancel", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "2 coaches will be emailed" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.profile.person.user.email for a in attendees)


def test_cancel_is_for_supervisors_only(group, coach_client, staff_client):
    session, _ = group
    url = reverse("coaching:supervision_cancel", args=[session.pk])
    assert coach_client.post(url).status_code == 403
    assert staff_client.post(url).status_code == 403
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


@pytest.fixture
def withdraw_url(participant):
    """The withdraw page of the participant's open request for a coach."""
    return reverse("coaching:request_withdraw", args=[CoachingRequestFactory(requester=participant).pk])


def test_participant_withdraws_their_own_open_request(participant, participant_client, withdraw_url):
    assert "withdraw your request?" in participant_client.get(withdraw_url).text
    assert participant_client.post(withdraw_url).status_code == 302
    assert participant.coaching_requests.get().status == RequestStatus.WITHDRAWN


def test_withdraw_is_404_for_someone_else_and_refused_once_offered(
    participant, other_participant, withdraw_url
):
    assert signed_in_client(other_participant).post(withdraw_url).status_code == 404
    participant.coaching_requests.update(status=RequestStatus.OFFERED)
    response = signed_in_client(participant).post(withdraw_url)
    assert response.status_code == 200
    assert "Only a request still waiting for a match can be withdrawn." in response.text
    assert participant.coaching_requests.get().status == RequestStatus.OFFERED
