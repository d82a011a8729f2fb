"""coaching_figures against a hand-counted fixture for 2020/21 (1 April 2020 – 31 March 2021)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from coaching.selectors import coaching_figures
from tests.factories import (
    CoachingRelationshipFactory,
    CoachingSessionLogFactory,
    CoachProfileFactory,
    CPDEventFactory,
    OrganisationFactory,
    PersonFactory,
    RegionFactory,
    SubRegionFactory,
    SupervisionRecordFactory,
    SupervisionSessionFactory,
    SystemFactory,
)

LONDON = ZoneInfo("Europe/London")
START, END = datetime.date(2020, 4, 1), datetime.date(2021, 3, 31)


def at(y, m, d, h=12):
    return datetime.datetime(y, m, d, h, tzinfo=LONDON)


def coach_in(organisation, **kwargs):
    person = PersonFactory(organisation=organisation, region=organisation.region)
    kwargs.setdefault("last_supervised_on", None)
    return CoachProfileFactory(person=person, **kwargs)


@pytest.fixture
def world(db):
    region = RegionFactory()
    sub = SubRegionFactory(region=region)
    system_a = SystemFactory(sub_region=sub, name="Alpha")
    system_b = SystemFactory(sub_region=sub, name="Beta")
    org_a = OrganisationFactory(system=system_a)
    org_b = OrganisationFactory(system=system_b)
    regional_body = OrganisationFactory(system=None, region=region)

    c1 = coach_in(org_a, kind="coach", approved_at=at(2019, 6, 1))
    c2 = coach_in(org_a, kind="mentor", approved_at=at(2020, 9, 1))
    c3 = coach_in(org_a, kind="both", approved_at=at(2021, 4, 5))  # approved after the year
    c4 = coach_in(org_b, kind="coach", status="lapsed", approved_at=at(2018, 1, 1))
    coach_in(org_b, kind="coach", status="declined", approved_at=None)
    c6 = coach_in(org_b, kind="coach", approved_at=at(2020, 4, 1, 0))  # first minute of the year

    SupervisionRecordFactory(profile=c1, held_on=datetime.date(2020, 10, 1))
    SupervisionRecordFactory(profile=c3, held_on=datetime.date(2021, 3, 1))
    SupervisionRecordFactory(profile=c4, held_on=datetime.date(2019, 12, 1))  # too long ago
    SupervisionRecordFactory(profile=c6, held_on=datetime.date(2020, 4, 1))  # last day of the window

    supervisor = PersonFactory(organisation=regional_body, region=region)
    held = SupervisionSessionFactory(supervisor=supervisor, starts_at=at(2020, 6, 10), status="held")
    held.attendees.create(profile=c1, seat=1, attended=True)
    held.attendees.create(profile=c6, seat=2, attended=True)
    SupervisionSessionFactory(supervisor=supervisor, starts_at=at(2020, 12, 1), status="held")  # empty
    SupervisionSessionFactory(supervisor=supervisor, starts_at=at(2021, 4, 2), status="held")  # later
    SupervisionSessionFactory(supervisor=supervisor, starts_at=at(2021, 1, 10), status="scheduled")

    webinar = CPDEventFactory(region=region, starts_at=at(2020, 11, 5))
    webinar.attendances.create(profile=c1)
    webinar.attendances.create(profile=c4)
    CPDEventFactory(region=region, starts_at=at(2021, 4, 20)).attendances.create(profile=c6)

    coachee = PersonFactory(organisation=regional_body, region=region)
    r1 = CoachingRelationshipFactory(
        coachee=coachee,
        coach=c1,
        status="closed",
        started_on=datetime.date(2020, 5, 1),
        closed_on=datetime.date(2021, 2, 1),
    )
    r2 = CoachingRelationshipFactory(
        coachee=coachee, coach=c2, relationship_type="mentoring", started_on=datetime.date(2021, 3, 15)
    )
    CoachingRelationshipFactory(
        coachee=coachee, coach=c4, started_on=datetime.date(2019, 3, 1)
    )  # before the year
    CoachingSessionLogFactory(relationship=r1, held_on=datetime.date(2020, 6, 1), duration_minutes=90)
    CoachingSessionLogFactory(relationship=r1, held_on=datetime.date(2020, 7, 1), duration_minutes=60)
    CoachingSessionLogFactory(relationship=r1, held_on=datetime.date(2021, 4, 10), duration_minutes=60)
    CoachingSessionLogFactory(relationship=r2, held_on=datetime.date(2021, 3, 20), duration_minutes=30)

    # Another region's coach, busy all year: none of it counts for the Midlands.
    elsewhere = OrganisationFactory(
        system=SystemFactory(sub_region=SubRegionFactory(region=RegionFactory(name="North", slug="north")))
    )
    c7 = coach_in(elsewhere, approved_at=at(2020, 5, 1))
    SupervisionRecordFactory(profile=c7, held_on=datetime.date(2020, 10, 1))
    CoachingSessionLogFactory(
        relationship=CoachingRelationshipFactory(
            coachee=coachee, coach=c7, started_on=datetime.date(2020, 6, 1)
        ),
        held_on=datetime.date(2020, 7, 1),
    )
    return region, system_a, system_b


def test_region_totals_and_by_system(world, django_assert_num_queries):
    region, system_a, system_b = world
    # 1 systems; then per group (profiles, sessions, records, CPD, relationships, session logs) one
    # GROUP BY system, whose sums are the totals, and one aggregate for the supervision sessions' total
    # (a session counts once across its attendees' systems): 1 + 6 + 1.
    with django_assert_num_queries(8):
        figures = coaching_figures(start=START, end=END, region=region)

    expected_totals = {
        "coaches_on_register": 3,  # c1, c4 (lapsed stays on the register), c6
        "mentors_on_register": 1,  # c2
        "new_on_register": 2,  # c2, c6
        "supervision_sessions_held": 2,  # the June group and the empty December one
        "coaches_supervised": 3,  # c1, c3, c6
        # c1 (supervised), c2 (approved in the year: their first supervision is not yet due) and c6 of
        # c1, c2, c4, c6: the same rule as the pages (coaching.models.supervision_due).
        "compliance_rate": 0.75,
        "cpd_attendances": 2,
        "relationships_started": 2,
        "relationships_completed": 1,
        "coaching_hours": Decimal("3.00"),  # 90 + 60 + 30 minutes
    }
    assert {k: v for k, v in figures.items() if k != "by_system"} == expected_totals
    assert figures["by_system"] == [
        {
            "system": "Alpha",
            "coaches_on_register": 1,
            "mentors_on_register": 1,
            "new_on_register": 1,
            "supervision_sessions_held": 1,
            "coaches_supervised": 2,
            "compliance_rate": 1.0,
            "cpd_attendances": 1,
            "relationships_started": 2,
            "relationships_completed": 1,
            "coaching_hours": Decimal("3.00"),
        },
        {
            "system": "Beta",
            "coaches_on_register": 2,
            "mentors_on_register": 0,
            "new_on_register": 1,
            "supervision_sessions_held": 1,
            "coaches_supervised": 1,
            "compliance_rate": 0.5,
            "cpd_attendances": 1,
            "relationships_started": 0,
            "relationships_completed": 0,
            "coaching_hours": Decimal("0.00"),
        },
    ]


def test_one_system(world):
    region, _, system_b = world
    figures = coaching_figures(start=START, end=END, region=region, system=system_b)
    assert figures["coaches_on_register"] == 2
    assert figures["supervision_sessions_held"] == 1
    assert figures["compliance_rate"] == 0.5
    assert figures["coaching_hours"] == Decimal("0.00")
    assert [row["system"] for row in figures["by_system"]] == ["Beta"]


def test_empty_region_gives_zeros(db):
    figures = coaching_figures(start=START, end=END, region=RegionFactory(name="Empty", slug="empty"))
    assert figures["coaches_on_register"] == 0
    assert figures["compliance_rate"] == 0.0
    assert figures["by_system"] == []


def test_compliance_rate_uses_the_same_rule_as_the_pages(db):
    """On today's date the figures count as compliant exactly the coaches the register, directory and
    daily run treat as compliant, including both edges of the 12 months."""
    from django.utils import timezone

    from coaching import services
    from coaching.models import CoachProfile

    today = timezone.localdate()
    region = RegionFactory()
    organisation = OrganisationFactory(system=SystemFactory(sub_region=SubRegionFactory(region=region)))
    long_ago = timezone.now() - datetime.timedelta(days=800)

    def coach(approved_at, *held_days_ago):
        profile = coach_in(organisation, approved_at=approved_at, supervision_due_on=None)
        for days in held_days_ago:
            SupervisionRecordFactory(profile=profile, held_on=today - datetime.timedelta(days=days))
        services.supervision_dates_refresh(profile=profile, actor=None)
        return profile

    coach(long_ago, 365)  # supervised exactly a year ago: due today, still compliant
    coach(long_ago, 366)  # a day past: not compliant (the daily run lapses them)
    coach(timezone.now() - datetime.timedelta(days=30))  # newly approved, no supervision yet
    coach(long_ago)  # approved long ago, never supervised
    coach(long_ago, 10, 400)

    on_register = CoachProfile.objects.on_register().filter(region=region)
    compliant = on_register.compliant(today).count()
    assert compliant == 3
    figures = coaching_figures(start=today - datetime.timedelta(days=364), end=today, region=region)
    assert figures["compliance_rate"] == compliant / on_register.count()
