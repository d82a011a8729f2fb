"""Filters the talent pages add to the Jinja2 environment (`TalentConfig.jinja2_filters`)."""

from __future__ import annotations

from django.utils.html import linebreaks
from markupsafe import Markup

from talent.models import READINESS_TAG_CLASSES


def row_url(url_for_zero: str, pk) -> str:
    """A row's link from one URL reversed for pk 0: `url("talent:member", 0) | row_url(m.pk)`."""
    return url_for_zero.replace("/0/", f"/{int(pk)}/", 1)


def paragraphs(text: str) -> Markup:
    """Text a person wrote, escaped, in paragraphs and line breaks."""
    return Markup(linebreaks(text or "", autoescape=True))  # noqa: S704 (escaped by linebreaks)


def readiness_tag_class(readiness: str) -> str:
    return READINESS_TAG_CLASSES.get(readiness, "nhsuk-tag--grey")


JINJA2_FILTERS = {"row_url": row_url, "paragraphs": paragraphs, "readiness_tag_class": readiness_tag_class}
