"""Readiness decisions and pool membership at their edges: the days a decision may carry, what a new
member's record takes from the person when the lead leaves it blank, and what leaving writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from academy.models import AuditEntry, PayBand
from talent import services
from talent.models import EntryRoute, ExitReason, PoolMember, ProfessionalGroup, Readiness, ServiceType
from talent.services.pool import active_membership
from tests.factories import PersonFactory
from tests.talent.conftest import add_member

LATEST = dt.date(2020, 6, 1)  # the `member` fixture's first decision


def change(member, actor, *, day=None, readiness=Readiness.READY_NOW, evidence="Panel, June 2020"):
    return services.readiness_change(
        member=member, readiness=readiness, evidence=evidence, decided_on=day, actor=actor
    )


def test_a_decision_may_share_the_latest_decisions_day(member, talent_lead):
    made = change(member, talent_lead.user, day=LATEST, evidence="  Second panel the same day  ")
    assert (made.pk is not None, made.decided_on, made.evidence) == (
        True,
        LATEST,
        "Second panel the same day",
    )
    assert made.decided_by == talent_lead.user
    member.refresh_from_db()
    assert (member.readiness, member.readiness_on) == (Readiness.READY_NOW, LATEST)


def test_a_decision_may_be_dated_today_and_is_dated_today_when_undated(member, talent_lead):
    today = timezone.localdate()
    assert change(member, talent_lead.user, day=today).decided_on == today
    undated = change(member, talent_lead.user, readiness=Readiness.NOT_YET_READY)
    assert undated.decided_on == today
    member.refresh_from_db()
    assert (member.readiness, member.readiness_on) == (Readiness.NOT_YET_READY, today)
    assert AuditEntry.objects.filter(action="talent.readiness.change").count() == 2


@pytest.mark.parametrize(
    ("day", "readiness", "field"),
    [
        (LATEST - dt.timedelta(days=1), Readiness.READY_NOW, "decided_on"),
        (None, "ready_tomorrow", "readiness"),
    ],
)
def test_a_refused_decision_writes_nothing(member, talent_lead, day, readiness, field):
    with pytest.raises(ValidationError) as refusal:
        change(member, talent_lead.user, day=day, readiness=readiness)
    assert field in refusal.value.message_dict
    member.refresh_from_db()
    assert (member.readiness, member.readiness_on) == (Readiness.READY_SOON, LATEST)
    assert member.readiness_changes.count() == 1
    assert not AuditEntry.objects.filter(action="talent.readiness.change").exists()


def test_a_future_decision_is_refused_from_tomorrow(member, talent_lead):
    with pytest.raises(ValidationError) as refusal:
        change(member, talent_lead.user, day=timezone.localdate() + dt.timedelta(days=1))
    assert "decided_on" in refusal.value.message_dict


def test_a_new_member_takes_the_persons_role_band_organisation_and_system_unless_given(midlands, talent_lead):
    person = PersonFactory(
        organisation=midlands["north_trust"], job_title="Deputy Director of Nursing", pay_band=PayBand.BAND_8C
    )
    role = services.target_role_add(region=midlands["region"], name="Chief nurse", actor=talent_lead.user)
    member = services.member_add(
        person=person,
        region=midlands["region"],
        professional_group=ProfessionalGroup.NURSING,
        service_type=ServiceType.ACUTE,
        entry_route=EntryRoute.ASPIRE_TOGETHER,
        readiness=Readiness.READY_SOON,
        evidence="  Aspire Together panel  ",
        decided_on=LATEST,
        target_roles=[role],
        actor=talent_lead.user,
    )
    member = PoolMember.objects.get(pk=member.pk)
    assert (member.organisation, member.system) == (midlands["north_trust"], midlands["north"])
    assert (member.current_role, member.band) == ("Deputy Director of Nursing", PayBand.BAND_8C)
    assert (member.readiness_on, member.joined_on) == (LATEST, LATEST)
    assert list(member.target_roles.all()) == [role]
    assert member.readiness_changes.get().evidence == "Aspire Together panel"


def test_what_the_lead_gives_for_a_new_member_is_kept(midlands, talent_lead):
    person = PersonFactory(organisation=midlands["north_trust"], job_title="Head of Finance")
    member = services.member_add(
        person=person,
        region=midlands["region"],
        professional_group=ProfessionalGroup.FINANCE,
        service_type=ServiceType.ACUTE,
        entry_route=EntryRoute.ASPIRE_TOGETHER,
        readiness=Readiness.READY_NOW,
        evidence="Panel",
        decided_on=LATEST,
        joined_on=dt.date(2020, 5, 1),
        organisation=midlands["south_trust"],
        current_role="Acting Director of Finance",
        band=PayBand.BAND_9,
        actor=None,
    )
    member = PoolMember.objects.get(pk=member.pk)
    assert (member.organisation, member.system) == (midlands["south_trust"], midlands["south"])
    assert (member.current_role, member.band, member.joined_on) == (
        "Acting Director of Finance",
        PayBand.BAND_9,
        dt.date(2020, 5, 1),
    )
    assert member.readiness_changes.get().decided_by is None
    assert active_membership(person) == member


def test_an_undated_addition_is_decided_and_joined_today(midlands, talent_lead):
    member = services.member_add(
        person=PersonFactory(organisation=midlands["north_trust"]),
        region=midlands["region"],
        professional_group=ProfessionalGroup.FINANCE,
        service_type=ServiceType.ACUTE,
        entry_route=EntryRoute.ASPIRE_TOGETHER,
        readiness=Readiness.READY_NOW,
        evidence="Panel",
        actor=talent_lead.user,
    )
    today = timezone.localdate()
    assert (member.readiness_on, member.joined_on, member.readiness_changes.get().decided_on) == (today,) * 3


def test_leaving_records_the_day_and_reason_and_an_audit_entry(member, talent_lead):
    left = services.member_exit(
        member=member, reason=ExitReason.LEFT_NHS, exited_on=dt.date(2021, 1, 31), actor=talent_lead.user
    )
    assert left.pk == member.pk
    member.refresh_from_db()
    assert (member.exited_on, member.exit_reason) == (dt.date(2021, 1, 31), ExitReason.LEFT_NHS)
    assert active_membership(member.person) is None
    entry = AuditEntry.objects.get(action="talent.member.exit")
    assert entry.data == {"reason": "left_nhs"}


def test_leaving_undated_is_today_and_an_unknown_reason_is_refused(member, talent_lead):
    with pytest.raises(ValidationError) as refusal:
        services.member_exit(member=member, reason="bored", actor=talent_lead.user)
    assert "reason" in refusal.value.message_dict
    services.member_exit(member=member, reason=ExitReason.WITHDREW, actor=talent_lead.user)
    member.refresh_from_db()
    assert member.exited_on == timezone.localdate()


def test_each_refusal_says_what_to_do_in_its_own_words(member, talent_lead):
    with pytest.raises(ValidationError) as refusal:
        change(member, talent_lead.user, readiness="ready_tomorrow")
    assert refusal.value.message_dict == {"readiness": ["Choose a readiness."]}
    with pytest.raises(ValidationError) as refusal:
        change(member, talent_lead.user, evidence="   ")
    assert refusal.value.message_dict == {"evidence": ["Say what the readiness decision is based on."]}
    person = member.person
    with pytest.raises(ValidationError) as refusal:
        services.member_add(
            person=person,
            region=member.region,
            professional_group=ProfessionalGroup.NURSING,
            service_type=ServiceType.ACUTE,
            entry_route=EntryRoute.ASPIRE_TOGETHER,
            readiness=Readiness.READY_NOW,
            evidence="Panel",
            actor=talent_lead.user,
        )
    assert refusal.value.messages == [f"{person.full_name} is already in the talent pool."]


def test_no_one_leaves_before_they_joined(member, talent_lead):
    with pytest.raises(ValidationError) as refusal:
        services.member_exit(
            member=member,
            reason=ExitReason.WITHDREW,
            exited_on=LATEST - dt.timedelta(days=1),
            actor=talent_lead.user,
        )
    assert "exited_on" in refusal.value.message_dict
    member.refresh_from_db()
    assert member.exited_on is None


def test_the_first_ready_now_decision_is_kept_on_the_member_and_never_moves(member, talent_lead):
    assert member.first_ready_now_on is None  # added ready soon
    change(member, talent_lead.user, day=dt.date(2020, 9, 1))
    change(member, talent_lead.user, day=dt.date(2020, 12, 1), readiness=Readiness.READY_SOON)
    change(member, talent_lead.user, day=dt.date(2021, 2, 1))
    member.refresh_from_db()
    assert (member.readiness, member.first_ready_now_on) == (Readiness.READY_NOW, dt.date(2020, 9, 1))


def test_a_member_added_ready_now_was_first_ready_now_on_the_decisions_day(midlands, talent_lead):
    person = PersonFactory(organisation=midlands["north_trust"])
    member = add_member(person, actor=talent_lead.user, readiness=Readiness.READY_NOW, decided_on=LATEST)
    assert PoolMember.objects.get(pk=member.pk).first_ready_now_on == LATEST
