"""The heart of enrolment, shared by every programmes service: the cohort lock, the count of places
held, eligibility and the enrolment window, the waiting list and the offer of a freed place.

Every function that takes or frees a place runs under the cohort's row lock (`lock_cohort`), inside
the caller's transaction; `academy.locking` refuses to lock outside one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Max
from django.utils import timezone

from academy import audit
from academy.background import enqueue
from academy.locking import lock_row
from academy.models import Person
from programmes.models import (
    ACTIVE,
    PLACE_HOLDING,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Programme,
    Session,
)

OFFER_HOLD = timedelta(hours=48)


class EnrolmentRefused(ValidationError):
    """A plain-English reason (or several) why this person cannot take this step."""


ENROLMENT_EMAIL = "programmes.tasks.send_enrolment_email"
SESSION_EMAIL = "programmes.tasks.send_session_email"


def lock_cohort(cohort: Cohort | int) -> Cohort:
    """Lock the cohort's row (the holder of its places) and return it fresh, with its programme."""
    return lock_row(Cohort, cohort, related=["programme"])


def refresh_places(cohort: Cohort) -> None:
    """Recount the places held; called under the cohort lock after any change to enrolments."""
    taken = cohort.enrolments.filter(status__in=PLACE_HOLDING).count()
    if taken != cohort.places_taken:
        cohort.places_taken = taken
        cohort.save(update_fields=["places_taken", "updated_at"])


def close_waitlist_gap(cohort: Cohort, position: int | None) -> None:
    """Keep positions 1..n: everyone behind a leaver moves up one."""
    if position is None:
        return
    cohort.enrolments.filter(status=EnrolmentStatus.WAITLISTED, waitlist_position__gt=position).update(
        waitlist_position=F("waitlist_position") - 1
    )


def enrolment_set_status(enrolment: Enrolment, status: str, **fields: Any) -> None:
    enrolment.status = status
    for name, value in fields.items():
        setattr(enrolment, name, value)
    enrolment.full_clean(exclude=["cohort", "person"], validate_unique=False)
    enrolment.save(update_fields=["status", *fields, "updated_at"])


def eligibility_problems(*, person: Person, cohort: Cohort) -> list[str]:
    """Why `person` may not join `cohort`, in plain words; empty when they may."""
    programme = cohort.programme
    problems: list[str] = []
    if person.organisation_id is None:
        problems.append(
            "Add your organisation to your profile so we can check that this cohort is open to you."
        )
    elif person.region_id != cohort.region_id:
        problems.append(f"This cohort is for staff working in the {cohort.region} region.")
    elif cohort.system_id and person.organisation.system_id != cohort.system_id:
        problems.append(f"This cohort is only for staff working in {cohort.system}.")
    if programme.eligible_staff_groups and person.staff_group not in programme.eligible_staff_groups:
        groups = ", ".join(_labels(programme, "eligible_staff_groups"))
        problems.append(f"This programme is for these staff groups only: {groups}.")
    if programme.eligible_pay_bands and person.pay_band not in programme.eligible_pay_bands:
        bands = ", ".join(_labels(programme, "eligible_pay_bands"))
        problems.append(f"This programme is for these pay bands only: {bands}.")
    return problems


def _labels(programme: Programme, field: str) -> list[str]:
    choices = dict(Programme._meta.get_field(field).base_field.choices)
    return [str(choices.get(v, v)) for v in getattr(programme, field)]


def check_enrolment_window(cohort: Cohort, now=None) -> None:
    now = now or timezone.now()
    if cohort.status != CohortStatus.OPEN:
        raise EnrolmentRefused("Enrolment for this cohort is not open.")
    if cohort.enrolment_opens_at and now < cohort.enrolment_opens_at:
        opens = timezone.localtime(cohort.enrolment_opens_at)
        raise EnrolmentRefused(f"Enrolment for this cohort opens on {opens:%-d %B %Y at %H:%M}.")
    if cohort.enrolment_closes_at and now >= cohort.enrolment_closes_at:
        raise EnrolmentRefused("Enrolment for this cohort has closed.")


def existing_enrolment(cohort: Cohort, person: Person) -> Enrolment | None:
    return Enrolment.objects.select_for_update().filter(cohort=cohort, person=person).first()


def refuse_if_active(existing: Enrolment | None) -> None:
    if existing is None:
        return
    if existing.status in ACTIVE:
        raise EnrolmentRefused(f"You are already on this cohort ({existing.get_status_display().lower()}).")
    if existing.status == EnrolmentStatus.DECLINED:
        raise EnrolmentRefused("Your application for this cohort was not shortlisted.")


def place_or_waitlist(
    cohort: Cohort, person: Person, existing: Enrolment | None, actor, invited_email: str = ""
) -> Enrolment:
    """Enrol when a place is free, otherwise join the end of the waiting list. Cohort is locked.
    `invited_email`: staff added someone from outside the region, who is shown as that address only."""
    if cohort.places_taken < cohort.capacity:
        status, position = EnrolmentStatus.ENROLLED, None
    else:
        last = cohort.enrolments.filter(status=EnrolmentStatus.WAITLISTED).aggregate(
            m=Max("waitlist_position")
        )
        status, position = EnrolmentStatus.WAITLISTED, (last["m"] or 0) + 1
    if existing is None:
        enrolment = Enrolment(
            cohort=cohort,
            person=person,
            status=status,
            waitlist_position=position,
            invited_email=invited_email,
        )
        enrolment.full_clean()
        enrolment.save()
    else:
        enrolment = existing
        enrolment_set_status(enrolment, status, waitlist_position=position, offer_expires_at=None)
    refresh_places(cohort)
    audit.record(
        actor,
        f"enrolment.{status}",
        enrolment,
        {"cohort": cohort.pk, "waitlist_position": position, **({"invited": True} if invited_email else {})},
    )
    enqueue(ENROLMENT_EMAIL, enrolment.pk, status)
    return enrolment


def offer_free_places(cohort: Cohort, actor) -> None:
    """Offer each free place to the next person waiting, held for 48 hours. Cohort is locked."""
    if cohort.status not in (CohortStatus.OPEN, CohortStatus.CLOSED, CohortStatus.RUNNING):
        return
    while cohort.places_taken < cohort.capacity:
        first = (
            cohort.enrolments.select_for_update()
            .filter(status=EnrolmentStatus.WAITLISTED)
            .order_by("waitlist_position")
            .first()
        )
        if first is None:
            break
        position = first.waitlist_position
        enrolment_set_status(
            first,
            EnrolmentStatus.OFFERED,
            waitlist_position=None,
            offer_expires_at=timezone.now() + OFFER_HOLD,
        )
        close_waitlist_gap(cohort, position)
        refresh_places(cohort)
        audit.record(actor, "enrolment.offer", first, {"expires_at": first.offer_expires_at})
        enqueue(ENROLMENT_EMAIL, first.pk, "offered")


def session_notify_holders(session: Session, kind: str) -> None:
    """Queue one email per person holding a place (enrolled or offered) on the session's cohort, once
    the change commits: a new, changed, cancelled session, or tomorrow's reminder."""
    holders = Enrolment.objects.filter(
        cohort_id=session.cohort_id, status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.OFFERED)
    ).values_list("pk", flat=True)
    for enrolment_id in holders:
        enqueue(SESSION_EMAIL, session.pk, kind, enrolment_id)
