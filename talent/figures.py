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

A fixed number of queries whatever the pool's size (ADR 0001): one statement for the pool (`POOL_SQL`),
an ORM aggregate for movements and a count for placements, one statement for the funnel (`FUNNEL_SQL`),
plus the systems.

Why raw SQL for the pool and the funnel, when the house style is the ORM: the pool's four tables come from
one scan grouped by GROUPING SETS, which the ORM cannot express (grouped by every field instead, 1,320
rows at 20,000 members came back to be summed in Python); and the funnel's ORM version spent longer being
built and compiled (its subqueries, twice over for its union) than PostgreSQL spent running it. Both were
measured on the talent lead's dashboard the first time after a change, with 20,000 members and 200,000
decisions (`bench/talent.py`, results in `bench/results/talent.md`); an ORM version replaces them only when
that benchmark shows it no slower.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from academy.models import Disability, EthnicCategory, Gender, Organisation, Person, Region, System
from academy.scope import Scope
from academy.suppression import SUPPRESSED, SUPPRESSION_NOTE, Breakdown, Cell, suppress_counts, suppress_grid
from talent.models import (
    AssessmentCentre,
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


# The pool on a day (`PoolMemberQuerySet.in_pool_on`) counted by readiness, and by readiness and each of
# POOL_AXES, in one statement. A member's `readiness` and `readiness_on` are their latest decision (the
# services refuse a decision dated before it), so a member decided on or before the day is counted from
# their own row; only those decided since look back through the history, one index probe each
# (`readiness_member_day`). Parameters: region, day, and system for one system.
POOL_SQL = """
WITH member AS NOT MATERIALIZED (
    SELECT id, readiness, readiness_on, professional_group, system_id, service_type FROM {poolmember}
    WHERE region_id = %(region)s AND joined_on <= %(day)s AND (exited_on IS NULL OR exited_on > %(day)s)
      {member_in_system}
)
SELECT GROUPING(professional_group, system_id, service_type), readiness, professional_group, system_id,
       service_type, SUM(members)::integer
FROM (
    SELECT readiness, professional_group, system_id, service_type, COUNT(*) AS members
    FROM member WHERE readiness_on <= %(day)s
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT (SELECT r.readiness FROM {readinesschange} r WHERE r.member_id = m.id AND r.decided_on <= %(day)s
            ORDER BY r.decided_on DESC, r.id DESC LIMIT 1),
           professional_group, system_id, service_type, 1
    FROM member m WHERE readiness_on > %(day)s
) AS pool
GROUP BY GROUPING SETS ((readiness), (readiness, professional_group), (readiness, system_id), (readiness, service_type))
"""
POOL_AXES = ("professional_group", "system_id", "service_type")
# GROUPING() of the axes for each set: a bit for each axis left out, the first axis the highest.
POOL_SETS = {7: "readiness", 3: "professional_group", 5: "system_id", 6: "service_type"}


def pool_counts(*, region: Region, day: dt.date, system: System | None = None) -> dict[str, Counter]:
    """Members in the pool on `day`: {"readiness": {readiness: members}} and, for each of POOL_AXES,
    {axis: {(readiness, the axis's value): members}}. One statement, whatever the pool's size."""
    tables = {"poolmember": PoolMember._meta.db_table, "readinesschange": ReadinessChange._meta.db_table}
    sql = POOL_SQL.format(member_in_system="AND system_id = %(system)s" if system else "", **tables)
    counts: dict[str, Counter] = {name: Counter() for name in POOL_SETS.values()}
    with connection.cursor() as cursor:
        cursor.execute(sql, {"region": region.pk, "day": day, "system": system.pk if system else None})
        for grouping, readiness, *values, members in cursor.fetchall():
            axis = POOL_SETS[grouping]
            key = readiness if axis == "readiness" else (readiness, values[POOL_AXES.index(axis)])
            counts[axis][key] += members
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

    def series(self) -> list[tuple[str, list[int | None]]]:
        """Each readiness with its groups' published counts: the chart's series."""
        return [(r.label, self.column(i)) for i, r in enumerate(READINESS_ORDER)]


def readiness_table(key: str, title: str, counts: Counter, groups: list[tuple[object, str]]):
    """Suppress the pool's counts by readiness × one of its other dimensions ((readiness, group): n)."""
    grid = [[counts[(readiness, group)] for readiness in READINESS_ORDER] for group, _ in groups]
    return ReadinessTable(
        key, title, [label for _, label in groups], suppress_grid(grid) if grid else [[0] * 4]
    )


def pool_figures(scope: Scope) -> dict:
    counts = pool_counts(region=scope.region, day=scope.end, system=scope.system)
    systems = [(s.pk, s.name) for s in scope.systems if scope.system is None or s.pk == scope.system.pk]
    by_readiness = suppress_counts(
        [(r.value, r.label, counts["readiness"][r]) for r in READINESS_ORDER],
        title="Talent pool members by readiness",
        total_label="In the pool",
        note=SUPPRESSION_NOTE,
    )
    return {
        "by_readiness": by_readiness,
        "by_professional_group": readiness_table(
            "readiness-by-professional-group",
            "Readiness by professional group",
            counts["professional_group"],
            list(ProfessionalGroup.choices),
        ),
        "by_system": readiness_table("readiness-by-system", "Readiness by ICS", counts["system_id"], systems),
        "by_service_type": readiness_table(
            "readiness-by-service-type",
            "Readiness by service type",
            counts["service_type"],
            list(ServiceType.choices),
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

WHITE = EthnicCategory.white()
MINORITY_ETHNIC = EthnicCategory.minority_ethnic()


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    field: str  # the person's profile field the groups split
    groups: tuple[tuple[str, str, frozenset[str] | None], ...]  # (key, label, its values; None: any other)
    reference: str  # the group whose rate is divided ...
    comparison: str  # ... by this group's
    ratio_label: str

    def group_of(self, value: str) -> str:
        return next(key for key, _, values in self.groups if values is None or value in values)


DIMENSIONS = (
    Dimension(
        "ethnicity",
        "Ethnicity",
        "ethnic_category",
        (
            ("white", "White", WHITE),
            ("minority_ethnic", "Minority ethnic", MINORITY_ETHNIC),
            ("not_stated", "Not stated", None),
        ),
        "white",
        "minority_ethnic",
        "Relative likelihood, white to minority ethnic",
    ),
    Dimension(
        "gender",
        "Gender",
        "gender",
        (
            ("female", "Female", frozenset({Gender.FEMALE})),
            ("male", "Male", frozenset({Gender.MALE})),
            ("other", "Other or not stated", None),
        ),
        "male",
        "female",
        "Relative likelihood, male to female",
    ),
    Dimension(
        "disability",
        "Disability",
        "disability",
        (
            ("no", "Not disabled", frozenset({Disability.NO})),
            ("yes", "Disabled", frozenset({Disability.YES})),
            ("not_stated", "Not stated", None),
        ),
        "no",
        "yes",
        "Relative likelihood, non-disabled to disabled",
    ),
)


# The equity funnel's tallies (`funnel_tallies`) in one statement. Its CTEs, each inlined where it is
# read: `member`, the memberships joined by the end; `ended`, those of them that ended; `booking`, the
# nominations for the region's centres by then, and whether each was attended by then; `appointed`,
# board-level appointments by then. Parameters: region, end, zone, attended, appointment, and system for
# one system.
FUNNEL_SQL = """
WITH member AS NOT MATERIALIZED (
    SELECT id, person_id, exited_on, first_ready_now_on FROM {poolmember}
    WHERE region_id = %(region)s AND joined_on <= %(end)s {member_in_system}
), ended AS NOT MATERIALIZED (
    SELECT id, person_id, first_ready_now_on FROM member WHERE exited_on IS NOT NULL
), booking AS NOT MATERIALIZED (
    SELECT b.person_id, b.status = %(attended)s AND c.held_on <= %(end)s AS attended
    FROM {centrebooking} b JOIN {assessmentcentre} c ON c.id = b.centre_id
    WHERE c.region_id = %(region)s
      AND ((b.created_at AT TIME ZONE %(zone)s)::date <= %(end)s OR c.held_on <= %(end)s) {booking_in_system}
), appointed AS NOT MATERIALIZED (
    SELECT member_id FROM {careermovement} WHERE kind = %(appointment)s AND board_level AND moved_on <= %(end)s
)
SELECT m.person_id IN (SELECT person_id FROM booking),
       m.person_id IN (SELECT person_id FROM booking WHERE attended),
       TRUE,
       m.first_ready_now_on <= %(end)s
           OR m.person_id IN (SELECT person_id FROM ended WHERE first_ready_now_on <= %(end)s),
       m.id IN (SELECT member_id FROM appointed)
           OR m.person_id IN (SELECT person_id FROM ended WHERE id IN (SELECT member_id FROM appointed)),
       p.ethnic_category, p.gender, p.disability, COUNT(*)
FROM member m JOIN {person} p ON p.id = m.person_id
WHERE m.exited_on IS NULL
   OR m.id IN (SELECT MAX(id) FROM member WHERE person_id IN (SELECT person_id FROM ended) GROUP BY person_id)
GROUP BY 1, 2, 4, 5, 6, 7, 8
UNION ALL
SELECT TRUE, p.id IN (SELECT person_id FROM booking WHERE attended), FALSE, FALSE, FALSE,
       p.ethnic_category, p.gender, p.disability, COUNT(*)
FROM {person} p
WHERE p.id IN (SELECT person_id FROM booking) AND p.id NOT IN (SELECT person_id FROM member)
GROUP BY 2, 6, 7, 8
"""
FUNNEL_COLUMNS = (
    "booked",
    "attended",
    "pooled",
    "ready_now",
    "appointed",
    *(d.field for d in DIMENSIONS),
    "people",
)


def funnel_tallies(*, region: Region, end: dt.date, system: System | None = None) -> list[dict]:
    """The funnel's tallies: (the five flags, the profile's fields, people), a few hundred whatever the
    pool's size, in one statement. Only people nominated or in the pool reach any step, so they are
    read from the pool's side: each person's latest membership joined by the end, with its person's
    profile, then the people nominated for a centre who were never in the pool, a few. A person has
    one active membership at most and none after it, so all their others have ended: the latest's row
    carries its own flags (its first ready-now date, its appointments), and those of the ended ones
    come from short lists (`poolmember_ended`). Each list is hashed once, and only if a row needs it."""
    tables = {
        "poolmember": PoolMember._meta.db_table,
        "centrebooking": CentreBooking._meta.db_table,
        "assessmentcentre": AssessmentCentre._meta.db_table,
        "careermovement": CareerMovement._meta.db_table,
        "person": Person._meta.db_table,
        "organisation": Organisation._meta.db_table,
    }
    in_system = {"member_in_system": "", "booking_in_system": ""}
    if system is not None:
        in_system = {
            "member_in_system": "AND system_id = %(system)s",
            "booking_in_system": "AND b.person_id IN (SELECT bp.id FROM {person} bp "
            "JOIN {organisation} o ON o.id = bp.organisation_id WHERE o.system_id = %(system)s)",
        }
    sql = FUNNEL_SQL.format(**{k: v.format(**tables) for k, v in in_system.items()}, **tables)
    params = {
        "region": region.pk,
        "end": end,
        "system": system.pk if system else None,
        "zone": timezone.get_current_timezone_name(),  # as the ORM's `created_at__date`
        "attended": BookingStatus.ATTENDED.value,
        "appointment": MovementKind.APPOINTMENT.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(FUNNEL_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


FUNNEL_REACHED = {  # each step from a row's flags
    "nominated": lambda row: row["booked"] or row["pooled"],
    "assessed": lambda row: row["attended"] or row["pooled"],
    "pooled": lambda row: row["pooled"],
    "ready_now": lambda row: row["ready_now"],
    "appointed": lambda row: row["appointed"],
}


def funnel_counts(*, region: Region, end: dt.date, system: System | None = None) -> dict[str, dict[str, int]]:
    """{step: {"dimension:group": people}}: the funnel's tallies summed by step and group."""
    counts: dict[str, dict[str, int]] = {
        step: {f"{d.key}:{group}": 0 for d in DIMENSIONS for group, _, _ in d.groups}
        for step, _ in FUNNEL_STEPS
    }
    for row in funnel_tallies(region=region, end=end, system=system):
        groups = [f"{d.key}:{d.group_of(row[d.field])}" for d in DIMENSIONS]
        for step, reached in FUNNEL_REACHED.items():
            if reached(row):
                for group in groups:
                    counts[step][group] += row["people"]
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
