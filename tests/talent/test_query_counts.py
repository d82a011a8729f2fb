"""Every talent page runs a fixed number of queries, however many members, decisions, movements,
slates and interests there are: each page is measured on a pool large enough to show an N+1."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academy import audit
from talent import services
from talent.models import (
    CareerMovement,
    MovementKind,
    OpportunityKind,
    ProfessionalGroup,
    Readiness,
    ServiceType,
    SlateEntry,
    TargetRole,
)
from tests.factories import CPDEventFactory, PersonFactory
from tests.talent.conftest import add_member

READINESSES = list(Readiness)
GROUPS = list(ProfessionalGroup)
SERVICES = list(ServiceType)


@pytest.fixture
def big_pool(midlands, talent_lead, member, board_person):
    """60 members in two systems, each with two decisions, a movement, a slate place and an interest."""
    lead = talent_lead.user
    today = timezone.localdate()
    opportunity = services.opportunity_create(
        region=midlands["region"],
        role="Director of Finance (secondment)",
        host=midlands["south_trust"],
        kind=OpportunityKind.SECONDMENT,
        starts_on=today + dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=200),
        closes_on=today + dt.timedelta(days=20),
        actor=lead,
    )
    roles = [
        services.critical_role_create(organisation=midlands[trust], target_role=role, actor=lead)
        for trust in ("north_trust", "south_trust")
        for role in TargetRole.objects.filter(is_board_role=True)[:3]
    ]
    members = [member]
    for n in range(59):
        trust = midlands["north_trust" if n % 2 else "south_trust"]
        person = PersonFactory(organisation=trust)
        m = add_member(
            person,
            actor=lead,
            readiness=READINESSES[n % 3],
            group=GROUPS[n % len(GROUPS)],
            service=SERVICES[n % len(SERVICES)],
        )
        services.readiness_change(member=m, readiness=READINESSES[(n + 1) % 3], evidence="Review", actor=lead)
        CareerMovement.objects.create(
            member=m,
            role="Deputy director",
            organisation=trust,
            moved_on=today - dt.timedelta(days=n),
            kind=MovementKind.PROMOTION,
        )
        services.member_set_board_consent(member=m, board_consent=True, actor=person.user)
        SlateEntry.objects.create(critical_role=roles[n % len(roles)], member=m)
        services.interest_express(
            opportunity=opportunity, member=m, statement="Interested", actor=person.user
        )
        members.append(m)
    for role in ("Director of Strategy (stretch)", "Chief Digital Officer (secondment)"):
        services.opportunity_create(
            region=midlands["region"],
            role=role,
            host=midlands["north_trust"],
            kind=OpportunityKind.STRETCH,
            starts_on=today + dt.timedelta(days=60),
            ends_on=today + dt.timedelta(days=90),
            closes_on=today + dt.timedelta(days=30),
            actor=lead,
        )
    return {"members": members, "opportunity": opportunity, "roles": roles}


def test_the_dashboard(lead_client, big_pool, django_assert_max_num_queries):
    # session, user, groups, person, region; session saved; systems; the pool by readiness, and by readiness
    # and group, system, service (one statement); movements (aggregate), placements; the funnel; slates'
    # coverage; slate diversity: people, senior workforce; latest movements; the data's version, the
    # cache's look-up and write (count, savepoint, select, insert, release).
    cache.clear()
    with django_assert_max_num_queries(22):
        response = lead_client.get(reverse("talent:dashboard"))
    assert response.status_code == 200
    assert len(response.context["slates"]) == 2
    # Again, the data unchanged: the chapter's figures (their tables, and the charts' addresses) and the
    # slates come from the cache (the data's version and the look-up), not from the pool, movements,
    # placements, funnel and slate queries.
    with django_assert_max_num_queries(11):
        again = lead_client.get(reverse("talent:dashboard"))
    assert again.context["talent"]["pool"]["by_readiness"].total.value == len(big_pool["members"])
    assert again.context["slates"] == response.context["slates"]
    # Reading a member's record is audited but changes no data: the figures stay kept.
    assert lead_client.get(reverse("talent:member", args=[big_pool["members"][0].pk])).status_code == 200
    with django_assert_max_num_queries(11):
        lead_client.get(reverse("talent:dashboard"))
    # Nor does a change elsewhere in the portal: a CPD event logged and audited.
    event = CPDEventFactory(region=big_pool["members"][0].region)
    audit.record(None, "cpd.create", event, region=event.region)
    with django_assert_max_num_queries(11):
        lead_client.get(reverse("talent:dashboard"))
    # The charts the browser asks for after the page find its figures kept: the request's own queries, the
    # data's version and the look-up.
    with django_assert_max_num_queries(8):
        assert lead_client.get(reverse("talent:chart", args=["system"])).status_code == 200
    # The figures' part of the page, kept in the cache as text, is the same markup as on the first visit.
    assert "<h2>The equity funnel</h2>" in again.content.decode()
    assert again.content.decode().count('<figure class="academy-chart">') == 3


def test_the_pool(lead_client, big_pool, django_assert_max_num_queries):
    # session, user, groups, person, region; session saved; the filter's systems and target roles; count; the page's rows.
    with django_assert_max_num_queries(12):
        response = lead_client.get(reverse("talent:pool"))
    assert len(response.context["page"].object_list) == 50


def test_a_members_record(lead_client, big_pool, django_assert_max_num_queries):
    member = big_pool["members"][5]
    # session, user, groups, person, region; session saved; the member with person, organisation, system; target roles;
    # the audit entry (content type, insert); history; movements; conversations; interests.
    with django_assert_max_num_queries(15):
        response = lead_client.get(reverse("talent:member", args=[member.pk]))
    assert response.status_code == 200


def test_the_members_own_page(member_client, big_pool, django_assert_max_num_queries):
    # session, user, groups, person, region; session saved; membership; target roles; history; movements; conversations;
    # interests; open opportunities and which they answered.
    with django_assert_max_num_queries(16):
        response = member_client.get(reverse("talent:mine"))
    assert response.status_code == 200


def test_the_board_page(board_client, big_pool, django_assert_max_num_queries):
    # session, user, groups, session saved; seats; members; slates: roles, entries, visible ids; diversity: people,
    # workforce.
    with django_assert_max_num_queries(14):
        response = board_client.get(reverse("talent:board"))
    assert len(response.context["members"]) == 29  # the northern system's consenting members


def test_the_opportunities(lead_client, big_pool, django_assert_max_num_queries):
    # session, user, groups, person, region; session saved; opportunities with their interest counts
    # (one grouped query); then the opportunity, and its interests with members.
    with django_assert_max_num_queries(9):
        response = lead_client.get(reverse("talent:opportunities"))
    assert len(response.context["opportunities"]) == 3
    with django_assert_max_num_queries(10):
        response = lead_client.get(reverse("talent:opportunity", args=[big_pool["opportunity"].pk]))
    assert len(response.context["interests"]) == 59


# --- The same number of queries for 3 rows and for 30 --------------------------------------------------


def grow(world: dict, rows: int) -> None:
    """`rows` more of everything each page lists: members (each with a decision, a movement, a slate
    place, consent and an interest), opportunities, and on the signed-in member's own record a decision,
    a movement, a conversation shared with both, an interest and a closed-to-them open opportunity."""
    midlands, lead, me = world["midlands"], world["lead"], world["member"]
    today = timezone.localdate()
    for _ in range(rows):
        n = world["made"] = world.get("made", 0) + 1
        trust = midlands["north_trust" if n % 2 else "south_trust"]
        person = PersonFactory(organisation=trust)
        m = add_member(person, actor=lead, readiness=READINESSES[n % 3], group=GROUPS[n % len(GROUPS)])
        services.readiness_change(member=m, readiness=READINESSES[(n + 1) % 3], evidence="Review", actor=lead)
        CareerMovement.objects.create(
            member=m, role="Deputy director", organisation=trust, moved_on=today, kind=MovementKind.PROMOTION
        )
        services.member_set_board_consent(member=m, board_consent=True, actor=person.user)
        SlateEntry.objects.create(critical_role=world["roles"][n % len(world["roles"])], member=m)
        opportunity = services.opportunity_create(
            region=midlands["region"],
            role=f"Director {n} (secondment)",
            host=trust,
            kind=OpportunityKind.SECONDMENT,
            starts_on=today + dt.timedelta(days=60),
            ends_on=today + dt.timedelta(days=200),
            closes_on=today + dt.timedelta(days=20 + n),
            actor=lead,
        )
        services.interest_express(
            opportunity=world["opportunity"] or opportunity,
            member=m,
            statement="Interested",
            actor=person.user,
        )
        world["opportunity"] = world["opportunity"] or opportunity
        services.readiness_change(member=me, readiness=READINESSES[n % 3], evidence="Review", actor=lead)
        CareerMovement.objects.create(
            member=me,
            role=f"Role {n}",
            organisation=trust,
            moved_on=today - dt.timedelta(days=n),
            kind=MovementKind.APPOINTMENT,
        )
        services.conversation_record(
            member=me,
            aspirations="Board role",
            own_readiness=Readiness.READY_SOON,
            share_with_lead=True,
            share_with_board=True,
            actor=me.person.user,
        )
        if n % 2:
            services.interest_express(
                opportunity=opportunity, member=me, statement="Interested", actor=me.person.user
            )


@pytest.fixture
def world(midlands, talent_lead, member, board_person):
    lead = talent_lead.user
    services.member_set_board_consent(member=member, board_consent=True, actor=member.person.user)
    roles = [
        services.critical_role_create(organisation=midlands[trust], target_role=role, actor=lead)
        for trust in ("north_trust", "south_trust")
        for role in TargetRole.objects.filter(is_board_role=True)[:3]
    ]
    return {"midlands": midlands, "lead": lead, "member": member, "roles": roles, "opportunity": None}


# Each page's queries, whatever the number of rows: the request's own (session, the user with their
# person, groups, region, session saved) and then the page's, named beside each.
PAGES = {
    # systems; the pool by readiness, and by readiness and group, system, service (one statement);
    # movements, placements; the funnel; slates' coverage; diversity: people, workforce; latest
    # movements; the data's version (the cache itself is in memory here: in the database, or in Redis,
    # its look-up and write add their own).
    "dashboard": ("lead", lambda w: reverse("talent:dashboard"), 16),
    # a readiness chart: the dashboard's figures as above, without its latest movements (the cache is
    # emptied before each request here: after the page, the chart finds them kept).
    "chart": ("lead", lambda w: reverse("talent:chart", args=["system"]), 15),
    # the filter's systems and target roles; the count; the page's ids; their rows.
    "pool": ("lead", lambda w: reverse("talent:pool"), 11),
    # the member with person, organisation, system; target roles; the audit entry (content type, insert);
    # history; movements; conversations; interests.
    "member": ("lead", lambda w: reverse("talent:member", args=[w["member"].pk]), 13),
    # the count; the page's opportunities; their interest counts (one grouped query).
    "opportunities": ("lead", lambda w: reverse("talent:opportunities"), 9),
    # the opportunity with its counts; its interests with members.
    "opportunity": ("lead", lambda w: reverse("talent:opportunity", args=[w["opportunity"].pk]), 8),
    # membership; target roles; history; movements; conversations; interests; open opportunities:
    # the count, the page, which of them the member answered.
    "mine": ("member", lambda w: reverse("talent:mine"), 15),
    # seats; the members: count, page; slates: roles, entries, visible ids; diversity: people, workforce.
    "board": ("board", lambda w: reverse("talent:board"), 14),
    # the region's systems; slates: entries, roles; diversity: people, workforce; board seats.
    "boards": ("lead", lambda w: reverse("talent:boards"), 12),
    # the role with its organisation and system; its slate's entries with their members.
    "critical_role": ("lead", lambda w: reverse("talent:critical_role", args=[w["roles"][0].pk]), 8),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_each_page_runs_the_same_queries_for_3_rows_and_for_30(
    page, world, lead_client, member_client, board_client, django_assert_num_queries, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    who, url, expected = PAGES[page]
    client = {"lead": lead_client, "member": member_client, "board": board_client}[who]
    grow(world, 3)
    assert client.get(url(world)).status_code == 200  # the first request (sign-in's own queries)
    cache.clear()  # the dashboard's figures worked out each time, not read from the cache
    with CaptureQueriesContext(connection) as three:
        response = client.get(url(world))
    assert response.status_code == 200
    grow(world, 27)
    cache.clear()
    with django_assert_num_queries(len(three)):  # 30 rows: the same queries as 3
        response = client.get(url(world))
    assert response.status_code == 200
    assert len(three) == expected, [q["sql"][:90] for q in three.captured_queries]
