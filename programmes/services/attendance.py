"""Attendance, completion, certificates and feedback."""

from __future__ import annotations

import math
import secrets
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from academy import audit
from academy.background import enqueue
from academy.locking import lock_row
from academy.services import model_create
from programmes.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Feedback,
    Session,
)
from programmes.services.places import (
    ENROLMENT_EMAIL,
    EnrolmentRefused,
    enrolment_set_status,
    lock_cohort,
)

# --- attendance, completion, feedback -----------------------------------------------------------


@transaction.atomic
def attendance_mark(*, session: Session, marks: Mapping[int, str], actor) -> int:
    """Save a whole session's register at once: `marks` maps enrolment id to a status. Every
    enrolment must be on the session's cohort with a place; nothing is saved if one is not."""
    if session.is_cancelled:
        raise ValidationError("This session was cancelled, so there is no register to take.")
    if not session.register_open:
        starts = timezone.localtime(session.starts_at)
        raise ValidationError(
            f"You can take attendance once the session has started, at {starts:%H:%M} on {starts:%-d %B %Y}."
        )
    cohort = lock_cohort(session.cohort_id)
    allowed = set(
        cohort.enrolments.filter(
            status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)
        ).values_list("pk", flat=True)
    )
    unknown = set(marks) - allowed
    if unknown:
        raise ValidationError(f"{len(unknown)} of these people are not enrolled on this cohort.")
    bad = {v for v in marks.values() if v not in AttendanceStatus.values}
    if bad:
        raise ValidationError(f"Unknown attendance: {', '.join(sorted(bad))}.")
    now = timezone.now()
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, enrolment_id=pk, status=status, marked_by=actor, marked_at=now)
            for pk, status in marks.items()
        ],
        update_conflicts=True,
        unique_fields=["session", "enrolment"],
        update_fields=["status", "marked_by", "marked_at"],
    )
    counts = {s: sum(1 for v in marks.values() if v == s) for s in AttendanceStatus.values}
    audit.record(actor, "attendance.mark", session, counts, region=cohort.region)
    _complete_if_finished(cohort, actor)
    return len(marks)


def completion_met(*, attended: int, sessions: int, min_percent: int) -> bool:
    if sessions == 0:
        return False
    return attended >= math.ceil(sessions * min_percent / 100)


def _complete_if_finished(cohort: Cohort, actor) -> None:
    """Once every session has happened, whoever met the completion rule gets a certificate."""
    sessions = cohort.sessions.filter(is_cancelled=False)
    last_end = sessions.aggregate(m=Max("ends_at"))["m"]
    if last_end is None or last_end > timezone.now():
        return
    for enrolment in cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED):
        certificate_issue(enrolment=enrolment, actor=actor, strict=False)
    if cohort.status in (CohortStatus.OPEN, CohortStatus.CLOSED, CohortStatus.RUNNING):
        previous = cohort.status
        cohort.status = CohortStatus.COMPLETED
        cohort.save(update_fields=["status", "updated_at"])
        audit.record(actor, "cohort.completed", cohort, {"from": previous})


@transaction.atomic
def certificate_issue(*, enrolment: Enrolment, actor, strict: bool = True) -> Certificate | None:
    """Mark the enrolment completed and issue its certificate when the completion rule is met.
    With `strict`, a failed rule raises; otherwise it returns None."""
    enrolment = lock_row(Enrolment, enrolment, related=["cohort__programme"])
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing:
        return existing
    if enrolment.status not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED):
        if strict:
            raise EnrolmentRefused("Only enrolled participants can receive a certificate.")
        return None
    programme = enrolment.cohort.programme
    total = enrolment.cohort.sessions.filter(is_cancelled=False).count()
    attended = enrolment.attendances.filter(
        status=AttendanceStatus.ATTENDED, session__is_cancelled=False
    ).count()
    if not completion_met(attended=attended, sessions=total, min_percent=programme.completion_min_attendance):
        if strict:
            raise EnrolmentRefused(
                f"The completion rule is not met: attended {attended} of {total} sessions, "
                f"at least {programme.completion_min_attendance}% are needed."
            )
        return None
    if enrolment.status != EnrolmentStatus.COMPLETED:
        enrolment_set_status(enrolment, EnrolmentStatus.COMPLETED)
    certificate = Certificate.objects.create(enrolment=enrolment, code=secrets.token_hex(8).upper())
    audit.record(actor, "certificate.issue", enrolment, {"code": certificate.code, "attended": attended})
    enqueue(ENROLMENT_EMAIL, enrolment.pk, "certificate")
    return certificate


def feedback_allowed(enrolment: Enrolment, last_session_end) -> bool:
    return (
        enrolment.status in (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)
        and last_session_end is not None
        and last_session_end <= timezone.now()
    )


@transaction.atomic
def feedback_give(
    *, enrolment: Enrolment, rating: int, comment: str, consent_to_quote: bool, attribution: str, actor
) -> Feedback:
    last_end = enrolment.cohort.sessions.filter(is_cancelled=False).aggregate(m=Max("ends_at"))["m"]
    if not feedback_allowed(enrolment, last_end):
        raise EnrolmentRefused("Feedback opens after the last session of your cohort.")
    if Feedback.objects.filter(enrolment=enrolment).exists():
        raise EnrolmentRefused("You have already given feedback on this cohort. Thank you.")
    return model_create(
        instance=Feedback(
            enrolment=enrolment,
            rating=rating,
            comment=comment,
            consent_to_quote=consent_to_quote,
            attribution=attribution if consent_to_quote else "",
        ),
        actor=actor,
        action="feedback.give",
        data={"rating": rating, "consent_to_quote": consent_to_quote},
        target=enrolment,
    )
