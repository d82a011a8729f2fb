"""The staff page for erasure on request: a lead finds someone of their region by email, sees what
will be removed and kept, gives the request's reference, and the erasure is done and audited. Anyone
else answers as nobody (the find form) or 404 (the pages)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from academy.models import AuditEntry, Person, Role
from tests.conftest import make_person, signed_in_client
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(region):
    return make_person(Role.LEAD, region=region)


@pytest.fixture
def lead_client(lead):
    return signed_in_client(lead)


@pytest.fixture
def asker(lead):
    """Someone of the lead's region who asked to be erased, with a place on a cohort."""
    person = make_person(organisation=lead.organisation, email="asker@nhs.net")
    person.given_name, person.family_name = "Ava", "Asker"
    person.save()
    EnrolmentFactory(person=person, cohort__programme__region=lead.region)
    return person


def test_a_lead_finds_confirms_and_erases_someone_of_their_region(lead_client, lead, asker):
    found = lead_client.get(reverse("academy:erasure_find"), {"email": "ASKER@nhs.net"})
    confirm_url = reverse("academy:erasure_confirm", args=[asker.pk])
    assert found.url == confirm_url
    page = lead_client.get(confirm_url).content.decode()
    assert "Erase Ava Asker" in page and "What will be removed" in page and "What will be kept" in page
    assert "Enrolments: 1" in page  # what the portal holds, area by area

    refused = lead_client.post(confirm_url, {"reference": "", "confirm": ""}).content.decode()
    assert "nhsuk-error-summary" in refused and "Confirm you have checked the request" in refused
    assert Person.objects.get(pk=asker.pk).erased_at is None

    done = lead_client.post(confirm_url, {"reference": "SAR-2026-7", "confirm": "on"}, follow=True)
    asker.refresh_from_db()
    assert asker.erased_at is not None and not asker.user.is_active
    assert done.redirect_chain[-1][0] == reverse("academy:erasure_done", args=[asker.pk])
    body = done.content.decode()
    assert "has been erased" in body and "SAR-2026-7" in body and "Ava" not in body
    entry = AuditEntry.objects.get(action="person.erase", target_id=str(asker.pk))
    assert (entry.actor_id, entry.region_id, entry.data["reason"]) == (
        lead.user_id,
        lead.region_id,
        "SAR-2026-7",
    )
    # A second visit to the confirmation goes to what was done; nothing is erased twice.
    assert lead_client.get(confirm_url).url == reverse("academy:erasure_done", args=[asker.pk])


def assert_erasure_refused(client, person, status_code: int) -> None:
    """Confirming the erasure of `person` answers `status_code`, and they are not erased."""
    url = reverse("academy:erasure_confirm", args=[person.pk])
    assert client.post(url, {"reference": "X", "confirm": "on"}).status_code == status_code
    assert Person.objects.get(pk=person.pk).erased_at is None


def test_someone_of_another_region_is_nobody_to_the_find_form_and_a_404(lead_client, other_region):
    stranger = make_person(region=other_region, email="stranger@nhs.net")
    for email in ("stranger@nhs.net", "nobody@nhs.net"):
        body = lead_client.get(reverse("academy:erasure_find"), {"email": email}).content.decode()
        assert "No one in your region has that email address" in body
    for name in ("academy:erasure_confirm", "academy:erasure_done"):
        assert lead_client.get(reverse(name, args=[stranger.pk])).status_code == 404
    assert_erasure_refused(lead_client, stranger, 404)


def test_only_leads_may_erase(asker, lead):
    staff = signed_in_client(make_person(Role.PROGRAMME_STAFF, region=lead.region))
    assert staff.get(reverse("academy:erasure_find")).status_code == 403
    assert_erasure_refused(staff, asker, 403)
