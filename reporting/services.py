"""Writes for reporting: editions, quotes, the HCLM 360 import, report runs and the PDF rendering.
Each write is atomic, validated and audited; the Celery task in tasks.py only claims a run and calls
`report_run_render` here."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from academy import audit
from academy.background import enqueue
from academy.imports import line_messages
from academy.models import Region, System
from academy.services import model_create, model_update
from reporting import imports
from reporting.models import (
    HCLM_COUNTS,
    Edition,
    Hclm360Count,
    Hclm360Import,
    ReportRun,
    ReportRunStatus,
)

logger = logging.getLogger(__name__)
# WeasyPrint reports every layout step at INFO; a worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

NARRATIVE_FIELDS = ("welcome", "executive_summary", "looking_ahead", "chapter_introductions")
EDITION_FIELDS = ("title", "period_start", "period_end", "system", *NARRATIVE_FIELDS)

# Stages of a run, with the progress (%) the bar shows when each starts.
STAGES = {
    "queued": ("Waiting for a worker", 0),
    "figures": ("Collecting the figures", 10),
    "charts": ("Drawing the charts", 40),
    "layout": ("Laying out the pages", 60),
    "saving": ("Saving the PDF", 90),
    "done": ("Ready to download", 100),
}
# A run still "running" after this long was lost with its worker (acks_late redelivers the task).
RUN_STALE_AFTER = dt.timedelta(minutes=10)


# --- Editions ------------------------------------------------------------------------------------


@transaction.atomic
def edition_create(
    *,
    actor,
    region: Region,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    system: System | None = None,
    **narrative: Any,
) -> Edition:
    unknown = set(narrative) - set(NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"Not edition fields: {', '.join(sorted(unknown))}")
    edition = Edition(
        title=title,
        period_start=period_start,
        period_end=period_end,
        region=region,
        system=system,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **narrative,
    )
    return model_create(
        instance=edition,
        actor=actor,
        action="edition.create",
        data={"title": title, "period": edition.period_label},
    )


@transaction.atomic
def edition_update(*, edition: Edition, actor, **changes: Any) -> Edition:
    model_update(
        instance=edition,
        fields=EDITION_FIELDS,
        data=changes,
        actor=actor,
        action="edition.update",
        strict=True,
    )
    return edition


@transaction.atomic
def edition_set_quotes(*, edition: Edition, actor, feedback: list) -> Edition:
    """Publish exactly these quotes. Only feedback given with consent, on the edition's region."""
    refused = [f.pk for f in feedback if not f.consent_to_quote]
    if refused:
        raise ValidationError("Only feedback given with consent to quote can be published.")
    other_region = [f.pk for f in feedback if f.enrolment.cohort.region_id != edition.region_id]
    if other_region:
        raise ValidationError("Quotes must come from this edition's region.")
    edition.quotes.set(feedback)
    audit.record(actor, "edition.set_quotes", edition, {"feedback": sorted(f.pk for f in feedback)})
    return edition


# --- HCLM 360 import -------------------------------------------------------------------------------


class Hclm360ImportError(ValidationError):
    """The whole file was refused: `messages` names every bad row by its line."""


@transaction.atomic
def hclm360_import(*, actor, region: Region, upload: bytes | str, filename: str) -> Hclm360Import:
    """Import the national tool's counts (`reporting.imports.HCLM360`: CSV or .xlsx). All rows or none:
    any bad row refuses the file, naming every problem. A year and sub-region already held is replaced."""
    content = upload.encode() if isinstance(upload, str) else upload
    preview = imports.read(region=region, content=content, filename=filename)
    if not preview.ok:
        raise Hclm360ImportError(line_messages(preview.errors))
    source = Hclm360Import.objects.create(
        region=region,
        filename=filename[:200],
        row_count=preview.count,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for row in preview.rows:
        Hclm360Count.objects.update_or_create(
            region=region,
            year=row["year"],
            sub_region=row["sub_region"],
            defaults={**{name: row[name] for name, _ in HCLM_COUNTS}, "source": source},
        )
    audit.record(
        actor, "hclm360.import", source, {"rows": preview.count, "filename": filename}, region=region
    )
    return source


# --- Report runs -----------------------------------------------------------------------------------

RENDER_TASK = "reporting.tasks.render_report_run"


@transaction.atomic
def report_run_request(*, edition: Edition, actor) -> ReportRun:
    """The lead pressed Generate: a pending run now, its task once the transaction has committed."""
    run = ReportRun.objects.create(
        edition=edition,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        stage=STAGES["queued"][0],
    )
    audit.record(actor, "report_run.request", run, {"edition": edition.pk}, region=edition.region)
    enqueue(RENDER_TASK, run.pk)
    return run


@transaction.atomic
def report_run_retry(*, run: ReportRun, actor) -> ReportRun:
    """Try again after a failure: the same run (and file name), re-queued."""
    if run.status != ReportRunStatus.FAILED:
        raise ValidationError("Only a failed report can be tried again.")
    ReportRun.objects.filter(pk=run.pk).update(stage=STAGES["queued"][0], progress=0)
    audit.record(actor, "report_run.retry", run, {"attempts": run.attempts}, region=run.edition.region)
    enqueue(RENDER_TASK, run.pk)
    run.refresh_from_db()
    return run


def report_run_claim(*, run_id: int) -> bool:
    """Take the run for this worker: one conditional UPDATE, so two deliveries never render at once.
    Claims a pending run, a failed one (a retry), or one whose worker was lost long ago."""
    now = timezone.now()
    claimable = Q(status__in=[ReportRunStatus.PENDING, ReportRunStatus.FAILED]) | Q(
        status=ReportRunStatus.RUNNING, started_at__lt=now - RUN_STALE_AFTER
    )
    with transaction.atomic():
        claimed = ReportRun.objects.filter(claimable, pk=run_id).update(
            status=ReportRunStatus.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            stage=STAGES["figures"][0],
            progress=STAGES["figures"][1],
            error="",
        )
        if claimed:
            run = ReportRun.objects.select_related("edition__region").get(pk=run_id)
            audit.record(None, "report_run.claim", run, {"attempt": run.attempts}, region=run.edition.region)
    return bool(claimed)


def _set_stage(run_id: int, stage: str) -> None:
    label, progress = STAGES[stage]
    ReportRun.objects.filter(pk=run_id, status=ReportRunStatus.RUNNING).update(stage=label, progress=progress)


def report_run_render(*, run_id: int) -> ReportRun:
    """Render a claimed run's PDF and store it, replacing any file an earlier attempt left."""
    run = ReportRun.objects.select_related("edition__region", "edition__system").get(pk=run_id)
    pdf = report_pdf(edition=run.edition, on_stage=lambda stage: _set_stage(run_id, stage))
    _set_stage(run_id, "saving")
    name = f"reports/year-in-review-run-{run.pk}.pdf"
    storage = run.file.storage
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(pdf))
    with transaction.atomic():
        ReportRun.objects.filter(pk=run.pk).update(
            status=ReportRunStatus.SUCCEEDED,
            file=saved,
            stage=STAGES["done"][0],
            progress=100,
            finished_at=timezone.now(),
            error="",
        )
        run.refresh_from_db()
        audit.record(None, "report_run.succeed", run, {"bytes": len(pdf)}, region=run.edition.region)
    return run


def report_run_fail(*, run_id: int, error: str, will_retry: bool) -> None:
    """Record why an attempt failed, in words a lead can act on; the retry (if any) re-claims it."""
    with transaction.atomic():
        ReportRun.objects.filter(pk=run_id).update(
            status=ReportRunStatus.FAILED,
            error=error[:2000],
            stage="Failed: trying again shortly" if will_retry else "Failed",
            finished_at=timezone.now(),
        )
        run = ReportRun.objects.select_related("edition__region").get(pk=run_id)
        audit.record(
            None,
            "report_run.fail",
            run,
            {"error": error[:500], "will_retry": will_retry},
            region=run.edition.region,
        )


# --- The PDF ---------------------------------------------------------------------------------------


def report_html(*, edition: Edition, on_stage: Callable[[str], None] | None = None) -> str:
    """The report as one HTML document (print CSS inline): every chapter of the registry in order."""
    from reporting.chapters import Report
    from reporting.chapters import chapters as in_order

    stage = on_stage or (lambda name: None)
    report = Report.for_edition(edition)
    stage("figures")
    chapters = [
        {
            "chapter": chapter,
            "data": report.data(chapter),
            "introduction": edition.introduction(chapter.key),
        }
        for chapter in in_order()
    ]
    stage("charts")  # each chapter's charts are drawn with its figures, above
    return render_to_string(
        "reporting/report/document.html",
        {
            "edition": edition,
            "scope": report.scope,
            "chapters": chapters,
            "generated_at": timezone.localtime(),
            "site_url": settings.SITE_URL,
        },
    )


def report_pdf(*, edition: Edition, on_stage: Callable[[str], None] | None = None) -> bytes:
    from weasyprint import HTML

    html = report_html(edition=edition, on_stage=on_stage)
    if on_stage:
        on_stage("layout")
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
