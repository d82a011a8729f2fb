"""Every download the portal writes as a spreadsheet, one way: CSV that Excel opens with the right
characters (UTF-8 with a byte-order mark) and `.xlsx` workbooks (openpyxl, write-only, streamed row by
row), both with formula cells neutralised, so a name such as "=HYPERLINK(...)" typed into a profile
arrives in a spreadsheet as text and never runs."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator

from django.http import FileResponse, StreamingHttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d[\d,]*(\.\d+)?%?")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers, and text
    that is just a signed number ("-29%", "+510%"), stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """The rows as CSV lines, the first led by a byte-order mark, every cell neutralised."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_text(rows: Iterable[Iterable]) -> str:
    return "".join(csv_lines(rows))


def csv_response(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_file(rows: Iterable[Iterable], *, title: str) -> io.BufferedRandom:
    """A one-sheet workbook of `rows` (the first row bold as the header), written to a temporary file
    in openpyxl's write-only mode so a large register is not held in memory twice."""
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
                cell.data_type = "s"  # text stays text: openpyxl would otherwise store "=..." as a formula
            if index == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook.save(out)
    out.seek(0)
    return out


def xlsx_response(rows: Iterable[Iterable], filename: str, *, title: str) -> FileResponse:
    return FileResponse(
        xlsx_file(rows, title=title), as_attachment=True, filename=filename, content_type=XLSX
    )
