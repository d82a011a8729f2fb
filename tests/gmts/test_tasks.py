"""The daily job: placements start and complete on their dates, reminders go out once per threshold."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from gmts import tasks
from gmts.models import PlacementStatus
from tests.gmts.factories import PlacementFactory

pytestmark = pytest.mark.django_db


def test_the_daily_job_moves_placements_on_and_reminds_once(
    trainees, start, django_capture_on_commit_callbacks
):
    placement = PlacementFactory(trainee=trainees[0], starts_on=start, status=PlacementStatus.NOTIFIED)
    with time_machine.travel(start - dt.timedelta(weeks=3)), django_capture_on_commit_callbacks(execute=True):
        first = tasks.daily.apply().get()
        second = tasks.daily.apply().get()
    assert first == {"started": 0, "completed": 0, "reminders": 2}  # the two without a placement
    assert second == {"started": 0, "completed": 0, "reminders": 0}
    assert len(mail.outbox) == 2
    assert all("4 weeks to go" in m.subject for m in mail.outbox)
    with time_machine.travel(start), django_capture_on_commit_callbacks(execute=True):
        assert tasks.daily.apply().get()["started"] == 1
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.STARTED


def test_a_reminder_is_not_sent_once_a_placement_is_confirmed(trainees, start):
    from gmts import services

    with time_machine.travel(start - dt.timedelta(weeks=3)):
        services.reminder_claim(trainee_id=trainees[0].pk, start=start, weeks=4)
        PlacementFactory(trainee=trainees[0], starts_on=start)
        tasks.send_reminder_email.apply(args=[trainees[0].pk, 4]).get()
    assert mail.outbox == []
