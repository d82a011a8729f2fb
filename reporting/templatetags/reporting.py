"""Template filters for the PDF (Django engine): one way to show a share, so the page and the PDF agree."""

from __future__ import annotations

from django import template

from academy.suppression import percent

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """0.7012 → "70%"; None (no data, or hidden) → "–"."""
    return percent(value)
