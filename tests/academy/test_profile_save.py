"""The profile page stores what the participant entered (not only the region that follows it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from academy.models import AuditEntry, Person, StaffGroup
from tests.conftest import make_person, signed_in_client
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_profile_page_saves_every_field_entered():
    person = make_person()
    Person.objects.filter(pk=person.pk).update(given_name="", family_name="", job_title="")
    organisation = OrganisationFactory()
    response = signed_in_client(person).post(
        reverse("academy:profile"),
        {
            "given_name": "Sam",
            "family_name": "Jones",
            "job_title": "Ward Manager",
            "organisation": organisation.pk,
            "staff_group": StaffGroup.ADMINISTRATIVE_CLERICAL,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.given_name, person.family_name, person.job_title) == ("Sam", "Jones", "Ward Manager")
    assert person.organisation == organisation
    assert person.staff_group == StaffGroup.ADMINISTRATIVE_CLERICAL
    entry = AuditEntry.objects.get(action="person.update_profile")
    assert {"given_name", "family_name", "job_title", "organisation", "staff_group"} <= set(
        entry.data["fields"]
    )
