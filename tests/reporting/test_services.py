"""Reporting services: editions, quotes and the HCLM 360 import (all rows or none)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from academy.models import AuditEntry
from academy.scope import Scope
from reporting import services
from reporting.models import Hclm360Count, Hclm360Import
from reporting.selectors import hclm_table
from tests.factories import RegionFactory, UserFactory
from tests.reporting import builders as b

HEADER = (
    "year,sub_region,created_360,self_assessment_in_progress_360,self_assessment_completed_360,"
    "submitted_for_facilitation_360,marked_complete_360,self_assessments_created,self_assessments_completed,"
    "facilitators_trained,facilitators_added,facilitators_on_register\n"
)
GOOD = HEADER + (
    "2019,Overall,9806,234,5559,5766,4793,11131,9620,317,264,314\n"
    '2020,Overall,"6,962",173,4225,3229,2733,11354,9812,73,87,1915\n'
    "2019,East Midlands,467,17,344,345,285,782,690,0,0,0\n"
    "2020,East Midlands,378,9,279,152,134,907,807,0,0,184\n"
)


@pytest.fixture
def region(db):
    region = RegionFactory()
    b.system(region, sub_region="East Midlands")
    return region


def test_a_good_file_is_imported_with_every_count(region):
    source = services.hclm360_import(
        actor=UserFactory(), region=region, upload=GOOD.encode(), filename="hclm.csv"
    )
    assert source.row_count == 4
    overall_2020 = Hclm360Count.objects.get(region=region, year=2020, sub_region=None)
    assert overall_2020.created_360 == 6962 and overall_2020.facilitators_on_register == 1915
    assert AuditEntry.objects.filter(action="hclm360.import").count() == 1


def test_the_table_shows_the_change_on_the_previous_year(region):
    services.hclm360_import(actor=None, region=region, upload=GOOD, filename="hclm.csv")
    table = hclm_table(Scope.for_nhs_year("2020/21", region=region))
    assert table["year"] == 2020 and table["columns"] == ["Overall", "East Midlands"]
    created = table["rows"][0]
    assert created["label"] == "Total 360s created"
    assert [c.value for c in created["cells"]] == [6962, 378]
    assert [c.change_display for c in created["cells"]] == ["-29%", "-19%"]
    on_register = table["rows"][-1]["cells"]
    assert on_register[0].change_display == "+510%"
    assert on_register[1].change is None  # 0 the year before: no percentage can be given


def test_every_bad_row_is_named_and_nothing_is_imported(region):
    bad = HEADER + (
        "2020,Overall,6962,173,4225,3229,2733,11354,9812,73,87,1915\n"
        "20x0,Overall,1,1,1,1,1,1,1,1,1,1\n"
        "2020,Atlantis,1,1,1,1,1,1,1,1,1,1\n"
        "2019,East Midlands,1,1,1,1,1,1,1,-4,1,many\n"
        "2020,overall,1,1,1,1,1,1,1,1,1,1\n"
    )
    with pytest.raises(services.Hclm360ImportError) as caught:
        services.hclm360_import(actor=None, region=region, upload=bad, filename="bad.csv")
    messages = caught.value.messages
    assert len(messages) == 4
    assert messages[0] == "Line 3: year must be a year such as 2020 (got “20x0”)."
    assert "Line 4: sub_region “Atlantis” is not Overall or a sub-region" in messages[1]
    assert "facilitators_trained must be 0 or more (got -4)" in messages[2]
    assert "facilitators_on_register must be a whole number (got “many”)" in messages[2]
    assert messages[3] == "Line 6: 2020 Overall is also on line 2."
    assert not Hclm360Count.objects.exists() and not Hclm360Import.objects.exists()


def test_a_file_missing_a_column_is_refused(region):
    with pytest.raises(services.Hclm360ImportError, match="missing: facilitators_on_register"):
        services.hclm360_import(
            actor=None,
            region=region,
            upload=HEADER.replace(",facilitators_on_register", ""),
            filename="x.csv",
        )


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (HEADER.encode("utf-16") + "2020,Overall,1,1,1,1,1,1,1,1,1,1\n".encode("utf-16-le"), None),
        (("\ufeff" + GOOD).encode("cp1252", errors="ignore"), None),
        (
            HEADER.encode() + f"2020,Overall,{2**31},1,1,1,1,1,1,1,1,1\n".encode(),
            "must be at most 2,147,483,647",
        ),
        (HEADER.encode() + b"2020,Overall,1,1,1,1,1,1,1,1,1,1,1\n", "The row has 13 cells"),
        (b"PK\x03\x04" + b"\x00" * 64, "damaged .xlsx workbook"),
    ],
    ids=["utf16", "windows-1252", "out-of-range", "ragged", "zip"],
)
def test_files_excel_writes_are_read_and_bad_ones_refused_in_words(region, content, says):
    if says is None:
        assert (
            services.hclm360_import(actor=None, region=region, upload=content, filename="x.csv").row_count
            >= 1
        )
    else:
        with pytest.raises(services.Hclm360ImportError, match=says):
            services.hclm360_import(actor=None, region=region, upload=content, filename="x.csv")
        assert not Hclm360Count.objects.exists()


def test_importing_a_year_again_replaces_its_counts(region):
    services.hclm360_import(actor=None, region=region, upload=GOOD, filename="first.csv")
    again = HEADER + "2020,Overall,7000,173,4225,3229,2733,11354,9812,73,87,1915\n"
    services.hclm360_import(actor=None, region=region, upload=again, filename="second.csv")
    assert Hclm360Count.objects.filter(region=region, year=2020, sub_region=None).get().created_360 == 7000
    assert Hclm360Count.objects.count() == 4


def test_an_edition_needs_its_period_in_order(region):
    with pytest.raises(ValidationError):
        services.edition_create(
            actor=None,
            region=region,
            title="Backwards",
            period_start=dt.date(2021, 3, 31),
            period_end=dt.date(2020, 4, 1),
        )


def test_an_edition_for_a_system_of_another_region_is_refused(region, other_region):
    foreign = b.system(other_region, sub_region="North")
    with pytest.raises(ValidationError, match="system"):
        b.edition(region, system=foreign)


def test_only_feedback_given_with_consent_can_be_quoted(region):
    edition = b.edition(region)
    system = region.sub_regions.get().systems.get()
    cohort = b.cohort(b.programme(region))
    private = b.feedback(b.enrol(cohort, b.person(system)), consent=False)
    public = b.feedback(b.enrol(cohort, b.person(system)), consent=True)
    with pytest.raises(ValidationError, match="consent"):
        services.edition_set_quotes(edition=edition, actor=None, feedback=[public, private])
    assert not edition.quotes.exists()
    services.edition_set_quotes(edition=edition, actor=None, feedback=[public])
    assert list(edition.quotes.all()) == [public]


def test_a_narrative_update_is_audited_with_the_fields_changed(region):
    edition = b.edition(region)
    services.edition_update(edition=edition, actor=None, welcome="Welcome to our review.")
    edition.refresh_from_db()
    assert edition.welcome == "Welcome to our review."
    assert AuditEntry.objects.get(action="edition.update").data == {"fields": ["welcome"]}
