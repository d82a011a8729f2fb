"""Development Assessment Centres: the talent lead's centres, nominations, bookings and panel outcomes;
the assessors' ratings; each participant's own feedback report (PDF)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from academy.downloads import private_download
from academy.models import Role
from academy.pages import form_page
from academy.permissions import require_region, role_required
from academy.views import run_service
from talent import selectors, services
from talent.forms import CentreForm, NominateForm, OutcomeForm, RatingForm
from talent.models import BookingStatus

lead_only = role_required(Role.TALENT_LEAD)


def centre_url(centre_id: int) -> str:
    return reverse("talent:centre", args=[centre_id])


@require_GET
@lead_only
def centres(request: HttpRequest) -> HttpResponse:
    require_region(request.user)
    return render(
        request,
        "talent/centres.html",
        {"centres": list(selectors.centres_for_lead(request.user)), "today": timezone.localdate()},
    )


@lead_only
def centre_new(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    return form_page(
        request,
        CentreForm,
        template="talent/centre_form.html",
        context={"cancel_url": reverse("talent:centres")},
        service=lambda form: services.centre_create(region=region, actor=request.user, **form.cleaned_data),
        success=lambda centre: f"{centre.title} is set up.",
        then=lambda centre: centre_url(centre.pk),
        region=region,
    )


@require_GET
@lead_only
def centre(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.centre_for_lead(request.user, pk)
    return render(
        request,
        "talent/centre.html",
        {
            "centre": found,
            "bookings": selectors.centre_bookings(found),
            "places_left": max(0, found.places - found.booked),
            "past": found.held_on < timezone.localdate(),
        },
    )


@lead_only
def centre_nominate(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.centre_for_lead(request.user, pk)
    return form_page(
        request,
        NominateForm,
        template="talent/nominate_form.html",
        context={"centre": found, "cancel_url": centre_url(found.pk)},
        service=lambda form: services.booking_nominate(
            centre=found, person=form.cleaned_data["email"], actor=request.user
        ),
        success=lambda booking: f"{booking.person.full_name} is nominated.",
        then=centre_url(found.pk),
        region=found.region,
    )


@require_POST
@lead_only
def booking_book(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_for_lead(request.user, pk)
    return run_service(
        request,
        lambda: services.booking_book(booking=booking, actor=request.user),
        success=f"{booking.person.full_name} has a place.",
        then=centre_url(booking.centre_id),
    )


@lead_only
def booking_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_for_lead(request.user, pk)
    return form_page(
        request,
        OutcomeForm,
        template="talent/outcome_form.html",
        context={
            "booking": booking,
            "ratings": selectors.ratings_of(booking),
            "cancel_url": centre_url(booking.centre_id),
        },
        service=lambda form: services.panel_outcome_record(
            booking=booking, actor=request.user, **form.cleaned_data
        ),
        success=f"The panel's outcome for {booking.person.full_name} is recorded.",
        then=centre_url(booking.centre_id),
    )


@login_required
def rating_new(request: HttpRequest, pk: int) -> HttpResponse:
    """An assessor rates one exercise of a booked person against one domain (the talent lead may
    record an assessor's rating for them)."""
    booking, assessors, as_lead = selectors.booking_for_rater(request.user, pk)
    back = centre_url(booking.centre_id) if as_lead else reverse("talent:assessing")
    return form_page(
        request,
        RatingForm,
        template="talent/rating_form.html",
        context={"booking": booking, "ratings": selectors.ratings_of(booking), "cancel_url": back},
        service=lambda form: services.rating_record(booking=booking, actor=request.user, **form.cleaned_data),
        success="The rating is saved.",
        then=reverse("talent:rating_new", args=[booking.pk]),
        assessors=assessors,
        initial={"assessor": assessors[0].pk} if len(assessors) == 1 else None,
    )


@require_GET
@login_required
def assessing(request: HttpRequest) -> HttpResponse:
    return render(request, "talent/assessing.html", {"centres": selectors.centres_assessed_by(request.user)})


@require_GET
@login_required
def my_centres(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "talent/my_centres.html",
        {"bookings": selectors.own_bookings(request.user), "attended": BookingStatus.ATTENDED},
    )


@require_GET
@login_required
def feedback_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant's own feedback report from a centre, as a PDF (theirs only)."""
    from weasyprint import HTML

    booking, domains = selectors.own_feedback(request.user, pk)
    html = render_to_string(
        "talent/feedback_report.html",
        {"booking": booking, "centre": booking.centre, "domains": domains, "today": timezone.localdate()},
    )
    return private_download(
        HTML(string=html).write_pdf(),
        filename=f"assessment-centre-feedback-{booking.pk}.pdf",
        content_type="application/pdf",
    )
