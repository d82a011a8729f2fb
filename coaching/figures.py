"""The coaching and mentoring figures for the Year in Review, in a fixed number of queries.

Definitions (each figure is for the region, or one system when `system` is given; a coach's system is
their organisation's, and relationships and sessions count towards the coach's system):
- on the register at `end`: approved on or before `end` and approved or lapsed now (a lapsed coach stays
  on the register, not compliant); coaches are kind coach or both, mentors mentor or both;
- new on the register: approved within start..end;
- supervision sessions held: group sessions marked held that started within start..end;
- coaches supervised: distinct coaches with any supervision record (group or elsewhere) in the period;
- compliance rate: of those on the register at `end`, the share compliant on `end` by the one rule the
  pages and the daily run use (coaching.models.supervision_due): supervision due 12 months after the
  later of their last supervision and their approval, so a coach approved in the 12 months to `end`
  counts as compliant without supervision yet, and supervision exactly 365 days before `end` counts;
- CPD attendances: attendances at CPD events that started in the period;
- relationships started / completed: started_on / closed_on (closed) in the period;
- coaching hours: logged session minutes in the period, over 60.

The queries are the ORM's (the house style): six aggregates by system, whose sums are the totals
(but for supervision sessions, which count once across their attendees' systems: a total of its own),
and the systems. `coaching_chapter` is the same figures as published (counts by system suppressed), read by
the coaching chapter (`coaching/chapters.py`) and exposed through `coaching/selectors.py`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from academy.models import Region, System
from academy.scope import Scope, period_bounds
from academy.suppression import SUPPRESSION_NOTE, suppress_counts
from coaching.models import (
    SUPERVISION_INTERVAL_DAYS,
    CoachingRelationship,
    CoachingSessionLog,
    CoachKind,
    CoachProfile,
    CPDAttendance,
    ProfileStatus,
    RelationshipStatus,
    SessionStatus,
    SupervisionRecord,
    SupervisionSession,
)

COUNT_KEYS = (
    "coaches_on_register",
    "mentors_on_register",
    "new_on_register",
    "supervision_sessions_held",
    "coaches_supervised",
    "compliance_rate",
    "cpd_attendances",
    "relationships_started",
    "relationships_completed",
    "coaching_hours",
)


# A group session has attendees from several systems: it counts once in all, however many systems it
# counts in, so its total is a query of its own.
SHARED_ACROSS_SYSTEMS = {"attendees__profile__person__organisation__system"}


def coaching_figures(
    *, start: datetime.date, end: datetime.date, region: Region, system: System | None = None
) -> dict:
    """Totals for the region (or one system) plus the same figures per system, in 8 queries."""
    low, high = period_bounds(start, end)
    _, end_high = period_bounds(end, end)
    # Compliant on `end` when the due date (12 months after the later of last supervision and approval)
    # is on or after `end`: that is, either happened on or after `end` minus 365 days.
    compliance_from = end - datetime.timedelta(days=SUPERVISION_INTERVAL_DAYS)
    approved_in_year_low, _ = period_bounds(compliance_from, compliance_from)

    # Each group's query: (queryset, the path from its rows to the coach's system, its aggregates).
    on_register = Q(status__in=[ProfileStatus.APPROVED, ProfileStatus.LAPSED], approved_at__lt=end_high)
    supervised_in_year = Exists(
        SupervisionRecord.objects.filter(
            profile=OuterRef("pk"), held_on__gte=compliance_from, held_on__lte=end
        )
    )
    groups = [
        (
            CoachProfile.objects.filter(region=region),
            "person__organisation__system",
            {
                "coaches_on_register": Count(
                    "pk", filter=on_register & Q(kind__in=[CoachKind.COACH, CoachKind.BOTH])
                ),
                "mentors_on_register": Count(
                    "pk", filter=on_register & Q(kind__in=[CoachKind.MENTOR, CoachKind.BOTH])
                ),
                "_on_register": Count("pk", filter=on_register),
                "_compliant": Count(
                    "pk",
                    filter=on_register & (Q(supervised_in_year) | Q(approved_at__gte=approved_in_year_low)),
                ),
                "new_on_register": Count(
                    "pk",
                    filter=Q(
                        status__in=[ProfileStatus.APPROVED, ProfileStatus.LAPSED],
                        approved_at__gte=low,
                        approved_at__lt=high,
                    ),
                ),
            },
        ),
        (
            SupervisionSession.objects.filter(
                region=region, status=SessionStatus.HELD, starts_at__gte=low, starts_at__lt=high
            ),
            "attendees__profile__person__organisation__system",
            {"supervision_sessions_held": Count("pk", distinct=True)},
        ),
        (
            SupervisionRecord.objects.filter(profile__region=region, held_on__gte=start, held_on__lte=end),
            "profile__person__organisation__system",
            {"coaches_supervised": Count("profile", distinct=True)},
        ),
        (
            CPDAttendance.objects.filter(
                profile__region=region, event__starts_at__gte=low, event__starts_at__lt=high
            ),
            "profile__person__organisation__system",
            {"cpd_attendances": Count("pk")},
        ),
        (
            CoachingRelationship.objects.filter(coach__region=region),
            "coach__person__organisation__system",
            {
                "relationships_started": Count("pk", filter=Q(started_on__gte=start, started_on__lte=end)),
                "relationships_completed": Count(
                    "pk",
                    filter=Q(status=RelationshipStatus.CLOSED, closed_on__gte=start, closed_on__lte=end),
                ),
            },
        ),
        (
            CoachingSessionLog.objects.filter(
                relationship__coach__region=region, held_on__gte=start, held_on__lte=end
            ),
            "relationship__coach__person__organisation__system",
            {"_minutes": Sum("duration_minutes")},
        ),
    ]

    systems = list(System.objects.filter(sub_region__region=region).order_by("name"))
    if system is not None:
        systems = [s for s in systems if s.pk == system.pk]
    totals: dict = {}
    per_system: dict[int, dict] = {s.pk: {} for s in systems}
    for queryset, system_path, aggregates in groups:
        if system is not None:
            queryset = queryset.filter(**{system_path: system})
        rows = list(queryset.values(system_path).order_by().annotate(**aggregates))
        if system_path in SHARED_ACROSS_SYSTEMS:
            totals.update(queryset.aggregate(**aggregates))
        else:
            # Each row has one coach, so one system (or none, a group of its own): the totals are the
            # sums of the groups, with no second pass over the rows.
            totals.update({key: sum(row[key] or 0 for row in rows) for key in aggregates})
        for row in rows:
            figures = per_system.get(row.pop(system_path))
            if figures is not None:
                figures.update(row)

    result = _finish(totals)
    result["by_system"] = [{"system": s.name, **_finish(per_system[s.pk])} for s in systems]
    return result


def _finish(raw: dict) -> dict:
    """Turn raw aggregates (missing when a system had no rows) into the published figures."""
    on_register = raw.get("_on_register") or 0
    compliant = raw.get("_compliant") or 0
    minutes = raw.get("_minutes") or 0
    figures = {key: raw.get(key) or 0 for key in COUNT_KEYS}
    figures["compliance_rate"] = compliant / on_register if on_register else 0.0
    figures["coaching_hours"] = (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"))
    return figures


def coaching_chapter(scope: Scope) -> dict:
    """The figures for the scope, as published: coaches and mentors by system suppressed (small areas).
    Computed once per scope (the chapter, the dashboard and the CSVs read the same)."""

    def compute(scope: Scope) -> dict:
        figures = coaching_figures(start=scope.start, end=scope.end, region=scope.region, system=scope.system)
        return {
            "available": True,
            "figures": figures,
            "coaches_by_system": _by_system(
                figures, "coaches_on_register", "Coaches on the register by system"
            ),
            "mentors_by_system": _by_system(
                figures, "mentors_on_register", "Mentors on the register by system"
            ),
        }

    return scope.shared("coaching.chapter", compute)


def _by_system(figures: dict, key: str, title: str):
    rows = [(row["system"], row["system"], row.get(key, 0)) for row in figures.get("by_system", [])]
    return suppress_counts(rows, title=title, note=SUPPRESSION_NOTE)
