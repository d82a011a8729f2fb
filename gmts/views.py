"""The scheme's pages: the GMTS manager's dashboard, trainees, bids and placements; the trainee's own
page and feedback; the programme and placement managers' list, confirmation and sign-off. Every
record comes through a scoped selector, so one outside the user's scope answers 404."""

from __future__ import annotations

import csv

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from academy.models import Role
from academy.pages import confirm_page, form_page
from academy.permissions import require_region, role_required
from academy.scope import Scope, nhs_year_label
from gmts import csv_import, selectors, services
from gmts.chapters import charts
from gmts.forms import (
    AssureForm,
    BidForm,
    FeedbackForm,
    FrameworkForm,
    ImportForm,
    PeriodForm,
    PlacementForm,
    SignOffForm,
    TraineeFilterForm,
    TraineeStatusForm,
    WithdrawForm,
)
from gmts.models import FeedbackStage

gmts_only = role_required(Role.GMTS_MANAGER)
signed_in = role_required()


# --- GMTS manager -----------------------------------------------------------------------------------


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
    feedback, held_back = selectors.host_feedback(region)
    starts = selectors.confirmed_placements(region, selectors.upcoming_intakes(region, today))
    at_risk = list(selectors.at_risk(region, today)[:50])
    context = {
        "period": period,
        "scope": scope,
        "figures": selectors.gmts_chapter(scope),
        "charts": charts(scope),
        "starts": starts,
        "start_rows": selectors.start_rows(starts, today),
        "at_risk": at_risk,
        "at_risk_rows": selectors.at_risk_rows(at_risk),
        "bid_rows": selectors.awaiting_rows(selectors.bids_awaiting_assurance(request.user)[:50]),
        "feedback": feedback,
        "feedback_rows": selectors.feedback_rows(feedback),
        "feedback_held_back": held_back,
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


@gmts_only
def import_file(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)

    def run(form) -> int:
        upload = form.cleaned_data["file"]
        table = csv_import.table(content=upload.read(), filename=upload.name)
        if isinstance(table, str):
            raise ValidationError({"file": table})
        importer = (
            services.trainees_import
            if form.cleaned_data["kind"] == "trainees"
            else services.placements_import
        )
        preview = importer(region=region, rows=table, actor=request.user)
        if preview.errors:
            raise ValidationError(
                [f"Line {line}: {message}" if line else message for line, message in preview.errors]
            )
        return len(preview.rows)

    return form_page(
        request,
        ImportForm,
        files=request.FILES or None,
        template="gmts/import.html",
        context={"cancel_url": reverse("gmts:trainees")},
        service=run,
        success=lambda count: f"{count} row{'' if count == 1 else 's'} imported.",
        then=reverse("gmts:trainees"),
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


@signed_in
def placement_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    placement = selectors.placement_for_manager(request.user, pk)
    return confirm_page(
        request,
        template="gmts/placement_confirm.html",
        context={"placement": placement},
        service=lambda: services.placement_confirm(placement=placement, actor=request.user),
        success=lambda p: f"{p.trainee}'s placement at {p.host} is confirmed.",
        then=reverse("gmts:trainee", args=[placement.trainee_id]),
    )


@signed_in
def placement_notify(request: HttpRequest, pk: int) -> HttpResponse:
    placement = selectors.placement_for_manager(request.user, pk)
    return confirm_page(
        request,
        template="gmts/placement_notify.html",
        context={"placement": placement},
        service=lambda: services.placement_notify_trainee(placement=placement, actor=request.user),
        success=lambda p: f"{p.trainee} has been sent the details of their placement.",
        then=reverse("gmts:trainee", args=[placement.trainee_id]),
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
