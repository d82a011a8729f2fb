"""Every read of the talent pool, scoped to who is asking:

* a **member** sees their own record (all of it) and nobody else's;
* the **talent lead** sees their region's pool (`academy.permissions.staff_region`);
* a **talent board member** sees, for each system they hold a seat for (`BoardSeat`, a grant), the
  active members who consented to their board seeing them, and the system's slates;
* everyone else sees none of it. A record outside the asker's scope answers 404.

Every read of another person's talent record is written to the audit log (`member_for`)."""

from __future__ import annotations

from collections import defaultdict

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from academy import audit
from academy.jinja2 import nhs_date
from academy.models import Role, System
from academy.permissions import has_role, person_of, staff_region
from academy.scope import Scope
from talent.formats import row_url
from talent.models import (
    READINESS_TAG_CLASSES,
    AssessmentCentre,
    BoardSeat,
    BookingStatus,
    CareerConversation,
    CareerMovement,
    CentreBooking,
    CompetencyDomain,
    CriticalRole,
    Interest,
    Opportunity,
    OpportunityKind,
    PoolMember,
    Readiness,
    ReadinessChange,
    SeniorWorkforce,
    SlateEntry,
    TargetRole,
)


def is_talent_lead(user) -> bool:
    return has_role(user, Role.TALENT_LEAD) and staff_region(user) is not None


def board_systems(user) -> list[System]:
    """The systems whose talent boards the user holds a seat on."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(System.objects.filter(pk__in=BoardSeat.objects.filter(user=user).values("system_id")))


def own_membership(user) -> PoolMember | None:
    """The signed-in person's current membership, or their latest if they have left."""
    return (
        PoolMember.objects.filter(person=person_of(user))
        .select_related("organisation", "system", "person")
        .order_by("exited_on", "-joined_on")  # the active one (no exit date) sorts first
        .first()
    )


def members_for(user) -> QuerySet[PoolMember]:
    """The pool members the user may see (other than themselves): the lead's region; a board
    member's systems' active, consenting members; nobody for anyone else."""
    if is_talent_lead(user):
        return PoolMember.objects.filter(region=staff_region(user))
    systems = BoardSeat.objects.filter(user=user).values("system_id")
    if getattr(user, "is_authenticated", False):
        return PoolMember.objects.active().filter(system__in=systems, board_consent=True)
    return PoolMember.objects.none()


# What a read of a member's record shows, as the audit entry names it (never the values).
TALENT_RECORD_FIELDS = (
    "talent.readiness",
    "talent.readiness_history",
    "talent.movements",
    "talent.conversations",
)
TALENT_READ_PURPOSE = "Talent pool record"


def member_for(user, pk: int) -> PoolMember:
    """One member's record for someone allowed to see it; the read is audited. Outside scope: 404."""
    member = (
        members_for(user)
        .select_related("person__user", "person__region", "organisation", "system")
        .prefetch_related("target_roles")
        .filter(pk=pk)
        .first()
    )
    if member is None:
        raise Http404
    audit.audit_read(user, member.person, TALENT_RECORD_FIELDS, purpose=TALENT_READ_PURPOSE)
    return member


def readiness_history(member: PoolMember) -> list[ReadinessChange]:
    return list(member.readiness_changes.select_related("decided_by").order_by("-decided_on", "-pk"))


def conversations_for(user, member: PoolMember) -> list[CareerConversation]:
    """The member's career conversations that this user may read: all of them for the member, those
    shared with the talent team for the lead, those shared with the board for a board member."""
    conversations = member.conversations.all()
    if member.person.user_id == user.pk:
        return list(conversations)
    if is_talent_lead(user) and member.region_id == staff_region(user).pk:
        return list(conversations.filter(share_with_lead=True))
    if member.system_id in {s.pk for s in board_systems(user)} and member.board_consent:
        return list(conversations.filter(share_with_board=True))
    return []


def movements_of(member: PoolMember) -> list[CareerMovement]:
    return list(member.movements.select_related("organisation"))


def interests_of(member: PoolMember) -> list[Interest]:
    return list(member.interests.select_related("opportunity__host"))


def target_roles_for(region) -> QuerySet[TargetRole]:
    return TargetRole.objects.filter(Q(region__isnull=True) | Q(region=region))


PAGE_SIZE = 50
OPPORTUNITY_COLUMNS = (
    "id",
    "role",
    "kind",
    "starts_on",
    "ends_on",
    "closes_on",
    "places",
    "host__name",
)


class DateLabels:
    """Dates worded for a page ('7 October 2026'), each distinct date formatted once."""

    def __init__(self) -> None:
        self._seen: dict = {}

    def day(self, value) -> str:
        if value not in self._seen:
            self._seen[value] = nhs_date(value)
        return self._seen[value]


# --- The pool list -----------------------------------------------------------------------------------

POOL_COLUMNS = (
    "id",
    "readiness",
    "readiness_on",
    "professional_group",
    "service_type",
    "current_role",
    "exited_on",
    "person__given_name",
    "person__family_name",
    "organisation__name",
    "system__name",
)


def pool_page(queryset: QuerySet[PoolMember], number) -> Page:
    """A page of the pool: one count, the page's ids in name order, then those rows with only the
    columns shown, each worded for the page here (labels, dates, its link) so the template only stamps
    it. Sorting the ids alone keeps a late page's sort in memory (whole rows spill it to disk)."""
    page = Paginator(queryset.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    found = {
        m.pk: m
        for m in PoolMember.objects.filter(pk__in=ids)
        .select_related("person", "organisation", "system")
        .only(*POOL_COLUMNS)
        .order_by()
    }
    groups, services = (
        dict(PoolMember._meta.get_field("professional_group").choices),
        dict(PoolMember._meta.get_field("service_type").choices),
    )
    dates, url = DateLabels(), reverse("talent:member", args=[0])
    members = [found[pk] for pk in ids if pk in found]
    for member in members:
        member.readiness_label = Readiness(member.readiness).label
        member.readiness_tag_class = READINESS_TAG_CLASSES[member.readiness]
        member.group_label = groups.get(member.professional_group, "")
        member.service_label = services.get(member.service_type, "")
        member.url = row_url(url, member.pk)
        member.role_label = member.current_role + (
            f", {member.organisation.name}" if member.organisation else ""
        )
        member.system_label = member.system.name if member.system else "Region-wide"
        member.decided_label = dates.day(member.readiness_on)
        member.left_label = dates.day(member.exited_on) if member.exited_on else ""
    page.object_list = members
    return page


POOL_CSV_HEADER = [
    "Name",
    "Email",
    "Organisation",
    "System",
    "Professional group",
    "Service type",
    "Current role",
    "Band",
    "Readiness",
    "Readiness decided",
    "Entry route",
    "Joined",
    "Left",
    "Exit reason",
    "Target roles",
]


def pool_csv_rows(members: QuerySet[PoolMember]):
    """The filtered pool as CSV rows from one values() query (target roles gathered by the database)."""
    from django.contrib.postgres.aggregates import StringAgg

    from talent.models import EntryRoute, ExitReason, ProfessionalGroup, ServiceType

    labels = {
        "professional_group": dict(ProfessionalGroup.choices),
        "service_type": dict(ServiceType.choices),
        "readiness": dict(Readiness.choices),
        "entry_route": dict(EntryRoute.choices),
        "exit_reason": dict(ExitReason.choices),
    }
    rows = members.annotate(
        roles=StringAgg("target_roles__name", delimiter="; ", distinct=True, default="")
    ).values_list(
        "person__given_name",
        "person__family_name",
        "person__user__email",
        "organisation__name",
        "system__name",
        "professional_group",
        "service_type",
        "current_role",
        "band",
        "readiness",
        "readiness_on",
        "entry_route",
        "joined_on",
        "exited_on",
        "exit_reason",
        "roles",
    )
    for (
        given,
        family,
        email,
        org,
        system,
        group,
        service,
        role,
        band,
        readiness,
        on,
        route,
        joined,
        left,
        why,
        roles,
    ) in rows.iterator(chunk_size=2000):
        yield [
            f"{given} {family}".strip(),
            email,
            org or "",
            system or "",
            labels["professional_group"].get(group, group),
            labels["service_type"].get(service, service),
            role,
            band,
            labels["readiness"].get(readiness, readiness),
            on.isoformat(),
            labels["entry_route"].get(route, route),
            joined.isoformat(),
            left.isoformat() if left else "",
            labels["exit_reason"].get(why, why),
            roles,
        ]


def board_members_page(visible: QuerySet[PoolMember], number) -> Page:
    """A page (50) of the members a board member may see, by system and name, each worded for the page."""
    rows = (
        visible.select_related("person", "organisation", "system")
        .only(*POOL_COLUMNS)
        .order_by("system__name", "person__family_name", "person__given_name", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(number)
    groups = dict(PoolMember._meta.get_field("professional_group").choices)
    url = reverse("talent:member", args=[0])
    members = list(page.object_list)
    for member in members:
        member.url = row_url(url, member.pk)
        member.role_label = member.current_role + (
            f", {member.organisation.name}" if member.organisation else ""
        )
        member.group_label = groups.get(member.professional_group, "")
        member.readiness_label = Readiness(member.readiness).label
    page.object_list = members
    return page


# --- Opportunities -----------------------------------------------------------------------------------


def opportunities_for_lead(user) -> QuerySet[Opportunity]:
    region = staff_region(user) if is_talent_lead(user) else None
    if region is None:
        return Opportunity.objects.none()
    return (
        Opportunity.objects.filter(region=region)
        .select_related("host")
        .annotate(
            interest_count=Count("interests"),
            shortlisted_count=Count("interests", filter=Q(interests__status="shortlisted")),
            placed_count=Count("interests", filter=Q(interests__status="placed")),
        )
    )


def opportunities_page(user, number) -> Page:
    """A page (50) of the lead's region's opportunities, latest closing first, each worded for the page
    with its interest, shortlisted and placed counts: one count, one page of rows, one grouped count
    of the page's interests."""
    region = staff_region(user) if is_talent_lead(user) else None
    rows = (
        Opportunity.objects.filter(region=region).select_related("host").only(*OPPORTUNITY_COLUMNS)
        if region is not None
        else Opportunity.objects.none()
    )
    page = Paginator(rows.order_by("-closes_on", "pk"), PAGE_SIZE).get_page(number)
    opportunities = list(page.object_list)
    counts = {
        row["opportunity_id"]: row
        for row in Interest.objects.filter(opportunity__in=[o.pk for o in opportunities])
        .values("opportunity_id")
        .order_by()
        .annotate(
            interest_count=Count("pk"),
            shortlisted_count=Count("pk", filter=Q(status="shortlisted")),
            placed_count=Count("pk", filter=Q(status="placed")),
        )
    }
    today, dates, kinds = timezone.localdate(), DateLabels(), dict(OpportunityKind.choices)
    url = reverse("talent:opportunity", args=[0])
    for opportunity in opportunities:
        found = counts.get(opportunity.pk, {})
        opportunity.interest_count = found.get("interest_count", 0)
        opportunity.shortlisted_count = found.get("shortlisted_count", 0)
        opportunity.placed_count = found.get("placed_count", 0)
        opportunity.placed_label = f"{opportunity.placed_count} of {opportunity.places}"
        opportunity.kind_label = kinds.get(opportunity.kind, opportunity.kind)
        opportunity.closes_label = dates.day(opportunity.closes_on) + (
            " (closed)" if opportunity.closes_on < today else ""
        )
        opportunity.url = row_url(url, opportunity.pk)
    page.object_list = opportunities
    return page


def opportunity_for_lead(user, pk: int) -> Opportunity:
    opportunity = opportunities_for_lead(user).filter(pk=pk).first()
    if opportunity is None:
        raise Http404
    return opportunity


def interest_for_lead(user, pk: int) -> Interest:
    region = staff_region(user) if is_talent_lead(user) else None
    interest = (
        Interest.objects.filter(pk=pk, opportunity__region=region).select_related("member__person").first()
        if region is not None
        else None
    )
    if interest is None:
        raise Http404
    return interest


def interests_for(opportunity: Opportunity) -> list[Interest]:
    return list(
        opportunity.interests.select_related("member__person", "member__organisation").order_by(
            "created_at", "pk"
        )
    )


def open_opportunities_page(member: PoolMember | None, number) -> Page | None:
    """A page (50) of the opportunities a member may still express interest in, soonest closing first,
    each worded for the page and marked if they already have: one count, one page of rows, one look at
    which of them the member answered."""
    if member is None or not member.is_active:
        return None
    rows = (
        Opportunity.objects.filter(region=member.region_id, closes_on__gte=timezone.localdate())
        .select_related("host")
        .only(*OPPORTUNITY_COLUMNS)
        .order_by("closes_on", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(number)
    opportunities = list(page.object_list)
    mine = set(
        member.interests.filter(opportunity__in=[o.pk for o in opportunities]).values_list(
            "opportunity_id", flat=True
        )
    )
    dates, kinds = DateLabels(), dict(OpportunityKind.choices)
    url = reverse("talent:interest_new", args=[0])
    for opportunity in opportunities:
        opportunity.already_interested = opportunity.pk in mine
        opportunity.kind_label = kinds.get(opportunity.kind, opportunity.kind)
        opportunity.dates_label = f"{dates.day(opportunity.starts_on)} to {dates.day(opportunity.ends_on)}"
        opportunity.closes_label = dates.day(opportunity.closes_on)
        opportunity.interest_url = row_url(url, opportunity.pk)
    page.object_list = opportunities
    return page


def open_opportunity_for_member(user, pk: int) -> tuple[PoolMember, Opportunity]:
    member = own_membership(user)
    if member is None or not member.is_active:
        raise Http404
    opportunity = Opportunity.objects.filter(pk=pk, region=member.region_id).select_related("host").first()
    if opportunity is None:
        raise Http404
    return member, opportunity


# --- Talent boards and slates ------------------------------------------------------------------------


def slates(*, systems: list[System], visible: QuerySet[PoolMember] | None = None) -> list[dict]:
    """Each system's critical roles with their successors by readiness and the coverage figures
    (roles with at least one, and with two, ready-now successors). `visible` limits the names shown
    (a board member sees only consenting members; the coverage counts every successor).

    Two values() queries (the roles; every active successor with their readiness and name) and, for a
    board member, the ids they may see; each role's row is worded here (label, counts, its successors'
    names and links) for the template to stamp."""
    roles = (
        CriticalRole.objects.filter(system__in=systems)
        .values("pk", "system_id", "organisation__name", "target_role__name")
        .order_by("system__name", "organisation__name", "target_role__name")
    )
    entries = (
        SlateEntry.objects.filter(critical_role__system__in=systems, member__exited_on__isnull=True)
        .values(
            "critical_role_id",
            "member_id",
            "member__readiness",
            "member__person__given_name",
            "member__person__family_name",
        )
        .order_by("pk")
    )
    visible_ids = set(visible.values_list("pk", flat=True)) if visible is not None else None
    by_role: dict[int, list[dict]] = defaultdict(list)
    for entry in entries:
        by_role[entry["critical_role_id"]].append(entry)
    by_system: dict[int, dict] = {
        s.pk: {"system": s, "roles": [], "ready_now_one": 0, "ready_now_two": 0} for s in systems
    }
    url, role_url = reverse("talent:member", args=[0]), reverse("talent:critical_role", args=[0])
    for role in roles:
        found = by_role.get(role["pk"], [])
        counts = dict.fromkeys(Readiness, 0)
        for entry in found:
            counts[entry["member__readiness"]] += 1
        ready_now = counts[Readiness.READY_NOW]
        successors = [
            {
                "member_id": e["member_id"],
                "name": f"{e['member__person__given_name']} {e['member__person__family_name']}".strip(),
                "url": row_url(url, e["member_id"]),
            }
            for e in found
            if visible_ids is None or e["member_id"] in visible_ids
        ]
        summary = by_system[role["system_id"]]
        summary["roles"].append(
            {
                "pk": role["pk"],
                "label": f"{role['target_role__name']}, {role['organisation__name']}",
                "url": row_url(role_url, role["pk"]),  # the role's own page: the talent lead's
                "counts": [counts[r] for r in Readiness],
                "successors": successors,
                "ready_now": ready_now,
            }
        )
        summary["ready_now_one"] += ready_now >= 1
        summary["ready_now_two"] += ready_now >= 2  # noqa: PLR2004 (two successors: the coverage aim)
    return list(by_system.values())


def slate_coverage(systems: list[System]) -> list[dict]:
    """Per system: its critical roles and how many have at least one, and two or more, ready-now
    successors (the dashboard's summary: the talent boards page lists the slates themselves). One
    grouped query: each role with its count of ready-now successors still in the pool."""
    ready_now = Count(
        "slate", filter=Q(slate__member__exited_on__isnull=True, slate__member__readiness=Readiness.READY_NOW)
    )
    coverage = {s.pk: {"system": s, "roles": 0, "ready_now_one": 0, "ready_now_two": 0} for s in systems}
    roles = (
        CriticalRole.objects.filter(system__in=systems)
        .values("pk", "system_id")
        .annotate(ready_now=ready_now)
    )
    for role in roles.order_by():
        row = coverage[role["system_id"]]
        row["roles"] += 1
        row["ready_now_one"] += role["ready_now"] >= 1
        row["ready_now_two"] += role["ready_now"] >= 2  # noqa: PLR2004 (two successors: the coverage aim)
    return list(coverage.values())


def slate_diversity(systems: list[System]) -> list[dict]:
    """Per system: its slates' people by ethnic group and gender beside its latest senior workforce
    figures (band 8c to VSM), as shares."""
    from academy.models import EthnicCategory, Gender

    def people(**which) -> Count:
        """Each person once per system, however many of its slates they are on."""
        return Count("member__person", distinct=True, filter=Q(**which) if which else None)

    tallies = (
        SlateEntry.objects.filter(critical_role__system__in=systems, member__exited_on__isnull=True)
        .values("critical_role__system_id")
        .order_by()
        .annotate(
            people=people(),
            minority_ethnic=people(
                member__person__ethnic_category__in=sorted(EthnicCategory.minority_ethnic())
            ),
            female=people(member__person__gender=Gender.FEMALE),
        )
    )
    counts = {tally.pop("critical_role__system_id"): tally for tally in tallies}
    latest: dict[int, SeniorWorkforce] = {}
    for figures in SeniorWorkforce.objects.filter(system__in=systems).order_by("system_id", "-as_of"):
        latest.setdefault(figures.system_id, figures)
    result = []
    for system in systems:
        tally, workforce = counts.get(system.pk, {"people": 0}), latest.get(system.pk)
        people = tally["people"]
        result.append(
            {
                "system": system,
                "slate_people": people,
                "slate_minority_ethnic": tally["minority_ethnic"] / people if people else None,
                "slate_female": tally["female"] / people if people else None,
                "workforce": workforce,
                "workforce_minority_ethnic": workforce.minority_ethnic / workforce.total
                if workforce and workforce.total
                else None,
                "workforce_female": workforce.female
                / (workforce.female + workforce.male + workforce.gender_other)
                if workforce and (workforce.female + workforce.male + workforce.gender_other)
                else None,
            }
        )
    return result


def recent_movements(user, limit: int = 10) -> list[CareerMovement]:
    return list(
        CareerMovement.objects.filter(member__in=members_for(user).values("pk"))
        .select_related("member__person", "organisation")
        .order_by("-moved_on", "-pk")[:limit]
    )


def centres_for_lead(user) -> QuerySet[AssessmentCentre]:
    region = staff_region(user) if is_talent_lead(user) else None
    if region is None:
        return AssessmentCentre.objects.none()
    return AssessmentCentre.objects.filter(region=region).annotate(
        booked=Count(
            "bookings", filter=Q(bookings__status__in=[BookingStatus.BOOKED, BookingStatus.ATTENDED])
        ),
        nominated=Count("bookings"),
    )


def bookings_of(centre: AssessmentCentre) -> list[CentreBooking]:
    return list(centre.bookings.select_related("person"))


def centre_for_lead(user, pk: int) -> AssessmentCentre:
    """One of the region's centres, with its counts and assessors, for its talent lead; else 404."""
    centre = centres_for_lead(user).filter(pk=pk).prefetch_related("assessors").first()
    if centre is None:
        raise Http404
    return centre


def centre_bookings(centre: AssessmentCentre) -> list[CentreBooking]:
    """A centre's nominations and bookings, each with how many ratings it has (one query)."""
    return list(
        centre.bookings.select_related("person", "person__organisation").annotate(
            rating_count=Count("ratings")
        )
    )


def booking_for_lead(user, pk: int) -> CentreBooking:
    region = staff_region(user) if is_talent_lead(user) else None
    booking = (
        CentreBooking.objects.filter(centre__region=region, pk=pk).select_related("centre", "person").first()
        if region is not None
        else None
    )
    if booking is None:
        raise Http404
    return booking


def is_assessor(user) -> bool:
    """Whether the person assesses at any centre: the home page offers "Centres I assess" only then."""
    return AssessmentCentre.objects.filter(assessors__user=user).exists()


def has_centre_bookings(user) -> bool:
    """Whether the person was ever nominated for or booked on a centre: the home page offers "My
    assessment centres" only then."""
    return CentreBooking.objects.filter(person__user=user).exists()


def centres_assessed_by(user) -> list[AssessmentCentre]:
    """The centres the signed-in person assesses, with their booked people."""
    if not getattr(user, "is_authenticated", False):
        return []
    taking = [BookingStatus.BOOKED, BookingStatus.ATTENDED]
    return list(
        AssessmentCentre.objects.filter(assessors=person_of(user)).prefetch_related(
            Prefetch(
                "bookings",
                queryset=CentreBooking.objects.filter(status__in=taking).select_related("person"),
                to_attr="taking_places",
            )
        )
    )


def booking_for_rater(user, pk: int) -> tuple[CentreBooking, list, bool]:
    """A booking someone may rate, whom they may rate it as, and whether they are its talent lead:
    an assessor of its centre rates as themselves; the region's talent lead records any of the
    centre's assessors' ratings. Else 404."""
    booking = CentreBooking.objects.filter(pk=pk).select_related("centre", "person").first()
    if booking is None or not getattr(user, "is_authenticated", False):
        raise Http404
    assessors = list(booking.centre.assessors.all())
    if is_talent_lead(user) and booking.centre.region_id == staff_region(user).pk:
        return booking, assessors, True
    me = person_of(user)
    if me in assessors:
        return booking, [me], False
    raise Http404


def ratings_of(booking: CentreBooking) -> list:
    return list(booking.ratings.select_related("assessor").order_by("exercise", "domain", "pk"))


def own_bookings(user) -> list[CentreBooking]:
    """The signed-in person's own nominations and bookings, newest centre first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        CentreBooking.objects.filter(person=person_of(user))
        .select_related("centre")
        .order_by("-centre__held_on", "pk")
    )


def own_feedback(user, pk: int) -> tuple[CentreBooking, list[dict]]:
    """The person's own assessed booking and its feedback by domain (the mean of every assessor's
    scores on every exercise, and each exercise's score); anyone else's, or one not yet assessed: 404."""
    booking = (
        CentreBooking.objects.filter(pk=pk, person=person_of(user), status=BookingStatus.ATTENDED)
        .select_related("centre", "person")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if booking is None:
        raise Http404
    by_domain: dict[str, list] = defaultdict(list)
    for rating in booking.ratings.order_by("exercise", "pk"):
        by_domain[rating.domain].append(rating)
    domains = []
    for domain in CompetencyDomain:
        ratings = by_domain.get(domain.value, [])
        domains.append(
            {
                "name": domain.label,
                "ratings": ratings,
                "mean": round(sum(r.score for r in ratings) / len(ratings), 1) if ratings else None,
            }
        )
    return booking, domains


# --- The talent lead's board pages ---------------------------------------------------------------------


def lead_systems(user) -> QuerySet[System]:
    """The systems of the talent lead's region (none for anyone else)."""
    region = staff_region(user) if is_talent_lead(user) else None
    return (
        System.objects.filter(sub_region__region=region).order_by("name") if region else System.objects.none()
    )


def board_seats_of(systems) -> list[BoardSeat]:
    return list(
        BoardSeat.objects.filter(system__in=systems)
        .select_related("user__person", "system")
        .order_by("system__name", "user__email")
    )


def critical_role_for_lead(user, pk: int) -> CriticalRole:
    role = (
        CriticalRole.objects.filter(system__in=lead_systems(user), pk=pk)
        .select_related("organisation", "target_role", "system")
        .first()
    )
    if role is None:
        raise Http404
    return role


def slate_of(role: CriticalRole) -> list[SlateEntry]:
    return list(role.slate.select_related("member__person").order_by("member__person__family_name", "pk"))


def slate_entry_for_lead(user, pk: int) -> SlateEntry:
    entry = (
        SlateEntry.objects.filter(critical_role__system__in=lead_systems(user), pk=pk)
        .select_related("critical_role__organisation", "member__person")
        .first()
    )
    if entry is None:
        raise Http404
    return entry


# --- The Year in Review ------------------------------------------------------------------------------


def talent_chapter_figures(scope: Scope) -> dict:
    """The talent chapter's published figures for a report's scope (period, region, system)."""
    from talent.figures import talent_chapter

    return talent_chapter(scope)


FIRST_YEAR = 2019  # the first NHS year the dashboard offers (the Midlands pool's records start then)


def dashboard_years() -> list[str]:
    """The NHS years the lead's dashboard offers, latest first."""
    from academy.scope import nhs_year_label

    current = int(nhs_year_label(timezone.localdate())[:4])
    return [f"{year}/{(year + 1) % 100:02d}" for year in range(current, FIRST_YEAR - 1, -1)]


def lead_scope(user, year: str | None = None) -> Scope:
    """The dashboard's scope: the lead's region over an NHS year (by default this one, to date)."""
    from academy.scope import nhs_year_period

    years = dashboard_years()
    start, end = nhs_year_period(year if year in years else years[0])
    return Scope(staff_region(user), start, min(end, timezone.localdate()))
