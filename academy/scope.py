"""What a report covers: a period (dates, inclusive) for a region or one of its systems.

`Scope` is the one argument every Year in Review chapter's figures function takes, so it lives in
`academy` (which every app may import), not in `reporting` (which no domain app may import). Work that
several chapters share in one render (e.g. the programme figures behind reach and the four theme
chapters) is kept on the scope with `shared()`, so each is computed once per render. See
docs/adr/0001-year-in-review-chapters.md."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar
from zoneinfo import ZoneInfo

from academy.models import Region, System

LONDON = ZoneInfo("Europe/London")
NHS_YEAR = re.compile(r"^(?P<first>\d{4})/(?P<second>\d{2})$")
T = TypeVar("T")


def nhs_year_period(label: str) -> tuple[dt.date, dt.date]:
    """ "2020/21" → 1 April 2020 – 31 March 2021. Raises ValueError for anything else."""
    match = NHS_YEAR.match(label.strip())
    if not match:
        raise ValueError(f'"{label}" is not an NHS year such as 2020/21.')
    first = int(match["first"])
    if (first + 1) % 100 != int(match["second"]):
        raise ValueError(f'"{label}" is not an NHS year: the second year must follow the first.')
    return dt.date(first, 4, 1), dt.date(first + 1, 3, 31)


def nhs_year_label(start: dt.date) -> str:
    first = start.year if start.month >= 4 else start.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The aware half-open interval [start 00:00, day after end 00:00) in Europe/London, so that a
    session at 23:30 on 31 March (British time) falls in the year ending that day."""
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=LONDON),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=LONDON),
    )


def period_label(start: dt.date, end: dt.date) -> str:
    """ "2020/21" for a whole NHS year, otherwise "1 April 2020 to 30 June 2020"."""
    year_start, year_end = nhs_year_period(nhs_year_label(start))
    if (start, end) == (year_start, year_end):
        return nhs_year_label(start)
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


@dataclass
class Scope:
    """What a report covers: a region or one of its systems, over [start, end] (dates, inclusive)."""

    region: Region
    start: dt.date
    end: dt.date
    system: System | None = None
    _shared: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def for_edition(cls, edition) -> Scope:
        """A Year in Review edition's scope (anything with region, period_start, period_end, system)."""
        return cls(edition.region, edition.period_start, edition.period_end, edition.system)

    @classmethod
    def for_nhs_year(cls, label: str, *, region: Region, system: System | None = None) -> Scope:
        start, end = nhs_year_period(label)
        return cls(region, start, end, system)

    @property
    def label(self) -> str:
        return period_label(self.start, self.end)

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return period_bounds(self.start, self.end)

    @property
    def small_area(self) -> bool:
        """One system's report: every count of people in it is a count in a small area."""
        return self.system is not None

    @cached_property
    def systems(self) -> list[System]:
        return list(System.objects.filter(sub_region__region=self.region).select_related("sub_region"))

    def shared(self, key: str, compute: Callable[[Scope], T]) -> T:
        """`compute(self)`, once per scope: figures several chapters (or the dashboard) read."""
        if key not in self._shared:
            self._shared[key] = compute(self)
        return self._shared[key]
