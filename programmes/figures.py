"""The Year in Review's figures over programme data: the queries (below) and the figures as published
(suppressed and rounded, at the end), read by this app's chapters (`programmes/chapters.py`) and exposed
to other apps through `programmes/selectors.py`.

Definitions, stated once so every page, PDF and CSV means the same thing:

* **Period**: sessions starting in [period start 00:00, day after period end 00:00), Europe/London.
* **Held**: only sessions that have started by the time the figures are drawn count: in the current
  year, a session still to come is scheduled (`scheduled_figures`), not delivered.
* **Intervention delivered**: a cohort of the region that is not cancelled and has at least one session
  (not cancelled) starting in the period and held. For one system: cohorts for that system, plus every
  other cohort of the region (region-wide or another system's) that had at least one participant
  working in it.
* **Enrolment**: a place taken on an intervention delivered — status enrolled, completed or withdrawn
  (an application not yet offered, a waiting-list place or a cancellation is not an enrolment). For one
  system: its own people (their organisation is in it) wherever they learned, so a system's edition
  counts exactly the people the region's "by system" table gives it.
* **Individuals**: distinct people among those enrolments; the equality breakdowns count individuals.
* **Attendance rate**: attended / all attendance marks (attended, absent, apologies) taken at sessions in
  the period of the interventions delivered: the register as it was on the day. A mark is only taken for
  someone holding a place (`attendance_mark`), so a person who cancels later still counts for the
  sessions they were marked at, as on the cohort page. For one system: marks of participants working in
  it. Unmarked sessions are not counted either way.

A fixed number of queries (four), whatever the volume: each is one SQL statement over the same common
table expressions, grouped by ROLLUP or GROUPING SETS so totals and breakdowns come back together (the
attendance totals are summed from the programme rows, so PostgreSQL can aggregate them in parallel).

Why raw SQL here, when the house style (docs/architecture.md) is the ORM: the ORM cannot express
GROUPING SETS or ROLLUP, so every total and breakdown would be a query of its own over the same
million rows. The four statements meet the target (every figure of the report in under 2 s with
1,000,000 enrolments: `bench/reporting.py`, results in `bench/results/reporting.md`); an ORM version
replaces them only when that benchmark shows it no slower.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from academy.models import EthnicCategory, Gender, Organisation, Person, Region, StaffGroup, SubRegion, System
from academy.scope import Scope
from academy.suppression import SUPPRESSION_NOTE, Breakdown, Cell, percent, suppress_counts
from programmes.models import (
    Attendance,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Feedback,
    Programme,
    Session,
    Theme,
)

COUNTED_STATUSES = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN)
PEOPLE_DIMENSIONS = ("staff_group", "gender", "ethnic_category", "system")


@dataclass(kw_only=True)
class Tally:
    """What is counted of the interventions delivered, in all and for each programme."""

    interventions: int = 0
    enrolments: int = 0
    individuals: int = 0
    attended: int = 0
    marked: int = 0

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.marked if self.marked else None


@dataclass
class ProgrammeRow(Tally):
    programme_id: int
    code: str
    title: str
    theme: str


@dataclass
class ProgrammeFigures(Tally):
    first_session: dt.datetime | None = None
    last_session: dt.datetime | None = None
    by_programme: list[ProgrammeRow] = field(default_factory=list)
    # {dimension: {value: individuals}}; "system" is keyed by system id (None: no system).
    people: dict[str, dict] = field(default_factory=dict)


def _tables() -> dict[str, str]:
    return {
        "cohort": Cohort._meta.db_table,
        "session": Session._meta.db_table,
        "enrolment": Enrolment._meta.db_table,
        "attendance": Attendance._meta.db_table,
        "programme": Programme._meta.db_table,
        "person": Person._meta.db_table,
        "organisation": Organisation._meta.db_table,
        "system": System._meta.db_table,
    }


# The people working in the system (by their organisation): a one-system report counts only them.
SYSTEM_PEOPLE = "SELECT p.id FROM {person} p JOIN {organisation} o ON o.id = p.organisation_id WHERE o.system_id = %(system)s"


def _ctes(system_id: int | None) -> str:
    """delivered (cohorts), places (enrolments counted). Parameters: region, start, end, statuses,
    cancelled, and system when scoped."""
    person_scope = f"AND e.person_id IN ({SYSTEM_PEOPLE})" if system_id else ""
    return (
        """
        candidate AS (
            SELECT c.id, c.programme_id, c.system_id FROM {cohort} c
            WHERE c.region_id = %(region)s AND c.status <> %(cancelled)s
              AND EXISTS (SELECT 1 FROM {session} s WHERE s.cohort_id = c.id AND NOT s.is_cancelled
                          AND s.starts_at >= %(start)s AND s.starts_at < %(end)s)
        ),
        places AS (
            SELECT e.id, e.person_id, e.cohort_id, k.programme_id FROM {enrolment} e
            JOIN candidate k ON k.id = e.cohort_id
            WHERE e.status IN %(statuses)s """
        + person_scope
        + """
        ),
        delivered AS (
            SELECT k.id, k.programme_id FROM candidate k """
        # For the whole region every candidate is delivered, and `places` is then referenced once per
        # statement, so PostgreSQL inlines it rather than writing 0.8 million rows to a tuplestore.
        + (
            # `IN`, not a correlated EXISTS: under OR it stays a subplan, which PostgreSQL hashes once
            # for an IN, but may run again for every cohort for an EXISTS when it expects few cohorts
            # (seen in the suite: a system's dashboard taking minutes on a test's few hundred rows).
            "WHERE k.system_id = %(system)s OR k.id IN (SELECT pl.cohort_id FROM places pl)"
            if system_id
            else ""
        )
        + """
        )
        """
    )


def programme_figures(
    *,
    region_id: int,
    start: dt.datetime,
    end: dt.datetime,
    system_id: int | None = None,
    now: dt.datetime | None = None,
) -> ProgrammeFigures:
    """Reach and impact for sessions starting in [start, end) and held by `now` — four queries."""
    end = min(end, now or timezone.now())
    tables = _tables()
    params = {
        "region": region_id,
        "start": start,
        "end": end,
        "system": system_id,
        "cancelled": CohortStatus.CANCELLED,
        "statuses": tuple(str(s) for s in COUNTED_STATUSES),
    }
    ctes = "WITH " + _ctes(system_id)
    figures = ProgrammeFigures()
    rows: dict[int, ProgrammeRow] = {}

    with connection.cursor() as cursor:
        # 1. Interventions per programme and in all, with the first and last session in the period.
        cursor.execute(
            (
                ctes
                + """
            SELECT d.programme_id, pr.code, pr.title, pr.theme, COUNT(*),
                   MIN(span.first_start), MAX(span.last_start)
            FROM delivered d
            JOIN {programme} pr ON pr.id = d.programme_id
            JOIN LATERAL (
                SELECT MIN(s.starts_at) AS first_start, MAX(s.starts_at) AS last_start FROM {session} s
                WHERE s.cohort_id = d.id AND NOT s.is_cancelled
                  AND s.starts_at >= %(start)s AND s.starts_at < %(end)s
            ) span ON TRUE
            GROUP BY GROUPING SETS ((d.programme_id, pr.code, pr.title, pr.theme), ())
            """
            ).format(**tables),
            params,
        )
        for programme_id, code, title, theme, count, first, last in cursor.fetchall():
            if programme_id is None:
                figures.interventions, figures.first_session, figures.last_session = count, first, last
            else:
                rows[programme_id] = ProgrammeRow(programme_id, code, title, theme, interventions=count)

        # 2. Enrolments and individuals per programme and in all.
        cursor.execute(
            (
                ctes
                + """
            SELECT pl.programme_id, COUNT(*), COUNT(DISTINCT pl.person_id) FROM places pl
            GROUP BY ROLLUP (pl.programme_id)
            """
            ).format(**tables),
            params,
        )
        for programme_id, enrolments, individuals in cursor.fetchall():
            target = figures if programme_id is None else rows.get(programme_id)
            if target is not None:
                target.enrolments, target.individuals = enrolments, individuals

        # 3. Attendance marks per programme; the totals are their sums. Marks are read by session, with no
        #    join to the enrolments for the whole region (a million of them are not read twice).
        cursor.execute(
            (
                ctes
                + """
            SELECT d.programme_id, COUNT(*) FILTER (WHERE a.status = 'attended'), COUNT(*)
            FROM {attendance} a
            JOIN {session} s ON s.id = a.session_id
            JOIN delivered d ON d.id = s.cohort_id
            WHERE NOT s.is_cancelled AND s.starts_at >= %(start)s AND s.starts_at < %(end)s """
                + (
                    f"AND a.enrolment_id IN (SELECT e.id FROM {{enrolment}} e WHERE e.person_id IN ({SYSTEM_PEOPLE}))"
                    if system_id
                    else ""
                )
                + """
            GROUP BY d.programme_id
            """
            ).format(**tables),
            params,
        )
        for programme_id, attended, marked in cursor.fetchall():
            figures.attended += attended
            figures.marked += marked
            if row := rows.get(programme_id):
                row.attended, row.marked = attended, marked

        # 4. Individuals by staff group, gender, ethnic category and system (their organisation's).
        cursor.execute(
            (
                ctes
                + """
            , people AS (SELECT DISTINCT person_id FROM places)
            SELECT GROUPING(p.staff_group), GROUPING(p.gender), GROUPING(p.ethnic_category),
                   GROUPING(o.system_id), p.staff_group, p.gender, p.ethnic_category, o.system_id, COUNT(*)
            FROM people
            JOIN {person} p ON p.id = people.person_id
            LEFT JOIN {organisation} o ON o.id = p.organisation_id
            GROUP BY GROUPING SETS ((p.staff_group), (p.gender), (p.ethnic_category), (o.system_id))
            """
            ).format(**tables),
            params,
        )
        people: dict[str, dict] = {name: {} for name in PEOPLE_DIMENSIONS}
        for *grouped, staff_group, gender, ethnic, system, count in cursor.fetchall():
            values = (staff_group, gender, ethnic, system)
            for dimension, is_rolled_up, value in zip(PEOPLE_DIMENSIONS, grouped, values, strict=True):
                if not is_rolled_up:
                    people[dimension][value] = count
        figures.people = people

    figures.by_programme = sorted(rows.values(), key=lambda r: (r.code, r.title))
    return figures


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


# --- The figures of one report's scope, computed once per render ------------------------------------


def figures_for(scope: Scope) -> ProgrammeFigures:
    """The scope's programme figures, shared by every chapter of one render (four queries)."""

    def compute(scope: Scope) -> ProgrammeFigures:
        start, end = scope.bounds
        return programme_figures(
            region_id=scope.region.pk,
            start=start,
            end=end,
            system_id=scope.system.pk if scope.system else None,
        )

    return scope.shared("programmes.figures", compute)


def programme_tables(scope: Scope) -> dict[str, ProgrammeTable]:
    """The per-programme tables by theme, as published (see `programme_table`)."""
    return scope.shared(
        "programmes.tables",
        lambda scope: {theme.value: programme_table(scope, theme.value) for theme in Theme},
    )


# --- As published: reach and impact, the theme chapters -------------------------------------------


def _labelled(choices, counts: dict, *, title: str, note: str = "") -> Breakdown:
    items = [(value, label, counts.get(value, 0)) for value, label in choices]
    items.append(("", NOT_STATED, counts.get("", 0) + counts.get(None, 0)))
    return suppress_counts(items, title=title, note=note or SUPPRESSION_NOTE)


def staff_group_breakdown(scope: Scope) -> Breakdown:
    return _labelled(
        StaffGroup.choices, figures_for(scope).people["staff_group"], title="Participants by staff group"
    )


def gender_breakdown(scope: Scope) -> Breakdown:
    return _labelled(Gender.choices, figures_for(scope).people["gender"], title="Participants by gender")


def ethnic_group_breakdown(scope: Scope) -> Breakdown:
    counts = figures_for(scope).people["ethnic_category"]
    items = [(key, label, sum(counts.get(code, 0) for code in codes)) for key, label, codes in ETHNIC_GROUPS]
    items.append(("not_stated", NOT_STATED, counts.get(EthnicCategory.Z, 0) + counts.get("", 0)))
    return suppress_counts(items, title="Participants by ethnic group", note=SUPPRESSION_NOTE)


def minority_ethnic_breakdown(scope: Scope) -> Breakdown:
    """White / minority ethnic among those who stated their ethnicity: the headline share."""
    counts = figures_for(scope).people["ethnic_category"]
    white = sum(counts.get(code, 0) for code in EthnicCategory.white())
    minority = sum(counts.get(code, 0) for code in EthnicCategory.minority_ethnic())
    return suppress_counts(
        [("white", "White", white), ("minority", "Minority ethnic", minority)],
        title="Participants who stated their ethnicity",
        total_label="Stated their ethnicity",
        note=MINORITY_NOTE,
    )


def system_breakdown(scope: Scope) -> Breakdown:
    counts = figures_for(scope).people["system"]
    items = [(s.pk, s.name, counts.get(s.pk, 0)) for s in scope.systems]
    items.append((None, "No system (regional or national body, or not given)", counts.get(None, 0)))
    return suppress_counts(items, title="Participants by system they work in", note=SUPPRESSION_NOTE)


def sub_region_breakdown(scope: Scope) -> Breakdown:
    counts = figures_for(scope).people["system"]
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

    @property
    def participant_sentences(self) -> list[str]:
        """Who took part, in words: each clause only for a share that is published, so a hidden figure
        leaves its clause out rather than printing "–" (and one hidden share hides nothing else)."""
        groups = [
            (share, label)
            for share, label in (
                (self.administrative_share, "administrative and clerical"),
                (self.medical_share, "medical and dental"),
                (self.nursing_ahp_share, "nurses, midwives and allied health professionals"),
            )
            if share is not None
        ]
        sentences = []
        if groups:
            parts = [
                f"{percent(share)}{' were' if i == 0 else ''} {label}"
                for i, (share, label) in enumerate(groups)
            ]
            listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
            sentences.append(f"Of participants, {listed}.")
        if self.female_share is not None:
            sentences.append(f"{percent(self.female_share)} of participants were female.")
        if self.minority_ethnic_share is not None:
            sentences.append(
                f"{percent(self.minority_ethnic_share)} of those who stated their ethnicity were from a "
                "minority ethnic group."
            )
        return sentences


@dataclass(frozen=True)
class Scheduled:
    """What is planned but not yet held in the period: never counted as delivered."""

    interventions: int
    sessions: int
    first_session: dt.datetime | None
    last_session: dt.datetime | None


def scheduled_figures(scope: Scope, *, now: dt.datetime | None = None) -> Scheduled:
    """Sessions (not cancelled, of cohorts not cancelled) in the period that have not started yet; for
    one system, those of its own cohorts and of cohorts where its people hold a place. One query."""
    start, end = scope.bounds
    sessions = Session.objects.filter(
        cohort__region=scope.region,
        is_cancelled=False,
        starts_at__gte=max(start, now or timezone.now()),
        starts_at__lt=end,
    ).exclude(cohort__status=CohortStatus.CANCELLED)
    if scope.system:
        own_people = Enrolment.objects.filter(
            cohort=OuterRef("cohort"),
            status__in=COUNTED_STATUSES,
            person__organisation__system=scope.system,
        )
        sessions = sessions.filter(Q(cohort__system=scope.system) | Q(Exists(own_people)))
    found = sessions.aggregate(
        interventions=Count("cohort", distinct=True),
        sessions=Count("id"),
        first_session=Min("starts_at"),
        last_session=Max("starts_at"),
    )
    return Scheduled(**found)


def reach_and_impact(scope: Scope) -> dict:
    figures = figures_for(scope)
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
        "scheduled": scope.shared("programmes.scheduled", scheduled_figures),
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
    raw = [row for row in figures_for(scope).by_programme if row.theme == theme]
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
    rows = [row for table in programme_tables(scope).values() for row in table.rows]
    return sorted(rows, key=lambda r: (r.code, r.title))


def theme_chapter(scope: Scope, theme: str) -> dict:
    table = programme_tables(scope)[theme]
    return {
        "theme_label": Theme(theme).label,
        "programmes": table.rows,
        "interventions": table.interventions,
        "enrolments": table.enrolments,
    }


# --- For the edition and the dashboard's year filter ------------------------------------------------


def quotable_feedback(scope: Scope) -> QuerySet[Feedback]:
    """Feedback given with consent to quote on the region's cohorts that met in the period (feedback
    often arrives after the last session, so its own date does not decide)."""
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


def first_session_start(region: Region) -> dt.datetime | None:
    """When the region's first session started (None: it has none)."""
    return (
        Session.objects.filter(cohort__region=region)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )


def last_session_start_before(region: Region, moment: dt.datetime) -> dt.datetime | None:
    """When the region's last session starting before `moment` started (None: none did)."""
    return (
        Session.objects.filter(cohort__region=region, starts_at__lt=moment)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
