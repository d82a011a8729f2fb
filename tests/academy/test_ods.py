"""Reference data from the NHS Organisation Data Service's CSV files: the shipped regions, ICBs and
Midlands trusts, and an academy's own downloads loaded again and again without duplicates."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from academy import ods
from academy.models import AuditEntry, Organisation, OrganisationType, Region, System

pytestmark = pytest.mark.django_db


def ods_line(code, name, region="Y60", icb="QHL", *, closed="", status="", setting="") -> str:
    """One headerless line in ODS's layout (27 columns, every value quoted, as ODS writes them)."""
    cells = [""] * 27
    cells[0], cells[1], cells[2], cells[3], cells[9], cells[10], cells[11] = (
        code,
        name,
        region,
        icb,
        "B15 2TH",
        "19940401",
        closed,
    )
    cells[12], cells[25] = status, setting
    return ",".join(f'"{c}"' for c in cells) + "\r\n"


def load(kind, *lines, **options):
    content = "".join(lines).encode("ascii")
    return ods.reference_load(kind=kind, records=ods.read_ods(content), **options)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("THE ROYAL WOLVERHAMPTON NHS TRUST", "The Royal Wolverhampton NHS Trust"),
        (
            "BIRMINGHAM WOMEN'S AND CHILDREN'S NHS FOUNDATION TRUST",
            "Birmingham Women's and Children's NHS Foundation Trust",
        ),
        (
            "NHS STAFFORDSHIRE AND STOKE-ON-TRENT INTEGRATED CARE BOARD",
            "NHS Staffordshire and Stoke-on-Trent Integrated Care Board",
        ),
        ("O'BRIEN GP PRACTICE", "O'Brien GP Practice"),
        ("Already Mixed Case", "Already Mixed Case"),
    ],
)
def test_names_in_capitals_are_written_as_people_read_them(raw, expected):
    assert ods.ods_name(raw) == expected


def test_the_shipped_reference_data_has_every_region_and_icb_and_the_midlands_trusts():
    ods.load_shipped()
    assert dict(Region.objects.values_list("ods_code", "name")) == {
        "Y56": "London",
        "Y58": "South West",
        "Y59": "South East",
        "Y60": "Midlands",
        "Y61": "East of England",
        "Y62": "North West",
        "Y63": "North East and Yorkshire",
    }
    assert System.objects.count() == 42
    derby = System.objects.get(ods_code="QJ2")
    assert (derby.name, derby.slug, derby.sub_region.name) == (
        "Derby and Derbyshire",
        "derby-derbyshire",
        "East Midlands",
    )
    assert System.objects.get(ods_code="QWE").sub_region.name == "London"  # a region with no split
    icb = Organisation.objects.get(ods_code="QJ2")
    assert (icb.name, icb.type, icb.system) == (
        "NHS Derby and Derbyshire Integrated Care Board",
        OrganisationType.COMMISSIONER,
        derby,
    )
    trust = Organisation.objects.get(ods_code="RRK")
    assert (trust.name, trust.type, trust.system.ods_code) == (
        "University Hospitals Birmingham NHS Foundation Trust",
        OrganisationType.ACUTE_TRUST,
        "QHL",
    )
    ambulance = Organisation.objects.get(ods_code="RYA")
    assert (ambulance.type, ambulance.system) == (OrganisationType.AMBULANCE_TRUST, None)
    assert Organisation.objects.get(ods_code="Y60").name == "NHS England – Midlands"
    assert (
        Organisation.objects.filter(
            region__ods_code="Y60", type__in=["acute", "mental_health", "community", "ambulance"]
        ).count()
        == 40
    )

    audited = AuditEntry.objects.filter(action="reference.load").count()
    counts = (Region.objects.count(), System.objects.count(), Organisation.objects.count())
    reports = ods.load_shipped()
    assert all(not r.created and not r.updated for r in reports)
    assert (Region.objects.count(), System.objects.count(), Organisation.objects.count()) == counts
    assert AuditEntry.objects.filter(action="reference.load").count() == audited


def test_loading_trusts_again_renames_and_closes_without_duplicating():
    ods.load_shipped()
    before = Organisation.objects.count()
    report = load(
        ods.Kind.TRUSTS,
        ods_line("RWD", "UNITED LINCOLNSHIRE TEACHING HOSPITALS NHS TRUST", icb="QJM"),
        ods_line("RLT", "GEORGE ELIOT HOSPITAL NHS TRUST", icb="QWU", closed="20250331"),
        ods_line("RZZ", "NEWTOWN MENTAL HEALTH NHS TRUST", icb="QHL"),
        ods_line("RAL", "ROYAL FREE LONDON NHS FOUNDATION TRUST", region="Y56", icb="QMJ"),
        source="etr.csv",
    )
    assert (report.created, report.updated, report.closed) == (2, 2, 1)
    assert Organisation.objects.count() == before + 2
    assert Organisation.objects.get(ods_code="RWD").name == "United Lincolnshire Teaching Hospitals NHS Trust"
    assert Organisation.objects.get(ods_code="RWD").type == OrganisationType.ACUTE_TRUST  # the type is kept
    eliot = Organisation.objects.get(ods_code="RLT")
    assert eliot.closed_on == dt.date(2025, 3, 31)
    assert eliot not in Organisation.objects.open(dt.date(2025, 3, 31))  # closed from that day
    assert eliot in Organisation.objects.open(dt.date(2025, 3, 30))
    newtown = Organisation.objects.get(ods_code="RZZ")
    assert (newtown.type, newtown.system.ods_code, newtown.region.ods_code) == ("mental_health", "QHL", "Y60")
    assert Organisation.objects.get(ods_code="RAL").region.name == "London"
    entry = AuditEntry.objects.filter(action="reference.load").latest("id")
    assert entry.data == {"kind": "trusts", "source": "etr.csv", "created": 2, "updated": 2, "closed": 1}

    again = load(ods.Kind.TRUSTS, ods_line("RZZ", "NEWTOWN MENTAL HEALTH NHS TRUST", icb="QHL"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_row_loaded_before_codes_were_kept_is_given_its_code_not_duplicated():
    ods.load_shipped()
    region = Region.objects.get(ods_code="Y60")
    local = Organisation.objects.create(
        name="Tipton Green Medical Practice", type="gp_practice", region=region
    )
    load(ods.Kind.PRACTICES, ods_line("M88001", "TIPTON GREEN MEDICAL PRACTICE", icb="QUA", setting="4"))
    local.refresh_from_db()
    assert (local.ods_code, local.system.ods_code) == ("M88001", "QUA")
    assert Organisation.objects.filter(name="Tipton Green Medical Practice").count() == 1


def test_gp_practices_of_one_region_with_repeated_names_and_closures():
    ods.load_shipped()
    report = load(
        ods.Kind.PRACTICES,
        ods_line("M85001", "THE SURGERY", icb="QHL", status="A", setting="4"),
        ods_line("M85002", "THE SURGERY", icb="QHL", status="A", setting="4"),
        ods_line("M85003", "OLD ROAD SURGERY", icb="QHL", status="C", setting="4", closed="20190930"),
        ods_line("Y02625", "BIRMINGHAM OUT OF HOURS", icb="QHL", status="A", setting="1"),
        ods_line("F81001", "ESSEX PRACTICE", region="Y61", icb="QH8", status="A", setting="4"),
        regions=["y60"],
    )
    assert report.created == 3
    surgeries = Organisation.objects.filter(name="The Surgery")
    assert sorted(surgeries.values_list("ods_code", flat=True)) == ["M85001", "M85002"]
    assert {o.label for o in surgeries} == {"The Surgery (M85001)", "The Surgery (M85002)"}
    assert Organisation.objects.get(ods_code="M85003").closed_on == dt.date(2019, 9, 30)
    assert not Organisation.objects.filter(ods_code__in=["Y02625", "F81001"]).exists()
    assert set(surgeries.values_list("type", flat=True)) == {OrganisationType.GP_PRACTICE}


def test_icbs_need_their_region_and_a_sub_icb_location_is_not_an_icb():
    report = load(
        ods.Kind.ICBS,
        ods_line("QHL", "NHS BIRMINGHAM AND SOLIHULL INTEGRATED CARE BOARD", icb="QHL"),
        ods_line("15E", "NHS BIRMINGHAM AND SOLIHULL ICB - 15E", icb="QHL"),
    )
    assert report.created == 0
    assert "load the regions first" in report.skipped[0]
    assert "sub-ICB location" in report.skipped[1]
    assert not System.objects.exists()


def test_a_file_not_in_the_ods_layout_is_refused_with_its_line():
    with pytest.raises(ods.OdsFileError, match="Line 1 has 3 columns"):
        list(ods.read_ods(b"code,name,type\n"))
    with pytest.raises(ods.OdsFileError, match="Line 2: '31/03/2021' is not a date"):
        list(
            ods.read_ods(
                (ods_line("RRK", "A TRUST") + ods_line("RRJ", "B TRUST", closed="31/03/2021")).encode()
            )
        )


def test_the_command_loads_files_named_as_ods_names_them(tmp_path):
    call_command("load_ods", stdout=io.StringIO())
    etr = tmp_path / "etr.csv"
    etr.write_text(ods_line("RZZ", "NEWTOWN HOSPITAL NHS TRUST", icb="QHL"))
    out = io.StringIO()
    call_command("load_ods", str(etr), stdout=out)
    assert "etr.csv: Trusts: 1 added" in out.getvalue()
    assert Organisation.objects.get(ods_code="RZZ").type == OrganisationType.ACUTE_TRUST

    other = tmp_path / "download.csv"
    other.write_text(ods_line("RZY", "X NHS TRUST"))
    with pytest.raises(CommandError, match="--kind"):
        call_command("load_ods", str(other), stdout=io.StringIO())
    call_command("load_ods", str(other), "--kind", "trusts", stdout=io.StringIO())
    assert Organisation.objects.get(ods_code="RZY").type == OrganisationType.NHS_TRUST
