"""Journeys through the Graduate Management Training Scheme.

1. The GMTS manager assures a host's bid (a missing reason first), places the one new trainee without
   a placement on it (an end before the start first), confirms it for the host, and watches the
   intake's confirmed-placements figure turn complete.
2. A placement manager confirms a placement proposed at their organisation and signs off a competency
   for a trainee whose placement has started (a missing note first).

Accessibility exceptions: none. Every page below passes axe-core's WCAG 2.2 A and AA rules as it is.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from academy.models import Role
from gmts.models import BidStatus, CompetencySignOff, PlacementStatus, SchemeQuote, VoiceRole
from tests.browser.conftest import expect_error_summary, fill_date, sign_in, verified
from tests.conftest import TOTP_SECRET, make_person
from tests.factories import OrganisationFactory, RegionFactory
from tests.gmts.factories import (
    HostBidFactory,
    PlacementFactory,
    TraineeFactory,
    intake_starting,
    specialism,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def named(given: str, family: str, organisation):
    person = make_person(organisation=organisation)
    person.given_name, person.family_name = given, family
    person.save(update_fields=["given_name", "family_name"])
    return person


def next_intake_start() -> dt.date:
    earliest = timezone.localdate() + dt.timedelta(weeks=6)
    return min(d for d in (dt.date(earliest.year + n, m, 1) for n in (0, 1) for m in (3, 9)) if d >= earliest)


def test_gmts_manager_assures_a_bid_places_a_trainee_and_the_intake_is_complete(journey):
    region = RegionFactory()
    host = OrganisationFactory(name="Wye Valley NHS Trust")
    manager = verified(make_person(Role.GMTS_MANAGER, organisation=host))
    start = next_intake_start()
    intake = intake_starting(region, start)
    pm, plm = make_person(organisation=host), make_person(organisation=host)
    placed = TraineeFactory(intake=intake, person=named("Abi", "Cole", host))
    waiting = TraineeFactory(intake=intake, person=named("Frank", "Hale", host))
    PlacementFactory(trainee=placed, host=host, starts_on=start)
    bid = HostBidFactory(
        intake=intake,
        lead_organisation=host,
        programme_manager=pm,
        placement_manager=plm,
        status=BidStatus.SUBMITTED,
        places_requested=2,
        places_approved=0,
        decision_reason="",
    )
    specialism("finance")  # the migrations' specialisms, made again if an earlier test flushed them
    page = journey.page

    sign_in(journey, manager, totp_secret=TOTP_SECRET)
    journey.from_menu("Graduate scheme", "dashboard", h1=re.compile("^Graduate Management Training Scheme"))
    figures = page.locator("#confirmed-placements")
    expect(figures).to_contain_text("1 of 2")
    expect(figures).to_contain_text("Frank Hale")

    page.locator("#bids").get_by_role("link", name="Wye Valley NHS Trust").click()
    journey.check("assure the bid", h1=re.compile("Assure the bid from Wye Valley NHS Trust"))
    page.get_by_label("Approve", exact=True).check()
    journey.refused("Record the decision", "Give the reasons for the decision", "assure the bid - no reason")
    page.get_by_label("Reasons for the decision").fill("A strong plan and a named placement manager.")
    page.get_by_role("button", name="Record the decision").click()
    journey.check("dashboard - bid approved", h1=re.compile("^Graduate Management Training Scheme"))
    expect(page.get_by_text("is approved")).to_be_visible()
    bid.refresh_from_db()
    assert (bid.status, bid.places_approved) == (BidStatus.APPROVED, 2)

    page.locator("#confirmed-placements").get_by_role("link", name="Frank Hale").click()
    journey.check("trainee", h1=re.compile("Frank Hale"))
    page.get_by_role("button", name="Place this trainee").click()
    journey.check("place the trainee", h1=re.compile("Place Frank Hale"))
    page.get_by_label("Host bid").select_option(
        label="Wye Valley NHS Trust – first placements, 2 of 2 places left"
    )
    fill_date(page, "Start date", start)
    fill_date(page, "End date", start - dt.timedelta(days=1))
    journey.refused(
        "Propose the placement",
        "The end date must be after the start date",
        "place the trainee - end before start",
    )
    fill_date(page, "End date", start + dt.timedelta(days=364))
    page.get_by_role("button", name="Propose the placement").click()
    journey.check("trainee - proposed", h1=re.compile("Frank Hale"))
    expect(page.locator("#placements")).to_contain_text("Proposed")

    page.locator("#placements").get_by_role("link", name=re.compile("^Confirm")).click()
    journey.check("confirm the placement", h1="Confirm Frank Hale's placement")
    page.get_by_role("button", name="Confirm the placement").click()
    journey.check("trainee - confirmed", h1=re.compile("Frank Hale"))
    expect(page.locator("#placements")).to_contain_text("Confirmed by the host")
    assert waiting.placements.get().status == PlacementStatus.CONFIRMED

    journey.from_menu(
        "Graduate scheme", "dashboard - complete", h1=re.compile("^Graduate Management Training Scheme")
    )
    expect(page.locator("#confirmed-placements")).to_contain_text("2 of 2")
    expect(page.locator("#confirmed-placements")).to_contain_text("Complete")

    # Adding a trainee new to Academy: without a name first, then with it.
    page.get_by_role("link", name="Add a trainee").click()
    journey.check("add a trainee", h1="Add a trainee")
    page.get_by_label("Work email", exact=True).fill("gus.ede@nhs.net")
    page.get_by_label("Intake", exact=True).select_option(label=intake.label)
    page.get_by_label("Specialism", exact=True).select_option(label="Finance")
    page.get_by_role("button", name="Add the trainee").click()
    expect_error_summary(page, "give their first and last name")
    journey.check("add a trainee - no name", h1="Add a trainee")
    page.get_by_label("First name").fill("Gus")
    page.get_by_label("Last name").fill("Ede")
    page.get_by_role("button", name="Add the trainee").click()
    journey.check("new trainee", h1=re.compile("Gus Ede"))

    # Choosing a trainee's words for the Year in Review.
    SchemeQuote.objects.create(
        region=region,
        role=VoiceRole.TRAINEE,
        name="Abi Cole",
        attribution="GMTS trainee",
        text="The placements stretched me.",
        given_on=timezone.localdate(),
    )
    journey.from_menu(
        "Graduate scheme",
        "dashboard - with the new trainee",
        h1=re.compile("^Graduate Management Training Scheme"),
    )
    page.get_by_role("link", name="Quotes for the Year in Review").click()
    journey.check("quotes", h1="Quotes for the Year in Review")
    page.get_by_role("button", name=re.compile("^Choose for the review")).click()
    journey.check("quotes - chosen", h1="Quotes for the Year in Review")
    expect(page.locator("#quotes")).to_contain_text("Chosen")


def test_placement_manager_confirms_a_placement_and_signs_off_a_competency(journey):
    region = RegionFactory()
    host = OrganisationFactory(name="Derbyshire Healthcare NHS Foundation Trust")
    me = verified(named("Catherine", "Blaabjerg", host))
    start = next_intake_start()
    intake = intake_starting(region, start)
    bid = HostBidFactory(intake=intake, lead_organisation=host, placement_manager=me, places_approved=2)
    newcomer = TraineeFactory(intake=intake, person=named("Alastair", "Reid", host))
    PlacementFactory(
        trainee=newcomer,
        bid=bid,
        host=host,
        starts_on=start,
        status=PlacementStatus.PROPOSED,
        placement_manager=me,
    )
    current = TraineeFactory(
        intake=intake_starting(region, dt.date(start.year - 1, start.month, 1)),
        person=named("Diana", "Ferguson", host),
    )
    today = timezone.localdate()
    PlacementFactory(
        trainee=current,
        host=host,
        starts_on=today - dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=120),
        status=PlacementStatus.STARTED,
        placement_manager=me,
    )
    page = journey.page

    sign_in(journey, me)
    page.get_by_role("link", name="GMTS trainees I manage").click()
    journey.check("trainees I manage", h1="GMTS trainees I manage")
    page.locator("#to-confirm").get_by_role("link", name=re.compile("Confirm")).click()
    journey.check("confirm", h1="Confirm Alastair Reid's placement")
    page.get_by_role("button", name="Confirm the placement").click()
    journey.check("trainee - confirmed", h1=re.compile("Alastair Reid"))
    expect(
        page.get_by_text("placement at Derbyshire Healthcare NHS Foundation Trust is confirmed")
    ).to_be_visible()

    page.goto(journey.url("/gmts/managed/"))
    journey.check("trainees I manage - nothing to confirm", h1="GMTS trainees I manage")
    expect(page.get_by_text("No placements are waiting for your confirmation.")).to_be_visible()
    page.locator("#trainees").get_by_role("link", name="Diana Ferguson").click()
    journey.check("current trainee", h1=re.compile("Diana Ferguson"))
    page.get_by_role("link", name=re.compile("^Sign off a competency")).click()
    journey.check("sign off", h1=re.compile("Sign off a competency"))
    competency = current.specialism.competencies[2]
    page.get_by_label("Competency").select_option(competency)
    journey.refused("Sign off", "Say what the trainee did to show the competency", "sign off - no note")
    page.get_by_label("What did the trainee do to show it?").fill(
        "Led the Freedom to Speak Up application project."
    )
    page.get_by_role("button", name="Sign off").click()
    journey.check("current trainee - signed off", h1=re.compile("Diana Ferguson"))
    expect(page.locator("#competencies")).to_contain_text("Signed off")
    assert CompetencySignOff.objects.get(trainee=current).competency == competency
