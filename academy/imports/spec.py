"""An import declared once: its columns, what must be unique, and its limits; reading a file against it
gives a `Preview` (the good rows, and every bad row with its line and reason). Nothing here writes:
the app's service commits a clean preview in one transaction, all rows or none."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from academy.imports.columns import CellError, Column, Parser, header_key
from academy.imports.reading import FileRefused, Sheet, read_sheet

MB = 1024 * 1024


@dataclass
class ImportRow:
    """One row of the file: its line, the values of its cells by column name, and what is wrong with
    it. A service's row check may add values (e.g. the person an email matched) and problems."""

    line: int
    values: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def refuse(self, reason: str) -> None:
        self.problems.append(reason)


@dataclass
class Preview:
    """What an upload would do. `errors` are (line, message); line 0 is the file as a whole."""

    spec: ImportSpec
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    kind: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    # Good rows handed on by `ImportSpec.scan` (which keeps none in `rows`).
    scanned: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and (bool(self.rows) or self.scanned > 0)

    @property
    def count(self) -> int:
        return self.scanned or len(self.rows)

    def counted(self, number: int | None = None) -> str:
        """ "1 person", "2 people": the import's own noun with the right plural."""
        number = self.count if number is None else number
        return self.spec.counted(number)

    def refuse(self, message: str) -> None:
        """A problem with the file as a whole (e.g. more people than places)."""
        self.errors.append((0, message))


@dataclass(frozen=True)
class ImportSpec:
    """An import: `key` names its template file; `noun` is what a row is ("person", "people");
    `unique` names the columns no two rows may share (the second is named as a bad row)."""

    key: str
    title: str
    columns: tuple[Column, ...]
    noun: tuple[str, str] = ("row", "rows")
    unique: tuple[str, ...] = ()
    max_rows: int = 100_000
    max_bytes: int = 20 * MB
    description: str = ""

    def counted(self, number: int) -> str:
        singular, plural = self.noun
        return f"{number:,} {singular if number == 1 else plural}"

    @property
    def size_limit(self) -> str:
        return f"{self.max_bytes // MB} MB"

    @property
    def limits(self) -> str:
        """The limits in words, for the upload page."""
        return (
            f"The file must be smaller than {self.size_limit} and hold at most {self.counted(self.max_rows)}."
        )

    def with_parsers(self, **parsers: Parser) -> ImportSpec:
        """This import with some columns read by parsers that depend on where it is used (e.g. the
        organisations of one region)."""
        unknown = set(parsers) - {c.name for c in self.columns}
        if unknown:
            raise ValueError(f"No such columns: {', '.join(sorted(unknown))}")
        columns = tuple(
            dataclasses.replace(c, parse=parsers[c.name]) if c.name in parsers else c for c in self.columns
        )
        return dataclasses.replace(self, columns=columns)

    # --- reading --------------------------------------------------------------------------------

    def read(
        self,
        content: bytes,
        *,
        filename: str = "",
        check: Callable[[list[ImportRow], Preview], None] | None = None,
    ) -> Preview:
        """Every row read and checked: cells by their column's parser, `unique` columns across rows,
        then `check(rows, preview)` (the app's row validator, which may refuse rows or the file)."""
        preview = Preview(spec=self)
        try:
            rows = list(self._rows_of(content, filename, preview))
        except FileRefused as refusal:
            preview.errors = [(0, m) for m in refusal.messages]
            return preview
        if preview.errors:
            return preview
        self._check_unique(rows)
        if check is not None and rows:
            check(rows, preview)
        for row in rows:
            if row.problems:
                preview.errors.append(self._row_error(row))
            else:
                preview.rows.append(row)
        preview.errors.sort(key=lambda e: e[0])
        if not rows:
            preview.refuse(f"The file has no {self.noun[1]} in it: only the line of column names.")
        return preview

    def scan(
        self,
        content: bytes,
        *,
        filename: str = "",
        each: Callable[[ImportRow], None],
        check: Callable[[Preview], None] | None = None,
        keep: int = 0,
    ) -> Preview:
        """`read` for files too large to hold as rows (a year's register: a million marks): each row,
        once its cells are read, goes to `each`, which keeps what it needs (compactly) or refuses the
        row; then the row is dropped. `check(preview)` runs after the last row (for checks needing the
        whole file, on what `each` kept) and may add errors. `unique` is not checked here: `each` does
        what the import needs. The preview's `rows` hold only the first `keep` good rows (for a page to
        show); `scanned` counts them all."""
        preview = Preview(spec=self)
        seen = 0
        try:
            for row in self._rows_of(content, filename, preview):
                seen += 1
                if not row.problems:
                    each(row)
                if row.problems:
                    preview.errors.append(self._row_error(row))
                else:
                    preview.scanned += 1
                    if len(preview.rows) < keep:
                        preview.rows.append(row)
        except FileRefused as refusal:
            preview.errors = [(0, m) for m in refusal.messages]
            return preview
        if not seen and preview.errors:  # too large, or its columns not the import's
            return preview
        if check is not None and not any(line == 0 for line, _ in preview.errors):
            check(preview)
        preview.errors.sort(key=lambda e: e[0])
        if not seen:
            preview.refuse(f"The file has no {self.noun[1]} in it: only the line of column names.")
        return preview

    def _rows_of(self, content: bytes, filename: str, preview: Preview) -> Iterator[ImportRow]:
        """The file's rows, their cells through their columns' parsers; none, with the preview saying
        why, when the file is too large or its first line does not name the import's columns. A file
        that cannot be read at all raises FileRefused."""
        if len(content) > self.max_bytes:
            preview.refuse(
                f"The file is {len(content) / MB:.1f} MB; it must be smaller than {self.size_limit}."
            )
            return
        sheet = read_sheet(content, filename)
        preview.kind = sheet.kind
        positions = self._match_header(sheet, preview)
        if positions is not None:
            yield from self._parse_rows(sheet, positions, preview)

    def _row_error(self, row: ImportRow) -> tuple[int, str]:
        """A refused row's line and its problems as one sentence, which starts with a capital unless it
        starts with a column's name as written."""
        message = "; ".join(row.problems)
        if not message.startswith(tuple(f"{c.name} " for c in self.columns)):
            message = message[0].upper() + message[1:]
        return row.line, message + "."

    def _match_header(self, sheet: Sheet, preview: Preview) -> dict[str, int] | None:
        by_key = {key: column for column in self.columns for key in column.keys}
        positions: dict[str, int] = {}
        for index, cell in enumerate(sheet.header):
            column = by_key.get(header_key(cell))
            if column is None:
                if cell.strip():
                    preview.ignored_columns.append(cell.strip()[:60])
                continue
            if column.name in positions:
                preview.errors.append((1, f"Two columns are both {column.name}: keep one."))
                return None
            positions[column.name] = index
        missing = [c.name for c in self.columns if c.required and c.name not in positions]
        if missing:
            preview.errors.append(
                (
                    1,
                    f"The first line must name the columns; missing: {', '.join(missing)}. "
                    "Download the template to see the columns this import reads.",
                )
            )
            return None
        return positions

    def _parse_rows(self, sheet: Sheet, positions: dict[str, int], preview: Preview) -> Iterator[ImportRow]:
        """The rows' cells through their columns' parsers. The loop is the preview's inner loop (50,000
        rows of a dozen cells), so each column's reading is unpacked once, blanks skip the parser, and
        the NUL check runs per cell only on a row that holds one."""
        width = len(sheet.header)
        columns = [
            (c.name, positions[c.name], c.parse, c.blank, c.blank_ok, c.read)
            for c in self.columns
            if c.name in positions
        ]
        absent = {c.name: c.blank for c in self.columns if c.name not in positions}
        count_rows = 0
        max_rows = self.max_rows
        for sheet_row in sheet.rows:
            cells = sheet_row.cells
            joined = "".join(cells)
            if not joined.strip():
                continue
            if count_rows >= max_rows:
                preview.refuse(
                    f"The file has more than {self.counted(self.max_rows)}: split it into smaller files."
                )
                return
            values = dict(absent)
            row = ImportRow(line=sheet_row.line, values=values)
            count = len(cells)
            if count > width and any(cell.strip() for cell in cells[width:]):
                row.refuse(
                    f"the row has {count} cells but the first line names {width} columns "
                    "(a separator inside a value needs the value in quotes)"
                )
            careful = "\x00" in joined
            for name, index, parse, blank, blank_ok, read in columns:
                raw = cells[index] if index < count else ""
                try:
                    if careful:
                        values[name] = read(raw)
                        continue
                    value = raw.strip()
                    values[name] = blank if not value and blank_ok else parse(value)
                except CellError as problem:
                    row.refuse(f"{name} {problem}")
            count_rows += 1
            yield row

    def _check_unique(self, rows: list[ImportRow]) -> None:
        for name in self.unique:
            seen: dict[Any, int] = {}
            for row in rows:
                value = row.values.get(name)
                if value in (None, ""):
                    continue
                if value in seen:
                    row.refuse(f"{name} {value} is also on line {seen[value]}")
                else:
                    seen[value] = row.line

    # --- templates --------------------------------------------------------------------------------

    def template_csv(self) -> bytes:
        """The header line, UTF-8 with a byte-order mark so Excel opens it with the right characters."""
        out = io.StringIO()
        csv.writer(out).writerow([c.name for c in self.columns])
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    def template_xlsx(self) -> bytes:
        """A workbook: the columns on the first sheet, and a Guidance sheet saying what each holds."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = self.title[:31]
        sheet.append([c.name for c in self.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        guidance = workbook.create_sheet("Guidance")
        guidance.append(["Column", "Required", "What it holds", "Example", "Also accepted as"])
        for column in self.columns:
            guidance.append(
                [
                    column.name,
                    "Yes" if column.required else "No",
                    column.help,
                    column.example,
                    ", ".join(column.aliases),
                ]
            )
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    def column_rows(self) -> Iterable[Mapping[str, str]]:
        """The columns for the upload page's table."""
        for column in self.columns:
            yield {
                "name": column.name,
                "required": "Required" if column.required else "Optional",
                "help": column.help,
                "example": column.example,
                "aliases": ", ".join(column.aliases),
            }


def line_messages(errors: list[tuple[int, str]]) -> list[str]:
    """Each (line, message) as the sentence a refusal shows: "Line 4: ...", or the message alone for the
    file as a whole (line 0)."""
    return [(f"Line {line}: " if line else "") + message for line, message in errors]


def plural(number: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 person", "3 people", "2 rows": for messages built in Python."""
    return f"{number:,} {singular if number == 1 else (plural_form or singular + 's')}"
