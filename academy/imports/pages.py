"""The pages every import shares: upload and preview, commit (in the request for a small file, as a
background task with a progress page for a large one), and the template downloads. An app's view
decides who may import into what (its selector) and hands the rest here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from academy.background import enqueue
from academy.forms import Form
from academy.imports.spec import MB, ImportRow, ImportSpec, Preview
from academy.models import ImportRun, ImportRunStatus

# Files with more rows than this are written by a background task, with a progress page.
INLINE_ROWS = 2000
COMMIT_TASK = "academy.tasks.import_commit"

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(Form):
    file = forms.FileField(label="Spreadsheet file")

    def __init__(self, *args, spec: ImportSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.fields[
            "file"
        ].help_text = (
            f"An Excel workbook (.xlsx) or a CSV file (comma, semicolon or tab separated). {spec.limits}"
        )

    def options(self) -> dict[str, Any]:
        """What besides the file the import was asked to do (kept on the run for the commit)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "file"}

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > self.spec.max_bytes:
            raise forms.ValidationError(
                f"The file is {upload.size / MB:.1f} MB: it must be smaller than {self.spec.size_limit}"
            )
        return upload.read()


@dataclass(frozen=True)
class PreviewTable:
    """How the preview shows a good row: the headings and one row's cells, decided by the app."""

    headings: list[str]
    cells: Callable[[ImportRow], list[Any]]


def import_page(
    request: HttpRequest,
    *,
    spec: ImportSpec,
    service: str,
    check: Callable[[bytes, str, dict[str, Any]], Preview],
    target_id: int | None,
    template: str,
    context: dict[str, Any],
    table: PreviewTable,
    done_url: str,
    will_do: Callable[[Preview], str],
    form_class: type[ImportUploadForm] = ImportUploadForm,
) -> HttpResponse:
    """Upload → preview (nothing written; the file is kept as an `ImportRun` for its uploader) →
    "Import" commits that same file with `service` (a dotted path, called as
    `service(run=run, progress=callable)`, returning the sentence that says what was done).
    `will_do(preview)` says what the import would do, e.g. "3 people will be enrolled". A
    `form_class` may ask for more than the file; `check` gets its `options()`, kept on the run."""
    form = form_class(spec=spec)
    preview = run = None
    if request.method == "POST" and "run" in request.POST:
        run = _run_for(request, spec, target_id, request.POST["run"], ImportRunStatus.CHECKED)
        return commit(request, run, done_url=done_url)
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, spec=spec)
        if form.is_valid():
            upload = request.FILES["file"]
            preview = check(form.cleaned_data["file"], upload.name, form.options())
            # An earlier checked file of this import that was never imported is replaced, not kept.
            ImportRun.objects.filter(
                kind=spec.key, target_id=target_id, created_by=request.user, status=ImportRunStatus.CHECKED
            ).delete()
            if preview.ok:
                run = ImportRun.objects.create(
                    kind=spec.key,
                    service=service,
                    target_id=target_id,
                    created_by=request.user,
                    filename=upload.name[:255],
                    content=form.cleaned_data["file"],
                    row_count=preview.count,
                    options=form.options(),
                    done_url=done_url,
                )
    return render(
        request,
        template,
        {
            **context,
            "spec": spec,
            "form": form,
            "preview": preview,
            "run": run,
            "will_do": will_do(preview) if preview and preview.ok else "",
            "headings": table.headings,
            "preview_rows": [table.cells(row) for row in preview.rows[:PREVIEW_ROWS]] if preview else [],
            "more_rows": max(0, preview.count - PREVIEW_ROWS) if preview else 0,
            "shown_errors": preview.errors[:SHOWN_ERRORS] if preview else [],
            "more_errors": max(0, len(preview.errors) - SHOWN_ERRORS) if preview else 0,
        },
    )


PREVIEW_ROWS = 200
SHOWN_ERRORS = 500


def _run_for(
    request: HttpRequest, spec: ImportSpec, target_id: int | None, pk: Any, status: str
) -> ImportRun:
    """The uploader's own run of this import on this target, or 404."""
    try:
        return ImportRun.objects.get(
            pk=int(pk), kind=spec.key, target_id=target_id, created_by=request.user, status=status
        )
    except (ImportRun.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such import waiting") from exc


def commit(request: HttpRequest, run: ImportRun, *, done_url: str) -> HttpResponse:
    """A small file is written now and the person goes back with the outcome; a large one is queued
    and the person follows it on the progress page."""
    if run.row_count > INLINE_ROWS:
        claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRunStatus.CHECKED).update(
            status=ImportRunStatus.QUEUED, stage="Waiting to start"
        )
        if claimed:
            enqueue(COMMIT_TASK, run.pk)
        return redirect("academy:import_run", pk=run.pk)
    if not ImportRun.objects.filter(pk=run.pk, status=ImportRunStatus.CHECKED).update(
        status=ImportRunStatus.RUNNING
    ):
        raise Http404("This import has already been run")
    outcome = write_run(run)
    if run.status == ImportRunStatus.SUCCEEDED:
        messages.success(request, outcome)
        return redirect(done_url)
    for message in run.errors:
        messages.error(request, message)
    return redirect(request.path)


def write_run(run: ImportRun) -> str:
    """Write the run's file with its service; record the outcome (or the refusal) on the run. The
    service is atomic, so a refusal or a failure writes nothing."""
    from django.utils.module_loading import import_string

    service = import_string(run.service)

    def progress(percent: int, stage: str) -> None:
        ImportRun.objects.filter(pk=run.pk).update(progress=min(100, max(0, percent)), stage=stage[:200])

    try:
        outcome = service(run=run, progress=progress)
    except ValidationError as refusal:
        run.status, run.errors, run.outcome = (
            ImportRunStatus.FAILED,
            refusal.messages,
            "Nothing was imported.",
        )
        run.stage = "Not imported"
    else:
        run.status, run.outcome, run.progress, run.stage = ImportRunStatus.SUCCEEDED, outcome, 100, "Imported"
    run.finished_at = timezone.now()
    # The file holds personal data: once written (or refused) it is not kept.
    run.content = b""
    run.save(update_fields=["status", "errors", "outcome", "progress", "stage", "finished_at", "content"])
    return run.outcome


def template_download(spec: ImportSpec, fmt: str) -> HttpResponse:
    """The import's template: the header line as CSV, or a workbook with a Guidance sheet."""
    if fmt == "xlsx":
        response = HttpResponse(spec.template_xlsx(), content_type=XLSX)
    elif fmt == "csv":
        response = HttpResponse(spec.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404("No such template format")
    response["Content-Disposition"] = f'attachment; filename="{spec.key}-template.{fmt}"'
    return response


def run_status(run: ImportRun) -> dict[str, Any]:
    """What the progress page polls."""
    return {
        "status": run.status,
        "stage": run.stage or run.get_status_display(),
        "progress": run.progress,
        "finished": run.is_finished,
        "outcome": run.outcome,
        "errors": run.errors,
        "done_url": run.done_url,
    }


def run_url(run: ImportRun) -> str:
    return reverse("academy:import_run", args=[run.pk])
