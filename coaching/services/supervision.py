"""Supervision (group and held elsewhere), compliance and reflective notes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from academy import audit
from academy.background import enqueue
from academy.locking import lock_row
from academy.models import Person
from academy.permissions import staff_region
from academy.services import model_create, status_move
from coaching.models import (
    GROUP_SUPERVISION_MAX,
    REMINDER_DAYS_BEFORE,
    CoachProfile,
    ProfileStatus,
    ReflectiveNote,
    SessionStatus,
    SupervisionAttendee,
    SupervisionRecord,
    SupervisionSession,
    SupervisionSource,
    supervision_due,
)
from coaching.services.relationships import places_recount, sort_names_recount

SUPERVISION_EMAIL = "coaching.tasks.send_supervision_email"


@transaction.atomic
def supervision_schedule(
    *,
    supervisor: Person,
    starts_at: datetime.datetime,
    duration_hours: Decimal = Decimal(2),
    joining_details: str = "",
    actor,
) -> SupervisionSession:
    if starts_at <= timezone.now():
        raise ValidationError("Group supervision must be scheduled in the future.")
    # The group is for coaches on the register of the region the supervisor's role was granted for.
    region = staff_region(supervisor.user)
    if region is None:
        raise ValidationError("You have not been granted the supervisor role for a region.")
    return model_create(
        instance=SupervisionSession(
            supervisor=supervisor,
            region=region,
            starts_at=starts_at,
            duration_hours=duration_hours,
            joining_details=joining_details,
        ),
        actor=actor,
        action="supervision.schedule",
        data={"starts_at": starts_at},
    )


@transaction.atomic
def supervision_add_attendee(
    *, session: SupervisionSession, profile: CoachProfile, actor
) -> SupervisionAttendee:
    """Give a coach a place in a group. The session row is locked so two additions at once cannot
    both take the eighth place; the seat constraint backs this up in the database."""
    session = lock_row(SupervisionSession, session)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError("This session has been cancelled.")
    if profile.status not in (ProfileStatus.APPROVED, ProfileStatus.LAPSED):
        raise ValidationError("Only coaches on the register can join group supervision.")
    if profile.region_id != session.region_id:
        raise ValidationError("This coach is on another region's register.")
    taken = set(session.attendees.values_list("seat", flat=True))
    if session.attendees.filter(profile=profile).exists():
        raise ValidationError("This coach is already in the group.")
    free = [seat for seat in range(1, GROUP_SUPERVISION_MAX + 1) if seat not in taken]
    if not free:
        raise ValidationError(
            f"This group already has {GROUP_SUPERVISION_MAX} coaches, the most it can take."
        )
    attendee = SupervisionAttendee.objects.create(session=session, profile=profile, seat=free[0])
    audit.record(actor, "supervision.add_attendee", session, {"coach": profile.pk, "seat": free[0]})
    enqueue(SUPERVISION_EMAIL, session.pk, "added", profile.pk)
    return attendee


@transaction.atomic
def supervision_remove_attendee(*, attendee: SupervisionAttendee, actor) -> None:
    session = lock_row(SupervisionSession, attendee.session_id)
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError("Attendance has been confirmed; the group can no longer change.")
    removed, _ = SupervisionAttendee.objects.filter(pk=attendee.pk, session=session).delete()
    if not removed:
        raise ValidationError("This coach is no longer in the group.")
    audit.record(actor, "supervision.remove_attendee", session, {"coach": attendee.profile_id})
    enqueue(SUPERVISION_EMAIL, session.pk, "removed", attendee.profile_id)


@transaction.atomic
def supervision_cancel(*, session: SupervisionSession, actor) -> SupervisionSession:
    status_move(
        instance=session,
        source=SessionStatus.SCHEDULED,
        target=SessionStatus.CANCELLED,
        refusal="Only a scheduled session can be cancelled.",
        actor=actor,
        action="supervision.cancel",
    )
    for profile_id in session.attendees.values_list("profile_id", flat=True):
        enqueue(SUPERVISION_EMAIL, session.pk, "cancelled", profile_id)
    return session


@transaction.atomic
def supervision_confirm_attendance(
    *,
    session: SupervisionSession,
    attended_profile_ids: Iterable[int],
    themes: list[str],
    functions: list[str],
    actor,
) -> SupervisionSession:
    """After the session: record its themes and functions and who came. Each coach who came gets a
    supervision record and is compliant again; confirming again corrects the earlier answer."""
    session = lock_row(SupervisionSession, session)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError("This session was cancelled.")
    if session.starts_at > timezone.now():
        raise ValidationError("Attendance can be confirmed once the session has started.")
    if not functions:
        raise ValidationError("Choose at least one function the session served.")
    attended = set(attended_profile_ids)
    attendees = list(session.attendees.select_related("profile__region"))
    unknown = attended - {a.profile_id for a in attendees}
    if unknown:
        raise ValidationError("Only coaches in the group can be marked as attending.")
    session.themes, session.functions, session.status = list(themes), list(functions), SessionStatus.HELD
    session.full_clean()
    session.save(update_fields=["themes", "functions", "status"])
    held_on = timezone.localtime(session.starts_at).date()
    supervisor_name = session.supervisor.full_name
    for attendee in attendees:
        attendee.attended = attendee.profile_id in attended
        attendee.save(update_fields=["attended"])
        if attendee.attended:
            SupervisionRecord.objects.update_or_create(
                profile=attendee.profile,
                session=session,
                defaults={
                    "source": SupervisionSource.GROUP,
                    "held_on": held_on,
                    "hours": session.duration_hours,
                    "supervisor_name": supervisor_name,
                    "functions": session.functions,
                    "themes": session.themes,
                },
            )
        else:
            SupervisionRecord.objects.filter(profile=attendee.profile, session=session).delete()
        supervision_dates_refresh(profile=attendee.profile, actor=actor)
    audit.record(
        actor,
        "supervision.confirm_attendance",
        session,
        {"attended": sorted(attended), "themes": themes, "functions": functions},
    )
    return session


@transaction.atomic
def supervision_log(
    *,
    profile: CoachProfile,
    held_on: datetime.date,
    hours: Decimal,
    supervisor_name: str,
    functions: list[str],
    themes: list[str],
    actor,
) -> SupervisionRecord:
    """A coach logs supervision held elsewhere; it counts towards compliance like group supervision."""
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "Supervision can only be logged once it has happened."})
    if not functions:
        raise ValidationError({"functions": "Choose at least one function the supervision served."})
    record = model_create(
        instance=SupervisionRecord(
            profile=profile,
            source=SupervisionSource.ELSEWHERE,
            held_on=held_on,
            hours=hours,
            supervisor_name=supervisor_name,
            functions=list(functions),
            themes=list(themes),
        ),
        actor=actor,
        action="supervision.log",
        data={"held_on": held_on, "hours": hours},
        region=profile.region,
    )
    supervision_dates_refresh(profile=profile, actor=actor)
    return record


def supervision_dates_refresh(*, profile: CoachProfile, actor) -> None:
    """Recompute the latest supervision and the next due date; a lapsed coach with supervision in the
    last 12 months is back on the register as approved."""
    profile = lock_row(CoachProfile, profile)
    last = profile.supervision_records.aggregate(last=Max("held_on"))["last"]
    today = timezone.localdate()
    fields = ["last_supervised_on", "supervision_due_on", "updated_at"]
    profile.last_supervised_on = last
    approved_on = timezone.localdate(profile.approved_at) if profile.approved_at else None
    profile.supervision_due_on = supervision_due(last, approved_on)
    if (
        profile.status == ProfileStatus.LAPSED
        and profile.supervision_due_on
        and profile.supervision_due_on >= today
    ):
        profile.status = ProfileStatus.APPROVED
        fields.append("status")
        audit.record(
            actor, "coach.compliant_again", profile, {"supervision_due_on": profile.supervision_due_on}
        )
    profile.save(update_fields=fields)


def compliance_refresh(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily job: remind coaches 30 days before their supervision falls due, and mark lapsed those
    whose year has passed. Each change claims its row with a conditional UPDATE, so running twice
    (or two workers at once) sends one reminder and records one lapse."""
    today = today or timezone.localdate()
    reminded = lapsed = 0
    due_soon = CoachProfile.objects.filter(
        status=ProfileStatus.APPROVED,
        supervision_due_on__gte=today,
        supervision_due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS_BEFORE),
    ).values_list("pk", "supervision_due_on")
    for pk, due_on in list(due_soon):
        with transaction.atomic():
            claimed = (
                CoachProfile.objects.filter(pk=pk, status=ProfileStatus.APPROVED, supervision_due_on=due_on)
                .exclude(reminder_sent_for=due_on)
                .update(reminder_sent_for=due_on)
            )
            if claimed:
                profile = CoachProfile.objects.get(pk=pk)
                audit.record(None, "coach.supervision_reminder", profile, {"due_on": due_on})
                enqueue("coaching.tasks.send_supervision_reminder", pk, due_on.isoformat())
                reminded += 1
    overdue = CoachProfile.objects.filter(status=ProfileStatus.APPROVED, supervision_due_on__lt=today)
    for pk in list(overdue.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = CoachProfile.objects.filter(
                pk=pk, status=ProfileStatus.APPROVED, supervision_due_on__lt=today
            ).update(status=ProfileStatus.LAPSED, updated_at=timezone.now())
            if claimed:
                profile = CoachProfile.objects.get(pk=pk)
                audit.record(None, "coach.lapse", profile, {"supervision_due_on": profile.supervision_due_on})
                lapsed += 1
    # Places taken are kept by the relationship services and sort names on applying; this puts right
    # any row changed another way (a renamed person, a bulk load).
    places_recount()
    sort_names_recount()
    return {"reminded": reminded, "lapsed": lapsed}


@transaction.atomic
def reflective_note_write(*, profile: CoachProfile, title: str, body: str, actor) -> ReflectiveNote:
    # The audit records that a note was written, never a word of it.
    return model_create(
        instance=ReflectiveNote(profile=profile, title=title, body=body),
        actor=actor,
        action="coach.reflective_note_write",
        region=profile.region,
    )
