"""The talent services, called directly, with their failure cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from academy.models import AuditEntry
from talent import services
from talent.models import (
    BookingStatus,
    CentreLevel,
    EntryRoute,
    ExitReason,
    InterestStatus,
    MovementKind,
    MovementTerms,
    OpportunityKind,
    PoolMember,
    ProfessionalGroup,
    Readiness,
    ReadinessChange,
    ServiceType,
)
from tests.factories import PersonFactory
from tests.talent.conftest import add_member


def test_adding_a_member_records_the_first_decision_and_an_audit_entry(member, talent_lead):
    change = member.readiness_changes.get()
    assert (change.readiness, change.decided_by, change.decided_on) == (
        Readiness.READY_SOON,
        talent_lead.user,
        dt.date(2020, 6, 1),
    )
    assert member.system == member.person.organisation.system
    assert AuditEntry.objects.filter(action="talent.member.add", target_id=str(member.pk)).exists()


def test_a_person_already_in_the_pool_cannot_be_added_again(member, talent_lead):
    with pytest.raises(ValidationError, match="already in the talent pool"):
        add_member(member.person, actor=talent_lead.user)
    assert PoolMember.objects.filter(person=member.person).count() == 1


def test_the_database_refuses_a_second_active_membership(member):
    duplicate = PoolMember(
        person=member.person,
        region=member.region,
        professional_group=ProfessionalGroup.FINANCE,
        service_type=ServiceType.ACUTE,
        entry_route=EntryRoute.NOMINATION,
        readiness=Readiness.READY_NOW,
        readiness_on=dt.date(2021, 1, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_member_who_left_can_rejoin_with_their_history_kept(member, talent_lead):
    services.member_exit(member=member, reason=ExitReason.WITHDREW, actor=talent_lead.user)
    again = add_member(member.person, actor=talent_lead.user, readiness=Readiness.READY_NOW)
    assert again.pk != member.pk
    assert PoolMember.objects.filter(person=member.person).count() == 2
    assert member.readiness_changes.count() == 1


def test_a_readiness_change_is_kept_in_the_history(member, talent_lead):
    services.readiness_change(
        member=member,
        readiness=Readiness.READY_NOW,
        evidence="Talent review panel, January 2021: acting director for six months.",
        decided_on=dt.date(2021, 1, 20),
        actor=talent_lead.user,
    )
    member.refresh_from_db()
    assert (member.readiness, member.readiness_on) == (Readiness.READY_NOW, dt.date(2021, 1, 20))
    assert list(member.readiness_changes.values_list("readiness", flat=True)) == [
        Readiness.READY_NOW,
        Readiness.READY_SOON,
    ]
    entry = AuditEntry.objects.get(action="talent.readiness.change")
    assert entry.data == {"from": "ready_soon", "to": "ready_now"}


@pytest.mark.parametrize("evidence", ["", "   "])
def test_a_readiness_change_without_evidence_is_refused(member, talent_lead, evidence):
    with pytest.raises(ValidationError) as refusal:
        services.readiness_change(
            member=member, readiness=Readiness.READY_NOW, evidence=evidence, actor=talent_lead.user
        )
    assert "evidence" in refusal.value.message_dict
    member.refresh_from_db()
    assert member.readiness == Readiness.READY_SOON
    assert member.readiness_changes.count() == 1


def test_the_database_refuses_a_decision_without_evidence(member):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReadinessChange.objects.create(
            member=member, readiness="ready_now", decided_on=dt.date(2021, 1, 1), evidence=""
        )


def test_a_readiness_change_dated_before_the_latest_or_in_the_future_is_refused(member, talent_lead):
    for day in (dt.date(2020, 5, 31), timezone.localdate() + dt.timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.readiness_change(
                member=member,
                readiness=Readiness.READY_NOW,
                evidence="Panel",
                decided_on=day,
                actor=talent_lead.user,
            )


def test_a_member_who_left_cannot_change_readiness(member, talent_lead):
    services.member_exit(member=member, reason=ExitReason.LEFT_NHS, actor=talent_lead.user)
    with pytest.raises(ValidationError, match="left the talent pool"):
        services.readiness_change(
            member=member, readiness=Readiness.READY_NOW, evidence="Panel", actor=talent_lead.user
        )


def test_leaving_needs_a_reason_and_happens_once(member, talent_lead):
    with pytest.raises(ValidationError):
        services.member_exit(member=member, reason="", actor=talent_lead.user)
    services.member_exit(member=member, reason=ExitReason.WITHDREW, actor=talent_lead.user)
    with pytest.raises(ValidationError, match="already left"):
        services.member_exit(member=member, reason=ExitReason.WITHDREW, actor=talent_lead.user)


def test_a_substantive_board_appointment_ends_the_membership_as_appointed(member, talent_lead, midlands):
    services.movement_record(
        member=member,
        role="Director of Nursing",
        organisation=midlands["south_trust"],
        moved_on=dt.date(2021, 2, 1),
        kind=MovementKind.APPOINTMENT,
        board_level=True,
        actor=talent_lead.user,
    )
    member.refresh_from_db()
    assert (member.exit_reason, member.exited_on) == (ExitReason.APPOINTED, dt.date(2021, 2, 1))


def test_an_interim_appointment_or_a_promotion_keeps_the_member_in_the_pool(member, talent_lead, midlands):
    services.movement_record(
        member=member,
        role="Interim Director of Nursing",
        organisation=midlands["south_trust"],
        moved_on=dt.date(2021, 2, 1),
        kind=MovementKind.APPOINTMENT,
        terms=MovementTerms.INTERIM,
        board_level=True,
        actor=talent_lead.user,
    )
    services.movement_record(
        member=member,
        role="Deputy Director of Nursing",
        organisation=midlands["north_trust"],
        moved_on=dt.date(2020, 10, 1),
        kind=MovementKind.PROMOTION,
        actor=talent_lead.user,
    )
    member.refresh_from_db()
    assert member.is_active and member.movements.count() == 2
    with pytest.raises(ValidationError, match="already recorded"):
        services.movement_record(
            member=member,
            role="Deputy Director of Nursing",
            organisation=midlands["north_trust"],
            moved_on=dt.date(2020, 10, 1),
            kind=MovementKind.PROMOTION,
            actor=talent_lead.user,
        )


@pytest.fixture
def secondment(midlands, talent_lead):
    today = timezone.localdate()
    return services.opportunity_create(
        region=midlands["region"],
        role="Director of Operations (secondment)",
        host=midlands["south_trust"],
        kind=OpportunityKind.SECONDMENT,
        starts_on=today + dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=210),
        closes_on=today + dt.timedelta(days=7),
        places=1,
        actor=talent_lead.user,
    )


def test_a_member_expresses_interest_once(secondment, member):
    interest = services.interest_express(
        opportunity=secondment, member=member, statement="Operational experience.", actor=member.person.user
    )
    assert interest.status == InterestStatus.EXPRESSED
    with pytest.raises(ValidationError, match="already expressed"):
        services.interest_express(
            opportunity=secondment, member=member, statement="Again", actor=member.person.user
        )


def test_interest_after_the_closing_date_is_refused(secondment, member):
    secondment.closes_on = timezone.localdate() - dt.timedelta(days=1)
    secondment.save(update_fields=["closes_on"])
    with pytest.raises(ValidationError, match="closed on"):
        services.interest_express(
            opportunity=secondment, member=member, statement="Late", actor=member.person.user
        )
    assert not secondment.interests.exists()


def test_interest_on_the_closing_date_is_accepted(secondment, member):
    secondment.closes_on = timezone.localdate()
    secondment.save(update_fields=["closes_on"])
    services.interest_express(
        opportunity=secondment, member=member, statement="Just in time", actor=member.person.user
    )
    assert secondment.interests.count() == 1


def test_a_member_of_another_region_cannot_express_interest(secondment, other_lead):
    outsider = add_member(PersonFactory(organisation=other_lead.organisation), actor=other_lead.user)
    with pytest.raises(ValidationError, match="this region"):
        services.interest_express(
            opportunity=secondment, member=outsider, statement="Me", actor=outsider.person.user
        )


def test_shortlisting_and_placement_fill_the_places_and_no_more(
    secondment, member, south_member, talent_lead
):
    first = services.interest_express(opportunity=secondment, member=member, statement="A", actor=None)
    second = services.interest_express(opportunity=secondment, member=south_member, statement="B", actor=None)
    with pytest.raises(ValidationError, match="shortlisted"):
        services.interest_move(interest=first, move="place", actor=talent_lead.user)
    for interest in (first, second):
        services.interest_move(interest=interest, move="shortlist", actor=talent_lead.user)
    services.interest_move(interest=first, move="place", actor=talent_lead.user)
    with pytest.raises(ValidationError, match="filled"):
        services.interest_move(interest=second, move="place", actor=talent_lead.user)
    first.refresh_from_db()
    assert first.status == InterestStatus.PLACED and first.placed_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="talent.interest.place").count() == 1


def test_a_centre_books_no_more_than_its_places_and_the_panel_places_in_the_pool(midlands, talent_lead):
    assessor = PersonFactory(organisation=midlands["north_trust"])
    centre = services.centre_create(
        region=midlands["region"],
        title="Aspiring-Executive Development Assessment Centre",
        level=CentreLevel.ASPIRING_EXECUTIVE,
        held_on=timezone.localdate() + dt.timedelta(days=14),
        places=1,
        assessors=[assessor],
        actor=talent_lead.user,
    )
    people = [PersonFactory(organisation=midlands["north_trust"]) for _ in range(2)]
    bookings = [services.booking_nominate(centre=centre, person=p, actor=talent_lead.user) for p in people]
    with pytest.raises(ValidationError, match="already nominated"):
        services.booking_nominate(centre=centre, person=people[0], actor=talent_lead.user)
    services.booking_book(booking=bookings[0], actor=talent_lead.user)
    with pytest.raises(ValidationError, match="places"):
        services.booking_book(booking=bookings[1], actor=talent_lead.user)
    with pytest.raises(ValidationError, match="assessor"):
        services.rating_record(
            booking=bookings[0],
            assessor=people[1],
            exercise="Board paper",
            domain="strategy",
            score=3,
            actor=None,
        )
    services.rating_record(
        booking=bookings[0], assessor=assessor, exercise="Board paper", domain="strategy", score=3, actor=None
    )
    with pytest.raises(ValidationError, match="professional group"):
        services.panel_outcome_record(
            booking=bookings[0], outcome=Readiness.READY_SOON, notes="Strong", actor=None
        )
    member = services.panel_outcome_record(
        booking=bookings[0],
        outcome=Readiness.READY_SOON,
        notes="Strong on strategy; needs board exposure.",
        professional_group=ProfessionalGroup.OPERATIONS,
        service_type=ServiceType.ACUTE,
        actor=talent_lead.user,
    )
    bookings[0].refresh_from_db()
    assert bookings[0].status == BookingStatus.ATTENDED
    assert member.entry_route == EntryRoute.ASSESSMENT_CENTRE and member.readiness == Readiness.READY_SOON
    assert "needs board exposure" in member.readiness_changes.get().evidence


def test_a_slate_takes_active_members_of_the_region_once(member, midlands, talent_lead, other_lead):
    from talent.models import TargetRole

    role = services.critical_role_create(
        organisation=midlands["north_trust"],
        target_role=TargetRole.objects.get(name="Director of nursing"),
        actor=talent_lead.user,
    )
    services.slate_add(critical_role=role, member=member, actor=talent_lead.user)
    with pytest.raises(ValidationError, match="already on this slate"):
        services.slate_add(critical_role=role, member=member, actor=talent_lead.user)
    outsider = add_member(PersonFactory(organisation=other_lead.organisation), actor=other_lead.user)
    with pytest.raises(ValidationError, match="region"):
        services.slate_add(critical_role=role, member=outsider, actor=talent_lead.user)


def test_career_conversation_sharing_is_the_members_choice(member):
    conversation = services.conversation_record(
        member=member,
        aspirations="Director of Nursing in an acute trust within two years.",
        own_readiness=Readiness.READY_SOON,
        share_with_lead=True,
        actor=member.person.user,
    )
    assert (conversation.share_with_lead, conversation.share_with_board) == (True, False)
