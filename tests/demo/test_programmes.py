from __future__ import annotations

import datetime as dt

import pytest

from academy.models import Person
from programmes import demo as programmes_demo
from programmes.models import Cohort, CohortStatus, Enrolment, EnrolmentStatus, Programme

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def test_demo_loads_the_offer_and_is_idempotent(demo):
    counts = (Programme.objects.count(), Cohort.objects.count(), Enrolment.objects.count())
    programmes_demo.load()
    assert (Programme.objects.count(), Cohort.objects.count(), Enrolment.objects.count()) == counts

    codes = set(Programme.objects.values_list("code", flat=True))
    assert {f"CLS{n}" for n in range(1, 9)} <= codes
    assert Programme.objects.get(code="CLS7").title == "Trauma informed leadership, working through crisis"
    bame = Programme.objects.get(code="BAME-NM")
    assert (bame.entry_route, bame.eligible_pay_bands) == ("application", ["6", "7", "8a"])

    open_now = Cohort.objects.filter(status=CohortStatus.OPEN, starts_on__gt=dt.date(2026, 11, 22))
    assert open_now.count() >= 15
    full = Cohort.objects.get(name="CLS7 December 2026")
    assert full.places_taken == full.capacity
    waiting = list(
        full.enrolments.filter(status=EnrolmentStatus.WAITLISTED)
        .order_by("waitlist_position")
        .values_list("waitlist_position", flat=True)
    )
    assert waiting == [1, 2, 3, 4, 5]

    participant = Person.objects.get(user__email="participant@nhs.net")
    statuses = set(participant.enrolments.values_list("status", flat=True))
    assert {EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED, EnrolmentStatus.COMPLETED} <= statuses
    assert participant.enrolments.get(status=EnrolmentStatus.COMPLETED).certificate.code
