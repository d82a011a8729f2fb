"""Celery: the Year in Review is rendered off the request. The task takes the run's id, claims the row
with a conditional UPDATE and calls the service; a second delivery finds nothing to claim."""

from __future__ import annotations

import logging

from celery.exceptions import SoftTimeLimitExceeded

from academy.background import background_task
from reporting import services

logger = logging.getLogger(__name__)

MAX_RETRIES = 3


def _reason(exc: BaseException) -> str:
    if isinstance(exc, SoftTimeLimitExceeded):
        return "The report took too long to render and was stopped."
    return f"The report could not be rendered: {exc.__class__.__name__}: {exc}"


# Retried by hand rather than automatically: each failure is first recorded on the run for the lead.
@background_task(bind=True, autoretry_for=(), max_retries=MAX_RETRIES, soft_time_limit=300, time_limit=330)
def render_report_run(self, run_id: int) -> None:
    if not services.report_run_claim(run_id=run_id):
        logger.info("Report run %s is not claimable (done, or another worker has it).", run_id)
        return
    try:
        services.report_run_render(run_id=run_id)
    except Exception as exc:
        will_retry = self.request.retries < MAX_RETRIES
        services.report_run_fail(run_id=run_id, error=_reason(exc), will_retry=will_retry)
        if will_retry:
            raise self.retry(exc=exc, countdown=min(600, 5 * 2**self.request.retries)) from exc
        raise
