"""Writes for programmes: enrolment and its waiting list, applications, attendance, certificates and
the staff side (programmes, cohorts, sessions, CSV import). Every function is atomic, validated and
audited. Callers use `from programmes import services` and `services.<entity>_<verb>(...)`.

Places never oversell: every write that takes or frees a place first locks the cohort's row
(`SELECT ... FOR UPDATE`, `places.lock_cohort`, through `academy.locking`), so concurrent enrolments on one cohort queue behind
each other and each sees the count the previous one left."""

from __future__ import annotations

from programmes.services.attendance import (
    attendance_mark,
    certificate_issue,
    completion_met,
    feedback_allowed,
    feedback_give,
)
from programmes.services.cohorts import (
    COHORT_FIELDS,
    PROGRAMME_FIELDS,
    SESSION_FIELDS,
    cohort_cancel,
    cohort_close,
    cohort_create,
    cohort_open,
    cohort_update,
    cohorts_mark_running,
    programme_create,
    programme_update,
    session_cancel,
    session_create,
    session_mark_reminded,
    session_update,
)
from programmes.services.enrolment import (
    application_decide,
    application_offer,
    application_submit,
    enrolment_add_by_email,
    enrolment_cancel,
    enrolment_create,
    invitation_accept,
    offer_accept,
    offer_expire,
    offers_expire_due,
    waitlist_promote,
)
from programmes.services.imports import enrolments_import, enrolments_import_commit, enrolments_import_write
from programmes.services.places import OFFER_HOLD, EnrolmentRefused, eligibility_problems

__all__ = [
    "COHORT_FIELDS",
    "OFFER_HOLD",
    "PROGRAMME_FIELDS",
    "SESSION_FIELDS",
    "EnrolmentRefused",
    "application_decide",
    "application_offer",
    "application_submit",
    "attendance_mark",
    "certificate_issue",
    "cohort_cancel",
    "cohort_close",
    "cohort_create",
    "cohort_open",
    "cohort_update",
    "cohorts_mark_running",
    "completion_met",
    "eligibility_problems",
    "enrolment_add_by_email",
    "enrolment_cancel",
    "enrolment_create",
    "enrolments_import",
    "enrolments_import_commit",
    "enrolments_import_write",
    "feedback_allowed",
    "feedback_give",
    "invitation_accept",
    "offer_accept",
    "offer_expire",
    "offers_expire_due",
    "programme_create",
    "programme_update",
    "session_cancel",
    "session_create",
    "session_mark_reminded",
    "session_update",
    "waitlist_promote",
]
