from __future__ import annotations

import datetime

import pytest
from django.db.models import Max
from django.utils import timezone

from coaching.models import CoachProfile, ProfileStatus, SupervisionAttendee
from coaching.selectors import coaching_figures

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def test_demo_gives_the_year_in_review_coaching_figures(demo):
    figures = coaching_figures(start=datetime.date(2020, 4, 1), end=datetime.date(2021, 3, 31), region=demo)
    for key in (
        "coaches_on_register",
        "new_on_register",
        "supervision_sessions_held",
        "coaches_supervised",
        "cpd_attendances",
        "relationships_started",
        "relationships_completed",
        "coaching_hours",
    ):
        assert figures[key] > 0, key
    assert 0 < figures["compliance_rate"] <= 1
    assert sum(row["coaches_on_register"] for row in figures["by_system"]) > 0

    today = timezone.localdate()
    assert (
        CoachProfile.objects.filter(person__user__email__in=["coach@nhs.net", "supervisor@nhs.net"]).count()
        == 2
    )
    assert 35 <= CoachProfile.objects.count() <= 45
    assert CoachProfile.objects.filter(status=ProfileStatus.LAPSED).count() >= 3
    lapsing = CoachProfile.objects.compliant(today).filter(
        supervision_due_on__lte=today + datetime.timedelta(days=30)
    )
    assert lapsing.count() >= 3
    # Every coach's compliance dates agree with their supervision history.
    for profile in CoachProfile.objects.annotate(latest=Max("supervision_records__held_on")):
        assert profile.last_supervised_on == profile.latest, profile
    assert not CoachProfile.objects.filter(
        status=ProfileStatus.APPROVED, supervision_due_on__lt=today
    ).exists()
    assert SupervisionAttendee.objects.filter(session__starts_at__gt=timezone.now()).exists()
