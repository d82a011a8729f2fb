"""Journeys through talent management. The talent lead imports a pool (a file with a bad row first),
changes a member's readiness (without evidence first), posts a secondment (with a closing date that
has passed first), reads the equity funnel and imports the systems' senior workforce figures, shown
beside the slates on the talent boards (a file with a bad row first). A pool member sees their record,
records a career conversation shared with the talent team, and expresses interest in the secondment
(without saying why first).

Accessibility exceptions: none. Every page below passes axe-core's WCAG 2.2 A and AA rules as it is.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from academy.models import Role
from talent.models import (
    CareerConversation,
    Interest,
    Opportunity,
    PoolMember,
    Readiness,
    SeniorWorkforce,
    TargetRole,
)
from tests.browser.conftest import fill_date, sign_in, verified
from tests.conftest import TOTP_SECRET, make_person
from tests.factories import OrganisationFactory, SystemFactory
from tests.talent.conftest import add_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = (
    "email,first_name,last_name,job_title,organisation,system,professional_group,service_type,"
    "readiness,readiness_date,target_roles,entry_route,gender,ethnic_category,disability\n"
)
WORKFORCE_HEADER = "System,As of,White,Minority ethnic,Ethnicity not stated,Female,Male,Gender other\n"


def test_talent_lead_imports_a_pool_changes_readiness_posts_a_secondment_and_reads_the_funnel(
    journey, tmp_path
):
    system = SystemFactory(name="Derby and Derbyshire", slug="derby-derbyshire")
    trust = OrganisationFactory(system=system, name="Chesterfield Royal Hospital NHS Foundation Trust")
    lead = verified(make_person(Role.TALENT_LEAD, organisation=trust))
    # The board roles come from a data migration, which an earlier journey's flush may have emptied.
    for role in ("Director of nursing", "Director of finance"):
        TargetRole.objects.get_or_create(name=role, region=None, defaults={"is_board_role": True})
    page = journey.page
    sign_in(journey, lead, totp_secret=TOTP_SECRET)
    journey.from_menu("Talent pool", "talent pool dashboard - empty", h1=re.compile("^Talent pool"))

    page.get_by_role("link", name="Import a pool or movements").click()
    journey.check("import", h1="Import a talent pool")
    good = (
        f"priya.patel@nhs.net,Priya,Patel,Deputy Director of Nursing,{trust.name},,nursing,acute,ready soon,"
        "2021-01-15,Director of nursing,aspire_together,female,H,no\n"
        f"tom.evans@nhs.net,Tom,Evans,Deputy Director of Finance,{trust.name},,finance,acute,ready_now,"
        "2021-02-01,Director of finance,aspire_together,male,A,no\n"
    )
    # Wrong entry: the third row names an organisation that is not in the region.
    elsewhere = (
        "sam.lee@nhs.net,Sam,Lee,,Nowhere Trust,,nursing,acute,ready_now,2021-02-01,,aspire_together,,,\n"
    )
    journey.import_previewed(
        HEADER + good,
        HEADER + good + elsewhere,
        "Line 4: organisation “Nowhere Trust” is not an organisation",
    )
    expect(page.get_by_text("2 pool members will join the talent pool")).to_be_visible()
    assert not PoolMember.objects.exists()
    page.get_by_role("button", name="Import 2 pool members").click()
    journey.check("pool members", h1="Talent pool members")
    expect(page.get_by_text("2 pool members imported.")).to_be_visible()

    page.get_by_role("link", name="Priya Patel").click()
    journey.check("priya's record", h1="Priya Patel")
    page.get_by_role("link", name="Change readiness").click()
    journey.check("change readiness", h1=re.compile("Change readiness$"))
    page.get_by_label("Ready now").check()
    fill_date(page, "Date of the decision", timezone.localdate())
    # Wrong entry: no evidence for the decision.
    journey.refused("Save readiness", "Evidence: This field is required", "change readiness - no evidence")
    page.get_by_label("Evidence").fill("Talent review panel: acting Director of Nursing for six months.")
    page.get_by_role("button", name="Save readiness").click()
    journey.check("priya's record - ready now", h1="Priya Patel")
    expect(page.get_by_text("Priya Patel is now ready now.")).to_be_visible()
    expect(page.locator("#readiness-history")).to_contain_text("acting Director of Nursing for six months")
    assert PoolMember.objects.get(person__user__email="priya.patel@nhs.net").readiness == Readiness.READY_NOW

    journey.from_menu("Talent pool", "talent pool dashboard", h1=re.compile("^Talent pool"))
    page.get_by_role("link", name="Executive Talent Scheme opportunities").click()
    journey.check("opportunities", h1="Executive Talent Scheme opportunities")
    page.get_by_role("button", name="Post an opportunity").click()
    journey.check("post an opportunity", h1="Post a stretch assignment or secondment")
    today = timezone.localdate()
    page.get_by_label("Role", exact=True).fill("Director of Operations (secondment)")
    page.get_by_label("Host organisation").select_option(label=trust.name)
    page.get_by_label("Secondment").check()
    fill_date(page, "Start date", today + dt.timedelta(days=60))
    fill_date(page, "End date", today + dt.timedelta(days=240))
    # Wrong entry: a closing date that has already passed.
    fill_date(page, "Closing date for expressions of interest", today - dt.timedelta(days=1))
    journey.refused(
        "Post opportunity", "The closing date has already passed", "post an opportunity - closed already"
    )
    fill_date(page, "Closing date for expressions of interest", today + dt.timedelta(days=14))
    page.get_by_role("button", name="Post opportunity").click()
    journey.check("the secondment", h1="Director of Operations (secondment)")
    expect(
        page.get_by_text("Director of Operations (secondment) is posted to the talent pool.")
    ).to_be_visible()

    journey.from_menu("Talent pool", "talent pool dashboard - the funnel", h1=re.compile("^Talent pool"))
    funnel = page.locator("#funnel-ethnicity")
    expect(funnel).to_contain_text("In the pool")
    expect(funnel.get_by_role("row", name=re.compile("^In the pool"))).to_contain_text("*")
    # Its columns fit this window: its region shows no "more to the right" shadow and is no tab stop.
    region = page.locator(".nhsuk-scroll", has=funnel)
    expect(region).not_to_have_class(re.compile("nhsuk-scroll--scrollable"))
    expect(region.locator(".nhsuk-scroll__content")).not_to_have_attribute("tabindex", "0")
    name, body = journey.download(page.get_by_role("link", name="The talent pool's equity funnel (CSV)"))
    assert name.startswith("talent-equity-funnel") and body.decode().startswith("Dimension,Step,Group")

    # The assessment centres and the talent boards: one look at each new screen.
    page.get_by_role("link", name="Development Assessment Centres").click()
    journey.check("assessment centres", h1="Development Assessment Centres")
    page.get_by_role("button", name="Set up a centre").click()
    journey.check("set up a centre", h1="Set up a Development Assessment Centre")
    page.get_by_label("Title").fill("Leadership DAC, summer")
    page.get_by_label("Leadership", exact=True).check()
    fill_date(page, "Date of the centre", today + dt.timedelta(days=30))
    page.get_by_label("Places").fill("2")
    page.get_by_role("button", name="Set up centre").click()
    journey.check("the centre", h1="Leadership DAC, summer")
    page.get_by_role("button", name="Nominate someone").click()
    journey.check("nominate", h1=re.compile("Nominate someone$"))
    page.get_by_label("Email address of the person nominated").fill("priya.patel@nhs.net")
    page.get_by_role("button", name="Nominate", exact=True).click()
    journey.check("the centre - a nomination", h1="Leadership DAC, summer")
    page.get_by_role("button", name="Give Priya Patel a place").click()
    journey.check("the centre - a place given", h1="Leadership DAC, summer")
    expect(page.get_by_text("Priya Patel has a place.")).to_be_visible()
    journey.from_menu("Talent pool", "talent pool dashboard - again", h1=re.compile("^Talent pool"))
    page.get_by_role("link", name="Talent boards").click()
    journey.check("talent boards", h1="Talent boards")

    # The system's senior workforce figures, imported from a file, beside the slates.
    page.get_by_role("button", name="Import senior workforce figures").click()  # a link drawn as a button
    journey.check("import workforce figures", h1="Import senior workforce figures")
    figures = f"{system.name},31/03/2026,60,30,10,55,45,0\n"
    # Wrong entry: 100 senior staff by ethnicity but 99 by gender.
    journey.import_previewed(
        WORKFORCE_HEADER + figures,
        WORKFORCE_HEADER + figures.replace(",45,", ",44,"),
        "Line 2: The ethnicity counts add up to 100 but the gender counts to 99",
    )
    expect(page.get_by_text("1 system's figures will be saved.")).to_be_visible()
    assert not SeniorWorkforce.objects.exists()
    page.get_by_role("button", name="Import 1 system's figures").click()
    journey.check("talent boards - workforce figures", h1="Talent boards")
    row = page.locator("#slate-diversity").get_by_role("row", name=re.compile(f"^{system.name}"))
    # No one is on a slate yet: the workforce's shares stand beside dashes.
    expect(row.get_by_role("cell").nth(3)).to_have_text("30%")  # Workforce: minority ethnic
    expect(row.get_by_role("cell").nth(5)).to_have_text("55%")  # Workforce: female
    assert SeniorWorkforce.objects.get(system=system).minority_ethnic == 30


def test_member_sees_their_record_shares_a_conversation_and_expresses_interest(journey):
    system = SystemFactory(name="Birmingham and Solihull", slug="birmingham-solihull")
    trust = OrganisationFactory(system=system, name="University Hospitals Birmingham NHS Foundation Trust")
    lead = make_person(Role.TALENT_LEAD, organisation=trust)
    person = verified(make_person(organisation=trust, email="grace.okonjo@nhs.net"))
    member = add_member(
        person, actor=lead.user, readiness=Readiness.READY_SOON, decided_on=dt.date(2021, 1, 5)
    )
    today = timezone.localdate()
    Opportunity.objects.create(
        region=trust.region,
        role="Interim Director of People",
        host=trust,
        kind="secondment",
        starts_on=today + dt.timedelta(days=40),
        ends_on=today + dt.timedelta(days=200),
        closes_on=today + dt.timedelta(days=10),
    )
    page = journey.page
    sign_in(journey, person)
    page.get_by_role("link", name="My talent record").click()
    journey.check("my talent record", h1="My talent record")
    expect(page.locator("#readiness-history")).to_contain_text("Ready soon")
    expect(page.get_by_text("you have not agreed")).to_be_visible()

    page.get_by_role("button", name="Record a career conversation").click()
    journey.check("career conversation", h1="Record a career conversation")
    page.get_by_label("Your career aspirations").fill(
        "A Director of People role in an acute trust within two years."
    )
    # Wrong entry: no view of their own readiness.
    journey.refused(
        "Save conversation",
        "Your own view of your readiness: This field is required",
        "career conversation - no readiness",
    )
    page.get_by_label("Ready soon").check()
    page.get_by_label("The regional talent team may read this conversation").check()
    page.get_by_role("button", name="Save conversation").click()
    journey.check("my talent record - conversation saved", h1="My talent record")
    expect(page.get_by_text("Your career conversation is saved.")).to_be_visible()
    expect(page.get_by_text("Shared with the talent team.")).to_be_visible()
    conversation = CareerConversation.objects.get(member=member)
    assert conversation.share_with_lead and not conversation.share_with_board

    page.get_by_role("link", name="Express interest in Interim Director of People").click()
    journey.check("express interest", h1=re.compile("Express interest in Interim Director of People$"))
    # Wrong entry: no reason given.
    journey.refused(
        "Send my interest", "Why you are interested: This field is required", "express interest - no reason"
    )
    page.get_by_label("Why you are interested").fill("I lead our workforce recovery programme.")
    page.get_by_role("button", name="Send my interest").click()
    journey.check("my talent record - interest sent", h1="My talent record")
    expect(
        page.get_by_text("Your interest in Interim Director of People is sent to the talent team.")
    ).to_be_visible()
    expect(page.get_by_text("Interest sent")).to_be_visible()

    page.get_by_role("link", name="Your Development Assessment Centres and feedback reports").click()
    journey.check("my assessment centres", h1="Your Development Assessment Centres")
    assert Interest.objects.get(member=member).statement == "I lead our workforce recovery programme."
