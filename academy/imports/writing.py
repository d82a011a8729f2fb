"""Writing a checked file into a region, one way for every app's import (talent's, GMTS's): the
preview, or with `commit` the file written; the same file written again from its kept run, checked
once more first; and every row written through the app's own services, all or none.

An app gives a reader (its `imports.read_<kind>(region=, content=, filename=)`, returning a `Preview`)
and a writer (its `<kind>_import_write(region=, rows=, actor=)`, which calls `write_rows`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from academy import audit
from academy.imports.spec import ImportRow, Preview, line_messages
from academy.models import ImportRun, Region

Reader = Callable[..., Preview]
Writer = Callable[..., list]
Progress = Callable[[int, str], None]


class RowsRefused(ValidationError):
    """The services refused rows of a clean file while it was written (someone joined the pool, a bid's
    places went meanwhile): each row's (line, reason), and nothing was kept."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.refused = errors
        super().__init__([*line_messages(errors), "Nothing has been imported."])


def write_rows(
    rows: list[ImportRow], write: Callable[[ImportRow], Any], *, actor, region: Region, action: str, noun: str
) -> list:
    """`write(row)` for every checked row, each in a savepoint (so the rows after a refused one are still
    tried and every refusal is named), and the import audited as `action` with the count of `noun`; returns
    what `write` returned for each row. Any refusal raises `RowsRefused` and nothing is kept."""
    written, errors = [], []
    with transaction.atomic():
        for row in rows:
            try:
                with transaction.atomic():
                    written.append(write(row))
            except ValidationError as refusal:
                errors.append((row.line, " ".join(refusal.messages)))
        if errors:
            raise RowsRefused(errors)
        audit.record(actor, action, None, {noun: len(rows)}, region=region)
    return written


def check_and_write(
    read: Reader,
    write: Writer,
    *,
    region: Region,
    content: bytes,
    actor,
    filename: str = "",
    commit: bool = False,
) -> Preview:
    """The file's preview; with `commit`, a clean file written, or none of it: the preview then names
    every row the services refused."""
    preview = read(region=region, content=content, filename=filename)
    if commit and preview.ok:
        try:
            write(region=region, rows=preview.rows, actor=actor)
        except RowsRefused as refused:
            preview.errors, preview.rows = refused.refused, []
    return preview


def read_run_again(run: ImportRun, progress: Progress, read: Reader, *, doing: str) -> tuple[Region, Preview]:
    """For a service writing a run whose target is a region: its file read and checked again (someone
    may have joined since the preview), refused with every bad row named unless still clean; then
    `doing` and the count go on the progress bar ("Adding 3 trainees")."""
    region = Region.objects.get(pk=run.target_id)
    progress(10, "Checking the file again")
    preview = read(region=region, content=bytes(run.content), filename=run.filename)
    if not preview.ok:
        raise ValidationError(line_messages(preview.errors))
    progress(40, f"{doing} {preview.counted()}")
    return region, preview


def write_run(run: ImportRun, progress: Progress, *, read: Reader, write: Writer, doing: str) -> Preview:
    """A kept run's file checked again and written by `write` (a refusal raises, naming every row);
    returns its preview, for the sentence that says what was done."""
    region, preview = read_run_again(run, progress, read, doing=doing)
    write(region=region, rows=preview.rows, actor=run.created_by)
    return preview
