"""Importing an existing talent pool, career movements, or systems' senior workforce figures from a
spreadsheet (CSV or Excel): all or nothing, every bad row named by its line. The file is read and checked by `talent.imports`; the
pages (upload, preview, commit, templates) are `academy.imports.pages`'."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction

from academy import audit
from academy.imports import ImportRow, Preview
from academy.models import ImportRun, Person, Region, User
from talent import imports
from talent.models import SeniorWorkforce
from talent.services.boards import senior_workforce_record
from talent.services.pool import member_add, movement_record

IMPORT_EVIDENCE = "Imported from the talent pool spreadsheet: readiness as recorded there on {day:%-d %B %Y}."


def pool_import(
    *, region: Region, content: bytes, actor, filename: str = "", commit: bool = False
) -> Preview:
    """Check a pool file against the region (the preview); with `commit`, write a clean one (a refusal
    while writing raises `ValidationError` naming the line, and nothing is kept)."""
    preview = imports.read_pool(region=region, content=content, filename=filename)
    if commit and preview.ok:
        pool_import_write(region=region, rows=preview.rows, actor=actor)
    return preview


def pool_import_commit(*, run: ImportRun, progress: Callable[[int, str], None]) -> str:
    """Write an uploaded pool file kept by `academy.imports.pages` (in the request, or by its task)."""
    return commit_run(run, progress, read=imports.read_pool, write=pool_import_write, doing="Adding")


def commit_run(run: ImportRun, progress: Callable[[int, str], None], *, read, write, doing: str) -> str:
    """Check a kept file again against the region (the data may have changed since its preview) and
    write it with `write`; says what was done."""
    region = Region.objects.get(pk=run.target_id)
    progress(10, "Checking the file again")
    preview = read(region=region, content=bytes(run.content), filename=run.filename)
    refuse_unless_ok(preview)
    progress(40, f"{doing} {preview.counted()}")
    write(region=region, rows=preview.rows, actor=run.created_by)
    return f"{preview.counted()} imported."


@transaction.atomic
def pool_import_write(*, region: Region, rows: list[ImportRow], actor) -> list[int]:
    """Add everyone in the checked rows to the pool, or no one. New people get an account; a person's
    equality answers are filled from the file only where their profile has none (the profile is
    theirs to change). Returns the memberships' ids."""
    added, problems = [], []
    for row in rows:
        try:
            with transaction.atomic():
                person = row["person"] or person_create_from_import(row, region, actor)
                fill_blank_answers(person, row)
                organisation = row["organisation"]
                member = member_add(
                    person=person,
                    region=region,
                    organisation=organisation,
                    system=row["system"] or (organisation.system if organisation else None),
                    professional_group=row["professional_group"],
                    service_type=row["service_type"],
                    entry_route=row["entry_route"],
                    readiness=row["readiness"],
                    decided_on=row["readiness_date"],
                    evidence=IMPORT_EVIDENCE.format(day=row["readiness_date"]),
                    current_role=row["job_title"],
                    target_roles=row["target_roles"],
                    actor=actor,
                )
                added.append(member.pk)
        except ValidationError as refusal:
            problems.append(f"Line {row.line}: {' '.join(refusal.messages)}")
    if problems:
        raise ValidationError([*problems, "Nothing has been imported."])
    audit.record(actor, "talent.pool.import", None, {"members": len(added)}, region=region)
    return added


def movements_import(
    *, region: Region, content: bytes, actor, filename: str = "", commit: bool = False
) -> Preview:
    """Check a movements file against the region's pool; with `commit`, write a clean one."""
    preview = imports.read_movements(region=region, content=content, filename=filename)
    if commit and preview.ok:
        movements_import_write(region=region, rows=preview.rows, actor=actor)
    return preview


def movements_import_commit(*, run: ImportRun, progress: Callable[[int, str], None]) -> str:
    return commit_run(
        run, progress, read=imports.read_movements, write=movements_import_write, doing="Recording"
    )


@transaction.atomic
def movements_import_write(*, region: Region, rows: list[ImportRow], actor) -> list[int]:
    """Record every movement in the checked rows, or none. Returns their ids."""
    recorded, problems = [], []
    for row in rows:
        try:
            with transaction.atomic():
                movement = movement_record(
                    member=row["member"],
                    role=row["role"],
                    organisation=row["organisation"],
                    moved_on=row["date"],
                    kind=row["kind"],
                    terms=row["terms"],
                    board_level=row["board_level"],
                    actor=actor,
                )
                recorded.append(movement.pk)
        except ValidationError as refusal:
            problems.append(f"Line {row.line}: {' '.join(refusal.messages)}")
    if problems:
        raise ValidationError([*problems, "Nothing has been imported."])
    audit.record(actor, "talent.movements.import", None, {"movements": len(recorded)}, region=region)
    return recorded


def workforce_import(
    *, region: Region, content: bytes, actor, filename: str = "", commit: bool = False
) -> Preview:
    """Check a senior workforce file against the region's systems; with `commit`, save a clean one."""
    preview = imports.read_workforce(region=region, content=content, filename=filename)
    if commit and preview.ok:
        workforce_import_write(region=region, rows=preview.rows, actor=actor)
    return preview


def workforce_import_commit(*, run: ImportRun, progress: Callable[[int, str], None]) -> str:
    return commit_run(
        run, progress, read=imports.read_workforce, write=workforce_import_write, doing="Saving"
    )


@transaction.atomic
def workforce_import_write(*, region: Region, rows: list[ImportRow], actor) -> list[int]:
    """Save every system's figures in the checked rows (replacing those entered for the same system and
    date), each audited as if entered by hand, and the import's own entry. Returns their ids."""
    saved = [
        senior_workforce_record(
            system=row["system"],
            as_of=row["as_of"],
            actor=actor,
            **{name: row[name] for name in (*SeniorWorkforce.ETHNICITY, *SeniorWorkforce.GENDER)},
        ).pk
        for row in rows
    ]
    audit.record(actor, "talent.senior_workforce.import", None, {"figures": len(saved)}, region=region)
    return saved


def refuse_unless_ok(preview: Preview) -> None:
    """The file changed meaning since its preview (someone joined meanwhile): refuse it, naming rows."""
    if not preview.ok:
        raise ValidationError(
            [(f"Line {line}: " if line else "") + message for line, message in preview.errors]
        )


def person_create_from_import(row: ImportRow, region: Region, actor) -> Person:
    """An account and profile for someone new in a pool file (inside `pool_import_write`)."""
    first, last = row["first_name"], row["last_name"]
    user = User.objects.create_user(email=row["email"], first_name=first, last_name=last)
    organisation = row["organisation"]
    person = Person(
        user=user,
        given_name=first,
        family_name=last,
        job_title=row["job_title"],
        organisation=organisation,
        region_id=organisation.region_id if organisation else region.pk,
    )
    person.full_clean(exclude=["user"])
    person.save()
    audit.record(actor, "person.create_from_import", person, {"talent_pool": True}, region=region)
    return person


def fill_blank_answers(person: Person, row: ImportRow) -> None:
    """The file's equality answers, only where the person's profile has none (inside the import)."""
    answers = {
        "gender": row.get("gender"),
        "ethnic_category": row.get("ethnic_category"),
        "disability": row.get("disability"),
    }
    blank = [name for name, value in answers.items() if value and not getattr(person, name)]
    for name in blank:
        setattr(person, name, answers[name])
    if blank:
        person.save(update_fields=[*blank, "updated_at"])
