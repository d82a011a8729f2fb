"""Reads of the coaching app, scoped to the user who asks, with their joins decided here.

Access helpers live here, as in every app: `<thing>_for_<who>(user, pk)` (e.g.
`relationship_for_party`, `profile_for_staff`) returns the record when it is in the user's scope and
raises Http404 when it is not, so record ids are not probed. 403 is kept for a page the user's role
does not open (the views' role decorators) and for an action refused on a record the user may see.

Staff see their own region's register and requests. Coaching session notes and reflective notes are
never selected for anyone but their owners: staff selectors annotate counts and hours instead."""

from __future__ import annotations

import datetime

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Now
from django.http import Http404
from django.utils import timezone
from markupsafe import Markup

from academy.jinja2 import nhs_date
from academy.links import row_url
from academy.models import Person
from academy.permissions import person_of, require_region, staff_region
from academy.prepared import Prepared
from coaching.figures import coaching_figures
from coaching.formats import hours_number
from coaching.models import (
    GROUP_SUPERVISION_MAX,
    REMINDER_DAYS_BEFORE,
    Availability,
    CoachingRelationship,
    CoachingRequest,
    CoachingSessionLog,
    CoachProfile,
    CPDAttendance,
    CPDEvent,
    CPDLog,
    ProfileStatus,
    Qualification,
    QualificationKind,
    ReflectiveNote,
    RelationshipStatus,
    RelationshipType,
    RequestStatus,
    SessionStatus,
    SupervisionAttendee,
    SupervisionFunction,
    SupervisionRecord,
    SupervisionSession,
    SupervisionSource,
)

__all__ = ["coaching_figures"]

BUSY = [RelationshipStatus.OFFERED, RelationshipStatus.ACTIVE]


def with_places(queryset: QuerySet[CoachProfile]) -> QuerySet[CoachProfile]:
    """Places taken and free, from the `places_taken` column the relationship services keep."""
    return queryset.annotate(
        busy_places=F("places_taken"),
        free_places=ExpressionWrapper(F("capacity") - F("places_taken"), output_field=IntegerField()),
    )


def page_of_ids(queryset: QuerySet, number, per_page: int, load) -> Page:
    """A page of a long list in two cheap steps: the page's ids from a narrow query (sorted and counted
    without the joins and wide columns the table needs), then `load(ids)` for just those rows, in the
    same order. The count runs on the filtered table alone, never over the display joins."""
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = {row.pk: row for row in load(ids)} if ids else {}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


# --- The coach themself -------------------------------------------------------------------------------


def _own_profile(*, user: int) -> QuerySet[CoachProfile]:
    """The user's own register entry, with their person, organisation and system (`.first()`'s order)."""
    with_person = CoachProfile.objects.select_related("person__organisation__system")
    return with_person.filter(person__user_id=user)[:1]


def _qualifications(*, profile: int) -> QuerySet[Qualification]:
    return Qualification.objects.filter(profile_id=profile)


def _supervision(*, profile: int) -> QuerySet[SupervisionRecord]:
    """The latest 20 supervision records, each with how many there are (a window count)."""
    return SupervisionRecord.objects.filter(profile_id=profile).annotate(total=Window(Count("pk")))[:20]


def _group_places(*, profile: int, now: datetime.datetime) -> QuerySet[SupervisionAttendee]:
    """The coach's places in group supervision starting from `now`, soonest first, with the supervisor."""
    return (
        SupervisionAttendee.objects.filter(profile_id=profile, session__starts_at__gte=now)
        .select_related("session__supervisor")
        .order_by("session__starts_at")
    )


def _cpd_attendances(*, profile: int, since: datetime.date) -> QuerySet[CPDAttendance]:
    """The latest 10 webinars attended, each with the hours of all webinars since `since` (a window)."""
    return (
        CPDAttendance.objects.filter(profile_id=profile)
        .select_related("event")
        .annotate(
            recent_hours=Window(Sum("event__duration_hours", filter=Q(event__starts_at__date__gte=since)))
        )
        .order_by("-event__starts_at")[:10]
    )


def _cpd_logs(*, profile: int, since: datetime.date) -> QuerySet[CPDLog]:
    """The latest 10 activities logged, each with the hours of all those done since `since` (a window)."""
    return CPDLog.objects.filter(profile_id=profile).annotate(
        recent_hours=Window(Sum("hours", filter=Q(done_on__gte=since)))
    )[:10]


def _coachees(*, profile: int) -> QuerySet[CoachingRelationship]:
    """The coach's relationships but those declined, each with its sessions' count and minutes."""
    return (
        CoachingRelationship.objects.filter(coach_id=profile)
        .exclude(status=RelationshipStatus.DECLINED)
        .select_related("coachee__organisation")
        .annotate(session_count=Count("sessions"), minutes=Coalesce(Sum("sessions__duration_minutes"), 0))
        .order_by("status", "-offered_at")
    )


# "My coaching" runs these on every request: each is built and compiled once per process (ADR 0005).
_own_profile_prepared = Prepared(_own_profile, user=int)
_qualifications_prepared = Prepared(_qualifications, profile=int)
_supervision_prepared = Prepared(_supervision, profile=int)
_group_places_prepared = Prepared(_group_places, profile=int, now=datetime.datetime)
_cpd_attendances_prepared = Prepared(_cpd_attendances, profile=int, since=datetime.date)
_cpd_logs_prepared = Prepared(_cpd_logs, profile=int, since=datetime.date)
_coachees_prepared = Prepared(_coachees, profile=int)


def own_profile(user) -> CoachProfile | None:
    """The user's own register entry, with their person, organisation and system, in one query."""
    if not user.is_authenticated:
        return None
    profile = next(iter(_own_profile_prepared.objects(user=user.pk)), None)
    if profile is not None:
        user.person = profile.person  # what person_of(user) reads later in the request
    return profile


def coach_home(profile: CoachProfile) -> dict:
    """Everything on "My coaching", in a fixed number of queries whatever the history's length, with the
    cells of its two tables worded here."""
    today = timezone.localdate()
    qualifications = _qualifications_prepared.objects(profile=profile.pk)
    latest = _latest_supervision(profile)
    group_places = _group_places_prepared.objects(profile=profile.pk, now=timezone.now())
    cpd = _latest_cpd(profile, today)
    relationships = _coachees_prepared.objects(profile=profile.pk)
    return {
        "profile": profile,
        "qualifications": qualifications,
        **latest,
        "supervision_rows": supervision_rows(latest["supervision"]),
        "group_places": group_places,
        **cpd,
        "relationships": relationships,
        "coachee_rows": coachee_rows(relationships),
        "is_compliant": profile.is_compliant(today),
        "due_soon": profile.supervision_due_on is not None
        and today <= profile.supervision_due_on <= today + datetime.timedelta(days=REMINDER_DAYS_BEFORE),
    }


_SOURCE_LABELS = dict(SupervisionSource.choices)
# A function's name without its explanation: "Normative", not "Normative (ethical and ...)".
_FUNCTION_NAMES = {value: label.split(" (")[0] for value, label in SupervisionFunction.choices}
_TYPE_LABELS = dict(RelationshipType.choices)
_STATUS_LABELS = dict(RelationshipStatus.choices)
_COACHEE = Markup('%s<br><span class="nhsuk-body-s">%s</span>')
_STATUS_SINCE = Markup('%s<br><span class="nhsuk-body-s">since %s</span>')
_OPEN = Markup('<a href="%s">%s<span class="nhsuk-u-visually-hidden"> relationship with %s</span></a>')


def supervision_rows(records: list[SupervisionRecord]) -> list[dict]:
    """The supervision history table's cells: date, where, supervisor, hours and functions."""
    return [
        {
            "date": nhs_date(record.held_on),
            "where": _SOURCE_LABELS.get(record.source, record.source),
            "supervisor": record.supervisor_name,
            "hours": hours_number(record.hours),
            "functions": ", ".join(_FUNCTION_NAMES.get(f) or f.split(" (")[0] for f in record.functions),
        }
        for record in records
    ]


def coachee_rows(relationships: list[CoachingRelationship]) -> list[dict]:
    """The coachees table's cells: the coachee and their organisation, the type, the status (and since
    when), the sessions held and the link to the relationship (to accept or decline an offer)."""
    rows = []
    for relationship in relationships:
        coachee, status = relationship.coachee, relationship.status
        organisation = coachee.organisation.name if coachee.organisation_id else ""
        status_label = _STATUS_LABELS.get(status, status)
        rows.append(
            {
                "coachee": _COACHEE % (coachee.full_name, organisation),
                "type": _TYPE_LABELS.get(relationship.relationship_type, relationship.relationship_type),
                "status": _STATUS_SINCE % (status_label, nhs_date(relationship.started_on))
                if relationship.started_on
                else status_label,
                "sessions": relationship.session_count,
                "action": _OPEN
                % (
                    row_url("coaching:relationship", relationship.pk),
                    "Accept or decline" if status == RelationshipStatus.OFFERED else "Open",
                    coachee.full_name,
                ),
            }
        )
    return rows


def _latest_supervision(profile: CoachProfile) -> dict:
    """The latest 20 supervision records and how many there are, in one query (a window count)."""
    latest = _supervision_prepared.objects(profile=profile.pk)
    return {"supervision": latest, "supervision_count": latest[0].total if latest else 0}


def _latest_cpd(profile: CoachProfile, today: datetime.date) -> dict:
    """The latest 10 webinars attended and 10 activities logged, and the CPD hours of the last 12 months
    (self-logged plus webinars attended) summed over all of them as a window beside each list: two
    queries."""
    since = today - datetime.timedelta(days=365)
    attendances = _cpd_attendances_prepared.objects(profile=profile.pk, since=since)
    logs = _cpd_logs_prepared.objects(profile=profile.pk, since=since)
    webinars = (attendances[0].recent_hours if attendances else None) or 0
    logged = (logs[0].recent_hours if logs else None) or 0
    return {"cpd_attendances": attendances, "cpd_logs": logs, "cpd_hours": logged + webinars}


def reflective_notes_of(profile: CoachProfile) -> QuerySet[ReflectiveNote]:
    return profile.reflective_notes.all()


def reflective_note_for_owner(user, pk: int) -> ReflectiveNote:
    """Only the author may read a note; for everyone else, staff and leads included, it does not exist."""
    note = (
        ReflectiveNote.objects.select_related("profile")
        .filter(pk=pk, profile__person=person_of(user))
        .first()
    )
    if note is None:
        raise Http404
    return note


def qualification_for_certificate(user, pk: int) -> Qualification:
    """The certificate goes to the coach themself and to programme staff of the coach's region."""
    from academy.permissions import is_programme_staff

    qualification = Qualification.objects.select_related("profile").filter(pk=pk).first()
    if qualification is None or not qualification.certificate:
        raise Http404
    if qualification.profile.person_id == person_of(user).pk:
        return qualification
    region = staff_region(user)
    if is_programme_staff(user) and region is not None and region.pk == qualification.profile.region_id:
        return qualification
    raise Http404


# --- Staff: the register and applications ---------------------------------------------------------------


def register_for(user) -> QuerySet[CoachProfile]:
    """The region's register, for filtering: a coach's own columns only, so filters, sorting and the
    count stay on coaching_coachprofile (plus person for names)."""
    region = require_region(user)
    return with_places(CoachProfile.objects.filter(region=region))


REGISTER_COLUMNS = (
    "id",
    "kind",
    "status",
    "capacity",
    "places_taken",
    "supervision_due_on",
    "person__given_name",
    "person__family_name",
    "person__organisation__name",
    "person__organisation__system__name",
)


def register_rows(ids: list[int]) -> QuerySet[CoachProfile]:
    """The register table's rows: only the columns it shows, qualifications in one prefetch."""
    return (
        with_places(CoachProfile.objects.filter(pk__in=ids))
        .select_related("person__organisation__system")
        .only(*REGISTER_COLUMNS)
        .prefetch_related(
            Prefetch(
                "qualifications",
                queryset=Qualification.objects.only("profile_id", "kind", "title").order_by("kind"),
            )
        )
    )


def register_page(queryset: QuerySet[CoachProfile], number) -> Page:
    """A page of the register, each row with its labels worked out here rather than in the template
    (fifty rows of template lookups cost more than the queries)."""
    page = page_of_ids(queryset, number, 50, register_rows)
    today = timezone.localdate()
    names = dict(QualificationKind.choices)
    for profile in page.object_list:
        profile.qualification_labels = ", ".join(
            q.title or names.get(q.kind, q.kind) for q in profile.qualifications.all()
        )
        profile.overdue = (
            profile.status == ProfileStatus.APPROVED
            and profile.supervision_due_on is not None
            and profile.supervision_due_on < today
        )
    return page


REGISTER_CSV_HEADER = [
    "Name",
    "Email",
    "Organisation",
    "System",
    "Kind",
    "Status",
    "Specialisms",
    "Qualifications",
    "Capacity",
    "Places taken",
    "Last supervised",
    "Supervision due",
    "Compliant",
]


def register_csv_rows(profiles: QuerySet[CoachProfile]):
    """The filtered register as CSV rows, streamed from one values() query: qualifications are gathered
    by the database, so no model instances or prefetches are built for thousands of coaches."""
    from django.contrib.postgres.aggregates import StringAgg

    from coaching.models import CoachKind, QualificationKind, Specialism

    today = timezone.localdate()
    kinds, statuses = dict(CoachKind.choices), dict(ProfileStatus.choices)
    qualification_names, specialism_names = dict(QualificationKind.choices), dict(Specialism.choices)
    rows = (
        profiles.prefetch_related(None)
        .annotate(
            qualification_kinds=StringAgg("qualifications__kind", delimiter=",", distinct=True, default="")
        )
        .values_list(
            "person__given_name",
            "person__family_name",
            "person__user__email",
            "person__organisation__name",
            "person__organisation__system__name",
            "kind",
            "status",
            "specialisms",
            "qualification_kinds",
            "capacity",
            "busy_places",
            "last_supervised_on",
            "supervision_due_on",
        )
    )
    for (
        given,
        family,
        email,
        organisation,
        system,
        kind,
        status,
        specialisms,
        quals,
        capacity,
        busy,
        last,
        due,
    ) in rows.iterator(chunk_size=5000):
        compliant = status == ProfileStatus.APPROVED and due is not None and due >= today
        yield [
            f"{given} {family}".strip(),
            email,
            organisation or "",
            system or "",
            kinds.get(kind, kind),
            statuses.get(status, status),
            "; ".join(specialism_names.get(s, s) for s in specialisms),
            "; ".join(qualification_names.get(q, q) for q in quals.split(",") if q),
            capacity,
            busy,
            last or "",
            due or "",
            "yes" if compliant else "no",
        ]


def applications_for(user) -> QuerySet[CoachProfile]:
    return (
        register_for(user)
        .filter(status__in=[ProfileStatus.APPLIED, ProfileStatus.MORE_INFO_REQUESTED])
        .select_related("person__organisation__system")
        .prefetch_related(Prefetch("qualifications", queryset=Qualification.objects.order_by("kind")))
        .order_by("applied_at")
    )


def profile_for_staff(user, pk: int) -> CoachProfile:
    profile = (
        register_for(user)
        .select_related("person__user", "person__organisation__system")
        .prefetch_related(Prefetch("qualifications", queryset=Qualification.objects.order_by("kind")))
        .filter(pk=pk)
        .first()
    )
    if profile is None:
        raise Http404
    return profile


def relationships_summary_for_staff(profile: CoachProfile) -> list[CoachingRelationship]:
    """A coach's relationships as staff see them: who, type, status, sessions and hours; no notes."""
    return list(
        CoachingRelationship.objects.filter(coach=profile)
        .select_related("coachee")
        .annotate(session_count=Count("sessions"), minutes=Coalesce(Sum("sessions__duration_minutes"), 0))
        .only(
            "id",
            "status",
            "relationship_type",
            "started_on",
            "closed_on",
            "coachee__given_name",
            "coachee__family_name",
        )
    )


# --- Participants: the directory and their own relationships ----------------------------------------


def directory_for(user) -> QuerySet[CoachProfile]:
    """Approved, compliant coaches in the participant's region who are taking coachees and have a free
    place: every condition is on coaching_coachprofile's own columns (the compliant partial index)."""
    person = person_of(user)
    if person.region_id is None:
        return CoachProfile.objects.none()
    return (
        CoachProfile.objects.compliant()
        .filter(region_id=person.region_id, capacity__gt=F("places_taken"))
        .exclude(availability=Availability.NONE)
        .exclude(person=person)
    )


def directory_rows(ids: list[int]) -> QuerySet[CoachProfile]:
    """What the directory shows and no more: no contact details are ever loaded."""
    return (
        CoachProfile.objects.filter(pk__in=ids)
        .select_related("person__organisation__system")
        .only(
            "id",
            "kind",
            "specialisms",
            "person__given_name",
            "person__family_name",
            "person__organisation__system__name",
        )
    )


def directory_page(user, number) -> Page:
    return page_of_ids(directory_for(user), number, 25, directory_rows)


def relationships_as_coachee(person: Person) -> list[CoachingRelationship]:
    """The participant's own coaching, for the directory page (an indexed lookup on coachee)."""
    return list(
        CoachingRelationship.objects.filter(coachee=person)
        .exclude(status=RelationshipStatus.DECLINED)
        .select_related("coach__person")
        .annotate(session_count=Count("sessions"))
        .order_by("-offered_at")
    )


def requests_of(person: Person) -> list[CoachingRequest]:
    return list(CoachingRequest.objects.filter(requester=person).order_by("-created_at"))


def request_of_requester(user, pk: int) -> CoachingRequest:
    """A request, for the person who made it only."""
    coaching_request = CoachingRequest.objects.filter(pk=pk, requester=person_of(user)).first()
    if coaching_request is None:
        raise Http404
    return coaching_request


def relationship_for_party(user, pk: int) -> CoachingRelationship:
    """Only the coach and the coachee can open a relationship (and so read its session notes)."""
    relationship = (
        CoachingRelationship.objects.select_related("coach__person__user", "coachee__user", "request")
        .filter(pk=pk)
        .first()
    )
    if relationship is None or person_of(user).pk not in (
        relationship.coach.person_id,
        relationship.coachee_id,
    ):
        raise Http404
    return relationship


def sessions_of(relationship: CoachingRelationship) -> QuerySet[CoachingSessionLog]:
    return relationship.sessions.select_related("logged_by")


# --- Staff: matching -----------------------------------------------------------------------------------


def requests_for_matching(user) -> QuerySet[CoachingRequest]:
    region = require_region(user)
    return (
        CoachingRequest.objects.filter(region=region, status__in=[RequestStatus.OPEN, RequestStatus.OFFERED])
        .select_related("requester__organisation__system")
        .order_by("created_at")
    )


def request_for_staff(user, pk: int) -> CoachingRequest:
    coaching_request = (
        CoachingRequest.objects.filter(region=require_region(user), pk=pk)
        .select_related("requester__organisation__system")
        .first()
    )
    if coaching_request is None:
        raise Http404
    return coaching_request


def match_suggestions(*, coaching_request: CoachingRequest, limit: int = 10) -> list[CoachProfile]:
    """Coaches to offer, best first: most specialisms in common with the request, then available now
    before available soon, then most free places. Only approved, compliant coaches of the right kind
    with a free place, and never anyone from the participant's own organisation."""
    requester = coaching_request.requester
    candidates = (
        CoachProfile.objects.compliant()
        .filter(
            region_id=coaching_request.region_id,
            kind__in=RelationshipType.kinds_for(coaching_request.relationship_type),
        )
        .exclude(availability=Availability.NONE)
        .exclude(person=requester)
    )
    if requester.organisation_id is not None:
        candidates = candidates.exclude(person__organisation_id=requester.organisation_id)
    wanted = list(coaching_request.specialisms)
    overlap = RawSQL(
        f"(SELECT count(*) FROM unnest({CoachProfile._meta.db_table}.specialisms) s WHERE s = ANY(%s))",
        (wanted,),
        output_field=IntegerField(),
    )
    return list(
        with_places(candidates)
        .filter(free_places__gt=0)
        .annotate(
            overlap=overlap,
            availability_rank=Case(When(availability=Availability.NOW, then=0), default=1),
        )
        .select_related("person__organisation__system")
        .order_by("-overlap", "availability_rank", "-free_places", "person__family_name", "pk")[:limit]
    )


# --- Supervision and CPD -------------------------------------------------------------------------------


def supervision_sessions_for(user) -> QuerySet[SupervisionSession]:
    """A supervisor's own group sessions, each with its number of places taken and whether it has
    started without its attendance confirmed yet."""
    return (
        SupervisionSession.objects.filter(supervisor=person_of(user))
        .annotate(
            attendee_count=Count("attendees"),
            awaiting_attendance=ExpressionWrapper(
                Q(status=SessionStatus.SCHEDULED, starts_at__lte=Now()), output_field=BooleanField()
            ),
        )
        .order_by("-starts_at")
    )


def supervision_session_for_supervisor(user, pk: int) -> SupervisionSession:
    session = supervision_sessions_for(user).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def attendees_of(session: SupervisionSession) -> list[SupervisionAttendee]:
    return list(session.attendees.select_related("profile__person__organisation"))


def supervision_group(session: SupervisionSession, attendees: list[SupervisionAttendee]) -> dict:
    """The group-of-8 rule as a session's page shows it, worked out here once: the group's size, the
    places left and whether a coach can still be added."""
    places_left = max(GROUP_SUPERVISION_MAX - len(attendees), 0)
    scheduled = session.status == SessionStatus.SCHEDULED
    return {
        "group_size": GROUP_SUPERVISION_MAX,
        "places_left": places_left,
        "can_add": scheduled and places_left > 0,
        "group_full": scheduled and places_left == 0,
    }


def attendee_of(session: SupervisionSession, pk: int) -> SupervisionAttendee:
    attendee = session.attendees.select_related("profile__person__organisation").filter(pk=pk).first()
    if attendee is None:
        raise Http404
    return attendee


def coaches_to_add(session: SupervisionSession) -> QuerySet[CoachProfile]:
    """Coaches on the session's register not already in the group, lapsed or due first."""
    return (
        CoachProfile.objects.on_register()
        .filter(region_id=session.region_id)
        .exclude(group_places__session=session)
        .select_related("person")
        .order_by(F("supervision_due_on").asc(nulls_first=True), "person__family_name")
    )


def cpd_events_for(user) -> QuerySet[CPDEvent]:
    """The events of the staff member's granted region, of the register a coach is on, or else of the
    participant's own region: never of a region a staff member or coach moved their profile to."""
    region_id = getattr(staff_region(user), "pk", None)
    if region_id is None:
        region_id = CoachProfile.objects.filter(person__user=user).values_list("region_id", flat=True).first()
    if region_id is None:
        region_id = person_of(user).region_id
    if region_id is None:
        return CPDEvent.objects.none()
    return (
        CPDEvent.objects.filter(region_id=region_id)
        .annotate(attendance_count=Count("attendances"))
        .order_by("-starts_at")
    )


def cpd_attended_event_ids(profile: CoachProfile | None) -> set[int]:
    if profile is None:
        return set()
    return set(CPDAttendance.objects.filter(profile=profile).values_list("event_id", flat=True))


def cpd_event_for_staff(user, pk: int) -> CPDEvent:
    """A CPD event of the staff user's own region."""
    event = CPDEvent.objects.filter(region=require_region(user), pk=pk).first()
    if event is None:
        raise Http404
    return event


def coach_in_region(region, pk) -> CoachProfile | None:
    """A coach on the register of `region`, or None (e.g. a tampered choice on the matching form)."""
    return CoachProfile.objects.filter(pk=pk, region=region).first()


# --- The Year in Review ----------------------------------------------------------------------------
# What other apps (reporting) read of coaching for the report; the queries live in figures.py.

from coaching.figures import coaching_chapter  # noqa: E402 (kept apart: the Year in Review's block)

__all__ += ["coaching_chapter"]
