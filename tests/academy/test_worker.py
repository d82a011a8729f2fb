"""A task round-trips through the configured broker to a real Celery worker process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from academy.models import AuditEntry
from academy.tasks import record_heartbeat

BASE = Path(__file__).resolve().parents[2]


def worker_database_env() -> dict[str, str]:
    """Point the worker at this test run's database, on whichever server the suite uses."""
    db = connection.settings_dict
    if "DATABASE_URL" not in os.environ:
        return {"EMBEDDED_DATABASE_NAME": db["NAME"]}
    return {
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    }


@pytest.fixture
def celery_worker_process(transactional_db):
    env = {**os.environ, **worker_database_env(), "DJANGO_ENV": "test", "CELERY_TASK_ALWAYS_EAGER": "false"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "academy",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=BASE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


@pytest.mark.worker
def test_task_round_trips_through_a_real_worker(celery_worker_process, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from academy.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    token = uuid.uuid4().hex
    try:
        record_heartbeat.delay(token)
    finally:
        # Restore what the app had: `settings` is already overridden to False here, and leaving the
        # app non-eager would send every later test's tasks to the broker instead of running them.
        app.conf.task_always_eager = eager
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
