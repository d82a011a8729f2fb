"""Reads for reporting: the figures of a period and scope, editions and runs scoped to the lead's region.

Every count of people by an equality characteristic or by area goes through
`reporting.suppression.suppress_counts` here, once, so the PDF, the dashboard and the CSV exports
publish the same, safe numbers. Programme data is read through `programmes.figures`, coaching data
through `coaching.selectors`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet

from academy.models import EthnicCategory, Gender, Region, StaffGroup, SubRegion, System
from programmes.figures import ProgrammeFigures, programme_figures
from programmes.models import Feedback, Theme
from reporting.models import (
    HCLM_COUNTS,
    Edition,
    Hclm360Count,
    ReportRun,
    nhs_year_label,
    nhs_year_period,
    period_bounds,
)
from reporting.suppression import Breakdown, Cell, suppress_counts

NOT_STATED = "Not stated"
ETHNIC_GROUPS = [
    ("white", "White", "ABC"),
    ("mixed", "Mixed", "DEFG"),
    ("asian", "Asian or Asian British", "HJKL"),
    ("black", "Black or Black British", "MNP"),
    ("other", "Other ethnic group", "RS"),
]
MINORITY_NOTE = (
    "Minority ethnic means every stated ethnic category outside the White groups (A to C). People who "
    "did not state their ethnicity (code Z, or no answer) are left out of the denominator."
)
SUPPRESSION_NOTE = (
    "To protect privacy, counts of 1 to 7 are shown as * and others are rounded to the nearest 5; "
    "further counts are hidden where a hidden one could be worked out from a total."
)


@dataclass
class Scope:
    """What a report covers: a region or one of its systems, over [start, end] (dates, inclusive)."""

    region: Region
    start: dt.date
    end: dt.date
    system: System | None = None

    @classmethod
    def for_edition(cls, edition: Edition) -> Scope:
        return cls(edition.region, edition.period_start, edition.period_end, edition.system)

    @classmethod
    def for_nhs_year(cls, label: str, *, region: Region, system: System | None = None) -> Scope:
        start, end = nhs_year_period(label)
        return cls(region, start, end, system)

    @property
    def label(self) -> str:
        start, end = nhs_year_period(nhs_year_label(self.start))
        if (self.start, self.end) == (start, end):
            return nhs_year_label(self.start)
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return period_bounds(self.start, self.end)

    @cached_property
    def programmes(self) -> ProgrammeFigures:
        """Shared by every chapter of one render: computed once (four queries)."""
        start, end = self.bounds
        return programme_figures(
            region_id=self.region.pk, start=start, end=end, system_id=self.system.pk if self.system else None
        )

    @property
    def small_area(self) -> bool:
        """One system's edition: every count of people in it is a count in a small area."""
        return self.system is not None

    @cached_property
    def programme_tables(self) -> dict[str, ProgrammeTable]:
        """The per-programme tables by theme, as published (see `programme_table`)."""
        return {theme.value: programme_table(self, theme.value) for theme in Theme}

    @cached_property
    def systems(self) -> list[System]:
        return list(System.objects.filter(sub_region__region=self.region).select_related("sub_region"))


# --- Reach and impact ------------------------------------------------------------------------------


def _labelled(choices, counts: dict, *, title: str, note: str = "") -> Breakdown:
    items = [(value, label, counts.get(value, 0)) for value, label in choices]
    items.append(("", NOT_STATED, counts.get("", 0) + counts.get(None, 0)))
    return suppress_counts(items, title=title, note=note or SUPPRESSION_NOTE)


def staff_group_breakdown(scope: Scope) -> Breakdown:
    return _labelled(
        StaffGroup.choices, scope.programmes.people["staff_group"], title="Participants by staff group"
    )


def gender_breakdown(scope: Scope) -> Breakdown:
    return _labelled(Gender.choices, scope.programmes.people["gender"], title="Participants by gender")


def ethnic_group_breakdown(scope: Scope) -> Breakdown:
    counts = scope.programmes.people["ethnic_category"]
    items = [(key, label, sum(counts.get(code, 0) for code in codes)) for key, label, codes in ETHNIC_GROUPS]
    items.append(("not_stated", NOT_STATED, counts.get(EthnicCategory.Z, 0) + counts.get("", 0)))
    return suppress_counts(items, title="Participants by ethnic group", note=SUPPRESSION_NOTE)


def minority_ethnic_breakdown(scope: Scope) -> Breakdown:
    """White / minority ethnic among those who stated their ethnicity: the headline share."""
    counts = scope.programmes.people["ethnic_category"]
    white = sum(counts.get(code, 0) for code in EthnicCategory.white())
    minority = sum(counts.get(code, 0) for code in EthnicCategory.minority_ethnic())
    return suppress_counts(
        [("white", "White", white), ("minority", "Minority ethnic", minority)],
        title="Participants who stated their ethnicity",
        total_label="Stated their ethnicity",
        note=MINORITY_NOTE,
    )


def system_breakdown(scope: Scope) -> Breakdown:
    counts = scope.programmes.people["system"]
    items = [(s.pk, s.name, counts.get(s.pk, 0)) for s in scope.systems]
    items.append((None, "No system (regional or national body, or not given)", counts.get(None, 0)))
    return suppress_counts(items, title="Participants by system they work in", note=SUPPRESSION_NOTE)


def sub_region_breakdown(scope: Scope) -> Breakdown:
    counts = scope.programmes.people["system"]
    totals: dict[SubRegion, int] = {}
    for system in scope.systems:
        totals[system.sub_region] = totals.get(system.sub_region, 0) + counts.get(system.pk, 0)
    items = [(sr.pk, sr.name, n) for sr, n in sorted(totals.items(), key=lambda kv: kv[0].name)]
    items.append((None, "No system (regional or national body, or not given)", counts.get(None, 0)))
    return suppress_counts(items, title="Participants by sub-region", note=SUPPRESSION_NOTE)


def _share(breakdown: Breakdown, *keys) -> float | None:
    """The combined share of some cells of a published breakdown; None if any is hidden."""
    values = [c.value for c in breakdown.cells if c.key in keys]
    if not breakdown.total.value or any(v is None for v in values):
        return None
    return sum(values) / breakdown.total.value


@dataclass(frozen=True)
class Headline:
    interventions: int  # cohorts, not people: never suppressed
    enrolments: Cell  # people: suppressed and rounded in a one-system (small area) edition
    individuals: Cell
    attendance_rate: float | None
    first_session: dt.datetime | None
    last_session: dt.datetime | None
    administrative_share: float | None
    medical_share: float | None
    nursing_ahp_share: float | None
    female_share: float | None
    minority_ethnic_share: float | None


def reach_and_impact(scope: Scope) -> dict:
    figures = scope.programmes
    staff_groups = staff_group_breakdown(scope)
    genders = gender_breakdown(scope)
    minority = minority_ethnic_breakdown(scope)
    headline = Headline(
        interventions=figures.interventions,
        enrolments=published_count(figures.enrolments, small_area=scope.small_area, label="Enrolments"),
        individuals=published_count(figures.individuals, small_area=scope.small_area, label="Individuals"),
        attendance_rate=figures.attendance_rate,
        first_session=figures.first_session,
        last_session=figures.last_session,
        administrative_share=_share(staff_groups, StaffGroup.ADMINISTRATIVE_CLERICAL),
        medical_share=_share(staff_groups, StaffGroup.MEDICAL_DENTAL),
        nursing_ahp_share=_share(
            staff_groups, StaffGroup.NURSING_MIDWIFERY, StaffGroup.ALLIED_HEALTH_PROFESSIONALS
        ),
        female_share=_share(genders, Gender.FEMALE),
        minority_ethnic_share=_share(minority, "minority"),
    )
    return {
        "headline": headline,
        "staff_groups": staff_groups,
        "genders": genders,
        "ethnic_groups": ethnic_group_breakdown(scope),
        "minority_ethnic": minority,
        "systems": system_breakdown(scope),
        "sub_regions": sub_region_breakdown(scope),
    }


def published_count(count: int, *, small_area: bool, label: str = "") -> Cell:
    """A headline count of people: exact for the whole region; in a small area (one system) shown
    under the same rules as every breakdown (1 to 7 as *, others rounded to the nearest 5)."""
    if not small_area:
        return Cell(label, label, count)
    return suppress_counts([(label, label, count)]).cells[0]


@dataclass(frozen=True)
class PublishedProgrammeRow:
    programme_id: int
    code: str
    title: str
    theme: str
    interventions: int  # cohorts, not people
    enrolments: Cell
    individuals: Cell
    attendance_rate: float | None  # None ("–") when its enrolments are hidden


@dataclass(frozen=True)
class ProgrammeTable:
    theme: str
    rows: list[PublishedProgrammeRow]
    interventions: int
    enrolments: Cell  # the theme's total


def programme_table(scope: Scope, theme: str) -> ProgrammeTable:
    """One theme's programmes as published. The whole-region edition shows exact counts. An edition
    for one system counts people in a small area, so enrolments and individuals go through
    `suppress_counts` column by column (each column with its total, so secondary suppression stops
    a hidden programme being worked out from the theme's total)."""
    raw = [row for row in scope.programmes.by_programme if row.theme == theme]
    enrolment_items = [(r.programme_id, r.title, r.enrolments) for r in raw]
    individual_items = [(r.programme_id, r.title, r.individuals) for r in raw]
    if scope.small_area:
        enrolments = suppress_counts(enrolment_items, title="Enrolments", note=SUPPRESSION_NOTE)
        individuals = suppress_counts(individual_items, title="Individuals", note=SUPPRESSION_NOTE)
        enrolment_cells, individual_cells, total = enrolments.cells, individuals.cells, enrolments.total
    else:
        enrolment_cells = [Cell(*item) for item in enrolment_items]
        individual_cells = [Cell(*item) for item in individual_items]
        total = Cell("total", "Total", sum(r.enrolments for r in raw))
    rows = [
        PublishedProgrammeRow(
            programme_id=r.programme_id,
            code=r.code,
            title=r.title,
            theme=r.theme,
            interventions=r.interventions,
            enrolments=enrolment_cell,
            individuals=individual_cell,
            attendance_rate=None if enrolment_cell.suppressed else r.attendance_rate,
        )
        for r, enrolment_cell, individual_cell in zip(raw, enrolment_cells, individual_cells, strict=True)
    ]
    return ProgrammeTable(theme, rows, sum(r.interventions for r in raw), total)


def programme_rows(scope: Scope) -> list[PublishedProgrammeRow]:
    """Every programme's published row (the dashboard's table and its CSV), in code order."""
    rows = [row for table in scope.programme_tables.values() for row in table.rows]
    return sorted(rows, key=lambda r: (r.code, r.title))


def theme_chapter(scope: Scope, theme: str) -> dict:
    table = scope.programme_tables[theme]
    return {
        "theme_label": Theme(theme).label,
        "programmes": table.rows,
        "interventions": table.interventions,
        "enrolments": table.enrolments,
    }


# --- Coaching and mentoring (read through the coaching app's selector) -------------------------------


def coaching_and_mentoring(scope: Scope) -> dict:
    """The coaching app's figures for the period, with coaches by system suppressed (a small area)."""
    from coaching.selectors import coaching_figures

    figures = coaching_figures(start=scope.start, end=scope.end, region=scope.region, system=scope.system)
    coaches_by_system = suppress_counts(
        [
            (row["system"], row["system"], row.get("coaches_on_register", 0))
            for row in figures.get("by_system", [])
        ],
        title="Coaches on the register by system",
        note=SUPPRESSION_NOTE,
    )
    mentors_by_system = suppress_counts(
        [
            (row["system"], row["system"], row.get("mentors_on_register", 0))
            for row in figures.get("by_system", [])
        ],
        title="Mentors on the register by system",
        note=SUPPRESSION_NOTE,
    )
    return {
        "available": True,
        "figures": figures,
        "coaches_by_system": coaches_by_system,
        "mentors_by_system": mentors_by_system,
    }


# --- HCLM 360 --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HclmValue:
    value: int | None
    change: float | None  # on the previous year, -0.29 for -29%; None when no comparison is possible

    @property
    def change_display(self) -> str:
        return "" if self.change is None else f"{self.change:+.0%}".replace("+-", "-")


def hclm_table(scope: Scope) -> dict:
    """The HCLM 360 counts for the calendar year the period starts in, with change on the year before:
    columns Overall then each sub-region of the region. One query."""
    year = scope.start.year
    rows = list(
        Hclm360Count.objects.filter(region=scope.region, year__in=[year - 1, year]).select_related(
            "sub_region"
        )
    )
    columns: list[tuple[int | None, str]] = [(None, "Overall")]
    columns += sorted(
        {(r.sub_region_id, r.sub_region.name) for r in rows if r.sub_region_id}, key=lambda c: c[1]
    )
    by_key = {(r.year, r.sub_region_id): r for r in rows}
    table = []
    for field, label in HCLM_COUNTS:
        cells = []
        for column_id, _ in columns:
            current = by_key.get((year, column_id))
            previous = by_key.get((year - 1, column_id))
            value = getattr(current, field) if current else None
            before = getattr(previous, field) if previous else None
            change = (value - before) / before if value is not None and before else None
            cells.append(HclmValue(value, change))
        table.append({"label": label, "cells": cells})
    return {"year": year, "columns": [name for _, name in columns], "rows": table, "has_data": bool(rows)}


# --- Editions, runs, quotes ------------------------------------------------------------------------


def editions_for(user, region: Region) -> QuerySet[Edition]:
    return Edition.objects.filter(region=region).select_related("system", "region")


def edition_for_user(region: Region, pk: int) -> Edition:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Edition.objects.select_related("system__sub_region", "region"), pk=pk, region=region
    )


def runs_for_edition(edition: Edition) -> QuerySet[ReportRun]:
    return edition.runs.select_related("requested_by")


def run_for_user(region: Region, pk: int) -> ReportRun:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        ReportRun.objects.select_related("edition__region"), pk=pk, edition__region=region
    )


def quotable_feedback(scope: Scope) -> QuerySet[Feedback]:
    """Feedback given with consent to quote on the region's cohorts that met in the period (feedback
    often arrives after the last session, so its own date does not decide)."""
    from django.db.models import Exists, OuterRef

    from programmes.models import Session

    start, end = scope.bounds
    met = Session.objects.filter(
        cohort=OuterRef("enrolment__cohort"), is_cancelled=False, starts_at__gte=start, starts_at__lt=end
    )
    queryset = Feedback.objects.filter(
        Exists(met), consent_to_quote=True, enrolment__cohort__region=scope.region
    ).select_related("enrolment__cohort__programme")
    if scope.system:
        queryset = queryset.filter(enrolment__person__organisation__system=scope.system)
    return queryset.order_by("-rating", "-created_at")


def approved_quotes(edition: Edition) -> list[Feedback]:
    if edition.pk is None:  # an unsaved edition (the command without one) has no quotes
        return []
    return list(
        edition.quotes.filter(consent_to_quote=True)
        .select_related("enrolment__cohort__programme")
        .order_by("created_at")
    )


def nhs_years_with_data(region: Region) -> list[str]:
    """The NHS years offered in the dashboard's filter: from the first session to this year."""
    from django.utils import timezone

    from programmes.models import Session

    first = (
        Session.objects.filter(cohort__region=region)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    today = timezone.localdate()
    first_year = int(nhs_year_label(timezone.localtime(first).date())[:4]) if first else today.year
    last_year = int(nhs_year_label(today)[:4])
    return [f"{y}/{(y + 1) % 100:02d}" for y in range(last_year, first_year - 1, -1)]


def latest_complete_year_with_data(region: Region) -> str | None:
    """The most recent complete NHS year in which the region held a session: the dashboard opens on
    it, so a lead sees last year's figures rather than an empty year."""
    import datetime as dt

    from django.utils import timezone

    from programmes.models import Session

    last_complete_start = int(nhs_year_label(timezone.localdate() - dt.timedelta(days=366))[:4])
    end = dt.datetime(last_complete_start + 1, 4, 1, tzinfo=timezone.get_default_timezone())
    latest = (
        Session.objects.filter(cohort__region=region, starts_at__lt=end)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return nhs_year_label(timezone.localtime(latest).date()) if latest else None
