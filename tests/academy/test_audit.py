from __future__ import annotations

import pytest
from django.db import InternalError, transaction

from academy import audit
from academy.models import AuditEntry
from academy.services import person_update_profile
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_record_writes_one_entry(participant):
    entry = audit.record(participant.user, "person.test", participant, {"field": "value"})
    assert entry.actor_email == participant.user.email
    assert entry.region_id == participant.region_id
    assert entry.target_repr == str(participant)


def test_audit_entries_cannot_be_changed_or_deleted(participant):
    entry = audit.record(participant.user, "person.test", participant)
    with pytest.raises(InternalError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="rewritten")
    with pytest.raises(InternalError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_profile_update_is_audited_without_equality_values(participant):
    organisation = OrganisationFactory(
        system__sub_region__region__slug="north-west", system__sub_region__region__name="North West"
    )
    person_update_profile(
        person=participant, actor=participant.user, ethnic_category="H", organisation=organisation
    )
    entry = AuditEntry.objects.filter(action="person.update_profile").get()
    assert entry.data == {"fields": ["ethnic_category", "organisation", "region"]}
    assert "H" not in str(entry.data)
    participant.refresh_from_db()
    assert participant.region_id == organisation.region_id


def test_profile_page_saves_and_rerenders_errors(participant_client, participant):
    from django.urls import reverse

    response = participant_client.post(reverse("academy:profile"), {"given_name": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'href="#id_given_name"' in body
    participant.refresh_from_db()
    assert participant.given_name  # nothing written on a failed form


def test_an_entry_about_a_record_without_a_region_takes_it_from_the_records_links(participant):
    from tests.factories import CohortFactory, EnrolmentFactory, SessionFactory

    enrolment = EnrolmentFactory(
        person=participant, cohort=CohortFactory(programme__region=participant.region)
    )
    attendance_target = SessionFactory(cohort=enrolment.cohort)
    assert audit.record(None, "enrolment.test", enrolment).region_id == participant.region_id
    assert audit.record(None, "session.test", attendance_target).region_id == participant.region_id


def test_an_entry_without_a_target_region_takes_the_actors(participant):
    assert audit.record(participant.user, "report.test").region_id == participant.region_id
    assert audit.record(participant.user, "user.test", participant.user).region_id == participant.region_id


def test_a_person_without_a_region_is_found_through_their_organisation(participant):
    participant.region = None
    participant.save(update_fields=["region"])
    entry = audit.record(None, "person.test", participant)
    assert entry.region_id == participant.organisation.region_id


def test_an_entry_is_described_in_words_with_the_records_own_labels(participant):
    entry = audit.record(
        participant.user,
        "person.update_profile",
        participant,
        {"fields": ["given_name", "ethnic_category", "pay_band"], "from": "open", "will_retry": True},
    )
    assert (
        audit.describe(entry)
        == "Changed: first name, ethnic category and pay band. Was: open. Will try again: yes."
    )
    assert audit.action_in_words("person.update_profile") == "Profile changed"
    assert audit.action_in_words("cohort.cancel_enrolments") == "Everyone on a cancelled cohort told"
    assert audit.action_in_words("widget.make_good") == "Widget: make good"


def test_dates_in_an_entry_read_as_dates(participant):
    import datetime as dt

    entry = audit.record(
        None, "coach.lapse", participant, {"due_on": dt.date(2024, 3, 9), "held_on": "2024-13-45"}
    )
    assert audit.describe(entry) == "Due on: 9 March 2024. Held on: 2024-13-45."


def test_reading_anothers_special_category_data_is_audited_without_values(participant, programme_staff):
    participant.ethnic_category = "H"
    participant.save()
    entry = audit.audit_read(
        programme_staff.user, participant, ["ethnic_category", "disability"], purpose="checking a record"
    )
    assert entry.action == "person.read_special"
    assert entry.actor_email == programme_staff.user.email
    assert entry.region_id == participant.region_id
    assert entry.data == {"fields": ["disability", "ethnic_category"], "purpose": "checking a record"}
    assert "H" not in str(entry.data.values())
    assert audit.audit_read(participant.user, participant, ["disability"], purpose="own profile") is None


def test_the_admins_person_page_audits_the_read_of_special_category_data(participant):
    from django.test import Client
    from django.urls import reverse

    from tests.factories import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    from academy.middleware import MFA_CONFIRMED_KEY

    session = client.session
    session[MFA_CONFIRMED_KEY] = True
    session.save()
    response = client.get(reverse("admin:academy_person_change", args=[participant.pk]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="person.read_special")
    assert entry.actor_id == admin_user.pk and entry.target_id == str(participant.pk)
    assert entry.data["purpose"] == "Django admin"


def test_the_audit_log_filters_by_date_range(staff_client, programme_staff):
    import datetime as dt

    from django.urls import reverse

    audit.record(programme_staff.user, "cohort.open", programme_staff)
    from django.utils import timezone

    today = timezone.localdate()
    params = {"since_day": today.day, "since_month": today.month, "since_year": today.year}
    page = staff_client.get(reverse("academy:audit_log"), params).content.decode()
    assert "Cohort opened for enrolment" in page
    tomorrow = today + dt.timedelta(days=1)
    params = {"since_day": tomorrow.day, "since_month": tomorrow.month, "since_year": tomorrow.year}
    page = staff_client.get(reverse("academy:audit_log"), params).content.decode()
    assert "No audit entries match these filters." in page
    page = staff_client.get(
        reverse("academy:audit_log"), {"since_day": "31", "since_month": "2"}
    ).content.decode()
    assert "From must include a year" in page


def test_the_audit_log_shows_what_changed_in_words(staff_client, programme_staff):
    from django.urls import reverse

    audit.record(programme_staff.user, "person.update_profile", programme_staff, {"fields": ["given_name"]})
    page = staff_client.get(reverse("academy:audit_log")).content.decode()
    assert "Profile changed" in page
    assert "Changed: first name." in page
    assert "[&#39;given_name&#39;]" not in page and "['given_name']" not in page
