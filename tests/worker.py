"""A real Celery worker process for the tests that need one (marked `worker`, and the Year in Review
browser journey): on this run's test database and the suite's broker."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

BASE = Path(__file__).resolve().parents[1]


def worker_database_env() -> dict[str, str]:
    """Point the worker at this test run's database, on whichever server the suite uses."""
    db = connection.settings_dict
    if "DATABASE_URL" not in os.environ:
        return {"EMBEDDED_DATABASE_NAME": db["NAME"]}
    return {
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    }


@contextmanager
def celery_worker(**extra_env: str) -> Iterator[subprocess.Popen]:
    """Start a worker (with `extra_env` added to its environment, e.g. its own MEDIA_ROOT), and stop
    it when the block ends."""
    env = {**worker_database_env(), "DJANGO_ENV": "test", **extra_env}
    with celery_worker_process(env) as worker:
        yield worker


@contextmanager
def celery_worker_process(extra_env: dict[str, str]) -> Iterator[subprocess.Popen]:
    """A real worker (solo pool: tasks run in its main process) with `extra_env` added to this
    process's environment, stopped when the block ends. The benchmarks use it on their own database."""
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", **extra_env}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
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
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@contextmanager
def tasks_sent_to_the_broker() -> Iterator[None]:
    """Within this block Celery tasks go to the broker for a real worker, instead of running eagerly
    in this process (a live server shares this process's Celery app)."""
    from academy.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        # Restore what the app had: leaving it non-eager would send every later test's tasks to the
        # broker instead of running them.
        app.conf.task_always_eager = eager
