"""The emails programmes send. Each is built from a template and, where a calendar changes,
carries an .ics invitation, update or cancellation. Called from Celery tasks, never from a request."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from academy.emails import absolute_url, attach_calendar, invitation_url
from programmes.calendar import sessions_ics
from programmes.models import Enrolment, EnrolmentStatus, Session

SUBJECTS = {
    EnrolmentStatus.ENROLLED: "You have a place on {programme}",
    EnrolmentStatus.WAITLISTED: "You are on the waiting list for {programme}",
    EnrolmentStatus.SHORTLISTED: "You have been shortlisted for {programme}",
    EnrolmentStatus.DECLINED: "Your application for {programme}",
    "applied": "We have your application for {programme}",
    "offered": "A place is waiting for you on {programme}: accept within 48 hours",
    "offer_expired": "Your offer of a place on {programme} has expired",
    "cancelled": "Your place on {programme} is cancelled",
    "cohort_cancelled": "{programme}: {cohort} has been cancelled",
    "certificate": "Your certificate for {programme}",
}
# Which kinds carry which calendar method for all the cohort's sessions.
CALENDAR_METHOD = {
    EnrolmentStatus.ENROLLED: "REQUEST",
    "cancelled": "CANCEL",
    "cohort_cancelled": "CANCEL",
}


def enrolment_email(enrolment_id: int, kind: str) -> EmailMultiAlternatives | None:
    enrolment = (
        Enrolment.objects.select_related("cohort__programme", "person__user", "certificate")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or kind not in SUBJECTS:
        return None
    cohort, programme = enrolment.cohort, enrolment.cohort.programme
    sessions = list(cohort.sessions.select_related("cohort__programme").order_by("starts_at"))
    context = {
        "kind": kind,
        "enrolment": enrolment,
        "cohort": cohort,
        "programme": programme,
        "sessions": [s for s in sessions if not s.is_cancelled],
        "my_learning_url": absolute_url(reverse("programmes:my_learning")),
        # Someone added by staff (an import) has an account but no password yet: this is their invitation.
        "set_password_url": None
        if enrolment.person.user.has_usable_password()
        else invitation_url(enrolment.person.user),
        "profile_url": absolute_url(reverse("academy:profile")),
    }
    body = render_to_string("programmes/email/enrolment.txt", context)
    message = EmailMultiAlternatives(
        subject=SUBJECTS[kind].format(programme=programme.title, cohort=cohort.name),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[enrolment.person.user.email],
    )
    method = CALENDAR_METHOD.get(kind)
    if method and sessions:
        chosen = sessions if method == "CANCEL" else [s for s in sessions if not s.is_cancelled]
        attach_calendar(
            message, sessions_ics(chosen, method=method, attendee_email=enrolment.person.user.email), method
        )
    return message


SESSION_SUBJECTS = {
    "new": "New session added: {title}",
    "changed": "Session changed: {title}",
    "cancelled": "Session cancelled: {title}",
    "reminder": "Tomorrow: {title}",
}


def session_email(session_id: int, kind: str, enrolment_id: int) -> EmailMultiAlternatives | None:
    """A change to one session (new, moved, cancelled, or tomorrow's reminder) for one person; nothing
    when they no longer hold a place on its cohort."""
    session = Session.objects.select_related("cohort__programme").filter(pk=session_id).first()
    if session is None or kind not in SESSION_SUBJECTS:
        return None
    email = (
        session.cohort.enrolments.filter(
            pk=enrolment_id, status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.OFFERED)
        )
        .values_list("person__user__email", flat=True)
        .first()
    )
    if email is None:
        return None
    method = "CANCEL" if kind == "cancelled" else "REQUEST"
    body = render_to_string(
        "programmes/email/session.txt",
        {"kind": kind, "session": session, "cohort": session.cohort, "programme": session.cohort.programme},
    )
    message = EmailMultiAlternatives(
        subject=SESSION_SUBJECTS[kind].format(title=f"{session.cohort.programme.title} – {session.title}"),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    if kind != "reminder":
        attach_calendar(message, sessions_ics([session], method=method, attendee_email=email), method)
    return message
