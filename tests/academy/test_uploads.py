"""Uploaded documents are what they claim by content and structure, and nothing a browser would run."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from academy import uploads
from tests.files import JPEG, PDF, PNG

MB = 1024 * 1024


def _check(content: bytes, name: str = "file.pdf"):
    return uploads.document_type(SimpleUploadedFile(name, content), max_bytes=5 * MB, what="The certificate")


@pytest.mark.parametrize(("content", "kind"), [(PDF, uploads.PDF), (PNG, uploads.PNG), (JPEG, uploads.JPEG)])
def test_real_documents_are_accepted_whatever_their_name(content, kind):
    assert _check(content, name="certificate.html") is kind


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PDF[:5] + b"<html><script>alert(1)</script></html>", "web page content"),
        (PDF + b"\n<script>alert(document.cookie)</script>", "web page content"),
        (PDF.replace(b"%PDF-1.3", b"%PDF-1.3\n<!DOCTYPE html>", 1), "web page content"),
        (PNG + b"<svg onload=alert(1)>", "web page content"),
        (PDF.replace(b"/Type /Page", b"/JavaScript (app.alert(1)) /Type /Page", 1), "scripts"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "not a readable PDF"),
        (PDF[: len(PDF) // 2], "not a readable PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a readable PNG"),
        (b"\xff\xd8\xff" + b"junk" * 10, "not a readable JPG"),
        (b"MZ\x90\x00 an executable", "must be a PDF, JPG or PNG"),
        (b"<html>not a pdf</html>", "must be a PDF, JPG or PNG"),
        (b"", "file is empty"),
        (PDF + b"0" * (5 * MB), "smaller than 5 MB"),
    ],
)
def test_anything_else_is_refused_with_a_reason(content, message):
    with pytest.raises(ValidationError, match=message):
        _check(content)


def test_the_stored_name_is_random_with_the_detected_extension():
    first, second = uploads.stored_name(uploads.PDF), uploads.stored_name(uploads.PDF)
    assert first != second
    assert first.endswith(".pdf") and len(first) == 36
    assert uploads.stored_name(uploads.JPEG).endswith(".jpg")
