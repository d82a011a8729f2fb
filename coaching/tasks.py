"""Background work of the coaching app: the daily supervision compliance run and its emails, one
task per recipient (see academy.background)."""

from __future__ import annotations

import datetime

from academy.background import BATCH_TIME_LIMITS, background_task
from coaching import notifications, services


@background_task(**BATCH_TIME_LIMITS)
def compliance_refresh_daily() -> dict[str, int]:
    """Remind coaches 30 days before supervision falls due and mark lapsed those past it. The service
    claims each coach's row with a conditional UPDATE, so a retry or a second run sends no duplicate
    reminder and records no second lapse."""
    return services.compliance_refresh()


# Email tasks take ids and re-read the rows: each email is built from the state that committed, and an
# email whose news is no longer true (an offer already answered, a place already removed) is not sent.


@background_task
def send_review_email(profile_id: int) -> None:
    message = notifications.review_email(profile_id)
    if message is not None:
        message.send()


@background_task
def send_relationship_email(relationship_id: int, kind: str) -> None:
    message = notifications.relationship_email(relationship_id, kind)
    if message is not None:
        message.send()


@background_task
def send_supervision_email(session_id: int, kind: str, profile_id: int) -> None:
    message = notifications.supervision_email(session_id, kind, profile_id)
    if message is not None:
        message.send()


@background_task
def send_supervision_reminder(profile_id: int, due_on: str) -> None:
    message = notifications.supervision_reminder_email(profile_id, datetime.date.fromisoformat(due_on))
    if message is not None:
        message.send()
