"""What coaching holds about a person, for the download, the erasure and the retention schedule
(academy.privacy)."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from academy import audit, privacy
from coaching.models import (
    CoachingRelationship,
    CoachingRequest,
    CoachingSessionLog,
    CoachProfile,
    CPDLog,
    ProfileStatus,
    Qualification,
    ReflectiveNote,
    SupervisionRecord,
)


def export(person) -> dict[str, object]:
    tables: dict[str, object] = {
        "coaching_requests.csv": [
            {
                "kind": r.get_relationship_type_display(),
                "goals": r.goals,
                "specialisms": r.specialisms,
                "preferences": r.preferences,
                "status": r.get_status_display(),
            }
            for r in CoachingRequest.objects.filter(requester=person)
        ],
        "relationships.csv": [
            {
                "kind": r.get_relationship_type_display(),
                "coach": r.coach.person.full_name,
                "coachee": r.coachee.full_name,
                "status": r.get_status_display(),
                "started": r.started_on,
                "closed": r.closed_on,
                "rating": r.evaluation_rating,
                "evaluation": r.evaluation,
            }
            for r in _relationships(person).select_related("coach__person", "coachee")
        ],
        "coaching_sessions.csv": [
            {"held on": s.held_on, "minutes": s.duration_minutes, "notes": s.notes}
            for s in CoachingSessionLog.objects.filter(relationship__in=_relationships(person))
        ],
    }
    profile = CoachProfile.objects.filter(person=person).first()
    if profile is None:
        return tables
    tables["register_entry.json"] = {
        "kind": profile.get_kind_display(),
        "status": profile.get_status_display(),
        "specialisms": profile.specialisms,
        "capacity": profile.capacity,
        "availability": profile.get_availability_display(),
        "availability notes": profile.availability_notes,
        "experience": profile.experience,
        "review note": profile.review_note,
        "applied": profile.applied_at,
        "approved": profile.approved_at,
        "last supervised": profile.last_supervised_on,
        "supervision due": profile.supervision_due_on,
    }
    tables["qualifications.csv"] = [
        {
            "qualification": q.get_kind_display(),
            "title": q.title,
            "awarded": q.awarded_on,
            "certificate file": _file_name(q) if q.certificate else "",
        }
        for q in profile.qualifications.all()
    ]
    tables["supervision.csv"] = [
        {"held on": s.held_on, "hours": s.hours, "supervisor": s.supervisor_name, "functions": s.functions}
        for s in SupervisionRecord.objects.filter(profile=profile)
    ]
    tables["cpd.csv"] = [
        {"done on": c.done_on, "hours": c.hours, "activity": c.activity, "what you learnt": c.learning}
        for c in CPDLog.objects.filter(profile=profile)
    ]
    tables["reflective_notes.csv"] = [
        {"written": n.written_at, "title": n.title, "note": n.body}
        for n in ReflectiveNote.objects.filter(profile=profile)
    ]
    return tables


def _relationships(person):
    return CoachingRelationship.objects.filter(Q(coachee=person) | Q(coach__person=person))


def _file_name(qualification: Qualification) -> str:
    return f"{qualification.pk}-{qualification.kind}{PurePosixPath(qualification.certificate.name).suffix}"


def files(person):
    for qualification in Qualification.objects.filter(profile__person=person).exclude(certificate=""):
        if qualification.certificate.storage.exists(qualification.certificate.name):
            yield _file_name(qualification), qualification.certificate.open("rb")


def _delete_certificates(qualifications) -> int:
    deleted = 0
    for qualification in qualifications.exclude(certificate=""):
        qualification.certificate.delete(save=False)
        qualification.certificate_content_type = ""
        qualification.save(update_fields=["certificate", "certificate_content_type"])
        deleted += 1
    return deleted


def erase(person) -> dict[str, int]:
    """The person's own words and files go; what the figures count (relationships, ratings,
    supervision and CPD hours, qualifications by kind) stays."""
    profile = CoachProfile.objects.filter(person=person).first()
    counts = {
        "coaching requests": CoachingRequest.objects.filter(requester=person).update(
            goals="", preferences=""
        ),
        "evaluations": _relationships(person).update(evaluation=""),
        "session notes": CoachingSessionLog.objects.filter(relationship__in=_relationships(person)).update(
            notes=""
        ),
    }
    if profile is not None:
        profile.availability_notes = profile.experience = profile.review_note = ""
        profile.sort_name = "erased person"
        profile.save(update_fields=["availability_notes", "experience", "review_note", "sort_name"])
        counts["certificate files"] = _delete_certificates(profile.qualifications.all())
        counts["reflective notes"] = ReflectiveNote.objects.filter(profile=profile).delete()[0]
        counts["CPD notes"] = CPDLog.objects.filter(profile=profile).update(activity="CPD", learning="")
    return counts


def retain(now) -> dict[str, int]:
    """Delete the certificate files of coaches lapsed longer than the retention period (counted from
    the supervision date they missed); each coach's deletion is audited."""
    years = settings.RETENTION_LAPSED_COACH_CERTIFICATE_YEARS
    cutoff = now.date() - dt.timedelta(days=round(365.25 * years))
    lapsed = CoachProfile.objects.filter(
        status=ProfileStatus.LAPSED,
        supervision_due_on__lt=cutoff,
        qualifications__certificate__gt="",
    ).distinct()
    deleted = 0
    for profile in lapsed:
        with transaction.atomic():
            count = _delete_certificates(Qualification.objects.select_for_update().filter(profile=profile))
            if count:
                audit.record(
                    None,
                    "coach.certificates_delete",
                    profile,
                    {"files": count, "lapsed_since": profile.supervision_due_on, "retention_years": years},
                )
                deleted += count
    return {"certificate files deleted": deleted}


def register() -> None:
    privacy.register(
        privacy.Area(
            "coaching", "Coaching and mentoring", export=export, erase=erase, files=files, retain=retain
        )
    )
