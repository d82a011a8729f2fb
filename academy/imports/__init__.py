"""The portal's one import machinery (docs/adr/0004-imports.md).

An app declares an `ImportSpec` (its columns, with aliases and parsers, the columns that must be
unique, its limits); `spec.read(content, check=...)` gives a `Preview` naming every bad row by line and
reason; the app's service writes a clean preview in one transaction. `academy.imports.pages` wires the
upload page, the preview, the template downloads and, for large files, the background run with its
progress page."""

from academy.imports.columns import (
    INTEGER_MAX,
    CellError,
    Column,
    choice,
    choice_key,
    clock_time,
    email,
    header_key,
    lookup,
    text,
    uk_date,
    whole_number,
    year,
)
from academy.imports.reading import FileRefused, Sheet, read_sheet
from academy.imports.spec import MB, ImportRow, ImportSpec, Preview, line_messages, plural

__all__ = [
    "INTEGER_MAX",
    "MB",
    "CellError",
    "Column",
    "FileRefused",
    "ImportRow",
    "ImportSpec",
    "Preview",
    "Sheet",
    "choice",
    "choice_key",
    "clock_time",
    "email",
    "header_key",
    "lookup",
    "line_messages",
    "plural",
    "read_sheet",
    "text",
    "uk_date",
    "whole_number",
    "year",
]
