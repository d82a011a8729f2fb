"""What programmes holds about a person, for the download and the erasure (academy.privacy)."""

from __future__ import annotations

from academy import privacy
from programmes.models import Application, Attendance, Certificate, Enrolment, Feedback


def export(person) -> dict[str, privacy.Rows]:
    enrolments = Enrolment.objects.filter(person=person).select_related("cohort__programme")
    return {
        "enrolments.csv": [
            {
                "programme": e.cohort.programme.title,
                "cohort": e.cohort.name,
                "status": e.get_status_display(),
                "waiting-list position": e.waitlist_position,
                "offer held until": e.offer_expires_at,
                "created": e.created_at,
                "last changed": e.updated_at,
            }
            for e in enrolments
        ],
        "applications.csv": [
            {
                "cohort": a.enrolment.cohort.name,
                "submitted": a.submitted_at,
                "profession": a.profession,
                "answers": a.answers,
                "nominated by": a.nominated_by_name,
                "nominator's email": a.nominated_by_email,
                "decision": a.get_decision_display() if a.decision else "",
                "decided": a.decided_at,
            }
            for a in Application.objects.filter(enrolment__person=person).select_related("enrolment__cohort")
        ],
        "attendance.csv": [
            {"session": a.session.title, "starts": a.session.starts_at, "attendance": a.get_status_display()}
            for a in Attendance.objects.filter(enrolment__person=person).select_related("session")
        ],
        "feedback.csv": [
            {
                "cohort": f.enrolment.cohort.name,
                "rating": f.rating,
                "comment": f.comment,
                "may be quoted": f.consent_to_quote,
                "signed as": f.attribution,
                "given": f.created_at,
            }
            for f in Feedback.objects.filter(enrolment__person=person).select_related("enrolment__cohort")
        ],
        "certificates.csv": [
            {"cohort": c.enrolment.cohort.name, "code": c.code, "issued": c.issued_at}
            for c in Certificate.objects.filter(enrolment__person=person).select_related("enrolment__cohort")
        ],
    }


def erase(person) -> dict[str, int]:
    """The person's own words go (application answers, nominator, feedback comments); statuses,
    attendance, ratings and certificates stay, as the published figures count them."""
    applications = Application.objects.filter(enrolment__person=person).update(
        answers={}, nominated_by_name="", nominated_by_email="", note=""
    )
    feedback = Feedback.objects.filter(enrolment__person=person).update(comment="", attribution="")
    # The address staff typed to invite them is their email too: it goes (the invitation stays known).
    invitations = (
        Enrolment.objects.filter(person=person)
        .exclude(invited_email="")
        .update(invited_email=f"erased-{person.user_id}@erased.invalid")
    )
    return {"applications": applications, "feedback comments": feedback, "invitations": invitations}


def register() -> None:
    privacy.register(privacy.Area("programmes", "Programmes", export=export, erase=erase))
