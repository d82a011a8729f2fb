"""Enrolment, the waiting list, offers and applications."""

from __future__ import annotations

from collections.abc import Mapping

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy import audit
from academy.adapters import email_domain_allowed
from academy.background import enqueue
from academy.locking import lock_row
from academy.models import Person, User
from academy.services import model_create
from programmes.models import (
    ACTIVE,
    Application,
    ApplicationDecision,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    EntryRoute,
)
from programmes.services.places import (
    ENROLMENT_EMAIL,
    OFFER_HOLD,
    EnrolmentRefused,
    check_enrolment_window,
    close_waitlist_gap,
    eligibility_problems,
    enrolment_set_status,
    existing_enrolment,
    lock_cohort,
    offer_free_places,
    place_or_waitlist,
    refresh_places,
    refuse_if_active,
)

# --- participants -------------------------------------------------------------------------------


@transaction.atomic
def enrolment_create(*, person: Person, cohort: Cohort, actor, by_staff: bool = False) -> Enrolment:
    """One-step enrolment on an open cohort; a full cohort puts the person on its waiting list.
    Staff adding someone skip the enrolment window and entry route, but never the capacity."""
    cohort = lock_cohort(cohort)
    if by_staff:
        if cohort.status in (CohortStatus.CANCELLED, CohortStatus.COMPLETED):
            raise EnrolmentRefused(f"This cohort is {cohort.get_status_display().lower()}.")
    else:
        check_enrolment_window(cohort)
        route = cohort.programme.entry_route
        if route == EntryRoute.APPLICATION:
            raise EnrolmentRefused("This programme takes applications: please apply instead.")
        if route == EntryRoute.NOMINATION:
            raise EnrolmentRefused("Places on this programme are by nomination: ask your line manager.")
        problems = eligibility_problems(person=person, cohort=cohort)
        if problems:
            raise EnrolmentRefused(problems)
    existing = existing_enrolment(cohort, person)
    refuse_if_active(existing)
    return place_or_waitlist(cohort, person, existing, actor)


@transaction.atomic
def enrolment_add_by_email(*, cohort: Cohort, email: str, actor) -> Enrolment:
    """Staff add someone by their work email. A person of the cohort's region is enrolled as they are;
    anyone else (someone of another region, or nobody yet: an account is made for them) is invited,
    and staff see only the address they typed until the person accepts. The answer is the same
    whether or not an account exists outside the region, so it reveals nothing of one."""
    email = email.strip().lower()
    person = Person.objects.filter(user__email__iexact=email).first()
    if person is not None and person.region_id == cohort.region_id:
        return enrolment_create(person=person, cohort=cohort, actor=actor, by_staff=True)
    if not email_domain_allowed(email):
        raise EnrolmentRefused(
            "Only addresses in the sign-up domains can be invited by email. To add others, use the "
            "import, allow addresses outside the sign-up domains and give the reason."
        )
    cohort = lock_cohort(cohort)
    if cohort.status in (CohortStatus.CANCELLED, CohortStatus.COMPLETED):
        raise EnrolmentRefused(f"This cohort is {cohort.get_status_display().lower()}.")
    if person is None:
        person = _invited_person(email=email, cohort=cohort, actor=actor)
    existing = existing_enrolment(cohort, person)
    if existing is not None and existing.status in ACTIVE:
        raise EnrolmentRefused(f"{email} is already on this cohort.")
    return place_or_waitlist(cohort, person, existing, actor, invited_email=email)


def _invited_person(*, email: str, cohort: Cohort, actor) -> Person:
    """An account for an address new to Academy: no password (they set one from the invitation), the
    address verified (the invitation is sent to it), in the cohort's region until they say otherwise."""
    user = User.objects.create_user(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    person = Person.objects.create(user=user, region_id=cohort.region_id)
    audit.record(actor, "person.create_for_invitation", person, {"cohort": cohort.pk}, region=cohort.region)
    return person


@transaction.atomic
def invitation_accept(*, enrolment: Enrolment, actor) -> Enrolment:
    """The person accepts the invitation: from now on the cohort's staff see their name and profile."""
    enrolment = lock_row(Enrolment, enrolment)
    if not enrolment.awaits_acceptance:
        raise EnrolmentRefused("There is no invitation to accept.")
    enrolment.accepted_at = timezone.now()
    enrolment.save(update_fields=["accepted_at", "updated_at"])
    audit.record(actor, "enrolment.invitation_accept", enrolment, {"cohort": enrolment.cohort_id})
    return enrolment


@transaction.atomic
def enrolment_cancel(*, enrolment: Enrolment, actor) -> Enrolment:
    """Cancel a place, a waiting-list entry or an application. A freed place is offered to the
    first person waiting."""
    cohort = lock_cohort(enrolment.cohort_id)
    enrolment = lock_row(Enrolment, enrolment)
    if enrolment.status not in ACTIVE or enrolment.status == EnrolmentStatus.COMPLETED:
        raise EnrolmentRefused(
            f"This enrolment cannot be cancelled: it is {enrolment.get_status_display().lower()}."
        )
    previous, position = enrolment.status, enrolment.waitlist_position
    new_status = (
        EnrolmentStatus.WITHDRAWN
        if previous in (EnrolmentStatus.APPLIED, EnrolmentStatus.SHORTLISTED)
        else EnrolmentStatus.CANCELLED
    )
    enrolment_set_status(enrolment, new_status, waitlist_position=None, offer_expires_at=None)
    close_waitlist_gap(cohort, position)
    refresh_places(cohort)
    audit.record(actor, "enrolment.cancel", enrolment, {"from": previous})
    enqueue(ENROLMENT_EMAIL, enrolment.pk, "cancelled")
    offer_free_places(cohort, actor)
    return enrolment


@transaction.atomic
def offer_accept(*, enrolment: Enrolment, actor) -> Enrolment:
    lock_cohort(enrolment.cohort_id)
    enrolment = lock_row(Enrolment, enrolment)
    if enrolment.status != EnrolmentStatus.OFFERED:
        raise EnrolmentRefused("There is no place on offer to accept.")
    if enrolment.offer_expires_at and enrolment.offer_expires_at <= timezone.now():
        raise EnrolmentRefused("This offer has expired, so the place has moved to the next person waiting.")
    enrolment_set_status(enrolment, EnrolmentStatus.ENROLLED, offer_expires_at=None)
    audit.record(actor, "enrolment.offer_accept", enrolment)
    enqueue(ENROLMENT_EMAIL, enrolment.pk, "enrolled")
    return enrolment


@transaction.atomic
def offer_expire(*, enrolment: Enrolment, actor=None) -> bool:
    """Let an unaccepted offer lapse and offer the place to the next person. False if not due."""
    cohort = lock_cohort(enrolment.cohort_id)
    enrolment = lock_row(Enrolment, enrolment)
    if enrolment.status != EnrolmentStatus.OFFERED or not enrolment.offer_expires_at:
        return False
    if enrolment.offer_expires_at > timezone.now():
        return False
    enrolment_set_status(enrolment, EnrolmentStatus.CANCELLED, offer_expires_at=None)
    refresh_places(cohort)
    audit.record(actor, "enrolment.offer_expire", enrolment)
    enqueue(ENROLMENT_EMAIL, enrolment.pk, "offer_expired")
    offer_free_places(cohort, actor)
    return True


def offers_expire_due(*, now=None) -> int:
    """Expire every offer past its 48 hours; each in its own transaction."""
    now = now or timezone.now()
    due = Enrolment.objects.filter(status=EnrolmentStatus.OFFERED, offer_expires_at__lte=now).values_list(
        "pk", flat=True
    )
    return sum(offer_expire(enrolment=Enrolment(pk=pk, cohort_id=cid)) for pk, cid in _with_cohort(due))


def _with_cohort(pks) -> list[tuple[int, int]]:
    return list(Enrolment.objects.filter(pk__in=list(pks)).values_list("pk", "cohort_id"))


@transaction.atomic
def waitlist_promote(*, cohort: Cohort, actor, enrolment: Enrolment | None = None) -> Enrolment:
    """Staff move someone (by default the first in line) off the waiting list into a free place."""
    cohort = lock_cohort(cohort)
    queue = cohort.enrolments.select_for_update().filter(status=EnrolmentStatus.WAITLISTED)
    chosen = (
        queue.filter(pk=enrolment.pk).first() if enrolment else queue.order_by("waitlist_position").first()
    )
    if chosen is None:
        raise EnrolmentRefused(
            "That person is not on the waiting list." if enrolment else "Nobody is waiting."
        )
    if cohort.places_taken >= cohort.capacity:
        raise EnrolmentRefused("There are no free places. Raise the cohort's capacity first.")
    position = chosen.waitlist_position
    enrolment_set_status(chosen, EnrolmentStatus.ENROLLED, waitlist_position=None)
    close_waitlist_gap(cohort, position)
    refresh_places(cohort)
    audit.record(actor, "enrolment.promote", chosen, {"from_position": position})
    enqueue(ENROLMENT_EMAIL, chosen.pk, "enrolled")
    return chosen


# --- applications -------------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    person: Person,
    cohort: Cohort,
    answers: Mapping[str, str],
    actor,
    profession: str = "",
    nominated_by_name: str = "",
    nominated_by_email: str = "",
) -> Application:
    cohort = lock_cohort(cohort)
    if cohort.programme.entry_route != EntryRoute.APPLICATION:
        raise EnrolmentRefused("This programme does not take applications.")
    check_enrolment_window(cohort)
    problems = eligibility_problems(person=person, cohort=cohort)
    if problems:
        raise EnrolmentRefused(problems)
    existing = existing_enrolment(cohort, person)
    refuse_if_active(existing)
    if existing is None:
        enrolment = Enrolment(cohort=cohort, person=person, status=EnrolmentStatus.APPLIED)
        enrolment.full_clean()
        enrolment.save()
    else:
        enrolment = existing
        enrolment_set_status(
            enrolment, EnrolmentStatus.APPLIED, waitlist_position=None, offer_expires_at=None
        )
        Application.objects.filter(enrolment=enrolment).delete()
    application = model_create(
        instance=Application(
            enrolment=enrolment,
            answers=dict(answers),
            profession=profession,
            nominated_by_name=nominated_by_name,
            nominated_by_email=nominated_by_email,
        ),
        actor=actor,
        action="application.submit",
        data={"cohort": cohort.pk, "profession": profession},
        target=enrolment,
    )
    enqueue(ENROLMENT_EMAIL, enrolment.pk, "applied")
    return application


@transaction.atomic
def application_decide(*, application: Application, decision: str, reviewer, note: str = "") -> Application:
    """Shortlist or decline. Shortlisted applicants are then offered places by `application_offer`."""
    if decision not in (ApplicationDecision.SHORTLISTED, ApplicationDecision.DECLINED):
        raise ValidationError("Choose shortlist or decline.")
    lock_cohort(application.enrolment.cohort_id)
    application = lock_row(Application, application, related=["enrolment"])
    enrolment = application.enrolment
    if enrolment.status not in (
        EnrolmentStatus.APPLIED,
        EnrolmentStatus.SHORTLISTED,
        EnrolmentStatus.DECLINED,
    ):
        raise EnrolmentRefused(
            f"This application can no longer be changed: {enrolment.get_status_display().lower()}."
        )
    application.decision, application.reviewer, application.note = decision, reviewer, note
    application.decided_at = timezone.now()
    application.full_clean()
    application.save(update_fields=["decision", "reviewer", "note", "decided_at"])
    status = (
        EnrolmentStatus.SHORTLISTED
        if decision == ApplicationDecision.SHORTLISTED
        else EnrolmentStatus.DECLINED
    )
    enrolment_set_status(enrolment, status)
    audit.record(reviewer, f"application.{decision}", enrolment, {"note": note})
    enqueue(ENROLMENT_EMAIL, enrolment.pk, status)
    return application


@transaction.atomic
def application_offer(*, enrolment: Enrolment, actor) -> Enrolment:
    """Offer a shortlisted applicant a place, held for 48 hours."""
    cohort = lock_cohort(enrolment.cohort_id)
    enrolment = lock_row(Enrolment, enrolment)
    if enrolment.status != EnrolmentStatus.SHORTLISTED:
        raise EnrolmentRefused("Only shortlisted applicants can be offered a place.")
    if cohort.places_taken >= cohort.capacity:
        raise EnrolmentRefused("There are no free places on this cohort.")
    enrolment_set_status(enrolment, EnrolmentStatus.OFFERED, offer_expires_at=timezone.now() + OFFER_HOLD)
    refresh_places(cohort)
    audit.record(actor, "enrolment.offer", enrolment, {"expires_at": enrolment.offer_expires_at})
    enqueue(ENROLMENT_EMAIL, enrolment.pk, "offered")
    return enrolment
