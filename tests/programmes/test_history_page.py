"""The history import as a staff page: one file at a time, previewed, then imported into the staff
member's own region; large files in the background; the same file twice adds nothing."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from academy.imports import pages as import_pages
from academy.models import AuditEntry, ImportRun, ImportRunStatus, Role
from programmes.models import Attendance, Cohort, Programme, Session
from tests.conftest import make_person, signed_in_client

pytestmark = pytest.mark.django_db

PROGRAMMES = (
    b"Code,Title,Theme,Delivery mode\nCLS1,Compassionate leadership,Looking after our people,Virtual\n"
)
COHORTS = b"Cohort,Programme,Session date\nCLS1 May,CLS1,04/05/2021\nCLS1 May,CLS1,18/05/2021\n"
PEOPLE = b"Email,First name,Last name\nann@nhs.net,Ann,Able\n"
REGISTER = b"Cohort,Email,Session date,Attendance\nCLS1 May,ann@nhs.net,04/05/2021,Present\nCLS1 May,ann@nhs.net,18/05/2021,DNA\n"


def upload(client, kind: str, content: bytes) -> str:
    url = reverse("programmes:staff_history_import", args=[kind])
    return client.post(url, {"file": SimpleUploadedFile(f"{kind}.csv", content)}).content.decode()


def commit(client, kind: str, body: str) -> str:
    run = re.search(r'name="run" value="(\d+)"', body).group(1)
    url = reverse("programmes:staff_history_import", args=[kind])
    return client.post(url, {"run": run}, follow=True).content.decode()


def test_a_year_is_imported_file_by_file_and_again_adds_nothing(region_staff_client, staff):
    for kind, content in (
        ("programmes", PROGRAMMES),
        ("cohorts", COHORTS),
        ("people", PEOPLE),
        ("register", REGISTER),
    ):
        body = upload(region_staff_client, kind, content)
        assert "will be read" in body, body[:3000]
        done = commit(region_staff_client, kind, body)
        assert "imported" in done
    cohort = Cohort.objects.get(name="CLS1 May")
    assert cohort.region == staff.region and cohort.programme == Programme.objects.get(code="CLS1")
    assert sorted(Attendance.objects.values_list("status", flat=True)) == ["absent", "attended"]
    assert cohort.places_taken == 1
    for kind, content in (("cohorts", COHORTS), ("register", REGISTER)):
        commit(region_staff_client, kind, upload(region_staff_client, kind, content))
    assert (Session.objects.count(), Attendance.objects.count()) == (2, 2)
    assert AuditEntry.objects.filter(action="history.import", region=staff.region).count() == 6


def test_a_register_naming_what_academy_lacks_is_refused_line_by_line(region_staff_client):
    body = upload(region_staff_client, "register", REGISTER)
    assert "Line 2: The cohort “CLS1 May” is not in the cohorts file nor on Academy." in body
    assert not ImportRun.objects.exists()


def test_a_large_file_is_written_in_the_background(
    region_staff_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_pages, "INLINE_ROWS", 1)
    commit(region_staff_client, "programmes", upload(region_staff_client, "programmes", PROGRAMMES))
    body = upload(region_staff_client, "cohorts", COHORTS)
    run = re.search(r'name="run" value="(\d+)"', body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = region_staff_client.post(
            reverse("programmes:staff_history_import", args=["cohorts"]), {"run": run}
        )
    assert response["Location"] == reverse("academy:import_run", args=[run])
    assert ImportRun.objects.get(pk=run).status == ImportRunStatus.SUCCEEDED
    assert Session.objects.count() == 2


def test_the_page_is_for_programme_staff_and_knows_only_the_four_files(
    region_staff_client, participant_client
):
    assert (
        region_staff_client.get(reverse("programmes:staff_history_import", args=["payroll"])).status_code
        == 404
    )
    assert (
        participant_client.get(reverse("programmes:staff_history_import", args=["cohorts"])).status_code
        == 403
    )
    lead = signed_in_client(make_person(Role.LEAD))
    assert lead.get(reverse("programmes:staff_history_import", args=["cohorts"])).status_code == 403
    response = region_staff_client.get(reverse("programmes:staff_history_template", args=["register", "csv"]))
    assert response.content.decode("utf-8-sig").startswith("cohort,email,session_date,attendance,outcome")
