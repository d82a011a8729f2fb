from __future__ import annotations

from academy import audit
from academy.background import background_task


@background_task(max_retries=3, soft_time_limit=50, time_limit=60)
def record_heartbeat(token: str) -> None:
    """A round trip through the broker and a worker to the database: used by the operations check
    and by CI to prove a real worker is consuming the queue."""
    audit.record(None, "system.heartbeat", None, {"token": token})


@background_task(max_retries=3, soft_time_limit=1800, time_limit=1900)
def apply_retention() -> dict[str, int]:
    """Daily (beat): the retention schedule in settings, applied by academy.services.retention_apply."""
    from academy.services import retention_apply

    return retention_apply()
