from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from programmes import services, tasks
from programmes.models import Enrolment, EnrolmentStatus, Session
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_beat_runs_reminders_and_offer_expiry():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"programmes.tasks.send_session_reminders", "programmes.tasks.expire_offers"} <= scheduled


def test_reminder_sent_once_for_sessions_in_the_next_24_hours(
    participant, cohort, django_capture_on_commit_callbacks
):
    services.enrolment_create(person=participant, cohort=cohort, actor=None)
    soon = SessionFactory(cohort=cohort, starts_at=timezone.now() + timedelta(hours=20))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_session_reminders() == 1
    assert [m.subject for m in mail.outbox] == [f"Tomorrow: {cohort.programme.title} – {soon.title}"]
    assert mail.outbox[0].to == [participant.user.email]
    # A second run (or an overlapping one) sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_session_reminders() == 0
    assert len(mail.outbox) == 1
    assert Session.objects.get(pk=soon.pk).reminder_sent_at is not None


def test_no_reminder_for_cohorts_nobody_is_enrolled_on(cohort):
    SessionFactory(cohort=cohort, starts_at=timezone.now() + timedelta(hours=2))
    assert tasks.send_session_reminders() == 0


def test_expire_offers_task(participant, cohort, person_in):
    holder = services.enrolment_create(person=person_in(), cohort=cohort, actor=None)
    services.enrolment_create(person=person_in(), cohort=cohort, actor=None)
    mine = services.enrolment_create(person=participant, cohort=cohort, actor=None)
    services.enrolment_cancel(enrolment=holder, actor=None)
    assert tasks.expire_offers() == 0
    Enrolment.objects.filter(pk=mine.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    assert tasks.expire_offers() == 1
    mine.refresh_from_db()
    assert mine.status == EnrolmentStatus.CANCELLED


def test_cohort_runs_once_its_first_session_has_begun(cohort):
    from programmes.models import CohortStatus

    assert services.cohorts_mark_running() == 0
    SessionFactory(cohort=cohort, starts_at=timezone.now() - timedelta(minutes=5))
    tasks.send_session_reminders()
    cohort.refresh_from_db()
    assert cohort.status == CohortStatus.RUNNING
    assert services.cohorts_mark_running() == 0


def test_a_failure_for_one_person_does_not_resend_the_others(
    cohort, person_in, monkeypatch, eager_retries, django_capture_on_commit_callbacks
):
    """Each person's session email is its own task: when one address fails (and its task is retried
    until it gives up), everyone else gets exactly one email."""
    cohort.capacity = 5
    cohort.save(update_fields=["capacity"])
    people = [person_in() for _ in range(4)]
    for person in people:
        services.enrolment_create(person=person, cohort=cohort, actor=None)
    session = cohort.sessions.first()
    failing = people[1].user.email
    real_send = mail.EmailMessage.send
    attempts = []

    def send(message, *args, **kwargs):
        if message.to == [failing]:
            attempts.append(1)
            raise ConnectionError("the mail server hung up")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", send)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, actor=None)

    received = sorted(email for m in mail.outbox for email in m.to)
    assert received == sorted(p.user.email for p in people if p.user.email != failing)
    assert len(attempts) > 1  # the failing email was retried on its own


def test_nothing_is_queued_when_the_change_rolls_back(
    participant, cohort, django_capture_on_commit_callbacks
):
    from django.db import transaction

    class Abandon(Exception):
        pass

    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abandon),
        transaction.atomic(),
    ):
        services.enrolment_create(person=participant, cohort=cohort, actor=None)
        raise Abandon
    assert callbacks == [] and mail.outbox == []
    assert not Enrolment.objects.filter(person=participant).exists()
