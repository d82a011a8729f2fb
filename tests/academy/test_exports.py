"""Workbook downloads (academy.downloads.xlsx_file): text typed by a person stays text, numbers stay
numbers, and the sheet's name is one Excel accepts."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from academy.downloads import private_xlsx, xlsx_file


def test_a_workbook_keeps_text_as_text_and_numbers_as_numbers():
    out = xlsx_file([["Name", "Count"], ['=HYPERLINK("x")', 3], ["Zoë", -2]], title="A/B: table?")
    sheet = load_workbook(io.BytesIO(out.read())).active
    assert sheet.title == "A B  table "
    assert sheet["A2"].value == '=HYPERLINK("x")' and sheet["A2"].data_type == "s"
    assert (sheet["B2"].value, sheet["A3"].value, sheet["B3"].value) == (3, "Zoë", -2)
    assert sheet["A1"].font.bold and not sheet["A2"].font.bold


def test_a_workbook_download_is_a_private_attachment():
    response = private_xlsx([["a"]], filename="register-1.xlsx", title="Register")
    assert response["Content-Disposition"] == 'attachment; filename="register-1.xlsx"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
