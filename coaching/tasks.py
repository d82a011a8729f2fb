"""Scheduled work of the coaching app: the daily supervision compliance run."""

from __future__ import annotations

from celery import shared_task

from coaching import notifications, services


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=10 * 60,
    time_limit=11 * 60,
)
def compliance_refresh_daily() -> dict[str, int]:
    """Remind coaches 30 days before supervision falls due and mark lapsed those past it. The service
    claims each coach's row with a conditional UPDATE, so a retry or a second run sends no duplicate
    reminder and records no second lapse."""
    return services.compliance_refresh()


EMAIL_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "max_retries": 5,
    "soft_time_limit": 60,
    "time_limit": 90,
}

# Email tasks take ids and re-read the rows: each email is built from the state that committed, and an
# email whose news is no longer true (an offer already answered, a place already removed) is not sent.


@shared_task(**EMAIL_TASK_OPTIONS)
def send_review_email(profile_id: int) -> None:
    message = notifications.review_email(profile_id)
    if message is not None:
        message.send()


@shared_task(**EMAIL_TASK_OPTIONS)
def send_relationship_email(relationship_id: int, kind: str) -> None:
    message = notifications.relationship_email(relationship_id, kind)
    if message is not None:
        message.send()


@shared_task(**EMAIL_TASK_OPTIONS)
def send_supervision_emails(session_id: int, kind: str, profile_ids: list[int]) -> None:
    for message in notifications.supervision_emails(session_id, kind, profile_ids):
        message.send()
