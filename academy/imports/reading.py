"""Reading an uploaded spreadsheet into a header and numbered rows of text, whatever Excel saved it as.

Accepted: CSV in UTF-8 (with or without a byte-order mark), Windows-1252 (what Excel on Windows writes
for "CSV (Comma delimited)"), UTF-16 with its byte-order mark (Excel's "Unicode text", tab-separated);
the separator (comma, semicolon or tab) is worked out from the header line; and `.xlsx` workbooks (the
first sheet, read with python-calamine, a binding of the Rust calamine reader: bench/imports.py read
50,000 rows with openpyxl's read-only mode at 270-430 rows/s under load, most of the preview's time;
the sheet's cells are held as values, which for the 20 MB upload limit is tens of megabytes at most).

Anything else is refused with a sentence a person can act on (`FileRefused`), never an exception page:
a zip that is not a workbook, an old `.xls` workbook, a PDF, or any other binary file. Every cell comes
back as text; `academy.imports.columns` turns text into values, row by row."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SEPARATORS = ",;\t"
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}

# Signatures of files people upload by mistake, and what to tell them.
SIGNATURES = (
    (
        b"\xd0\xcf\x11\xe0",
        "This is an Excel 97–2003 workbook (.xls). Save it as .xlsx or as CSV and upload that.",
    ),
    (b"%PDF", "This is a PDF, not a spreadsheet. Upload the spreadsheet as .xlsx or CSV."),
    (b"\x1f\x8b", "This is a compressed (gzip) file. Upload the spreadsheet itself, as .xlsx or CSV."),
    (b"Rar!", "This is a compressed (RAR) file. Upload the spreadsheet itself, as .xlsx or CSV."),
    (b"7z\xbc\xaf", "This is a compressed (7z) file. Upload the spreadsheet itself, as .xlsx or CSV."),
    (b"\x89PNG", "This is an image, not a spreadsheet. Upload the spreadsheet as .xlsx or CSV."),
    (b"\xff\xd8\xff", "This is an image, not a spreadsheet. Upload the spreadsheet as .xlsx or CSV."),
)
# A text file has at most the odd stray NUL byte (named as a bad row later); a binary file is full of
# them: more than NUL_ALLOWED in the first NUL_SAMPLE bytes, and more than one in NUL_RATIO, is binary.
NUL_SAMPLE = 4096
NUL_ALLOWED = 8
NUL_RATIO = 100
# The csv module refuses a cell longer than 128 KB as an error of the whole file; raised to this, a long
# cell reaches its column's parser and is named as a bad row.
CELL_LIMIT = 10 * 1024 * 1024
NOT_TEXT = "The file is not a spreadsheet we can read. Upload it as .xlsx or as CSV (comma, semicolon or tab separated)."


class FileRefused(ValidationError):
    """The whole file cannot be read: one plain-English reason."""


@dataclass(frozen=True)
class SheetRow:
    """One row as written: its line in the file (the spreadsheet's row number) and its cells as text."""

    line: int
    cells: list[str]


@dataclass
class Sheet:
    """The header cells and an iterator over the rows after it (read lazily: large files stream)."""

    header: list[str]
    rows: Iterator[SheetRow]
    kind: str  # "xlsx", or the CSV's encoding and separator in words (shown on the preview)


def read_sheet(content: bytes, filename: str = "") -> Sheet:
    """The first sheet of `content` (an upload's bytes). Raises `FileRefused` when it cannot be read."""
    if not content.strip():
        raise FileRefused("The file is empty.")
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    for signature, message in SIGNATURES:
        if content.startswith(signature):
            raise FileRefused(message)
    return _read_csv(_decode(content))


def _decode(content: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: a byte-order mark decides; otherwise UTF-8 if it is
    valid UTF-8, else Windows-1252 (every file Excel writes is one of these)."""
    if content.startswith(UTF16_BOMS):
        try:
            return content.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise FileRefused(NOT_TEXT) from exc
    if content.startswith(UTF8_BOM):
        encoding = "utf-8-sig"
    else:
        sample = content[:NUL_SAMPLE]
        if sample.count(b"\x00") > max(NUL_ALLOWED, len(sample) // NUL_RATIO):
            raise FileRefused(NOT_TEXT)
        encoding = "utf-8"
    try:
        return content.decode(encoding), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise FileRefused(NOT_TEXT) from exc


def _separator(header_line: str) -> str:
    """The separator of the header line: csv.Sniffer's choice among comma, semicolon and tab, or the
    one the line holds most of when it cannot decide (a one-column file has none: comma)."""
    try:
        return csv.Sniffer().sniff(header_line, delimiters=SEPARATORS).delimiter
    except csv.Error:
        counts = {sep: header_line.count(sep) for sep in SEPARATORS}
        best = max(counts, key=counts.__getitem__)
        return best if counts[best] else ","


def _read_csv(decoded: tuple[str, str]) -> Sheet:
    text, encoding = decoded
    text = text.lstrip("\ufeff")
    if "\n" not in text:  # old Mac line endings (Excel's "CSV (Macintosh)"): a carriage return alone
        text = text.replace("\r", "\n")
    first_line = text.split("\n", 1)[0].rstrip("\r")
    separator = _separator(first_line)
    # Long cells are refused per row by their column's parser, not by the csv module's own limit.
    csv.field_size_limit(max(csv.field_size_limit(), CELL_LIMIT))
    # The lines are cut from the text one by one: io.StringIO would hold a second copy of the whole
    # file, four bytes a character (a year's register is 60 MB of text).
    reader = csv.reader(_lines(text), delimiter=separator)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise FileRefused("The first line must name the columns.") from exc

    def rows() -> Iterator[SheetRow]:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileRefused(f"Line {reader.line_num} cannot be read ({exc}).") from exc
            yield SheetRow(line=reader.line_num, cells=cells)

    return Sheet(header=header, rows=rows(), kind=f"CSV ({encoding}, {SEPARATOR_NAMES[separator]} separated)")


def _lines(text: str) -> Iterator[str]:
    """The lines of `text`, each with its line ending (which the csv module reads itself)."""
    start, length = 0, len(text)
    while start < length:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _cell_text(value) -> str:
    """A workbook cell as the text a person sees: whole numbers without ".0", dates as 31/03/2021."""
    if value.__class__ is str:
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return (
            value.strftime("%d/%m/%Y") if not getattr(value, "hour", 0) else value.strftime("%d/%m/%Y %H:%M")
        )
    return str(value)


def _read_xlsx(content: bytes) -> Sheet:
    from python_calamine import CalamineWorkbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise FileRefused(
            "The file looks like a damaged .xlsx workbook. Save it again and upload it."
        ) from exc
    if "xl/workbook.xml" not in names:
        raise FileRefused("This is a zip file, not a spreadsheet. Upload the .xlsx workbook or CSV itself.")
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        values = iter(workbook.get_sheet_by_index(0).iter_rows())
        header_values = next(values, None)
    except Exception as exc:  # calamine raises its own kinds (and others) for a broken workbook
        raise FileRefused(
            "The workbook cannot be read. Save it again as .xlsx (or CSV) and upload it."
        ) from exc
    if header_values is None:
        raise FileRefused("The workbook's first sheet is empty.")
    header = [_cell_text(v) for v in header_values]
    while header and not header[-1].strip():
        header.pop()
    width = len(header)

    def rows() -> Iterator[SheetRow]:
        # calamine gives every row from the sheet's first line (blank ones as blank cells), so a row's
        # position is its line in the workbook.
        for line, row in enumerate(values, start=2):
            cells = [_cell_text(v) for v in row]
            while len(cells) > width and not cells[-1].strip():
                cells.pop()
            yield SheetRow(line=line, cells=cells)

    return Sheet(header=header, rows=rows(), kind="Excel workbook (.xlsx)")
