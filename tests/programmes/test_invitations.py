"""Least knowledge for staff: someone staff add by email or by import who is not already a person of
the cohort's region (someone of another region, or someone new) is shown to staff only as the address
typed and "Invited" until they accept — on the register page, its CSV and .xlsx, the attendance sheet,
the "Give a place" message and the import preview — and in full afterwards."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, Person
from programmes import services
from programmes.models import Cohort, Enrolment, EnrolmentStatus
from tests.conftest import make_person, signed_in_client
from tests.factories import OrganisationFactory, SystemFactory

pytestmark = pytest.mark.django_db

SECRET_NAME, SECRET_ORGANISATION = "Quartermain", "Far Away Community NHS Trust"


@pytest.fixture
def elsewhere(other_region):
    """Someone of another region, with a name and an organisation staff must not learn."""
    organisation = OrganisationFactory(
        name=SECRET_ORGANISATION, system=SystemFactory(sub_region__region=other_region)
    )
    person = make_person(organisation=organisation, email="zelda.q@nhs.net")
    person.given_name, person.family_name = "Zelda", SECRET_NAME
    person.staff_group, person.pay_band = "nursing", "7"
    person.save()
    return person


def _add(client, cohort, email):
    return client.post(
        reverse("programmes:staff_cohort_add", args=[cohort.pk]), {"email": email}, follow=True
    )


def _register_csv(client, cohort) -> list[list[str]]:
    response = client.get(reverse("programmes:staff_register_csv", args=[cohort.pk]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _attendance(client, cohort) -> str:
    session = cohort.sessions.first()
    session.starts_at = timezone.now() - timedelta(hours=1)
    session.ends_at = session.starts_at + timedelta(hours=2)
    session.save()
    return client.get(reverse("programmes:staff_attendance", args=[session.pk])).content.decode()


def _secret_shown(text: str) -> bool:
    return SECRET_NAME in text or "Zelda" in text or SECRET_ORGANISATION in text


def test_someone_of_another_region_is_only_the_typed_address_until_they_accept(
    region_staff_client, cohort, elsewhere
):
    added = _add(region_staff_client, cohort, "Zelda.Q@nhs.net").content.decode()
    assert "zelda.q@nhs.net is invited and enrolled" in added and not _secret_shown(added)
    enrolment = Enrolment.objects.get(person=elsewhere)
    assert enrolment.invited_email == "zelda.q@nhs.net" and enrolment.awaits_acceptance

    page = region_staff_client.get(reverse("programmes:staff_cohort", args=[cohort.pk])).content.decode()
    assert "zelda.q@nhs.net" in page and "Invited" in page and not _secret_shown(page)
    rows = _register_csv(region_staff_client, cohort)
    (row,) = [r for r in rows[1:] if r[0] == "zelda.q@nhs.net"]
    assert row[1:7] == ["", "", "", "", "", "Invited"]
    response = region_staff_client.get(reverse("programmes:staff_register_xlsx", args=[cohort.pk]))
    xlsx = b"".join(response.streaming_content) if response.streaming else response.content
    from openpyxl import load_workbook

    cells = {str(c.value) for r in load_workbook(io.BytesIO(xlsx)).active.iter_rows() for c in r}
    assert "zelda.q@nhs.net" in cells and not any(_secret_shown(c) for c in cells)
    sheet = _attendance(region_staff_client, cohort)
    assert "zelda.q@nhs.net (invited)" in sheet and not _secret_shown(sheet)

    # They accept: from now on staff see them in full.
    person_client = signed_in_client(elsewhere)
    my_learning = person_client.get(reverse("programmes:my_learning")).content.decode()
    assert reverse("programmes:accept_invitation", args=[enrolment.pk]) in my_learning
    person_client.post(reverse("programmes:accept_invitation", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.accepted_at is not None and not enrolment.awaits_acceptance
    assert AuditEntry.objects.filter(
        action="enrolment.invitation_accept", target_id=str(enrolment.pk)
    ).exists()

    page = region_staff_client.get(reverse("programmes:staff_cohort", args=[cohort.pk])).content.decode()
    assert f"Zelda {SECRET_NAME}" in page and SECRET_ORGANISATION in page
    (row,) = [r for r in _register_csv(region_staff_client, cohort)[1:] if r[0] == "zelda.q@nhs.net"]
    assert row[1:7] == [
        "Zelda",
        SECRET_NAME,
        SECRET_ORGANISATION,
        "Nursing and Midwifery Registered",
        "Band 7",
        "Enrolled",
    ]
    assert f"Zelda {SECRET_NAME}" in _attendance(region_staff_client, cohort)


def test_an_invitation_is_accepted_once_and_only_by_its_person(cohort, elsewhere, participant):
    enrolment = services.enrolment_add_by_email(cohort=cohort, email=elsewhere.user.email, actor=None)
    other_client = signed_in_client(participant)
    assert other_client.get(reverse("programmes:accept_invitation", args=[enrolment.pk])).status_code == 404
    services.invitation_accept(enrolment=enrolment, actor=elsewhere.user)
    with pytest.raises(services.EnrolmentRefused, match="no invitation"):
        services.invitation_accept(enrolment=enrolment, actor=elsewhere.user)


def test_give_a_place_names_only_the_typed_address(region_staff_client, cohort, elsewhere, person_in):
    for _ in range(2):
        services.enrolment_create(person=person_in(), cohort=cohort, actor=None)
    _add(region_staff_client, cohort, elsewhere.user.email)
    waiting = Enrolment.objects.get(person=elsewhere)
    assert waiting.status == EnrolmentStatus.WAITLISTED
    page = region_staff_client.get(reverse("programmes:staff_cohort", args=[cohort.pk])).content.decode()
    assert "Give a place" in page and not _secret_shown(page)
    Cohort.objects.filter(pk=cohort.pk).update(capacity=3)
    url = reverse("programmes:staff_waitlist_promote", args=[cohort.pk, waiting.pk])
    given = region_staff_client.post(url, follow=True).content.decode()
    assert "zelda.q@nhs.net now has a place" in given and not _secret_shown(given)


def test_an_unknown_address_and_one_of_another_region_get_the_same_answer(
    region_staff_client, cohort, elsewhere
):
    known = _add(region_staff_client, cohort, elsewhere.user.email).content.decode()
    unknown = _add(region_staff_client, cohort, "nobody.yet@nhs.net").content.decode()
    assert "zelda.q@nhs.net is invited and enrolled" in known
    assert "nobody.yet@nhs.net is invited and enrolled" in unknown
    new = Person.objects.get(user__email="nobody.yet@nhs.net")
    assert new.region == cohort.region and Enrolment.objects.get(person=new).awaits_acceptance
    assert AuditEntry.objects.filter(action="person.create_for_invitation", target_id=str(new.pk)).exists()
    # Outside the sign-up domains, the refusal is the same whether an account exists or not.
    stranger = make_person(organisation=elsewhere.organisation, email="known@example.com")
    refused = [
        _add(region_staff_client, cohort, email).content.decode()
        for email in (stranger.user.email, "unknown@example.com")
    ]
    assert all("Only addresses in the sign-up domains" in body for body in refused)
    assert not Enrolment.objects.filter(person=stranger).exists()
    assert not Person.objects.filter(user__email="unknown@example.com").exists()


def test_someone_of_the_region_is_shown_in_full_at_once(region_staff_client, cohort, person_in):
    colleague = person_in(given_name="Ruth", family_name="Oduya")
    added = _add(region_staff_client, cohort, colleague.user.email).content.decode()
    assert "Ruth Oduya is enrolled" in added
    assert not Enrolment.objects.get(person=colleague).invited_email


def _upload(client, cohort, text: str) -> str:
    upload = SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")
    return client.post(
        reverse("programmes:staff_cohort_import", args=[cohort.pk]), {"file": upload}
    ).content.decode()


def test_the_import_preview_does_not_tell_whether_an_account_exists_elsewhere(
    region_staff_client, cohort, elsewhere
):
    Cohort.objects.filter(pk=cohort.pk).update(capacity=5)
    # Without names, someone of another region is refused exactly as someone new is.
    nameless = _upload(
        region_staff_client,
        cohort,
        f"email,first_name,last_name\n{elsewhere.user.email},,\nnew.one@nhs.net,,\n",
    )
    assert nameless.lower().count("someone not yet in your region needs a first_name and a last_name") == 2
    body = _upload(
        region_staff_client,
        cohort,
        f"email,first_name,last_name\n{elsewhere.user.email},Zed,Cue\nnew.one@nhs.net,Nia,Bello\n",
    )
    assert "2 people will be enrolled or invited" in body and "of them new to Academy" not in body
    assert body.count("Invited") >= 2 and "Existing" not in body and not _secret_shown(body)
    run = re.search(r'name="run" value="(\d+)"', body).group(1)
    region_staff_client.post(reverse("programmes:staff_cohort_import", args=[cohort.pk]), {"run": run})
    invited = Enrolment.objects.filter(cohort=cohort).order_by("invited_email")
    assert [(e.invited_email, e.awaits_acceptance) for e in invited] == [
        ("new.one@nhs.net", True),
        ("zelda.q@nhs.net", True),
    ]
    page = region_staff_client.get(reverse("programmes:staff_cohort", args=[cohort.pk])).content.decode()
    assert "zelda.q@nhs.net" in page and not _secret_shown(page)
    log = " ".join(AuditEntry.objects.values_list("target_repr", flat=True))
    assert not _secret_shown(log)
