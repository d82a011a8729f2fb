from __future__ import annotations

import contextlib
import copy
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from academy import audit
from academy import health as health_checks
from academy.filters import AuditEntryFilter
from academy.forms import ErasureFindForm, ErasureForm, ProfileForm, add_service_errors
from academy.imports import pages as imports_pages
from academy.models import ImportRun
from academy.navigation import role_sections_for
from academy.once import REPLAYED
from academy.once import claim as once_claim
from academy.once import record as once_record
from academy.permissions import can_erase_people, can_read_audit_log, permission_required, person_of
from academy.selectors import (
    audit_entries_for,
    erasure_entry,
    erasure_held,
    organisations_matching,
    person_for_erasure,
    person_for_erasure_by_email,
)
from academy.services import PROFILE_FIELDS, person_erase, person_export, person_update_profile


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "academy/landing.html")
    person = person_of(request.user)
    return render(
        request,
        "academy/home.html",
        {"person": person, "sections": role_sections_for(request.user)},
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    # The form gets its own copy: a ModelForm writes the cleaned values onto its instance while
    # validating, and the service must compare them with the stored ones to know what changed.
    form = ProfileForm(request.POST or None, instance=copy.copy(person))
    if request.method == "POST" and form.is_valid():
        person_update_profile(
            person=person,
            actor=request.user,
            **{name: form.cleaned_data[name] for name in PROFILE_FIELDS if name in form.cleaned_data},
        )
        messages.success(request, "Your profile has been saved.")
        return redirect("academy:home")
    return render(request, "academy/profile.html", {"form": form, "person": person})


@require_POST
@login_required
def profile_download(request: HttpRequest) -> HttpResponse:
    """Everything held about the signed-in person, as one zip (UK GDPR right of access)."""
    person = person_of(request.user)
    content = person_export(person=person, actor=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="my-academy-data.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "academy/privacy.html",
        {
            "inactive_years": settings.RETENTION_INACTIVE_YEARS,
            "certificate_years": settings.RETENTION_LAPSED_COACH_CERTIFICATE_YEARS,
        },
    )


@require_GET
@login_required
@ratelimit(key="user_or_ip", rate=lambda group, request: settings.ORGANISATION_SEARCH_RATE, block=True)
def organisation_search(request: HttpRequest) -> JsonResponse:
    """The organisation chooser's suggestions (static/academy/autocomplete.js): open organisations
    whose name holds `q` or whose ODS code starts with it, at most 20, as JSON."""
    text = request.GET.get("q", "").replace("\x00", "")
    found = organisations_matching(text)
    return JsonResponse({"results": [{"id": o.pk, "label": o.label} for o in found]})


@permission_required(can_read_audit_log)
def audit_log(request: HttpRequest) -> HttpResponse:
    filterset = AuditEntryFilter(request.GET or None, queryset=audit_entries_for(request.user))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "academy/audit_log.html",
        {
            "filter": filterset,
            "page": page,
            "describe": audit.describe,
            "action_in_words": audit.action_in_words,
        },
    )


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer; 503 naming the part that is down."""
    results = health_checks.run_all()
    down = [name for name, ok in results.items() if not ok]
    return JsonResponse(
        {
            "status": "ok" if not down else "unavailable",
            "checks": {k: "ok" if v else "down" for k, v in results.items()},
            "down": down,
        },
        status=503 if down else 200,
    )


def admin_login_redirect(request: HttpRequest) -> HttpResponse:
    """Django admin signs in through allauth, so MFA and rate limits apply there too."""
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(request.GET.get("next", "/admin/"))


def flash_errors(request: HttpRequest, error) -> None:
    """A service's refusal on a page with no form: each reason becomes an error message."""
    for message in error.messages:
        messages.error(request, message)


T = TypeVar("T")


def run_service(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    then: str | Callable[[T], str],
    form=None,
    refused: str | None = None,
    once: uuid.UUID | None = None,
) -> HttpResponse | None:
    """The end of an action view: call the service; on success show `success` and redirect to `then`
    (a URL or a view name; either may be worked out from the service's result). A refusal
    (ValidationError) becomes the form's errors when there is a `form`, and None is returned so the
    page re-renders; without a form each reason becomes an error message and the redirect goes to
    `refused` (by default `then`). With `once` (a create form's one-time token, academy.once) the
    token is claimed with the service's write: sent again, nothing is called and the person goes to
    what the first send made."""
    try:
        # With a token, its claim and the service's write are one transaction (services are atomic anyway).
        with transaction.atomic() if once else contextlib.nullcontext():
            earlier = once_claim(once, request.user) if once else None
            if earlier is not None:
                messages.info(request, REPLAYED)
                return redirect(earlier.result_url or refused or _resolve(then, None))
            result = call()
            if once:
                once_record(once, resolve_url(_resolve(then, result)))
    except ValidationError as refusal:
        if form is not None:
            add_service_errors(form, refusal)
            return None
        flash_errors(request, refusal)
        return redirect(refused or _resolve(then, None))
    messages.success(request, _resolve(success, result))
    return redirect(_resolve(then, result))


def _resolve(value: Any, result: Any) -> Any:
    return value(result) if callable(value) else value


@require_POST
@login_required
def session_keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in" in the timeout warning: this signed-in request starts the idle time again.
    Answers the seconds left (the 12-hour limit may come first) for the page's timer."""
    request.session.modified = True  # saved with a new expiry, whatever SESSION_SAVE_EVERY_REQUEST says
    response = HttpResponse(status=204)
    response["Session-Expires-In"] = str(request.session_timeout.expires_in)
    return response


@require_POST
def session_timed_out(request: HttpRequest) -> HttpResponse:
    """Where the timeout warning sends the page when its time runs out: signed out (if the session has
    not already ended), told why, and back to where they were once they sign in again."""
    logout(request)
    messages.info(request, "You were signed out because you were inactive.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect_to_login(next_url)


@login_required
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress page of a large import: only its uploader sees it."""
    run = get_object_or_404(ImportRun, pk=pk, created_by=request.user)
    return render(request, "academy/import_run.html", {"run": run, "status": imports_pages.run_status(run)})


@login_required
def import_run_status(request: HttpRequest, pk: int) -> JsonResponse:
    run = get_object_or_404(ImportRun, pk=pk, created_by=request.user)
    response = JsonResponse(imports_pages.run_status(run))
    response["Cache-Control"] = "no-store"
    return response


# --- Erasure on request (UK GDPR article 17): find the person, confirm, done -----------------------


@permission_required(can_erase_people)
@require_GET
def erasure_find(request: HttpRequest) -> HttpResponse:
    """Find someone of the lead's region by email. Nobody, and someone of another region, get the same
    answer."""
    form = ErasureFindForm(request.GET or None)
    if form.is_valid():
        person = person_for_erasure_by_email(request.user, form.cleaned_data["email"])
        if person is not None:
            return redirect("academy:erasure_confirm", pk=person.pk)
        form.add_error("email", "No one in your region has that email address")
    return render(request, "academy/erasure_find.html", {"form": form})


@permission_required(can_erase_people)
def erasure_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """What will be removed and what kept, then the request's reference; the erasure is audited."""
    person = person_for_erasure(request.user, pk)
    if person.erased_at is not None:
        return redirect("academy:erasure_done", pk=person.pk)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: person_erase(person=person, actor=request.user, reason=form.cleaned_data["reference"]),
            form=form,
            success="The person's data has been erased.",
            then=reverse("academy:erasure_done", args=[person.pk]),
        )
        if done:
            return done
    return render(
        request,
        "academy/erasure_confirm.html",
        {"person": person, "form": form, "held": erasure_held(person)},
    )


@permission_required(can_erase_people)
@require_GET
def erasure_done(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for_erasure(request.user, pk)
    if person.erased_at is None:
        return redirect("academy:erasure_confirm", pk=person.pk)
    return render(request, "academy/erasure_done.html", {"person": person, "entry": erasure_entry(person)})
