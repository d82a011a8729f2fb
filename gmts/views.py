"""The scheme's pages: the GMTS manager's dashboard, trainees, bids and placements; the trainee's own
page and feedback; the programme and placement managers' list, confirmation and sign-off. Every
record comes through a scoped selector, so one outside the user's scope answers 404."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from academy.figures_cache import cached_figures
from academy.imports.pages import PreviewTable, import_page, template_download
from academy.jinja2 import nhs_date
from academy.models import Role
from academy.pages import confirm_page, form_page
from academy.permissions import require_region, role_required
from academy.scope import Scope, nhs_year_label
from academy.views import run_service
from gmts import imports, selectors, services
from gmts.chapters import charts
from gmts.forms import (
    AssureForm,
    BidForm,
    FeedbackForm,
    FrameworkForm,
    PeriodForm,
    PlacementForm,
    SignOffForm,
    TraineeCreateForm,
    TraineeFilterForm,
    TraineeStatusForm,
    WithdrawForm,
)
from gmts.models import FeedbackStage, PlacementKind, PlacementStatus

gmts_only = role_required(Role.GMTS_MANAGER)
signed_in = role_required()


# --- GMTS manager -----------------------------------------------------------------------------------


def kept_figures(scope: Scope) -> dict:
    """The dashboard's aggregates over every trainee: the period's Year in Review figures and charts
    (seven queries, two charts) and the hosts' average feedback (every response), kept in the cache until
    the scheme's data changes (academy/figures_cache.py). The live lists (confirmed placements, trainees
    to place, bids to assure) are read on every visit."""

    def compute() -> dict:
        feedback, held_back = selectors.host_feedback(scope.region)
        return {
            "figures": selectors.gmts_chapter(scope),
            "charts": charts(scope),
            "feedback": feedback,
            "feedback_rows": selectors.feedback_rows(feedback),
            "feedback_held_back": held_back,
        }

    return cached_figures("gmts-dashboard", scope, compute, app_labels=("academy", "gmts"))


@gmts_only
def dashboard(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    today = timezone.localdate()
    period = PeriodForm(request.GET or None)
    label = (
        period.cleaned_data["year"]
        if period.is_valid() and period.cleaned_data["year"]
        else nhs_year_label(today)
    )
    try:
        scope = Scope.for_nhs_year(label, region=region)
    except ValueError:
        scope = Scope.for_nhs_year(nhs_year_label(today), region=region)
    starts = selectors.confirmed_placements(region, selectors.upcoming_intakes(region, today))
    at_risk = list(selectors.at_risk(region, today)[:50])
    context = {
        "period": period,
        "scope": scope,
        **kept_figures(scope),
        "starts": starts,
        "start_rows": selectors.start_rows(starts, today),
        "at_risk": at_risk,
        "at_risk_rows": selectors.at_risk_rows(at_risk),
        "bid_rows": selectors.awaiting_rows(selectors.bids_awaiting_assurance(request.user)[:50]),
        "today": today,
    }
    return render(request, "gmts/dashboard.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = [
    "Email",
    "First name",
    "Last name",
    "Intake",
    "Specialism",
    "Status",
    "Programme manager",
    "Current host",
]


@gmts_only
def trainee_list(request: HttpRequest) -> HttpResponse:
    form = TraineeFilterForm(request.GET or None, intakes=selectors.intakes_for_gmts(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.trainee_list(request.user, filters)
    if request.GET.get("format") == "csv":
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            (
                writer.writerow(row)
                for row in [CSV_HEADER, *selectors.trainee_csv_rows(selectors.with_outlook(rows))]
            ),
            content_type="text/csv",
        )
        response["Content-Disposition"] = 'attachment; filename="gmts-trainees.csv"'
        return response
    page = selectors.trainee_page(rows, request.GET.get("page"))
    context = {"form": form, "page": page, "rows": selectors.trainee_list_rows(page.object_list)}
    return render(request, "gmts/trainee_list.html", context)


@gmts_only
def trainee_create(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    fields = ("email", "first_name", "last_name", "intake", "specialism", "programme_manager")
    return form_page(
        request,
        TraineeCreateForm,
        intakes=selectors.intakes_for_gmts(request.user).order_by("-starts_on"),
        template="gmts/trainee_form.html",
        context={"cancel_url": reverse("gmts:trainees")},
        service=lambda form: services.trainee_add(
            region=region, actor=request.user, **{name: form.cleaned_data[name] for name in fields}
        ),
        success=lambda t: f"{t} is on the scheme: {t.intake.label}, {t.specialism}.",
        then=lambda t: reverse("gmts:trainee", args=[t.pk]),
    )


@gmts_only
def bid_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.bids_for_gmts(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "gmts/bid_list.html", {"page": page, "rows": selectors.bid_rows(page)})


@gmts_only
def bid_assure(request: HttpRequest, pk: int) -> HttpResponse:
    bid = selectors.bid_for_gmts(request.user, pk)
    return form_page(
        request,
        AssureForm,
        template="gmts/bid_assure.html",
        context={"bid": bid, "cancel_url": reverse("gmts:bids")},
        service=lambda form: services.bid_assure(
            bid=bid,
            approve=form.cleaned_data["decision"] == "approve",
            places_approved=form.cleaned_data["places_approved"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        ),
        success=lambda bid: f"The bid from {bid.lead_organisation} is {bid.get_status_display().lower()}.",
        then=reverse("gmts:dashboard"),
    )


@gmts_only
def placement_create(request: HttpRequest, pk: int) -> HttpResponse:
    trainee = selectors.trainee_for(request.user, pk)
    return form_page(
        request,
        PlacementForm,
        bids=selectors.open_bids_for(trainee),
        template="gmts/placement_form.html",
        context={"trainee": trainee, "cancel_url": reverse("gmts:trainee", args=[pk])},
        service=lambda form: services.placement_propose(
            trainee=trainee, actor=request.user, **form.cleaned_data
        ),
        success=lambda placement: (
            f"{placement.get_kind_display()} at {placement.host} proposed. The host confirms it."
        ),
        then=reverse("gmts:trainee", args=[pk]),
    )


@gmts_only
def bid_create(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    fields = ("intake", "lead_organisation", "partners", "kind", "places_requested", "funding_commitment")
    return form_page(
        request,
        BidForm,
        region=region,
        template="gmts/bid_form.html",
        context={"cancel_url": reverse("gmts:bids")},
        service=lambda form: services.bid_submit(
            programme_manager=form.cleaned_data["programme_manager"],
            placement_manager=form.cleaned_data["placement_manager"],
            actor=request.user,
            **{name: form.cleaned_data[name] for name in fields},
        ),
        success=lambda bid: f"The bid from {bid.lead_organisation} is recorded and awaits assurance.",
        then=reverse("gmts:bids"),
    )


@gmts_only
def trainee_status(request: HttpRequest, pk: int) -> HttpResponse:
    trainee = selectors.trainee_for(request.user, pk)
    return form_page(
        request,
        TraineeStatusForm,
        initial={"status": trainee.status, "reason": trainee.status_reason},
        template="gmts/trainee_status.html",
        context={"trainee": trainee, "cancel_url": reverse("gmts:trainee", args=[pk])},
        service=lambda form: services.trainee_set_status(
            trainee=trainee, actor=request.user, **form.cleaned_data
        ),
        success=lambda t: f"{t} is now {t.get_status_display().lower()}.",
        then=reverse("gmts:trainee", args=[pk]),
    )


@gmts_only
def placement_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    placement = selectors.placement_for_manager(request.user, pk)
    return form_page(
        request,
        WithdrawForm,
        template="gmts/placement_withdraw.html",
        context={"placement": placement, "cancel_url": reverse("gmts:trainee", args=[placement.trainee_id])},
        service=lambda form: services.placement_withdraw(
            placement=placement, actor=request.user, **form.cleaned_data
        ),
        success="The placement is withdrawn and its place on the bid is free again.",
        then=reverse("gmts:trainee", args=[placement.trainee_id]),
    )


@gmts_only
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    specialism = selectors.specialism_for_gmts(request.user, pk)
    return form_page(
        request,
        FrameworkForm,
        initial={"competencies": "\n".join(specialism.competencies)},
        template="gmts/framework_form.html",
        context={"specialism": specialism, "cancel_url": reverse("gmts:dashboard")},
        service=lambda form: services.specialism_set_competencies(
            specialism=specialism,
            competencies=form.cleaned_data["competencies"].splitlines(),
            actor=request.user,
        ),
        success=lambda s: f"The {s} framework has been saved.",
        then=reverse("gmts:dashboard"),
    )


TRAINEES_TABLE = PreviewTable(
    headings=["Line", "Email", "Name", "Intake", "Specialism", "Account"],
    cells=lambda row: [
        row.line,
        row["email"],
        row["person"].full_name if row["person"] else f"{row['first_name']} {row['last_name']}",
        row["intake"].label,
        row["specialism"].name,
        "Existing" if row["person"] else "New",
    ],
)
PLACEMENTS_TABLE = PreviewTable(
    headings=["Line", "Trainee", "Host", "Kind", "Dates", "Status"],
    cells=lambda row: [
        row.line,
        row["trainee"].person.full_name,
        row["host_organisation"].name,
        PlacementKind(row["kind"]).label,
        f"{nhs_date(row['start'])} to {nhs_date(row['end'])}",
        PlacementStatus(row["status"]).label,
    ],
)
IMPORTS = {"trainees": imports.TRAINEES, "placements": imports.PLACEMENTS}


@gmts_only
def import_file(request: HttpRequest) -> HttpResponse:
    """Trainees: upload shows a preview (nothing written); "Import" commits the same file, all or none."""
    region = require_region(request.user)
    return import_page(
        request,
        spec=imports.TRAINEES,
        service="gmts.services.trainees_import_commit",
        check=lambda content, filename, options: services.trainees_import(
            region=region, content=content, filename=filename, actor=request.user
        ),
        target_id=region.pk,
        template="gmts/import.html",
        context={"template_kind": "trainees", "other": ("placements", reverse("gmts:placement_import"))},
        table=TRAINEES_TABLE,
        done_url=reverse("gmts:trainees"),
        will_do=lambda preview: (
            f"{preview.counted()} will be added to the scheme, "
            f"{sum(1 for row in preview.rows if row['person'] is None):,} of them new to Academy."
        ),
    )


@gmts_only
def placement_import(request: HttpRequest) -> HttpResponse:
    """Placements: upload, preview, then commit the same file, all or none."""
    region = require_region(request.user)
    return import_page(
        request,
        spec=imports.PLACEMENTS,
        service="gmts.services.placements_import_commit",
        check=lambda content, filename, options: services.placements_import(
            region=region, content=content, filename=filename, actor=request.user
        ),
        target_id=region.pk,
        template="gmts/import.html",
        context={"template_kind": "placements", "other": ("trainees", reverse("gmts:import"))},
        table=PLACEMENTS_TABLE,
        done_url=reverse("gmts:trainees"),
        will_do=lambda preview: f"{preview.counted()} will be recorded.",
    )


@gmts_only
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in IMPORTS:
        raise Http404("No such import")
    return template_download(IMPORTS[kind], fmt)


@gmts_only
def quotes(request: HttpRequest) -> HttpResponse:
    """The candidate quotes for the chapter, 50 a page, each with its choose / take out button."""
    page = Paginator(selectors.quotes_for_gmts(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "gmts/quotes.html", {"page": page, "rows": selectors.quote_rows(page)})


@gmts_only
@require_POST
def quote_choose(request: HttpRequest, pk: int) -> HttpResponse:
    quote = selectors.quote_for_gmts(request.user, pk)
    chosen = request.POST.get("chosen") == "yes"
    return run_service(
        request,
        lambda: services.quote_choose(quote=quote, chosen=chosen, actor=request.user),
        success=lambda q: (
            f"{q.name}'s words are {'in' if chosen else 'out of'} the Year in Review's GMTS chapter."
        ),
        then=reverse("gmts:quotes"),
    )


# --- trainees' records: GMTS manager, programme and placement managers ---------------------------


@signed_in
def trainee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    trainee = selectors.trainee_for(request.user, pk)
    placements = selectors.placements_of(trainee)
    progress = selectors.progress_of(trainee)
    actions = selectors.placement_actions(request.user, placements)
    context = {
        "trainee": trainee,
        "actions": actions,
        "placement_rows": selectors.placement_rows(placements, actions),
        "progress": progress,
        "progress_rows": selectors.progress_rows(progress),
        "is_gmts": selectors.is_gmts_manager(request.user),
    }
    return render(request, "gmts/trainee_detail.html", context)


@signed_in
def managed(request: HttpRequest) -> HttpResponse:
    trainees = Paginator(selectors.trainees_for_manager(request.user), 50).get_page(request.GET.get("page"))
    to_confirm = Paginator(selectors.placements_to_confirm(request.user), 50).get_page(
        request.GET.get("confirm_page")
    )
    context = {
        "page": trainees,
        "trainee_rows": selectors.managed_rows(trainees),
        "to_confirm": to_confirm,
        "to_confirm_rows": selectors.to_confirm_rows(to_confirm),
    }
    return render(request, "gmts/managed.html", context)


def _placement_step(
    request: HttpRequest, pk: int, *, heading: str, action: str, service, success
) -> HttpResponse:
    """A step its manager confirms on the placement's page: `heading` names the trainee as {name},
    `action` is the button, `service(placement=, actor=)` takes the step."""
    placement = selectors.placement_for_manager(request.user, pk)
    return confirm_page(
        request,
        template="gmts/placement_step.html",
        context={
            "placement": placement,
            "heading": heading.format(name=placement.trainee.person.full_name),
            "action": action,
        },
        service=lambda: service(placement=placement, actor=request.user),
        success=success,
        then=reverse("gmts:trainee", args=[placement.trainee_id]),
    )


@signed_in
def placement_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _placement_step(
        request,
        pk,
        heading="Confirm {name}'s placement",
        action="Confirm the placement",
        service=services.placement_confirm,
        success=lambda p: f"{p.trainee}'s placement at {p.host} is confirmed.",
    )


@signed_in
def placement_notify(request: HttpRequest, pk: int) -> HttpResponse:
    return _placement_step(
        request,
        pk,
        heading="Send {name} their placement",
        action="Send the details to the trainee",
        service=services.placement_notify_trainee,
        success=lambda p: f"{p.trainee} has been sent the details of their placement.",
    )


@signed_in
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    placement = selectors.placement_to_sign_off(request.user, pk)
    trainee = placement.trainee
    return form_page(
        request,
        SignOffForm,
        files=request.FILES or None,
        competencies=selectors.competencies_to_sign(trainee),
        template="gmts/sign_off.html",
        context={"placement": placement, "cancel_url": reverse("gmts:trainee", args=[trainee.pk])},
        service=lambda form: services.competency_sign_off(
            placement=placement, actor=request.user, **form.cleaned_data
        ),
        success=lambda s: f"{s.competency} is signed off for {trainee}.",
        then=reverse("gmts:trainee", args=[trainee.pk]),
    )


# --- the trainee ------------------------------------------------------------------------------------


@signed_in
def mine(request: HttpRequest) -> HttpResponse:
    trainee = selectors.own_trainee(request.user)
    if trainee is None:  # a page, not a 404: everyone signed in is offered the link
        return render(request, "gmts/not_a_trainee.html")
    placements = selectors.placements_of(trainee)
    progress = selectors.progress_of(trainee)
    context = {
        "trainee": trainee,
        "placement_rows": selectors.placement_rows(placements),
        "progress": progress,
        "progress_rows": selectors.progress_rows(progress),
        "feedback_due": selectors.feedback_due(trainee, placements),
    }
    return render(request, "gmts/mine.html", context)


@signed_in
def feedback(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    placement = selectors.placement_for_trainee(request.user, pk)
    if stage not in FeedbackStage.values:
        raise Http404("No such feedback stage.")
    stage = FeedbackStage(stage)
    return form_page(
        request,
        FeedbackForm,
        template="gmts/feedback.html",
        context={"placement": placement, "stage": stage, "cancel_url": reverse("gmts:mine")},
        service=lambda form: services.feedback_give(
            placement=placement, stage=stage, actor=request.user, **form.cleaned_data
        ),
        success="Thank you: your feedback has been recorded.",
        then=reverse("gmts:mine"),
    )
