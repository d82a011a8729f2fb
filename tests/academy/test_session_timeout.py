"""The warning before an idle session ends (WCAG 2.2.1): the dialog's timings, staying signed in, and
what happens when the time runs out."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

KEEP_ALIVE = reverse("academy:session_keep_alive")
TIMED_OUT = reverse("academy:session_timed_out")


def _session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_signed_in_pages_carry_the_warning_with_its_timings(participant, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    settings.SESSION_TIMEOUT_WARNING = dt.timedelta(minutes=2)
    html = signed_in_client(participant).get(reverse("academy:home")).content.decode()
    assert 'role="alertdialog"' in html
    assert 'data-expires-in="1800"' in html
    assert 'data-warn-before="120"' in html
    assert f'data-keep-alive-url="{KEEP_ALIVE}"' in html
    assert "You will be signed out soon" in html
    assert "Stay signed in" in html
    assert "academy/session-timeout.js" in html


def test_the_timings_come_from_settings(participant, settings):
    settings.SESSION_COOKIE_AGE = 20
    settings.SESSION_TIMEOUT_WARNING = dt.timedelta(seconds=15)
    html = signed_in_client(participant).get(reverse("academy:home")).content.decode()
    assert 'data-expires-in="20"' in html
    assert 'data-warn-before="15"' in html


def test_the_twelve_hour_limit_shortens_the_time_left(participant, settings):
    from academy.middleware import SESSION_STARTED_KEY

    client = signed_in_client(participant)
    session = client.session
    session[SESSION_STARTED_KEY] = timezone.now().timestamp() - (12 * 60 * 60 - 600)  # 10 minutes left
    session.save()
    html = client.get(reverse("academy:home")).content.decode()
    assert 'data-expires-in="599"' in html or 'data-expires-in="600"' in html


def test_anonymous_pages_have_no_warning(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "data-session-timeout" not in html
    assert "session-timeout.js" not in html


def test_staying_signed_in_refreshes_the_session(participant):
    client = signed_in_client(participant)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(seconds=30)
    )
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 204
    assert response["Session-Expires-In"] == "1800"
    assert _session_row(client).expire_date > timezone.now() + dt.timedelta(minutes=29)


def test_staying_signed_in_needs_a_session(client):
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_staying_signed_in_is_csrf_protected(participant):
    client = signed_in_client(participant)
    client.handler.enforce_csrf_checks = True
    assert client.post(KEEP_ALIVE).status_code == 403


def test_staying_signed_in_is_a_post(participant):
    assert signed_in_client(participant).get(KEEP_ALIVE).status_code == 405


def test_when_the_time_runs_out_the_person_is_signed_out_and_told_why(participant):
    client = signed_in_client(participant)
    response = client.post(TIMED_OUT, {"next": "/profile/"}, follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('account_login')}?next=/profile/"
    assert "You were signed out because you were inactive." in response.content.decode()
    assert client.get(reverse("academy:profile")).status_code == 302


def test_the_page_to_return_to_stays_on_the_portal(client):
    response = client.post(TIMED_OUT, {"next": "https://elsewhere.example/"})
    assert response.url == f"{reverse('account_login')}?next=/"


def test_staff_setting_up_two_factor_can_stay_signed_in(db):
    from academy.models import Role
    from tests.conftest import make_person

    staff = make_person(Role.PROGRAMME_STAFF, mfa=False)
    client = signed_in_client(staff)
    assert client.post(KEEP_ALIVE).status_code == 204


def test_a_pages_forms_share_one_masked_token_that_the_csrf_check_accepts(participant):
    """The page prints one masked CSRF token for all its forms (the session warning's among them), and
    a form posted with it passes the check."""
    client = signed_in_client(participant)
    client.handler.enforce_csrf_checks = True
    page = client.get(reverse("academy:profile")).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 2 and len(set(tokens)) == 1
    assert client.post(KEEP_ALIVE, {"csrfmiddlewaretoken": tokens[0]}).status_code == 204
    # The next page masks its own.
    again = client.get(reverse("academy:profile")).content.decode()
    assert re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', again)[1] != tokens[0]
