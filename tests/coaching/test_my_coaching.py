"""My coaching's reads (coaching.selectors.own_profile and coach_home): built once per process and run with
each call's coach, time and date, they show each coach their own records as they stand at that call."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from coaching import selectors
from coaching.models import CPDAttendance, RelationshipStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_own_profile_is_each_users_own_with_their_person():
    ada, bo = factories.CoachProfileFactory(), factories.CoachProfileFactory()
    for profile in (ada, bo, ada):
        user = profile.person.user
        found = selectors.own_profile(user)
        assert found == profile
        assert found.person.organisation == profile.person.organisation
        assert user.person == profile.person  # kept for the rest of the request
    assert selectors.own_profile(factories.PersonFactory().user) is None
    assert selectors.own_profile(AnonymousUser()) is None


def test_a_second_call_shows_what_was_added_since_the_first():
    profile, other = factories.CoachProfileFactory(), factories.CoachProfileFactory()
    today = timezone.localdate()
    first = selectors.coach_home(profile)
    assert first["qualifications"] == first["supervision"] == first["relationships"] == []
    assert first["group_places"] == first["cpd_attendances"] == first["cpd_logs"] == []
    assert (first["supervision_count"], first["cpd_hours"]) == (0, 0)

    qualification = factories.QualificationFactory(profile=profile, kind="ilm7")
    records = [
        factories.SupervisionRecordFactory(profile=profile, held_on=today - datetime.timedelta(days=n))
        for n in (3, 1, 2)
    ]
    offered = factories.CoachingRelationshipFactory(
        coach=profile, status=RelationshipStatus.OFFERED, started_on=None
    )
    active = factories.CoachingRelationshipFactory(coach=profile)
    factories.CoachingSessionLogFactory(relationship=active, duration_minutes=45)
    factories.CoachingSessionLogFactory(relationship=active, duration_minutes=60)
    factories.CoachingRelationshipFactory(coach=profile, status=RelationshipStatus.DECLINED)
    group = factories.SupervisionSessionFactory(joining_details="Room 4")
    place = group.attendees.create(profile=profile, seat=1)
    event = factories.CPDEventFactory(region=profile.region, duration_hours=Decimal("1.5"))
    attendance = CPDAttendance.objects.create(event=event, profile=profile)
    log = profile.cpd_logs.create(done_on=today, hours=2, activity="Reading")
    # Another coach's records are never theirs.
    factories.QualificationFactory(profile=other)
    factories.SupervisionRecordFactory(profile=other)
    factories.CoachingRelationshipFactory(coach=other)
    other.cpd_logs.create(done_on=today, hours=9, activity="Course")

    second = selectors.coach_home(profile)
    assert second["qualifications"] == [qualification]
    assert second["supervision"] == [records[1], records[2], records[0]]  # latest first
    assert second["supervision_count"] == 3
    assert [row["date"] for row in second["supervision_rows"]] == [
        f"{today - datetime.timedelta(days=n):%-d %B %Y}" for n in (1, 2, 3)
    ]
    assert second["relationships"] == [active, offered]  # by status, then latest offer
    assert [(r.session_count, r.minutes) for r in second["relationships"]] == [(2, 105), (0, 0)]
    assert [row["sessions"] for row in second["coachee_rows"]] == [2, 0]
    assert f"/coaching/relationships/{offered.pk}/" in second["coachee_rows"][1]["action"]
    assert "Accept or decline" in second["coachee_rows"][1]["action"]
    assert second["group_places"] == [place]
    assert second["group_places"][0].session.supervisor == group.supervisor
    assert second["cpd_attendances"] == [attendance] and second["cpd_logs"] == [log]
    assert second["cpd_hours"] == Decimal("3.5")

    theirs = selectors.coach_home(other)
    assert theirs["supervision_count"] == 1 and len(theirs["relationships"]) == 1
    assert theirs["cpd_hours"] == 9 and theirs["group_places"] == []


def test_each_call_reads_the_time_and_date_of_that_call():
    profile = factories.CoachProfileFactory()
    now = datetime.datetime(2026, 6, 10, 9, 0, tzinfo=datetime.UTC)  # 10am in London
    today = datetime.date(2026, 6, 10)
    starts = now + datetime.timedelta(hours=2)
    place = factories.SupervisionSessionFactory(starts_at=starts).attendees.create(profile=profile, seat=1)
    profile.cpd_logs.create(done_on=today - datetime.timedelta(days=365), hours=2, activity="Reading")
    event = factories.CPDEventFactory(
        region=profile.region, starts_at=now - datetime.timedelta(days=300), duration_hours=1
    )
    CPDAttendance.objects.create(event=event, profile=profile)

    with time_machine.travel(now, tick=False):
        home = selectors.coach_home(profile)
    assert home["group_places"] == [place]
    assert home["cpd_hours"] == 3  # both within the last 12 months

    with time_machine.travel(starts + datetime.timedelta(seconds=1), tick=False):
        home = selectors.coach_home(profile)
    assert home["group_places"] == []  # begun: no longer booked ahead
    assert home["cpd_hours"] == 3  # the log, done 365 days before today, still counts today

    with time_machine.travel(now + datetime.timedelta(days=1), tick=False):
        home = selectors.coach_home(profile)
    assert home["cpd_hours"] == 1  # a year and a day on, only the webinar counts
    assert len(home["cpd_logs"]) == 1  # still listed

    with time_machine.travel(now + datetime.timedelta(days=70), tick=False):
        assert selectors.coach_home(profile)["cpd_hours"] == 0
        due = timezone.localdate() + datetime.timedelta(days=3)
        profile.supervision_due_on = due
        assert selectors.coach_home(profile)["due_soon"] is True
