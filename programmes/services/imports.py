"""Importing enrolments from CSV, all or nothing."""

from __future__ import annotations

from django.db import transaction

from academy import audit
from academy.background import enqueue
from academy.models import Person, User
from programmes import csv_import
from programmes.models import (
    Cohort,
    Enrolment,
    EnrolmentStatus,
)
from programmes.services.places import (
    ENROLMENT_EMAIL,
    EnrolmentRefused,
    enrolment_set_status,
    existing_enrolment,
    lock_cohort,
    refresh_places,
    refuse_if_active,
)

# --- staff: CSV import --------------------------------------------------------------------------


@transaction.atomic
def enrolments_import_csv(
    *, cohort: Cohort, text: str, actor, commit: bool = False
) -> csv_import.ImportPreview:
    """Enrol everyone in a CSV, or no one: the preview names every bad row by line and reason.
    With `commit`, a clean file is written (new people are created, matched by email otherwise)."""
    cohort = lock_cohort(cohort)
    preview = csv_import.read(cohort=cohort, text=text)
    if not commit or not preview.ok:
        return preview
    for row in preview.rows:
        person = row.person or _person_create_from_import(row, cohort, actor)
        existing = existing_enrolment(cohort, person)
        refuse_if_active(existing)
        if existing is None:
            enrolment = Enrolment(cohort=cohort, person=person, status=EnrolmentStatus.ENROLLED)
            enrolment.save()
        else:
            enrolment = existing
            enrolment_set_status(
                enrolment, EnrolmentStatus.ENROLLED, waitlist_position=None, offer_expires_at=None
            )
        enqueue(ENROLMENT_EMAIL, enrolment.pk, EnrolmentStatus.ENROLLED)
    refresh_places(cohort)
    if cohort.places_taken > cohort.capacity:
        raise EnrolmentRefused("The import would overfill this cohort.")
    audit.record(
        actor, "enrolment.import", cohort, {"enrolled": len(preview.rows), "new_people": preview.new_people}
    )
    return preview


def _person_create_from_import(row: csv_import.ImportRow, cohort: Cohort, actor) -> Person:
    user = User.objects.create_user(email=row.email, first_name=row.first_name, last_name=row.last_name)
    person = Person(
        user=user,
        given_name=row.first_name,
        family_name=row.last_name,
        job_title=row.job_title,
        organisation=row.organisation,
        region_id=row.organisation.region_id if row.organisation else cohort.region_id,
        staff_group=row.staff_group,
        pay_band=row.pay_band,
    )
    person.full_clean(exclude=["user"])
    person.save()
    audit.record(actor, "person.create_from_import", person, {"cohort": cohort.pk}, region=cohort.region)
    return person
