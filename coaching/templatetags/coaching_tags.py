"""Small display helpers for coaching pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def hours(value) -> str:
    """A number of hours as people write it: "1 hour", "1.5 hours", "2 hours", "1.25 hours"."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).normalize()
    text = f"{number:f}"
    return f"{text} hour" if number == 1 else f"{text} hours"


@register.filter
def hours_number(value) -> str:
    """Just the number, for a table column headed "Hours": 1.5 rather than 1.50."""
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value)).normalize():f}"


@register.filter
def minutes_as_hours(minutes) -> str:
    """Logged minutes as hours for a table: 150 → 2.5, 45 → 0.75."""
    quarter_hours = (Decimal(minutes or 0) / 60).quantize(Decimal("0.01"))
    return f"{quarter_hours.normalize():f}"
