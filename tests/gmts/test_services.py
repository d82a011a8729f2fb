"""The scheme's services, directly: the scheme's shape, bids and assurance, placements through their
states with their refusals (overlap, beyond capacity), sign-off, feedback and reminders."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from academy.models import AuditEntry
from gmts import services
from gmts.models import (
    BidStatus,
    CompetencySignOff,
    FeedbackStage,
    Placement,
    PlacementKind,
    PlacementStatus,
    Trainee,
    TraineeStatus,
)
from tests.conftest import make_person
from tests.factories import OrganisationFactory, RegionFactory, SystemFactory
from tests.gmts.factories import PlacementFactory, specialism

pytestmark = pytest.mark.django_db


def propose(trainee, bid, start, *, months=6, actor=None, **kwargs):
    return services.placement_propose(
        trainee=trainee,
        bid=bid,
        kind=PlacementKind.FIRST,
        starts_on=start,
        ends_on=start + dt.timedelta(days=30 * months),
        actor=actor,
        **kwargs,
    )


def test_a_trainee_ends_after_the_specialisms_length(intake, manager):
    finance = specialism("finance")
    person = make_person()
    trainee = services.trainee_create(person=person, intake=intake, specialism=finance, actor=manager.user)
    assert (
        trainee.ends_on
        == dt.date(intake.starts_on.year + 2, intake.starts_on.month + 6, 1) - dt.timedelta(days=1)
        or trainee.ends_on.year == intake.starts_on.year + 2
    )
    assert (trainee.ends_on - intake.starts_on).days > 30 * 29
    entry = AuditEntry.objects.get(action="gmts.trainee.create")
    assert entry.region_id == intake.region_id
    with pytest.raises(ValidationError, match="already on the scheme"):
        services.trainee_create(person=person, intake=intake, specialism=finance, actor=manager.user)


def test_a_withdrawal_needs_a_reason_and_withdraws_placements_not_begun(trainees, bid, start, manager):
    trainee = trainees[0]
    placement = propose(trainee, bid, start)
    with pytest.raises(ValidationError, match="reason"):
        services.trainee_set_status(trainee=trainee, status=TraineeStatus.WITHDRAWN, actor=manager.user)
    services.trainee_set_status(
        trainee=trainee, status=TraineeStatus.WITHDRAWN, reason="Left for another post", actor=manager.user
    )
    trainee.refresh_from_db()
    placement.refresh_from_db()
    assert trainee.left_on is not None
    assert placement.status == PlacementStatus.WITHDRAWN


def test_competency_framework_is_edited_by_the_manager(manager):
    hr = specialism("human-resources")
    services.specialism_set_competencies(
        specialism=hr,
        competencies=["Workforce planning", " ", "workforce planning", "Negotiation"],
        actor=manager.user,
    )
    hr.refresh_from_db()
    assert hr.competencies == ["Workforce planning", "Negotiation"]
    with pytest.raises(ValidationError):
        services.specialism_set_competencies(specialism=hr, competencies=["", "  "], actor=manager.user)


# --- bids -------------------------------------------------------------------------------------------


def test_a_bid_is_assured_once_with_reasons(intake, host, programme_manager, placement_manager, manager):
    partner = OrganisationFactory(system=host.system)
    bid = services.bid_submit(
        intake=intake,
        lead_organisation=host,
        partners=[partner],
        kind=PlacementKind.FLEXI,
        places_requested=3,
        programme_manager=programme_manager,
        placement_manager=placement_manager,
        funding_commitment="Salary for 6 months",
        actor=programme_manager.user,
    )
    assert bid.status == BidStatus.SUBMITTED
    assert list(bid.partners.all()) == [partner]
    with pytest.raises(ValidationError, match="reasons"):
        services.bid_assure(bid=bid, approve=True, reason=" ", actor=manager.user)
    with pytest.raises(ValidationError, match="between 1 and"):
        services.bid_assure(bid=bid, approve=True, places_approved=4, reason="Good", actor=manager.user)
    services.bid_assure(bid=bid, approve=True, places_approved=2, reason="Two good plans", actor=manager.user)
    bid.refresh_from_db()
    assert (bid.status, bid.places_approved, bid.decided_by) == (BidStatus.APPROVED, 2, manager.user)
    assert AuditEntry.objects.filter(action="gmts.bid.approved", target_id=str(bid.pk)).exists()
    with pytest.raises(ValidationError, match="already been assured"):
        services.bid_assure(bid=bid, approve=False, reason="Changed mind", actor=manager.user)


def test_a_host_outside_the_region_cannot_bid(intake, programme_manager, placement_manager):
    elsewhere = OrganisationFactory(
        system=SystemFactory(sub_region__region=RegionFactory(name="North", slug="north"))
    )
    with pytest.raises(ValidationError, match="region"):
        services.bid_submit(
            intake=intake,
            lead_organisation=elsewhere,
            kind=PlacementKind.FIRST,
            places_requested=1,
            programme_manager=programme_manager,
            placement_manager=placement_manager,
            funding_commitment="Salary",
            actor=None,
        )


# --- placements -------------------------------------------------------------------------------------


def test_confirming_takes_a_place_and_tells_the_programme_manager(
    trainees, bid, start, programme_manager, django_capture_on_commit_callbacks
):
    placement = propose(trainees[0], bid, start)
    assert placement.placement_manager == bid.placement_manager
    bid.refresh_from_db()
    assert bid.places_taken == 0  # a proposal holds no place
    with django_capture_on_commit_callbacks(execute=True):
        services.placement_confirm(placement=placement, actor=programme_manager.user)
    placement.refresh_from_db()
    bid.refresh_from_db()
    assert placement.status == PlacementStatus.CONFIRMED
    assert placement.confirmed_by == programme_manager.user
    assert bid.places_taken == 1
    assert [m.to for m in mail.outbox] == [[programme_manager.user.email]]
    assert "Placement confirmed" in mail.outbox[0].subject
    with pytest.raises(ValidationError, match="Only a proposed"):
        services.placement_confirm(placement=placement, actor=programme_manager.user)


def test_no_placement_beyond_the_bids_approved_places(trainees, bid, start, programme_manager):
    placements = [propose(t, bid, start) for t in trainees]
    services.placement_confirm(placement=placements[0], actor=None)
    services.placement_confirm(placement=placements[1], actor=None)
    with pytest.raises(ValidationError, match="All 2 places approved"):
        services.placement_confirm(placement=placements[2], actor=None)
    placements[2].refresh_from_db()
    assert placements[2].status == PlacementStatus.PROPOSED
    services.placement_withdraw(placement=placements[0], reason="Host restructure", actor=None)
    services.placement_confirm(placement=placements[2], actor=None)
    bid.refresh_from_db()
    assert bid.places_taken == 2


def test_a_declined_or_unassured_bid_takes_no_placements(trainees, bid, start):
    bid.status = BidStatus.SUBMITTED
    bid.save()
    with pytest.raises(ValidationError, match="approved bid"):
        propose(trainees[0], bid, start)


def test_overlapping_placements_are_refused(trainees, bid, start):
    trainee = trainees[0]
    propose(trainee, bid, start, months=6)
    with pytest.raises(ValidationError, match="already has a placement"):
        propose(trainee, bid, start + dt.timedelta(days=90))
    # The day after the first ends is free.
    first = trainee.placements.get()
    later = propose(trainee, bid, first.ends_on + dt.timedelta(days=1))
    assert later.pk


def test_a_withdrawn_placement_frees_its_dates(trainees, bid, start):
    trainee = trainees[0]
    first = propose(trainee, bid, start)
    services.placement_withdraw(placement=first, reason="Host withdrew", actor=None)
    assert propose(trainee, bid, start).pk


def test_the_database_itself_refuses_an_overlap(trainees, start):
    """The exclusion constraint holds whoever writes, not only the service's check."""
    trainee = trainees[0]
    PlacementFactory(trainee=trainee, starts_on=start)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            trainee=trainee,
            host=OrganisationFactory(),
            kind=PlacementKind.FLEXI,
            starts_on=start + dt.timedelta(days=10),
            ends_on=start + dt.timedelta(days=100),
        )


def test_only_finance_has_a_principal_placement(trainees, start):
    with pytest.raises(ValidationError, match="no principal"):
        services.placement_propose(
            trainee=trainees[0],
            host=OrganisationFactory(),
            kind=PlacementKind.PRINCIPAL,
            starts_on=start,
            ends_on=start + dt.timedelta(days=300),
            actor=None,
        )


def test_the_host_must_be_on_the_bid(trainees, bid, start):
    with pytest.raises(ValidationError, match="lead organisation or one of its partners"):
        propose(trainees[0], bid, start, host=OrganisationFactory())


def test_notifying_the_trainee_emails_them(trainees, bid, start, django_capture_on_commit_callbacks):
    placement = propose(trainees[0], bid, start)
    with pytest.raises(ValidationError, match="Only a confirmed"):
        services.placement_notify_trainee(placement=placement, actor=None)
    services.placement_confirm(placement=placement, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.placement_notify_trainee(placement=placement, actor=None)
    assert [m.to for m in mail.outbox] == [[trainees[0].person.user.email]]


def test_placements_start_and_complete_on_their_dates(trainees, start):
    placement = PlacementFactory(trainee=trainees[0], starts_on=start, status=PlacementStatus.NOTIFIED)
    assert services.placements_move_on(today=start - dt.timedelta(days=1)) == (0, 0)
    assert services.placements_move_on(today=start) == (1, 0)
    assert services.placements_move_on(today=start) == (0, 0)
    assert services.placements_move_on(today=placement.ends_on + dt.timedelta(days=1)) == (0, 1)
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.COMPLETED


# --- sign-off and feedback --------------------------------------------------------------------------


def test_no_sign_off_before_the_placement_starts(trainees, start, placement_manager):
    placement = PlacementFactory(trainee=trainees[0], starts_on=start, placement_manager=placement_manager)
    competency = trainees[0].specialism.competencies[0]
    with pytest.raises(ValidationError, match="once the placement has started"):
        services.competency_sign_off(
            placement=placement, competency=competency, note="Led a project", actor=None
        )
    assert not CompetencySignOff.objects.exists()


def test_sign_off_during_a_placement(trainees, start, placement_manager):
    placement = PlacementFactory(
        trainee=trainees[0],
        starts_on=start,
        placement_manager=placement_manager,
        status=PlacementStatus.STARTED,
    )
    competency = trainees[0].specialism.competencies[0]
    with time_machine.travel(start + dt.timedelta(days=20)):
        with pytest.raises(ValidationError, match="not a competency"):
            services.competency_sign_off(placement=placement, competency="Juggling", note="x", actor=None)
        with pytest.raises(ValidationError, match="Say what"):
            services.competency_sign_off(placement=placement, competency=competency, note=" ", actor=None)
        sign_off = services.competency_sign_off(
            placement=placement,
            competency=competency,
            note="Led the PPE mutual aid service",
            actor=placement_manager.user,
        )
        assert sign_off.signed_off_by == placement_manager.user
        with pytest.raises(ValidationError, match="already signed off"):
            services.competency_sign_off(placement=placement, competency=competency, note="Again", actor=None)
    assert AuditEntry.objects.filter(action="gmts.competency.sign_off").count() == 1


def test_feedback_opens_at_the_midpoint_and_is_given_once(trainees, start):
    placement = PlacementFactory(trainee=trainees[0], starts_on=start, status=PlacementStatus.STARTED)
    with (
        time_machine.travel(start + dt.timedelta(days=10)),
        pytest.raises(ValidationError, match="not open yet"),
    ):
        services.feedback_give(placement=placement, stage=FeedbackStage.MIDPOINT, rating=4, actor=None)
    with time_machine.travel(placement.midpoint):
        services.feedback_give(placement=placement, stage=FeedbackStage.MIDPOINT, rating=4, actor=None)
        with pytest.raises(ValidationError, match="already given"):
            services.feedback_give(placement=placement, stage=FeedbackStage.MIDPOINT, rating=5, actor=None)
    entry = AuditEntry.objects.get(action="gmts.feedback.give")
    assert "rating" not in entry.data


# --- reminders --------------------------------------------------------------------------------------


def test_reminders_at_12_8_4_and_2_weeks_each_once(
    trainees, bid, start, programme_manager, django_capture_on_commit_callbacks
):
    services.placement_confirm(placement=propose(trainees[0], bid, start), actor=None)
    sent = []
    for weeks_before in (13, 12, 11, 8, 7, 4, 4, 3, 2, 1):
        today = start - dt.timedelta(weeks=weeks_before)
        with django_capture_on_commit_callbacks(execute=True):
            sent.append((weeks_before, services.reminders_send_due(today=today)))
    # two trainees lack a placement: one email each at 12, 8, 4 and 2 weeks; a second run sends none.
    assert sent == [(13, 0), (12, 2), (11, 0), (8, 2), (7, 0), (4, 2), (4, 0), (3, 0), (2, 2), (1, 0)]
    assert len(mail.outbox) == 8
    assert {m.to[0] for m in mail.outbox} == {programme_manager.user.email}
    assert "no confirmed placement" in mail.outbox[0].subject


def test_a_late_first_run_sends_the_reminder_due_then(trainees, start, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due(today=start - dt.timedelta(days=10)) == 3
    assert {m.subject.split(" ")[0] for m in mail.outbox} == {"2"}


def test_a_trainee_whose_next_placement_is_unconfirmed_is_reminded_and_flagged(trainees, start):
    trainee = trainees[0]
    current = PlacementFactory(trainee=trainee, starts_on=start, status=PlacementStatus.STARTED)
    today = current.ends_on - dt.timedelta(weeks=11)
    row = Trainee.objects.with_placement_outlook(today).get(pk=trainee.pk)
    assert row.next_start == current.ends_on + dt.timedelta(days=1)
    assert row.next_start_confirmed is False
    PlacementFactory(trainee=trainee, starts_on=row.next_start, kind=PlacementKind.FLEXI)
    row = Trainee.objects.with_placement_outlook(today).get(pk=trainee.pk)
    assert row.next_start_confirmed is True
