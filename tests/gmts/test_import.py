"""Importing trainees and placements on the shared machinery (academy.imports): all or nothing, every
bad row named by its line; CSV or Excel; preview, then commit of the same file."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from academy.models import AuditEntry, Person
from gmts import services
from gmts.models import Placement, PlacementStatus, Trainee, TraineeStatus
from tests.conftest import make_person
from tests.gmts.factories import TraineeFactory, intake_starting

pytestmark = pytest.mark.django_db

TRAINEES = (
    "email,first_name,last_name,intake,specialism,status,programme_manager_email,gender,ethnic_category\n"
    "sam.ng@nhs.net,Sam,Ng,March 2021,Finance,active,{pm},female,H\n"
    "jo.ray@nhs.net,Jo,Ray,2021-03,General Management,on a break,,,\n"
)


def rows(text: str) -> bytes:
    return text.encode()


@pytest.fixture
def march_2021(midlands):
    return intake_starting(midlands, dt.date(2021, 3, 1))


def test_trainees_are_imported(midlands, march_2021, manager, programme_manager):
    preview = services.trainees_import(
        region=midlands,
        commit=True,
        content=rows(TRAINEES.format(pm=programme_manager.user.email)),
        actor=manager.user,
    )
    assert preview.errors == []
    sam = Trainee.objects.get(person__user__email="sam.ng@nhs.net")
    assert (sam.specialism.name, sam.intake, sam.programme_manager) == (
        "Finance",
        march_2021,
        programme_manager,
    )
    assert (sam.person.gender, sam.person.ethnic_category) == ("female", "H")
    jo = Trainee.objects.get(person__user__email="jo.ray@nhs.net")
    assert jo.status == TraineeStatus.ON_BREAK and jo.status_reason
    assert AuditEntry.objects.filter(action="gmts.trainees.import").count() == 1


def test_a_bad_trainee_row_is_named_and_nothing_is_written(midlands, march_2021, manager):
    text = TRAINEES.format(pm="nobody@nhs.net") + "not-an-email,A,B,June 2021,Juggling,active,,,\n"
    preview = services.trainees_import(region=midlands, commit=True, content=rows(text), actor=manager.user)
    assert preview.errors == [
        (2, "No one in the portal has the email nobody@nhs.net."),
        (
            4,
            "email “not-an-email” is not an email address; intake “June 2021” is not an intake such as "
            "March 2021 or 2021-03; specialism “Juggling” is not a specialism.",
        ),
    ]
    assert not Trainee.objects.exists()
    assert not Person.objects.filter(user__email="sam.ng@nhs.net").exists()


def test_missing_columns_are_named(midlands, manager):
    preview = services.trainees_import(
        region=midlands, commit=True, content=rows("email,first_name\na@nhs.net,A\n"), actor=manager.user
    )
    assert preview.errors[0][0] == 1
    assert "last_name, intake, specialism, status, programme_manager_email" in preview.errors[0][1]


def test_placements_are_imported_from_excel(midlands, march_2021, manager, host, placement_manager):
    trainee = TraineeFactory(intake=march_2021, person=make_person(organisation=host))
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["trainee_email", "host_organisation", "kind", "start", "end", "placement_manager_email", "status"]
    )
    sheet.append(
        [
            trainee.person.user.email,
            host.name,
            "first",
            dt.date(2021, 3, 1),
            dt.date(2021, 8, 31),
            placement_manager.user.email,
            "completed",
        ]
    )
    sheet.append(
        [
            trainee.person.user.email,
            host.name.upper(),
            "Flexi placement",
            "01/09/2021",
            "28/02/2022",
            "",
            "completed",
        ]
    )
    content = io.BytesIO()
    book.save(content)
    preview = services.placements_import(
        region=midlands,
        commit=True,
        content=content.getvalue(),
        filename="placements.xlsx",
        actor=manager.user,
    )
    assert preview.errors == []
    placements = list(Placement.objects.filter(trainee=trainee).order_by("starts_on"))
    assert [(p.kind, p.starts_on, p.status) for p in placements] == [
        ("first", dt.date(2021, 3, 1), PlacementStatus.COMPLETED),
        ("flexi", dt.date(2021, 9, 1), PlacementStatus.COMPLETED),
    ]
    assert placements[0].placement_manager == placement_manager


def test_overlapping_placements_in_a_file_or_with_the_database_are_refused(
    midlands, march_2021, manager, host
):
    trainee = TraineeFactory(intake=march_2021, person=make_person(organisation=host))
    other = TraineeFactory(intake=march_2021, person=make_person(organisation=host))
    services.placement_propose(
        trainee=other,
        host=host,
        kind="first",
        starts_on=dt.date(2021, 3, 1),
        ends_on=dt.date(2021, 8, 31),
        actor=None,
    )
    header = "trainee_email,host_organisation,kind,start,end,placement_manager_email,status\n"
    in_file = (
        header
        + f"{trainee.person.user.email},{host.name},first,2021-03-01,2021-08-31,,confirmed\n"
        + f"{trainee.person.user.email},{host.name},flexi,2021-08-01,2021-12-31,,proposed\n"
    )
    preview = services.placements_import(
        region=midlands, commit=True, content=rows(in_file), actor=manager.user
    )
    assert preview.errors == [(3, "The dates overlap the placement on line 2.")]
    with_db = header + f"{trainee.person.user.email},{host.name},first,2021-03-01,2021-08-31,,confirmed\n"
    with_db += f"{other.person.user.email},{host.name},flexi,2021-05-01,2021-10-31,,proposed\n"
    preview = services.placements_import(
        region=midlands, commit=True, content=rows(with_db), actor=manager.user
    )
    assert preview.errors == [(3, "The trainee already has a placement on some of these dates.")]
    assert not Placement.objects.filter(trainee=trainee).exists()  # the good row was rolled back too


def test_the_import_page_previews_then_imports_the_same_file(
    manager_client, midlands, march_2021, programme_manager
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("gmts:import")
    bad = SimpleUploadedFile("t.csv", b"email,first_name\nx,y\n")
    page = manager_client.post(url, {"file": bad})
    assert page.status_code == 200
    assert "missing: last_name, intake, specialism, status, programme_manager_email" in page.text
    good = SimpleUploadedFile("t.csv", TRAINEES.format(pm=programme_manager.user.email).encode())
    page = manager_client.post(url, {"file": good})
    assert "2 trainees will be added to the scheme, 2 of them new to Academy." in page.text
    assert not Trainee.objects.exists()  # the preview writes nothing
    run = page.context["run"]
    assert manager_client.post(url, {"run": run.pk}).status_code == 302
    assert Trainee.objects.count() == 2
    # The same file is not imported twice.
    assert manager_client.post(url, {"run": run.pk}).status_code == 404


def test_a_semicolon_separated_windows_file_is_read(midlands, march_2021, manager):
    text = "Email;First name;Last name;Intake;Specialism;Status;Programme manager\nzoe.ng@nhs.net;Zoë;Ng;2021-03;finance;;\n"
    preview = services.trainees_import(
        region=midlands, commit=True, content=text.encode("cp1252"), actor=manager.user
    )
    assert preview.errors == []
    assert Trainee.objects.get().person.given_name == "Zoë"


def test_the_templates_download(manager_client):
    from django.urls import reverse

    for kind, first in (("trainees", "email"), ("placements", "trainee_email")):
        response = manager_client.get(reverse("gmts:import_template", args=[kind, "csv"]))
        assert response.content.decode("utf-8-sig").startswith(first + ",")
        xlsx = manager_client.get(reverse("gmts:import_template", args=[kind, "xlsx"]))
        assert xlsx.content[:2] == b"PK"
    assert manager_client.get(reverse("gmts:import_template", args=["people", "csv"])).status_code == 404
