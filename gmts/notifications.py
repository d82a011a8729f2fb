"""The emails the scheme sends: a placement confirmed (to the trainee's programme manager), a placement
sent to the trainee, and the reminder to a programme manager of a start with no confirmed placement.
Called from Celery tasks, never from a request; each returns None when there is nothing to send."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from academy.emails import absolute_url, invitation_url, text_email
from gmts.models import Placement, PlacementStatus, Trainee, TraineeStatus

PLACEMENT_SUBJECTS = {
    "confirmed": "Placement confirmed: {trainee} at {host}",
    "notified": "Your {kind} at {host}",
}
# Who hears of each change, and the state the placement must still be in for the email to go.
PLACEMENT_STATES = {
    "confirmed": (PlacementStatus.CONFIRMED, PlacementStatus.NOTIFIED, PlacementStatus.STARTED),
    "notified": (PlacementStatus.NOTIFIED, PlacementStatus.STARTED),
}


def placement_email(placement_id: int, kind: str) -> EmailMultiAlternatives | None:
    placement = (
        Placement.objects.select_related(
            "host", "placement_manager__user", "trainee__person__user", "trainee__programme_manager__user"
        )
        .filter(pk=placement_id)
        .first()
    )
    if placement is None or kind not in PLACEMENT_SUBJECTS or placement.status not in PLACEMENT_STATES[kind]:
        return None
    trainee = placement.trainee
    if kind == "confirmed":
        if trainee.programme_manager is None:
            return None
        to, link = trainee.programme_manager.user.email, reverse("gmts:trainee", args=[trainee.pk])
    else:
        to, link = trainee.person.user.email, reverse("gmts:mine")
    subject = PLACEMENT_SUBJECTS[kind].format(
        trainee=trainee, host=placement.host, kind=placement.get_kind_display().lower()
    )
    context = {"kind": kind, "placement": placement, "trainee": trainee, "url": absolute_url(link)}
    return text_email("gmts/email/placement.txt", context, subject=subject, to=to)


def reminder_email(trainee_id: int, weeks: int) -> EmailMultiAlternatives | None:
    """To the programme manager: `weeks` weeks (or fewer) to a start with no confirmed placement.
    Nothing when a placement has been confirmed since the reminder was claimed."""
    today = timezone.localdate()
    trainee = (
        Trainee.objects.filter(pk=trainee_id, status=TraineeStatus.ACTIVE, programme_manager__isnull=False)
        .with_placement_outlook(today)
        .select_related("person", "programme_manager__user", "intake", "specialism")
        .first()
    )
    if trainee is None or trainee.next_start is None or trainee.next_start_confirmed:
        return None
    context = {
        "trainee": trainee,
        "weeks": weeks,
        "start": trainee.next_start,
        "url": absolute_url(reverse("gmts:trainee", args=[trainee.pk])),
    }
    return text_email(
        "gmts/email/reminder.txt",
        context,
        subject=f"{weeks} weeks to go: no confirmed placement for {trainee}",
        to=trainee.programme_manager.user.email,
    )


def invitation_email(trainee_id: int) -> EmailMultiAlternatives | None:
    """To someone added to the scheme who is new to Academy: a link to set their password. Nothing once
    they have one (a retry after they signed in sends nothing)."""
    trainee = (
        Trainee.objects.select_related("person__user", "intake", "specialism").filter(pk=trainee_id).first()
    )
    if trainee is None or trainee.person.user.has_usable_password():
        return None
    context = {
        "trainee": trainee,
        "invitation_url": invitation_url(trainee.person.user),
        "url": absolute_url(reverse("gmts:mine")),
    }
    return text_email(
        "gmts/email/invitation.txt",
        context,
        subject="You are on the Graduate Management Training Scheme: set up your Academy account",
        to=trainee.person.user.email,
    )
