"""The one writer of spreadsheet downloads (academy.exports): Excel reads the CSV as UTF-8, and no cell
a person typed runs as a formula, in CSV or in a workbook."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from academy import exports


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-29%", "-29%"),
        ("+510%", "+510%"),
        ("-4", "-4"),
        (-4, -4),
        ("Zoë", "Zoë"),
    ],
)
def test_formula_cells_are_neutralised_and_signed_numbers_kept(value, written):
    assert exports.neutralise(value) == written


def test_csv_starts_with_a_byte_order_mark_and_reads_back():
    text = exports.csv_text([["Name", "Count"], ["Zoë", 3], ["=HYPERLINK(1)", -2]])
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [
        ["Name", "Count"],
        ["Zoë", "3"],
        ["'=HYPERLINK(1)", "-2"],
    ]


def test_a_workbook_keeps_text_as_text_and_numbers_as_numbers():
    out = exports.xlsx_file([["Name", "Count"], ['=HYPERLINK("x")', 3]], title="A/B: table?")
    workbook = load_workbook(io.BytesIO(out.read()))
    sheet = workbook.active
    assert sheet.title == "A B  table "
    assert sheet["A2"].value == '=HYPERLINK("x")' and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3 and sheet["A1"].font.bold
