"""Journeys through programmes: a participant finds a Complete Leadership Series module, enrols,
downloads a session's calendar file and cancels, and the first person waiting accepts the freed place;
the same enrolment with the keyboard alone; programme staff build a cohort and run its register.

Accessibility exceptions: none. Every page below passes axe-core's WCAG 2.2 A and AA rules as it is.
Forms with no field a person can get wrong (the enrol, cancel and accept buttons, the search box whose
every entry is valid) have no wrong-entry step; every form with fields has one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from academy.models import Role
from programmes import services
from programmes.models import Attendance, AttendanceStatus, Cohort, Enrolment, EnrolmentStatus, Programme
from tests.browser.conftest import (
    fill_date,
    sign_in,
    tab_to,
    upload_and_check,
    verified,
)
from tests.conftest import TOTP_SECRET, make_person, signed_in_client
from tests.factories import TEST_PASSWORD, CohortFactory, ProgrammeFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLS_SUMMARY = "Part of the Complete Leadership Series: a half-day virtual module for leaders at every level."


def complete_leadership_series(region, *, capacity: int) -> Cohort:
    """CLS7 with one open cohort of two sessions, among other programmes a search must leave out."""
    cls7 = ProgrammeFactory(
        code="CLS7",
        title="Trauma informed leadership, working through crisis",
        slug="cls7-trauma-informed-leadership",
        summary=CLS_SUMMARY,
        region=region,
    )
    ProgrammeFactory(
        code="MSP",
        title="Mary Seacole programme",
        slug="mary-seacole",
        summary="Six months of leadership learning for first-time leaders.",
        region=region,
    )
    ProgrammeFactory(
        code="LSC",
        title="Leading for System Change",
        slug="leading-for-system-change",
        summary="For up to 40 leaders from one integrated care system.",
        region=region,
    )
    cohort = CohortFactory(programme=cls7, name="CLS7 January 2027", capacity=capacity)
    first = timezone.now().replace(hour=9, minute=30, second=0, microsecond=0) + dt.timedelta(days=21)
    SessionFactory(
        cohort=cohort, title="Trauma and the team", starts_at=first, ends_at=first + dt.timedelta(hours=3)
    )
    SessionFactory(
        cohort=cohort,
        title="Working through crisis",
        starts_at=first + dt.timedelta(days=7),
        ends_at=first + dt.timedelta(days=7, hours=3),
    )
    return cohort


def test_participant_finds_a_cls_module_enrols_and_cancels_then_the_first_waiting_accepts(journey):
    participant = verified(make_person(email="alex.morgan@nhs.net"))
    region = participant.region
    cohort = complete_leadership_series(region, capacity=2)
    services.enrolment_create(
        person=make_person(organisation=participant.organisation), cohort=cohort, actor=None
    )
    page = journey.page

    sign_in(journey, participant)
    journey.from_menu("Find a programme", "find a programme", h1="Find a programme")
    expect(page.get_by_text("3 programmes")).to_be_visible()

    # A search with a typo finds nothing, and says so.
    page.get_by_label("Search").fill("Complete Leadership Seriez trauma")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("No programmes match your search")).to_be_visible()
    journey.check("search - nothing found")

    page.get_by_label("Search").fill("Complete Leadership Series")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("1 programme", exact=True)).to_be_visible()
    journey.check("search - Complete Leadership Series")
    expect(page.get_by_role("link", name="Mary Seacole programme")).to_have_count(0)
    page.get_by_role("link", name="Trauma informed leadership, working through crisis").click()
    journey.check("programme", h1="Trauma informed leadership, working through crisis")
    expect(page.get_by_text("1 of 2 places left")).to_be_visible()

    page.get_by_role("button", name="Enrol on CLS7 January 2027").click()
    journey.check("my learning - enrolled", h1="My learning")
    expect(page.get_by_text("You have a place on CLS7 January 2027")).to_be_visible()
    programmes_table = page.get_by_role("table", name="Your enrolments and applications")
    expect(programmes_table).to_contain_text("Trauma informed leadership, working through crisis")
    expect(programmes_table).to_contain_text("Enrolled")
    assert Enrolment.objects.get(person=participant).status == EnrolmentStatus.ENROLLED

    # The calendar file for the first session.
    name, content = journey.download(page.get_by_role("link", name="Add to calendar – Trauma and the team"))
    assert name.endswith(".ics")
    events = list(Calendar.from_ical(content).walk("VEVENT"))
    assert len(events) == 1
    assert "Trauma and the team" in str(events[0]["SUMMARY"])
    session = cohort.sessions.get(title="Trauma and the team")
    assert events[0].decoded("DTSTART") == session.starts_at
    assert events[0].decoded("DTEND") == session.ends_at

    # Two more people want a place: the cohort is full, so they wait, in order.
    waiting_first = verified(make_person(organisation=participant.organisation, email="jo.first@nhs.net"))
    waiting_second = make_person(organisation=participant.organisation)
    for person in (waiting_first, waiting_second):
        assert services.enrolment_create(person=person, cohort=cohort, actor=None).status == "waitlisted"
    mail.outbox.clear()

    page.get_by_role("link", name="Cancel CLS7 January 2027").click()
    journey.check("cancel - are you sure", h1="Are you sure you want to cancel?")
    page.get_by_role("button", name="Yes, cancel").click()
    journey.check("my learning - cancelled", h1="My learning")
    expect(page.get_by_text("Your place on CLS7 January 2027 is cancelled.")).to_be_visible()
    expect(programmes_table).to_contain_text("Cancelled")

    # The freed place is offered to the first person waiting, by email.
    offers = [m for m in mail.outbox if m.to == ["jo.first@nhs.net"]]
    assert len(offers) == 1 and "A place is waiting for you" in offers[0].subject
    assert not [m for m in mail.outbox if m.to == [waiting_second.user.email]]

    page = journey.as_someone_else()
    sign_in(journey, waiting_first)
    journey.from_menu("My learning", "my learning - a place is waiting", h1="My learning")
    page.get_by_role("link", name="Accept or decline this place").click()
    journey.check("accept the place", h1="A place is waiting for you")
    page.get_by_role("button", name="Accept the place").click()
    journey.check("my learning - place accepted", h1="My learning")
    expect(page.get_by_text("You have a place on CLS7 January 2027.")).to_be_visible()
    expect(page.get_by_role("table", name="Your enrolments and applications")).to_contain_text("Enrolled")
    assert Enrolment.objects.get(person=waiting_first).status == EnrolmentStatus.ENROLLED
    assert Enrolment.objects.get(person=waiting_second).waitlist_position == 1


def test_participant_enrols_with_the_keyboard_alone(journey):
    participant = verified(make_person(email="kim.keys@nhs.net"))
    complete_leadership_series(participant.region, capacity=10)
    page = journey.page
    keyboard = page.keyboard
    journey.visit("/", "landing page")
    tab_to(page, page.get_by_role("link", name="Sign in").first)
    keyboard.press("Enter")
    journey.check("sign in", h1="Sign in")
    tab_to(page, page.get_by_label("Work email address"))
    keyboard.type(participant.user.email)
    tab_to(page, page.get_by_label("Password"))
    keyboard.type(TEST_PASSWORD)
    keyboard.press("Enter")
    journey.check("home", h1=re.compile("^Welcome"))

    tab_to(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find a programme"))
    keyboard.press("Enter")
    journey.check("find a programme", h1="Find a programme")
    tab_to(page, page.get_by_label("Search"))
    keyboard.type("Complete Leadership Series")
    tab_to(page, page.get_by_role("button", name="Apply"))
    keyboard.press("Enter")
    expect(page.get_by_text("1 programme", exact=True)).to_be_visible()
    journey.check("search results")
    tab_to(page, page.get_by_role("link", name="Trauma informed leadership, working through crisis"))
    keyboard.press("Enter")
    journey.check("programme", h1="Trauma informed leadership, working through crisis")
    tab_to(page, page.get_by_role("button", name="Enrol on CLS7 January 2027"))
    keyboard.press("Space")
    journey.check("my learning", h1="My learning")
    expect(page.get_by_role("table", name="Your enrolments and applications")).to_contain_text("Enrolled")
    assert Enrolment.objects.get(person=participant).status == EnrolmentStatus.ENROLLED


def test_programme_staff_build_a_cohort_import_enrolments_take_attendance_and_export(journey):
    staff = verified(make_person(Role.PROGRAMME_STAFF, email="sam.staff@nhs.net"))
    known = make_person(organisation=staff.organisation, email="known.person@nhs.net")
    page = journey.page
    sign_in(journey, staff, totp_secret=TOTP_SECRET)
    journey.from_menu("Manage programmes", "manage programmes", h1="Manage programmes")
    page.get_by_role("button", name="Create a programme").click()  # a link drawn as a button
    journey.check("create a programme", h1="Create a programme")

    # Wrong entry: no theme chosen.
    page.get_by_label("Title").fill("Virtual leadership")
    page.get_by_label("Code").fill("CLS5")
    page.get_by_label("Summary").fill(CLS_SUMMARY)
    page.get_by_label("Virtual", exact=True).check()
    page.get_by_label("Open enrolment").check()
    journey.refused("Save programme", "Theme: This field is required", "create a programme - missing theme")

    page.get_by_label("New ways of working and delivering care").check()
    page.get_by_role("button", name="Save programme").click()
    journey.check("programme", h1="Virtual leadership")
    programme = Programme.objects.get(code="CLS5")
    assert programme.region == staff.region

    page.get_by_role("button", name="Add a cohort").click()
    journey.check("add a cohort", h1="Add a cohort")
    # Wrong entry: the capacity is missing.
    page.get_by_label("Name").fill("CLS5 February 2027")
    journey.refused("Save cohort", "Capacity: This field is required", "add a cohort - missing capacity")
    page.get_by_label("Capacity").fill("12")
    page.get_by_role("button", name="Save cohort").click()
    journey.check("cohort - draft", h1="CLS5 February 2027")
    cohort = Cohort.objects.get(name="CLS5 February 2027")

    start = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=28)
    for number in (1, 2, 3):
        starts = start + dt.timedelta(days=7 * (number - 1))
        page.get_by_role("link", name="Add a session").click()
        journey.check(f"add session {number}", h1="Add a session")
        page.get_by_label("Title").fill(f"Module {number}")
        fill_date(page, "Starts", starts)
        fill_date(page, "Ends", starts + dt.timedelta(hours=3))
        if number == 1:
            # Wrong entry: neither a venue nor a joining link.
            journey.refused(
                "Save session", "Venue: Give a venue or a joining link", "add session - no venue or link"
            )
            # Wrong entry: the link is not a web address.
            page.get_by_label("Joining link").fill("teams meeting")
            journey.refused(
                "Save session", "Joining link: Enter a valid URL", "add session - link not a web address"
            )
        page.get_by_label("Joining link").fill(f"https://teams.microsoft.com/l/meetup-join/cls5-{number}")
        page.get_by_role("button", name="Save session").click()
        journey.check(f"cohort - {number} sessions", h1="CLS5 February 2027")
        expect(page.get_by_text("The session has been added.")).to_be_visible()
    assert cohort.sessions.count() == 3

    page.get_by_role("button", name="Open enrolment").click()
    journey.check("cohort - open", h1="CLS5 February 2027")
    expect(page.get_by_text("CLS5 February 2027 is now open")).to_be_visible()

    page.get_by_role("link", name="Import enrolments (Excel or CSV)").click()
    journey.check("import enrolments", h1="Import enrolments")
    # Wrong entry: no file chosen.
    journey.refused("Upload and check", "Spreadsheet file: This field is required", "import - no file")

    header = "email,first_name,last_name,job_title,staff_group\n"
    rows = [
        "known.person@nhs.net,,,,\n",
        "new.starter@nhs.net,Nia,Patel,Practice Manager,Administrative and Clerical\n",
        "not-an-email,Lee,Wong,Matron,Nursing and Midwifery Registered\n",
    ]
    upload_and_check(page, header + "".join(rows), name="cohort.csv")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Nothing has been imported")
    expect(summary).to_contain_text("Line 4: email “not-an-email” is not an email address")
    # Each bad row in the summary leads to the file to fix, which says what is wrong with it.
    summary.get_by_role("link", name=re.compile("^Line 4:")).click()
    expect(page.get_by_label("Spreadsheet file")).to_be_focused()
    expect(page.get_by_label("Spreadsheet file")).to_have_accessible_description(re.compile("1 problem"))
    expect(page).to_have_title(re.compile("^Error: "))
    journey.check("import - a bad row")
    assert not cohort.enrolments.exists()

    rows[2] = "lee.wong@nhs.net,Lee,Wong,Matron,Nursing and Midwifery Registered\n"
    upload_and_check(page, header + "".join(rows), name="cohort.csv")
    journey.check("import - check before importing", h1="Import enrolments")
    expect(page.get_by_text("3 people will be enrolled or invited.")).to_be_visible()
    page.get_by_role("button", name="Import 3 people").click()
    journey.check("cohort - three enrolled", h1="CLS5 February 2027")
    expect(page.get_by_text("3 people have been enrolled on CLS5 February 2027.")).to_be_visible()
    assert cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 3

    # The register opens when a session starts: none of the three has yet.
    expect(page.get_by_role("link", name=re.compile("^Take attendance"))).to_have_count(0)
    # Four weeks on, Module 1 has begun.
    begun = timezone.now() - dt.timedelta(minutes=30)
    cohort.sessions.filter(title="Module 1").update(starts_at=begun, ends_at=begun + dt.timedelta(hours=3))
    page.reload()
    journey.check("cohort - module 1 begun", h1="CLS5 February 2027")
    page.get_by_role("link", name="Take attendance for Module 1").click()
    journey.check("attendance", h1="Attendance: Module 1")
    people = {e.person.user.email: e.person for e in cohort.enrolments.select_related("person__user")}
    known_name = people["known.person@nhs.net"].full_name
    page.get_by_role("group", name=f"Attendance for {known_name}").get_by_label("Attended").check()
    # The two new to Academy are invited: staff see only their address until they accept.
    page.get_by_role("group", name="Attendance for new.starter@nhs.net (invited)").get_by_label(
        "Absent"
    ).check()
    # Wrong entry: nobody marked for Lee Wong.
    journey.refused(
        "Save attendance",
        "Choose attended, absent or apologies for lee.wong@nhs.net (invited)",
        "attendance - one person not marked",
    )
    page.get_by_role("group", name="Attendance for lee.wong@nhs.net (invited)").get_by_label(
        "Attended"
    ).check()
    page.get_by_role("button", name="Save attendance").click()
    journey.check("cohort - attendance taken", h1="CLS5 February 2027")
    expect(page.get_by_text("Attendance saved for 3 people.")).to_be_visible()
    assert Attendance.objects.filter(status=AttendanceStatus.ATTENDED).count() == 2
    assert known.pk in {p.pk for p in people.values()}

    name, content = journey.download(page.get_by_role("link", name="CSV", exact=True))
    assert name.endswith(".csv")
    register = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    emails = {cell for row in register for cell in row if "@" in cell}
    assert {"known.person@nhs.net", "new.starter@nhs.net", "lee.wong@nhs.net"} <= emails


def test_attendance_error_summary_links_to_the_person_in_error(db):
    """Each unmarked person's error in the summary leads to their first answer (the journey above
    follows one such link in the browser; this checks every link on a bigger page)."""
    staff = make_person(Role.PROGRAMME_STAFF)
    cohort = CohortFactory(programme=ProgrammeFactory(region=staff.region), name="CLS5 March 2027")
    started = timezone.now() - dt.timedelta(hours=1)
    session = SessionFactory(cohort=cohort, starts_at=started, ends_at=started + dt.timedelta(hours=2))
    services.enrolment_create(person=make_person(organisation=staff.organisation), cohort=cohort, actor=None)
    response = signed_in_client(staff).post(reverse("programmes:staff_attendance", args=[session.pk]), {})
    html = response.content.decode()
    summary = html[html.index("nhsuk-error-summary") : html.index("</ul>", html.index("nhsuk-error-summary"))]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets
    inputs = set(re.findall(r'<input[^>]*\bid="([^"]+)"', html))
    assert set(targets) <= inputs, f"The error summary links to {targets}, which are not answers"


def _fits(page, width: int = 320) -> None:
    """Nothing on the page scrolls sideways (WCAG 1.4.10 Reflow): wide tables scroll in their own region."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""",
        width,
    )
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide in a {width}px window: {wide}"


def test_programme_pages_reflow_at_320_pixels(journey):
    """At 320 CSS pixels (1280 at 400% zoom) no page scrolls sideways, and a button at the end of a
    wide register row can still be reached in its table's own scroll region."""
    participant = verified(make_person(email="pat.narrow@nhs.net"))
    staff = verified(make_person(Role.PROGRAMME_STAFF, region=participant.region, email="sam.narrow@nhs.net"))
    cohort = complete_leadership_series(participant.region, capacity=1)
    cohort.programme.entry_route = "open"
    cohort.programme.save()
    begun = timezone.now() - dt.timedelta(minutes=30)
    cohort.sessions.filter(title="Trauma and the team").update(
        starts_at=begun, ends_at=begun + dt.timedelta(hours=3)
    )
    services.enrolment_create(person=participant, cohort=cohort, actor=None)
    waiting = make_person(
        organisation=participant.organisation, email="a.very.long.email.address.for.reflow@nhs.net"
    )
    services.enrolment_create(person=waiting, cohort=cohort, actor=None)
    session = cohort.sessions.get(title="Trauma and the team")
    page = journey.page
    page.set_viewport_size({"width": 320, "height": 800})

    sign_in(journey, participant)
    _fits(page)
    for path, h1 in [
        (reverse("programmes:offer"), "Find a programme"),
        (reverse("programmes:programme", args=[cohort.programme.slug]), cohort.programme.title),
        (reverse("programmes:my_learning"), "My learning"),
    ]:
        page.goto(journey.url(path))
        journey.check(f"320px {h1}", h1=h1)
        _fits(page)

    page = journey.as_someone_else()
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(journey, staff, totp_secret=TOTP_SECRET)
    for path, h1 in [
        (reverse("programmes:staff_programmes"), "Manage programmes"),
        (reverse("programmes:staff_programme", args=[cohort.programme.pk]), cohort.programme.title),
        (reverse("programmes:staff_cohort", args=[cohort.pk]), cohort.name),
    ]:
        page.goto(journey.url(path))
        journey.check(f"320px {h1}", h1=h1)
        _fits(page)
    give = page.get_by_role("button", name=f"Give a place to {waiting.full_name}")
    give.scroll_into_view_if_needed()
    box = give.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320

    for path, h1 in [
        (reverse("programmes:staff_attendance", args=[session.pk]), f"Attendance: {session.title}"),
        (reverse("programmes:staff_cohort_import", args=[cohort.pk]), "Import enrolments"),
        (reverse("programmes:staff_session_create", args=[cohort.pk]), "Add a session"),
    ]:
        page.goto(journey.url(path))
        journey.check(f"320px {h1}", h1=h1)
        _fits(page)
