from __future__ import annotations

from academy import audit
from academy.background import background_task


@background_task(max_retries=3, soft_time_limit=50, time_limit=60)
def record_heartbeat(token: str) -> None:
    """A round trip through the broker and a worker to the database: used by the operations check
    and by CI to prove a real worker is consuming the queue."""
    audit.record(None, "system.heartbeat", None, {"token": token})
