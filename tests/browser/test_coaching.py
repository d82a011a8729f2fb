"""Journey through the coach and mentor register: a colleague applies with a certificate, programme
staff approve, a year passes without supervision so the registration lapses, the coach logs
supervision and is compliant again.

Accessibility exceptions: none. Every page below passes axe-core's WCAG 2.2 A and AA rules as it is.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from academy.models import Role
from coaching.models import CoachProfile, CPDEvent, ProfileStatus
from coaching.tasks import compliance_refresh_daily
from tests.browser.conftest import expect_error_summary, fill_date, follow_error, sign_in, verified
from tests.conftest import TOTP_SECRET, make_person
from tests.files import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A real one-page PDF (the portal reads the file, not its name).
CERTIFICATE_PDF = PDF


def choose_certificate(page, file: dict) -> None:
    """Choose the file through the NHS.UK file upload's button, as a person does (the component hides
    the native input behind a button named by the field's label)."""
    with page.expect_file_chooser() as chooser:
        page.get_by_label("Certificate").click()
    chooser.value.set_files(files=[file])


def test_coach_applies_with_a_certificate_is_approved_lapses_and_logs_supervision(journey):
    applicant = verified(make_person(email="robin.coach@nhs.net"))
    staff = verified(make_person(Role.PROGRAMME_STAFF, organisation=applicant.organisation))
    page = journey.page

    sign_in(journey, applicant)
    page.get_by_role("link", name="Join the coach and mentor register").click()
    journey.check("join the register", h1="Join the coach and mentor register")
    page.get_by_label("Coach and mentor").check()
    page.get_by_label("Leading teams").check()
    page.get_by_label("Wellbeing and resilience").check()
    page.get_by_label("How many coachees can you take at once?").fill("3")
    page.get_by_label("ILM level 5").check()
    fill_date(page, "Date awarded", dt.date(2019, 7, 1))
    # Wrong entry: the experience is missing, and the certificate is not a PDF, JPG or PNG.
    choose_certificate(
        page, {"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": b"not really a PDF"}
    )
    page.get_by_role("button", name="Send application").click()
    expect_error_summary(
        page, "Your coaching or mentoring experience: This field is required", "Certificate:"
    )
    journey.check("join the register - missing experience, not a PDF")
    follow_error(page, "Your coaching or mentoring experience: This field is required")

    page.get_by_label("Your coaching or mentoring experience").fill(
        "Six years coaching ward managers; ILM 5 in coaching and mentoring."
    )
    choose_certificate(
        page, {"name": "ilm5-certificate.pdf", "mimeType": "application/pdf", "buffer": CERTIFICATE_PDF}
    )
    page.get_by_role("button", name="Send application").click()
    journey.check("my coaching - applied", h1="My coaching")
    expect(page.get_by_text("Thank you: your application has been sent")).to_be_visible()
    expect(page.get_by_text("The academy team is reviewing your application.")).to_be_visible()
    profile = CoachProfile.objects.get(person=applicant)
    assert profile.status == ProfileStatus.APPLIED
    assert profile.qualifications.get().certificate.read() == CERTIFICATE_PDF

    page = journey.as_someone_else()
    sign_in(journey, staff, totp_secret=TOTP_SECRET)
    journey.from_menu("Coach register", "coach register", h1="Coach and mentor register")
    page.get_by_role("link", name="Applications to review").click()
    journey.check("applications", h1="Applications to the register")
    page.get_by_role("link", name=applicant.full_name).click()
    journey.check("application", h1=applicant.full_name)
    expect(page.get_by_role("link", name="view certificate")).to_be_visible()
    # Wrong entry: no decision chosen.
    journey.refused("Save decision", "Decision: This field is required", "application - no decision")
    page.get_by_label("Approve: add them to the register").check()
    page.get_by_role("button", name="Save decision").click()
    journey.check("applications - approved", h1="Applications to the register")
    expect(page.get_by_text(f"{applicant.full_name}: approved.")).to_be_visible()
    profile.refresh_from_db()
    assert profile.is_compliant()

    # Staff add a CPD webinar for the register.
    journey.from_menu("Coach register", "coach register - after approval", h1="Coach and mentor register")
    page.get_by_role("link", name="CPD webinars").click()
    journey.check("cpd webinars", h1="CPD webinars")
    page.get_by_role("button", name="Add a webinar").click()
    journey.check("add a webinar", h1="Add a CPD webinar")
    page.get_by_label("Title").fill("Coaching in a VUCA world")
    webinar = timezone.localtime() + dt.timedelta(days=20)
    # Wrong entry: a time that is not on the 24-hour clock.
    fill_date(page, "Date and time", webinar, time="7pm")
    journey.refused(
        "Add webinar",
        "Enter the time in the 24-hour clock, for example 14:30",
        "add a webinar - time not on the 24-hour clock",
    )
    expect(page.get_by_role("group", name="Date and time").get_by_label("Time", exact=True)).to_be_focused()
    expect(page.get_by_role("group", name="Date and time").get_by_label("Day", exact=True)).to_have_value(
        str(webinar.day)
    )
    fill_date(page, "Date and time", time="19:00")
    page.get_by_role("button", name="Add webinar").click()
    journey.check("cpd webinars - added", h1="CPD webinars")
    expect(page.get_by_text("The webinar has been added.")).to_be_visible()
    event = CPDEvent.objects.get(title="Coaching in a VUCA world")
    assert timezone.localtime(event.starts_at).strftime("%d %m %Y %H:%M") == f"{webinar:%d %m %Y} 19:00"

    # Thirteen months on, with no supervision logged, the daily job lapses the registration.
    later = timezone.now() + dt.timedelta(days=396)
    with time_machine.travel(later, tick=True):
        compliance_refresh_daily.delay()
        profile.refresh_from_db()
        assert profile.status == ProfileStatus.LAPSED

        page = journey.as_someone_else()
        sign_in(journey, applicant)
        journey.from_menu("My coaching", "my coaching - lapsed", h1="My coaching")
        expect(page.get_by_text("Your registration has lapsed")).to_be_visible()
        page.get_by_role("link", name="Log supervision").first.click()
        journey.check("log supervision", h1="Log supervision held elsewhere")

        today = timezone.localdate()
        held_on = page.get_by_role("group", name="Date of supervision")
        expect(held_on.get_by_label("Day", exact=True)).to_have_attribute("inputmode", "numeric")
        fill_date(page, "Date of supervision", today)
        page.get_by_label("Hours").fill("1.5")
        page.get_by_label("Supervisor's name").fill("Dr Ayesha Khan")
        # Wrong entry: no function chosen. The date typed is still there afterwards.
        journey.refused(
            "Log supervision",
            "Which functions did it serve?: This field is required",
            "log supervision - no function",
        )
        expect(held_on.get_by_label("Day", exact=True)).to_have_value(str(today.day))
        expect(held_on.get_by_label("Year", exact=True)).to_have_value(str(today.year))
        # Wrong entry: a date that does not exist.
        page.get_by_label("Formative (growth)").check()
        page.get_by_label("Restorative (looking after yourself)").check()
        fill_date(page, "Date of supervision", day="31", month="2", year=str(today.year))
        page.get_by_role("button", name="Log supervision").click()
        expect_error_summary(page, "Date of supervision must be a real date")
        expect(held_on.locator(".nhsuk-error-message")).to_have_text(
            "Error: Date of supervision must be a real date"
        )
        expect(held_on.get_by_label("Day", exact=True)).to_have_class(re.compile("nhsuk-input--error"))
        expect(held_on.get_by_label("Month", exact=True)).to_have_value("2")
        journey.check("log supervision - impossible date")
        follow_error(page, "Date of supervision must be a real date")
        expect(held_on.get_by_label("Day", exact=True)).to_be_focused()
        # Wrong entry: a date that has not happened yet.
        fill_date(page, "Date of supervision", today + dt.timedelta(days=3))
        page.get_by_role("button", name="Log supervision").click()
        expect_error_summary(page, "Supervision can only be logged once it has happened")
        journey.check("log supervision - date in the future")
        # The service's refusal belongs to the date: its summary link leads to the date's first box.
        follow_error(page, "Supervision can only be logged once it has happened")
        expect(held_on.get_by_label("Day", exact=True)).to_be_focused()

        fill_date(page, "Date of supervision", today)
        page.get_by_role("button", name="Log supervision").click()
        journey.check("my coaching - compliant again", h1="My coaching")
        expect(page.get_by_text("Your supervision has been logged.")).to_be_visible()
        expect(page.get_by_text("Your registration has lapsed")).to_have_count(0)
        status = page.locator(".nhsuk-summary-list__row", has_text="Register status")
        expect(status).to_contain_text("Approved")
        next_due = today + dt.timedelta(days=365)
        expect(page.locator(".nhsuk-summary-list__row", has_text="Supervision")).to_contain_text(
            re.compile(rf"Next due by\s+{next_due.day} {next_due:%B %Y}")
        )
        profile.refresh_from_db()
        assert profile.status == ProfileStatus.APPROVED
        assert profile.is_compliant()
