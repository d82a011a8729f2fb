"""The talent pool's figures: the pool by readiness (by professional group, by system, by service
type), movements, placements, slate coverage and the equity funnel; the queries, then the figures as
published (every count of people through `academy.suppression`). Read by the Year in Review chapter
(`talent/chapters.py`) and the talent lead's dashboard, and exposed through `talent/selectors.py`.

Definitions, stated once:

* **In the pool on a day**: a membership joined on or before it and not ended before or on it; its
  **readiness on that day** is that of the latest decision dated on or before it (the history, not
  today's value, so a report for a past year shows the pool as it was).
* **Movements in the period**: career movements of the region's members (the system's, for one
  system) dated within the period; **appointments from the pool**: board-level appointments.
* **Placements**: Executive Talent Scheme interests placed within the period.
* **The equity funnel** (people of the region, as at the period's end): *nominated* — nominated for
  one of its assessment centres, or in its pool; *assessed* — assessed at a centre, or in the pool
  (every member came through an assessment); *in the pool* — a member at any time up to the end;
  *ready now* — judged ready now in any decision up to the end; *appointed* — a board-level
  appointment recorded up to the end. Each person counts once per step, by their profile's ethnic
  group, gender and disability. Rates are worked out from the published (rounded) counts, and the
  relative likelihood is the reference group's rate over the comparison group's (WRES indicator 2:
  white over minority ethnic); a rate from a hidden count is hidden too.

ORM queries, a fixed number whatever the pool's size (ADR 0001): two grouped queries for the pool (see
`pool_rows`), one for movements, one for placements, one for the funnel, plus the systems.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from academy.models import Disability, EthnicCategory, Gender, Person, Region, System
from academy.scope import Scope
from academy.suppression import SUPPRESSED, SUPPRESSION_NOTE, Breakdown, Cell, suppress_counts, suppress_grid
from talent.models import (
    BookingStatus,
    CareerMovement,
    CentreBooking,
    Interest,
    InterestStatus,
    MovementKind,
    PoolMember,
    ProfessionalGroup,
    Readiness,
    ReadinessChange,
    ServiceType,
)

READINESS_ORDER = tuple(Readiness)


def readiness_on(day: dt.date) -> Subquery:
    """The readiness of the member (OuterRef) on `day`: the latest decision dated on or before it."""
    return Subquery(
        ReadinessChange.objects.filter(member=OuterRef("pk"), decided_on__lte=day)
        .order_by("-decided_on", "-pk")
        .values("readiness")[:1]
    )


POOL_KEY = ("professional_group", "system_id", "service_type")


def pool_rows(*, region: Region, day: dt.date, system: System | None = None) -> Counter:
    """Members in the pool on `day`, counted by (readiness, professional group, system id, service type).

    A member's `readiness` and `readiness_on` are their latest decision (the services refuse a decision
    dated before it), so members decided on or before `day` are counted from their own rows (one hashed
    grouping, no history read); only those decided since look back through the history, one index probe
    each (`readiness_member_day`). Two queries, whatever the pool's size."""
    members = PoolMember.objects.filter(region=region).in_pool_on(day)
    if system is not None:
        members = members.filter(system=system)
    settled = (
        members.filter(readiness_on__lte=day)
        .values("readiness", *POOL_KEY)
        .order_by()
        .annotate(n=Count("pk"))
    )
    since = (
        members.filter(readiness_on__gt=day)
        .annotate(readiness_then=readiness_on(day))
        .values("readiness_then", *POOL_KEY)
        .order_by()
        .annotate(n=Count("pk"))
    )
    counts: Counter = Counter()
    for readiness, rows in (("readiness", settled), ("readiness_then", since)):
        for r in rows:
            counts[(r[readiness], r["professional_group"], r["system_id"], r["service_type"])] += r["n"]
    return counts


@dataclass(frozen=True)
class ReadinessTable:
    """A published two-way table: one row per group, one column per readiness, with totals."""

    key: str
    title: str
    row_labels: list[str]
    grid: list[list[int | None]]  # (rows + total) × (readinesses + total), hidden entries None

    @property
    def headings(self) -> tuple[str, ...]:
        return ("Group", *[r.label for r in READINESS_ORDER], "Total")

    def rows(self) -> list[list[str]]:
        def show(value):
            return SUPPRESSED if value is None else f"{value:,}"

        return [
            [label, *[show(v) for v in row]]
            for label, row in zip([*self.row_labels, "Total"], self.grid, strict=True)
        ]

    def column(self, index: int) -> list[int | None]:
        return [row[index] for row in self.grid[:-1]]


def readiness_table(key: str, title: str, counts: Counter, groups: list[tuple[object, str]], axis: int):
    """Suppress the pool's counts by readiness × one of its other dimensions (`axis` in pool_rows' key)."""
    by_pair: Counter = Counter()
    for k, n in counts.items():  # one pass over the pool's rows
        by_pair[(k[0], k[axis])] += n
    grid = [[by_pair[(readiness, group)] for readiness in READINESS_ORDER] for group, _ in groups]
    return ReadinessTable(
        key, title, [label for _, label in groups], suppress_grid(grid) if grid else [[0] * 4]
    )


def pool_figures(scope: Scope) -> dict:
    counts = pool_rows(region=scope.region, day=scope.end, system=scope.system)
    systems = [(s.pk, s.name) for s in scope.systems if scope.system is None or s.pk == scope.system.pk]
    totals: Counter = Counter()
    for k, n in counts.items():
        totals[k[0]] += n
    by_readiness = suppress_counts(
        [(r.value, r.label, totals[r]) for r in READINESS_ORDER],
        title="Talent pool members by readiness",
        total_label="In the pool",
        note=SUPPRESSION_NOTE,
    )
    return {
        "by_readiness": by_readiness,
        "by_professional_group": readiness_table(
            "readiness-by-professional-group",
            "Readiness by professional group",
            counts,
            list(ProfessionalGroup.choices),
            1,
        ),
        "by_system": readiness_table("readiness-by-system", "Readiness by ICS", counts, systems, 2),
        "by_service_type": readiness_table(
            "readiness-by-service-type", "Readiness by service type", counts, list(ServiceType.choices), 3
        ),
    }


def movement_figures(scope: Scope) -> dict:
    members = Q(member__region=scope.region)
    if scope.system is not None:
        members &= Q(member__system=scope.system)
    movements = CareerMovement.objects.filter(members, moved_on__gte=scope.start, moved_on__lte=scope.end)
    totals = movements.aggregate(
        movements=Count("pk"),
        appointments=Count("pk", filter=Q(kind=MovementKind.APPOINTMENT)),
        promotions=Count("pk", filter=Q(kind=MovementKind.PROMOTION)),
        board_appointments=Count("pk", filter=Q(kind=MovementKind.APPOINTMENT, board_level=True)),
        interim=Count("pk", filter=Q(terms="interim")),
    )
    placements = Interest.objects.filter(
        Q(opportunity__region=scope.region),
        status=InterestStatus.PLACED,
        placed_on__gte=scope.start,
        placed_on__lte=scope.end,
    )
    if scope.system is not None:
        placements = placements.filter(member__system=scope.system)
    totals["placements"] = placements.count()
    # Counts of people's career events: published as every count of people is in a small area.
    if scope.small_area:
        return {key: published(value) for key, value in totals.items()}
    return {key: Cell(key, key, value) for key, value in totals.items()}


def published(count: int) -> Cell:
    return suppress_counts([("n", "n", count)]).cells[0]


# --- The equity funnel -------------------------------------------------------------------------------

FUNNEL_STEPS = (
    ("nominated", "Nominated"),
    ("assessed", "Assessed"),
    ("pooled", "In the pool"),
    ("ready_now", "Ready now"),
    ("appointed", "Appointed"),
)

WHITE = sorted(EthnicCategory.white())
MINORITY_ETHNIC = sorted(EthnicCategory.minority_ethnic())


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    groups: tuple[tuple[str, str, Q], ...]  # (key, label, which people)
    reference: str  # the group whose rate is divided ...
    comparison: str  # ... by this group's
    ratio_label: str


DIMENSIONS = (
    Dimension(
        "ethnicity",
        "Ethnicity",
        (
            ("white", "White", Q(ethnic_category__in=WHITE)),
            ("minority_ethnic", "Minority ethnic", Q(ethnic_category__in=MINORITY_ETHNIC)),
            ("not_stated", "Not stated", ~Q(ethnic_category__in=WHITE + MINORITY_ETHNIC)),
        ),
        "white",
        "minority_ethnic",
        "Relative likelihood, white to minority ethnic",
    ),
    Dimension(
        "gender",
        "Gender",
        (
            ("female", "Female", Q(gender=Gender.FEMALE)),
            ("male", "Male", Q(gender=Gender.MALE)),
            ("other", "Other or not stated", ~Q(gender__in=[Gender.FEMALE, Gender.MALE])),
        ),
        "male",
        "female",
        "Relative likelihood, male to female",
    ),
    Dimension(
        "disability",
        "Disability",
        (
            ("no", "Not disabled", Q(disability=Disability.NO)),
            ("yes", "Disabled", Q(disability=Disability.YES)),
            ("not_stated", "Not stated", ~Q(disability__in=[Disability.NO, Disability.YES])),
        ),
        "no",
        "yes",
        "Relative likelihood, non-disabled to disabled",
    ),
)


def funnel_counts(*, region: Region, end: dt.date, system: System | None = None) -> dict[str, dict[str, int]]:
    """{step: {"dimension:group": people}} in one query: people flagged per step, grouped by profile.

    Each step's people are one uncorrelated `IN (…)` list, which PostgreSQL hashes once per query,
    rather than a correlated EXISTS probed for every person."""
    memberships = PoolMember.objects.filter(region=region, joined_on__lte=end)
    bookings = CentreBooking.objects.filter(centre__region=region).filter(
        Q(created_at__date__lte=end) | Q(centre__held_on__lte=end)
    )
    if system is not None:
        memberships = memberships.filter(system=system)
        bookings = bookings.filter(person__organisation__system=system)
    member_of = {"member__in": memberships.values("pk")}
    # Each list of people once: PostgreSQL hashes an uncorrelated `IN (…)` once per query.
    flags = {
        "booked": Q(pk__in=bookings.values("person_id")),
        "attended": Q(
            pk__in=bookings.filter(status=BookingStatus.ATTENDED, centre__held_on__lte=end).values(
                "person_id"
            )
        ),
        "pooled": Q(pk__in=memberships.values("person_id")),
        "ready_now": Q(
            pk__in=memberships.filter(
                Exists(
                    ReadinessChange.objects.filter(
                        member=OuterRef("pk"), readiness=Readiness.READY_NOW, decided_on__lte=end
                    )
                )
            ).values("person_id")
        ),
        "appointed": Q(
            pk__in=CareerMovement.objects.filter(
                **member_of, kind=MovementKind.APPOINTMENT, board_level=True, moved_on__lte=end
            ).values("member__person_id")
        ),
    }
    steps = {  # each step from the flags above
        "nominated": lambda row: row["booked"] or row["pooled"],
        "assessed": lambda row: row["attended"] or row["pooled"],
        "pooled": lambda row: row["pooled"],
        "ready_now": lambda row: row["ready_now"],
        "appointed": lambda row: row["appointed"],
    }
    groups = {
        dimension.key: Case(*[When(who, then=Value(group)) for group, _, who in dimension.groups])
        for dimension in DIMENSIONS
    }
    # One row per combination of flags and profile groups (a few dozen): every flag worked out once per
    # person (PostgreSQL groups by the select list's positions), the steps summed here. Only people
    # nominated or in the pool can reach any step: the portal's other people (every participant of
    # every programme) are not read.
    rows = (
        Person.objects.filter(flags["booked"] | flags["pooled"])
        .annotate(
            **{flag: ExpressionWrapper(q, output_field=BooleanField()) for flag, q in flags.items()},
            **{f"group_{key}": group for key, group in groups.items()},
        )
        .values(*flags, *[f"group_{key}" for key in groups])
        .order_by()
        .annotate(people=Count("pk"))
    )
    counts: dict[str, dict[str, int]] = {
        step: {f"{d.key}:{group}": 0 for d in DIMENSIONS for group, _, _ in d.groups}
        for step, _ in FUNNEL_STEPS
    }
    for row in rows:
        for step, reached in steps.items():
            if reached(row):
                for key in groups:
                    counts[step][f"{key}:{row[f'group_{key}']}"] += row["people"]
    return counts


@dataclass(frozen=True)
class FunnelStep:
    key: str
    label: str
    breakdown: Breakdown
    rates: list[str]  # per group: the share of the previous step's people who reached this one
    ratio: str  # the relative likelihood of reaching this step from the previous one

    @property
    def columns(self) -> list[tuple[Cell, str]]:
        """Each group's published count with its rate from the previous step ("" at the first)."""
        return list(zip(self.breakdown.cells, self.rates or [""] * len(self.breakdown.cells), strict=True))


def rate(numerator: Cell, denominator: Cell) -> float | None:
    if numerator.value is None or denominator.value is None or not denominator.value:
        return None
    return numerator.value / denominator.value


def show_rate(value: float | None, hidden: bool) -> str:
    if value is None:
        return SUPPRESSED if hidden else "–"
    return f"{value:.0%}"


def funnel_dimension(dimension: Dimension, counts: dict[str, dict[str, int]]) -> dict:
    steps: list[FunnelStep] = []
    previous: Breakdown | None = None
    for step, label in FUNNEL_STEPS:
        breakdown = suppress_counts(
            [(g, glabel, counts[step].get(f"{dimension.key}:{g}", 0)) for g, glabel, _ in dimension.groups],
            title=f"{label} by {dimension.title.lower()}",
            note=SUPPRESSION_NOTE,
        )
        rates, ratio = [], ""
        if previous is not None:
            by_key = {}
            for now, before in zip(breakdown.cells, previous.cells, strict=True):
                value = rate(now, before)
                by_key[now.key] = value
                rates.append(show_rate(value, now.suppressed or before.suppressed))
            reference, comparison = by_key.get(dimension.reference), by_key.get(dimension.comparison)
            if reference is None or comparison is None:
                ratio = SUPPRESSED if any(c.suppressed for c in [*breakdown.cells, *previous.cells]) else "–"
            elif comparison == 0:
                ratio = "–"
            else:
                ratio = f"{reference / comparison:.2f}"
        steps.append(FunnelStep(step, label, breakdown, rates, ratio))
        previous = breakdown
    return {
        "key": dimension.key,
        "title": dimension.title,
        "groups": [label for _, label, _ in dimension.groups],
        "ratio_label": dimension.ratio_label,
        "steps": steps,
    }


def equity_funnel(*, region: Region, end: dt.date, system: System | None = None) -> list[dict]:
    counts = funnel_counts(region=region, end=end, system=system)
    return [funnel_dimension(dimension, counts) for dimension in DIMENSIONS]


def funnel_rows(funnel: list[dict]) -> list[list[str]]:
    """The funnel as CSV rows: one per dimension, step and group."""
    rows = [["Dimension", "Step", "Group", "People", "Rate from previous step", "Relative likelihood"]]
    for dimension in funnel:
        for step in dimension["steps"]:
            for index, cell in enumerate(step.breakdown.cells):
                rows.append(
                    [
                        dimension["title"],
                        step.label,
                        cell.label,
                        cell.display,
                        step.rates[index] if step.rates else "",
                        step.ratio if index == 0 else "",
                    ]
                )
    return rows


def talent_chapter(scope: Scope) -> dict:
    """Every figure of the chapter, as published; computed once per scope."""

    def compute(scope: Scope) -> dict:
        return {
            "available": True,
            "scope": scope,
            "pool": pool_figures(scope),
            "movements": movement_figures(scope),
            "funnel": equity_funnel(region=scope.region, end=scope.end, system=scope.system),
        }

    return scope.shared("talent.chapter", compute)
