"""Access to every talent page per persona, the audit of every read of another person's record, and
the pages' actions through the test client."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, Role
from talent import services
from talent.models import OpportunityKind, Readiness
from tests.conftest import make_person, signed_in_client
from tests.factories import date_input

LEAD_PAGES = ["talent:dashboard", "talent:pool", "talent:opportunities", "talent:opportunity_new"]


@pytest.mark.parametrize("name", LEAD_PAGES)
def test_lead_pages_open_for_the_talent_lead(lead_client, member, name):
    assert lead_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", LEAD_PAGES)
@pytest.mark.parametrize(
    "roles",
    [(), (Role.PROGRAMME_STAFF,), (Role.COACH,), (Role.LEAD,), (Role.GMTS_MANAGER,), (Role.TALENT_BOARD,)],
)
def test_lead_pages_are_refused_to_everyone_else(midlands, member, name, roles):
    client = signed_in_client(make_person(*roles, organisation=midlands["north_trust"]))
    assert client.get(reverse(name)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, member):
    for name in [*LEAD_PAGES, "talent:mine", "talent:board"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_lead_reads_a_members_record_and_the_read_is_audited(lead_client, member, talent_lead):
    response = lead_client.get(reverse("talent:member", args=[member.pk]))
    assert response.status_code == 200
    assert member.person.full_name in response.content.decode()
    entry = AuditEntry.objects.get(action="person.read_special")
    assert (entry.actor, entry.target_id) == (talent_lead.user, str(member.person.pk))
    assert (
        entry.data["purpose"] == "Talent pool record" and "talent.readiness_history" in entry.data["fields"]
    )


@pytest.mark.parametrize(
    "roles", [(), (Role.PROGRAMME_STAFF,), (Role.COACH,), (Role.LEAD,), (Role.GMTS_MANAGER,)]
)
def test_nobody_else_can_read_a_members_record(midlands, member, roles):
    client = signed_in_client(make_person(*roles, organisation=midlands["north_trust"]))
    assert client.get(reverse("talent:member", args=[member.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="person.read_special").exists()


def test_another_regions_lead_gets_404(other_lead, member):
    client = signed_in_client(other_lead)
    assert client.get(reverse("talent:member", args=[member.pk])).status_code == 404
    assert member.person.full_name not in client.get(reverse("talent:pool")).content.decode()


def test_a_member_cannot_read_another_members_record(member_client, south_member):
    assert member_client.get(reverse("talent:member", args=[south_member.pk])).status_code == 404


def test_the_member_sees_their_own_record_without_an_audited_read(member_client, member):
    response = member_client.get(reverse("talent:mine"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ready soon" in body and "Aspire Together assessment centre, March 2020." in body
    assert not AuditEntry.objects.filter(action="person.read_special").exists()


def test_someone_outside_the_pool_is_told_how_to_join(participant):
    response = signed_in_client(participant).get(reverse("talent:mine"))
    assert "not in the region's talent pool" in response.content.decode()


def test_a_board_member_sees_only_their_systems_consenting_members(board_client, member, south_member):
    # Not yet consented: not listed, and the record answers 404.
    assert member.person.full_name not in board_client.get(reverse("talent:board")).content.decode()
    assert board_client.get(reverse("talent:member", args=[member.pk])).status_code == 404
    services.member_set_board_consent(member=member, board_consent=True, actor=member.person.user)
    services.member_set_board_consent(member=south_member, board_consent=True, actor=south_member.person.user)
    body = board_client.get(reverse("talent:board")).content.decode()
    assert member.person.full_name in body and south_member.person.full_name not in body
    assert board_client.get(reverse("talent:member", args=[member.pk])).status_code == 200
    assert board_client.get(reverse("talent:member", args=[south_member.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="person.read_special").count() == 1


def test_the_board_page_needs_a_seat(midlands):
    client = signed_in_client(make_person(Role.TALENT_BOARD, organisation=midlands["north_trust"]))
    assert client.get(reverse("talent:board")).status_code == 403


def test_career_conversations_are_shown_only_as_the_member_shared_them(
    member, member_client, lead_client, board_client
):
    services.member_set_board_consent(member=member, board_consent=True, actor=member.person.user)
    for text, lead, board in [
        ("Private hopes", False, False),
        ("For the team", True, False),
        ("For the board", False, True),
    ]:
        services.conversation_record(
            member=member,
            aspirations=text,
            own_readiness=Readiness.READY_SOON,
            share_with_lead=lead,
            share_with_board=board,
            actor=member.person.user,
        )
    url = reverse("talent:member", args=[member.pk])
    lead_page, board_page = lead_client.get(url).content.decode(), board_client.get(url).content.decode()
    own_page = member_client.get(reverse("talent:mine")).content.decode()
    assert all(t in own_page for t in ("Private hopes", "For the team", "For the board"))
    assert (
        "For the team" in lead_page and "Private hopes" not in lead_page and "For the board" not in lead_page
    )
    assert (
        "For the board" in board_page
        and "Private hopes" not in board_page
        and "For the team" not in board_page
    )


def test_the_lead_changes_readiness_with_evidence(lead_client, member):
    url = reverse("talent:readiness", args=[member.pk])
    today = timezone.localdate()
    refused = lead_client.post(
        url, {"readiness": "ready_now", "evidence": "", **date_input("decided_on", today)}
    )
    assert refused.status_code == 200 and "nhsuk-error-summary" in refused.content.decode()
    member.refresh_from_db()
    assert member.readiness == Readiness.READY_SOON
    response = lead_client.post(
        url, {"readiness": "ready_now", "evidence": "Talent review panel.", **date_input("decided_on", today)}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.readiness == Readiness.READY_NOW and member.readiness_changes.count() == 2


def test_the_pool_downloads_as_csv(lead_client, member, south_member):
    response = lead_client.get(reverse("talent:pool"), {"format": "csv", "readiness": "ready_now"})
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("Name,Email,Organisation")
    assert south_member.person.user.email in body and member.person.user.email not in body


def test_the_dashboard_tables_download_as_csv(lead_client, member):
    response = lead_client.get(reverse("talent:table_download", args=["talent-readiness-by-service-type"]))
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert rows[0] == "Group,Ready now,Ready soon,Not yet ready,Total"
    assert lead_client.get(reverse("talent:table_download", args=["nope"])).status_code == 404


def test_the_dashboard_names_its_charts_and_the_browser_fetches_them(lead_client, member, member_client):
    page = lead_client.get(reverse("talent:dashboard"), {"year": "2020/21"}).content.decode()
    addresses = re.findall(r'<img class="academy-chart__image" src="([^"]+)"', page)
    assert [a.split("?")[0] for a in addresses] == [
        reverse("talent:chart", args=[key]) for key in ("professional_group", "system", "service_type")
    ]
    assert "data:image" not in page  # the page draws nothing itself
    address = html.unescape(addresses[1])
    assert "year=2020%2F21" in address
    response = lead_client.get(address)
    svg = response.content.decode()
    assert response["Content-Type"] == "image/svg+xml"
    assert svg.startswith("<svg") and '<title id="chart-' in svg and "Readiness by ICS" in svg
    assert "private" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    # Named with figures it no longer shows: today's chart, kept nowhere.
    stale = lead_client.get(address.replace("&v=", "&v=0"))
    assert stale.content == response.content and "no-store" in stale["Cache-Control"]
    assert lead_client.get(reverse("talent:chart", args=["nope"])).status_code == 404
    assert member_client.get(address).status_code in (403, 404)


def test_a_member_expresses_interest_and_is_refused_after_closing(
    member_client, member, talent_lead, midlands
):
    today = timezone.localdate()
    opportunity = services.opportunity_create(
        region=midlands["region"],
        role="Director of Strategy",
        host=midlands["south_trust"],
        kind=OpportunityKind.STRETCH,
        starts_on=today + dt.timedelta(days=40),
        ends_on=today + dt.timedelta(days=100),
        closes_on=today,
        actor=talent_lead.user,
    )
    url = reverse("talent:interest_new", args=[opportunity.pk])
    assert member_client.post(url, {"statement": "Strategy is my field."}).status_code == 302
    assert opportunity.interests.count() == 1
    opportunity.closes_on = today - dt.timedelta(days=1)
    opportunity.save(update_fields=["closes_on"])
    opportunity.interests.all().delete()
    response = member_client.post(url, {"statement": "Again."})
    assert response.status_code == 200 and "closed on" in response.content.decode()


def test_the_dashboard_shows_a_past_nhs_year_as_it_was(lead_client, member):
    response = lead_client.get(reverse("talent:dashboard"), {"year": "2019/20"})
    assert response.context["scope"].end == dt.date(2020, 3, 31)
    assert response.context["talent"]["pool"]["by_readiness"].total.value == 0  # joined in June 2020
    response = lead_client.get(reverse("talent:dashboard"), {"year": "2020/21"})
    assert response.context["scope"].end == dt.date(2021, 3, 31)
    assert response.context["talent"]["pool"]["by_readiness"].total.suppressed  # one member: hidden
    assert (
        lead_client.get(reverse("talent:dashboard"), {"year": "1999/00"}).context["scope"].end
        == timezone.localdate()
    )


def test_the_lead_records_that_a_member_left(lead_client, member):
    url = reverse("talent:exit", args=[member.pk])
    assert lead_client.get(url).status_code == 200
    response = lead_client.post(url, {"reason": "withdrew", **date_input("exited_on", timezone.localdate())})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.exit_reason == "withdrew" and member.readiness_changes.count() == 1


def test_the_lead_records_a_movement(lead_client, member, midlands):
    url = reverse("talent:movement_new", args=[member.pk])
    assert lead_client.get(url).status_code == 200
    response = lead_client.post(
        url,
        {
            "role": "Deputy Chief Nurse",
            "organisation": midlands["south_trust"].pk,
            **date_input("moved_on", dt.date(2021, 1, 4)),
            "kind": "promotion",
            "terms": "substantive",
        },
    )
    assert response.status_code == 302
    assert member.movements.get().role == "Deputy Chief Nurse"
