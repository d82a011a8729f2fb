"""Importing a pool, career movements and systems' senior workforce figures on the shared import
machinery (CSV and Excel): all or nothing, every bad row named by its line."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, ImportRun, Person, User
from talent import services
from talent.models import PoolMember, Readiness, SeniorWorkforce

HEADER = (
    "email,first_name,last_name,job_title,organisation,system,professional_group,service_type,"
    "readiness,readiness_date,target_roles,entry_route,gender,ethnic_category,disability\n"
)


def pool_csv(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def good_rows(midlands) -> list[str]:
    trust = midlands["north_trust"].name
    return [
        f"amina.khan@nhs.net,Amina,Khan,Deputy Director of Nursing,{trust},Derby and Derbyshire,nursing,acute,"
        "ready_now,2021-01-15,Director of nursing;Chief executive,aspire_together,female,H,no",
        f"tom.jones@nhs.net,Tom,Jones,Deputy Director of Finance,{trust},,Finance,Acute,Ready soon,15/02/2021,"
        "Director of finance,Aspire Together assessment,male,A,",
    ]


def test_a_clean_pool_file_adds_everyone(midlands, talent_lead):
    preview = services.pool_import(
        region=midlands["region"], content=pool_csv(*good_rows(midlands)), actor=talent_lead.user, commit=True
    )
    assert preview.ok and len(preview.rows) == 2
    amina = PoolMember.objects.get(person__user__email="amina.khan@nhs.net")
    assert (amina.readiness, amina.readiness_on, amina.system) == (
        Readiness.READY_NOW,
        dt.date(2021, 1, 15),
        midlands["north"],
    )
    assert sorted(amina.target_roles.values_list("name", flat=True)) == [
        "Chief executive",
        "Director of nursing",
    ]
    assert amina.person.ethnic_category == "H" and amina.current_role == "Deputy Director of Nursing"
    assert "Imported from the talent pool spreadsheet" in amina.readiness_changes.get().evidence
    tom = PoolMember.objects.get(person__user__email="tom.jones@nhs.net")
    assert (tom.readiness, tom.readiness_on) == (Readiness.READY_SOON, dt.date(2021, 2, 15))
    assert AuditEntry.objects.filter(action="talent.pool.import").count() == 1


def test_a_file_with_a_bad_row_imports_nothing_and_names_every_bad_row(midlands, talent_lead, member):
    rows = [
        *good_rows(midlands),
        "not-an-email,A,B,,,,nursing,acute,ready_now,2021-01-01,,aspire_together,,,",
        f"{member.person.user.email},,,,,,nursing,acute,ready_now,2021-01-01,,aspire_together,,,",
        "new@nhs.net,,,,Nowhere Trust,,plumbing,acute,soonish,2021-13-01,Astronaut,aspire_together,,,",
        "amina.khan@nhs.net,Amina,Khan,,,,nursing,acute,ready_now,2021-01-01,,aspire_together,,,",
    ]
    preview = services.pool_import(
        region=midlands["region"], content=pool_csv(*rows), actor=talent_lead.user, commit=True
    )
    errors = dict(preview.errors)
    assert sorted(errors) == [4, 5, 6, 7]
    assert "is not an email address" in errors[4]
    assert "already in the talent pool" in errors[5]
    for problem in (
        "first_name",
        "Nowhere Trust",
        "“plumbing” is not a professional group",
        "soonish",
        "2021-13-01",
        "Astronaut",
    ):
        assert problem in errors[6], problem
    assert "also on line 2" in errors[7]
    assert not User.objects.filter(email__in=["amina.khan@nhs.net", "tom.jones@nhs.net"]).exists()
    assert PoolMember.objects.count() == 1


def test_a_missing_column_is_named(midlands, talent_lead):
    preview = services.pool_import(
        region=midlands["region"],
        content=b"email,first_name\nx@nhs.net,X\n",
        actor=talent_lead.user,
        commit=True,
    )
    assert preview.errors[0][0] == 1 and "professional_group" in preview.errors[0][1]


def test_an_existing_persons_answers_are_kept(midlands, talent_lead):
    person = Person.objects.get(pk=talent_lead.pk)
    person.ethnic_category = "A"
    person.save(update_fields=["ethnic_category"])
    row = f"{person.user.email},,,,,,people,regional,not yet ready,2020-09-01,,nomination,female,N,yes"
    services.pool_import(
        region=midlands["region"], content=pool_csv(row), actor=talent_lead.user, commit=True
    )
    person.refresh_from_db()
    assert person.ethnic_category == "A" and person.disability == "yes"


def test_movements_import_and_a_bad_row_stops_them_all(midlands, member, talent_lead):
    header = "email,role,organisation,date,kind,board_level,terms\n"
    trust = midlands["south_trust"].name
    good = f"{member.person.user.email},Director of Nursing,{trust},2021-03-01,appointment,yes,substantive\n"
    bad = f"stranger@nhs.net,Director,{trust},yesterday,transfer,maybe,\n"
    preview = services.movements_import(
        region=midlands["region"], content=(header + good + bad).encode(), actor=talent_lead.user, commit=True
    )
    ((line, message),) = preview.errors
    assert line == 3
    for problem in ("stranger@nhs.net is not in", "yesterday", "transfer", "maybe"):
        assert problem in message
    assert not member.movements.exists()
    preview = services.movements_import(
        region=midlands["region"], content=(header + good).encode(), actor=talent_lead.user, commit=True
    )
    assert preview.ok
    member.refresh_from_db()
    assert member.movements.count() == 1 and member.exit_reason == "appointed"


def test_a_row_refused_while_writing_rolls_back_every_row(midlands, talent_lead, member):
    """The preview is clean, but someone joins the pool before the file is written: nothing is kept."""
    preview = services.pool_import(
        region=midlands["region"], content=pool_csv(*good_rows(midlands)), actor=talent_lead.user
    )
    assert preview.ok and not PoolMember.objects.filter(person__user__email="amina.khan@nhs.net").exists()
    preview.rows[1].values["person"] = member.person  # Tom turns out to be someone already in the pool
    with pytest.raises(ValidationError) as refusal:
        services.pool_import_write(region=midlands["region"], rows=preview.rows, actor=talent_lead.user)
    assert refusal.value.messages[0].startswith("Line 3: ")
    assert PoolMember.objects.count() == 1 and not User.objects.filter(email="amina.khan@nhs.net").exists()


def test_a_workbook_is_read_like_a_csv(midlands, talent_lead):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Email address", "First name", "Surname", "Professional group", "Service type"])
    sheet["F1"], sheet["G1"], sheet["H1"] = "Readiness", "Readiness date", "Entry route"
    sheet.append(
        [
            "kemi@nhs.net",
            "Kemi",
            "Ade",
            "Medical",
            "Mental health",
            "Not yet ready",
            dt.datetime(2021, 3, 1),  # noqa: DTZ001 - a workbook date cell has no zone
            "Nomination",
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    preview = services.pool_import(
        region=midlands["region"],
        content=out.getvalue(),
        filename="pool.xlsx",
        actor=talent_lead.user,
        commit=True,
    )
    assert preview.ok, preview.errors
    kemi = PoolMember.objects.get(person__user__email="kemi@nhs.net")
    assert (kemi.readiness, kemi.readiness_on, kemi.service_type) == (
        Readiness.NOT_YET_READY,
        dt.date(2021, 3, 1),
        "mental_health",
    )


def test_a_movement_already_recorded_or_twice_in_the_file_is_named(midlands, member, talent_lead):
    header = "email,role,organisation,date,kind\n"
    row = f"{member.person.user.email},Deputy Director,{midlands['north_trust'].name},01/03/2021,promotion\n"
    preview = services.movements_import(
        region=midlands["region"], content=(header + row + row).encode(), actor=talent_lead.user
    )
    assert preview.errors == [(3, "This movement is also on line 2.")]
    services.movements_import(
        region=midlands["region"], content=(header + row).encode(), actor=talent_lead.user, commit=True
    )
    preview = services.movements_import(
        region=midlands["region"], content=(header + row).encode(), actor=talent_lead.user
    )
    assert "already recorded" in preview.errors[0][1]


def test_the_import_page_previews_then_imports_the_same_file(lead_client, midlands):
    upload = SimpleUploadedFile("pool.csv", pool_csv(*good_rows(midlands)), content_type="text/csv")
    response = lead_client.post(reverse("talent:import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and "2 pool members will join the talent pool" in page
    assert not PoolMember.objects.exists()
    run = ImportRun.objects.get(kind="talent-pool")
    response = lead_client.post(reverse("talent:import"), {"run": run.pk})
    assert response.status_code == 302 and PoolMember.objects.count() == 2
    assert AuditEntry.objects.filter(action="talent.pool.import").count() == 1
    # The same run cannot be imported twice.
    assert lead_client.post(reverse("talent:import"), {"run": run.pk}).status_code == 404


def test_the_import_page_names_every_bad_row(lead_client, midlands):
    bad = SimpleUploadedFile("pool.csv", pool_csv("x,,,,,,,,,,,,,,"), content_type="text/csv")
    response = lead_client.post(reverse("talent:import"), {"file": bad})
    assert response.status_code == 200 and "Line 2: " in response.content.decode()
    assert not ImportRun.objects.exists()


def test_the_movements_page_and_the_templates(lead_client, midlands, member):
    header = "email,role,organisation,date,kind,board_level\n"
    row = f"{member.person.user.email},Director of Nursing,{midlands['south_trust'].name},01/03/2021,appointment,yes\n"
    upload = SimpleUploadedFile("moves.csv", (header + row).encode(), content_type="text/csv")
    response = lead_client.post(reverse("talent:import_movements"), {"file": upload})
    assert "1 career movement will be recorded" in response.content.decode()
    run = ImportRun.objects.get(kind="talent-movements")
    assert lead_client.post(reverse("talent:import_movements"), {"run": run.pk}).status_code == 302
    assert member.movements.count() == 1
    csv_template = lead_client.get(reverse("talent:import_template", args=["pool", "csv"]))
    assert csv_template.content.decode("utf-8-sig").startswith("email,first_name,last_name,job_title")
    xlsx = lead_client.get(reverse("talent:import_template", args=["movements", "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert lead_client.get(reverse("talent:import_template", args=["nothing", "csv"])).status_code == 404


def test_only_the_talent_lead_imports(participant):
    from tests.conftest import signed_in_client

    client = signed_in_client(participant)
    assert client.get(reverse("talent:import")).status_code == 403
    assert client.get(reverse("talent:import_movements")).status_code == 403
    assert client.get(reverse("talent:import_template", args=["pool", "csv"])).status_code == 403


WORKFORCE_HEADER = "System,As of,White,Minority ethnic,Ethnicity not stated,Female,Male,Gender other\n"


def test_senior_workforce_figures_are_imported_and_replace_those_entered(midlands, talent_lead):
    entered = services.senior_workforce_record(
        system=midlands["north"], as_of=dt.date(2021, 3, 31), actor=talent_lead.user, white=1, female=1
    )
    content = (
        WORKFORCE_HEADER
        + "Derby and Derbyshire,31/03/2021,120,30,10,90,68,2\n"
        + "coventry,2021-03-31,80,20,0,60,40,0\n"
    ).encode()
    preview = services.workforce_import(
        region=midlands["region"], content=content, actor=talent_lead.user, commit=True
    )
    assert preview.ok and preview.counted() == "2 systems' figures"
    entered.refresh_from_db()
    assert (entered.white, entered.minority_ethnic, entered.female, entered.gender_other) == (120, 30, 90, 2)
    south = SeniorWorkforce.objects.get(system=midlands["south"])
    assert (south.as_of, south.total) == (dt.date(2021, 3, 31), 100)
    assert (
        AuditEntry.objects.filter(action="talent.senior_workforce.record").count() == 3
    )  # with the hand entry
    assert AuditEntry.objects.get(action="talent.senior_workforce.import").data == {"figures": 2}


def test_a_bad_workforce_row_saves_nothing_and_every_bad_row_is_named(midlands, talent_lead, other_lead):
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    content = (
        WORKFORCE_HEADER
        + "Derby and Derbyshire,31/03/2021,120,30,10,90,68,2\n"  # good
        + "Derby and Derbyshire,31/03/2021,1,0,0,1,0,0\n"  # the same system and date again
        + "Coventry and Warwickshire,31/03/2021,10,0,0,9,0,0\n"  # 10 against 9
        + f"Nowhere,{tomorrow:%d/%m/%Y},-1,0,0,0,0,0\n"
    ).encode()
    preview = services.workforce_import(
        region=midlands["region"], content=content, actor=talent_lead.user, commit=True
    )
    assert not preview.ok and not SeniorWorkforce.objects.exists()
    errors = dict(preview.errors)
    assert set(errors) == {3, 4, 5}
    assert "also on line 2" in errors[3]
    assert "add up to 10 but the gender counts to 9" in errors[4]
    assert "system" in errors[5] and "as_of is in the future" in errors[5] and "white" in errors[5]
    # A system of another region is not one of this region's.
    other = services.workforce_import(
        region=other_lead.region,
        content=(WORKFORCE_HEADER + "Derby and Derbyshire,31/03/2021,1,0,0,1,0,0\n").encode(),
        actor=other_lead.user,
    )
    assert not other.ok


def test_the_workforce_import_page_previews_then_saves(lead_client, midlands):
    row = "Derby and Derbyshire,31/03/2021,120,30,10,90,68,2\n"
    upload = SimpleUploadedFile("workforce.csv", (WORKFORCE_HEADER + row).encode(), content_type="text/csv")
    page = lead_client.post(reverse("talent:import_workforce"), {"file": upload}).content.decode()
    assert "1 system&#39;s figures will be saved" in page or "1 system's figures will be saved" in page
    assert not SeniorWorkforce.objects.exists()
    run = ImportRun.objects.get(kind="talent-workforce")
    response = lead_client.post(reverse("talent:import_workforce"), {"run": run.pk})
    assert response.status_code == 302 and SeniorWorkforce.objects.get().white == 120
    template = lead_client.get(reverse("talent:import_template", args=["workforce", "csv"]))
    assert template.content.decode("utf-8-sig").startswith("system,as_of,white,minority_ethnic")
    assert reverse("talent:import_workforce") in lead_client.get(reverse("talent:boards")).content.decode()
