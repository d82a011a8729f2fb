"""The one CSV writer: cells a spreadsheet would run as formulas are neutralised, numbers are kept."""

from __future__ import annotations

import csv
import io

import pytest

from academy.downloads import csv_lines, csv_text, private_download, safe_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 7700 900000 call", "'+44 7700 900000 call"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-3", "-3"),
        ("+5%", "+5%"),
        ("-1,234.5", "-1,234.5"),
        ("Nurse", "Nurse"),
        ("", ""),
        (-7, -7),
        (None, None),
    ],
)
def test_safe_cell(value, written):
    assert safe_cell(value) == written


def test_csv_text_and_csv_lines_write_the_same_safe_rows():
    rows = [["name", "note"], ['=HYPERLINK("http://x")', "fine"], ["Ann", "@x"]]
    text = csv_text(rows)
    assert text == "".join(csv_lines(rows))
    assert text.startswith("\ufeff")  # a byte-order mark: Excel reads the file as UTF-8
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [
        ["name", "note"],
        ['\'=HYPERLINK("http://x")', "fine"],
        ["Ann", "'@x"],
    ]


def test_private_download_is_an_uncached_attachment():
    response = private_download(b"x", filename="register 1.csv", content_type="text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="register 1.csv"'
    assert response["Cache-Control"] == "private, no-store"
