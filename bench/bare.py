"""Bare views for the side-by-side page benchmark (bench/pages.py): for each portal page, one
hand-written SQL statement that reads the same rows, returned as minimal HTML (a table, escaped, no
template, no form, no URL reversal, no date formatting). They run behind the same middleware, for the
same signed-in user, so the difference between a page and its bare view is what the page spends in
Python beyond fetching its rows: templates, forms, permission checks, ORM model building.

They are mounted only by bench/bare_urls.py, which the benchmark process uses as ROOT_URLCONF; the
portal's own URLconf never includes them."""

from __future__ import annotations

import datetime as dt
from html import escape

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

UPCOMING = ("open", "closed", "running")
OFFER_PAGE_SIZE = 20


def _table(title: str, sql: str, params: list | tuple = ()) -> HttpResponse:
    """Run one statement and return its rows as an HTML table."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        rows = cursor.fetchall()
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{'' if v is None else escape(str(v))}</td>" for v in row) + "</tr>"
        for row in rows
    )
    return HttpResponse(
        f"<!doctype html><html lang='en'><title>{escape(title)}</title><h1>{escape(title)}</h1>"
        f"<table><tr>{head}</tr>{body}</table></html>"
    )


def _user_id(request: HttpRequest) -> int:
    # The middleware has already loaded the user from the session, as for the real page.
    return request.user.pk


# --- participants ------------------------------------------------------------------------------------

# The page of published programmes first (narrow: the total for the pager comes with it), then the
# offer's three figures for those 20 rows only, from the cohorts' (programme, ...) index.
UPCOMING_OF = (
    "FROM programmes_cohort c WHERE c.programme_id = page.id AND c.status IN %(upcoming)s "
    "AND (c.ends_on IS NULL OR c.ends_on >= %(today)s)"
)
OFFER_SQL = f"""
WITH page AS (
    SELECT p.id, p.title, p.slug, p.summary, p.theme, p.delivery_mode, count(*) OVER () AS total,
           row_number() OVER (ORDER BY {{order}}) AS position
    FROM programmes_programme p
    WHERE p.is_published {{where}}
    ORDER BY {{order}}
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT page.title, page.slug, page.summary, page.theme, page.delivery_mode, page.total,
       (SELECT min(c.starts_on) {UPCOMING_OF}) AS next_starts_on,
       (SELECT count(*) {UPCOMING_OF}) AS upcoming_count,
       (SELECT coalesce(sum(greatest(c.capacity - c.places_taken, 0)), 0) {UPCOMING_OF} AND c.status = 'open')
         AS open_places
FROM page
ORDER BY page.position
"""


def _date_from_boxes(request: HttpRequest, name: str) -> dt.date | None:
    try:
        return dt.date(
            int(request.GET[f"{name}_year"]),
            int(request.GET[f"{name}_month"]),
            int(request.GET[f"{name}_day"]),
        )
    except (KeyError, ValueError):
        return None


def offer(request: HttpRequest) -> HttpResponse:
    """Find a programme: the same query string as the real page (q, theme, system, places, dates)."""
    _user_id(request)
    params = {
        "upcoming": UPCOMING,
        "today": timezone.localdate(),
        "limit": OFFER_PAGE_SIZE,
        "offset": OFFER_PAGE_SIZE * (max(int(request.GET.get("page") or 1), 1) - 1),
    }
    where, order = [], "p.title"
    if request.GET.get("q"):
        params["q"] = request.GET["q"]
        where.append("p.search_vector @@ websearch_to_tsquery('english', %(q)s)")
        order = "ts_rank(p.search_vector, websearch_to_tsquery('english', %(q)s)) DESC, p.title"
    if request.GET.get("theme"):
        params["theme"] = request.GET["theme"]
        where.append("p.theme = %(theme)s")
    cohort = []
    if request.GET.get("system"):
        params["system"] = int(request.GET["system"])
        cohort.append(
            "(c.system_id = %(system)s OR (c.system_id IS NULL AND c.region_id = (SELECT sr.region_id "
            "FROM academy_system s JOIN academy_subregion sr ON sr.id = s.sub_region_id WHERE s.id = %(system)s)))"
        )
    if (starts_after := _date_from_boxes(request, "starts_after")) is not None:
        params["starts_after"] = starts_after
        cohort.append("c.starts_on >= %(starts_after)s")
    if request.GET.get("places_available"):
        cohort.append("c.status = 'open' AND c.places_taken < c.capacity")
    if cohort:
        where.append(
            "EXISTS (SELECT 1 FROM programmes_cohort c WHERE c.programme_id = p.id AND c.status IN %(upcoming)s "
            "AND (c.ends_on IS NULL OR c.ends_on >= %(today)s) AND " + " AND ".join(cohort) + ")"
        )
    sql = OFFER_SQL.format(where="".join(f" AND {w}" for w in where), order=order)
    return _table("Find a programme", sql, params)


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """A programme's upcoming cohorts, their live sessions and the user's own enrolment on each."""
    sql = """
    SELECT p.title, c.id, c.name, c.starts_on, c.ends_on, c.capacity, c.places_taken, sy.name AS system,
           (SELECT string_agg(s.title || ' ' || s.starts_at::text, '; ' ORDER BY s.starts_at)
              FROM programmes_session s WHERE s.cohort_id = c.id AND NOT s.is_cancelled) AS sessions,
           e.status AS my_status, e.waitlist_position
    FROM programmes_programme p
    JOIN programmes_cohort c ON c.programme_id = p.id
    LEFT JOIN academy_system sy ON sy.id = c.system_id
    LEFT JOIN programmes_enrolment e
           ON e.cohort_id = c.id AND e.person_id = (SELECT id FROM academy_person WHERE user_id = %s)
    WHERE p.slug = %s AND p.is_published AND c.status IN %s AND (c.ends_on IS NULL OR c.ends_on >= %s)
    ORDER BY c.starts_on, c.id
    """
    return _table("Programme", sql, [_user_id(request), slug, UPCOMING, timezone.localdate()])


def my_learning(request: HttpRequest) -> HttpResponse:
    """Every enrolment of the user with each live session of its cohort and their attendance mark."""
    sql = """
    SELECT e.id, e.status, e.waitlist_position, e.offer_expires_at, c.name AS cohort, p.title AS programme,
           sy.name AS system, s.id AS session_id, s.title AS session, s.starts_at, s.ends_at, s.joining_url,
           s.recording_url, a.status AS attendance, cert.code AS certificate, f.id AS feedback_id
    FROM programmes_enrolment e
    JOIN academy_person pe ON pe.id = e.person_id
    JOIN programmes_cohort c ON c.id = e.cohort_id
    JOIN programmes_programme p ON p.id = c.programme_id
    LEFT JOIN academy_system sy ON sy.id = c.system_id
    LEFT JOIN programmes_session s ON s.cohort_id = c.id AND NOT s.is_cancelled
    LEFT JOIN programmes_attendance a ON a.session_id = s.id AND a.enrolment_id = e.id
    LEFT JOIN programmes_certificate cert ON cert.enrolment_id = e.id
    LEFT JOIN programmes_feedback f ON f.enrolment_id = e.id
    WHERE pe.user_id = %s
    ORDER BY s.starts_at DESC NULLS LAST, e.id DESC
    """
    return _table("My learning", sql, [_user_id(request)])


# --- programme staff -----------------------------------------------------------------------------------

STAFF_REGION = "(SELECT region_id FROM academy_person WHERE user_id = %(user)s)"


def staff_programmes(request: HttpRequest) -> HttpResponse:
    sql = f"""
    SELECT p.code, p.title, p.theme, p.is_published,
           (SELECT count(*) FROM programmes_cohort c WHERE c.programme_id = p.id) AS cohorts,
           count(*) OVER () AS total
    FROM programmes_programme p
    WHERE p.region_id = {STAFF_REGION}
    ORDER BY p.code
    LIMIT 50
    """
    return _table("Programmes", sql, {"user": _user_id(request)})


def register(request: HttpRequest, pk: int) -> HttpResponse:
    """A cohort's register: everyone on it with their attendance counts, in register order."""
    sql = f"""
    SELECT e.id, e.status, e.waitlist_position, e.offer_expires_at, pe.given_name, pe.family_name, u.email,
           o.name AS organisation, pe.staff_group, pe.pay_band,
           count(a.id) FILTER (WHERE a.status = 'attended') AS attended, count(a.id) AS marked
    FROM programmes_enrolment e
    JOIN programmes_cohort c ON c.id = e.cohort_id
    JOIN academy_person pe ON pe.id = e.person_id
    JOIN academy_user u ON u.id = pe.user_id
    LEFT JOIN academy_organisation o ON o.id = pe.organisation_id
    LEFT JOIN programmes_attendance a ON a.enrolment_id = e.id
    WHERE e.cohort_id = %(cohort)s AND c.region_id = {STAFF_REGION}
    GROUP BY e.id, pe.id, u.id, o.id
    ORDER BY e.status, e.waitlist_position, pe.family_name, pe.given_name, e.id
    """
    return _table("Register", sql, {"cohort": pk, "user": _user_id(request)})


def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone with a place on the session's cohort and their current mark for the session."""
    sql = f"""
    SELECT e.id, pe.given_name, pe.family_name, o.name AS organisation, a.status AS current
    FROM programmes_session s
    JOIN programmes_cohort c ON c.id = s.cohort_id
    JOIN programmes_enrolment e ON e.cohort_id = c.id AND e.status IN ('enrolled', 'completed')
    JOIN academy_person pe ON pe.id = e.person_id
    LEFT JOIN academy_organisation o ON o.id = pe.organisation_id
    LEFT JOIN programmes_attendance a ON a.session_id = s.id AND a.enrolment_id = e.id
    WHERE s.id = %(session)s AND c.region_id = {STAFF_REGION}
    ORDER BY pe.family_name, pe.given_name, e.id
    """
    return _table("Attendance", sql, {"session": pk, "user": _user_id(request)})


def coach_register(request: HttpRequest) -> HttpResponse:
    """The first page of the region's coach register (name order) with qualifications and the total."""
    sql = f"""
    WITH page AS (
        SELECT cp.id, cp.person_id, cp.kind, cp.status, cp.capacity, cp.places_taken, cp.supervision_due_on,
               cp.sort_name, count(*) OVER () AS total
        FROM coaching_coachprofile cp
        WHERE cp.region_id = {STAFF_REGION}
        ORDER BY cp.sort_name, cp.id
        LIMIT 50
    )
    SELECT page.id, pe.given_name, pe.family_name, o.name AS organisation, sy.name AS system, page.kind,
           page.status, page.capacity, page.places_taken, page.supervision_due_on, page.total,
           (SELECT string_agg(coalesce(nullif(q.title, ''), q.kind), ', ' ORDER BY q.kind)
              FROM coaching_qualification q WHERE q.profile_id = page.id) AS qualifications
    FROM page
    JOIN academy_person pe ON pe.id = page.person_id
    LEFT JOIN academy_organisation o ON o.id = pe.organisation_id
    LEFT JOIN academy_system sy ON sy.id = o.system_id
    ORDER BY page.sort_name, page.id
    """
    return _table("Coach register", sql, {"user": _user_id(request)})


def my_coaching(request: HttpRequest) -> HttpResponse:
    """Everything "My coaching" shows, in one statement: the coach's register entry, qualifications, the
    latest 20 supervision records (and how many there are), upcoming group supervision places, the latest
    10 webinars and 10 logged activities with the last 12 months' CPD hours, and their coachees with each
    relationship's sessions and minutes."""
    sql = """
    WITH me AS (
        SELECT cp.id, cp.kind, cp.status, cp.capacity, cp.availability, cp.last_supervised_on,
               cp.supervision_due_on
        FROM coaching_coachprofile cp
        JOIN academy_person pe ON pe.id = cp.person_id WHERE pe.user_id = %(user)s
    )
    (SELECT 'profile' AS row, me.kind AS a, me.status AS b, me.capacity::text AS c,
            me.last_supervised_on::text AS d, me.supervision_due_on::text AS e FROM me)
    UNION ALL
    (SELECT 'qualification', q.kind, q.title, q.awarded_on::text, q.certificate, NULL
       FROM coaching_qualification q JOIN me ON me.id = q.profile_id ORDER BY q.kind, q.id)
    UNION ALL
    (SELECT 'supervision', r.held_on::text, r.hours::text, r.supervisor_name, r.source,
            count(*) OVER ()::text
       FROM coaching_supervisionrecord r JOIN me ON me.id = r.profile_id
      ORDER BY r.held_on DESC, r.id DESC LIMIT 20)
    UNION ALL
    (SELECT 'group place', s.starts_at::text, s.joining_details, sp.given_name || ' ' || sp.family_name,
            NULL, NULL
       FROM coaching_supervisionattendee ga JOIN me ON me.id = ga.profile_id
       JOIN coaching_supervisionsession s ON s.id = ga.session_id
       JOIN academy_person sp ON sp.id = s.supervisor_id
      WHERE s.starts_at >= now() ORDER BY s.starts_at)
    UNION ALL
    (SELECT 'webinar', ev.starts_at::text, ev.title, ca.watched_recording::text,
            sum(ev.duration_hours) FILTER (WHERE ev.starts_at >= now() - interval '365 days') OVER ()::text,
            NULL
       FROM coaching_cpdattendance ca JOIN me ON me.id = ca.profile_id
       JOIN coaching_cpdevent ev ON ev.id = ca.event_id
      ORDER BY ev.starts_at DESC LIMIT 10)
    UNION ALL
    (SELECT 'activity', l.done_on::text, l.activity, l.hours::text,
            sum(l.hours) FILTER (WHERE l.done_on >= current_date - 365) OVER ()::text, NULL
       FROM coaching_cpdlog l JOIN me ON me.id = l.profile_id
      ORDER BY l.done_on DESC, l.id DESC LIMIT 10)
    UNION ALL
    (SELECT 'relationship', rel.started_on::text, rel.status, pe.given_name || ' ' || pe.family_name,
            o.name, (SELECT count(*) || ' sessions, ' || coalesce(sum(sl.duration_minutes), 0) || ' minutes'
                       FROM coaching_coachingsessionlog sl WHERE sl.relationship_id = rel.id)
       FROM coaching_coachingrelationship rel JOIN me ON me.id = rel.coach_id
       JOIN academy_person pe ON pe.id = rel.coachee_id
       LEFT JOIN academy_organisation o ON o.id = pe.organisation_id
      WHERE rel.status <> 'declined' ORDER BY rel.status, rel.offered_at DESC)
    """
    return _table("My coaching", sql, {"user": _user_id(request)})


# --- leads ---------------------------------------------------------------------------------------------


def dashboard(request: HttpRequest) -> HttpResponse:
    """The dashboard's per-programme table for the NHS year in ?year= (e.g. 2025/26): interventions
    delivered, enrolments and individuals. A floor for the dashboard, which computes far more (breakdowns,
    suppression, coaching and HCLM tables) in its own queries."""
    start_year = int(request.GET["year"].split("/")[0])
    london = timezone.get_default_timezone()
    start = dt.datetime(start_year, 4, 1, tzinfo=london)
    end = dt.datetime(start_year + 1, 4, 1, tzinfo=london)
    sql = f"""
    WITH delivered AS (
        SELECT c.id, c.programme_id FROM programmes_cohort c
        WHERE c.region_id = {STAFF_REGION} AND c.status <> 'cancelled'
          AND EXISTS (SELECT 1 FROM programmes_session s WHERE s.cohort_id = c.id AND NOT s.is_cancelled
                      AND s.starts_at >= %(start)s AND s.starts_at < %(end)s)
    )
    SELECT p.code, p.title, p.theme, count(DISTINCT d.id) AS interventions, count(e.id) AS enrolments,
           count(DISTINCT e.person_id) AS individuals
    FROM delivered d
    JOIN programmes_programme p ON p.id = d.programme_id
    LEFT JOIN programmes_enrolment e
           ON e.cohort_id = d.id AND e.status IN ('enrolled', 'completed', 'withdrawn')
    GROUP BY p.id
    ORDER BY p.theme, p.title
    """
    return _table("Dashboard", sql, {"user": _user_id(request), "start": start, "end": end})
