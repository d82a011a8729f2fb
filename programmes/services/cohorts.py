"""Staff writes: programmes, cohorts and their status, sessions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Min
from django.utils import timezone
from django.utils.text import slugify

from academy import audit
from academy.background import enqueue
from academy.locking import lock_row
from academy.services import model_create, model_update
from programmes.models import (
    ACTIVE,
    COHORT_CANCELS_FROM,
    COHORT_CLOSES_FROM,
    COHORT_OPENS_FROM,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Programme,
    Session,
)
from programmes.services.places import (
    ENROLMENT_EMAIL,
    lock_cohort,
    offer_free_places,
    refresh_places,
    session_notify_holders,
)

# --- staff: programmes, cohorts, sessions -------------------------------------------------------

PROGRAMME_FIELDS = (
    "title",
    "code",
    "summary",
    "description",
    "theme",
    "audience",
    "delivery_mode",
    "entry_route",
    "eligible_pay_bands",
    "eligible_staff_groups",
    "eligibility_note",
    "completion_min_attendance",
    "delivery_partner",
    "shortlist_quota_per_system",
    "is_published",
)


def _unique_slug(base: str, exclude_pk: int | None = None) -> str:
    slug = slugify(base)[:200] or "programme"
    candidate, n = slug, 2
    while Programme.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


@transaction.atomic
def programme_create(*, region, actor, **fields: Any) -> Programme:
    programme = Programme(region=region, **{k: v for k, v in fields.items() if k in PROGRAMME_FIELDS})
    programme.slug = _unique_slug(f"{programme.code} {programme.title}")
    return model_create(
        instance=programme, actor=actor, action="programme.create", data={"code": programme.code}
    )


@transaction.atomic
def programme_update(*, programme: Programme, actor, **fields: Any) -> Programme:
    model_update(
        instance=programme, fields=PROGRAMME_FIELDS, data=fields, actor=actor, action="programme.update"
    )
    return programme


COHORT_FIELDS = ("name", "system", "capacity", "enrolment_opens_at", "enrolment_closes_at", "facilitators")


@transaction.atomic
def cohort_create(*, programme: Programme, actor, **fields: Any) -> Cohort:
    cohort = Cohort(programme=programme, region=programme.region, status=CohortStatus.DRAFT)
    for name in COHORT_FIELDS:
        if name in fields:
            setattr(cohort, name, fields[name])
    return model_create(
        instance=cohort, actor=actor, action="cohort.create", data={"programme": programme.code}
    )


@transaction.atomic
def cohort_update(*, cohort: Cohort, actor, **fields: Any) -> Cohort:
    """Edit a cohort; `Cohort.clean` refuses a system of another region and a capacity below the
    places already held. A raised capacity offers its new places to the waiting list."""
    cohort = lock_cohort(cohort)
    cohort, changed = model_update(
        instance=cohort, fields=COHORT_FIELDS, data=fields, actor=actor, action="cohort.update"
    )
    if "capacity" in changed:
        offer_free_places(cohort, actor)
    return cohort


def _cohort_transition(cohort: Cohort, actor, allowed_from: tuple[str, ...], to: str) -> Cohort:
    cohort = lock_cohort(cohort)
    if cohort.status not in allowed_from:
        raise ValidationError(
            f"A cohort that is {cohort.get_status_display().lower()} cannot be changed that way."
        )
    previous = cohort.status
    cohort.status = to
    cohort.save(update_fields=["status", "updated_at"])
    audit.record(actor, f"cohort.{to}", cohort, {"from": previous})
    return cohort


@transaction.atomic
def cohort_open(*, cohort: Cohort, actor) -> Cohort:
    if not cohort.sessions.exists():
        raise ValidationError("Add at least one session before opening enrolment.")
    cohort = _cohort_transition(cohort, actor, COHORT_OPENS_FROM, CohortStatus.OPEN)
    offer_free_places(cohort, actor)
    return cohort


@transaction.atomic
def cohort_close(*, cohort: Cohort, actor) -> Cohort:
    return _cohort_transition(cohort, actor, COHORT_CLOSES_FROM, CohortStatus.CLOSED)


@transaction.atomic
def cohort_cancel(*, cohort: Cohort, actor, reason: str = "") -> Cohort:
    """Cancel the cohort and everything on it; everyone with a place, an offer, an application or a
    waiting-list entry is told, and their calendars get a cancellation."""
    cohort = _cohort_transition(cohort, actor, COHORT_CANCELS_FROM, CohortStatus.CANCELLED)
    affected = list(
        cohort.enrolments.filter(
            status__in=[s for s in ACTIVE if s != EnrolmentStatus.COMPLETED]
        ).values_list("pk", flat=True)
    )
    Enrolment.objects.filter(pk__in=affected).update(
        status=EnrolmentStatus.CANCELLED,
        waitlist_position=None,
        offer_expires_at=None,
        updated_at=timezone.now(),
    )
    cohort.sessions.filter(is_cancelled=False).update(is_cancelled=True, sequence=F("sequence") + 1)
    refresh_places(cohort)
    audit.record(actor, "cohort.cancel_enrolments", cohort, {"enrolments": len(affected), "reason": reason})
    for pk in affected:
        enqueue(ENROLMENT_EMAIL, pk, "cohort_cancelled")
    return cohort


def _sync_cohort_dates(cohort: Cohort) -> None:
    span = cohort.sessions.filter(is_cancelled=False).aggregate(first=Min("starts_at"), last=Max("ends_at"))
    starts = timezone.localdate(span["first"]) if span["first"] else None
    ends = timezone.localdate(span["last"]) if span["last"] else None
    if (starts, ends) != (cohort.starts_on, cohort.ends_on):
        cohort.starts_on, cohort.ends_on = starts, ends
        cohort.save(update_fields=["starts_on", "ends_on", "updated_at"])


SESSION_FIELDS = ("title", "starts_at", "ends_at", "venue", "joining_url", "recording_url")
# A change to any of these is a change to the calendar entry people hold.
CALENDAR_FIELDS = {"starts_at", "ends_at", "venue", "joining_url", "title"}


@transaction.atomic
def session_create(*, cohort: Cohort, actor, **fields: Any) -> Session:
    cohort = lock_cohort(cohort)
    session = model_create(
        instance=Session(cohort=cohort, **{k: v for k, v in fields.items() if k in SESSION_FIELDS}),
        actor=actor,
        action="session.create",
        data={"cohort": cohort.pk},
        region=cohort.region,
    )
    _sync_cohort_dates(cohort)
    if cohort.places_taken:
        session_notify_holders(session, "new")
    return session


@transaction.atomic
def session_update(*, session: Session, actor, **fields: Any) -> Session:
    """Edit a session. A change of time or place raises its calendar SEQUENCE and sends everyone
    with a place an update their calendar applies."""
    cohort = lock_cohort(session.cohort_id)
    session = lock_row(Session, session)

    def raise_sequence(session: Session, changed: list[str]) -> list[str]:
        if CALENDAR_FIELDS & set(changed):
            session.sequence += 1
            return ["sequence"]
        return []

    session, changed = model_update(
        instance=session,
        fields=SESSION_FIELDS,
        data=fields,
        actor=actor,
        action="session.update",
        region=cohort.region,
        before_save=raise_sequence,
    )
    if not changed:
        return session
    _sync_cohort_dates(cohort)
    if "sequence" in changed:
        session_notify_holders(session, "changed")
    return session


@transaction.atomic
def session_cancel(*, session: Session, actor) -> Session:
    cohort = lock_cohort(session.cohort_id)
    session = lock_row(Session, session)
    if session.is_cancelled:
        return session
    session.is_cancelled = True
    session.sequence += 1
    session.save(update_fields=["is_cancelled", "sequence", "updated_at"])
    _sync_cohort_dates(cohort)
    audit.record(actor, "session.cancel", session, region=cohort.region)
    session_notify_holders(session, "cancelled")
    return session


def cohorts_mark_running(*, now=None) -> int:
    """Cohorts whose first session has begun are running: enrolment closes, the waiting list stays."""
    now = now or timezone.now()
    started = Cohort.objects.filter(
        status__in=(CohortStatus.OPEN, CohortStatus.CLOSED),
        sessions__is_cancelled=False,
        sessions__starts_at__lte=now,
    ).distinct()
    changed = 0
    for pk in started.values_list("pk", flat=True):
        with transaction.atomic():
            cohort = lock_cohort(pk)
            if cohort.status in (CohortStatus.OPEN, CohortStatus.CLOSED):
                previous = cohort.status
                cohort.status = CohortStatus.RUNNING
                cohort.save(update_fields=["status", "updated_at"])
                audit.record(None, "cohort.running", cohort, {"from": previous})
                changed += 1
    return changed


@transaction.atomic
def session_mark_reminded(*, session_id: int) -> bool:
    """Claim a session's 24-hour reminder so it is sent once, however often the job runs; the
    reminders (one per person with a place) are queued when the claim commits."""
    claimed = bool(
        Session.objects.filter(pk=session_id, reminder_sent_at__isnull=True).update(
            reminder_sent_at=timezone.now()
        )
    )
    if claimed:
        session = Session.objects.select_related("cohort").get(pk=session_id)
        session_notify_holders(session, "reminder")
        audit.record(None, "session.reminder", session, region=session.cohort.region)
    return claimed
