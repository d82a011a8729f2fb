"""Placements at their edges: a bid exactly full, a confirmed record taking its place at once, who may
host, what each step writes (place counts, audit entries, the confirming person) and the daily step
on the first and last days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from academy.models import AuditEntry
from gmts import services
from gmts.models import PlacementKind, PlacementStatus, TraineeStatus
from tests.factories import OrganisationFactory, RegionFactory
from tests.gmts.factories import PlacementFactory, TraineeFactory, intake_starting, specialism

pytestmark = pytest.mark.django_db


def propose(
    trainee, start, *, bid=None, host=None, status=PlacementStatus.PROPOSED, kind=PlacementKind.FIRST, **kw
):
    return services.placement_propose(
        trainee=trainee,
        bid=bid,
        host=host,
        kind=kind,
        starts_on=start,
        ends_on=start + dt.timedelta(days=180),
        status=status,
        actor=None,
        **kw,
    )


def taken(bid) -> int:
    bid.refresh_from_db()
    return bid.places_taken


def test_a_confirmed_record_takes_a_place_at_once_until_the_bid_is_exactly_full(trainees, bid, start):
    first = propose(trainees[0], start, bid=bid, status=PlacementStatus.CONFIRMED)
    assert (first.pk is not None, first.status, taken(bid)) == (True, PlacementStatus.CONFIRMED, 1)
    propose(trainees[1], start, bid=bid, status=PlacementStatus.STARTED)
    assert taken(bid) == 2
    with pytest.raises(ValidationError, match="All the places this bid approved are taken"):
        propose(trainees[2], start, bid=bid, status=PlacementStatus.CONFIRMED)
    assert trainees[2].placements.count() == 0
    # A proposal holds no place, so a full bid still takes one.
    assert propose(trainees[2], start, bid=bid).status == PlacementStatus.PROPOSED
    assert taken(bid) == 2


def test_a_stale_place_count_is_put_right_before_the_check(trainees, bid, start):
    bid.places_taken = 2  # wrong: no placement holds a place yet
    bid.save()
    propose(trainees[0], start, bid=bid, status=PlacementStatus.CONFIRMED)
    assert taken(bid) == 1


def test_the_host_is_the_bids_lead_unless_a_partner_is_named(trainees, bid, start, placement_manager):
    partner = OrganisationFactory()
    bid.partners.add(partner)
    on_lead = propose(trainees[0], start, bid=bid)
    assert (on_lead.host, on_lead.placement_manager) == (bid.lead_organisation, placement_manager)
    other_manager = TraineeFactory().person
    at_partner = propose(trainees[1], start, bid=bid, host=partner, placement_manager=other_manager)
    assert (at_partner.host, at_partner.placement_manager) == (partner, other_manager)


def test_a_proposal_is_audited_with_its_host_and_dates(trainees, bid, start):
    placement = propose(trainees[0], start, bid=bid)
    entry = AuditEntry.objects.get(action="gmts.placement.propose", target_id=str(placement.pk))
    assert entry.data["host"] == bid.lead_organisation.name
    assert entry.region_id == trainees[0].intake.region_id


def test_a_trainee_who_left_gets_no_placement(trainees, bid, start):
    for trainee, status in zip(trainees, (TraineeStatus.COMPLETED, TraineeStatus.WITHDRAWN), strict=False):
        trainee.status, trainee.status_reason, trainee.left_on = status, "Left", start
        trainee.save()
        with pytest.raises(ValidationError, match="has left the scheme"):
            propose(trainee, start, bid=bid)
    trainees[2].status = TraineeStatus.ON_BREAK
    trainees[2].status_reason = "Leave"
    trainees[2].save()
    assert propose(trainees[2], start, bid=bid).pk


def test_a_bid_of_another_region_is_refused(bid, start):
    elsewhere = TraineeFactory(
        intake=intake_starting(RegionFactory(name="North West", slug="north-west"), start)
    )
    with pytest.raises(ValidationError, match="another region"):
        propose(elsewhere, start, bid=bid)


def test_without_a_bid_the_host_must_be_named_and_finance_may_have_a_principal(trainees, start):
    with pytest.raises(ValidationError) as refusal:
        propose(trainees[0], start)
    assert "host" in refusal.value.message_dict
    finance = TraineeFactory(intake=trainees[0].intake, specialism=specialism("finance"))
    host = OrganisationFactory()
    principal = propose(finance, start, host=host, kind=PlacementKind.PRINCIPAL)
    assert (principal.host, principal.bid) == (host, None)


def test_confirming_records_who_and_when_and_a_placement_without_a_bid_needs_no_place(trainees, start):
    placement = propose(trainees[0], start, host=OrganisationFactory())
    confirmed = services.placement_confirm(placement=placement, actor=None)
    assert confirmed.pk == placement.pk
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CONFIRMED
    assert placement.confirmed_by is None and placement.confirmed_at is not None
    assert AuditEntry.objects.filter(action="gmts.placement.confirm", target_id=str(placement.pk)).exists()


def test_confirming_puts_a_stale_place_count_right_before_the_check(trainees, bid, start):
    placement = propose(trainees[0], start, bid=bid)
    bid.places_taken = 2  # wrong, and as many as the bid approved: no placement holds a place yet
    bid.save()
    services.placement_confirm(placement=placement, actor=None)
    assert taken(bid) == 1


def test_a_recount_that_finds_the_count_right_writes_nothing(trainees, bid, start):
    """Withdrawing a proposal frees no place: the bid's row, which every confirmation locks, is left
    as it was."""
    placement = propose(trainees[0], start, bid=bid)
    bid.refresh_from_db()
    before = bid.updated_at
    services.placement_withdraw(placement=placement, reason="No longer needed", actor=None)
    bid.refresh_from_db()
    assert (bid.places_taken, bid.updated_at) == (0, before)


def test_notifying_the_trainee_returns_the_placement_as_notified(trainees, bid, start):
    placement = propose(trainees[0], start, bid=bid)
    services.placement_confirm(placement=placement, actor=None)
    notified = services.placement_notify_trainee(placement=placement, actor=None)
    assert (notified.pk, notified.status) == (placement.pk, PlacementStatus.NOTIFIED)
    assert AuditEntry.objects.filter(action="gmts.placement.notify", target_id=str(placement.pk)).exists()


def test_the_last_place_can_be_confirmed(trainees, bid, start):
    bid.places_approved = 1
    bid.save()
    placement = propose(trainees[0], start, bid=bid)
    services.placement_confirm(placement=placement, actor=None)
    assert taken(bid) == 1


def test_withdrawing_frees_the_place_and_says_why(trainees, bid, start):
    placement = propose(trainees[0], start, bid=bid, status=PlacementStatus.CONFIRMED)
    assert taken(bid) == 1
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as refusal:
            services.placement_withdraw(placement=placement, reason=blank, actor=None)
        assert "reason" in refusal.value.message_dict
    withdrawn = services.placement_withdraw(placement=placement, reason="  Host restructure ", actor=None)
    assert withdrawn.pk == placement.pk
    placement.refresh_from_db()
    assert (placement.status, placement.status_reason) == (PlacementStatus.WITHDRAWN, "Host restructure")
    assert taken(bid) == 0
    entry = AuditEntry.objects.get(action="gmts.placement.withdraw")
    assert entry.data == {"reason": "Host restructure"}
    with pytest.raises(ValidationError, match="is withdrawn"):
        services.placement_withdraw(placement=placement, reason="Again", actor=None)


def test_a_completed_placement_cannot_be_withdrawn_but_one_without_a_bid_can(trainees, start):
    done = PlacementFactory(trainee=trainees[0], starts_on=start, status=PlacementStatus.COMPLETED)
    with pytest.raises(ValidationError, match="is completed"):
        services.placement_withdraw(placement=done, reason="Late", actor=None)
    started = PlacementFactory(trainee=trainees[1], starts_on=start, status=PlacementStatus.STARTED)
    services.placement_withdraw(placement=started, reason="Ill health", actor=None)
    started.refresh_from_db()
    assert started.status == PlacementStatus.WITHDRAWN


def test_the_daily_step_starts_on_the_first_day_and_completes_after_the_last(trainees, start):
    confirmed = PlacementFactory(trainee=trainees[0], starts_on=start, status=PlacementStatus.CONFIRMED)
    proposed = PlacementFactory(trainee=trainees[1], starts_on=start, status=PlacementStatus.PROPOSED)
    running = PlacementFactory(
        trainee=trainees[2],
        starts_on=start - dt.timedelta(days=100),
        ends_on=start - dt.timedelta(days=1),
        status=PlacementStatus.STARTED,
    )
    assert services.placements_move_on(today=start - dt.timedelta(days=1)) == (0, 0)  # its last day
    assert not AuditEntry.objects.filter(action="gmts.placements.move_on").exists()
    assert services.placements_move_on(today=start) == (1, 1)
    for placement, status in (
        (confirmed, PlacementStatus.STARTED),
        (proposed, PlacementStatus.PROPOSED),
        (running, PlacementStatus.COMPLETED),
    ):
        placement.refresh_from_db()
        assert placement.status == status
    entry = AuditEntry.objects.get(action="gmts.placements.move_on")
    assert entry.data == {"started": [confirmed.pk], "completed": [running.pk]}
    assert services.placements_move_on(today=confirmed.ends_on) == (0, 0)
    assert services.placements_move_on(today=confirmed.ends_on + dt.timedelta(days=1)) == (0, 1)


def test_the_daily_step_runs_on_todays_date_when_none_is_given(trainees):
    from django.utils import timezone

    today = timezone.localdate()
    PlacementFactory(trainee=trainees[0], starts_on=today, status=PlacementStatus.NOTIFIED)
    PlacementFactory(
        trainee=trainees[1], starts_on=today + dt.timedelta(days=1), status=PlacementStatus.NOTIFIED
    )
    assert services.placements_move_on() == (1, 0)
