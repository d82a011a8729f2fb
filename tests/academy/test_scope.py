"""What a person may see follows from the roles an administrator granted them, never from their own
profile (ADR 0003): every role keeps exactly its scope after moving its own organisation to another
region."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from academy import services
from academy.models import AuditEntry, Role, RoleGrant
from academy.permissions import staff_region, user_roles
from coaching.models import SupervisionSession
from tests.academy.world import build_world
from tests.conftest import make_person, signed_in_client
from tests.factories import RegionFactory, UserFactory, date_input

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def move_to_region_b(world, persona: str):
    """The persona chooses an organisation in region B on their own profile page."""
    person = world.people[persona]
    client = signed_in_client(person)
    response = client.post(
        reverse("academy:profile"),
        {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "job_title": "Ward Manager",
            "organisation": world.organisations["b"].pk,
            "staff_group": "nursing",
            "pay_band": "6",
        },
    )
    assert response.status_code == 302, response.content.decode()
    person.refresh_from_db()
    assert person.region == world.regions["b"]  # the profile moved...
    return signed_in_client(person)  # ...in a new request, so nothing is cached from before


def region_b_pages(world) -> list[str]:
    r = world.records
    return [
        reverse("programmes:staff_cohort", args=[r["cohort_b"].pk]),
        reverse("programmes:staff_register_csv", args=[r["cohort_b"].pk]),
        reverse("programmes:session_calendar", args=[r["session_b"].pk]),
        reverse("coaching:coach", args=[r["profile_b"].pk]),
        reverse("coaching:certificate", args=[r["qualification_b"].pk]),
        reverse("coaching:match_request", args=[r["request_b"].pk]),
        reverse("reporting:edition_detail", args=[r["edition_b"].pk]),
        reverse("reporting:run_download", args=[r["run_b"].pk]),
    ]


# The persona, and a page of region A it may open (it must keep it after the move).
KEPT = {
    "staff": ("programmes:staff_register_csv", "cohort"),
    "lead": ("reporting:run_download", "run_a"),
    "supervisor": ("coaching:supervision", "supervision"),
    "talent_lead": None,
    "gmts_manager": None,
    "coach": ("coaching:note", "note"),
}


@pytest.mark.parametrize("persona", sorted(KEPT))
def test_moving_ones_own_organisation_to_another_region_changes_nothing_one_may_see(persona):
    world = build_world()
    granted = {(g.role, g.region_id) for g in RoleGrant.objects.filter(user=world.people[persona].user)}
    client = move_to_region_b(world, persona)
    user = world.people[persona].user
    assert {(g.role, g.region_id) for g in RoleGrant.objects.filter(user=user)} == granted

    for url in region_b_pages(world):
        response = client.get(url)
        assert response.status_code in (403, 404), url
    audit_page = client.get(reverse("academy:audit_log"))
    assert audit_page.status_code in (200, 403)
    for identity in world.identities("outsider"):
        assert identity not in audit_page.content.decode()
    cpd = client.get(reverse("coaching:cpd")).content.decode()
    assert "North West webinar" not in cpd
    if KEPT[persona]:
        name, record = KEPT[persona]
        assert client.get(reverse(name, args=[world.records[record].pk])).status_code == 200


def test_a_supervisor_who_moved_still_schedules_groups_for_the_granted_region():
    world = build_world()
    client = move_to_region_b(world, "supervisor")
    starts = timezone.now() + dt.timedelta(days=10)
    response = client.post(
        reverse("coaching:supervision_new"), {**date_input("starts_at", starts), "duration_hours": "2"}
    )
    assert response.status_code == 302
    session = SupervisionSession.objects.latest("pk")
    assert session.region == world.regions["a"]


def test_staff_region_is_the_grant_and_a_profile_alone_grants_nothing():
    world = build_world()
    staff = world.people["staff"].user
    assert staff_region(staff) == world.regions["a"]
    participant = world.people["participant"].user
    assert participant.person.region == world.regions["a"]
    assert staff_region(participant) is None
    assert user_roles(participant) == frozenset()


def test_granting_and_revoking_a_role_are_audited():
    region = RegionFactory()
    user, admin = UserFactory(), UserFactory()
    grant = services.role_grant(user=user, role=Role.LEAD, region=region, actor=admin)
    entry = AuditEntry.objects.get(action="role.grant")
    assert (entry.actor, entry.region_id, entry.data["role"]) == (admin, region.pk, "Lead")
    assert grant.granted_by == admin
    assert user_roles(user) == {Role.LEAD} and staff_region(user) == region
    # Granting it again changes nothing and writes nothing.
    assert services.role_grant(user=user, role=Role.LEAD, region=region, actor=admin) == grant
    assert AuditEntry.objects.filter(action="role.grant").count() == 1

    services.role_revoke(grant=grant, actor=admin)
    entry = AuditEntry.objects.get(action="role.revoke")
    assert (entry.actor, entry.data["person"], entry.region_id) == (admin, user.email, region.pk)
    user = type(user).objects.get(pk=user.pk)
    assert user_roles(user) == frozenset() and staff_region(user) is None


def test_a_staff_member_works_for_one_region():
    region, elsewhere = RegionFactory(), RegionFactory(name="North West", slug="north-west")
    user, admin = UserFactory(), UserFactory()
    services.role_grant(user=user, role=Role.PROGRAMME_STAFF, region=region, actor=admin)
    with pytest.raises(ValidationError, match="a staff member works for one region"):
        services.role_grant(user=user, role=Role.LEAD, region=elsewhere, actor=admin)
    with pytest.raises(ValidationError, match="Revoke it first"):
        services.role_grant(user=user, role=Role.PROGRAMME_STAFF, region=elsewhere, actor=admin)
    # A coach is on one region's register; it does not make them staff anywhere.
    services.role_grant(user=user, role=Role.COACH, region=elsewhere, actor=admin)
    assert staff_region(type(user).objects.get(pk=user.pk)) == region
    assert RoleGrant.objects.filter(user=user).count() == 2


def test_the_admin_grants_and_revokes_through_the_audited_services():
    region = RegionFactory()
    user = UserFactory()
    administrator = make_person(mfa=True)
    type(user).objects.filter(pk=administrator.user_id).update(is_staff=True, is_superuser=True)
    admin_client = signed_in_client(administrator)
    response = admin_client.post(
        reverse("admin:academy_rolegrant_add"), {"user": user.pk, "role": Role.LEAD, "region": region.pk}
    )
    assert response.status_code == 302, response.content.decode()
    grant = RoleGrant.objects.get(user=user)
    assert AuditEntry.objects.filter(action="role.grant", target_id=str(grant.pk)).exists()
    response = admin_client.post(reverse("admin:academy_rolegrant_delete", args=[grant.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="role.revoke", target_id=str(grant.pk)).exists()
