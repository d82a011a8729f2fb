"""The equity funnel as published, from hand-made counts (no database): each group's rate from the
previous step, the relative likelihood between the two groups compared, what is shown when a rate
cannot be worked out (hidden: *, no one to divide by: –), and the CSV rows; then one system's counts
against the region's, from a pool of two; people nominated for a centre, in the pool or not; and a
member who left and came back."""

from __future__ import annotations

import datetime as dt

import pytest

from talent import services
from talent.figures import (
    DIMENSIONS,
    FUNNEL_STEPS,
    funnel_counts,
    funnel_dimension,
    funnel_rows,
    rate,
    show_rate,
)
from talent.models import (
    AssessmentCentre,
    BookingStatus,
    CentreBooking,
    CentreLevel,
    ExitReason,
    MovementKind,
    MovementTerms,
    Readiness,
)
from tests.factories import PersonFactory, RegionFactory
from tests.talent.conftest import add_member

ETHNICITY = DIMENSIONS[0]  # reference white, comparison minority ethnic
STEPS = [step for step, _ in FUNNEL_STEPS]
END = dt.date(2021, 3, 31)


def counts(*per_step: tuple[int, int, int]) -> dict[str, dict[str, int]]:
    """Ethnicity counts per step, in FUNNEL_STEPS order: (white, minority ethnic, not stated)."""
    return {
        step: {"ethnicity:white": w, "ethnicity:minority_ethnic": m, "ethnicity:not_stated": n}
        for step, (w, m, n) in zip(STEPS, per_step, strict=True)
    }


ROUND = counts((100, 50, 20), (80, 40, 10), (60, 20, 10), (30, 10, 0), (15, 0, 0))


def test_rates_are_the_share_of_the_previous_steps_people_and_the_first_step_has_none():
    steps = funnel_dimension(ETHNICITY, ROUND)["steps"]
    assert [s.key for s in steps] == STEPS
    assert [[c.value for c in s.breakdown.cells] for s in steps] == [
        [100, 50, 20],
        [80, 40, 10],
        [60, 20, 10],
        [30, 10, 0],
        [15, 0, 0],
    ]
    assert steps[0].rates == [] and steps[0].ratio == ""
    assert steps[1].rates == ["80%", "80%", "50%"]
    assert steps[2].rates == ["75%", "50%", "100%"]
    assert steps[3].rates == ["50%", "50%", "0%"]
    # Nobody not stated was ready now: no rate to show, but nothing is hidden either.
    assert steps[4].rates == ["50%", "0%", "–"]


def test_the_ratio_divides_the_reference_groups_rate_by_the_comparison_groups():
    steps = funnel_dimension(ETHNICITY, ROUND)["steps"]
    assert [s.ratio for s in steps] == ["", "1.00", "1.50", "1.00", "–"]  # 0.75 / 0.50; then ÷ 0


def test_columns_pair_each_published_count_with_its_rate():
    steps = funnel_dimension(ETHNICITY, ROUND)["steps"]
    assert [(c.display, r) for c, r in steps[0].columns] == [("100", ""), ("50", ""), ("20", "")]
    assert [(c.display, r) for c, r in steps[2].columns] == [("60", "75%"), ("20", "50%"), ("10", "100%")]


def test_a_hidden_count_hides_its_rate_the_next_steps_rate_and_the_ratio():
    # 3 minority-ethnic people ready now: hidden, with the next smallest (not stated, 10) beside it.
    hidden = counts((100, 50, 20), (80, 40, 10), (60, 20, 10), (30, 3, 10), (15, 0, 0))
    steps = funnel_dimension(ETHNICITY, hidden)["steps"]
    assert [c.display for c in steps[3].breakdown.cells] == ["30", "*", "*"]
    assert steps[3].rates == ["50%", "*", "*"]
    assert steps[3].ratio == "*"
    assert steps[4].rates == ["50%", "*", "*"]
    assert steps[4].ratio == "*"


def test_with_no_one_in_the_comparison_group_the_ratio_is_a_dash_not_a_star():
    none = counts((100, 0, 20), (80, 0, 10), (60, 0, 10), (30, 0, 10), (15, 0, 10))
    steps = funnel_dimension(ETHNICITY, none)["steps"]
    assert [s.ratio for s in steps] == ["", "–", "–", "–", "–"]
    assert steps[1].rates == ["80%", "–", "50%"]


def test_a_group_missing_from_the_counts_is_zero():
    steps = funnel_dimension(ETHNICITY, {step: {} for step in STEPS})["steps"]
    assert all(c.value == 0 for s in steps for c in s.breakdown.cells)
    assert [s.breakdown.total.display for s in steps] == ["0"] * 5
    assert [s.ratio for s in steps] == ["", "–", "–", "–", "–"]
    assert steps[1].rates == ["–", "–", "–"]


def test_the_dimension_names_its_groups_and_its_ratio():
    funnel = funnel_dimension(ETHNICITY, ROUND)
    assert funnel["key"] == "ethnicity" and funnel["title"] == "Ethnicity"
    assert funnel["groups"] == ["White", "Minority ethnic", "Not stated"]
    assert funnel["ratio_label"] == "Relative likelihood, white to minority ethnic"
    assert funnel["steps"][1].breakdown.title == "Assessed by ethnicity"


def test_csv_rows_give_one_line_per_step_and_group_with_the_ratio_on_the_first():
    rows = funnel_rows([funnel_dimension(ETHNICITY, ROUND)])
    assert rows[0] == [
        "Dimension",
        "Step",
        "Group",
        "People",
        "Rate from previous step",
        "Relative likelihood",
    ]
    assert len(rows) == 1 + 5 * 3
    assert rows[1:4] == [
        ["Ethnicity", "Nominated", "White", "100", "", ""],
        ["Ethnicity", "Nominated", "Minority ethnic", "50", "", ""],
        ["Ethnicity", "Nominated", "Not stated", "20", "", ""],
    ]
    assert rows[7:10] == [
        ["Ethnicity", "In the pool", "White", "60", "75%", "1.50"],
        ["Ethnicity", "In the pool", "Minority ethnic", "20", "50%", ""],
        ["Ethnicity", "In the pool", "Not stated", "10", "100%", ""],
    ]


def test_a_rate_needs_both_counts_shown_and_someone_to_divide_by():
    from academy.suppression import Cell

    shown, hidden, zero = Cell("a", "A", 10), Cell("b", "B", None), Cell("c", "C", 0)
    assert rate(Cell("x", "X", 5), shown) == 0.5
    assert rate(hidden, shown) is None and rate(shown, hidden) is None
    assert rate(zero, zero) is None
    assert rate(zero, shown) == 0.0
    assert (show_rate(None, True), show_rate(None, False), show_rate(0.0, False)) == ("*", "–", "0%")
    assert show_rate(0.25, True) == "25%"


@pytest.mark.django_db
def test_a_systems_funnel_counts_only_the_people_of_its_own_pool(midlands, talent_lead):
    for trust, category in (("north_trust", "A"), ("south_trust", "H")):
        person = PersonFactory(organisation=midlands[trust], ethnic_category=category)
        add_member(person, actor=talent_lead.user, readiness=Readiness.READY_NOW)
    end = dt.date(2021, 3, 31)
    north = funnel_counts(region=midlands["region"], end=end, system=midlands["north"])
    region = funnel_counts(region=midlands["region"], end=end)
    for step in ("nominated", "pooled", "ready_now"):
        assert (north[step]["ethnicity:white"], north[step]["ethnicity:minority_ethnic"]) == (1, 0)
        assert (region[step]["ethnicity:white"], region[step]["ethnicity:minority_ethnic"]) == (1, 1)
    assert north["appointed"]["ethnicity:white"] == 0
    before = funnel_counts(region=midlands["region"], end=dt.date(2020, 5, 31))
    assert before["pooled"]["ethnicity:white"] == 0


@pytest.mark.django_db
def test_people_nominated_for_a_centre_count_once_whether_or_not_they_joined_the_pool(midlands, talent_lead):
    """White: one attended and never joined, one booked and in the pool; minority ethnic: one only
    nominated, and one nominated in another region (not counted)."""
    region = midlands["region"]
    centre = AssessmentCentre.objects.create(
        region=region,
        title="Aspiring-Executive centre",
        level=CentreLevel.ASPIRING_EXECUTIVE,
        held_on=END,
        places=8,
    )
    elsewhere = AssessmentCentre.objects.create(
        region=RegionFactory(name="North West", slug="north-west"),
        title="Elsewhere",
        level=CentreLevel.CAREER,
        held_on=END,
        places=8,
    )
    attended, pooled, nominated, other = (
        PersonFactory(organisation=midlands["north_trust"], ethnic_category=category) for category in "AAHH"
    )
    CentreBooking.objects.create(centre=centre, person=attended, status=BookingStatus.ATTENDED)
    CentreBooking.objects.create(centre=centre, person=pooled, status=BookingStatus.ATTENDED)
    CentreBooking.objects.create(centre=centre, person=nominated)
    CentreBooking.objects.create(centre=elsewhere, person=other, status=BookingStatus.ATTENDED)
    add_member(pooled, actor=talent_lead.user, readiness=Readiness.READY_NOW)
    counts = funnel_counts(region=region, end=END)
    ethnicity = {step: (c["ethnicity:white"], c["ethnicity:minority_ethnic"]) for step, c in counts.items()}
    assert ethnicity == {
        "nominated": (2, 1),
        "assessed": (2, 0),
        "pooled": (1, 0),
        "ready_now": (1, 0),
        "appointed": (0, 0),
    }
    # The south's funnel: none of them works there.
    assert all(
        not any(c.values()) for c in funnel_counts(region=region, end=END, system=midlands["south"]).values()
    )


@pytest.mark.django_db
def test_a_member_who_left_and_came_back_counts_once_with_the_steps_of_both_memberships(
    midlands, talent_lead
):
    """Ready now in the first membership, appointed to a board from the second."""
    lead = talent_lead.user
    person = PersonFactory(organisation=midlands["north_trust"], ethnic_category="A")
    first = add_member(person, actor=lead, readiness=Readiness.READY_NOW, decided_on=dt.date(2020, 5, 1))
    services.member_exit(member=first, reason=ExitReason.WITHDREW, actor=lead, exited_on=dt.date(2020, 7, 1))
    second = add_member(person, actor=lead, readiness=Readiness.READY_SOON, decided_on=dt.date(2020, 9, 1))
    services.movement_record(
        member=second,
        role="Interim Director of Nursing",
        organisation=midlands["north_trust"],
        moved_on=dt.date(2021, 1, 4),
        kind=MovementKind.APPOINTMENT,
        terms=MovementTerms.INTERIM,
        board_level=True,
        actor=lead,
    )
    counts = funnel_counts(region=midlands["region"], end=END)
    assert {step: c["ethnicity:white"] for step, c in counts.items()} == dict.fromkeys(STEPS, 1)
    # Before the second membership: the first alone, ready now, not appointed.
    before = funnel_counts(region=midlands["region"], end=dt.date(2020, 8, 1))
    assert [before[step]["ethnicity:white"] for step in STEPS] == [1, 1, 1, 1, 0]
