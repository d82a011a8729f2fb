"""Writes of the coaching app. Each is atomic, validated and audited; failures raise ValidationError
with a message a person can act on. Callers use `from coaching import services` and
`services.<entity>_<verb>(...)`.

Every change of a relationship, a coach's places or a group supervision's attendees first takes its
row locks through `academy.locking` (the coach's profile before the request or relationship; the
session before its attendees), so counts checked are counts written."""

from __future__ import annotations

from coaching.services.cpd import (
    cpd_attend,
    cpd_event_add_recording,
    cpd_event_create,
    cpd_log,
)
from coaching.services.register import (
    CERTIFICATE_MAX_BYTES,
    ReviewDecision,
    certificate_content_type,
    coach_apply,
    coach_review,
    coach_update,
    qualification_add,
)
from coaching.services.relationships import (
    coaching_request_create,
    coaching_request_withdraw,
    places_recount,
    relationship_accept,
    relationship_close,
    relationship_decline,
    relationship_offer,
    session_log,
    sort_names_recount,
)
from coaching.services.supervision import (
    compliance_refresh,
    reflective_note_write,
    supervision_add_attendee,
    supervision_cancel,
    supervision_confirm_attendance,
    supervision_dates_refresh,
    supervision_log,
    supervision_remove_attendee,
    supervision_schedule,
)

__all__ = [
    "CERTIFICATE_MAX_BYTES",
    "ReviewDecision",
    "certificate_content_type",
    "coach_apply",
    "coach_review",
    "coach_update",
    "coaching_request_create",
    "coaching_request_withdraw",
    "compliance_refresh",
    "cpd_attend",
    "cpd_event_add_recording",
    "cpd_event_create",
    "cpd_log",
    "places_recount",
    "qualification_add",
    "reflective_note_write",
    "relationship_accept",
    "relationship_close",
    "relationship_decline",
    "relationship_offer",
    "session_log",
    "sort_names_recount",
    "supervision_add_attendee",
    "supervision_cancel",
    "supervision_confirm_attendance",
    "supervision_dates_refresh",
    "supervision_log",
    "supervision_remove_attendee",
    "supervision_schedule",
]
