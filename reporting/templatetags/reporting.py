"""Template filters for the PDF (Django engine): one way to show a share, so the page and the PDF agree."""

from __future__ import annotations

from django import template

from academy.jinja2 import pct

register = template.Library()
register.filter("pct", pct)
