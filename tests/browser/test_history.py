"""Journey through the history import: programme staff load a past year from spreadsheets, one file at
a time (a template downloaded, a file with a bad row refused, the fixed file previewed and imported),
and the lead finds that year's figures on the dashboard.

Accessibility exceptions: none. Every page below passes axe-core's WCAG 2.2 A and AA rules as it is.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from academy.models import Role
from programmes.models import Attendance, Cohort, Programme
from tests.browser.conftest import sign_in, upload_and_check, verified
from tests.conftest import TOTP_SECRET, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAMMES = (
    "Code,Title,Theme,Delivery mode\n"
    "CLS1,Compassionate leadership,Looking after our people,Virtual\n"
    "MNG2,Mary Seacole,Growing for the future,Face to face\n"
)
COHORTS = (
    "Cohort,Programme,Session date\n"
    "CLS1 May 2021,CLS1,04/05/2021\n"
    "CLS1 May 2021,CLS1,18/05/2021\n"
    "MNG2 Autumn 2021,MNG2,12/10/2021\n"
)
# Everyone on these registers is already on Academy (made below), so the people file is not needed.
REGISTER = (
    "Cohort,Email,Session date,Attendance\n"
    "CLS1 May 2021,ann.able@nhs.net,04/05/2021,Attended\n"
    "CLS1 May 2021,ann.able@nhs.net,18/05/2021,Present\n"
    "CLS1 May 2021,bob.baker@nhs.net,04/05/2021,DNA\n"
    "CLS1 May 2021,bob.baker@nhs.net,18/05/2021,Attended\n"
    "MNG2 Autumn 2021,cat.cole@nhs.net,12/10/2021,Attended\n"
)


def test_programme_staff_import_a_past_year_and_the_lead_sees_its_figures(journey):
    staff = verified(make_person(Role.PROGRAMME_STAFF, email="sam.staff@nhs.net"))
    for email in ("ann.able@nhs.net", "bob.baker@nhs.net", "cat.cole@nhs.net"):
        make_person(organisation=staff.organisation, email=email)
    page = journey.page
    sign_in(journey, staff, totp_secret=TOTP_SECRET)
    journey.from_menu("Manage programmes", "manage programmes", h1="Manage programmes")
    page.get_by_role("link", name="Import history").click()
    journey.check("history - programmes", h1="Import history: past programmes")
    name, body = journey.download(page.get_by_role("link", name="CSV"))
    assert name.endswith(".csv") and body.decode("utf-8-sig").startswith("code,title,theme,delivery_mode")

    # Wrong entry: the second programme's delivery mode is not one Academy knows.
    journey.import_previewed(
        PROGRAMMES,
        PROGRAMMES.replace("Face to face", "By pigeon"),
        "Line 3: delivery_mode “By pigeon” is not a delivery mode",
    )
    expect(page.get_by_text("2 programmes will be read")).to_be_visible()
    expect(page.get_by_role("table", name="Preview")).to_contain_text("Mary Seacole")
    assert not Programme.objects.exists()
    page.get_by_role("button", name="Import 2 programmes").click()
    journey.check("history - programmes - imported", h1="Import history: past programmes")
    expect(page.get_by_role("alert", name="Success")).to_contain_text("2 programmes, 0 cohorts")
    assert sorted(Programme.objects.values_list("code", flat=True)) == ["CLS1", "MNG2"]

    page.get_by_role("link", name="Past cohorts and their sessions").click()
    journey.check("history - cohorts", h1="Import history: past cohorts and their sessions")
    upload_and_check(page, COHORTS, name="cohorts.csv")
    journey.check("history - cohorts - check", h1="Import history: past cohorts and their sessions")
    expect(page.get_by_text("3 sessions will be read")).to_be_visible()
    page.get_by_role("button", name="Import 3 sessions").click()
    journey.check("history - cohorts - imported", h1="Import history: past cohorts and their sessions")
    expect(page.get_by_role("alert", name="Success")).to_contain_text("2 cohorts with 3 sessions")
    assert Cohort.objects.filter(region=staff.region).count() == 2

    page.get_by_role("link", name="Past registers").click()
    journey.check("history - registers", h1="Import history: past registers")
    # Wrong entry: a mark for someone in neither the people file nor on Academy.
    journey.import_previewed(
        REGISTER,
        REGISTER + "MNG2 Autumn 2021,eve@nhs.net,12/10/2021,Attended\n",
        "Line 7: The person eve@nhs.net is not in the people file nor on Academy.",
    )
    expect(page.get_by_text("5 attendance marks will be read")).to_be_visible()
    assert not Attendance.objects.exists()
    page.get_by_role("button", name="Import 5 attendance marks").click()
    journey.check("history - registers - imported", h1="Import history: past registers")
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        "3 enrolments and 5 attendance marks imported"
    )
    assert Attendance.objects.count() == 5

    # The region's lead finds 2021/22 on the dashboard.
    lead = verified(make_person(Role.LEAD, organisation=staff.organisation, email="lee.lead@nhs.net"))
    journey.as_someone_else()
    sign_in(journey, lead, totp_secret=TOTP_SECRET)
    page = journey.page
    journey.from_menu("Dashboard", "dashboard", h1=re.compile("^Dashboard: "))
    page.get_by_label("Year").select_option("2021/22")
    page.get_by_role("button", name="Show figures").click()
    journey.check("dashboard - 2021/22", h1=re.compile("^Dashboard: 2021/22"))
    # The headline cards: two cohorts held, 3 places for 3 people, 4 of the 5 marks attended.
    cards = page.locator(".nhsuk-card-group").get_by_role("listitem")
    expect(cards).to_have_text(
        [
            re.compile(r"^\s*2\s*interventions delivered\s*$"),
            re.compile(r"^\s*3\s*enrolments\s*$"),
            re.compile(r"^\s*3\s*individuals\s*$"),
            re.compile(r"^\s*80%\s*attendance on the day\s*$"),
        ]
    )
    expect(page.get_by_text("Sessions held ran from 4 May 2021 to 12 October 2021.")).to_be_visible()
