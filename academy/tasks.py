from __future__ import annotations

from django.utils import timezone

from academy import audit
from academy.background import BATCH_TIME_LIMITS, background_task
from academy.imports.pages import write_run
from academy.models import ImportRun, ImportRunStatus


@background_task(max_retries=3, soft_time_limit=50, time_limit=60)
def record_heartbeat(token: str) -> None:
    """A round trip through the broker and a worker to the database: used by the operations check
    and by CI to prove a real worker is consuming the queue."""
    audit.record(None, "system.heartbeat", None, {"token": token})


@background_task(bind=True, **BATCH_TIME_LIMITS)
def import_commit(task, run_id: int) -> None:
    """Write a large uploaded file (`academy.imports`). The claim makes a duplicate delivery do
    nothing; a failure rolls the whole file back, puts the run back in the queue and is retried, and
    the last failed attempt marks the run as not imported."""
    if not ImportRun.objects.filter(pk=run_id, status=ImportRunStatus.QUEUED).update(
        status=ImportRunStatus.RUNNING, stage="Starting"
    ):
        return
    run = ImportRun.objects.get(pk=run_id)
    try:
        write_run(run)
    except Exception:
        last = task.request.retries >= task.max_retries
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRunStatus.FAILED if last else ImportRunStatus.QUEUED,
            stage="Not imported" if last else "Something went wrong: trying again shortly",
            outcome="Nothing was imported: something went wrong. Try again later." if last else "",
            finished_at=timezone.now() if last else None,
        )
        raise


@background_task(max_retries=3, soft_time_limit=1800, time_limit=1900)
def apply_retention() -> dict[str, int]:
    """Daily (beat): the retention schedule in settings, applied by academy.services.retention_apply."""
    from academy.services import retention_apply

    return retention_apply()
