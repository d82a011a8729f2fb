"""Figures against a hand-counted fixture, including the period's boundaries (Europe/London)."""

from __future__ import annotations

import pytest

from academy.models import EthnicCategory, Gender, StaffGroup
from academy.scope import Scope, nhs_year_period, period_bounds
from programmes.figures import (
    first_session_start,
    last_session_start_before,
    programme_figures,
    quotable_feedback,
)
from programmes.selectors import reach_and_impact
from tests.factories import RegionFactory
from tests.reporting import builders as b


@pytest.fixture
def world(db):
    """Two systems; five cohorts of which two are delivered in 2020/21 (see each comment)."""
    region = RegionFactory()
    east = b.system(region, sub_region="East Midlands", name="Derby")
    west = b.system(region, sub_region="West Midlands", name="Black Country")
    kind = b.programme(region, theme="looking_after", code="CLS1")
    teams = b.programme(region, theme="new_ways", code="CLS2")
    people = {
        "a": b.person(
            east, staff_group=StaffGroup.ADMINISTRATIVE_CLERICAL, gender=Gender.FEMALE, ethnic_category="A"
        ),
        "b": b.person(west, staff_group=StaffGroup.MEDICAL_DENTAL, gender=Gender.FEMALE, ethnic_category="H"),
        "c": b.person(
            east, staff_group=StaffGroup.NURSING_MIDWIFERY, gender=Gender.MALE, ethnic_category="Z"
        ),
        "d": b.person(east, staff_group=StaffGroup.ADMINISTRATIVE_CLERICAL),
        "e": b.person(east),
        "f": b.person(
            west,
            staff_group=StaffGroup.ALLIED_HEALTH_PROFESSIONALS,
            gender=Gender.FEMALE,
            ethnic_category="N",
        ),
        "g": b.person(east),
    }
    # C1, region-wide: first session 10 Sep 2020; last 31 Mar 2021 23:30 British Summer Time (22:30 UTC).
    c1 = b.cohort(kind)
    c1_first = b.session(c1, b.london(2020, 9, 10, 10, 0))
    c1_last = b.session(c1, b.london(2021, 3, 31, 23, 30))
    # C2, for Derby: its only session is at 00:30 on 1 April 2021 — in 2021/22, not 2020/21.
    c2 = b.cohort(teams, system=east)
    c2_session = b.session(c2, b.london(2021, 4, 1, 0, 30))
    # C3 is cancelled; C4's only session in the period was cancelled: neither is delivered.
    c3 = b.cohort(teams, status="cancelled")
    b.session(c3, b.london(2020, 10, 1, 10))
    c4 = b.cohort(kind)
    b.session(c4, b.london(2020, 10, 1, 10), cancelled=True)
    # C5, for the Black Country, one session in June 2020.
    c5 = b.cohort(teams, system=west)
    c5_session = b.session(c5, b.london(2020, 6, 1, 14))

    e = {
        "a1": b.enrol(c1, people["a"], "enrolled"),
        "b1": b.enrol(c1, people["b"], "completed"),
        "c1": b.enrol(c1, people["c"], "withdrawn"),
        "d1": b.enrol(c1, people["d"], "waitlisted"),  # not an enrolment: no place taken
        "e1": b.enrol(c1, people["e"], "cancelled"),  # not an enrolment
        "a5": b.enrol(c5, people["a"], "enrolled"),  # a again: 2 enrolments, 1 individual
        "f5": b.enrol(c5, people["f"], "enrolled"),
        "g2": b.enrol(c2, people["g"], "enrolled"),  # C2 is not delivered in 2020/21
        "a3": b.enrol(c3, people["a"], "enrolled"),  # C3 cancelled
    }
    b.mark(c1_first, e["a1"], "attended")
    b.mark(c1_first, e["b1"], "attended")
    b.mark(c1_first, e["c1"], "absent")
    b.mark(c1_last, e["a1"], "attended")
    b.mark(c1_last, e["b1"], "apologies")
    b.mark(c1_first, e["e1"], "absent")  # e held a place that day and cancelled later: the register counts
    b.mark(c5_session, e["a5"], "attended")
    b.mark(c5_session, e["f5"], "absent")
    b.mark(c2_session, e["g2"], "attended")  # 1 April: not in 2020/21
    return {"region": region, "east": east, "west": west, "kind": kind, "teams": teams}


def _figures(world, label="2020/21", system=None):
    start, end = period_bounds(*nhs_year_period(label))
    return programme_figures(
        region_id=world["region"].pk, start=start, end=end, system_id=system.pk if system else None
    )


def test_nhs_year_runs_from_1_april_to_31_march():
    import datetime as dt

    assert nhs_year_period("2020/21") == (dt.date(2020, 4, 1), dt.date(2021, 3, 31))
    with pytest.raises(ValueError):
        nhs_year_period("2020/22")


def test_reach_for_the_year_is_counted_by_hand(world, django_assert_num_queries):
    # Four queries: interventions, enrolments and individuals, attendance marks, people breakdowns.
    with django_assert_num_queries(4):
        figures = _figures(world)
    assert figures.interventions == 2  # C1 and C5
    assert figures.enrolments == 5  # a1 b1 c1 a5 f5
    assert figures.individuals == 4  # a b c f
    assert (figures.attended, figures.marked) == (4, 8)
    assert figures.first_session.date().isoformat() == "2020-06-01"


def test_a_session_at_2330_on_31_march_counts_and_one_on_1_april_does_not(world):
    figures = _figures(world)
    # C1's 31 March 23:30 session is in: its two marks (a attended, b apologies) are counted.
    c1 = next(r for r in figures.by_programme if r.code == "CLS1")
    assert (c1.attended, c1.marked) == (3, 6)
    # C2's session at 00:30 on 1 April belongs to 2021/22.
    assert "2021-03-31" in figures.last_session.astimezone(b.LONDON).isoformat()
    next_year = _figures(world, "2021/22")
    assert (next_year.interventions, next_year.enrolments, next_year.attended, next_year.marked) == (
        1,
        1,
        1,
        1,
    )


def test_per_programme_rows(world):
    rows = {r.code: r for r in _figures(world).by_programme}
    assert (rows["CLS1"].interventions, rows["CLS1"].enrolments, rows["CLS1"].individuals) == (1, 3, 3)
    assert (rows["CLS2"].interventions, rows["CLS2"].enrolments, rows["CLS2"].individuals) == (1, 2, 2)
    assert (rows["CLS2"].attended, rows["CLS2"].marked) == (1, 2)


def test_people_breakdowns_count_individuals(world):
    people = _figures(world).people
    assert people["staff_group"] == {"admin": 1, "medical": 1, "nursing": 1, "ahp": 1}
    assert people["gender"] == {"female": 3, "male": 1}
    assert people["ethnic_category"] == {"A": 1, "H": 1, "Z": 1, "N": 1}
    assert people["system"] == {world["east"].pk: 2, world["west"].pk: 2}


def test_one_system_counts_its_own_people_wherever_they_learned(world):
    figures = _figures(world, system=world["east"])
    # C1 (region-wide) and C5 (the Black Country's), where a, who works in Derby, also learned.
    assert figures.interventions == 2
    assert (figures.enrolments, figures.individuals) == (3, 2)  # a on C1 and C5, c on C1
    # a: 3 attended; c: absent; e (cancelled later): absent. b and f work in the Black Country.
    assert (figures.attended, figures.marked) == (3, 5)
    west = _figures(world, system=world["west"])
    assert (west.interventions, west.enrolments, west.individuals, west.attended, west.marked) == (
        2,
        2,
        2,
        1,
        3,
    )


def test_another_regions_cohorts_are_never_counted(world, other_region):
    start, end = period_bounds(*nhs_year_period("2020/21"))
    figures = programme_figures(region_id=other_region.pk, start=start, end=end)
    assert (figures.interventions, figures.enrolments, figures.marked) == (0, 0, 0)


def test_reach_and_impact_suppresses_every_small_group(world):
    scope = Scope.for_nhs_year("2020/21", region=world["region"])
    reach = reach_and_impact(scope)
    assert reach["headline"].interventions == 2
    # Every group has 0 or 1 people: each 1 is hidden (zeros are shown), and so is the total of 4.
    shown = {c.label: c.display for c in reach["staff_groups"].cells}
    assert shown["Administrative and Clerical"] == "*" and shown["Medical and Dental"] == "*"
    assert shown["Students"] == "0"
    assert reach["staff_groups"].total.suppressed
    assert reach["genders"].total.suppressed
    assert reach["headline"].female_share is None
    assert reach["headline"].minority_ethnic_share is None


def test_minority_ethnic_share_leaves_not_stated_out_of_the_denominator(db):
    region = RegionFactory()
    east = b.system(region, sub_region="East Midlands")
    course = b.programme(region)
    group = b.cohort(course)
    b.session(group, b.london(2020, 10, 5, 10))
    # 60 White British, 40 Indian, 50 not stated: minority ethnic = 40 / (60 + 40) = 40%.
    for category, n in ((EthnicCategory.A, 60), (EthnicCategory.H, 40), (EthnicCategory.Z, 50)):
        for _ in range(n):
            b.enrol(group, b.person(east, ethnic_category=category, gender=Gender.FEMALE))
    reach = reach_and_impact(Scope.for_nhs_year("2020/21", region=region))
    assert reach["headline"].minority_ethnic_share == pytest.approx(0.40)
    assert reach["headline"].female_share == pytest.approx(1.0)
    assert reach["minority_ethnic"].total.value == 100


def test_every_published_breakdown_carries_its_footnote(world):
    from academy.suppression import SUPPRESSION_NOTE
    from programmes.figures import MINORITY_NOTE

    reach = reach_and_impact(Scope.for_nhs_year("2020/21", region=world["region"]))
    for key in ("staff_groups", "genders", "ethnic_groups", "systems", "sub_regions"):
        assert reach[key].note == SUPPRESSION_NOTE, key
    assert reach["minority_ethnic"].note == MINORITY_NOTE
    assert [c.label for c in reach["sub_regions"].cells] == [
        "East Midlands",
        "West Midlands",
        "No system (regional or national body, or not given)",
    ]


# --- Every published breakdown, cell by cell --------------------------------------------------------


@pytest.fixture
def crowd(db):
    """Counts large enough to be published. 2020/21: 28 people on one cohort, each of whom stated every
    characteristic: Derby 8 and Leicester 8 (East Midlands), the Black Country 12 and Coventry none
    (West Midlands); the first 12 administrative and clerical, female and White British (A), the other 16
    medical and dental and male, 8 Indian (H) and 8 Caribbean (M); 21 of the 28 attended. 2021/22: 20
    people of Derby on another cohort, 10 who preferred not to state their ethnicity (Z) and 10 who gave
    no answer.

    28 rounds up to 30 and 27 down to 25, 12 down to 10 and 13 up to 15: a category counted one too
    many or one too few, or left out, changes what is published."""
    region = RegionFactory()
    derby = b.system(region, sub_region="East Midlands", name="Derby")
    leicester = b.system(region, sub_region="East Midlands", name="Leicester")
    black_country = b.system(region, sub_region="West Midlands", name="Black Country")
    b.system(region, sub_region="West Midlands", name="Coventry")
    course = b.programme(region, code="CLS1")
    group = b.cohort(course)
    session = b.session(group, b.london(2020, 10, 1, 10))
    for i in range(28):
        person = b.person(
            derby if i < 8 else leicester if i < 16 else black_country,
            staff_group=StaffGroup.ADMINISTRATIVE_CLERICAL if i < 12 else StaffGroup.MEDICAL_DENTAL,
            gender=Gender.FEMALE if i < 12 else Gender.MALE,
            ethnic_category="A" if i < 12 else "H" if i < 20 else "M",
        )
        b.mark(session, b.enrol(group, person), "attended" if i < 21 else "absent")
    later = b.cohort(course)
    b.session(later, b.london(2021, 10, 1, 10))
    for i in range(20):
        b.enrol(later, b.person(derby, ethnic_category=EthnicCategory.Z if i < 10 else ""))
    return region


def _shown(breakdown) -> dict[str, str]:
    """Each published cell and the total, as printed."""
    return {row[0]: row[1] for row in breakdown.rows()}


def test_every_breakdown_publishes_each_category_and_its_total(crowd):
    reach = reach_and_impact(Scope.for_nhs_year("2020/21", region=crowd))
    assert _shown(reach["staff_groups"]) == {
        **{label: "0" for _, label in StaffGroup.choices},
        "Administrative and Clerical": "10",
        "Medical and Dental": "15",
        "Not stated": "0",
        "Total": "30",
    }
    assert _shown(reach["genders"]) == {
        **{label: "0" for _, label in Gender.choices},
        "Female": "10",
        "Male": "15",
        "Not stated": "0",
        "Total": "30",
    }
    # White: A only; Asian or Asian British: H only; no one Mixed or of another group (0, not hidden).
    assert _shown(reach["ethnic_groups"]) == {
        "White": "10",
        "Mixed": "0",
        "Asian or Asian British": "10",
        "Black or Black British": "10",
        "Other ethnic group": "0",
        "Not stated": "0",
        "Total": "30",
    }
    assert _shown(reach["minority_ethnic"]) == {
        "White": "10",
        "Minority ethnic": "15",
        "Stated their ethnicity": "30",
    }
    no_system = "No system (regional or national body, or not given)"
    assert _shown(reach["systems"]) == {
        "Black Country": "10",
        "Coventry": "0",  # a system no one came from is shown, as 0
        "Derby": "10",
        "Leicester": "10",
        no_system: "0",
        "Total": "30",
    }
    assert _shown(reach["sub_regions"]) == {
        "East Midlands": "15",  # Derby's 8 and Leicester's 8
        "West Midlands": "10",
        no_system: "0",
        "Total": "30",
    }
    headline = reach["headline"]
    assert headline.attendance_rate == pytest.approx(21 / 28)
    assert (headline.female_share, headline.minority_ethnic_share) == (pytest.approx(1 / 3), 0.5)


def test_not_stated_ethnicity_counts_both_who_declined_and_who_gave_no_answer(crowd):
    reach = reach_and_impact(Scope.for_nhs_year("2021/22", region=crowd))
    assert _shown(reach["ethnic_groups"])["Not stated"] == "20"
    assert reach["minority_ethnic"].total.value == 0
    assert reach["headline"].minority_ethnic_share is None


# --- Quotes, and the first and last sessions --------------------------------------------------------


def test_quotable_feedback_is_given_with_consent_on_cohorts_that_met_in_the_period(world):
    region, east, west = world["region"], world["east"], world["west"]
    met = b.cohort(world["kind"])
    b.session(met, b.london(2020, 11, 3, 10))
    called_off = b.cohort(world["kind"])  # its one session in the period was cancelled
    b.session(called_off, b.london(2020, 11, 3, 10), cancelled=True)
    from_derby = b.feedback(b.enrol(met, b.person(east)), rating=4)
    from_the_black_country = b.feedback(b.enrol(met, b.person(west)), rating=5)
    b.feedback(b.enrol(met, b.person(east)), consent=False)
    b.feedback(b.enrol(called_off, b.person(east)))
    year = "2020/21"
    assert list(quotable_feedback(Scope.for_nhs_year(year, region=region))) == [
        from_the_black_country,  # the highest rating first
        from_derby,
    ]
    assert list(quotable_feedback(Scope.for_nhs_year(year, region=region, system=east))) == [from_derby]
    assert not quotable_feedback(Scope.for_nhs_year("2021/22", region=region)).exists()


def test_the_regions_first_session_and_its_last_before_a_moment(world, other_region):
    region = world["region"]
    assert first_session_start(region) == b.london(2020, 6, 1, 14)
    assert last_session_start_before(region, b.london(2021, 4, 1)) == b.london(2021, 3, 31, 23, 30)
    assert last_session_start_before(region, b.london(2020, 6, 1, 14)) is None
    assert first_session_start(other_region) is None
