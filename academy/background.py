"""Background work, one way for every app.

- A task is declared with `@background_task` (optionally with larger time limits for batch jobs): it
  is acknowledged late, retried on any error with exponential backoff and jitter up to `MAX_RETRIES`
  times, and stopped by soft and hard time limits. Its body is a few lines that call a service.
- A task takes primary keys (and small plain values such as a "kind"), never model instances, and is
  enqueued with `enqueue("app.tasks.task_name", *pks)`, which sends it once the current transaction
  commits: a rolled-back change sends nothing. The task is named by its dotted path and imported only
  when enqueued, so a `services` module never imports its `tasks` module (and no import cycle forms).
- Email goes out only from tasks, one task per recipient, so a retry never repeats an email already
  sent to somebody else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

MAX_RETRIES = 5

TASK_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": MAX_RETRIES,
    "soft_time_limit": 60,
    "time_limit": 90,
}

# Scheduled jobs that walk many rows get longer limits than a single email.
BATCH_TIME_LIMITS: dict[str, Any] = {"soft_time_limit": 10 * 60, "time_limit": 11 * 60}


def background_task(func: Callable | None = None, /, **overrides: Any) -> Any:
    """Declare a Celery task with the shared options: `@background_task` or
    `@background_task(**BATCH_TIME_LIMITS)`."""
    options = {**TASK_OPTIONS, **overrides}
    if func is None:
        return shared_task(**options)
    return shared_task(**options)(func)


def enqueue(task_path: str, *args: Any) -> None:
    """Send the task at `task_path` (e.g. "coaching.tasks.send_review_email") with `args` once the
    current transaction commits; outside a transaction it is sent at once. Each send is robust: a
    broker failure for one task is logged and does not stop the others queued by the same commit."""
    task = import_string(task_path)
    transaction.on_commit(lambda: task.delay(*args), robust=True)
