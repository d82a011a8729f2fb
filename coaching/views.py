"""Pages of the coaching app: authorise, validate, call a service, redirect or render."""

from __future__ import annotations

import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from academy.downloads import private_csv, private_file
from academy.models import Role
from academy.pages import form_page
from academy.permissions import is_programme_staff, person_of, require_region, role_required
from academy.views import run_service
from coaching import selectors, services
from coaching.filters import RegisterFilter
from coaching.forms import (
    AddAttendeeForm,
    ApplyForm,
    CloseForm,
    CoachingRequestForm,
    ConfirmAttendanceForm,
    ConfirmForm,
    CPDEventForm,
    CPDLogForm,
    OfferForm,
    ProfileUpdateForm,
    QualificationForm,
    RecordingForm,
    ReflectiveNoteForm,
    ReviewForm,
    ScheduleSupervisionForm,
    SessionLogForm,
    SupervisionLogForm,
)
from coaching.models import CoachProfile, ProfileStatus, RelationshipStatus

staff_only = role_required(Role.PROGRAMME_STAFF)
supervisor_only = role_required(Role.SUPERVISOR)


def _coach_profile(request: HttpRequest) -> CoachProfile:
    """The signed-in person's own register entry; pages for coaches need one. Without one the page is
    refused (403), not hidden: it is a page for a role the person does not have yet."""
    profile = selectors.own_profile(request.user)
    if profile is None:
        raise PermissionDenied("Apply to the coach and mentor register first.")
    return profile


# --- The coach ---------------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    profile = selectors.own_profile(request.user)
    if profile is None:
        return redirect("coaching:apply")
    return render(request, "coaching/mine.html", selectors.coach_home(profile))


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    profile = selectors.own_profile(request.user)
    if profile is not None and profile.status not in (
        ProfileStatus.MORE_INFO_REQUESTED,
        ProfileStatus.DECLINED,
    ):
        return redirect("coaching:mine")
    form = ApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.coach_apply(person=person, actor=request.user, **form.cleaned_data),
            form=form,
            success="Thank you: your application has been sent to the academy team.",
            then="coaching:mine",
        )
        if done:
            return done
    return render(request, "coaching/apply.html", {"form": form, "profile": profile, "person": person})


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = _coach_profile(request)
    initial = {
        f: getattr(profile, f) for f in ("specialisms", "capacity", "availability", "availability_notes")
    }
    form = ProfileUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.coach_update(profile=profile, actor=request.user, **form.cleaned_data)
        messages.success(request, "Your register entry has been updated.")
        return redirect("coaching:mine")
    return render(request, "coaching/profile_edit.html", {"form": form})


@login_required
def qualification_new(request: HttpRequest) -> HttpResponse:
    profile = _coach_profile(request)
    form = QualificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.qualification_add(
                profile=profile,
                kind=data["qualification_kind"],
                title=data["qualification_title"],
                awarded_on=data["awarded_on"],
                certificate=data["certificate"],
                actor=request.user,
            ),
            form=form,
            success="Your qualification has been added.",
            then="coaching:mine",
        )
        if done:
            return done
    return render(request, "coaching/qualification_form.html", {"form": form})


@login_required
def certificate(request: HttpRequest, pk: int) -> FileResponse:
    qualification = selectors.qualification_for_certificate(request.user, pk)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[
        qualification.certificate_content_type
    ]
    return private_file(
        qualification.certificate.open("rb"),
        content_type=qualification.certificate_content_type,
        filename=f"certificate-{qualification.pk}.{extension}",
    )


@login_required
def supervision_log(request: HttpRequest) -> HttpResponse:
    profile = _coach_profile(request)
    return form_page(
        request,
        SupervisionLogForm,
        template="coaching/supervision_log.html",
        service=lambda form: services.supervision_log(
            profile=profile, actor=request.user, **form.cleaned_data
        ),
        success="Your supervision has been logged.",
        then="coaching:mine",
    )


@login_required
def notes(request: HttpRequest) -> HttpResponse:
    profile = _coach_profile(request)
    page = Paginator(selectors.reflective_notes_of(profile), 20).get_page(request.GET.get("page"))
    return render(request, "coaching/notes.html", {"page": page})


@login_required
def note_new(request: HttpRequest) -> HttpResponse:
    profile = _coach_profile(request)
    return form_page(
        request,
        ReflectiveNoteForm,
        template="coaching/note_form.html",
        service=lambda form: services.reflective_note_write(
            profile=profile, actor=request.user, **form.cleaned_data
        ),
        success="Your note has been saved. Only you can read it.",
        then="coaching:notes",
    )


@login_required
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = selectors.reflective_note_for_owner(request.user, pk)
    return render(request, "coaching/note_detail.html", {"note": note})


# --- CPD ---------------------------------------------------------------------------------------------


@login_required
def cpd(request: HttpRequest) -> HttpResponse:
    profile = selectors.own_profile(request.user)
    page = Paginator(selectors.cpd_events_for(request.user), 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "profile": profile,
        "attended": selectors.cpd_attended_event_ids(profile),
        "is_staff": is_programme_staff(request.user),
        "now": timezone.now(),
    }
    return render(request, "coaching/cpd.html", context)


@staff_only
def cpd_event_new(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    return form_page(
        request,
        CPDEventForm,
        template="coaching/cpd_event_form.html",
        service=lambda form: services.cpd_event_create(
            region=region, actor=request.user, **form.cleaned_data
        ),
        success="The webinar has been added.",
        then="coaching:cpd",
    )


@staff_only
def cpd_recording(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.cpd_event_for_staff(request.user, pk)
    return form_page(
        request,
        RecordingForm,
        template="coaching/cpd_recording.html",
        context={"event": event},
        service=lambda form: services.cpd_event_add_recording(
            event=event, actor=request.user, **form.cleaned_data
        ),
        success="The recording link has been added.",
        then="coaching:cpd",
        initial={"recording_url": event.recording_url},
    )


@require_POST
@login_required
def cpd_attend(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _coach_profile(request)
    event = selectors.cpd_events_for(request.user).filter(pk=pk).first()
    if event is None:
        raise Http404
    return run_service(
        request,
        lambda: services.cpd_attend(
            event=event, profile=profile, watched_recording="recording" in request.POST, actor=request.user
        ),
        success=f"“{event.title}” has been added to your CPD.",
        then="coaching:cpd",
    )


@login_required
def cpd_log(request: HttpRequest) -> HttpResponse:
    profile = _coach_profile(request)
    return form_page(
        request,
        CPDLogForm,
        template="coaching/cpd_log.html",
        service=lambda form: services.cpd_log(profile=profile, actor=request.user, **form.cleaned_data),
        success="Your CPD has been logged.",
        then="coaching:mine",
    )


# --- Participants: finding a coach and their relationships ------------------------------------------


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    context = {
        "page": selectors.directory_page(request.user, request.GET.get("page")),
        "requests": selectors.requests_of(person),
        "relationships": selectors.relationships_as_coachee(person),
        "person": person,
    }
    return render(request, "coaching/directory.html", context)


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    return form_page(
        request,
        CoachingRequestForm,
        template="coaching/request_form.html",
        service=lambda form: services.coaching_request_create(
            requester=person, actor=request.user, **form.cleaned_data
        ),
        success="Your request has been sent. The academy team will suggest a match.",
        then="coaching:directory",
    )


@login_required
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    coaching_request = selectors.request_of_requester(request.user, pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.coaching_request_withdraw(coaching_request=coaching_request, actor=request.user),
            form=form,
            success="Your request has been withdrawn.",
            then="coaching:directory",
        )
        if done:
            return done
    return render(
        request, "coaching/request_withdraw.html", {"form": form, "coaching_request": coaching_request}
    )


@login_required
def relationship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = selectors.relationship_for_party(request.user, pk)
    person = person_of(request.user)
    context = {
        "relationship": relationship,
        "sessions": selectors.sessions_of(relationship),
        "is_coach": relationship.coach.person_id == person.pk,
        "form": SessionLogForm(initial={"held_on": timezone.localdate()}),
    }
    return render(request, "coaching/relationship_detail.html", context)


@require_POST
@login_required
def relationship_answer(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    relationship = selectors.relationship_for_party(request.user, pk)
    service = services.relationship_accept if answer == "accept" else services.relationship_decline
    try:
        service(relationship=relationship, coach_person=person_of(request.user), actor=request.user)
    except ValidationError as error:
        # 403, not 404: a party to the relationship may see it, but only the coach offered may answer.
        raise PermissionDenied(" ".join(error.messages)) from error
    messages.success(request, "You have accepted." if answer == "accept" else "You have declined the offer.")
    return redirect("coaching:relationship", pk=pk) if answer == "accept" else redirect("coaching:mine")


@login_required
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = selectors.relationship_for_party(request.user, pk)
    return form_page(
        request,
        SessionLogForm,
        template="coaching/session_form.html",
        context={"relationship": relationship},
        service=lambda form: services.session_log(
            relationship=relationship, person=person_of(request.user), actor=request.user, **form.cleaned_data
        ),
        success="The session has been logged.",
        then=reverse("coaching:relationship", args=[pk]),
    )


@login_required
def relationship_close(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = selectors.relationship_for_party(request.user, pk)
    if relationship.status != RelationshipStatus.ACTIVE:
        return redirect("coaching:relationship", pk=pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.relationship_close(
            relationship=relationship, person=person_of(request.user), actor=request.user, **form.cleaned_data
        )
        messages.success(request, "The relationship has been closed. Thank you for your evaluation.")
        return redirect("coaching:relationship", pk=pk)
    return render(request, "coaching/relationship_close.html", {"form": form, "relationship": relationship})


# --- Supervisors ---------------------------------------------------------------------------------------


@supervisor_only
def supervision_sessions(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.supervision_sessions_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "coaching/supervision_sessions.html", {"page": page, "now": timezone.now()})


@supervisor_only
def supervision_new(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        ScheduleSupervisionForm,
        template="coaching/supervision_form.html",
        service=lambda form: services.supervision_schedule(
            supervisor=person_of(request.user), actor=request.user, **form.cleaned_data
        ),
        success="Group supervision has been scheduled. Now add up to 8 coaches.",
        then=lambda session: reverse("coaching:supervision", args=[session.pk]),
    )


@supervisor_only
def supervision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.supervision_session_for_supervisor(request.user, pk)
    attendees = selectors.attendees_of(session)
    add_form = AddAttendeeForm(request.POST or None, coaches=selectors.coaches_to_add(session), prefix="add")
    if request.method == "POST" and add_form.is_valid():
        done = run_service(
            request,
            lambda: services.supervision_add_attendee(
                session=session, profile=add_form.cleaned_data["profile"], actor=request.user
            ),
            form=add_form,
            success="The coach has been added to the group.",
            then=reverse("coaching:supervision", args=[pk]),
        )
        if done:
            return done
    confirm_form = ConfirmAttendanceForm(
        attendees=attendees,
        prefix="confirm",
        initial={
            "attended": [str(a.profile_id) for a in attendees if a.attended],
            "themes": session.themes,
            "functions": session.functions,
        },
    )
    context = {
        "session": session,
        "attendees": attendees,
        "add_form": add_form,
        "confirm_form": confirm_form,
        "started": session.starts_at <= timezone.now(),
        **selectors.supervision_group(session, attendees),
    }
    return render(request, "coaching/supervision_detail.html", context)


@require_POST
@supervisor_only
def supervision_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.supervision_session_for_supervisor(request.user, pk)
    attendees = selectors.attendees_of(session)
    form = ConfirmAttendanceForm(request.POST, attendees=attendees, prefix="confirm")
    if form.is_valid():
        done = run_service(
            request,
            lambda: services.supervision_confirm_attendance(
                session=session,
                attended_profile_ids=[int(pk) for pk in form.cleaned_data["attended"]],
                themes=form.cleaned_data["themes"],
                functions=form.cleaned_data["functions"],
                actor=request.user,
            ),
            form=form,
            success="Attendance has been confirmed and supervision recorded.",
            then=reverse("coaching:supervision", args=[pk]),
        )
        if done:
            return done
    add_form = AddAttendeeForm(coaches=selectors.coaches_to_add(session), prefix="add")
    context = {
        "session": session,
        "attendees": attendees,
        "add_form": add_form,
        "confirm_form": form,
        "started": True,
        **selectors.supervision_group(session, attendees),
    }
    return render(request, "coaching/supervision_detail.html", context)


@supervisor_only
def supervision_remove(request: HttpRequest, pk: int, attendee_pk: int) -> HttpResponse:
    session = selectors.supervision_session_for_supervisor(request.user, pk)
    attendee = selectors.attendee_of(session, attendee_pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.supervision_remove_attendee(attendee=attendee, actor=request.user),
            form=form,
            success=f"{attendee.profile.person.full_name} has been removed from the group.",
            then=reverse("coaching:supervision", args=[pk]),
        )
        if done:
            return done
    context = {"form": form, "session": session, "attendee": attendee}
    return render(request, "coaching/supervision_remove.html", context)


@supervisor_only
def supervision_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.supervision_session_for_supervisor(request.user, pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.supervision_cancel(session=session, actor=request.user),
            form=form,
            success="The session has been cancelled and its coaches told by email.",
            then=reverse("coaching:supervision", args=[pk]),
        )
        if done:
            return done
    context = {"form": form, "session": session, "attendees": selectors.attendees_of(session)}
    return render(request, "coaching/supervision_cancel.html", context)


# --- Programme staff ---------------------------------------------------------------------------------


@staff_only
def register(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    filterset = RegisterFilter(
        request.GET or None, queryset=selectors.register_for(request.user), region=region
    )
    if request.GET.get("format") == "csv":
        return _register_csv(filterset.qs)
    page = selectors.register_page(filterset.qs, request.GET.get("page"))
    return render(request, "coaching/register.html", {"filter": filterset, "page": page})


def _register_csv(profiles) -> StreamingHttpResponse:
    return private_csv(
        itertools.chain([selectors.REGISTER_CSV_HEADER], selectors.register_csv_rows(profiles)),
        filename=f"coach-register-{timezone.localdate():%Y-%m-%d}.csv",
    )


@staff_only
def applications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.applications_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "coaching/applications.html", {"page": page})


@staff_only
def coach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_for_staff(request.user, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.coach_review(profile=profile, actor=request.user, **form.cleaned_data),
            form=form,
            success=lambda reviewed: f"{profile.person.full_name}: {reviewed.get_status_display().lower()}.",
            then="coaching:applications",
        )
        if done:
            return done
    context = {
        "profile": profile,
        "form": form,
        "relationships": selectors.relationships_summary_for_staff(profile),
        "supervision": profile.supervision_records.only("held_on", "hours", "source", "supervisor_name")[:10],
        "can_review": profile.status in (ProfileStatus.APPLIED, ProfileStatus.MORE_INFO_REQUESTED),
    }
    return render(request, "coaching/coach_detail.html", context)


@staff_only
def matching(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.requests_for_matching(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "coaching/matching.html", {"page": page})


@staff_only
def match_request(request: HttpRequest, pk: int) -> HttpResponse:
    coaching_request = selectors.request_for_staff(request.user, pk)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        coach = selectors.coach_in_region(coaching_request.region, form.cleaned_data["coach"])
        if coach is None:
            form.add_error(None, "Choose a coach from the suggestions.")
        elif done := run_service(
            request,
            lambda: services.relationship_offer(
                coaching_request=coaching_request, coach=coach, actor=request.user
            ),
            form=form,
            success=f"{coach.person.full_name} has been offered. They will accept or decline.",
            then="coaching:matching",
        ):
            return done
    suggestions = selectors.match_suggestions(coaching_request=coaching_request)
    context = {"coaching_request": coaching_request, "suggestions": suggestions, "form": form}
    return render(request, "coaching/match_request.html", context)
