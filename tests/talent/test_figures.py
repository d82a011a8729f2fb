"""The chapter's figures against a hand-counted pool: readiness as it was at the period's end, people
who joined later left out, movements in the period, and the equity funnel's counts, rates and ratio."""

from __future__ import annotations

import datetime as dt

import pytest

from academy.scope import Scope
from talent import services
from talent.chapters import readiness_chart, readiness_chart_at
from talent.figures import ReadinessTable, equity_funnel, movement_figures, pool_figures
from talent.models import MovementKind, MovementTerms, ProfessionalGroup, Readiness, ServiceType
from tests.factories import PersonFactory
from tests.talent.conftest import add_member

START, END = dt.date(2020, 4, 1), dt.date(2021, 3, 31)


@pytest.fixture
def pool(midlands, talent_lead):
    """North: 10 white members, ready soon then ready now in January 2021, each with an interim
    board appointment in February. South: 10 minority-ethnic members, ready soon, ready now only in
    May 2021 (after the period). Ten more joined in April 2021."""
    lead = talent_lead.user
    for _ in range(10):
        person = PersonFactory(organisation=midlands["north_trust"], ethnic_category="A", gender="female")
        member = add_member(
            person, actor=lead, group=ProfessionalGroup.FINANCE, decided_on=dt.date(2020, 6, 1)
        )
        services.readiness_change(
            member=member,
            readiness=Readiness.READY_NOW,
            evidence="Panel",
            decided_on=dt.date(2021, 1, 10),
            actor=lead,
        )
        services.movement_record(
            member=member,
            role="Interim Director of Finance",
            organisation=midlands["south_trust"],
            moved_on=dt.date(2021, 2, 1),
            kind=MovementKind.APPOINTMENT,
            terms=MovementTerms.INTERIM,
            board_level=True,
            actor=lead,
        )
    for _ in range(10):
        person = PersonFactory(organisation=midlands["south_trust"], ethnic_category="H", gender="male")
        member = add_member(
            person,
            actor=lead,
            group=ProfessionalGroup.NURSING,
            service=ServiceType.COMMUNITY,
            decided_on=dt.date(2020, 6, 1),
        )
        services.readiness_change(
            member=member,
            readiness=Readiness.READY_NOW,
            evidence="Panel",
            decided_on=dt.date(2021, 5, 1),
            actor=lead,
        )
    for _ in range(10):
        add_member(
            PersonFactory(organisation=midlands["north_trust"]), actor=lead, decided_on=dt.date(2021, 4, 10)
        )
    return midlands


def test_the_pool_at_the_periods_end(pool):
    figures = pool_figures(Scope(pool["region"], START, END))
    assert [(c.label, c.value) for c in figures["by_readiness"].cells] == [
        ("Ready now", 10),
        ("Ready soon", 10),
        ("Not yet ready", 0),
    ]
    assert figures["by_readiness"].total.value == 20
    rows = {r[0]: r[1:] for r in figures["by_system"].rows()}
    assert rows["Derby and Derbyshire"] == ["10", "0", "0", "10"]
    assert rows["Coventry and Warwickshire"] == ["0", "10", "0", "10"]
    groups = {r[0]: r[1:] for r in figures["by_professional_group"].rows()}
    assert groups["Finance"] == ["10", "0", "0", "10"] and groups["Nursing and midwifery"] == [
        "0",
        "10",
        "0",
        "10",
    ]
    services_ = {r[0]: r[1:] for r in figures["by_service_type"].rows()}
    assert services_["Community"] == ["0", "10", "0", "10"] and services_["Acute"] == ["10", "0", "0", "10"]


def test_today_the_later_decisions_and_members_count(pool):
    today = Scope(pool["region"], dt.date(2021, 4, 1), dt.date(2021, 6, 30))
    cells = pool_figures(today)["by_readiness"]
    assert [c.value for c in cells.cells] == [20, 10, 0]


def test_movements_in_the_period(pool):
    figures = movement_figures(Scope(pool["region"], START, END))
    assert {k: v.value for k, v in figures.items()} == {
        "movements": 10,
        "appointments": 10,
        "promotions": 0,
        "board_appointments": 10,
        "interim": 10,
        "placements": 0,
    }
    assert all(
        v.value == 0
        for v in movement_figures(
            Scope(pool["region"], END + dt.timedelta(days=1), dt.date(2021, 12, 31))
        ).values()
    )


def test_the_equity_funnel(pool):
    ethnicity, gender, _ = equity_funnel(region=pool["region"], end=END)
    counts = [[c.value for c in s.breakdown.cells] for s in ethnicity["steps"]]
    assert counts == [[10, 10, 0], [10, 10, 0], [10, 10, 0], [10, 0, 0], [10, 0, 0]]
    ready_now = ethnicity["steps"][3]
    assert ready_now.rates == ["100%", "0%", "–"]
    assert ready_now.ratio == "–"  # no minority-ethnic member was ready now: no ratio to divide by
    pooled = ethnicity["steps"][2]
    assert pooled.ratio == "1.00"
    assert [c.value for c in gender["steps"][4].breakdown.cells] == [10, 0, 0]


def test_a_small_count_in_the_funnel_is_hidden_with_the_cell_that_would_give_it_away(pool, talent_lead):
    for _ in range(3):
        person = PersonFactory(organisation=pool["south_trust"], ethnic_category="Z")
        add_member(person, actor=talent_lead.user, decided_on=dt.date(2020, 7, 1))
    ethnicity = equity_funnel(region=pool["region"], end=END)[0]
    pooled = ethnicity["steps"][2]
    assert [c.display for c in pooled.breakdown.cells].count("*") == 2  # the 3, and the next smallest
    assert pooled.ratio == "*"


def test_a_chart_shown_without_drawing_it_is_named_by_what_it_shows():
    # Two systems and the total row, each by readiness and in all; South's ready-now count is hidden.
    table = ReadinessTable(
        "by-system",
        "Readiness by ICS",
        ["North", "South"],
        [[5, 6, 7, 18], [None, 8, 9, 22], [10, 14, 16, 40]],
    )
    chart = readiness_chart_at(table, "/talent/charts/system.svg")
    assert chart.src == chart.address and chart.address.startswith("/talent/charts/system.svg?v=")
    assert readiness_chart_at(table, "/c.svg?year=2020%2F21").address.startswith("/c.svg?year=2020%2F21&v=")
    assert not chart.svg and chart.table_rows == table.rows()
    assert "South (Ready now)" in chart.description  # the hidden count named, as in the drawn chart
    moved = ReadinessTable(
        "by-system",
        "Readiness by ICS",
        ["North", "South"],
        [[6, 5, 7, 18], [None, 8, 9, 22], [10, 14, 16, 40]],
    )
    assert readiness_chart_at(moved, "/c.svg").address != readiness_chart_at(table, "/c.svg").address
    assert readiness_chart(table).description == chart.description
