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
