from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from academy import audit
from academy.middleware import SESSION_STARTED_KEY
from academy.models import Role
from tests.conftest import make_person, signed_in_client

pytestmark = pytest.mark.django_db


def test_staff_user_without_mfa_is_sent_to_set_it_up(db):
    staff = make_person(Role.PROGRAMME_STAFF, mfa=False)
    client = Client()
    client.force_login(staff.user)
    response = client.get(reverse("academy:audit_log"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # ...and the home page too: no other page until MFA is set up.
    assert client.get(reverse("academy:home")).url == reverse("mfa_activate_totp")


def test_staff_user_with_mfa_reaches_staff_page(staff_client):
    assert staff_client.get(reverse("academy:audit_log")).status_code == 200


def test_participant_is_refused_a_staff_page(participant_client):
    assert participant_client.get(reverse("academy:audit_log")).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(anonymous_client):
    response = anonymous_client.get(reverse("academy:audit_log"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_participant_needs_no_mfa(participant_client):
    assert participant_client.get(reverse("academy:home")).status_code == 200


def test_audit_log_is_scoped_to_the_staff_users_region(programme_staff, region, other_region):
    elsewhere = make_person(region=other_region)
    audit.record(programme_staff.user, "test.own_region", programme_staff)
    audit.record(elsewhere.user, "test.other_region", elsewhere)
    client = signed_in_client(programme_staff)
    page = client.get(reverse("academy:audit_log")).content.decode()
    assert "test.own_region" in page
    assert "test.other_region" not in page


def test_audit_log_filters_by_action(staff_client, programme_staff):
    audit.record(programme_staff.user, "cohort.open", programme_staff)
    audit.record(programme_staff.user, "person.update_profile", programme_staff)
    page = staff_client.get(reverse("academy:audit_log"), {"action": "cohort"}).content.decode()
    assert "cohort.open" in page
    assert "person.update_profile" not in page


def test_audit_log_query_count_is_fixed(staff_client, programme_staff, django_assert_max_num_queries):
    for n in range(60):
        audit.record(programme_staff.user, f"test.entry{n}", programme_staff)
    # session, user, groups, person, region, count, page of entries, content types for the
    # filter form, session save (MFA check is cached in the session), + 2 spare for savepoints
    with django_assert_max_num_queries(11):
        assert staff_client.get(reverse("academy:audit_log")).status_code == 200


def test_session_ends_after_twelve_hours(participant_client):
    session = participant_client.session
    session[SESSION_STARTED_KEY] = time.time() - 12 * 3600 - 1
    session.save()
    response = participant_client.get(reverse("academy:profile"))
    assert response.status_code == 302
    assert participant_client.get(reverse("academy:profile")).url.startswith(reverse("account_login"))


def test_idle_expiry_is_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
