"""The emails coaching sends. Each is built from ids inside a Celery task, after the change that
caused it has committed, so a rolled-back change never sends one. Group supervision emails carry an
.ics invitation (METHOD:REQUEST) or cancellation (METHOD:CANCEL).

programmes/calendar.py builds calendars for programme sessions only (it reads their cohort, venue and
sequence), so it is not reused: the small builder below covers a supervision session."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from academy.calendar import UID_DOMAIN, CalendarEvent, calendar_file
from academy.emails import absolute_url, attach_calendar, text_email
from coaching.models import (
    CoachingRelationship,
    CoachProfile,
    ProfileStatus,
    RelationshipStatus,
    SessionStatus,
    SupervisionSession,
)

REVIEW_SUBJECTS = {
    ProfileStatus.APPROVED: "You are on the coach and mentor register",
    ProfileStatus.MORE_INFO_REQUESTED: "Your coach and mentor application: we need more information",
    ProfileStatus.DECLINED: "Your coach and mentor application",
}


def _message(template: str, context: dict, *, subject: str, to: str) -> EmailMultiAlternatives:
    return text_email(f"coaching/email/{template}", context, subject=subject, to=to)


def review_email(profile_id: int) -> EmailMultiAlternatives | None:
    """The applicant hears the decision and what to do next; the current status decides the email."""
    profile = CoachProfile.objects.select_related("person__user").filter(pk=profile_id).first()
    if profile is None or profile.status not in REVIEW_SUBJECTS:
        return None
    context = {
        "profile": profile,
        "person": profile.person,
        "mine_url": absolute_url(reverse("coaching:mine")),
        "apply_url": absolute_url(reverse("coaching:apply")),
    }
    return _message(
        "review.txt", context, subject=REVIEW_SUBJECTS[profile.status], to=profile.person.user.email
    )


def relationship_email(relationship_id: int, kind: str) -> EmailMultiAlternatives | None:
    """kind: "offered" (to the coach), "accepted" or "declined" (to the coachee), "closed" (to whichever
    of the pair did not close it)."""
    relationship = (
        CoachingRelationship.objects.select_related("coach__person__user", "coachee__user", "closed_by")
        .filter(pk=relationship_id)
        .first()
    )
    if relationship is None:
        return None
    coach, coachee = relationship.coach.person, relationship.coachee
    expected = {
        "offered": RelationshipStatus.OFFERED,
        "accepted": RelationshipStatus.ACTIVE,
        "declined": RelationshipStatus.DECLINED,
        "closed": RelationshipStatus.CLOSED,
    }
    if expected.get(kind) != relationship.status:
        return None  # The relationship has moved on (or the kind is unknown): nothing true to say.
    if kind == "offered":
        recipient, subject = (
            coach,
            f"You have been offered a new {relationship.get_relationship_type_display().lower()} coachee",
        )
    elif kind == "closed":
        recipient = coach if relationship.closed_by_id == coachee.pk else coachee
        subject = f"Your {relationship.get_relationship_type_display().lower()} relationship has been closed"
    else:
        recipient = coachee
        subject = (
            f"{coach.full_name} will be your {'coach' if relationship.relationship_type == 'coaching' else 'mentor'}"
            if kind == "accepted"
            else "We are finding you another coach or mentor"
        )
    context = {
        "kind": kind,
        "relationship": relationship,
        "coach": coach,
        "coachee": coachee,
        "recipient": recipient,
        "relationship_url": absolute_url(reverse("coaching:relationship", args=[relationship.pk])),
        "directory_url": absolute_url(reverse("coaching:directory")),
    }
    return _message("relationship.txt", context, subject=subject, to=recipient.user.email)


def supervision_uid(session: SupervisionSession) -> str:
    return f"coaching-supervision-{session.pk}@{UID_DOMAIN}"


def supervision_ics(session: SupervisionSession, *, method: str, attendee_email: str) -> bytes:
    """A one-event calendar: METHOD:REQUEST adds the session, METHOD:CANCEL removes it. The UID is fixed
    per session; the cancellation carries a higher SEQUENCE so clients apply it over the invitation."""
    event = CalendarEvent(
        uid=supervision_uid(session),
        sequence=1 if method == "CANCEL" else 0,
        starts_at=session.starts_at,
        ends_at=session.starts_at + datetime.timedelta(hours=float(session.duration_hours)),
        summary="Group supervision (NHS Leadership Academy)",
        description=f"Group supervision with {session.supervisor.full_name}.",
        location=session.joining_details,
    )
    return calendar_file([event], method=method, attendee_email=attendee_email)


SUPERVISION_SUBJECTS = {
    "added": "Group supervision on {when}: you have a place",
    "removed": "Group supervision on {when}: your place has been removed",
    "cancelled": "Group supervision on {when} has been cancelled",
}


def supervision_email(session_id: int, kind: str, profile_id: int) -> EmailMultiAlternatives | None:
    """kind: "added" (an invitation), "removed" or "cancelled" (a cancellation), to one coach; nothing
    when the news is no longer true (a quick removal or cancellation wins over an invitation)."""
    session = SupervisionSession.objects.select_related("supervisor").filter(pk=session_id).first()
    if session is None or kind not in SUPERVISION_SUBJECTS:
        return None
    if kind == "cancelled" and session.status != SessionStatus.CANCELLED:
        return None
    if kind == "added" and (
        session.status != SessionStatus.SCHEDULED
        or not session.attendees.filter(profile_id=profile_id).exists()
    ):
        return None
    profile = CoachProfile.objects.select_related("person__user").filter(pk=profile_id).first()
    if profile is None:
        return None
    method = "REQUEST" if kind == "added" else "CANCEL"
    when = timezone.localtime(session.starts_at)
    email = profile.person.user.email
    message = _message(
        "supervision.txt",
        {
            "kind": kind,
            "session": session,
            "person": profile.person,
            "ends_at": session.starts_at + datetime.timedelta(hours=float(session.duration_hours)),
            "mine_url": absolute_url(reverse("coaching:mine")),
        },
        subject=SUPERVISION_SUBJECTS[kind].format(when=f"{when:%-d %B %Y}"),
        to=email,
    )
    attach_calendar(message, supervision_ics(session, method=method, attendee_email=email), method)
    return message


def supervision_reminder_email(profile_id: int, due_on: datetime.date) -> EmailMultiAlternatives | None:
    """30 days before supervision falls due; nothing if the coach has since logged supervision (their
    due date moved) or left the register."""
    profile = CoachProfile.objects.select_related("person__user").filter(pk=profile_id).first()
    if profile is None or profile.status != ProfileStatus.APPROVED or profile.supervision_due_on != due_on:
        return None
    return EmailMultiAlternatives(
        subject="Your coaching supervision is due",
        body=(
            f"Dear {profile.person.given_name or 'colleague'},\n\n"
            f"To stay on the coach and mentor register you need supervision by {due_on:%-d %B %Y}. "
            "Book a place in group supervision, or log supervision you have had elsewhere, from "
            "'My coaching' in the Leadership Academy portal.\n\n"
            "If the date passes without supervision you will be marked as lapsed and hidden from the "
            "directory until you log it.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[profile.person.user.email],
    )
