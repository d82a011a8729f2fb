"""An edition for one system counts people in a small area: its programme tables, theme counts and
headline counts of people are suppressed like every breakdown; the whole-region edition stays exact."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from academy.scope import Scope
from programmes.selectors import reach_and_impact, theme_chapter
from reporting import exports
from reporting.chapters import Report
from tests.factories import RegionFactory
from tests.reporting import builders as b


@pytest.fixture
def area(db):
    """Derby: a programme with 3 enrolments (SMALL) and one with 40 (LARGE), both in 2020/21."""
    region = RegionFactory()
    derby = b.system(region, sub_region="East Midlands", name="Derby")
    small = b.programme(region, theme="looking_after", code="SMALL", title="Small programme")
    large = b.programme(region, theme="looking_after", code="LARGE", title="Large programme")
    for programme_, people in ((small, 3), (large, 40)):
        cohort = b.cohort(programme_, system=derby)
        session = b.session(cohort, b.london(2020, 10, 1, 10))
        for _ in range(people):
            b.mark(session, b.enrol(cohort, b.person(derby)), "attended")
    return {"region": region, "derby": derby}


def _rows(scope):
    return {row.code: row for row in theme_chapter(scope, "looking_after")["programmes"]}


def test_a_one_system_edition_hides_a_programme_of_three(area):
    scope = Scope.for_nhs_year("2020/21", region=area["region"], system=area["derby"])
    rows = _rows(scope)
    assert (rows["SMALL"].enrolments.display, rows["SMALL"].individuals.display) == ("*", "*")
    assert rows["SMALL"].attendance_rate is None  # a rate over 3 people is not shown either
    assert rows["SMALL"].interventions == 1  # cohorts are not people: never hidden
    # Secondary suppression: 40 would give the 3 away from the theme's total, so it is hidden too.
    assert rows["LARGE"].enrolments.display == "*"
    chapter = theme_chapter(scope, "looking_after")
    assert chapter["enrolments"].display == "45"  # 43 rounded to the nearest 5

    html = render_to_string("programmes/report/theme.html", {"data": chapter})
    assert 'SMALL Small programme</th><td class="num">1</td><td class="num">*</td>' in html
    assert "45 enrolments" in html and ">3<" not in html

    csv = exports.table_csv("programmes", Report.for_scope(scope))
    assert "SMALL,Small programme,Looking after our people,1,*,*," in csv
    themes_csv = exports.table_csv("themes", Report.for_scope(scope))
    assert "45" in themes_csv and "43" not in themes_csv


def test_a_one_system_edition_rounds_its_headline_counts_of_people(area):
    headline = reach_and_impact(Scope.for_nhs_year("2020/21", region=area["region"], system=area["derby"]))[
        "headline"
    ]
    assert (headline.enrolments.display, headline.individuals.display) == ("45", "45")
    assert headline.interventions == 2


def test_the_whole_region_edition_keeps_exact_programme_counts(area):
    scope = Scope.for_nhs_year("2020/21", region=area["region"])
    rows = _rows(scope)
    assert (rows["SMALL"].enrolments.display, rows["SMALL"].individuals.display) == ("3", "3")
    assert rows["LARGE"].enrolments.display == "40"
    assert rows["SMALL"].attendance_rate == 1.0
    assert theme_chapter(scope, "looking_after")["enrolments"].display == "43"
    headline = reach_and_impact(scope)["headline"]
    assert (headline.enrolments.value, headline.individuals.value) == (43, 43)
