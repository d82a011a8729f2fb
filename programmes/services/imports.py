"""Importing enrolments from a spreadsheet, all or nothing, at the speed of a few bulk inserts.

The rows are checked first (`programmes.imports.read`: three queries whatever the size), then written
in one transaction, set-based: the people already on Academy found in one query, new accounts and
profiles and the enrolments each inserted as one statement per 10,000 rows (each column sent as one
array, `academy.bulk`), and one audit entry for the import with its counts (plus one per person let in
from outside the sign-up domains, with the reason staff gave). An entry per row was a third of the
write's database time (bench/imports.py) and told the log's reader nothing the import's entry does
not: which cohort, who, when, how many. The cohort's row lock is taken only at the
end, for the moment its places are counted, so someone enrolling on the cohort meanwhile waits for
that moment, not for the import; if the count then shows the cohort overfilled, the whole import is
rolled back. bench/imports.py measures it."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from academy import audit
from academy.background import enqueue
from academy.bulk import insert_columns, repeat
from academy.imports import ImportRow, Preview, line_messages
from academy.imports.people import people_insert
from academy.models import ImportRun, Person
from programmes import imports
from programmes.models import ACTIVE, Cohort, Enrolment, EnrolmentStatus
from programmes.services.places import EnrolmentRefused, lock_cohort, refresh_places

EMAILS_TASK = "programmes.tasks.send_import_emails"
EMAIL_BATCH = 500


def enrolments_import(
    *,
    cohort: Cohort,
    content: bytes,
    actor,
    filename: str = "",
    commit: bool = False,
    other_domains: bool = False,
    reason: str = "",
) -> Preview:
    """Check a file against the cohort (the preview); with `commit`, write a clean one. New people
    outside the sign-up domains are refused unless `other_domains`, with a `reason` (audited)."""
    if other_domains and not reason.strip():
        raise EnrolmentRefused("Give the reason for allowing addresses outside the sign-up domains.")
    preview = imports.read(cohort=cohort, content=content, filename=filename, other_domains=other_domains)
    if commit and preview.ok:
        enrolments_import_write(
            cohort=cohort, rows=preview.rows, actor=actor, reason=reason, filename=filename
        )
    return preview


def enrolments_import_commit(*, run: ImportRun, progress: Callable[[int, str], None]) -> str:
    """Write an uploaded file kept by `academy.imports.pages` (in the request, or by its task)."""
    cohort = Cohort.objects.select_related("programme", "region").get(pk=run.target_id)
    progress(10, "Checking the file again")
    other_domains, reason = bool(run.options.get("other_domains")), run.options.get("reason", "")
    preview = imports.read(
        cohort=cohort, content=bytes(run.content), filename=run.filename, other_domains=other_domains
    )
    if not preview.ok:
        raise EnrolmentRefused(line_messages(preview.errors))
    progress(40, f"Enrolling {preview.counted()}")
    enrolments_import_write(
        cohort=cohort, rows=preview.rows, actor=run.created_by, reason=reason, filename=run.filename
    )
    return f"{preview.counted()} {'has' if preview.count == 1 else 'have'} been enrolled on {cohort.name}."


@transaction.atomic
def enrolments_import_write(
    *, cohort: Cohort, rows: list[ImportRow], actor, reason: str = "", filename: str = ""
) -> list[int]:
    """Write checked rows; returns the enrolments' ids. `reason` is why addresses outside the sign-up
    domains were allowed (each such person's entry in the audit log carries it)."""
    now = timezone.now()
    try:
        people, new_count = _people_for(rows, cohort, now)
    except IntegrityError as exc:  # someone in the file signed up after it was checked
        raise EnrolmentRefused("Someone in the file joined Academy meanwhile: check the file again.") from exc
    outside = imports.outside_domains(rows)
    if outside:
        audit.record_many(
            actor,
            "person.signup_domain_exception",
            Person,
            [(people[row["email"]], row["email"]) for row in outside],
            {"reason": reason, "cohort": cohort.pk},
            region=cohort.region,
        )
    existing = imports.statuses_on(cohort, list(people.values()))
    taken = [pk for pk, status in existing.items() if status in (*ACTIVE, EnrolmentStatus.DECLINED)]
    if taken:
        raise EnrolmentRefused(
            f"{Person.objects.get(pk=taken[0]).email} joined this cohort after the file was checked: check the file again."
        )
    fresh = [pk for pk in people.values() if pk not in existing]
    # Everyone not already a person of the region is invited: staff see only the address they gave.
    invited = {people[row["email"]]: row["email"] for row in rows if row.get("invited", True)}
    try:
        with transaction.atomic():
            inserted = insert_columns(
                Enrolment,
                {
                    "cohort": repeat(cohort.pk, len(fresh)),
                    "person": fresh,
                    "status": repeat(EnrolmentStatus.ENROLLED, len(fresh)),
                    "waitlist_position": repeat(None, len(fresh)),
                    "offer_expires_at": repeat(None, len(fresh)),
                    "invited_email": [invited.get(pk, "") for pk in fresh],
                    "accepted_at": repeat(None, len(fresh)),
                    "created_at": repeat(now, len(fresh)),
                    "updated_at": repeat(now, len(fresh)),
                },
                returning=("id", "person"),
            )
    except IntegrityError as exc:
        raise EnrolmentRefused(
            "Someone in the file joined this cohort meanwhile: check the file again."
        ) from exc
    enrolment_of = {person_id: pk for pk, person_id in inserted}
    if existing:  # places cancelled or expired before, taken up again
        rejoining = Enrolment.objects.filter(cohort=cohort, person__in=list(existing))
        enrolment_of |= dict(rejoining.values_list("person_id", "pk"))
        rejoining.update(
            status=EnrolmentStatus.ENROLLED, waitlist_position=None, offer_expires_at=None, updated_at=now
        )

    audit.record(
        actor,
        "enrolment.import",
        cohort,
        {
            "enrolled": len(enrolment_of),
            "new_people": new_count,
            "enrolled_again": len(existing),
            "outside_sign_up_domains": len(outside),
            "file": filename,
        },
        region=cohort.region,
    )
    ids = [enrolment_of[pk] for pk in people.values()]
    for start in range(0, len(ids), EMAIL_BATCH):
        enqueue(EMAILS_TASK, ids[start : start + EMAIL_BATCH])

    # Django's foreign keys are checked at COMMIT (DEFERRABLE INITIALLY DEFERRED): for 50,000 rows that
    # is seconds of work, which would happen under the lock. Checked now, before it, instead.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    # Only now the cohort's lock, for the count: everyone enrolling meanwhile waits for this moment only.
    locked = lock_cohort(cohort)
    refresh_places(locked)
    if locked.places_taken > locked.capacity:
        left = locked.capacity - (locked.places_taken - len(enrolment_of))
        raise EnrolmentRefused(
            f"Only {left:,} place{'' if left == 1 else 's'} {'is' if left == 1 else 'are'} left on this cohort now, "
            f"fewer than the {imports.ENROLMENTS.counted(len(enrolment_of))} in the file: nothing has been imported."
        )
    return ids


def _people_for(rows: list[ImportRow], cohort: Cohort, now) -> tuple[dict[str, int], int]:
    """Each row's person id by email, in the file's order: found by email, or created (account and
    profile) with one insert each. Returns them and how many were new."""
    emails = [row["email"] for row in rows]
    # The check found the people already on Academy (`row["person"]`); the rest are created.
    found = {row["email"]: row["person"].pk for row in rows if row.get("person") is not None}
    to_create = [row for row in rows if row["email"] not in found]
    found |= people_insert(to_create, region_id=cohort.region_id, now=now, can_sign_in=True)
    return {email: found[email] for email in emails}, len(to_create)
