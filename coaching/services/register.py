"""The coach and mentor register: applications, reviews, qualifications."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from academy import audit, uploads
from academy.background import enqueue
from academy.locking import lock_row
from academy.models import Person, Role
from academy.services import model_create, role_grant
from coaching.models import (
    CoachProfile,
    ProfileStatus,
    Qualification,
    QualificationKind,
    sort_name_for,
    supervision_due,
)

CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024


@transaction.atomic
def coach_apply(
    *,
    person: Person,
    kind: str,
    specialisms: list[str],
    capacity: int,
    availability: str,
    availability_notes: str = "",
    experience: str = "",
    qualification_kind: str | None = None,
    qualification_title: str = "",
    awarded_on: datetime.date | None = None,
    certificate: UploadedFile | None = None,
    actor,
) -> CoachProfile:
    """Apply to join the register, or re-apply after being asked for more or declined; the form's
    qualification (with its certificate) is added in the same transaction."""
    if person.region_id is None:
        raise ValidationError("Add your organisation to your profile before you apply.")
    existing = CoachProfile.objects.filter(person=person).values_list("pk", flat=True).first()
    profile = lock_row(CoachProfile, existing) if existing else None
    if profile is not None and profile.status not in (
        ProfileStatus.MORE_INFO_REQUESTED,
        ProfileStatus.DECLINED,
    ):
        raise ValidationError("You have already applied to the register.")
    previous_status = profile.status if profile else None
    profile = profile or CoachProfile(person=person)
    profile.region_id = person.region_id
    profile.sort_name = sort_name_for(person)
    profile.kind = kind
    profile.specialisms = list(specialisms)
    profile.capacity = capacity
    profile.availability = availability
    profile.availability_notes = availability_notes
    profile.experience = experience
    profile.status = ProfileStatus.APPLIED
    profile.applied_at = timezone.now()
    profile.full_clean()
    profile.save()
    audit.record(actor, "coach.apply", profile, {"kind": kind, "previous_status": previous_status})
    if qualification_kind:
        qualification_add(
            profile=profile,
            kind=qualification_kind,
            title=qualification_title,
            awarded_on=awarded_on,
            certificate=certificate,
            actor=actor,
        )
    return profile


@transaction.atomic
def coach_update(
    *,
    profile: CoachProfile,
    specialisms: list[str],
    capacity: int,
    availability: str,
    availability_notes: str = "",
    actor,
) -> CoachProfile:
    """A coach keeps their specialisms, capacity and availability up to date. The profile is locked:
    its capacity is what relationship offers count against."""
    lock_row(CoachProfile, profile)
    profile.refresh_from_db()
    profile.specialisms = list(specialisms)
    profile.capacity = capacity
    profile.availability = availability
    profile.availability_notes = availability_notes
    profile.full_clean()
    profile.save(
        update_fields=["specialisms", "capacity", "availability", "availability_notes", "updated_at"]
    )
    audit.record(actor, "coach.update", profile, {"capacity": capacity, "availability": availability})
    return profile


class ReviewDecision:
    APPROVE = "approve"
    MORE_INFO = "more_info"
    DECLINE = "decline"
    CHOICES = (
        (APPROVE, "Approve: add them to the register"),
        (MORE_INFO, "Ask for more information"),
        (DECLINE, "Decline the application"),
    )


@transaction.atomic
def coach_review(*, profile: CoachProfile, decision: str, note: str = "", actor) -> CoachProfile:
    """Staff decide an application. Approval needs at least one recognised qualification; a newly
    approved coach's first supervision is due a year after approval."""
    profile = lock_row(CoachProfile, profile, related=["person__user"])
    if profile.status not in (ProfileStatus.APPLIED, ProfileStatus.MORE_INFO_REQUESTED):
        raise ValidationError("This application has already been decided.")
    if decision == ReviewDecision.APPROVE:
        recognised = profile.qualifications.filter(kind__in=QualificationKind.recognised())
        if not recognised.exists():
            raise ValidationError(
                "A coach needs at least one recognised qualification (ILM level 3, 5 or 7, EMCC or ICF) "
                "to be approved. Ask them for more information instead."
            )
        today = timezone.localdate()
        profile.status = ProfileStatus.APPROVED
        profile.approved_at = timezone.now()
        profile.supervision_due_on = supervision_due(profile.last_supervised_on, today)
        # The Coach role brings "My coaching" into their navigation.
        role_grant(user=profile.person.user, role=Role.COACH, region=profile.region, actor=actor)
    elif decision == ReviewDecision.MORE_INFO:
        if not note.strip():
            raise ValidationError("Say what more information you need.")
        profile.status = ProfileStatus.MORE_INFO_REQUESTED
    elif decision == ReviewDecision.DECLINE:
        profile.status = ProfileStatus.DECLINED
    else:
        raise ValidationError("Choose approve, ask for more information, or decline.")
    profile.review_note = note
    profile.save(update_fields=["status", "approved_at", "supervision_due_on", "review_note", "updated_at"])
    audit.record(actor, f"coach.review.{decision}", profile, {"status": profile.status})
    enqueue("coaching.tasks.send_review_email", profile.pk)
    return profile


def certificate_content_type(upload: UploadedFile) -> str:
    """The certificate's real type, checked by content and structure (`academy.uploads`): a PDF, PNG
    or JPEG under 5 MB that is nothing else besides."""
    return uploads.document_type(upload, max_bytes=CERTIFICATE_MAX_BYTES, what="The certificate").content_type


@transaction.atomic
def qualification_add(
    *,
    profile: CoachProfile,
    kind: str,
    title: str = "",
    awarded_on: datetime.date | None = None,
    certificate: UploadedFile | None = None,
    actor,
) -> Qualification:
    if kind == QualificationKind.OTHER and not title.strip():
        raise ValidationError("Give the name of the qualification.")
    qualification = Qualification(profile=profile, kind=kind, title=title, awarded_on=awarded_on)
    if certificate is not None:
        found = uploads.document_type(certificate, max_bytes=CERTIFICATE_MAX_BYTES, what="The certificate")
        qualification.certificate_content_type = found.content_type
        # Stored under a random name with the extension of the type found, never the coach's own.
        certificate.name = uploads.stored_name(found)
        qualification.certificate = certificate
    return model_create(
        instance=qualification,
        actor=actor,
        action="coach.qualification_add",
        data={"kind": kind, "certificate": bool(certificate)},
        region=profile.region,
    )
