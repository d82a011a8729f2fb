"""Background work for programmes: emails after a commit, 24-hour session reminders and the
48-hour offer expiry (both from Celery beat). Each task takes ids and is safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from academy.background import background_task
from programmes import notifications, services
from programmes.models import EnrolmentStatus, Session

LONG_RUN = {"soft_time_limit": 540, "time_limit": 600}


@background_task
def send_enrolment_email(enrolment_id: int, kind: str) -> None:
    message = notifications.enrolment_email(enrolment_id, kind)
    if message is not None:
        message.send()


@background_task
def send_import_emails(enrolment_ids: list[int]) -> None:
    """An import's enrolment emails: one task per person, queued in batches so a 50,000-row import
    does not queue 50,000 messages inside its request."""
    for enrolment_id in enrolment_ids:
        send_enrolment_email.delay(enrolment_id, EnrolmentStatus.ENROLLED)


@background_task
def send_session_email(session_id: int, kind: str, enrolment_id: int) -> None:
    """One person's email about one session: a retry never repeats anyone else's."""
    message = notifications.session_email(session_id, kind, enrolment_id)
    if message is not None:
        message.send()


@background_task(**LONG_RUN)
def send_session_reminders() -> int:
    """Every session starting in the next 24 hours gets one reminder: the claim (a conditional
    UPDATE on reminder_sent_at, which queues one email per person in the same transaction) makes a second
    run, or an overlapping one, send nothing. Cohorts whose
    first session has begun are marked running on the same beat."""
    now = timezone.now()
    due = Session.objects.filter(
        is_cancelled=False,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=24),
        cohort__enrolments__status=EnrolmentStatus.ENROLLED,
    ).distinct()
    services.cohorts_mark_running()
    sent = 0
    for session_id in due.values_list("pk", flat=True):
        if services.session_mark_reminded(session_id=session_id):
            sent += 1
    return sent


@background_task(**LONG_RUN)
def expire_offers() -> int:
    """Offers not accepted within 48 hours lapse and move on to the next person waiting."""
    return services.offers_expire_due()
