"""Real documents for upload tests, made in memory: a one-page PDF, a PNG, a JPEG and Excel workbooks."""

from __future__ import annotations

import io


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(format: str = "PNG") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "#005eb8").save(out, format=format)
    return out.getvalue()


def xlsx_bytes(*rows) -> bytes:
    """A workbook whose first sheet holds these rows (a list of cells each), as Excel saves it."""
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


PDF = pdf_bytes()
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


def assert_private_download(response, *, filename_ends: str) -> None:
    """Sent as an attachment the browser saves (never shows), and kept by no cache."""
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.rstrip('"').endswith(filename_ends)
    assert {d.strip() for d in response["Cache-Control"].split(",")} == {"private", "no-store"}
    assert response["X-Content-Type-Options"] == "nosniff"
