"""The Year in Review's figures for the Graduate Management Training Scheme: the queries (ORM) and the
figures as published, read by `gmts/chapters.py` and exposed through `gmts/selectors.py`.

Definitions, stated once so the PDF, the dashboard and the CSVs mean the same thing:

* **Trainees supported in the period**: trainees of the region on the scheme at some time in the
  period: their intake started by its end, and they neither left nor were due to finish before its
  start. For one system: those with a placement (not withdrawn) at a host in it during the period.
* **New trainees**: the trainees of each intake that started in the period.
* **Current trainees**: those on the scheme on the period's last day, by the system and by the type
  of the organisation hosting their placement on that day ("No placement that day" otherwise). Counts
  by system are counts in small areas, so both breakdowns go through `academy.suppression`.
* **Confirmed placements**: of the trainees (not withdrawn) of the last intake to start in the period,
  how many had a placement the host had confirmed (or begun) running on or after their start.

Seven queries whatever the volume (supported, new per intake, current trainees and their hosts on
the last day, the region's systems, the last intake and its confirmed count, quotes).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from academy.models import OrganisationType
from academy.scope import Scope
from academy.suppression import SUPPRESSION_NOTE, Breakdown, suppress_counts
from gmts.models import (
    CONFIRMED_STATES,
    Intake,
    Placement,
    PlacementStatus,
    SchemeQuote,
    Trainee,
    TraineeStatus,
)

NO_PLACEMENT = "No placement that day"
NATIONAL = "Regional or national body"


@dataclass(frozen=True)
class ConfirmedStatement:
    intake: str
    starting: int
    confirmed: int

    @property
    def complete(self) -> bool:
        return self.confirmed == self.starting

    @property
    def sentence(self) -> str:
        if self.starting == 0:
            return f"No trainees started the scheme in {self.intake}."
        if self.complete and self.starting == 1:
            return f"The one trainee starting in {self.intake} has a confirmed placement."
        if self.complete:
            return f"All {self.starting} trainees starting in {self.intake} have confirmed placements."
        if self.starting == 1:
            return f"The one trainee starting in {self.intake} does not yet have a confirmed placement."
        missing = self.starting - self.confirmed
        return (
            f"{self.confirmed} of the {self.starting} trainees starting in {self.intake} have confirmed "
            f"placements; {missing} {'does' if missing == 1 else 'do'} not yet."
        )


def _trainees(scope: Scope) -> QuerySet[Trainee]:
    trainees = Trainee.objects.filter(intake__region=scope.region)
    if scope.system is not None:
        hosted = Placement.objects.filter(
            trainee=OuterRef("pk"),
            host__system=scope.system,
            starts_on__lte=scope.end,
            ends_on__gte=scope.start,
        ).exclude(status=PlacementStatus.WITHDRAWN)
        trainees = trainees.filter(Exists(hosted))
    return trainees


def supported(scope: Scope) -> int:
    return _trainees(scope).supported_between(scope.start, scope.end).count()


def new_per_intake(scope: Scope) -> list[tuple[str, int]]:
    intakes = (
        Intake.objects.filter(region=scope.region, starts_on__gte=scope.start, starts_on__lte=scope.end)
        .annotate(trainees_count=Count("trainees", filter=Q(trainees__in=_trainees(scope))))
        .order_by("starts_on")
    )
    return [(intake.label, intake.trainees_count) for intake in intakes]


def current_by_host(scope: Scope) -> tuple[Breakdown, Breakdown]:
    """Current trainees (on the period's last day) by their host's system and by its type."""
    current = _trainees(scope).supported_between(scope.end, scope.end)
    # A trainee's placements never overlap, so at most one (not withdrawn) runs on the last day.
    placed = (
        Placement.objects.filter(
            trainee__in=current.values("pk"),
            status__in=CONFIRMED_STATES,
            starts_on__lte=scope.end,
            ends_on__gte=scope.end,
        )
        .values_list("host__system__name", "host__type")
        .annotate(trainees=Count("pk"))
    )
    systems: Counter = Counter()
    types: Counter = Counter()
    for system, kind, trainees in placed:
        systems[system or NATIONAL] += trainees
        types[kind] += trainees
    unplaced = current.count() - sum(types.values())
    if unplaced:
        systems[NO_PLACEMENT] += unplaced
        types[NO_PLACEMENT] += unplaced
    system_names = [s.name for s in scope.systems] if scope.system is None else [scope.system.name]
    system_cells = [(name, name, systems.get(name, 0)) for name in system_names]
    system_cells += [
        (extra, extra, systems[extra]) for extra in (NATIONAL, NO_PLACEMENT) if systems.get(extra)
    ]
    type_cells = [
        (value, label, types[value]) for value, label in OrganisationType.choices if types.get(value)
    ]
    if types.get(NO_PLACEMENT):
        type_cells.append((NO_PLACEMENT, NO_PLACEMENT, types[NO_PLACEMENT]))
    return (
        suppress_counts(system_cells, title="Current GMTS trainees by STP area", note=SUPPRESSION_NOTE),
        suppress_counts(
            type_cells, title="Current GMTS trainees by organisation type", note=SUPPRESSION_NOTE
        ),
    )


def confirmed_statement(scope: Scope) -> ConfirmedStatement | None:
    """The confirmed-placements figure for the last intake that started in the period, if any."""
    intake = (
        Intake.objects.filter(region=scope.region, starts_on__gte=scope.start, starts_on__lte=scope.end)
        .order_by("-starts_on")
        .first()
    )
    if intake is None:
        return None
    confirmed = Placement.objects.filter(
        trainee=OuterRef("pk"), status__in=CONFIRMED_STATES, ends_on__gte=intake.starts_on
    )
    counts = (
        _trainees(scope)
        .filter(intake=intake)
        .exclude(status=TraineeStatus.WITHDRAWN)
        .aggregate(starting=Count("pk"), confirmed=Count("pk", filter=Q(Exists(confirmed))))
    )
    return ConfirmedStatement(intake.label, counts["starting"], counts["confirmed"])


def quotes(scope: Scope) -> list[SchemeQuote]:
    """The quotes a lead chose for the period, trainees' first, then managers'."""
    return list(
        SchemeQuote.objects.filter(
            region=scope.region, chosen_at__isnull=False, given_on__gte=scope.start, given_on__lte=scope.end
        ).order_by("role", "given_on", "pk")
    )


def gmts_chapter(scope: Scope) -> dict:
    """Every figure of the chapter, computed once per scope."""

    def compute(scope: Scope) -> dict:
        by_system, by_type = current_by_host(scope)
        new = new_per_intake(scope)
        return {
            "supported": supported(scope),
            "new_per_intake": new,
            "new_total": sum(n for _, n in new),
            "by_system": by_system,
            "by_type": by_type,
            "confirmed": confirmed_statement(scope),
            "quotes": quotes(scope),
        }

    return scope.shared("gmts.figures", compute)
