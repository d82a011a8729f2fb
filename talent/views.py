"""Pages of the talent app: authorise, validate, call a service, redirect or render."""

from __future__ import annotations

import csv
import itertools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST
from markupsafe import Markup

from academy import chapters
from academy.figures_cache import cached_figures
from academy.imports.pages import PreviewTable, import_page, template_download
from academy.models import Role
from academy.pages import form_page
from academy.permissions import require_region, role_required
from academy.scope import nhs_year_label
from academy.views import run_service
from talent import imports, selectors, services
from talent.chapters import CHART_TABLES, chart_digest, readiness_chart, readiness_chart_at
from talent.figures import talent_chapter
from talent.filters import PoolFilter
from talent.forms import (
    ConsentForm,
    ConversationForm,
    ExitForm,
    InterestForm,
    MovementForm,
    OpportunityForm,
    ReadinessForm,
)
from talent.imports import member_name
from talent.models import MovementKind, Readiness, SeniorWorkforce
from talent.services.offers import INTEREST_MOVES

lead_only = role_required(Role.TALENT_LEAD)


def member_url(member) -> str:
    return reverse("talent:member", args=[member.pk])


def streamed_csv(header: list[str], rows, filename: str) -> StreamingHttpResponse:
    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    body = itertools.chain([writer.writerow(header)], (writer.writerow(row) for row in rows))
    response = StreamingHttpResponse(body, content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


# --- The talent lead ---------------------------------------------------------------------------------


@require_GET
@lead_only
def dashboard(request: HttpRequest) -> HttpResponse:
    require_region(request.user)
    scope = selectors.lead_scope(request.user, request.GET.get("year"))
    context = {
        **dashboard_figures(scope),
        "scope": scope,
        "years": selectors.dashboard_years(),
        "movements": selectors.recent_movements(request.user),
    }
    return render(request, "talent/dashboard.html", context)


# The name the dashboard's figures are kept under: a new number whenever what is kept changes, so that a
# deployment never reads what an earlier version kept.
DASHBOARD_FIGURES = "talent-dashboard:3"
FIGURES_READ = ("academy", "talent")  # the apps whose tables the dashboard's figures read
# How long a browser may keep a chart drawn for the figures its address names.
CHART_KEPT = 24 * 60 * 60  # seconds


def dashboard_figures(scope) -> dict:
    """The chapter's figures for the period and their part of the page (tables, the funnel, each chart's
    title, text alternative and address: `chart` draws it), and the systems' successor slates, worked
    out once and kept in the cache until the data changes (academy/figures_cache.py): they depend on
    the data alone, and working them out (the pool, the funnel and the slates over every member) and
    rendering their tables is most of the page's work."""
    chapter = next(c for c in chapters.chapters() if c.key == "talent")

    def compute() -> dict:
        figures = talent_chapter(scope)
        year = urlencode({"year": nhs_year_label(scope.start)})
        charts = {
            key: readiness_chart_at(figures["pool"][table], f"{reverse('talent:chart', args=[key])}?{year}")
            for key, table in CHART_TABLES.items()
        }
        context = {"talent": {**figures, "charts": charts}, "scope": scope}
        return {
            "talent": figures,
            "figures_html": str(render_to_string("talent/includes/dashboard_figures.html", context)),
            "funnel_html": str(render_to_string("talent/includes/dashboard_funnel.html", context)),
            "slates": selectors.slate_coverage(scope.systems),
            "diversity": selectors.slate_diversity(scope.systems),
        }

    kept = cached_figures(DASHBOARD_FIGURES, scope, compute, app_labels=FIGURES_READ)
    return {
        "talent": kept["talent"],
        # Rendered by the portal's own templates (every value escaped there): kept as plain text.
        "figures_html": Markup(kept["figures_html"]),  # noqa: S704
        "funnel_html": Markup(kept["funnel_html"]),  # noqa: S704
        "slates": kept["slates"],
        "diversity": kept["diversity"],
        "tables": chapter.tables,
    }


@require_GET
@lead_only
def chart(request: HttpRequest, key: str) -> HttpResponse:
    """One of the dashboard's readiness charts (SVG), drawn when the browser asks for it rather than
    while the page is made. The page names it with a digest of the figures it shows (`v`): asked for
    under the current one, the browser may keep it; under another, it gets today's, kept nowhere."""
    require_region(request.user)
    table = CHART_TABLES.get(key)
    if table is None:
        raise Http404("No such chart.")
    scope = selectors.lead_scope(request.user, request.GET.get("year"))
    shown = dashboard_figures(scope)["talent"]["pool"][table]
    response = HttpResponse(readiness_chart(shown).svg, content_type="image/svg+xml")
    if request.GET.get("v") == chart_digest(shown):
        patch_cache_control(response, private=True, max_age=CHART_KEPT)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
@lead_only
def table_download(request: HttpRequest, table: str) -> HttpResponse:
    """One of the dashboard's tables as CSV: the same published figures the page shows."""
    require_region(request.user)
    chapter = next(c for c in chapters.chapters() if c.key == "talent")
    found = next((t for t in chapter.tables if t.key == table), None)
    if found is None:
        raise Http404("No such table.")
    rows = found.rows(selectors.lead_scope(request.user, request.GET.get("year")))
    return streamed_csv(rows[0], rows[1:], table)


@require_GET
@lead_only
def pool(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    filterset = PoolFilter(request.GET or None, queryset=selectors.members_for(request.user), region=region)
    if request.GET.get("format") == "csv":
        return streamed_csv(selectors.POOL_CSV_HEADER, selectors.pool_csv_rows(filterset.qs), "talent-pool")
    page = selectors.pool_page(filterset.qs, request.GET.get("page"))
    return render(request, "talent/pool.html", {"filter": filterset, "page": page})


@require_GET
@login_required
def member(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's record, for the talent lead (the region's) or a board member (their system's
    consenting members); anyone else gets 404, and every read is audited."""
    record = selectors.member_for(request.user, pk)
    context = {
        "member": record,
        "history": selectors.readiness_history(record),
        "movements": selectors.movements_of(record),
        "conversations": selectors.conversations_for(request.user, record),
        "can_manage": selectors.is_talent_lead(request.user),
    }
    if context["can_manage"]:
        context["interests"] = selectors.interests_of(record)
    return render(request, "talent/member.html", context)


def managed_member(request: HttpRequest, pk: int):
    if not selectors.is_talent_lead(request.user):
        raise PermissionDenied
    return selectors.member_for(request.user, pk)


@lead_only
def readiness(request: HttpRequest, pk: int) -> HttpResponse:
    record = managed_member(request, pk)
    return form_page(
        request,
        ReadinessForm,
        template="talent/readiness_form.html",
        context={"member": record, "cancel_url": member_url(record)},
        service=lambda form: services.readiness_change(
            member=record, actor=request.user, **form.cleaned_data
        ),
        success=lambda change: f"{record.person.full_name} is now {change.get_readiness_display().lower()}.",
        then=member_url(record),
        initial={"readiness": record.readiness, "decided_on": timezone.localdate()},
    )


@lead_only
def movement_new(request: HttpRequest, pk: int) -> HttpResponse:
    record = managed_member(request, pk)
    return form_page(
        request,
        MovementForm,
        template="talent/movement_form.html",
        context={"member": record, "cancel_url": member_url(record)},
        service=lambda form: services.movement_record(member=record, actor=request.user, **form.cleaned_data),
        success="The career movement is recorded.",
        then=member_url(record),
        region=record.region,
    )


@lead_only
def exit_pool(request: HttpRequest, pk: int) -> HttpResponse:
    record = managed_member(request, pk)
    return form_page(
        request,
        ExitForm,
        template="talent/exit_form.html",
        context={"member": record, "cancel_url": member_url(record)},
        service=lambda form: services.member_exit(member=record, actor=request.user, **form.cleaned_data),
        success=f"{record.person.full_name} has left the talent pool; their history is kept.",
        then=member_url(record),
        initial={"exited_on": timezone.localdate()},
    )


POOL_PREVIEW = PreviewTable(
    headings=["Line", "Email", "Name", "Readiness", "Account"],
    cells=lambda row: [
        row.line,
        row["email"],
        member_name(row),
        Readiness(row["readiness"]).label,
        "Existing" if row["person"] else "New",
    ],
)
MOVEMENTS_PREVIEW = PreviewTable(
    headings=["Line", "Name", "Role", "Organisation", "Date", "Kind"],
    cells=lambda row: [
        row.line,
        row["member"].person.full_name,
        row["role"],
        row["organisation"].name,
        f"{row['date']:%-d %b %Y}",
        MovementKind(row["kind"]).label + (", board level" if row["board_level"] else ""),
    ],
)


def region_import(
    request: HttpRequest, *, spec, check, service: str, table: PreviewTable, done_url: str, will_do, **context
) -> HttpResponse:
    """One of the talent imports into the lead's region on the shared import pages: `check` is its
    preview service, `service` the dotted path of its commit."""
    region = require_region(request.user)
    return import_page(
        request,
        spec=spec,
        service=service,
        check=lambda content, filename, options: check(
            region=region, content=content, filename=filename, actor=request.user
        ),
        target_id=region.pk,
        template="talent/import.html",
        context=context,
        table=table,
        done_url=done_url,
        will_do=will_do,
    )


@lead_only
def import_file(request: HttpRequest) -> HttpResponse:
    """A pool file: upload shows a preview (nothing written); 'Import' commits the same file, all or
    nothing, every bad row named with its line."""
    return region_import(
        request,
        spec=imports.POOL,
        check=services.pool_import,
        service="talent.services.pool_import_commit",
        table=POOL_PREVIEW,
        done_url=reverse("talent:pool"),
        will_do=lambda preview: (
            f"{preview.counted()} will join the talent pool, "
            f"{sum(1 for row in preview.rows if row['person'] is None):,} of them new to Academy."
        ),
        page_heading="Import a talent pool",
        other_url=reverse("talent:import_movements"),
        other_text="Import career movements instead",
    )


@lead_only
def import_movements(request: HttpRequest) -> HttpResponse:
    """A career movements file, like the pool's."""
    return region_import(
        request,
        spec=imports.MOVEMENTS,
        check=services.movements_import,
        service="talent.services.movements_import_commit",
        table=MOVEMENTS_PREVIEW,
        done_url=reverse("talent:pool"),
        will_do=lambda preview: f"{preview.counted()} will be recorded.",
        page_heading="Import career movements",
        other_url=reverse("talent:import"),
        other_text="Import a talent pool instead",
    )


WORKFORCE_PREVIEW = PreviewTable(
    headings=["Line", "System", "Date", "White", "Minority ethnic", "Not stated", "Female", "Male", "Other"],
    cells=lambda row: [
        row.line,
        row["system"].name,
        f"{row['as_of']:%-d %b %Y}",
        *[f"{row[name]:,}" for name in (*SeniorWorkforce.ETHNICITY, *SeniorWorkforce.GENDER)],
    ],
)


@lead_only
def import_workforce(request: HttpRequest) -> HttpResponse:
    """Systems' senior workforce figures from a file, like the pool's; the figures already entered for
    a system and date are replaced."""
    return region_import(
        request,
        spec=imports.WORKFORCE,
        check=services.workforce_import,
        service="talent.services.workforce_import_commit",
        table=WORKFORCE_PREVIEW,
        done_url=reverse("talent:boards"),
        will_do=lambda preview: f"{preview.counted()} will be saved.",
        page_heading="Import senior workforce figures",
        other_url=reverse("talent:workforce_new"),
        other_text="Enter one system's figures by hand instead",
    )


@require_GET
@lead_only
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    specs = {"pool": imports.POOL, "movements": imports.MOVEMENTS, "workforce": imports.WORKFORCE}
    if kind not in specs:
        raise Http404("No such import.")
    return template_download(specs[kind], fmt)


@require_GET
@lead_only
def opportunities(request: HttpRequest) -> HttpResponse:
    require_region(request.user)
    page = selectors.opportunities_page(request.user, request.GET.get("page"))
    return render(request, "talent/opportunities.html", {"page": page, "opportunities": page.object_list})


@lead_only
def opportunity_new(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    return form_page(
        request,
        OpportunityForm,
        template="talent/opportunity_form.html",
        context={"cancel_url": reverse("talent:opportunities")},
        service=lambda form: services.opportunity_create(
            region=region, actor=request.user, **form.cleaned_data
        ),
        success=lambda opportunity: f"{opportunity.role} is posted to the talent pool.",
        then=lambda opportunity: reverse("talent:opportunity", args=[opportunity.pk]),
        region=region,
    )


@require_GET
@lead_only
def opportunity(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.opportunity_for_lead(request.user, pk)
    return render(
        request,
        "talent/opportunity.html",
        {"opportunity": record, "interests": selectors.interests_for(record)},
    )


@require_POST
@lead_only
def interest_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    if move not in INTEREST_MOVES:
        raise Http404
    interest = selectors.interest_for_lead(request.user, pk)
    return run_service(
        request,
        lambda: services.interest_move(interest=interest, move=move, actor=request.user),
        success=lambda moved: f"{interest.member.person.full_name}: {moved.get_status_display().lower()}.",
        then=reverse("talent:opportunity", args=[interest.opportunity_id]),
    )


# --- The member --------------------------------------------------------------------------------------


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    record = selectors.own_membership(request.user)
    context = {"member": record}
    if record is not None:
        context.update(
            history=selectors.readiness_history(record),
            movements=selectors.movements_of(record),
            conversations=selectors.conversations_for(request.user, record),
            interests=selectors.interests_of(record),
        )
        page = selectors.open_opportunities_page(record, request.GET.get("page"))
        context.update(page=page, opportunities=page.object_list if page else [])
    return render(request, "talent/mine.html", context)


def own_active_membership(request: HttpRequest):
    record = selectors.own_membership(request.user)
    if record is None or not record.is_active:
        raise Http404
    return record


@login_required
def conversation_new(request: HttpRequest) -> HttpResponse:
    record = own_active_membership(request)
    return form_page(
        request,
        ConversationForm,
        template="talent/conversation_form.html",
        context={"cancel_url": reverse("talent:mine")},
        service=lambda form: services.conversation_record(
            member=record, actor=request.user, **form.cleaned_data
        ),
        success="Your career conversation is saved.",
        then="talent:mine",
    )


@login_required
def consent(request: HttpRequest) -> HttpResponse:
    record = own_active_membership(request)
    return form_page(
        request,
        ConsentForm,
        template="talent/consent_form.html",
        context={"member": record, "cancel_url": reverse("talent:mine")},
        service=lambda form: services.member_set_board_consent(
            member=record, actor=request.user, board_consent=form.cleaned_data["board_consent"]
        ),
        success="Your choice is saved.",
        then="talent:mine",
        initial={"board_consent": record.board_consent},
    )


@login_required
def interest_new(request: HttpRequest, pk: int) -> HttpResponse:
    record, found = selectors.open_opportunity_for_member(request.user, pk)
    return form_page(
        request,
        InterestForm,
        template="talent/interest_form.html",
        context={"opportunity": found, "cancel_url": reverse("talent:mine")},
        service=lambda form: services.interest_express(
            opportunity=found, member=record, actor=request.user, **form.cleaned_data
        ),
        success=f"Your interest in {found.role} is sent to the talent team.",
        then="talent:mine",
    )


# --- The talent board member -------------------------------------------------------------------------


@require_GET
@role_required(Role.TALENT_BOARD)
def board(request: HttpRequest) -> HttpResponse:
    systems = selectors.board_systems(request.user)
    if not systems:
        raise PermissionDenied("You have no seat on a system's talent board yet.")
    visible = selectors.members_for(request.user)
    page = selectors.board_members_page(visible, request.GET.get("page"))
    return render(
        request,
        "talent/board.html",
        {
            "systems": systems,
            "page": page,
            "members": page.object_list,
            "slates": selectors.slates(systems=systems, visible=visible),
            "diversity": selectors.slate_diversity(systems),
        },
    )
