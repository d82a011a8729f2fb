"""Reads for programmes, with their joins decided here and scoped to the user who asks: participants
see the published offer and their own records; programme staff see their own region only.

Access helpers live here, as in every app: `<thing>_for_<who>(user, pk)` (e.g. `cohort_for_staff`,
`enrolment_for_participant`) returns the record when it is in the user's scope and raises Http404 when
it is not, so record ids are not probed. 403 is kept for a page the user's role does not open."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import partial

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from markupsafe import Markup

from academy.jinja2 import nhs_date, nhs_time, pluralize
from academy.links import row_url
from academy.models import PayBand, Person, Region, StaffGroup, System
from academy.paging import PreparedPages
from academy.permissions import person_of, require_region, staff_region
from academy.prepared import Prepared
from programmes.models import (
    ACTIVE,
    Application,
    ApplicationDecision,
    Attendance,
    AttendanceStatus,
    Certificate,
    Cohort,
    CohortStatus,
    DeliveryMode,
    Enrolment,
    EnrolmentStatus,
    EntryRoute,
    Programme,
    Session,
    Theme,
)
from programmes.services import eligibility_problems, feedback_allowed


class _DateLabels:
    """Dates and times worded for a page, each distinct value formatted once: a cohort's dates and a
    session's times repeat down a list, and formatting is most of what a long list costs to print."""

    def __init__(self) -> None:
        self._seen: dict[tuple, str] = {}

    def _once(self, key: tuple, make) -> str:
        if key not in self._seen:
            self._seen[key] = make()
        return self._seen[key]

    def day(self, value, *, weekday: bool = False) -> str:
        """'7 October 2026' (or 'Wednesday 7 October 2026'), in UK time."""
        if not value:
            return ""
        return self._once(("day", value, weekday), lambda: nhs_date(value, weekday))

    def time(self, value) -> str:
        return self._once(("time", value), lambda: nhs_time(value)) if value else ""

    def moment(self, value, *, weekday: bool = False) -> str:
        """'Wednesday 7 October 2026 at 2:30pm'."""
        if not value:
            return ""
        return self._once(
            ("moment", value, weekday), lambda: f"{self.day(value, weekday=weekday)} at {self.time(value)}"
        )

    def span(self, first, last) -> str:
        """'1 December 2026 to 15 December 2026', or the one day when both are the same."""
        if not first:
            return ""
        if not last or last == first:
            return self.day(first)
        return self._once(("span", first, last), lambda: f"{self.day(first)} to {self.day(last)}")

    def session(self, starts_at, ends_at) -> str:
        """'Monday 1 December 2026, 9:30am to 12:30pm'."""
        return self._once(
            ("session", starts_at, ends_at),
            lambda: f"{self.day(starts_at, weekday=True)}, {self.time(starts_at)} to {self.time(ends_at)}",
        )


# --- the offer ----------------------------------------------------------------------------------


def upcoming_cohorts(today: dt.date | None = None) -> QuerySet[Cohort]:
    return Cohort.objects.upcoming(today)


OFFER_PAGE_SIZE = 20
# What the offer's search and filters may narrow it by, and the kind of each value (ADR 0005).
_OFFER_KINDS = {
    "today": dt.date,
    "q": str,
    "theme": str,
    "audience": str,
    "delivery_mode": str,
    "system": int,
    "system_region": int,
    "starts_after": dt.date,
    "starts_before": dt.date,
}
_OFFER_FORM_VALUES = ("q", "theme", "audience", "delivery_mode", "starts_after", "starts_before")
_offer_pages: dict[tuple, PreparedPages] = {}


def offer_page(filters: dict, number) -> Page:
    """A page of the offer for the offer form's cleaned values (an empty one narrows nothing), with its
    total, in one statement. The statement for each combination of filters used is built and compiled
    once per process, and run with this request's words, choices and dates."""
    values = {"today": timezone.localdate()}
    values |= {name: filters[name] for name in _OFFER_FORM_VALUES if filters.get(name)}
    if system := filters.get("system"):  # a SystemChoice: its cohorts, and the region-wide ones
        values |= {"system": system.pk, "system_region": system.region_id}
    places = bool(filters.get("places_available"))
    shape = (frozenset(values), places)
    pages = _offer_pages.get(shape)
    if pages is None:
        kinds = {name: _OFFER_KINDS[name] for name in values}
        pages = _offer_pages[shape] = PreparedPages(partial(_offer, places_available=places), **kinds)
    return pages.page(number, OFFER_PAGE_SIZE, **values)


def _offer(
    *,
    today: dt.date,
    places_available: bool = False,
    q: str | None = None,
    system: int | None = None,
    system_region: int | None = None,
    starts_after: dt.date | None = None,
    starts_before: dt.date | None = None,
    **choices: str,
) -> QuerySet[Programme]:
    """Published programmes (by title, or by relevance to `q`) with the figures their cards show.
    Programme-level filters narrow programmes directly; the cohort-level ones (system, dates, places)
    are combined into one EXISTS so that they describe the same cohort."""
    programmes = _offer_programmes(today).filter(**choices).order_by("title")
    if q is not None:
        query = SearchQuery(q, search_type="websearch", config="english")
        programmes = (
            programmes.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "title")
        )
    conditions = Q()
    if system is not None:
        conditions &= Q(system=system) | Q(system__isnull=True, region=system_region)
    if starts_after is not None:
        conditions &= Q(starts_on__gte=starts_after)
    if starts_before is not None:
        conditions &= Q(starts_on__lte=starts_before)
    if places_available:
        conditions &= Q(status=CohortStatus.OPEN, places_taken__lt=F("capacity"))
    if conditions:
        programmes = programmes.filter(
            Exists(upcoming_cohorts(today).filter(conditions, programme=OuterRef("pk")))
        )
    return programmes


def _offer_programmes(today: dt.date) -> QuerySet[Programme]:
    """Published programmes, each with its next start date, upcoming cohorts and places left on
    open cohorts, computed in the one query (correlated subqueries on indexed columns)."""
    upcoming = upcoming_cohorts(today).filter(programme=OuterRef("pk"))
    open_places = (
        upcoming.filter(status=CohortStatus.OPEN)
        .order_by()
        .values("programme")
        .annotate(left=Sum(Greatest(F("capacity") - F("places_taken"), Value(0))))
        .values("left")
    )
    return (
        Programme.objects.published()
        .annotate(
            next_starts_on=Subquery(upcoming.order_by("starts_on").values("starts_on")[:1]),
            upcoming_count=Coalesce(
                Subquery(upcoming.order_by().values("programme").annotate(n=Count("pk")).values("n")),
                0,
                output_field=IntegerField(),
            ),
            open_places=Coalesce(Subquery(open_places, output_field=IntegerField()), 0),
        )
        .defer("description")
    )


def offer_cards(programmes: list[Programme]) -> list[dict]:
    """A page of `offer_programmes` as the values each programme's card prints, in words."""
    dates = _DateLabels()
    themes, modes, routes = dict(Theme.choices), dict(DeliveryMode.choices), dict(EntryRoute.choices)
    cards = []
    for programme in programmes:
        upcoming, places = programme.upcoming_count, programme.open_places
        cards.append(
            {
                "title": programme.title,
                "url": row_url("programmes:programme", programme.slug),
                "summary": programme.summary,
                "theme": themes.get(programme.theme, programme.theme),
                "delivery": f"{modes.get(programme.delivery_mode, programme.delivery_mode)} · "
                f"{routes.get(programme.entry_route, programme.entry_route)}",
                "next_start": (
                    f"{dates.day(programme.next_starts_on)} ({upcoming} upcoming cohort{pluralize(upcoming)})"
                    if programme.next_starts_on
                    else "No dates yet"
                ),
                "places": f"{places} place{pluralize(places)} left" if places else "No places open now",
                "has_places": bool(places),
            }
        )
    return cards


_programme_published = Prepared(
    lambda slug: Programme.objects.published().select_related("region").filter(slug=slug), slug=str
)


def programme_published(slug: str) -> Programme:
    for programme in _programme_published.objects(slug=slug):
        return programme
    raise Http404("No published programme has that address.")


@dataclass
class CohortChoice:
    """One upcoming cohort as the participant sees it: its sessions and closing date worded, their
    own place on it (when they hold one that is not cancelled or withdrawn) and why they may not join."""

    cohort: Cohort
    sessions: list[str]  # "Welcome: Monday 1 December 2026, 9:30am to 12:30pm"
    closes_label: str
    my_status: str | None
    my_status_label: str
    my_waitlist_position: int | None
    problems: list[str]
    # The card's words: who it is for and who runs it, and the tag on its places.
    audience: str = ""  # "For staff in Black Country. Facilitated by ..."
    places_text: str = ""  # "12 of 20 places left", "Full: waiting list open", or the cohort's status
    places_classes: str = ""
    enrol_text: str = ""  # the button's words: "Enrol on ..." or "Join the waiting list for ..."


def _programme_cohorts(*, programme: int, person: int, today: dt.date) -> QuerySet:
    """A programme's upcoming cohorts (by `today`) as rows: each cohort's own columns, the names of its
    region and system, its live sessions as arrays (titles, starts, ends, in one order) and the person's
    own place on it (none for an id no person has)."""
    live = Session.objects.filter(cohort=OuterRef("pk"), is_cancelled=False).order_by("starts_at", "pk")
    mine = Enrolment.objects.filter(cohort=OuterRef("pk"), person_id=person).exclude(
        status__in=(EnrolmentStatus.CANCELLED, EnrolmentStatus.WITHDRAWN)
    )
    return (
        Cohort.objects.upcoming(today)
        .filter(programme_id=programme)
        .order_by("starts_on", "pk")
        .values(
            *_COHORT_COLUMNS,
            region_name=F("region__name"),
            system_name=F("system__name"),
            session_titles=ArraySubquery(live.values("title")),
            session_starts=ArraySubquery(live.values("starts_at")),
            session_ends=ArraySubquery(live.values("ends_at")),
            my_status=Subquery(mine.values("status")[:1]),
            my_waitlist_position=Subquery(mine.values("waitlist_position")[:1]),
        )
    )


# What the card and the eligibility rules read of a cohort; its other columns (when enrolment opens, when
# the row was made and changed) are left unread, and would be loaded if read.
_COHORT_COLUMNS = [
    field.attname
    for field in Cohort._meta.concrete_fields
    if field.name not in ("enrolment_opens_at", "created_at", "updated_at")
]
# Built and compiled once per process: the page runs it on every request.
_programme_cohorts_prepared = Prepared(_programme_cohorts, programme=int, person=int, today=dt.date)


def programme_cohorts_for(programme: Programme, user) -> list[CohortChoice]:
    """Upcoming cohorts with their sessions and the user's own enrolment status on each: two queries
    (the person, then the cohorts with their sessions and the person's status on each)."""
    person = person_of(user) if user.is_authenticated else None
    rows = _programme_cohorts_prepared.rows(
        programme=programme.pk, person=person.pk if person else 0, today=timezone.localdate()
    )
    dates = _DateLabels()
    statuses, cohort_statuses = dict(EnrolmentStatus.choices), dict(CohortStatus.choices)
    regions: dict[int, Region] = {}
    systems: dict[int, System] = {}
    choices = []
    for row in rows:
        cohort = Cohort.from_db(None, _COHORT_COLUMNS, [row[column] for column in _COHORT_COLUMNS])
        cohort.programme = programme
        # The region and system carry only their names, which is all the card and the rules print.
        cohort.region = _named(regions, Region, cohort.region_id, row["region_name"])
        if cohort.system_id:
            cohort.system = _named(systems, System, cohort.system_id, row["system_name"])
        my_status = row["my_status"]
        sessions = zip(row["session_titles"], row["session_starts"], row["session_ends"], strict=True)
        audience = (
            f"For staff in {row['system_name']}."
            if cohort.system_id
            else f"Open to staff across {row['region_name']}."
        )
        if cohort.facilitators:
            audience += f" Facilitated by {cohort.facilitators}."
        left = cohort.places_left
        if cohort.status != CohortStatus.OPEN:
            places = (cohort_statuses.get(cohort.status, cohort.status), cohort.status_tag_class)
        elif left:
            places = (f"{left} of {cohort.capacity} places left", "nhsuk-tag--green")
        else:
            places = ("Full: waiting list open", "nhsuk-tag--orange")
        choices.append(
            CohortChoice(
                cohort,
                [f"{title}: {dates.session(starts_at, ends_at)}" for title, starts_at, ends_at in sessions],
                closes_label=dates.moment(cohort.enrolment_closes_at),
                my_status=my_status,
                my_status_label=statuses.get(my_status, my_status or "").lower(),
                my_waitlist_position=row["my_waitlist_position"],
                problems=eligibility_problems(person=person, cohort=cohort) if person else [],
                audience=audience,
                places_text=places[0],
                places_classes=places[1],
                enrol_text=f"{'Enrol on' if left else 'Join the waiting list for'} {cohort.name}",
            )
        )
    return choices


def _named(seen: dict, model, pk: int, name: str):
    """One instance per id holding only its name (the other fields load if read)."""
    if pk not in seen:
        seen[pk] = model.from_db(None, ["id", "name"], [pk, name])
    return seen[pk]


# --- my learning --------------------------------------------------------------------------------


@dataclass
class MyLearning:
    enrolments: list[Enrolment]
    # Sessions as plain rows (no model instances: up to 100 of them, each with its cohort and
    # programme, which the enrolments already hold), with the programme's title as `programme_title`.
    upcoming_sessions: list[dict]
    past_sessions: list[dict]
    certificates: list[Certificate]


def _my_enrolments(*, person: int) -> QuerySet[Enrolment]:
    live_sessions = Session.objects.filter(cohort=OuterRef("cohort_id"), is_cancelled=False)
    return (
        Enrolment.objects.filter(person_id=person)
        .select_related("cohort__programme", "application", "feedback", "certificate")
        .annotate(
            # Correlated subqueries on (cohort, starts_at), not a join and GROUP BY over every column.
            last_session_end=Subquery(live_sessions.order_by("-ends_at").values("ends_at")[:1]),
            first_session_start=Subquery(live_sessions.order_by("starts_at").values("starts_at")[:1]),
        )
        .order_by("-first_session_start", "-pk")
    )


_SESSION_COLUMNS = (
    "pk",
    "cohort_id",
    "title",
    "starts_at",
    "ends_at",
    "venue",
    "joining_url",
    "recording_url",
)


def _my_sessions(*, person: int, now: dt.datetime) -> QuerySet:
    """The next 50 and the last 50 live sessions of the cohorts the person has a place on, in one
    statement (UNION ALL of the two), told apart by `upcoming`; the past ones with the person's mark."""
    placed = Enrolment.objects.filter(
        person_id=person, status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)
    ).values("cohort_id")
    sessions = Session.objects.filter(cohort_id__in=placed, is_cancelled=False)
    upcoming = (
        sessions.filter(ends_at__gte=now)
        .annotate(my_attendance=Value(None, output_field=CharField()), upcoming=Value(True))
        .order_by("starts_at")
        .values(*_SESSION_COLUMNS, "my_attendance", "upcoming")[:50]
    )
    mark = Attendance.objects.filter(session=OuterRef("pk"), enrolment__person_id=person).values("status")[:1]
    past = (
        sessions.filter(ends_at__lt=now)
        .annotate(my_attendance=Subquery(mark), upcoming=Value(False))
        .order_by("-starts_at")
        .values(*_SESSION_COLUMNS, "my_attendance", "upcoming")[:50]
    )
    return upcoming.union(past, all=True)


# My learning's two queries, built and compiled once per process (ADR 0005).
_my_enrolments_prepared = Prepared(_my_enrolments, person=int)
_my_sessions_prepared = Prepared(_my_sessions, person=int, now=dt.datetime)


def my_learning(person: Person) -> MyLearning:
    """Everything a participant needs about their own learning, in two queries whatever its size."""
    enrolments = _my_enrolments_prepared.objects(person=person.pk)
    dates = _DateLabels()
    statuses = dict(EnrolmentStatus.choices)
    decisions = dict(ApplicationDecision.choices)
    for enrolment in enrolments:
        enrolment.can_give_feedback = feedback_allowed(enrolment, enrolment.last_session_end) and not hasattr(
            enrolment, "feedback"
        )
        enrolment.can_cancel = enrolment.status in ACTIVE and enrolment.status != EnrolmentStatus.COMPLETED
        # What the page prints and links to, worked out here once rather than per cell in the template.
        cohort = enrolment.cohort
        enrolment.status_label = statuses.get(enrolment.status, enrolment.status)
        enrolment.dates_label = dates.span(cohort.starts_on, cohort.ends_on) or "To be confirmed"
        enrolment.application_label = (
            decisions.get(enrolment.application.decision, "").lower()
            if hasattr(enrolment, "application")
            else ""
        )
        enrolment.programme_url = row_url("programmes:programme", cohort.programme.slug)
        enrolment.certificate_url = (
            row_url("programmes:certificate_pdf", enrolment.pk) if hasattr(enrolment, "certificate") else None
        )
        enrolment.feedback_url = (
            row_url("programmes:feedback", enrolment.pk) if enrolment.can_give_feedback else None
        )
        enrolment.accept_url = (
            row_url("programmes:accept_offer", enrolment.pk)
            if enrolment.status == EnrolmentStatus.OFFERED
            else None
        )
        enrolment.invitation_url = (
            row_url("programmes:accept_invitation", enrolment.pk) if enrolment.awaits_acceptance else None
        )
        enrolment.offer_expires_label = dates.moment(enrolment.offer_expires_at, weekday=True)
        enrolment.cancel_url = row_url("programmes:cancel", enrolment.pk) if enrolment.can_cancel else None
    programme_titles = {e.cohort_id: e.cohort.programme.title for e in enrolments}
    both = _my_sessions_prepared.rows(person=person.pk, now=timezone.now())
    upcoming = sorted((s for s in both if s["upcoming"]), key=lambda s: s["starts_at"])
    past = sorted((s for s in both if not s["upcoming"]), key=lambda s: s["starts_at"], reverse=True)
    for session in upcoming:
        session["programme_title"] = programme_titles[session["cohort_id"]]
        session["when_label"] = dates.session(session["starts_at"], session["ends_at"])
        session["calendar_url"] = row_url("programmes:session_calendar", session["pk"])
    labels = dict(AttendanceStatus.choices)
    for session in past:
        session["programme_title"] = programme_titles[session["cohort_id"]]
        session["my_attendance_label"] = labels.get(session["my_attendance"], "Not recorded")
        session["day_label"] = dates.day(session["starts_at"])
    certificates = [e.certificate for e in enrolments if hasattr(e, "certificate")]
    return MyLearning(enrolments, upcoming, past, certificates)


def enrolment_for_participant(user, pk: int) -> Enrolment:
    """The participant's own enrolment; anyone else's is a 404, not a 403, so ids are not probed."""
    return get_object_or_404(
        Enrolment.objects.select_related("cohort__programme", "person__user"), pk=pk, person=person_of(user)
    )


def session_for_calendar(user, pk: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("cohort__programme"), pk=pk)
    person = person_of(user)
    mine = Enrolment.objects.filter(
        cohort_id=session.cohort_id, person=person, status__in=(*ACTIVE, EnrolmentStatus.CANCELLED)
    ).exists()
    region = staff_region(user)
    staff = region is not None and session.cohort.region_id == region.pk and _is_staff(user)
    if not (mine or staff):
        raise Http404
    return session


def _is_staff(user) -> bool:
    from academy.permissions import is_programme_staff

    return is_programme_staff(user)


def certificate_for_participant(user, enrolment_pk: int) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related("enrolment__person", "enrolment__cohort__programme"),
        enrolment_id=enrolment_pk,
        enrolment__person=person_of(user),
    )


# A certificate's public reference: letters and digits, 32 at most (Certificate.code).
CERTIFICATE_CODE = re.compile(r"[0-9A-Z]{1,32}")


def certificate_by_code(code: str) -> Certificate:
    """The certificate with this reference; anything that could not be one (a NUL byte, a long or
    odd string) answers 404 before it reaches the database."""
    if not CERTIFICATE_CODE.fullmatch(code.upper()):
        raise Http404("No certificate has this reference.")
    return get_object_or_404(
        Certificate.objects.select_related("enrolment__person", "enrolment__cohort__programme"),
        code=code.upper(),
    )


# --- programme staff ----------------------------------------------------------------------------


def programme_page_for_staff(user, number) -> Page:
    """A page of 50 of the staff member's region's programmes, with each one's number of cohorts."""
    return _staff_programmes.page(number, 50, region=require_region(user).pk)


def _programmes_of_region(*, region: int) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(region_id=region)
        .annotate(
            # COUNT(*), not COUNT(id): the cohorts' programme index answers it without reading the rows.
            cohort_count=Coalesce(
                Subquery(
                    Cohort.objects.filter(programme=OuterRef("pk"))
                    .order_by()
                    .values("programme")
                    .annotate(n=Count("*"))
                    .values("n")
                ),
                0,
                output_field=IntegerField(),
            ),
        )
        .defer("description")
        .order_by("code")
    )


_staff_programmes = PreparedPages(_programmes_of_region, region=int)


def staff_programme_rows(programmes: list[Programme]) -> list[dict]:
    """A page of `programmes_for_staff` as the cells the list prints, each link from a pattern reversed
    once."""
    routes = dict(EntryRoute.choices)
    return [
        {
            "code": programme.code,
            # `%`, not `.format()`: both escape the values, and format's parser runs again for every row.
            "programme": Markup('<a href="%s">%s</a>')
            % (row_url("programmes:staff_programme", programme.pk), programme.title),
            "entry": routes.get(programme.entry_route, programme.entry_route),
            "cohorts": programme.cohort_count,
            "published": "Yes" if programme.is_published else "No",
        }
        for programme in programmes
    ]


def programme_for_staff(user, pk: int) -> Programme:
    return get_object_or_404(Programme.objects.filter(region=require_region(user)), pk=pk)


def cohorts_of_programme(programme: Programme) -> QuerySet[Cohort]:
    return (
        programme.cohorts.select_related("system")
        .annotate(session_count=Count("sessions", filter=Q(sessions__is_cancelled=False)))
        .order_by("-starts_on", "-pk")
    )


_cohort_in_region = Prepared(
    lambda pk, region: Cohort.objects.filter(pk=pk, region_id=region).select_related(
        "programme", "system", "region"
    ),
    pk=int,
    region=int,
)
_session_in_region = Prepared(
    lambda pk, region: Session.objects.filter(pk=pk, cohort__region_id=region).select_related(
        "cohort__programme"
    ),
    pk=int,
    region=int,
)


def cohort_for_staff(user, pk: int) -> Cohort:
    return _in_scope(_cohort_in_region.objects(pk=pk, region=require_region(user).pk))


def session_for_staff(user, pk: int) -> Session:
    return _in_scope(_session_in_region.objects(pk=pk, region=require_region(user).pk))


def _in_scope(found: list):
    """The one record found in the user's scope; none is a 404, whether it exists elsewhere or not."""
    if not found:
        raise Http404("No such record in your region.")
    return found[0]


REGISTER_ORDER = [
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.OFFERED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.SHORTLISTED,
    EnrolmentStatus.APPLIED,
    EnrolmentStatus.DECLINED,
    EnrolmentStatus.CANCELLED,
    EnrolmentStatus.WITHDRAWN,
]


# An enrolment row's person, as a register shows them (`_withhold_invited` also needs the enrolment's
# invited_email and accepted_at: until an invitation is accepted only the address typed is shown).
ENROLLED_PERSON = {
    "given_name": F("person__given_name"),
    "family_name": F("person__family_name"),
    "email": F("person__user__email"),
    "organisation": F("person__organisation__name"),
}


def cohort_register(cohort: Cohort) -> QuerySet:
    """The register as plain rows (no model instances: a 500-person register would otherwise build
    2,000 objects) with each person's attendance: one query whatever the cohort's size."""
    return _cohort_register(cohort=cohort.pk)


def _cohort_register(*, cohort: int) -> QuerySet:
    return (
        Enrolment.objects.filter(cohort_id=cohort)
        .annotate(
            attended=Count("attendances", filter=Q(attendances__status=AttendanceStatus.ATTENDED)),
            marked=Count("attendances"),
        )
        .values(
            "pk",
            "status",
            "waitlist_position",
            "offer_expires_at",
            "attended",
            "marked",
            "invited_email",
            "accepted_at",
            **ENROLLED_PERSON,
            staff_group=F("person__staff_group"),
            pay_band=F("person__pay_band"),
        )
        .order_by("status", "waitlist_position", "person__family_name", "person__given_name", "pk")
    )


_cohort_register_prepared = Prepared(_cohort_register, cohort=int)


def _withhold_invited(row: dict) -> dict:
    """Someone invited from outside the region (or new to Academy) who has not accepted yet: staff see
    the address they typed and "Invited", nothing of the person's own record."""
    row["invited"] = bool(row["invited_email"]) and row["accepted_at"] is None
    if row["invited"]:
        row.update(
            given_name="",
            family_name="",
            email=row["invited_email"],
            organisation=None,
            staff_group="",
            pay_band="",
        )
    return row


def _attendance_label(attended: int, marked: int) -> str:
    """'3 of 4 (75%)', or '–' before any mark."""
    return f"{attended} of {marked} ({round(100 * attended / marked)}%)" if marked else "–"


def register_by_status(cohort: Cohort) -> list[dict]:
    """The register grouped by status, each row with the cells the page prints (attendance, the
    offer's end, the link that gives a waiting person a place) worked out here, once per row."""
    rows = _cohort_register_prepared.rows(cohort=cohort.pk)
    dates = _DateLabels()
    by_status: dict[str, list[dict]] = {}
    for row in rows:
        _withhold_invited(row)
        row["full_name"] = (
            "Invited" if row["invited"] else f"{row['given_name']} {row['family_name']}".strip()
        )
        row["label"] = row["email"] if row["invited"] else row["full_name"]  # whom a button names
        row["attendance_rate"] = round(100 * row["attended"] / row["marked"]) if row["marked"] else None
        row["attendance_label"] = _attendance_label(row["attended"], row["marked"])
        if row["status"] == EnrolmentStatus.OFFERED:
            row["offer_ends_label"] = dates.moment(row["offer_expires_at"])
        elif row["status"] == EnrolmentStatus.WAITLISTED:
            row["promote_url"] = row_url("programmes:staff_waitlist_promote", cohort.pk, row["pk"])
        by_status.setdefault(row["status"], []).append(row)
    groups = []
    for status in REGISTER_ORDER:
        members = by_status.get(status)
        if members:
            groups.append(
                {
                    "status": status,
                    "label": EnrolmentStatus(status).label,
                    "rows": members,
                    "is_waitlist": status == EnrolmentStatus.WAITLISTED,
                    "is_offered": status == EnrolmentStatus.OFFERED,
                }
            )
    return groups


_sessions_with_marks = Prepared(
    lambda cohort: (
        Session.objects.filter(cohort_id=cohort)
        .annotate(
            attended=Count("attendances", filter=Q(attendances__status=AttendanceStatus.ATTENDED)),
            marked=Count("attendances"),
        )
        .order_by("starts_at")
    ),
    cohort=int,
)


def cohort_sessions_with_rates(cohort: Cohort) -> list[Session]:
    sessions = _sessions_with_marks.objects(cohort=cohort.pk)
    dates = _DateLabels()
    for session in sessions:
        session.attendance_rate = round(100 * session.attended / session.marked) if session.marked else None
        session.attendance_label = _attendance_label(session.attended, session.marked)
        session.when_label = dates.session(session.starts_at, session.ends_at)
        session.attendance_url = (
            row_url("programmes:staff_attendance", session.pk) if session.register_open else None
        )
        session.edit_url = row_url("programmes:staff_session_edit", session.pk)
        session.cancel_url = (
            None if session.is_cancelled else row_url("programmes:staff_session_cancel", session.pk)
        )
    return sessions


def cohort_attendance_rate(sessions: list[Session]) -> int | None:
    marked = sum(s.marked for s in sessions)
    return round(100 * sum(s.attended for s in sessions) / marked) if marked else None


def _attendance_sheet(*, cohort: int, session: int) -> QuerySet:
    return (
        Enrolment.objects.filter(
            cohort_id=cohort, status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)
        )
        .annotate(
            current=Subquery(
                Attendance.objects.filter(session_id=session, enrolment=OuterRef("pk")).values("status")[:1]
            )
        )
        # A row shows the person's name and organisation (an invited person's typed address comes from
        # the enrolment), so their account is not joined.
        .values(
            "pk",
            "current",
            "invited_email",
            "accepted_at",
            **{name: column for name, column in ENROLLED_PERSON.items() if name != "email"},
        )
        .order_by("person__family_name", "person__given_name", "pk")
    )


_attendance_sheet_prepared = Prepared(_attendance_sheet, cohort=int, session=int)


def attendance_sheet(session: Session) -> list[dict]:
    """Everyone with a place on the session's cohort and their current mark, as plain rows: one query."""
    rows = _attendance_sheet_prepared.rows(cohort=session.cohort_id, session=session.pk)
    for row in rows:
        _withhold_invited(row)
        name = f"{row['given_name']} {row['family_name']}".strip()
        row["full_name"] = f"{row['email']} (invited)" if row["invited"] else name
    return rows


REGISTER_COLUMNS = [
    "Email",
    "First name",
    "Last name",
    "Organisation",
    "Staff group",
    "Pay band",
    "Status",
    "Waiting list position",
]


def register_rows(cohort: Cohort):
    """The register for a spreadsheet, in words (never stored codes): a column per session with each
    person's mark (Attended, Absent, Apologies, or blank before marking), then the totals. Three
    queries whatever the cohort's size: the sessions, the marks, the people."""
    sessions = list(
        cohort.sessions.order_by("starts_at", "pk").values("pk", "title", "starts_at", "is_cancelled")
    )
    marks = {
        (enrolment_id, session_id): status
        for enrolment_id, session_id, status in Attendance.objects.filter(
            enrolment__cohort=cohort
        ).values_list("enrolment_id", "session_id", "status")
    }
    words = {
        "staff_group": dict(StaffGroup.choices),
        "pay_band": dict(PayBand.choices),
        "status": dict(EnrolmentStatus.choices),
        "mark": dict(AttendanceStatus.choices),
    }
    yield [
        *REGISTER_COLUMNS,
        *(
            f"{s['title']} ({timezone.localtime(s['starts_at']):%d/%m/%Y}){' (cancelled)' if s['is_cancelled'] else ''}"
            for s in sessions
        ),
        "Sessions attended",
        "Sessions marked",
    ]
    for row in cohort_register(cohort).iterator(chunk_size=1000):
        _withhold_invited(row)
        yield [
            row["email"],
            row["given_name"],
            row["family_name"],
            row["organisation"] or "",
            words["staff_group"].get(row["staff_group"], row["staff_group"]),
            words["pay_band"].get(row["pay_band"], row["pay_band"]),
            "Invited" if row["invited"] else words["status"].get(row["status"], row["status"]),
            row["waitlist_position"] or "",
            *(words["mark"].get(marks.get((row["pk"], s["pk"]), ""), "") for s in sessions),
            row["attended"],
            row["marked"],
        ]


def applications_for_shortlisting(cohort: Cohort) -> QuerySet[Application]:
    return (
        Application.objects.filter(enrolment__cohort=cohort)
        .select_related("enrolment__person__organisation__system", "enrolment__person__user", "reviewer")
        .order_by("enrolment__person__organisation__system__name", "profession", "submitted_at")
    )


def shortlist_quota(cohort: Cohort) -> list[dict]:
    """Shortlisted (and beyond) per system and profession, against the programme's quota."""
    quota = cohort.programme.shortlist_quota_per_system
    counts = (
        Application.objects.filter(enrolment__cohort=cohort)
        .values("enrolment__person__organisation__system__name", "profession")
        .annotate(
            applied=Count("pk"),
            shortlisted=Count("pk", filter=Q(decision=ApplicationDecision.SHORTLISTED)),
        )
        .order_by("enrolment__person__organisation__system__name", "profession")
    )
    return [
        {
            "system": row["enrolment__person__organisation__system__name"] or "No system",
            "profession": row["profession"] or "Not given",
            "applied": row["applied"],
            "shortlisted": row["shortlisted"],
            "quota": quota,
            "over": quota is not None and row["shortlisted"] > quota,
            "full": quota is not None and row["shortlisted"] >= quota,
        }
        for row in counts
    ]


def enrolment_for_staff(user, pk: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.filter(cohort__region=require_region(user)).select_related("cohort", "person"),
        pk=pk,
    )


def application_for_staff(user, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.filter(enrolment__cohort__region=require_region(user)).select_related(
            "enrolment"
        ),
        pk=pk,
    )


def published_cohort(pk: int, *, entry_route: str | None = None) -> Cohort:
    """A cohort of a published programme, for a participant to enrol in or apply to."""
    filters = {"pk": pk, "programme__is_published": True}
    if entry_route:
        filters["programme__entry_route"] = entry_route
    return get_object_or_404(Cohort.objects.select_related("programme"), **filters)


def person_by_email(email: str) -> Person | None:
    return Person.objects.select_related("user").filter(user__email__iexact=email).first()


# --- The Year in Review ----------------------------------------------------------------------------
# What other apps (reporting) read of programmes for the report; the queries live in figures.py.

from programmes.figures import (  # noqa: E402, F401 (re-exported; kept apart)
    first_session_start,
    last_session_start_before,
    programme_figures,
    programme_rows,
    quotable_feedback,
    reach_and_impact,
    theme_chapter,
)
