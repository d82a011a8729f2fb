from __future__ import annotations

import datetime

from django.conf import settings
from django.core import mail
from django.utils import timezone

from coaching.models import ProfileStatus
from coaching.tasks import compliance_refresh_daily
from tests.factories import CoachProfileFactory


def test_daily_job_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["coaching-compliance-refresh"]
    assert entry["task"] == compliance_refresh_daily.name


def test_daily_job_runs_the_service_and_is_safe_twice(db, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    lapsing = CoachProfileFactory(last_supervised_on=today - datetime.timedelta(days=370))
    CoachProfileFactory(last_supervised_on=today - datetime.timedelta(days=350))
    with django_capture_on_commit_callbacks(execute=True):
        assert compliance_refresh_daily.delay().get() == {"reminded": 1, "lapsed": 1}
        assert compliance_refresh_daily.delay().get() == {"reminded": 0, "lapsed": 0}
    lapsing.refresh_from_db()
    assert lapsing.status == ProfileStatus.LAPSED
    assert len(mail.outbox) == 1
