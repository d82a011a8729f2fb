"""The Year in Review's aggregations over programme data (owned by reporting; see reporting/selectors.py).

Definitions, stated once so every page, PDF and CSV means the same thing:

* **Period**: sessions starting in [period start 00:00, day after period end 00:00), Europe/London.
* **Intervention delivered**: a cohort of the region that is not cancelled and has at least one session
  (not cancelled) starting in the period. For one system: cohorts for that system, plus region-wide
  cohorts that had at least one participant working in it.
* **Enrolment**: a place taken on an intervention delivered — status enrolled, completed or withdrawn
  (an application not yet offered, a waiting-list place or a cancellation is not an enrolment). For one
  system: only participants whose organisation is in it.
* **Individuals**: distinct people among those enrolments; the equality breakdowns count individuals.
* **Attendance rate**: attended / all attendance marks (attended, absent, apologies) taken at sessions in
  the period of the interventions delivered: the register as it was on the day. A mark is only taken for
  someone holding a place (`attendance_mark`), so a person who cancels later still counts for the
  sessions they were marked at, as on the cohort page. For one system: marks of participants working in
  it. Unmarked sessions are not counted either way.

A fixed number of queries (four), whatever the volume: each is one SQL statement over the same common
table expressions, grouped by ROLLUP or GROUPING SETS so totals and breakdowns come back together (the
attendance totals are summed from the programme rows, so PostgreSQL can aggregate them in parallel).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection

from academy.models import Organisation, Person, System
from programmes.models import (
    Attendance,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Programme,
    Session,
)

COUNTED_STATUSES = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN)
PEOPLE_DIMENSIONS = ("staff_group", "gender", "ethnic_category", "system")


@dataclass
class ProgrammeRow:
    programme_id: int
    code: str
    title: str
    theme: str
    interventions: int = 0
    enrolments: int = 0
    individuals: int = 0
    attended: int = 0
    marked: int = 0

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.marked if self.marked else None


@dataclass
class ProgrammeFigures:
    interventions: int = 0
    enrolments: int = 0
    individuals: int = 0
    attended: int = 0
    marked: int = 0
    first_session: dt.datetime | None = None
    last_session: dt.datetime | None = None
    by_programme: list[ProgrammeRow] = field(default_factory=list)
    # {dimension: {value: individuals}}; "system" is keyed by system id (None: no system).
    people: dict[str, dict] = field(default_factory=dict)

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.marked if self.marked else None


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
    cohort_scope = "AND (c.system_id = %(system)s OR c.system_id IS NULL)" if system_id else ""
    person_scope = f"AND e.person_id IN ({SYSTEM_PEOPLE})" if system_id else ""
    return (
        """
        candidate AS (
            SELECT c.id, c.programme_id, c.system_id FROM {cohort} c
            WHERE c.region_id = %(region)s AND c.status <> %(cancelled)s """
        + cohort_scope
        + """
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
            "WHERE k.system_id = %(system)s OR EXISTS (SELECT 1 FROM places pl WHERE pl.cohort_id = k.id)"
            if system_id
            else ""
        )
        + """
        )
        """
    )


def programme_figures(
    *, region_id: int, start: dt.datetime, end: dt.datetime, system_id: int | None = None
) -> ProgrammeFigures:
    """Reach and impact for sessions starting in [start, end) — four queries."""
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
