"""The enrolment import on the portal's import machinery: the new columns, the write (all or nothing,
audited, one email per person), the short cohort lock, and large files in the background."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from academy.imports import pages as import_pages
from academy.models import AuditEntry, ImportRun, ImportRunStatus, Person, User
from programmes import services
from programmes.models import Enrolment, EnrolmentStatus
from tests.conftest import make_person, signed_in_client
from tests.factories import OrganisationFactory, PersonFactory, RegionFactory, SystemFactory
from tests.files import xlsx_bytes


def test_new_people_get_their_equality_data_organisation_and_system(roomy, staff, participant):
    organisation = participant.organisation
    system = organisation.system
    content = (
        "Email,First name,Surname,Gender,Ethnicity,Disability,Organisation,System,Pay band,Staff group\n"
        f"nia@nhs.net,Nia,Okafor,F,Indian,No,{organisation.name.upper()},{system.name},band4,Admin & Clerical\n"
    ).encode("cp1252")
    services.enrolments_import(cohort=roomy, content=content, actor=staff.user, commit=True)
    nia = Person.objects.get(user__email="nia@nhs.net")
    assert (nia.gender, nia.ethnic_category, nia.disability) == ("female", "H", "no")
    assert (nia.organisation, nia.region, nia.pay_band, nia.staff_group) == (
        organisation,
        roomy.region,
        "4",
        "admin",
    )
    assert not nia.user.has_usable_password()


def test_an_organisation_outside_the_named_system_is_a_bad_row(roomy, staff, participant):
    other_system = SystemFactory(sub_region=participant.organisation.system.sub_region)
    content = (
        "email,first_name,last_name,organisation,system\n"
        f"a@nhs.net,A,B,{participant.organisation.name},{other_system.name}\n"
        "b@nhs.net,A,B,Atlantis General,\n"
    ).encode()
    preview = services.enrolments_import(cohort=roomy, content=content, actor=staff.user, commit=True)
    assert preview.errors == [
        (2, f"{participant.organisation.name} is not in {other_system.name}."),
        (3, f"organisation “Atlantis General” is not an organisation in {roomy.region}."),
    ]
    assert not User.objects.filter(email__in=["a@nhs.net", "b@nhs.net"]).exists()


def test_an_organisation_of_another_region_is_not_found(roomy, staff):
    london = SystemFactory(sub_region__region=RegionFactory(name="London", slug="london"))
    elsewhere = OrganisationFactory(system=london)
    assert elsewhere.region != roomy.region
    content = f"email,first_name,last_name,organisation\na@nhs.net,A,B,{elsewhere.name}\n".encode()
    preview = services.enrolments_import(cohort=roomy, content=content, actor=staff.user)
    assert "is not an organisation in" in preview.errors[0][1]


def test_the_write_audits_the_import_once_with_its_counts_and_emails_each(
    roomy, staff, participant, django_capture_on_commit_callbacks
):
    content = (
        f"email,first_name,last_name\n{participant.user.email},,\nnew1@nhs.net,N,One\nnew2@nhs.net,N,Two\n"
    )
    before = list(AuditEntry.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolments_import(
            cohort=roomy, content=content.encode(), actor=staff.user, commit=True, filename="march.csv"
        )
    assert Enrolment.objects.filter(cohort=roomy, status=EnrolmentStatus.ENROLLED).count() == 3
    roomy.refresh_from_db()
    assert roomy.places_taken == 3
    # One entry for the import, on the cohort, in its region: not one per row.
    entry = AuditEntry.objects.exclude(pk__in=before).get()
    assert (entry.action, entry.target_id, entry.region, entry.actor) == (
        "enrolment.import",
        str(roomy.pk),
        roomy.region,
        staff.user,
    )
    assert entry.data == {
        "enrolled": 3,
        "new_people": 2,
        "enrolled_again": 0,
        "outside_sign_up_domains": 0,
        "file": "march.csv",
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [participant.user.email, "new1@nhs.net", "new2@nhs.net"]
    )


def test_someone_who_signed_up_after_the_check_refuses_the_write_in_words(roomy, staff):
    content = b"email,first_name,last_name\nnew1@nhs.net,N,One\n"
    preview = services.enrolments_import(cohort=roomy, content=content, actor=staff.user)
    PersonFactory(user__email="new1@nhs.net")
    with pytest.raises(services.EnrolmentRefused, match="joined Academy meanwhile"):
        services.enrolments_import_write(cohort=roomy, rows=preview.rows, actor=staff.user)
    assert Enrolment.objects.count() == 0


def test_a_cancelled_place_is_taken_up_again(roomy, staff, participant):
    enrolment = services.enrolment_create(person=participant, cohort=roomy, actor=None)
    services.enrolment_cancel(enrolment=enrolment, actor=participant.user)
    content = f"email\n{participant.user.email}\n".encode()
    services.enrolments_import(cohort=roomy, content=content, actor=staff.user, commit=True)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED and Enrolment.objects.count() == 1


def test_places_taken_after_the_check_roll_the_whole_import_back(cohort, staff, participant, person_in):
    """The check saw room; by the time of the write someone else took the last place."""
    content = b"email,first_name,last_name\nnew1@nhs.net,N,One\nnew2@nhs.net,N,Two\n"
    preview = services.enrolments_import(cohort=cohort, content=content, actor=staff.user)
    assert preview.ok
    services.enrolment_create(person=participant, cohort=cohort, actor=None)
    with pytest.raises(
        services.EnrolmentRefused, match="Only 1 place is left on this cohort now, fewer than the 2 people"
    ):
        services.enrolments_import_write(cohort=cohort, rows=preview.rows, actor=staff.user)
    assert not User.objects.filter(email__startswith="new").exists()
    cohort.refresh_from_db()
    assert cohort.places_taken == 1 and Enrolment.objects.count() == 1


def test_someone_who_joined_after_the_check_refuses_the_write(roomy, staff, participant):
    content = f"email\n{participant.user.email}\n".encode()
    preview = services.enrolments_import(cohort=roomy, content=content, actor=staff.user)
    services.enrolment_create(person=participant, cohort=roomy, actor=None)
    with pytest.raises(services.EnrolmentRefused, match="joined this cohort after the file was checked"):
        services.enrolments_import_write(cohort=roomy, rows=preview.rows, actor=staff.user)


# --- the page ---------------------------------------------------------------------------------------


def upload(client, url, content: bytes, name: str = "people.xlsx") -> str:
    return client.post(url, {"file": SimpleUploadedFile(name, content)}).content.decode()


def test_the_page_states_the_limit_and_offers_templates(region_staff_client, cohort):
    body = region_staff_client.get(
        reverse("programmes:staff_cohort_import", args=[cohort.pk])
    ).content.decode()
    assert "The file must be smaller than 20 MB and hold at most 100,000 people." in body
    for fmt in ("csv", "xlsx"):
        assert reverse("programmes:staff_import_template", args=[fmt]) in body
        response = region_staff_client.get(reverse("programmes:staff_import_template", args=[fmt]))
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert (
        region_staff_client.get(reverse("programmes:staff_import_template", args=["pdf"])).status_code == 404
    )


def test_the_templates_are_for_staff_only(participant_client):
    assert (
        participant_client.get(reverse("programmes:staff_import_template", args=["csv"])).status_code == 403
    )


def test_a_workbook_is_previewed_and_imported_in_the_request(region_staff_client, cohort):
    url = reverse("programmes:staff_cohort_import", args=[cohort.pk])
    body = upload(
        region_staff_client,
        url,
        xlsx_bytes(["Email", "First name", "Last name"], ["ada@nhs.net", "Ada", "Obi"]),
    )
    assert "1 person will be enrolled or invited." in body
    assert "Import 1 person" in body and "Excel workbook (.xlsx)" in body
    run = re.search(r'name="run" value="(\d+)"', body).group(1)
    response = region_staff_client.post(url, {"run": run}, follow=True)
    assert "1 person has been enrolled on" in response.content.decode()
    assert Enrolment.objects.get().person.user.email == "ada@nhs.net"


def test_a_zip_upload_is_refused_on_the_page_not_with_a_server_error(region_staff_client, cohort):
    url = reverse("programmes:staff_cohort_import", args=[cohort.pk])
    body = upload(region_staff_client, url, b"PK\x03\x04" + b"\x00" * 100, "people.zip")
    assert "damaged .xlsx workbook" in body and not Enrolment.objects.exists()


def test_another_staff_members_checked_file_cannot_be_run(region_staff_client, cohort, staff, participant):
    url = reverse("programmes:staff_cohort_import", args=[cohort.pk])
    body = upload(region_staff_client, url, b"email,first_name,last_name\nada@nhs.net,Ada,Obi\n", "p.csv")
    first = re.search(r'name="run" value="(\d+)"', body).group(1)
    body = upload(region_staff_client, url, b"email,first_name,last_name\nada@nhs.net,Ada,Obi\n", "p.csv")
    run = re.search(r'name="run" value="(\d+)"', body).group(1)
    assert list(ImportRun.objects.values_list("pk", flat=True)) == [int(run)]  # the first check is not kept
    assert region_staff_client.post(url, {"run": first}).status_code == 404
    colleague = signed_in_client(make_person("Programme staff", region=participant.region))
    assert colleague.post(url, {"run": run}).status_code == 404
    assert colleague.get(reverse("academy:import_run", args=[run])).status_code == 404
    assert not Enrolment.objects.exists()


def test_a_large_file_runs_in_the_background_with_a_progress_page(
    region_staff_client, roomy, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_pages, "INLINE_ROWS", 2)
    url = reverse("programmes:staff_cohort_import", args=[roomy.pk])
    rows = "".join(f"p{n}@nhs.net,P,{n}\n" for n in range(5))
    body = upload(region_staff_client, url, f"email,first_name,last_name\n{rows}".encode(), "p.csv")
    run_pk = re.search(r'name="run" value="(\d+)"', body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = region_staff_client.post(url, {"run": run_pk})
    assert response.url == reverse("academy:import_run", args=[run_pk])
    run = ImportRun.objects.get(pk=run_pk)
    assert (run.status, run.progress, run.outcome) == (
        ImportRunStatus.SUCCEEDED,
        100,
        f"5 people have been enrolled on {roomy.name}.",
    )
    assert Enrolment.objects.filter(cohort=roomy).count() == 5
    assert bytes(run.content) == b""  # the file is not kept once written
    page = region_staff_client.get(response.url).content.decode()
    assert "Import finished" in page and "5 people have been enrolled" in page
    status = region_staff_client.get(reverse("academy:import_run_status", args=[run_pk])).json()
    assert status["finished"] and status["done_url"] == reverse("programmes:staff_cohort", args=[roomy.pk])
    # Run once only.
    assert region_staff_client.post(url, {"run": run_pk}).status_code == 404


def test_a_background_run_that_is_refused_says_why(
    region_staff_client, cohort, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_pages, "INLINE_ROWS", 0)
    url = reverse("programmes:staff_cohort_import", args=[cohort.pk])
    body = upload(region_staff_client, url, b"email,first_name,last_name\nada@nhs.net,Ada,Obi\n", "p.csv")
    run_pk = re.search(r'name="run" value="(\d+)"', body).group(1)
    cohort.capacity = 0
    cohort.save()
    with django_capture_on_commit_callbacks(execute=True):
        region_staff_client.post(url, {"run": run_pk})
    run = ImportRun.objects.get(pk=run_pk)
    assert run.status == ImportRunStatus.FAILED
    assert run.errors == ["The file has 1 person but only 0 places are left on this cohort."]
    assert (
        "Nothing was imported"
        in region_staff_client.get(reverse("academy:import_run", args=[run_pk])).content.decode()
    )
    assert not User.objects.filter(email="ada@nhs.net").exists()


# --- people added by staff can get in ---------------------------------------------------------------


def test_new_people_are_invited_to_set_a_password_on_the_sites_address(
    roomy, staff, participant, settings, client, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://academy.example.nhs.uk"
    content = f"email,first_name,last_name\nnew@nhs.net,Nia,Okafor\n{participant.user.email},,\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolments_import(cohort=roomy, content=content, actor=staff.user, commit=True)
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "choose your password" not in by_address[participant.user.email]  # they have one already
    invitation = by_address["new@nhs.net"]
    link = re.search(
        r"https://academy\.example\.nhs\.uk(/accounts/password/reset/key/\S+)", invitation
    ).group(1)
    assert "https://academy.example.nhs.uk/profile/" in invitation
    assert "127.0.0.1" not in invitation and ":8000" not in invitation
    # The link lets them choose a password, and then sign in (their address counts as verified).
    page = client.get(link, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    done = client.post(form_url, {"password1": "a-Long-new-passw0rd!", "password2": "a-Long-new-passw0rd!"})
    assert done.status_code == 302
    user = User.objects.get(email="new@nhs.net")
    assert user.check_password("a-Long-new-passw0rd!")
    assert user.emailaddress_set.get().verified


def test_addresses_outside_the_signup_domains_need_an_exception_with_a_reason(roomy, staff, settings):
    settings.ACADEMY_SIGNUP_DOMAINS = ["nhs.net"]
    content = b"email,first_name,last_name\nada@gmail.com,Ada,Obi\nbo@nhs.net,Bo,Li\n"
    preview = services.enrolments_import(cohort=roomy, content=content, actor=staff.user, commit=True)
    assert (
        preview.errors[0][0] == 2
        and "The address ada@gmail.com is outside the sign-up domains (nhs.net)" in preview.errors[0][1]
    )
    assert not User.objects.filter(email="bo@nhs.net").exists()
    with pytest.raises(services.EnrolmentRefused, match="Give the reason"):
        services.enrolments_import(
            cohort=roomy, content=content, actor=staff.user, commit=True, other_domains=True
        )
    services.enrolments_import(
        cohort=roomy,
        content=content,
        actor=staff.user,
        commit=True,
        other_domains=True,
        reason="Bank staff via agency",
    )
    entry = AuditEntry.objects.get(action="person.signup_domain_exception")
    assert entry.target_repr == "ada@gmail.com" and entry.data["reason"] == "Bank staff via agency"
    assert entry.actor == staff.user and entry.region_id == roomy.region_id
    assert Enrolment.objects.filter(cohort=roomy).count() == 2


def test_the_page_asks_for_the_reason_and_keeps_it_for_the_commit(region_staff_client, cohort, settings):
    settings.ACADEMY_SIGNUP_DOMAINS = ["nhs.net"]
    url = reverse("programmes:staff_cohort_import", args=[cohort.pk])
    content = b"email,first_name,last_name\nada@gmail.com,Ada,Obi\n"
    body = region_staff_client.post(
        url, {"file": SimpleUploadedFile("p.csv", content), "other_domains": "on"}
    ).content.decode()
    assert "Give the reason for allowing addresses outside the sign-up domains" in body
    body = region_staff_client.post(
        url, {"file": SimpleUploadedFile("p.csv", content), "other_domains": "on", "reason": "Locum GP"}
    ).content.decode()
    run = re.search(r'name="run" value="(\d+)"', body).group(1)
    region_staff_client.post(url, {"run": run})
    assert AuditEntry.objects.get(action="person.signup_domain_exception").data["reason"] == "Locum GP"


@pytest.mark.parametrize(
    ("row", "says"),
    [
        ("nul\x00@nhs.net,Ada,Obi,", "email contains a NUL character"),
        ("ada@nhs.net,A\x00da,Obi,", "first_name contains a NUL character"),
        (f"ada@nhs.net,{'A' * 10_000},Obi,", "first_name is 10,000 characters long; at most 100 are allowed"),
        (
            f"ada@nhs.net,Ada,Obi,{'J' * 10_000}",
            "job_title is 10,000 characters long; at most 200 are allowed",
        ),
        (f"{'a' * 286}@nhs.net,Ada,Obi,", "email is 294 characters long; an email address has at most 254"),
    ],
    ids=["nul-email", "nul-name", "long-name", "long-job-title", "long-email"],
)
def test_hostile_cells_are_bad_rows_on_the_page_not_server_errors(region_staff_client, cohort, row, says):
    url = reverse("programmes:staff_cohort_import", args=[cohort.pk])
    content = f"email,first_name,last_name,job_title\n{row}\n".encode()
    response = region_staff_client.post(url, {"file": SimpleUploadedFile("p.csv", content)})
    assert response.status_code == 200
    assert f"Line 2: {says}" in response.content.decode()
    assert not User.objects.filter(email__contains="ada").exists()
