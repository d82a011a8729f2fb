"""Background work for the scheme: its emails after a commit, and two daily jobs from Celery beat
(placements start and complete on their dates; reminders of starts with no confirmed placement).
Each task takes ids and is safe to run twice."""

from __future__ import annotations

from academy.background import BATCH_TIME_LIMITS, background_task
from gmts import notifications, services


@background_task
def send_placement_email(placement_id: int, kind: str) -> None:
    message = notifications.placement_email(placement_id, kind)
    if message is not None:
        message.send()


@background_task
def send_reminder_email(trainee_id: int, weeks: int) -> None:
    message = notifications.reminder_email(trainee_id, weeks)
    if message is not None:
        message.send()


@background_task
def send_invitation_email(trainee_id: int) -> None:
    message = notifications.invitation_email(trainee_id)
    if message is not None:
        message.send()


@background_task(**BATCH_TIME_LIMITS)
def daily() -> dict:
    """Move placements on (started, completed), then remind programme managers of starts 12, 8, 4 and
    2 weeks away with no confirmed placement (each claimed once)."""
    started, completed = services.placements_move_on()
    return {"started": started, "completed": completed, "reminders": services.reminders_send_due()}
