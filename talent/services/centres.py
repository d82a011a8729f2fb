"""Development Assessment Centres: centres, nominations and bookings (places locked), assessors'
exercise ratings, and the panel's outcome, which can place the person in the pool."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy import audit
from academy.locking import lock_row
from academy.models import Person, Region
from academy.services import model_create
from talent.models import (
    AssessmentCentre,
    BookingStatus,
    CentreBooking,
    EntryRoute,
    ExerciseRating,
    PoolMember,
    Readiness,
)
from talent.services.pool import active_membership, member_add, readiness_change

TAKING_PLACES = (BookingStatus.BOOKED, BookingStatus.ATTENDED)


@transaction.atomic
def centre_create(
    *,
    region: Region,
    title: str,
    level: str,
    held_on: datetime.date,
    places: int,
    actor,
    venue: str = "",
    assessors: Iterable[Person] = (),
) -> AssessmentCentre:
    centre = model_create(
        instance=AssessmentCentre(
            region=region, title=title, level=level, held_on=held_on, places=places, venue=venue
        ),
        actor=actor,
        action="talent.centre.create",
    )
    centre.assessors.set(list(assessors))
    return centre


@transaction.atomic
def booking_nominate(*, centre: AssessmentCentre, person: Person, actor) -> CentreBooking:
    """Nominate a person for a centre (a nomination takes no place until it is booked)."""
    if CentreBooking.objects.filter(centre=centre, person=person).exists():
        raise ValidationError(f"{person.full_name} is already nominated for this centre.")
    if centre.held_on < timezone.localdate():
        raise ValidationError("This centre has already taken place.")
    return model_create(
        instance=CentreBooking(
            centre=centre,
            person=person,
            nominated_by=actor if getattr(actor, "is_authenticated", False) else None,
        ),
        actor=actor,
        action="talent.booking.nominate",
        target=centre,
        data={"person": person.pk},
        region=centre.region,
    )


@transaction.atomic
def booking_book(*, booking: CentreBooking, actor) -> CentreBooking:
    """Give a nominee a place. The centre is locked first, so two bookings at once cannot overfill it."""
    centre = lock_row(AssessmentCentre, booking.centre_id)
    booking = lock_row(CentreBooking, booking)
    if booking.status != BookingStatus.NOMINATED:
        raise ValidationError("Only a nomination can be booked.")
    taken = CentreBooking.objects.filter(centre=centre, status__in=TAKING_PLACES).count()
    if taken >= centre.places:
        raise ValidationError(f"All {centre.places} places at this centre are taken.")
    booking.status = BookingStatus.BOOKED
    booking.save(update_fields=["status"])
    audit.record(actor, "talent.booking.book", booking, region=centre.region)
    return booking


@transaction.atomic
def rating_record(
    *,
    booking: CentreBooking,
    assessor: Person,
    exercise: str,
    domain: str,
    score: int,
    actor,
    notes: str = "",
) -> ExerciseRating:
    """An assessor's rating of one exercise against one domain of the framework."""
    booking = CentreBooking.objects.select_related("centre").get(pk=booking.pk)
    centre = booking.centre
    if not centre.assessors.filter(pk=assessor.pk).exists():
        raise ValidationError("Only an assessor of this centre can rate its exercises.")
    if booking.status not in TAKING_PLACES:
        raise ValidationError("Only a person booked on the centre can be rated.")
    if ExerciseRating.objects.filter(
        booking=booking, assessor=assessor, exercise=exercise, domain=domain
    ).exists():
        raise ValidationError("You have already rated this exercise against this domain.")
    return model_create(
        instance=ExerciseRating(
            booking=booking, assessor=assessor, exercise=exercise, domain=domain, score=score, notes=notes
        ),
        actor=actor,
        action="talent.rating.record",
        target=booking,
        region=centre.region,
    )


@transaction.atomic
def panel_outcome_record(
    *,
    booking: CentreBooking,
    outcome: str,
    notes: str,
    actor,
    professional_group: str = "",
    service_type: str = "",
) -> PoolMember | None:
    """The panel's outcome for an assessed person: a readiness puts them in the pool (or, for a member
    already in it, is a new readiness decision with the panel's notes as evidence); no readiness
    records that they were assessed without joining."""
    booking = lock_row(CentreBooking, booking, related=["centre"])
    if booking.status not in TAKING_PLACES:
        raise ValidationError("Only a person booked on the centre can have a panel outcome.")
    if booking.outcome:
        raise ValidationError("The panel's outcome for this person is already recorded.")
    if outcome and outcome not in Readiness.values:
        raise ValidationError({"outcome": "Choose a readiness, or none."})
    if not notes.strip():
        raise ValidationError({"notes": "Say what the panel based its outcome on."})
    booking.status, booking.outcome, booking.outcome_notes = BookingStatus.ATTENDED, outcome, notes.strip()
    booking.save(update_fields=["status", "outcome", "outcome_notes"])
    audit.record(actor, "talent.booking.outcome", booking, {"outcome": outcome}, region=booking.centre.region)
    if not outcome:
        return None
    evidence = f"{booking.centre}: {notes.strip()}"
    member = active_membership(booking.person)
    if member is not None:
        readiness_change(
            member=member, readiness=outcome, evidence=evidence, actor=actor, decided_on=timezone.localdate()
        )
        return member
    if not (professional_group and service_type):
        raise ValidationError(
            "Give the person's professional group and service type to place them in the pool."
        )
    return member_add(
        person=booking.person,
        region=booking.centre.region,
        professional_group=professional_group,
        service_type=service_type,
        entry_route=EntryRoute.ASSESSMENT_CENTRE,
        readiness=outcome,
        evidence=evidence,
        actor=actor,
    )
