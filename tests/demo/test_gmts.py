"""The demo's scheme: the 2020/21 chapter states what the Year in Review did, and the live dashboard
has an intake still being placed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from academy.scope import Scope
from gmts import demo as gmts_demo
from gmts import selectors
from gmts.models import BidStatus, CompetencySignOff, HostBid, Placement, PlacementFeedback, Trainee

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def test_the_demo_states_the_2020_21_figures_and_is_idempotent(demo):
    counts = (Trainee.objects.count(), Placement.objects.count(), HostBid.objects.count())
    gmts_demo.load()
    assert (Trainee.objects.count(), Placement.objects.count(), HostBid.objects.count()) == counts

    midlands = demo
    figures = selectors.gmts_chapter(Scope.for_nhs_year("2020/21", region=midlands))
    assert figures["supported"] == 90
    assert figures["new_per_intake"] == [("March 2021", 14)]
    assert (
        figures["confirmed"].sentence == "All 14 trainees starting in March 2021 have confirmed placements."
    )
    assert figures["by_system"].total.value == 90
    assert len(figures["quotes"]) == 5
    assert CompetencySignOff.objects.count() > 400
    assert PlacementFeedback.objects.count() > 400

    # The next intake is still being placed: 8 of 11 confirmed, 3 flagged, 2 bids to assure.
    today = timezone.localdate()
    next_intake = selectors.upcoming_intakes(midlands, today)[-1]
    rows = selectors.confirmed_placements(midlands, [next_intake])
    assert sum(r.starting for r in rows) == 11
    assert sum(r.confirmed for r in rows) == 8
    assert HostBid.objects.filter(status=BidStatus.SUBMITTED).count() == 2
    shown, _ = selectors.host_feedback(midlands)
    assert shown and all(h.responses >= 3 for h in shown)
