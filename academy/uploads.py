"""What an uploaded document really is. The name and the browser's content type can both lie, and so
can the first bytes: a file may open as `%PDF-` and go on as a web page. A document is accepted only
when it parses as the type its first bytes claim (pypdf for a PDF, Pillow for an image) and holds
nothing a browser would run as a page; it is then stored under a name and extension the portal chooses."""

from __future__ import annotations

import re
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile


@dataclass(frozen=True)
class DocumentType:
    content_type: str
    extension: str
    signature: bytes


PDF = DocumentType("application/pdf", ".pdf", b"%PDF-")
PNG = DocumentType("image/png", ".png", b"\x89PNG\r\n\x1a\n")
JPEG = DocumentType("image/jpeg", ".jpg", b"\xff\xd8\xff")
DOCUMENT_TYPES = (PDF, JPEG, PNG)
EXTENSIONS = {t.content_type: t.extension for t in DOCUMENT_TYPES}

# Markup a browser would render or run if it ever sniffed the file as a page (HTML, SVG, script), and
# a PDF's own scripts and launch actions. Each pattern is long enough that compressed data does not
# match it by chance.
_ACTIVE_CONTENT = re.compile(
    rb"<\s*(html|head|body|script|iframe|object|embed|svg|meta|style)[\s>/]|javascript:|<!doctype\s",
    re.IGNORECASE,
)
_PDF_ACTIONS = re.compile(rb"/(JavaScript|Launch|EmbeddedFile)\b")


def document_type(upload: UploadedFile, *, allowed=DOCUMENT_TYPES, max_bytes: int, what: str) -> DocumentType:
    """The upload's type, checked by content and structure; a ValidationError naming `what` (e.g.
    "The certificate") when it is empty, too big, not one of `allowed`, malformed, or also a page."""
    names = ", ".join(t.extension.lstrip(".").upper() for t in allowed[:-1])
    kinds = f"{names} or {allowed[-1].extension.lstrip('.').upper()}" if len(allowed) > 1 else names
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(f"{what} must be smaller than {max_bytes // (1024 * 1024)} MB.")
    if upload.size == 0:
        raise ValidationError(f"{what} file is empty.")
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    kind = next((t for t in allowed if content.startswith(t.signature)), None)
    if kind is None:
        raise ValidationError(f"{what} must be a {kinds}.")
    if _ACTIVE_CONTENT.search(content) or (kind is PDF and _PDF_ACTIONS.search(content)):
        raise ValidationError(
            f"{what} holds web page content or scripts, so it cannot be accepted. Save it again as a plain {kinds}."
        )
    if not _parses(kind, content):
        raise ValidationError(f"{what} is not a readable {kind.extension.lstrip('.').upper()} file.")
    return kind


def _parses(kind: DocumentType, content: bytes) -> bool:
    import io

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind is PDF:
                from pypdf import PdfReader

                reader = PdfReader(io.BytesIO(content), strict=True)
                return len(reader.pages) > 0
            from PIL import Image

            with Image.open(io.BytesIO(content)) as image:
                image.verify()
                return image.format == {"image/png": "PNG", "image/jpeg": "JPEG"}[kind.content_type]
    except Exception:  # noqa: BLE001 — any failure to parse means the file is not what it claims
        return False


def stored_name(kind: DocumentType) -> str:
    """The name a document is stored under: random, with the extension of its detected type."""
    return f"{uuid.uuid4().hex}{kind.extension}"
