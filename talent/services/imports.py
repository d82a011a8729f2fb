"""Importing an existing talent pool, career movements, or systems' senior workforce figures from a
spreadsheet (CSV or Excel): all or nothing, every bad row named by its line. The file is read and checked by `talent.imports`; the
pages (upload, preview, commit, templates) are `academy.imports.pages`'."""

from __future__ import annotations

from collections.abc import Callable

from academy import audit
from academy.imports import ImportRow, Preview
from academy.imports.writing import check_and_write, write_rows, write_run
from academy.models import ImportRun, Person, Region, User
from talent import imports
from talent.models import SeniorWorkforce
from talent.services.boards import senior_workforce_record
from talent.services.pool import member_add, movement_record

IMPORT_EVIDENCE = "Imported from the talent pool spreadsheet: readiness as recorded there on {day:%-d %B %Y}."


def pool_import(
    *, region: Region, content: bytes, actor, filename: str = "", commit: bool = False
) -> Preview:
    """Check a pool file against the region (the preview); with `commit`, write a clean one, or none
    of it (the preview then names every row the services refused)."""
    return check_and_write(
        imports.read_pool,
        pool_import_write,
        region=region,
        content=content,
        actor=actor,
        filename=filename,
        commit=commit,
    )


def pool_import_commit(*, run: ImportRun, progress: Callable[[int, str], None]) -> str:
    """Write an uploaded pool file kept by `academy.imports.pages` (in the request, or by its task)."""
    preview = write_run(run, progress, read=imports.read_pool, write=pool_import_write, doing="Adding")
    return f"{preview.counted()} imported."


def pool_import_write(*, region: Region, rows: list[ImportRow], actor) -> list[int]:
    """Add everyone in the checked rows to the pool, or no one. New people get an account; a person's
    equality answers are filled from the file only where their profile has none (the profile is
    theirs to change). Returns the memberships' ids."""

    def add(row: ImportRow) -> int:
        person = row["person"] or person_create_from_import(row, region, actor)
        fill_blank_answers(person, row)
        organisation = row["organisation"]
        return member_add(
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
        ).pk

    return write_rows(rows, add, actor=actor, region=region, action="talent.pool.import", noun="members")


def movements_import(
    *, region: Region, content: bytes, actor, filename: str = "", commit: bool = False
) -> Preview:
    """Check a movements file against the region's pool; with `commit`, write a clean one."""
    return check_and_write(
        imports.read_movements,
        movements_import_write,
        region=region,
        content=content,
        actor=actor,
        filename=filename,
        commit=commit,
    )


def movements_import_commit(*, run: ImportRun, progress: Callable[[int, str], None]) -> str:
    """Write an uploaded movements file kept by `academy.imports.pages` (in the request, or by its task)."""
    preview = write_run(
        run, progress, read=imports.read_movements, write=movements_import_write, doing="Recording"
    )
    return f"{preview.counted()} imported."


def movements_import_write(*, region: Region, rows: list[ImportRow], actor) -> list[int]:
    """Record every movement in the checked rows, or none. Returns their ids."""

    def record(row: ImportRow) -> int:
        return movement_record(
            member=row["member"],
            role=row["role"],
            organisation=row["organisation"],
            moved_on=row["date"],
            kind=row["kind"],
            terms=row["terms"],
            board_level=row["board_level"],
            actor=actor,
        ).pk

    return write_rows(
        rows, record, actor=actor, region=region, action="talent.movements.import", noun="movements"
    )


def workforce_import(
    *, region: Region, content: bytes, actor, filename: str = "", commit: bool = False
) -> Preview:
    """Check a senior workforce file against the region's systems; with `commit`, save a clean one."""
    return check_and_write(
        imports.read_workforce,
        workforce_import_write,
        region=region,
        content=content,
        actor=actor,
        filename=filename,
        commit=commit,
    )


def workforce_import_commit(*, run: ImportRun, progress: Callable[[int, str], None]) -> str:
    preview = write_run(
        run, progress, read=imports.read_workforce, write=workforce_import_write, doing="Saving"
    )
    return f"{preview.counted()} imported."


def workforce_import_write(*, region: Region, rows: list[ImportRow], actor) -> list[int]:
    """Save every system's figures in the checked rows (replacing those entered for the same system and
    date), each audited as if entered by hand, and the import's own entry. Returns their ids."""

    def save(row: ImportRow) -> int:
        counts = {name: row[name] for name in (*SeniorWorkforce.ETHNICITY, *SeniorWorkforce.GENDER)}
        return senior_workforce_record(system=row["system"], as_of=row["as_of"], actor=actor, **counts).pk

    return write_rows(
        rows, save, actor=actor, region=region, action="talent.senior_workforce.import", noun="figures"
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
