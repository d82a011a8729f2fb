"""The demo's 2020/21 year reproduces the source document's headline figures in the report."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from academy.scope import Scope
from programmes.selectors import reach_and_impact
from reporting.demo import HCLM_2020, hclm_2019
from reporting.models import Edition, Hclm360Count
from reporting.selectors import hclm_table

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


@pytest.mark.parametrize("column", list(HCLM_2020))
def test_2019_counts_give_back_the_sources_percentage_changes(column):
    for current, change in HCLM_2020[column]:
        previous = hclm_2019(current, change)
        if change is not None:
            assert round((current - previous) / previous, 2) == pytest.approx(change)


def test_the_demo_year_states_the_sources_headline_figures(demo):
    region = demo
    reach = reach_and_impact(Scope.for_nhs_year("2020/21", region=region))
    h = reach["headline"]
    assert (h.interventions, h.enrolments.value) == (191, 4116)
    assert (h.first_session.date().isoformat(), h.last_session.date().isoformat()) == (
        "2020-09-10",
        "2021-03-31",
    )
    shares = [h.attendance_rate, h.administrative_share, h.medical_share, h.nursing_ahp_share, h.female_share]
    assert [f"{s:.0%}" for s in shares] == ["70%", "37%", "31%", "20%", "79%"]
    assert f"{h.minority_ethnic_share:.0%}" == "32%"
    # Spread over all 11 systems.
    assert sum(1 for cell in reach["systems"].cells if cell.value) == 11
    created = hclm_table(Scope.for_nhs_year("2020/21", region=region))["rows"][0]["cells"]
    assert [(c.value, c.change_display) for c in created] == [(6962, "-29%"), (378, "-19%"), (545, "-25%")]
    edition = Edition.objects.get(region=region, title="A Year in Review 2020/21")
    assert edition.welcome.startswith("I am delighted") and edition.quotes.count() == 4

    counts = (Hclm360Count.objects.count(), edition.quotes.count())
    call_command("load_demo", "--quiet-accounts", stdout=io.StringIO())  # idempotent
    assert reach_and_impact(Scope.for_nhs_year("2020/21", region=region))["headline"].enrolments.value == 4116
    assert (Hclm360Count.objects.count(), edition.quotes.count()) == counts
