"""Importing an existing talent pool, or career movements, from CSV: all or nothing, every bad row
named by its line (the file is read and checked by `talent.csv_import`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from academy import audit
from academy.models import Person, Region, User
from talent import csv_import
from talent.services.pool import member_add, movement_record

IMPORT_EVIDENCE = "Imported from the talent pool spreadsheet: readiness as recorded there on {day:%-d %B %Y}."


@transaction.atomic
def pool_import_csv(*, region: Region, text: str, actor, commit: bool = False) -> csv_import.Preview:
    """Add everyone in the file to the pool, or no one. New people get an account (matched by email
    otherwise); a person's equality answers are filled from the file only where their profile has
    none (the profile is theirs to change)."""
    preview = csv_import.read_pool(region=region, text=text)
    if not commit or not preview.ok:
        return preview
    for row in preview.rows:
        try:
            person = row.person or person_create_from_import(row, region, actor)
            fill_blank_answers(person, row.profile)
            values = dict(row.values)
            decided_on = values.pop("decided_on")
            member_add(
                person=person,
                region=region,
                evidence=IMPORT_EVIDENCE.format(day=decided_on),
                decided_on=decided_on,
                target_roles=row.target_roles,
                actor=actor,
                **values,
            )
        except ValidationError as refusal:
            preview.errors.append((row.line, " ".join(refusal.messages)))
    if preview.errors:
        transaction.set_rollback(True)
        return preview
    audit.record(actor, "talent.pool.import", None, {"members": len(preview.rows)}, region=region)
    return preview


@transaction.atomic
def movements_import_csv(*, region: Region, text: str, actor, commit: bool = False) -> csv_import.Preview:
    """Record every movement in the file, or none."""
    preview = csv_import.read_movements(region=region, text=text)
    if not commit or not preview.ok:
        return preview
    for row in preview.rows:
        try:
            movement_record(member=row.member, actor=actor, **row.values)
        except ValidationError as refusal:
            preview.errors.append((row.line, " ".join(refusal.messages)))
    if preview.errors:
        transaction.set_rollback(True)
        return preview
    audit.record(actor, "talent.movements.import", None, {"movements": len(preview.rows)}, region=region)
    return preview


def person_create_from_import(row: csv_import.PoolRow, region: Region, actor) -> Person:
    first, last = row.profile["first_name"], row.profile["last_name"]
    user = User.objects.create_user(email=row.email, first_name=first, last_name=last)
    organisation = row.values.get("organisation")
    person = Person(
        user=user,
        given_name=first,
        family_name=last,
        job_title=row.profile.get("job_title", ""),
        organisation=organisation,
        region_id=organisation.region_id if organisation else region.pk,
    )
    person.full_clean(exclude=["user"])
    person.save()
    audit.record(actor, "person.create_from_import", person, {"talent_pool": True}, region=region)
    return person


def fill_blank_answers(person: Person, profile: dict) -> None:
    blank = [
        k for k in ("gender", "ethnic_category", "disability") if profile.get(k) and not getattr(person, k)
    ]
    for name in blank:
        setattr(person, name, profile[name])
    if blank:
        person.save(update_fields=[*blank, "updated_at"])
