"""Every private file the portal sends (registers, certificates, report PDFs, CSV tables, calendar
files): as an attachment, never shown inline, and never kept by a browser or a shared cache. And the one
CSV writer every export uses, which neutralises cells a spreadsheet would run as a formula and starts
with a byte-order mark so Excel reads it as UTF-8 ("Zoë", not "ZoÃ«"); and `.xlsx` workbooks of the
same rows (openpyxl, write-only), where text stays text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

# A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(value: str) -> bool:
    return value.rstrip("%").lstrip("+-").replace(",", "").replace(".", "", 1).isdigit()


def safe_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe (OWASP's advice);
    numbers, and text that is only a number such as "-3" or "+5%", are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number(value):
        return f"'{value}"
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in row]


BOM = "\ufeff"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """The whole CSV as text, led by a byte-order mark, every cell made safe."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(safe_row(row))
    return out.getvalue()


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV a line at a time (for a streamed download), led by a byte-order mark, every cell made safe."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow(safe_row(row))


def private(response: HttpResponse, *, filename: str) -> HttpResponse:
    """Mark `response` as a private attachment named `filename`."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def private_download(content: bytes | str, *, filename: str, content_type: str) -> HttpResponse:
    return private(HttpResponse(content, content_type=content_type), filename=filename)


def private_file(file: IO[bytes], *, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    return private(response, filename=filename)


def private_csv(rows: Iterable[Iterable[Any]], *, filename: str) -> StreamingHttpResponse:
    """A CSV streamed row by row (a register of thousands never sits whole in memory)."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    return private(response, filename=filename)


def xlsx_file(rows: Iterable[Iterable[Any]], *, title: str) -> IO[bytes]:
    """A one-sheet workbook of `rows` (the first row bold, as the header), written in openpyxl's
    write-only mode to a temporary file, so a large register is not held in memory twice. Text cells
    are stored as text: openpyxl would otherwise store "=..." as a formula."""
    import re
    import tempfile

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet")
    bold = Font(bold=True)
    for index, row in enumerate(rows):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if index == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook.save(out)
    out.seek(0)
    return out


def private_xlsx(rows: Iterable[Iterable[Any]], *, filename: str, title: str) -> FileResponse:
    return private_file(xlsx_file(rows, title=title), filename=filename, content_type=XLSX)
