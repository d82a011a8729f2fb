"""Reads for reporting: HCLM 360 counts, editions, runs and quotes, scoped to the lead's region.

The figures of the other chapters are their apps' own (registered in `academy.chapters`); what
reporting reads of another app, it reads through that app's `selectors` module only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from academy.models import Region
from academy.scope import Scope
from programmes import selectors as programmes
from reporting.models import HCLM_COUNTS, Edition, Hclm360Count, ReportRun, nhs_year_label

__all__ = ["Scope"]  # reporting's pages still build their scope from here


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
    return get_object_or_404(
        Edition.objects.select_related("system__sub_region", "region"), pk=pk, region=region
    )


def runs_for_edition(edition: Edition) -> QuerySet[ReportRun]:
    return edition.runs.select_related("requested_by")


def run_for_user(region: Region, pk: int) -> ReportRun:
    return get_object_or_404(
        ReportRun.objects.select_related("edition__region"), pk=pk, edition__region=region
    )


def quotable_feedback(scope: Scope) -> QuerySet:
    """Feedback given with consent to quote on the region's cohorts that met in the period."""
    return programmes.quotable_feedback(scope)


def approved_quotes(edition: Edition) -> list:
    if edition.pk is None:  # an unsaved edition (the command without one) has no quotes
        return []
    return list(
        edition.quotes.filter(consent_to_quote=True)
        .select_related("enrolment__cohort__programme")
        .order_by("created_at")
    )


def nhs_years_with_data(region: Region) -> list[str]:
    """The NHS years offered in the dashboard's filter: from the first session to this year."""
    first = programmes.first_session_start(region)
    today = timezone.localdate()
    first_year = int(nhs_year_label(timezone.localtime(first).date())[:4]) if first else today.year
    last_year = int(nhs_year_label(today)[:4])
    return [f"{y}/{(y + 1) % 100:02d}" for y in range(last_year, first_year - 1, -1)]


def latest_complete_year_with_data(region: Region) -> str | None:
    """The most recent complete NHS year in which the region held a session: the dashboard opens on
    it, so a lead sees last year's figures rather than an empty year."""
    last_complete_start = int(nhs_year_label(timezone.localdate() - dt.timedelta(days=366))[:4])
    end = dt.datetime(last_complete_start + 1, 4, 1, tzinfo=timezone.get_default_timezone())
    latest = programmes.last_session_start_before(region, end)
    return nhs_year_label(timezone.localtime(latest).date()) if latest else None
