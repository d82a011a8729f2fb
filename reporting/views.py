"""Pages for leads: the dashboard and CSV downloads, editions of the Year in Review, generating the PDF
with a progress page, and the HCLM 360 import. Every view: Lead role, the lead's own region only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from academy.downloads import private_download, private_file, private_xlsx
from academy.imports import plural
from academy.imports.pages import template_download
from academy.models import Role
from academy.once import token_from
from academy.permissions import require_region, role_required
from academy.scope import nhs_year_label
from academy.views import run_service
from reporting import exports, selectors, services
from reporting.chapters import Report
from reporting.forms import (
    DashboardFilterForm,
    EditionForm,
    HclmUploadForm,
    NarrativeForm,
    QuotesForm,
    default_year,
)
from reporting.imports import HCLM360
from reporting.models import Hclm360Count, Hclm360Import, ReportRunStatus
from reporting.selectors import Scope

lead_required = role_required(Role.LEAD)


def _dashboard_scope(request: HttpRequest) -> tuple[DashboardFilterForm, Scope]:
    """The filter (year, system) from the query string. The dashboard opens on the current NHS year (its
    figures so far: sessions held, with those still scheduled shown apart); anything not offered falls
    back to it."""
    region = require_region(request.user)
    this_year = nhs_year_label(timezone.localdate())
    years = sorted({*selectors.nhs_years_with_data(region), this_year}, reverse=True)
    opening_year = request.GET.get("year") or this_year
    form = DashboardFilterForm(
        {"year": opening_year, "system": request.GET.get("system", "")}, region=region, years=years
    )
    if form.is_valid():
        return form, Scope.for_nhs_year(
            form.cleaned_data["year"], region=region, system=form.cleaned_data["system"]
        )
    return form, Scope.for_nhs_year(this_year, region=region)


@lead_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form, scope = _dashboard_scope(request)
    report = Report.for_scope(scope)
    context = {
        "form": form,
        "scope": scope,
        **report.dashboard(),  # each chapter's figures for the page (reach, charts, coaching, hclm...)
        "tables": exports.TABLES,
        "query": request.GET.urlencode(),
    }
    return render(request, "reporting/dashboard.html", context)


@lead_required
def table_download(request: HttpRequest, table: str, fmt: str = "csv") -> HttpResponse:
    """One of the dashboard's tables, as CSV (UTF-8 with a byte-order mark) or as an .xlsx workbook."""
    if table not in exports.TABLES:
        raise Http404("No such table.")
    _, scope = _dashboard_scope(request)
    report = Report.for_scope(scope)
    name = f"{table}-{scope.label.replace('/', '-')}{'-' + scope.system.slug if scope.system else ''}.{fmt}"
    if fmt == "xlsx":
        title, _ = exports.TABLES[table]
        return private_xlsx(exports.table_rows(table, report), filename=name, title=title)
    return private_download(
        exports.table_csv(table, report), filename=name, content_type="text/csv; charset=utf-8"
    )


@lead_required
def edition_list(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    page = Paginator(selectors.editions_for(request.user, region), 20).get_page(request.GET.get("page"))
    return render(request, "reporting/edition_list.html", {"page": page})


@lead_required
def edition_create(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    form = EditionForm(request.POST or None, region=region, initial={"year": default_year()})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.edition_create(actor=request.user, region=region, **form.edition_fields()),
            form=form,
            once=form.once_token,
            success="Edition created. Now write its narrative and pick its quotes.",
            then=lambda edition: reverse("reporting:edition_detail", args=[edition.pk]),
        )
        if done:
            return done
    return render(request, "reporting/edition_form.html", {"form": form})


@lead_required
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = selectors.edition_for_user(require_region(request.user), pk)
    runs = Paginator(selectors.runs_for_edition(edition), 10).get_page(request.GET.get("page"))
    quotes = selectors.approved_quotes(edition)
    return render(
        request, "reporting/edition_detail.html", {"edition": edition, "page": runs, "quotes": quotes}
    )


@lead_required
def edition_narrative(request: HttpRequest, pk: int) -> HttpResponse:
    edition = selectors.edition_for_user(require_region(request.user), pk)
    form = NarrativeForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        services.edition_update(edition=edition, actor=request.user, **form.edition_fields())
        messages.success(request, "Narrative saved.")
        return redirect("reporting:edition_detail", pk=edition.pk)
    return render(request, "reporting/edition_narrative.html", {"form": form, "edition": edition})


@lead_required
def edition_quotes(request: HttpRequest, pk: int) -> HttpResponse:
    edition = selectors.edition_for_user(require_region(request.user), pk)
    queryset = selectors.quotable_feedback(Scope.for_edition(edition))
    initial = {"quotes": list(edition.quotes.values_list("pk", flat=True))}
    form = QuotesForm(request.POST or None, queryset=queryset, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.edition_set_quotes(
            edition=edition, actor=request.user, feedback=list(form.cleaned_data["quotes"])
        )
        messages.success(request, "Quotes saved.")
        return redirect("reporting:edition_detail", pk=edition.pk)
    context = {"form": form, "edition": edition, "has_quotes": queryset.exists()}
    return render(request, "reporting/edition_quotes.html", context)


@require_POST
@lead_required
def edition_generate(request: HttpRequest, pk: int) -> HttpResponse:
    edition = selectors.edition_for_user(require_region(request.user), pk)
    return run_service(
        request,
        lambda: services.report_run_request(edition=edition, actor=request.user),
        once=token_from(request.POST),
        success="The PDF is being made.",
        then=lambda run: (
            reverse("reporting:run_detail", args=[run.pk])
            if run
            else reverse("reporting:edition_detail", args=[edition.pk])
        ),
    )


@lead_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_for_user(require_region(request.user), pk)
    return render(request, "reporting/run_detail.html", {"run": run, "edition": run.edition})


@lead_required
def run_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress page polls: small, and never cached."""
    run = selectors.run_for_user(require_region(request.user), pk)
    response = JsonResponse(
        {
            "status": run.status,
            "stage": run.stage,
            "progress": run.progress,
            "error": run.error if run.status == ReportRunStatus.FAILED else "",
            "finished": run.is_finished,
            "download_url": reverse("reporting:run_download", args=[run.pk])
            if run.status == ReportRunStatus.SUCCEEDED
            else "",
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@lead_required
def run_download(request: HttpRequest, pk: int) -> FileResponse:
    run = selectors.run_for_user(require_region(request.user), pk)
    if run.status != ReportRunStatus.SUCCEEDED or not run.file or not run.file.storage.exists(run.file.name):
        raise Http404("This report is not ready.")
    return private_file(run.file.open("rb"), filename=run.filename, content_type="application/pdf")


@require_POST
@lead_required
def run_retry(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_for_user(require_region(request.user), pk)
    try:
        services.report_run_retry(run=run, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("reporting:run_detail", pk=run.pk)


@lead_required
def hclm_import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    return template_download(HCLM360, fmt)


@lead_required
def hclm_import(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    form = HclmUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.hclm360_import(
                actor=request.user,
                region=region,
                upload=form.cleaned_data["file"],
                filename=request.FILES["file"].name,
            )
        except services.Hclm360ImportError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            messages.success(request, f"Imported {plural(source.row_count, 'row')} from {source.filename}.")
            return redirect("reporting:hclm_import")
    imports = Hclm360Import.objects.filter(region=region).select_related("uploaded_by")[:10]
    # Show the latest year imported (the table is by calendar year: 2020 is shown for 2020/21).
    latest = Hclm360Count.objects.filter(region=region).aggregate(year=Max("year"))["year"]
    year = f"{latest}/{(latest + 1) % 100:02d}" if latest else default_year()
    scope = Scope.for_nhs_year(year, region=region)
    return render(
        request,
        "reporting/hclm_import.html",
        {"form": form, "imports": imports, "hclm": selectors.hclm_table(scope), "spec": HCLM360},
    )
