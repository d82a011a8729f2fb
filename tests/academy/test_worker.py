"""A task round-trips through the configured broker to a real Celery worker process."""

from __future__ import annotations

import time
import uuid

import pytest

from academy.models import AuditEntry
from academy.tasks import record_heartbeat
from tests.worker import celery_worker, tasks_sent_to_the_broker


@pytest.fixture
def celery_worker_process(transactional_db):
    with celery_worker() as worker:
        yield worker


@pytest.mark.worker
def test_task_round_trips_through_a_real_worker(celery_worker_process, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    token = uuid.uuid4().hex
    with tasks_sent_to_the_broker():
        record_heartbeat.delay(token)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if AuditEntry.objects.filter(action="system.heartbeat", data__token=token).exists():
            break
        time.sleep(0.5)
    else:
        celery_worker_process.terminate()
        output = celery_worker_process.communicate(timeout=20)[0]
        pytest.fail(f"The worker did not run the task within 60 s. Worker output:\n{output}")
    assert AuditEntry.objects.filter(action="system.heartbeat", data__token=token).count() == 1
    assert celery_worker_process.poll() is None
