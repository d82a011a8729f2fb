"""The import machinery: every file Excel writes is read, everything else is refused in words, and
every bad row is named with its line and reason (academy.imports)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from academy.imports import (
    INTEGER_MAX,
    Column,
    ImportSpec,
    email,
    read_sheet,
    text,
    uk_date,
    whole_number,
)
from academy.imports import people as person_columns
from academy.imports.reading import NOT_TEXT, FileRefused
from tests.files import xlsx_bytes

SPEC = ImportSpec(
    key="things",
    title="Things",
    columns=(
        Column("email", email(), required=True, aliases=("work email",), blank_ok=False),
        Column("name", text(20)),
        Column("count", whole_number(), blank=0),
        Column("start_date", uk_date(), aliases=("start",), blank=None),
        Column("pay_band", person_columns.pay_band),
        Column("staff_group", person_columns.staff_group),
    ),
    noun=("thing", "things"),
    unique=("email",),
    max_rows=5,
)


def good_rows(preview):
    return [row.values for row in preview.rows]


# --- reading: what Excel writes -------------------------------------------------------------------

ZOE = "email,name\nzoe@nhs.net,Zoë Brontë\n"


@pytest.mark.parametrize(
    "content",
    [
        ZOE.encode("utf-8"),
        b"\xef\xbb\xbf" + ZOE.encode("utf-8"),
        ZOE.encode("cp1252"),
        b"\xef\xbb\xbf" + ZOE.replace(",", ";").encode("utf-8"),
        ZOE.replace(",", "\t").encode("utf-16"),  # Excel's "Unicode text": UTF-16 with BOM, tabs
        ZOE.replace("\n", "\r\n").encode("cp1252"),
        xlsx_bytes(["email", "name"], ["zoe@nhs.net", "Zoë Brontë"]),
    ],
    ids=["utf8", "utf8-bom", "windows-1252", "semicolon", "utf16-tab", "crlf", "xlsx"],
)
def test_every_file_excel_writes_reads_the_same(content):
    preview = SPEC.read(content)
    assert preview.errors == []
    assert good_rows(preview) == [
        {
            "email": "zoe@nhs.net",
            "name": "Zoë Brontë",
            "count": 0,
            "start_date": None,
            "pay_band": "",
            "staff_group": "",
        }
    ]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "The file is empty."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Excel 97–2003 workbook (.xls)"),
        (b"%PDF-1.7\n<html><script>", "This is a PDF"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 50, "compressed (gzip)"),
        (b"\x00\x01\x02\x03" * 400, "not a spreadsheet we can read"),
        (b"email\n\x81\x8d\x8f\x90\x9d\n", "not a spreadsheet we can read"),
    ],
    ids=["empty", "xls", "pdf", "gzip", "binary", "undecodable"],
)
def test_files_that_are_not_spreadsheets_are_refused_in_words(content, says):
    preview = SPEC.read(content)
    assert not preview.ok and len(preview.errors) == 1
    line, message = preview.errors[0]
    assert line == 0 and says in message


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("people.csv", ZOE)
    preview = SPEC.read(out.getvalue())
    assert preview.errors == [
        (0, "This is a zip file, not a spreadsheet. Upload the .xlsx workbook or CSV itself.")
    ]


def test_a_damaged_workbook_is_refused():
    content = xlsx_bytes(["email"], ["a@nhs.net"])
    with pytest.raises(FileRefused, match="damaged"):
        read_sheet(content[:200])


def test_workbook_cells_read_as_people_see_them():
    content = xlsx_bytes(
        ["Work Email", "COUNT", "Start"],
        ["a@nhs.net", 12.0, dt.datetime(2021, 3, 31)],  # noqa: DTZ001 - a workbook's date cell
    )
    preview = SPEC.read(content)
    assert preview.errors == []
    row = preview.rows[0]
    assert (row["count"], row["start_date"], row.line) == (12, dt.date(2021, 3, 31), 2)


# --- headers ---------------------------------------------------------------------------------------


def test_headers_match_whatever_their_case_spacing_order_or_alias():
    content = b"Start, Pay Band ,WORK-EMAIL,Staff_Group,Notes\n01/04/2020,band4,a@nhs.net,Add Prof Scientific and Technic,x\n"
    preview = SPEC.read(content)
    assert preview.errors == []
    assert preview.ignored_columns == ["Notes"]
    row = preview.rows[0]
    assert (row["email"], row["pay_band"], row["staff_group"], row["start_date"]) == (
        "a@nhs.net",
        "4",
        "apst",
        dt.date(2020, 4, 1),
    )


def test_a_missing_required_column_and_a_doubled_column_are_named_on_line_1():
    assert SPEC.read(b"name\nBob\n").errors[0][0] == 1
    assert "missing: email" in SPEC.read(b"name\nBob\n").errors[0][1]
    assert SPEC.read(b"email,work email\na@nhs.net,b@nhs.net\n").errors == [
        (1, "Two columns are both email: keep one.")
    ]


def test_a_file_with_only_its_header_has_no_rows():
    assert SPEC.read(b"email,name\n\n,,\n").errors == [
        (0, "The file has no things in it: only the line of column names.")
    ]


# --- rows: every bad one named ----------------------------------------------------------------------


def test_every_bad_row_is_named_with_its_line_and_every_reason():
    content = (
        "email,name,count,start_date,pay_band\n"
        "ok@nhs.net,Ok,1,31/03/2021,Band 8a\n"
        "not-an-email,Bob,2,,\n"
        f"long@nhs.net,{'x' * 21},{2**31},,\n"
        "nul@nhs.net,Nu\x00l,-1,,\n"
        "date@nhs.net,D,1,03/31/2021,Band 42\n"
        "ok@nhs.net,Again,,,\n"
        "ragged@nhs.net,R,1,,,surplus\n"
        "trailing@nhs.net,T,1,,,,\n"
    ).encode()
    preview = dataclasses.replace(SPEC, max_rows=100).read(content)
    errors = dict(preview.errors)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8]
    assert errors[3] == "email “not-an-email” is not an email address."
    assert "name is 21 characters long; at most 20 are allowed" in errors[4]
    assert f"count must be at most {INTEGER_MAX:,} (got {2**31:,})" in errors[4]
    assert "name contains a NUL character" in errors[5] and "count must be 0 or more" in errors[5]
    assert "start_date must be a date such as 31/03/2021 (got “03/31/2021”)" in errors[6]
    assert "“Band 42” is not a pay band" in errors[6]
    assert errors[7] == "email ok@nhs.net is also on line 2."
    assert errors[8].startswith("The row has 6 cells but the first line names 5 columns")
    assert [row["email"] for row in preview.rows] == ["ok@nhs.net", "trailing@nhs.net"]
    assert not preview.ok


def test_more_rows_than_the_limit_are_refused():
    content = ("email\n" + "".join(f"p{n}@nhs.net\n" for n in range(6))).encode()
    assert SPEC.read(content).errors == [(0, "The file has more than 5 things: split it into smaller files.")]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    small = ImportSpec(key="s", title="S", columns=SPEC.columns, max_bytes=1024 * 1024)
    preview = small.read(b"email\n" + b"a@nhs.net\n" * 120_000)
    assert preview.errors == [(0, "The file is 1.1 MB; it must be smaller than 1 MB.")]
    assert "smaller than 1 MB and hold at most 100,000 rows" in small.limits


def test_a_row_validator_refuses_rows_and_the_file():
    def check(rows, preview):
        rows[0].refuse("that person has left")
        preview.refuse("The cohort is full.")

    preview = SPEC.read(b"email\na@nhs.net\nb@nhs.net\n", check=check)
    assert preview.errors == [(0, "The cohort is full."), (2, "That person has left.")]


# --- choices ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Band 4", "4"),
        ("band4", "4"),
        ("4", "4"),
        ("AfC Band 8A", "8a"),
        ("VSM", "vsm"),
        ("very senior manager", "vsm"),
    ],
)
def test_pay_bands_as_people_write_them(written, stored):
    assert person_columns.pay_band(written) == stored


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Nursing & Midwifery Registered", "nursing"),
        ("Add Prof Scientific and Technic", "apst"),
        ("Administrative and Clerical", "admin"),
        ("admin & clerical", "admin"),
        ("Estates and Ancillary", "estates"),
    ],
)
def test_staff_groups_as_esr_writes_them(written, stored):
    assert person_columns.staff_group(written) == stored


def test_ethnicity_and_gender_by_letter_name_or_short_name():
    assert [
        person_columns.ethnicity(v)
        for v in ("H", "Asian or Asian British - Indian", "Indian", "White British")
    ] == [
        "H",
        "H",
        "H",
        "A",
    ]
    assert [person_columns.gender(v) for v in ("F", "female", "Non-binary")] == [
        "female",
        "female",
        "non_binary",
    ]


# --- templates --------------------------------------------------------------------------------------


def test_templates_name_every_column_and_read_back_clean():
    csv_template = SPEC.template_csv()
    assert csv_template.startswith(b"\xef\xbb\xbf")
    assert csv_template.decode("utf-8-sig").strip() == "email,name,count,start_date,pay_band,staff_group"
    workbook = load_workbook(io.BytesIO(SPEC.template_xlsx()), read_only=True)
    assert [c.value for c in next(workbook.worksheets[0].iter_rows())] == [c.name for c in SPEC.columns]
    assert workbook.sheetnames == ["Things", "Guidance"]
    # A template filled in with one row imports.
    filled = SPEC.template_csv() + b"a@nhs.net,A,1,2021-03-31,Band 5,Nursing\n"
    assert SPEC.read(filled).errors == []


# --- limits and edges -------------------------------------------------------------------------------


def test_exactly_the_row_limit_is_accepted_and_blank_lines_do_not_count():
    content = ("email\n" + "".join(f"p{n}@nhs.net\n\n,\n" for n in range(5))).encode()
    preview = SPEC.read(content)
    assert (preview.errors, preview.count, preview.ok) == ([], 5, True)
    assert [row.line for row in preview.rows] == [2, 5, 8, 11, 14]
    assert (preview.counted(), preview.counted(1), SPEC.counted(0)) == ("5 things", "1 thing", "0 things")


def test_a_file_of_exactly_the_size_limit_is_read():
    content = b"email\na@nhs.net\n"
    exact = ImportSpec(key="s", title="S", columns=SPEC.columns, max_bytes=len(content))
    assert exact.read(content).errors == []
    assert ImportSpec(key="s", title="S", columns=SPEC.columns, max_bytes=len(content) - 1).read(
        content
    ).errors == [(0, "The file is 0.0 MB; it must be smaller than 0 MB.")]
    assert (SPEC.size_limit, ImportSpec(key="s", title="S", columns=()).size_limit) == ("20 MB", "20 MB")


def test_short_rows_read_their_missing_cells_as_blank_and_blank_surplus_cells_are_ignored():
    preview = SPEC.read(b"email,name,count\na@nhs.net\nb@nhs.net,B,3,,\n")
    assert preview.errors == []
    assert [(r["name"], r["count"]) for r in preview.rows] == [("", 0), ("B", 3)]


def test_blank_values_are_never_duplicates_and_the_check_sees_only_files_with_rows():
    twice = dataclasses.replace(SPEC, unique=("email", "name"))
    assert twice.read(b"email,name\na@nhs.net,\nb@nhs.net,\n").errors == []
    assert twice.read(b"email,name\na@nhs.net,Al\nb@nhs.net,Al\n").errors == [
        (3, "name Al is also on line 2.")
    ]

    def check(rows, preview):
        raise AssertionError("checked a file without rows")

    assert SPEC.read(b"email\n", check=check).errors == [
        (0, "The file has no things in it: only the line of column names.")
    ]


def test_errors_are_listed_by_line_with_the_file_first():
    def check(rows, preview):
        rows[1].refuse("second")
        rows[0].refuse("first")
        preview.refuse("The file.")

    preview = dataclasses.replace(SPEC, max_rows=10).read(b"email\na@nhs.net\nb@nhs.net\nbad\n", check=check)
    assert [line for line, _ in preview.errors] == [0, 2, 3, 4]
    assert not preview.ok


def test_ignored_headers_are_named_shortly_and_blank_ones_not_at_all():
    long = "N" * 70
    preview = SPEC.read(f"email,,{long}, \na@nhs.net,x,y,z\n".encode())
    assert preview.ignored_columns == ["N" * 60]


def test_a_spec_bound_to_its_place_and_the_words_it_uses():
    with pytest.raises(ValueError, match="No such columns: colour, size"):
        SPEC.with_parsers(size=text(), colour=text())
    bound = SPEC.with_parsers(name=lambda value: value.upper())
    assert bound.read(b"email,name\na@nhs.net,al\n").rows[0]["name"] == "AL"
    assert SPEC.read(b"email,name\na@nhs.net,al\n").rows[0]["name"] == "al"
    rows = list(SPEC.column_rows())
    assert (rows[0]["required"], rows[1]["required"]) == ("Required", "Optional")
    assert rows[0]["aliases"] == "work email"
    from academy.imports.spec import plural

    assert (plural(1, "person", "people"), plural(3, "person", "people"), plural(2, "row")) == (
        "1 person",
        "3 people",
        "2 rows",
    )


def test_the_workbook_templates_guidance_says_what_each_column_holds():
    workbook = load_workbook(io.BytesIO(SPEC.template_xlsx()), read_only=True)
    guidance = [list(row) for row in workbook["Guidance"].iter_rows(values_only=True)]
    assert guidance[0] == ["Column", "Required", "What it holds", "Example", "Also accepted as"]
    assert guidance[1][:2] == ["email", "Yes"] and guidance[1][4] == "work email"
    assert guidance[2][:2] == ["name", "No"]
    assert len(guidance) == 1 + len(SPEC.columns)


# --- reading: edges -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("nuls", "refused"), [(8, False), (9, True)])
def test_a_few_stray_nul_bytes_are_bad_rows_but_more_make_a_binary_file(nuls, refused):
    content = b"email,name\n" + b"".join(b"a%d@nhs.net,x\x00\n" % n for n in range(nuls))
    preview = dataclasses.replace(SPEC, max_rows=100).read(content)
    if refused:
        assert preview.errors == [(0, NOT_TEXT)]
    else:
        assert len(preview.errors) == nuls and all("NUL" in message for _, message in preview.errors)


@pytest.mark.parametrize(("nuls", "refused"), [(40, False), (41, True)])
def test_in_a_long_file_one_byte_in_a_hundred_may_be_nul(nuls, refused):
    padding = b"x" * (4096 - 11 - nuls * 2)
    content = b"email,name\n" + b"\x00," * nuls + padding + b"\n" + b"a@nhs.net,x\n" * 10
    assert len(content[:4096].strip(b"\x00")) > 0
    refusal_ = [(0, NOT_TEXT)]
    assert (dataclasses.replace(SPEC, max_rows=100).read(content).errors == refusal_) is refused


def test_the_encoding_and_separator_are_named_for_the_preview():
    assert SPEC.read(b"email\na@nhs.net\n").kind == "CSV (UTF-8, comma separated)"
    assert (
        SPEC.read("email;name\na@nhs.net;Zoë\n".encode("cp1252")).kind
        == "CSV (Windows-1252, semicolon separated)"
    )
    assert SPEC.read("email\tname\na@nhs.net\tZ\n".encode("utf-16")).kind == "CSV (UTF-16, tab separated)"
    assert SPEC.read(xlsx_bytes(["email"], ["a@nhs.net"])).kind == "Excel workbook (.xlsx)"


def test_a_one_column_file_is_comma_separated():
    assert SPEC.read(b"email\na@nhs.net\n").kind == "CSV (UTF-8, comma separated)"
    assert read_sheet(b"email\na@nhs.net\n").header == ["email"]


def test_a_file_of_only_a_byte_order_mark_or_broken_utf16_is_refused():
    assert SPEC.read(b"\xef\xbb\xbf").errors == [(0, "The first line must name the columns.")]
    assert SPEC.read(b"\xff\xfe" + b"\x00\xd8").errors == [(0, NOT_TEXT)]


def test_workbook_cells_numbers_dates_and_times_read_as_written():
    row = [
        None,
        12.0,
        12.5,
        7,
        "x",
        dt.date(2021, 3, 31),
        dt.datetime(2021, 3, 31),  # noqa: DTZ001 - a workbook's date cell
        dt.datetime(2021, 3, 31, 9, 30),  # noqa: DTZ001
    ]
    sheet = read_sheet(xlsx_bytes([f"c{n}" for n in range(len(row))], row))
    assert next(sheet.rows).cells == [
        "",
        "12",
        "12.5",
        "7",
        "x",
        "31/03/2021",
        "31/03/2021",
        "31/03/2021 09:30",
    ]


def test_a_workbooks_blank_trailing_headers_and_cells_are_dropped():
    sheet = read_sheet(
        xlsx_bytes(
            ["email", "name", None, ""], ["a@nhs.net", "A", None, None], ["b@nhs.net", None, None, "x"]
        )
    )
    assert sheet.header == ["email", "name"]
    rows = list(sheet.rows)
    assert [(r.line, r.cells) for r in rows] == [(2, ["a@nhs.net", "A"]), (3, ["b@nhs.net", "", "", "x"])]


def test_an_empty_workbook_is_refused():
    assert SPEC.read(xlsx_bytes()).errors == [(0, "The workbook's first sheet is empty.")]


def test_a_byte_order_mark_decides_even_with_stray_nul_bytes():
    content = b"\xef\xbb\xbfemail,name\n" + b"".join(b"a%d@nhs.net,x\x00\n" % n for n in range(12))
    preview = dataclasses.replace(SPEC, max_rows=100).read(content)
    assert len(preview.errors) == 12 and all("NUL" in message for _, message in preview.errors)


def test_the_separator_is_the_header_lines_even_when_values_hold_commas():
    preview = SPEC.read(b"email;name\na@nhs.net;Obi, Ada, Dr\nb@nhs.net;Lee, Bo, Mr\n")
    assert preview.errors == []
    assert [row["name"] for row in preview.rows] == ["Obi, Ada, Dr", "Lee, Bo, Mr"]


def test_a_cell_longer_than_the_csv_modules_own_limit_is_named_by_its_column():
    import csv

    csv.field_size_limit(131_072)  # the csv module's default, as in a fresh process
    preview = SPEC.read(b"email,name\na@nhs.net," + b"x" * 200_000 + b"\n")
    assert preview.errors == [(2, "name is 200,000 characters long; at most 20 are allowed.")]


def test_a_whole_number_saved_as_a_decimal_reads_without_its_point():
    from academy.imports import reading

    assert (reading._cell_text(12.0), reading._cell_text(-3.0), reading._cell_text(0.5)) == (
        "12",
        "-3",
        "0.5",
    )
    assert reading._cell_text(dt.date(2021, 3, 31)) == "31/03/2021"


def test_a_workbook_is_read_from_its_first_sheet_with_formulas_as_their_saved_values():
    workbook = Workbook()
    workbook.active.append(["email", "count"])
    workbook.active.append(["a@nhs.net", "=1+1"])
    workbook.create_sheet("Notes").append(["not", "this"])
    out = io.BytesIO()
    workbook.save(out)
    sheet = read_sheet(out.getvalue())
    assert sheet.header == ["email", "count"]
    # openpyxl saves no computed value, so the formula's value is blank: never the formula itself.
    assert [row.cells for row in sheet.rows] == [["a@nhs.net", ""]]


def test_a_workbook_row_keeps_its_blank_cells_up_to_the_headers_width():
    sheet = read_sheet(xlsx_bytes(["email", "name"], ["a@nhs.net", None], ["b@nhs.net", None, None, None]))
    assert [row.cells for row in sheet.rows] == [["a@nhs.net", ""], ["b@nhs.net", ""]]


def test_a_file_refused_while_reading_its_rows_offers_no_rows_and_is_not_checked():
    def check(rows, preview):
        raise AssertionError("checked a refused file")

    content = ("email\n" + "".join(f"p{n}@nhs.net\n" for n in range(6))).encode()
    preview = SPEC.read(content, check=check)
    assert (preview.rows, preview.ok) == ([], False)


def test_errors_a_validator_adds_itself_are_put_in_line_order():
    def check(rows, preview):
        preview.errors.append((3, "Line three."))

    preview = SPEC.read(b"email\nbad\na@nhs.net\n", check=check)
    assert preview.errors == [(2, "email “bad” is not an email address."), (3, "Line three.")]


def test_a_row_gives_its_values_by_name_with_a_default():
    row = SPEC.read(b"email\na@nhs.net\n").rows[0]
    assert (row["email"], row.get("email"), row.get("colour", "blue"), row.get("colour")) == (
        "a@nhs.net",
        "a@nhs.net",
        "blue",
        None,
    )


def test_the_workbook_templates_sheet_is_named_within_excels_limit_and_its_header_is_bold():
    long = dataclasses.replace(SPEC, title="Trainees and their placements, by intake")
    workbook = load_workbook(io.BytesIO(long.template_xlsx()))
    sheet = workbook.worksheets[0]
    assert sheet.title == "Trainees and their placements, "[:31] == long.title[:31]
    assert [cell.font.bold for cell in sheet[1]] == [True] * len(SPEC.columns)
