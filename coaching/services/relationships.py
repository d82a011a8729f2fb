"""Coaching requests and relationships: matching, offers, sessions, closing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Lower, Trim
from django.utils import timezone

from academy import audit
from academy.background import enqueue
from academy.locking import lock_row
from academy.models import Person
from academy.services import model_create, status_move
from coaching.models import (
    CoachingRelationship,
    CoachingRequest,
    CoachingSessionLog,
    CoachProfile,
    RelationshipStatus,
    RelationshipType,
    RequestStatus,
)

RELATIONSHIP_EMAIL = "coaching.tasks.send_relationship_email"


@transaction.atomic
def coaching_request_create(
    *,
    requester: Person,
    relationship_type: str,
    goals: str,
    specialisms: list[str],
    preferences: str = "",
    actor,
) -> CoachingRequest:
    if requester.region_id is None:
        raise ValidationError("Add your organisation to your profile before you ask for a coach.")
    waiting = CoachingRequest.objects.filter(
        requester=requester,
        relationship_type=relationship_type,
        status__in=[RequestStatus.OPEN, RequestStatus.OFFERED],
    )
    if waiting.exists():
        raise ValidationError("You already have a request of this kind waiting for a match.")
    return model_create(
        instance=CoachingRequest(
            requester=requester,
            region_id=requester.region_id,
            relationship_type=relationship_type,
            goals=goals,
            specialisms=list(specialisms),
            preferences=preferences,
        ),
        actor=actor,
        action="coaching_request.create",
        data={"type": relationship_type},
    )


@transaction.atomic
def coaching_request_withdraw(*, coaching_request: CoachingRequest, actor) -> CoachingRequest:
    return status_move(
        instance=coaching_request,
        source=RequestStatus.OPEN,
        target=RequestStatus.WITHDRAWN,
        refusal="Only a request still waiting for a match can be withdrawn.",
        actor=actor,
        action="coaching_request.withdraw",
    )


@transaction.atomic
def relationship_offer(
    *, coaching_request: CoachingRequest, coach: CoachProfile, actor
) -> CoachingRelationship:
    """Staff offer a coach for a request. Never someone from the coachee's own organisation, never a
    coach without free capacity (the coach's row is locked while places are counted, before the
    request's, as in every change of a coach's places)."""
    coach = lock_row(CoachProfile, coach, related=["person"])
    coaching_request = lock_row(CoachingRequest, coaching_request, related=["requester"])
    requester = coaching_request.requester
    if coaching_request.status != RequestStatus.OPEN:
        raise ValidationError("This request is not waiting for a match.")
    if coach.person_id == requester.pk:
        raise ValidationError("Nobody can be their own coach.")
    if coach.person.organisation_id is not None and coach.person.organisation_id == requester.organisation_id:
        raise ValidationError("The coach works in the participant's own organisation; choose someone else.")
    if not coach.is_compliant():
        raise ValidationError("Only approved coaches with up-to-date supervision can be offered.")
    if coach.kind not in RelationshipType.kinds_for(coaching_request.relationship_type):
        raise ValidationError("This person is not registered for this kind of relationship.")
    if coach.region_id != coaching_request.region_id:
        raise ValidationError("This coach is on another region's register.")
    busy = coach.relationships.filter(
        status__in=[RelationshipStatus.OFFERED, RelationshipStatus.ACTIVE]
    ).count()
    if busy >= coach.capacity:
        raise ValidationError("This coach has no free places.")
    relationship = CoachingRelationship.objects.create(
        coach=coach,
        coachee=requester,
        request=coaching_request,
        region_id=coaching_request.region_id,
        relationship_type=coaching_request.relationship_type,
    )
    coaching_request.status = RequestStatus.OFFERED
    coaching_request.save(update_fields=["status"])
    places_recount(profile_ids=[coach.pk])
    audit.record(
        actor, "relationship.offer", relationship, {"coach": coach.pk, "request": coaching_request.pk}
    )
    enqueue(RELATIONSHIP_EMAIL, relationship.pk, "offered")
    return relationship


def places_recount(*, profile_ids: Iterable[int] | None = None) -> int:
    """Set each coach's `places_taken` to their offered and active relationships, in one UPDATE that
    touches only rows whose count is wrong. Called by the services that change a relationship's status
    (for that coach), by the daily compliance run and after bulk loads (for everyone)."""
    busy = (
        CoachingRelationship.objects.filter(
            coach=OuterRef("pk"), status__in=[RelationshipStatus.OFFERED, RelationshipStatus.ACTIVE]
        )
        .order_by()
        .values("coach")
        .annotate(n=Count("pk"))
        .values("n")
    )
    counted = Coalesce(Subquery(busy, output_field=IntegerField()), Value(0))
    profiles = (
        CoachProfile.objects.all() if profile_ids is None else CoachProfile.objects.filter(pk__in=profile_ids)
    )
    return profiles.annotate(counted=counted).exclude(places_taken=F("counted")).update(places_taken=counted)


def sort_names_recount() -> int:
    """Put right every coach's `sort_name` whose person has been renamed (the SQL twin of
    coaching.models.sort_name_for), in one UPDATE touching only the rows that differ."""
    key = Subquery(
        Person.objects.filter(pk=OuterRef("person_id"))
        .annotate(key=Lower(Trim(Concat("family_name", Value(" "), "given_name"))))
        .values("key")[:1]
    )
    return CoachProfile.objects.annotate(key=key).exclude(sort_name=F("key")).update(sort_name=key)


def relationship_lock(relationship: CoachingRelationship) -> CoachingRelationship:
    """Lock the coach's profile (whose places a change of status moves), then the relationship, and
    return the relationship fresh from the database."""
    coach_id = CoachingRelationship.objects.values_list("coach_id", flat=True).get(pk=relationship.pk)
    lock_row(CoachProfile, coach_id)
    return lock_row(CoachingRelationship, relationship, related=["coach"])


@transaction.atomic
def relationship_accept(
    *, relationship: CoachingRelationship, coach_person: Person, actor
) -> CoachingRelationship:
    relationship = relationship_lock(relationship)
    if relationship.coach.person_id != coach_person.pk:
        raise ValidationError("Only the coach offered can accept.")
    if relationship.status != RelationshipStatus.OFFERED:
        raise ValidationError("This offer has already been answered.")
    relationship.status = RelationshipStatus.ACTIVE
    relationship.started_on = timezone.localdate()
    relationship.save(update_fields=["status", "started_on"])
    if relationship.request_id:
        CoachingRequest.objects.filter(pk=relationship.request_id).update(status=RequestStatus.MATCHED)
    audit.record(actor, "relationship.accept", relationship)
    enqueue(RELATIONSHIP_EMAIL, relationship.pk, "accepted")
    return relationship


@transaction.atomic
def relationship_decline(
    *, relationship: CoachingRelationship, coach_person: Person, actor
) -> CoachingRelationship:
    """The coach declines; the request goes back to the matching queue."""
    relationship = relationship_lock(relationship)
    if relationship.coach.person_id != coach_person.pk:
        raise ValidationError("Only the coach offered can decline.")
    if relationship.status != RelationshipStatus.OFFERED:
        raise ValidationError("This offer has already been answered.")
    relationship.status = RelationshipStatus.DECLINED
    relationship.save(update_fields=["status"])
    if relationship.request_id:
        CoachingRequest.objects.filter(pk=relationship.request_id).update(status=RequestStatus.OPEN)
    places_recount(profile_ids=[relationship.coach_id])
    audit.record(actor, "relationship.decline", relationship)
    enqueue(RELATIONSHIP_EMAIL, relationship.pk, "declined")
    return relationship


def relationship_has_party(relationship: CoachingRelationship, person: Person) -> bool:
    return person.pk in (relationship.coach.person_id, relationship.coachee_id)


@transaction.atomic
def session_log(
    *,
    relationship: CoachingRelationship,
    person: Person,
    held_on: datetime.date,
    duration_minutes: int,
    notes: str = "",
    actor,
) -> CoachingSessionLog:
    relationship = relationship_lock(relationship)
    if not relationship_has_party(relationship, person):
        raise ValidationError("You can only log sessions for your own coaching relationships.")
    if relationship.status != RelationshipStatus.ACTIVE:
        raise ValidationError("Sessions can only be logged while the relationship is active.")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "A session can only be logged once it has happened."})
    if relationship.started_on and held_on < relationship.started_on:
        raise ValidationError({"held_on": "The session is dated before the relationship started."})
    return model_create(
        instance=CoachingSessionLog(
            relationship=relationship,
            held_on=held_on,
            duration_minutes=duration_minutes,
            notes=notes,
            logged_by=person,
        ),
        actor=actor,
        action="relationship.session_log",
        data={"held_on": held_on, "duration_minutes": duration_minutes},
        target=relationship,
    )


@transaction.atomic
def relationship_close(
    *, relationship: CoachingRelationship, person: Person, rating: int, evaluation: str = "", actor
) -> CoachingRelationship:
    """Either side closes the relationship with a short evaluation."""
    relationship = relationship_lock(relationship)
    if not relationship_has_party(relationship, person):
        raise ValidationError("Only the coach or the coachee can close this relationship.")
    if relationship.status != RelationshipStatus.ACTIVE:
        raise ValidationError("Only an active relationship can be closed.")
    relationship.status = RelationshipStatus.CLOSED
    relationship.closed_on = timezone.localdate()
    relationship.closed_by = person
    relationship.evaluation_rating = rating
    relationship.evaluation = evaluation
    relationship.full_clean()
    relationship.save(update_fields=["status", "closed_on", "closed_by", "evaluation_rating", "evaluation"])
    places_recount(profile_ids=[relationship.coach_id])
    audit.record(actor, "relationship.close", relationship, {"rating": rating})
    enqueue(RELATIONSHIP_EMAIL, relationship.pk, "closed")
    return relationship
