"""Importing enrolments from a spreadsheet, all or nothing, at the speed of a few bulk inserts.

The rows are checked first (`programmes.imports.read`: three queries whatever the size), then written
in one transaction: new accounts and profiles, the enrolments, one audit entry per person and per
enrolment, each with a bulk insert. The cohort's row lock is taken only at the end, for the moment its
places are counted, so someone enrolling on the cohort meanwhile waits for that moment, not for the
import; if the count then shows the cohort overfilled, the whole import is rolled back."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from academy import audit
from academy.background import enqueue
from academy.imports import ImportRow, Preview
from academy.models import ImportRun, Person, User
from programmes import imports
from programmes.models import ACTIVE, Cohort, Enrolment, EnrolmentStatus
from programmes.services.places import EnrolmentRefused, lock_cohort, refresh_places

EMAILS_TASK = "programmes.tasks.send_import_emails"
EMAIL_BATCH = 500


def enrolments_import(
    *, cohort: Cohort, content: bytes, actor, filename: str = "", commit: bool = False
) -> Preview:
    """Check a file against the cohort (the preview); with `commit`, write a clean one."""
    preview = imports.read(cohort=cohort, content=content, filename=filename)
    if commit and preview.ok:
        enrolments_import_write(cohort=cohort, rows=preview.rows, actor=actor)
    return preview


def enrolments_import_commit(*, run: ImportRun, progress: Callable[[int, str], None]) -> str:
    """Write an uploaded file kept by `academy.imports.pages` (in the request, or by its task)."""
    cohort = Cohort.objects.select_related("programme", "region").get(pk=run.target_id)
    progress(10, "Checking the file again")
    preview = imports.read(cohort=cohort, content=bytes(run.content), filename=run.filename)
    if not preview.ok:
        raise EnrolmentRefused(
            [(f"Line {line}: " if line else "") + message for line, message in preview.errors]
        )
    progress(40, f"Enrolling {preview.counted()}")
    enrolments_import_write(cohort=cohort, rows=preview.rows, actor=run.created_by)
    return f"{preview.counted()} {'has' if preview.count == 1 else 'have'} been enrolled on {cohort.name}."


@transaction.atomic
def enrolments_import_write(*, cohort: Cohort, rows: list[ImportRow], actor) -> list[Enrolment]:
    people = _people_for(rows, cohort, actor)
    existing = {
        e.person_id: e for e in Enrolment.objects.filter(cohort=cohort, person__in=[p.pk for p in people])
    }
    taken = [e for e in existing.values() if e.status in (*ACTIVE, EnrolmentStatus.DECLINED)]
    if taken:
        raise EnrolmentRefused(
            f"{taken[0].person.email} joined this cohort after the file was checked: check the file again."
        )
    fresh = [
        Enrolment(cohort=cohort, person=p, status=EnrolmentStatus.ENROLLED)
        for p in people
        if p.pk not in existing
    ]
    rejoining = [existing[p.pk] for p in people if p.pk in existing]
    for enrolment in rejoining:
        enrolment.status, enrolment.waitlist_position, enrolment.offer_expires_at = (
            EnrolmentStatus.ENROLLED,
            None,
            None,
        )
    try:
        with transaction.atomic():
            Enrolment.objects.bulk_create(fresh, batch_size=2000)
    except IntegrityError as exc:
        raise EnrolmentRefused(
            "Someone in the file joined this cohort meanwhile: check the file again."
        ) from exc
    Enrolment.objects.bulk_update(
        rejoining, ["status", "waitlist_position", "offer_expires_at", "updated_at"], batch_size=2000
    )
    enrolments = fresh + rejoining

    # Only now the cohort's lock, for the count: everyone enrolling meanwhile waits for this moment only.
    locked = lock_cohort(cohort)
    refresh_places(locked)
    if locked.places_taken > locked.capacity:
        raise EnrolmentRefused(
            f"Only {locked.capacity - (locked.places_taken - len(enrolments)):,} places are left on this "
            f"cohort now, fewer than the {imports.ENROLMENTS.counted(len(enrolments))} in the file: nothing has been imported."
        )
    audit.record_many(
        actor, "enrolment.enrolled", enrolments, {"cohort": cohort.pk, "by": "import"}, region=cohort.region
    )
    audit.record(
        actor,
        "enrolment.import",
        cohort,
        {"enrolled": len(enrolments), "new_people": sum(1 for p in people if getattr(p, "is_new", False))},
    )
    ids = [e.pk for e in enrolments]
    for start in range(0, len(ids), EMAIL_BATCH):
        enqueue(EMAILS_TASK, ids[start : start + EMAIL_BATCH])
    return enrolments


def _people_for(rows: list[ImportRow], cohort: Cohort, actor) -> list[Person]:
    """Each row's person, in the file's order: found by email, or created (account and profile) with
    bulk inserts. New people are marked `is_new`."""
    emails = [row["email"] for row in rows]
    found = imports.people_by_email(emails)
    users = {
        u.email_lower: u
        for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    }
    missing_users = [
        User(
            email=row["email"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            # An unusable password, as make_password(None) gives, without its cost per row: the person
            # sets their own from the invitation.
            password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
        )
        for row in rows
        if row["email"] not in users
    ]
    User.objects.bulk_create(missing_users, batch_size=2000)
    users |= {u.email: u for u in missing_users}
    new_people = []
    for row in rows:
        if row["email"] in found:
            continue
        organisation = row.get("organisation")
        person = Person(
            user=users[row["email"]],
            given_name=row["first_name"],
            family_name=row["last_name"],
            job_title=row["job_title"],
            organisation=organisation,
            region_id=organisation.region_id if organisation else cohort.region_id,
            staff_group=row["staff_group"],
            pay_band=row["pay_band"],
            gender=row["gender"],
            ethnic_category=row["ethnicity"],
            disability=row["disability"],
        )
        person.is_new = True
        new_people.append(person)
    Person.objects.bulk_create(new_people, batch_size=2000)
    audit.record_many(
        actor, "person.create_from_import", new_people, {"cohort": cohort.pk}, region=cohort.region
    )
    found |= {p.user.email: p for p in new_people}
    return [found[email] for email in emails]
