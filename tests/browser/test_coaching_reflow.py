"""Every coaching page reflows at 320 CSS pixels wide (WCAG 1.4.10): nothing scrolls sideways but the
tables, each in its own focusable, labelled scroll region. Axe runs on every page too.

Accessibility exceptions: none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from academy.models import Role
from coaching.models import ReflectiveNote, SupervisionAttendee
from tests.browser.conftest import sign_in, verified
from tests.conftest import TOTP_SECRET, make_person
from tests.factories import (
    CoachingRelationshipFactory,
    CoachingRequestFactory,
    CoachingSessionLogFactory,
    CoachProfileFactory,
    CPDEventFactory,
    PersonFactory,
    QualificationFactory,
    SupervisionRecordFactory,
    SupervisionSessionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 800}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_every_coaching_page_reflows_at_320_pixels(journey):
    # One person with every coaching role, so one sign-in reaches every page.
    lead = verified(make_person(Role.COACH, Role.SUPERVISOR, Role.PROGRAMME_STAFF))
    region = lead.region
    profile = CoachProfileFactory(person=lead, availability_notes="Tuesday afternoons and Thursday mornings")
    QualificationFactory(profile=profile, title="Postgraduate certificate in coaching and mentoring")
    for days in range(1, 25):
        SupervisionRecordFactory(
            profile=profile,
            held_on=timezone.localdate() - dt.timedelta(days=days * 10),
            supervisor_name="Dr Alexandra Montgomery-Fitzwilliam",
            functions=["normative", "formative"],
        )
    colleague = PersonFactory(region=region, given_name="Bartholomew", family_name="Featherstonehaugh-Smythe")
    relationship = CoachingRelationshipFactory(coach=profile, coachee=colleague)
    CoachingSessionLogFactory(relationship=relationship, notes="A long conversation " * 20)
    CoachingRelationshipFactory(coach=profile, status="offered", started_on=None)
    applicant = CoachProfileFactory(
        person=PersonFactory(region=region), status="applied", applied_at=timezone.now()
    )
    QualificationFactory(profile=applicant)
    request = CoachingRequestFactory(requester=PersonFactory(region=region), specialisms=["wellbeing"])
    CoachProfileFactory(person=PersonFactory(region=region))  # a suggestion for the request
    own_request = CoachingRequestFactory(requester=lead)
    CPDEventFactory(
        region=region,
        title="Coaching through organisational change",
        recording_url="https://example.nhs.uk/r",
    )
    note = ReflectiveNote.objects.create(
        profile=profile, title="Boundaries", body="What I learnt.\n\nAnd more."
    )
    session = SupervisionSessionFactory(supervisor=lead, themes=["boundaries"], functions=["normative"])
    attendee = SupervisionAttendee.objects.create(session=session, profile=applicant, seat=1)

    sign_in(journey, lead, totp_secret=TOTP_SECRET)
    page = journey.page
    page.set_viewport_size(NARROW)
    pages = {
        "/coaching/": "My coaching",
        "/coaching/profile/": "Your register entry",
        "/coaching/qualifications/new/": "Add a qualification",
        "/coaching/supervision/log/": "Log supervision held elsewhere",
        "/coaching/notes/": "Reflective notes",
        "/coaching/notes/new/": "New reflective note",
        f"/coaching/notes/{note.pk}/": "Boundaries",
        "/coaching/cpd/": "CPD webinars",
        "/coaching/cpd/log/": "Log CPD",
        "/coaching/cpd/new/": "Add a CPD webinar",
        "/coaching/find/": "Find a coach or mentor",
        "/coaching/find/request/": "Ask for a coach or mentor",
        f"/coaching/find/requests/{own_request.pk}/withdraw/": "Are you sure you want to withdraw your request?",
        f"/coaching/relationships/{relationship.pk}/": f"Coaching with {colleague.full_name}",
        f"/coaching/relationships/{relationship.pk}/sessions/new/": "Log a session",
        f"/coaching/relationships/{relationship.pk}/close/": "Close this relationship",
        "/coaching/group-supervision/": "Group supervision",
        "/coaching/group-supervision/new/": "Schedule group supervision",
        f"/coaching/group-supervision/{session.pk}/": None,
        f"/coaching/group-supervision/{session.pk}/coaches/{attendee.pk}/remove/": None,
        f"/coaching/group-supervision/{session.pk}/cancel/": None,
        "/coaching/register/": "Coach and mentor register",
        "/coaching/register/applications/": "Applications to the register",
        f"/coaching/register/{applicant.pk}/": applicant.person.full_name,
        "/coaching/matching/": "Requests to match",
        f"/coaching/matching/{request.pk}/": f"Match {request.requester.full_name}",
    }
    for path, h1 in pages.items():
        journey.visit(path, f"320 {path}")
        if h1 is not None:
            expect(page.get_by_role("heading", level=1)).to_have_text(h1)
        # The page's <title> is its h1's text.
        heading = page.get_by_role("heading", level=1).inner_text().strip()
        assert page.title() == f"{heading} – Academy – NHS", path
        assert page_width(page) <= 320, f"{path} is {page_width(page)} px wide at 320"

    # A table wider than the screen scrolls in its own region, which the keyboard can reach.
    journey.visit("/coaching/", "320 my coaching - scroll region")
    region_ = page.get_by_role("region", name="Supervision history")
    expect(region_).to_have_attribute("tabindex", "0")
    region_.focus()
    shadow = region_.evaluate("el => getComputedStyle(el, '::after').boxShadow")
    assert "255, 235, 59" in shadow, shadow  # the NHS focus colour (yellow), not the browser's ring
