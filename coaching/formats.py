"""How coaching pages write hours, and the other Jinja filters the coaching pages use (registered through
`CoachingConfig.jinja2_filters`): `hours`, `hours_number`, `minutes_as_hours`, `with_pk`, `linebreaksbr`,
`linebreaks`."""

from __future__ import annotations

from decimal import Decimal

from django.template.defaultfilters import linebreaks_filter, linebreaksbr


def hours(value) -> str:
    """A number of hours as people write it: "1 hour", "1.5 hours", "2 hours", "1.25 hours"."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).normalize()
    text = f"{number:f}"
    return f"{text} hour" if number == 1 else f"{text} hours"


def hours_number(value) -> str:
    """Just the number, for a table column headed "Hours": 1.5 rather than 1.50."""
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value)).normalize():f}"


def minutes_as_hours(minutes) -> str:
    """Logged minutes as hours for a table: 150 → 2.5, 45 → 0.75."""
    quarter_hours = (Decimal(minutes or 0) / 60).quantize(Decimal("0.01"))
    return f"{quarter_hours.normalize():f}"


def with_pk(url_for_zero: str, pk) -> str:
    """A row's link from one URL reversed for the page with pk 0: `url("coaching:coach", 0) | with_pk(p.pk)`
    (a list page reverses each URL once, not once a row)."""
    return url_for_zero.replace("/0/", f"/{int(pk)}/", 1)


JINJA2_FILTERS = {
    "hours": hours,
    "hours_number": hours_number,
    "minutes_as_hours": minutes_as_hours,
    "with_pk": with_pk,
    "linebreaksbr": linebreaksbr,
    "linebreaks": linebreaks_filter,
}
