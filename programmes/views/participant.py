"""Participant pages: the offer, a programme, enrolling and applying, My learning, cancelling,
accepting an offer, feedback, calendar files and certificates."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from academy.downloads import private_download
from academy.errors import page_not_found
from academy.pages import confirm_page
from academy.permissions import person_of
from academy.views import flash_errors, run_service
from programmes import selectors, services
from programmes.calendar import sessions_ics
from programmes.forms import ApplicationForm, FeedbackForm, OfferForm
from programmes.models import EnrolmentStatus, EntryRoute
from programmes.services import EnrolmentRefused


def offer(request: HttpRequest) -> HttpResponse:
    """The offer is public: anyone may browse before signing in."""
    form = OfferForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()  # the filters that are valid apply; one with a mistake in it is shown with its error
        filters = form.cleaned_data
    page = selectors.offer_page(filters, request.GET.get("page"))
    cards = selectors.offer_cards(page.object_list)
    return render(request, "programmes/offer.html", {"form": form, "page": page, "cards": cards})


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.programme_published(slug)
    choices = selectors.programme_cohorts_for(programme, request.user)
    return render(request, "programmes/programme_detail.html", {"programme": programme, "choices": choices})


@login_required
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.published_cohort(pk)
    try:
        enrolment = services.enrolment_create(
            person=person_of(request.user), cohort=cohort, actor=request.user
        )
    except EnrolmentRefused as refused:
        flash_errors(request, refused)
        return redirect("programmes:programme", slug=cohort.programme.slug)
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        messages.info(
            request,
            f"{cohort.name} is full, so you are on the waiting list at position {enrolment.waitlist_position}. "
            "We will email you if a place comes free.",
        )
    else:
        messages.success(
            request, f"You have a place on {cohort.name}. We have emailed you a calendar invitation."
        )
    return redirect("programmes:my_learning")


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.published_cohort(pk, entry_route=EntryRoute.APPLICATION)
    form = ApplicationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        answers = {k: v for k, v in form.cleaned_data.items() if k in ("why", "contribution")}
        return run_service(
            request,
            lambda: services.application_submit(
                person=person_of(request.user),
                cohort=cohort,
                answers=answers,
                profession=form.cleaned_data["profession"],
                nominated_by_name=form.cleaned_data["line_manager_name"],
                nominated_by_email=form.cleaned_data["line_manager_email"],
                actor=request.user,
            ),
            success="Your application has been sent. You can follow it in My learning.",
            then="programmes:my_learning",
            refused=reverse("programmes:programme", args=[cohort.programme.slug]),
        )
    return render(request, "programmes/apply.html", {"form": form, "cohort": cohort})


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    learning = selectors.my_learning(person_of(request.user))
    return render(request, "programmes/my_learning.html", {"learning": learning})


# The steps a participant confirms on their own enrolment: the page that asks, the service that takes
# the step, and what is said after it ({cohort} is the cohort's name).
ENROLMENT_STEPS = {
    "cancel": ("programmes/cancel.html", services.enrolment_cancel, "Your place on {cohort} is cancelled."),
    "accept": ("programmes/accept_offer.html", services.offer_accept, "You have a place on {cohort}."),
    "invitation": (
        "programmes/accept_invitation.html",
        services.invitation_accept,
        "You have accepted the invitation: the organisers of {cohort} can now see your name and profile.",
    ),
}


@login_required
def enrolment_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    template, service, success = ENROLMENT_STEPS[step]
    enrolment = selectors.enrolment_for_participant(request.user, pk)
    return confirm_page(
        request,
        template=template,
        context={"enrolment": enrolment},
        service=lambda: service(enrolment=enrolment, actor=request.user),
        success=success.format(cohort=enrolment.cohort.name),
        then="programmes:my_learning",
    )


@login_required
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_participant(request.user, pk)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return run_service(
            request,
            lambda: services.feedback_give(enrolment=enrolment, actor=request.user, **form.cleaned_data),
            success="Thank you for your feedback.",
            then="programmes:my_learning",
        )
    return render(request, "programmes/feedback.html", {"form": form, "enrolment": enrolment})


@login_required
def session_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_calendar(request.user, pk)
    return private_download(
        sessions_ics([session]),
        filename=f"session-{session.pk}.ics",
        content_type="text/calendar; charset=utf-8",
    )


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from weasyprint import HTML

    certificate = selectors.certificate_for_participant(request.user, pk)
    verify_url = request.build_absolute_uri(reverse("programmes:certificate_verify", args=[certificate.code]))
    html = render_to_string(
        "programmes/certificate.html",
        {"certificate": certificate, "enrolment": certificate.enrolment, "verify_url": verify_url},
    )
    return private_download(
        HTML(string=html).write_pdf(),
        filename=f"certificate-{certificate.code}.pdf",
        content_type="application/pdf",
    )


@ratelimit(key="ip", rate=lambda group, request: settings.CERTIFICATE_VERIFY_RATE, block=True)
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone holding the link can check a certificate is genuine. Limited per address, so the
    references cannot be guessed by trying them all, and kept out of search engines (it names a person)."""
    try:
        certificate = selectors.certificate_by_code(code)
        response = render(request, "programmes/certificate_verify.html", {"certificate": certificate})
    except Http404:
        response = page_not_found(request)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
