"""The talent lead's board pages: critical roles and their slates, the senior workforce figures, and
granting a board seat (with the talent board role), each audited; another region's lead gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from academy.models import AuditEntry, Role, RoleGrant
from talent import services
from talent.models import BoardSeat, CriticalRole, Readiness, SeniorWorkforce, SlateEntry, TargetRole
from tests.conftest import make_person, signed_in_client
from tests.factories import date_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief_executive(db):
    return TargetRole.objects.get(name="Chief executive", region__isnull=True)


@pytest.fixture
def critical(midlands, talent_lead, chief_executive):
    return services.critical_role_create(
        organisation=midlands["north_trust"], target_role=chief_executive, actor=talent_lead.user
    )


def test_the_lead_adds_a_critical_role_once(lead_client, midlands, chief_executive):
    data = {"organisation": midlands["north_trust"].pk, "target_role": chief_executive.pk}
    response = lead_client.post(reverse("talent:critical_role_new"), data)
    role = CriticalRole.objects.get()
    assert response.status_code == 302 and role.system == midlands["north"]
    response = lead_client.post(reverse("talent:critical_role_new"), data)
    assert response.status_code == 200 and "already a critical role" in response.content.decode()
    assert AuditEntry.objects.filter(action="talent.critical_role.create").count() == 1


def test_an_organisation_of_another_region_cannot_be_chosen(lead_client, other_lead, chief_executive):
    response = lead_client.post(
        reverse("talent:critical_role_new"),
        {"organisation": other_lead.organisation.pk, "target_role": chief_executive.pk},
    )
    assert response.status_code == 200 and not CriticalRole.objects.exists()


def test_the_slate_takes_active_members_of_the_region_by_email(lead_client, critical, member, south_member):
    url = reverse("talent:critical_role", args=[critical.pk])
    assert lead_client.post(url, {"email": member.person.user.email.upper()}).status_code == 302
    response = lead_client.post(url, {"email": "nobody@nhs.net"})
    assert response.status_code == 200 and "No one still in the region" in response.content.decode()
    page = lead_client.get(url).content.decode()
    assert member.person.full_name in page
    entry = SlateEntry.objects.get()
    assert lead_client.post(reverse("talent:slate_remove", args=[entry.pk])).status_code == 302
    assert not SlateEntry.objects.exists()
    assert AuditEntry.objects.filter(action__in=["talent.slate.add", "talent.slate.remove"]).count() == 2


def test_senior_workforce_figures_must_count_the_same_people(lead_client, midlands):
    data = {
        "system": midlands["north"].pk,
        **date_input("as_of", dt.date(2021, 3, 31)),
        "white": "80",
        "minority_ethnic": "15",
        "ethnicity_not_stated": "5",
        "female": "50",
        "male": "45",
        "gender_other": "4",
    }
    response = lead_client.post(reverse("talent:workforce_new"), data)
    assert response.status_code == 200 and "add up to 100" in response.content.decode()
    assert not SeniorWorkforce.objects.exists()
    data["gender_other"] = "5"
    assert lead_client.post(reverse("talent:workforce_new"), data).status_code == 302
    figures = SeniorWorkforce.objects.get()
    assert (figures.minority_ethnic, figures.female) == (15, 50)
    data["minority_ethnic"], data["white"] = "20", "75"
    lead_client.post(reverse("talent:workforce_new"), data)
    figures.refresh_from_db()
    assert SeniorWorkforce.objects.count() == 1 and figures.minority_ethnic == 20
    assert AuditEntry.objects.filter(action="talent.senior_workforce.record").count() == 2


def test_granting_a_seat_gives_the_board_role_and_the_board_page(lead_client, midlands, member):
    director = make_person(organisation=midlands["north_trust"])
    response = lead_client.post(
        reverse("talent:seat_new"), {"email": director.user.email, "system": midlands["north"].pk}
    )
    assert response.status_code == 302
    assert BoardSeat.objects.filter(user=director.user, system=midlands["north"]).exists()
    assert RoleGrant.objects.filter(
        user=director.user, role=Role.TALENT_BOARD, region=midlands["region"]
    ).exists()
    assert AuditEntry.objects.filter(action__in=["talent.board_seat.grant", "role.grant"]).count() == 2
    # The board role is a staff-type role: the new board member is first asked to set up MFA.
    response = signed_in_client(director).get(reverse("talent:board"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/totp/activate")
    response = lead_client.post(
        reverse("talent:seat_new"), {"email": director.user.email, "system": midlands["north"].pk}
    )
    assert response.status_code == 200 and "already sits" in response.content.decode()
    boards = lead_client.get(reverse("talent:boards")).content.decode()
    assert director.full_name in boards


def test_a_seat_is_only_for_someone_of_the_region(lead_client, midlands, other_lead):
    response = lead_client.post(
        reverse("talent:seat_new"), {"email": other_lead.user.email, "system": midlands["north"].pk}
    )
    assert response.status_code == 200 and not BoardSeat.objects.exists()


def test_the_board_pages_are_the_talent_leads_of_the_region(
    critical, member, talent_lead, other_lead, participant
):
    entry = services.slate_add(critical_role=critical, member=member, actor=talent_lead.user)
    pages = [
        reverse("talent:boards"),
        reverse("talent:critical_role_new"),
        reverse("talent:critical_role", args=[critical.pk]),
        reverse("talent:workforce_new"),
        reverse("talent:seat_new"),
    ]
    for url in pages:
        assert signed_in_client(participant).get(url).status_code == 403, url
    other = signed_in_client(other_lead)
    assert other.get(reverse("talent:critical_role", args=[critical.pk])).status_code == 404
    assert other.post(reverse("talent:slate_remove", args=[entry.pk])).status_code == 404
    assert SlateEntry.objects.exists()


def test_a_board_member_reads_a_role_without_the_leads_link(board_client, critical):
    """The role's own page is the talent lead's: the board page names the role without linking to it,
    and says "None shown" where it names no successor."""
    page = board_client.get(reverse("talent:board")).content.decode()
    assert "Chief executive, " in page and "None shown" in page and "None yet" not in page
    assert reverse("talent:critical_role", args=[critical.pk]) not in page


def test_the_boards_page_takes_a_fixed_number_of_queries(
    lead_client, midlands, talent_lead, chief_executive, django_assert_max_num_queries
):
    from tests.factories import OrganisationFactory

    for number in range(12):
        organisation = OrganisationFactory(system=midlands["north"], name=f"Trust {number}")
        services.critical_role_create(
            organisation=organisation, target_role=chief_executive, actor=talent_lead.user
        )
    # session, user, role grants (x2), systems, critical roles + their slates, slate diversity (2),
    # board seats, + the page's furniture
    with django_assert_max_num_queries(14):
        response = lead_client.get(reverse("talent:boards"))
    page = response.content.decode()
    assert page.count("Chief executive, Trust") == 12
    # Each role links to its own page, where its slate is kept; none has a successor yet.
    role = CriticalRole.objects.get(organisation__name="Trust 0")
    assert f'href="{reverse("talent:critical_role", args=[role.pk])}"' in page
    assert page.count("None yet") == 12


def test_the_dashboard_counts_the_roles_with_one_and_two_ready_now_successors(
    lead_client, midlands, talent_lead, chief_executive, critical
):
    from tests.talent.conftest import add_member

    finance = TargetRole.objects.get(name="Director of finance", region__isnull=True)
    second = services.critical_role_create(
        organisation=midlands["north_trust"], target_role=finance, actor=talent_lead.user
    )
    services.critical_role_create(
        organisation=midlands["south_trust"], target_role=finance, actor=talent_lead.user
    )

    def successor(role, readiness):
        member = add_member(
            make_person(organisation=midlands["north_trust"]), actor=talent_lead.user, readiness=readiness
        )
        services.slate_add(critical_role=role, member=member, actor=talent_lead.user)
        return member

    successor(critical, Readiness.READY_NOW)
    successor(critical, Readiness.READY_NOW)
    successor(second, Readiness.READY_NOW)
    successor(second, Readiness.READY_SOON)  # not ready now: the second role has one
    gone = successor(second, Readiness.READY_NOW)
    services.member_exit(member=gone, reason="withdrew", actor=talent_lead.user)  # off the slate's count
    coverage = {c["system"]: c for c in lead_client.get(reverse("talent:dashboard")).context["slates"]}
    north, south = coverage[midlands["north"]], coverage[midlands["south"]]
    assert (north["roles"], north["ready_now_one"], north["ready_now_two"]) == (2, 2, 1)
    assert (south["roles"], south["ready_now_one"], south["ready_now_two"]) == (1, 0, 0)
