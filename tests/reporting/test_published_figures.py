"""Three published figures pinned: the reach sentences whichever share is hidden; a system's edition and
the region's "by system" table counting the same people; only sessions already held counted as
delivered, with those still to come shown apart (and the dashboard opening on the current NHS year)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import strip_tags

from academy.models import Gender, StaffGroup
from academy.scope import Scope, nhs_year_period, period_bounds
from programmes.figures import Headline, programme_figures, scheduled_figures
from programmes.selectors import reach_and_impact
from reporting import services
from tests.factories import PersonFactory, RegionFactory
from tests.reporting import builders as b

# --- The reach sentences ---------------------------------------------------------------------------


def _headline(**shares) -> Headline:
    fields = dict.fromkeys(
        (
            "administrative_share",
            "medical_share",
            "nursing_ahp_share",
            "female_share",
            "minority_ethnic_share",
        )
    )
    return Headline(
        interventions=1,
        enrolments=None,
        individuals=None,
        attendance_rate=None,
        first_session=None,
        last_session=None,
        **{**fields, **shares},
    )


def test_every_share_published_reads_as_two_lists():
    sentences = _headline(
        administrative_share=0.5,
        medical_share=0.1,
        nursing_ahp_share=0.3,
        female_share=0.75,
        minority_ethnic_share=0.2,
    ).participant_sentences
    assert sentences == [
        "Of participants, 50% were administrative and clerical, 10% medical and dental and 30% nurses, "
        "midwives and allied health professionals.",
        "75% of participants were female.",
        "20% of those who stated their ethnicity were from a minority ethnic group.",
    ]


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ({"medical_share": 0.1}, "Of participants, 10% were medical and dental."),
        (
            {"administrative_share": 0.5, "nursing_ahp_share": 0.3},
            "Of participants, 50% were administrative and clerical and 30% nurses, midwives and allied "
            "health professionals.",
        ),
        (
            {"medical_share": 0.0, "nursing_ahp_share": 0.25},
            "Of participants, 0% were medical and dental and 25% nurses, midwives and allied health "
            "professionals.",
        ),
    ],
)
def test_a_hidden_staff_group_leaves_out_only_its_own_clause(shares, expected):
    assert _headline(**shares).participant_sentences == [expected]


def test_a_hidden_female_share_keeps_the_minority_ethnic_share():
    assert _headline(minority_ethnic_share=0.4).participant_sentences == [
        "40% of those who stated their ethnicity were from a minority ethnic group."
    ]
    assert _headline(female_share=0.6).participant_sentences == ["60% of participants were female."]
    assert _headline().participant_sentences == []


@pytest.fixture
def small_system(db):
    """Derby, 2020/21: 20 people on one cohort, all administrative and clerical; 5 women (hidden, and so
    the 15 men with them), 10 White and 10 Asian (a published 50%)."""
    region = RegionFactory()
    derby = b.system(region, sub_region="East Midlands", name="Derby and Derbyshire")
    group = b.cohort(b.programme(region, code="CLS9"), system=derby)
    session = b.session(group, b.london(2020, 10, 6, 10))
    for i in range(20):
        person = b.person(
            derby,
            staff_group=StaffGroup.ADMINISTRATIVE_CLERICAL,
            gender=Gender.FEMALE if i < 5 else Gender.MALE,
            ethnic_category="A" if i % 2 else "H",
        )
        b.mark(session, b.enrol(group, person))
    return {"region": region, "derby": derby}


def test_a_system_edition_with_its_female_share_hidden_still_publishes_its_minority_share(small_system):
    edition = b.edition(small_system["region"], system=small_system["derby"])
    headline = reach_and_impact(Scope.for_edition(edition))["headline"]
    assert headline.female_share is None and headline.minority_ethnic_share == pytest.approx(0.5)
    text = " ".join(strip_tags(services.report_html(edition=edition)).split())
    assert "50% of those who stated their ethnicity were from a minority ethnic group." in text
    assert "Of participants, 100% were administrative and clerical, 0% medical and dental" in text
    assert "were female" not in text


def test_the_dashboard_never_prints_a_dash_for_a_hidden_share(small_system, lead, lead_client):
    lead.region = small_system["region"]
    lead.save()
    response = lead_client.get(
        reverse("reporting:dashboard"), {"year": "2020/21", "system": small_system["derby"].pk}
    )
    text = " ".join(strip_tags(response.content.decode()).split())
    assert "50% of those who stated their ethnicity were from a minority ethnic group." in text
    assert "– were" not in text and "– of" not in text and "were female" not in text


# --- A system's people, wherever they learned -------------------------------------------------------


@pytest.fixture
def three_systems(db):
    """2020/21: three systems with 20, 12 and 9 people and 10 people with no system. Everyone learns on a
    region-wide cohort; each system's people also learn on the next system's cohort (so a system's
    people are found on another system's cohort); the first 4 of each also on their own system's."""
    region = RegionFactory()
    systems = [
        b.system(region, sub_region="East Midlands", name="Derby and Derbyshire"),
        b.system(region, sub_region="East Midlands", name="Leicester, Leicestershire and Rutland"),
        b.system(region, sub_region="West Midlands", name="Black Country"),
    ]
    course = b.programme(region, code="CLS1")
    wide = b.cohort(course)
    own = [b.cohort(course, system=s) for s in systems]
    wide_session = b.session(wide, b.london(2020, 9, 1, 10))
    own_sessions = [b.session(c, b.london(2020, 10, 1 + i, 10)) for i, c in enumerate(own)]
    groups = {s.pk: [] for s in systems}
    for i, (s, size) in enumerate(zip(systems, (20, 12, 9), strict=True)):
        for n in range(size):
            person = b.person(
                s,
                staff_group=[StaffGroup.ADMINISTRATIVE_CLERICAL, StaffGroup.MEDICAL_DENTAL][n % 2],
                gender=Gender.FEMALE if n % 3 else Gender.MALE,
                ethnic_category="AH"[n % 2],
            )
            groups[s.pk].append(person)
            b.mark(wide_session, b.enrol(wide, person), "attended" if n % 4 else "absent")
            neighbour = (i + 1) % 3
            b.mark(own_sessions[neighbour], b.enrol(own[neighbour], person), "attended")
            if n < 4:
                b.mark(own_sessions[i], b.enrol(own[i], person), "apologies")
    for _ in range(10):
        b.mark(wide_session, b.enrol(wide, PersonFactory(region=region, organisation=None)), "attended")
    return {"region": region, "systems": systems, "sizes": {s.pk: len(groups[s.pk]) for s in systems}}


def _figures(region, system=None):
    start, end = period_bounds(*nhs_year_period("2020/21"))
    return programme_figures(
        region_id=region.pk, start=start, end=end, system_id=system.pk if system else None
    )


def test_a_system_counts_its_people_on_another_systems_cohort(three_systems):
    derby = three_systems["systems"][0]
    figures = _figures(three_systems["region"], derby)
    # The region-wide cohort, Derby's own and Leicester's (where Derby's 20 also learn).
    assert figures.interventions == 3
    assert figures.individuals == 20
    assert figures.enrolments == 20 + 20 + 4
    assert figures.people["system"] == {derby.pk: 20}
    assert (figures.attended, figures.marked) == (15 + 20, 44)


def test_every_system_edition_states_the_figures_the_region_edition_gives_it(three_systems):
    region = three_systems["region"]
    lead_region = b.edition(region)
    whole = reach_and_impact(Scope.for_edition(lead_region))
    whole_figures = _figures(region)
    by_system = {cell.key: cell for cell in whole["systems"].cells}
    totals = {"enrolments": 0, "individuals": 0, "attended": 0, "marked": 0}
    people = {dimension: {} for dimension in ("staff_group", "gender", "ethnic_category")}
    for system in three_systems["systems"]:
        edition = b.edition(region, system=system, title=f"2020/21 {system.name}")
        published = reach_and_impact(Scope.for_edition(edition))
        figures = _figures(region, system)
        # The same people: the region's row for the system is the system's own count of individuals,
        # before suppression and as published (both round the same count the same way).
        assert (
            figures.individuals
            == whole_figures.people["system"][system.pk]
            == three_systems["sizes"][system.pk]
        )
        assert published["headline"].individuals.display == by_system[system.pk].display
        assert [c.value for c in published["systems"].cells if c.value] == [by_system[system.pk].value]
        for name in totals:
            totals[name] += getattr(figures, name)
        for dimension, counts in people.items():
            for value, n in figures.people[dimension].items():
                counts[value] = counts.get(value, 0) + n
    # Every person works in one system or none: the systems' figures and the people with no system add
    # up to the region's.
    no_system = whole_figures.people["system"][None]
    assert no_system == 10
    assert totals["individuals"] + no_system == whole_figures.individuals
    assert totals["enrolments"] + no_system == whole_figures.enrolments
    assert (totals["attended"] + no_system, totals["marked"] + no_system) == (
        whole_figures.attended,
        whole_figures.marked,
    )
    for dimension, counts in people.items():
        region_counts = dict(whole_figures.people[dimension])
        for value, n in counts.items():
            region_counts[value] -= n
        assert sum(region_counts.values()) == no_system, dimension


# --- Held, and still to come ------------------------------------------------------------------------

NOW = b.london(2026, 11, 29, 12, 0)


@pytest.fixture
def this_year(db):
    """2026/27 seen at noon on 29 November 2026: a cohort met on 7 October, and again at 11:59 today;
    its next sessions are at 12:00 today and 16 March 2027; a second cohort meets only from January."""
    region = RegionFactory()
    derby = b.system(region, sub_region="East Midlands", name="Derby")
    course = b.programme(region, code="CLS4")
    running, later = b.cohort(course), b.cohort(course)
    held = [b.session(running, b.london(2026, 10, 7, 10)), b.session(running, b.london(2026, 11, 29, 11, 59))]
    b.session(running, NOW)
    b.session(running, b.london(2027, 3, 16, 10))
    b.session(later, b.london(2027, 1, 12, 10))
    b.session(later, b.london(2027, 2, 2, 10), cancelled=True)
    for i in range(10):
        person = b.person(derby)
        enrolment = b.enrol(running, person)
        b.mark(held[0], enrolment, "attended")
        b.mark(held[1], enrolment, "attended" if i < 8 else "absent")
        b.enrol(later, person)
    return {"region": region, "derby": derby}


def test_only_sessions_already_held_are_delivered(this_year):
    start, end = period_bounds(*nhs_year_period("2026/27"))
    figures = programme_figures(region_id=this_year["region"].pk, start=start, end=end, now=NOW)
    assert figures.interventions == 1  # the January cohort has not met yet
    assert figures.enrolments == 10
    assert (figures.attended, figures.marked) == (18, 20)
    assert figures.first_session == b.london(2026, 10, 7, 10)
    assert figures.last_session == b.london(2026, 11, 29, 11, 59)
    # A minute later the noon session has been held (it has no marks yet, so no rate changes).
    later = programme_figures(
        region_id=this_year["region"].pk, start=start, end=end, now=NOW + dt.timedelta(minutes=1)
    )
    assert later.last_session == NOW


def test_sessions_still_to_come_are_scheduled_not_delivered(this_year):
    scope = Scope.for_nhs_year("2026/27", region=this_year["region"])
    scheduled = scheduled_figures(scope, now=NOW)
    # 12:00 today and 16 March (the running cohort), 12 January (the next one); 2 February is cancelled.
    assert (scheduled.interventions, scheduled.sessions) == (2, 3)
    assert (scheduled.first_session, scheduled.last_session) == (NOW, b.london(2027, 3, 16, 10))
    derby = Scope.for_nhs_year("2026/27", region=this_year["region"], system=this_year["derby"])
    assert scheduled_figures(derby, now=NOW).sessions == 3  # Derby's people hold places on both
    elsewhere = b.system(this_year["region"], sub_region="West Midlands")
    other = Scope.for_nhs_year("2026/27", region=this_year["region"], system=elsewhere)
    assert scheduled_figures(other, now=NOW).sessions == 0
    past = Scope.for_nhs_year("2025/26", region=this_year["region"])
    assert scheduled_figures(past, now=NOW).sessions == 0


def test_the_whole_region_schedules_a_systems_cohort_no_one_has_joined_yet(this_year):
    own = b.cohort(b.programme(this_year["region"], code="CLS5"), system=this_year["derby"])
    b.session(own, b.london(2027, 1, 20, 10))
    scheduled = scheduled_figures(Scope.for_nhs_year("2026/27", region=this_year["region"]), now=NOW)
    assert (scheduled.interventions, scheduled.sessions) == (3, 4)


def test_the_dashboard_opens_on_the_current_year_with_sessions_held_and_scheduled_apart(
    this_year, lead, lead_client
):
    lead.region = this_year["region"]
    lead.save()
    with time_machine.travel(NOW, tick=False):
        response = lead_client.get(reverse("reporting:dashboard"))
    body = response.content.decode()
    assert "<h1>Dashboard: 2026/27 " in body
    text = " ".join(strip_tags(body).split())
    assert "Sessions held ran from 7 October 2026 to 29 November 2026." in text
    assert "16 March 2027" in text  # only as scheduled:
    assert re.search(
        r"Still to come in 2026/27: 3 sessions of 2 interventions, scheduled from 29 November 2026 to "
        r"16 March 2027\. They are counted as delivered once held\.",
        text,
    )
