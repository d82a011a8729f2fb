"""Running jobs at the same instant on separate PostgreSQL connections, for the tests that prove a
capacity (places, a coach's places, the seats of a group) never overfills."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connections


def run_together(jobs):
    """Start every job at once (a barrier), each on its own thread and so its own connection."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job):
        try:
            barrier.wait()
            job()
        except BaseException as exc:  # noqa: BLE001 — reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def refused_is_fine(job: Callable[[], object]) -> Callable[[], None]:
    """A refusal (no free place, a full group) is a correct answer under contention, not an error."""

    def run() -> None:
        with contextlib.suppress(ValidationError):
            job()

    return run
