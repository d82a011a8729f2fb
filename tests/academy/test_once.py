"""A create form sent twice (double click, back and resubmit) makes one record: its one-time token is
claimed with the write, and a second send goes to what the first made. The NHS.UK buttons prevent the
double click in the browser too."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, FormSubmission, Role
from coaching.models import CPDEvent, ReflectiveNote
from programmes.models import Cohort, Session
from reporting.models import Edition, ReportRun
from tests.conftest import make_person, signed_in_client
from tests.factories import CoachProfileFactory, CohortFactory, ProgrammeFactory, date_input

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="once" value="([0-9a-f-]{36})"')


def _token(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    return TOKEN.search(page.content.decode())[1]


def _twice(client, form_url: str, data: dict, *, post_url: str | None = None):
    data = {**data, "once": _token(client, form_url)}
    first = client.post(post_url or form_url, data)
    second = client.post(post_url or form_url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert second.status_code == 302
    assert second["Location"] == first["Location"], "the second send goes to what the first one made"
    follow = client.get(second["Location"])
    assert "That form had already been sent, so it was not sent again." in follow.content.decode()
    return first


START = (timezone.localtime() + dt.timedelta(days=20)).replace(second=0, microsecond=0)


def test_a_cohort_is_created_once():
    staff = make_person(Role.PROGRAMME_STAFF)
    programme = ProgrammeFactory(region=staff.region)
    url = reverse("programmes:staff_cohort_create", args=[programme.pk])
    _twice(signed_in_client(staff), url, {"name": "Cohort 1", "capacity": "30"})
    assert Cohort.objects.filter(programme=programme).count() == 1
    assert AuditEntry.objects.filter(action__startswith="cohort.create").count() == 1


def test_a_session_is_created_once():
    staff = make_person(Role.PROGRAMME_STAFF)
    cohort = CohortFactory(programme__region=staff.region)
    before = cohort.sessions.count()
    url = reverse("programmes:staff_session_create", args=[cohort.pk])
    data = {
        "title": "Part 1",
        **date_input("starts_at", START),
        **date_input("ends_at", START + dt.timedelta(hours=2)),
        "joining_url": "https://teams.example.nhs.uk/x",
    }
    _twice(signed_in_client(staff), url, data)
    assert Session.objects.filter(cohort=cohort).count() == before + 1


def test_a_reflective_note_is_written_once():
    coach = make_person(Role.COACH)
    profile = CoachProfileFactory(person=coach)
    _twice(signed_in_client(coach), reverse("coaching:note_new"), {"title": "Boundaries", "body": "Words"})
    assert ReflectiveNote.objects.filter(profile=profile).count() == 1


def test_a_cpd_event_is_created_once():
    staff = make_person(Role.PROGRAMME_STAFF)
    data = {"title": "Coaching for wellbeing", **date_input("starts_at", START), "duration_hours": "1"}
    _twice(signed_in_client(staff), reverse("coaching:cpd_event_new"), data)
    assert CPDEvent.objects.filter(region=staff.region).count() == 1


def test_an_edition_is_created_once():
    lead = make_person(Role.LEAD)
    data = {"title": "A Year in Review 2020/21", "year": "2020/21", "system": ""}
    _twice(signed_in_client(lead), reverse("reporting:edition_create"), data)
    assert Edition.objects.filter(region=lead.region).count() == 1


def test_a_report_run_is_requested_once():
    from reporting import services

    lead = make_person(Role.LEAD)
    edition = services.edition_create(
        actor=lead.user,
        region=lead.region,
        title="Review",
        period_start=dt.date(2020, 4, 1),
        period_end=dt.date(2021, 3, 31),
    )
    client = signed_in_client(lead)
    detail = reverse("reporting:edition_detail", args=[edition.pk])
    first = _twice(client, detail, {}, post_url=reverse("reporting:edition_generate", args=[edition.pk]))
    run = ReportRun.objects.get(edition=edition)
    assert first["Location"] == reverse("reporting:run_detail", args=[run.pk])


def test_a_refused_form_keeps_its_token_for_the_corrected_send():
    staff = make_person(Role.PROGRAMME_STAFF)
    programme = ProgrammeFactory(region=staff.region)
    client = signed_in_client(staff)
    url = reverse("programmes:staff_cohort_create", args=[programme.pk])
    token = _token(client, url)
    refused = client.post(url, {"name": "", "capacity": "30", "once": token})
    assert refused.status_code == 200 and f'value="{token}"' in refused.content.decode()
    assert not FormSubmission.objects.exists()
    assert client.post(url, {"name": "Cohort 1", "capacity": "30", "once": token}).status_code == 302
    assert Cohort.objects.filter(programme=programme).count() == 1


def test_each_drawing_of_a_form_has_a_new_token_and_another_persons_token_is_refused():
    staff = make_person(Role.PROGRAMME_STAFF)
    other = make_person(Role.PROGRAMME_STAFF, region=staff.region)
    programme = ProgrammeFactory(region=staff.region)
    url = reverse("programmes:staff_cohort_create", args=[programme.pk])
    client = signed_in_client(staff)
    token = _token(client, url)
    assert token != _token(client, url)
    client.post(url, {"name": "Cohort 1", "capacity": "30", "once": token})
    replay = signed_in_client(other).post(url, {"name": "Cohort 2", "capacity": "30", "once": token})
    assert replay.status_code == 200
    assert "This form has expired: reload the page and send it again" in replay.content.decode()
    assert Cohort.objects.filter(programme=programme).count() == 1


def test_a_form_sent_without_a_token_still_works():
    staff = make_person(Role.PROGRAMME_STAFF)
    programme = ProgrammeFactory(region=staff.region)
    url = reverse("programmes:staff_cohort_create", args=[programme.pk])
    assert signed_in_client(staff).post(url, {"name": "Cohort 1", "capacity": "30"}).status_code == 302


def test_submit_buttons_prevent_a_double_click():
    staff = make_person(Role.PROGRAMME_STAFF)
    programme = ProgrammeFactory(region=staff.region)
    body = signed_in_client(staff).get(reverse("programmes:staff_cohort_create", args=[programme.pk]))
    buttons = [
        b
        for b in re.findall(r"<button[^>]*>", body.content.decode(), re.S)
        if 'data-module="nhsuk-button"' in b
    ]
    submits = [b for b in buttons if 'type="submit"' in b]
    assert submits and all('data-prevent-double-click="true"' in b for b in submits)
    # A button that sends nothing (the session warning's "Stay signed in") is left as it is.
    assert all("data-prevent-double-click" not in b for b in buttons if 'type="button"' in b)
