"""Journeys through the accounts part of the portal: sign up, verify, profile, sign in with MFA.

Accessibility exceptions: none. Every page below passes axe-core's WCAG 2.2 A and AA rules as it is.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from playwright.sync_api import expect

from academy.models import Person, Role
from academy.services import person_update_profile
from tests.browser.conftest import expect_error_summary, sign_in, tab_to, totp_code, verified
from tests.conftest import TOTP_SECRET, make_person
from tests.factories import TEST_PASSWORD, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-Passphrase-2026"


def test_participant_signs_up_verifies_and_completes_profile(journey):
    organisation = OrganisationFactory(name="University Hospitals of Leicester NHS Trust", ods_code="RWE")
    OrganisationFactory(name="Leicestershire Partnership NHS Trust", ods_code="RT5")
    OrganisationFactory(
        name="Old Leicester Hospital NHS Trust", ods_code="RZ9", closed_on=dt.date(2020, 3, 31)
    )
    page = journey.page
    journey.visit("/", "landing page")
    # The NHS.UK button macro gives a link drawn as a button the button role.
    page.get_by_role("button", name="Create an account").click()
    journey.check("sign up", h1="Create an account")

    # Wrong entry: an address outside the NHS is refused, and the summary says why.
    page.get_by_label("Work email address").fill("sam.jones@gmail.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    journey.refused(
        "Create an account",
        "Work email address: Use your NHS or care organisation email address",
        "sign up - not an NHS address",
    )

    # Wrong entry: the repeated password is missing.
    page.get_by_label("Work email address").fill("sam.jones@nhs.net")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm your password").fill("")
    journey.refused(
        "Create an account", "Confirm your password: This field is required", "sign up - missing password"
    )
    expect(page.get_by_label("Confirm your password")).to_be_focused()

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create an account").click()
    journey.check("verification email sent", h1="Check your email")

    # The verification email, as the live server (this process) sent it.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam.jones@nhs.net"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    journey.visit(urlsplit(link).path, "confirm email address")
    page.get_by_role("button", name="Confirm").click()

    # Signed in on confirmation; sign out and sign in again as a returning participant would.
    journey.check("home - profile incomplete", h1="Welcome")
    expect(page.get_by_text("Complete your profile").first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    journey.check("signed out", h1="Leadership development for NHS and care staff")
    page.get_by_role("link", name="Sign in").first.click()
    journey.check("sign in", h1="Sign in")
    page.get_by_label("Work email address").fill("sam.jones@nhs.net")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    journey.check("home after sign in", h1="Welcome")

    page.get_by_role("link", name="Complete your profile").click()
    journey.check("profile", h1="Your profile")
    # Wrong entry: no organisation chosen.
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Jones")
    page.get_by_label("Job title").fill("Ward Manager")
    page.get_by_label("Staff group").select_option(label="Nursing and Midwifery Registered")
    journey.refused("Save profile", "Organisation: This field is required", "profile - missing organisation")
    expect(page.get_by_label("Organisation")).to_be_focused()

    # The organisation is an autocomplete: part of a name offers the open organisations that match it
    # (never a closed one), and the ODS code finds one alone.
    chooser = page.get_by_role("combobox", name="Organisation")
    chooser.fill("leicester")
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_text(
        ["Leicestershire Partnership NHS Trust (RT5)", "University Hospitals of Leicester NHS Trust (RWE)"]
    )
    journey.check("profile - organisation suggestions")
    chooser.fill("zzzz")
    expect(page.get_by_role("listbox")).to_contain_text("No organisation matches")
    chooser.fill("RWE")
    expect(options).to_have_count(1)
    options.first.click()
    expect(chooser).to_have_value("University Hospitals of Leicester NHS Trust (RWE)")
    page.get_by_role("button", name="Save profile").click()
    journey.check("home - profile saved", h1="Welcome, Sam")
    expect(page.get_by_text("Your profile has been saved.")).to_be_visible()
    expect(page.get_by_text("Complete your profile")).to_have_count(0)
    person = Person.objects.get(user__email="sam.jones@nhs.net")
    assert person.organisation == organisation
    assert person.region == organisation.region


def test_programme_staff_signs_in_with_mfa_and_reads_the_audit_log(journey):
    staff = verified(make_person(Role.PROGRAMME_STAFF, email="pat.staff@nhs.net"))
    colleague = make_person(organisation=staff.organisation, email="chris.colleague@nhs.net")
    person_update_profile(person=colleague, actor=colleague.user, job_title="Matron")
    page = journey.page
    journey.visit("/accounts/login/", "sign in")
    # Wrong entry: the password is wrong.
    page.get_by_label("Work email address").fill(staff.user.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect_error_summary(page, "not correct")
    journey.check("sign in - wrong password")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    journey.check("two-factor code", h1="Enter the 6-digit code")

    # Wrong entry: a code of the wrong format.
    page.get_by_label("6-digit code").fill("12ab")
    journey.refused("Sign in", "6-digit code: Incorrect code", "two-factor code - wrong format")

    page.get_by_label("6-digit code").fill(totp_code(TOTP_SECRET))
    page.get_by_role("button", name="Sign in").click()
    journey.check("home", h1=re.compile("Welcome"))
    journey.from_menu("Audit log", "audit log", h1="Audit log")
    # A change in the staff member's region is on the record.
    expect(page.get_by_role("table")).to_contain_text("chris.colleague@nhs.net")
    expect(page.get_by_role("table")).to_contain_text("person.update_profile")


def test_staff_without_mfa_is_sent_to_set_it_up(journey):
    staff = verified(make_person(Role.PROGRAMME_STAFF, email="new.staff@nhs.net", mfa=False))
    page = journey.page
    journey.visit("/accounts/login/", "sign in")
    page.get_by_label("Work email address").fill(staff.user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # allauth asks for the password again before any change to two-factor authentication.
    journey.check("confirm access", h1="Confirm it is you")
    expect(page.get_by_text("you must set up two-factor authentication")).to_be_visible()
    # Wrong entry: the password is missing.
    journey.refused("Confirm", "Password: This field is required", "confirm access - missing password")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    journey.check("set up two-factor authentication", h1="Set up an authenticator app")

    # Wrong entry: the code is missing.
    journey.refused("Activate", "Authenticator code: This field is required", "set up - missing code")

    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    journey.check("after activation", h1=re.compile("."))
    assert Authenticator.objects.filter(user=staff.user, type=Authenticator.Type.TOTP).exists()
    journey.visit("/audit/", "audit log")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")


def test_staff_signs_in_with_the_keyboard_alone(journey):
    staff = verified(make_person(Role.PROGRAMME_STAFF, email="kay.board@nhs.net"))
    page = journey.page
    keyboard = page.keyboard
    journey.visit("/", "landing page")
    # The first Tab reaches the skip link, which takes keyboard users past the header.
    tab_to(page, page.get_by_role("link", name="Skip to main content"), max_tabs=1)
    tab_to(page, page.get_by_role("link", name="Sign in").first)
    keyboard.press("Enter")
    journey.check("sign in", h1="Sign in")
    keyboard.press("Tab")
    keyboard.press("Enter")
    expect(page.locator("#maincontent")).to_be_focused()
    # Wrong entry after the skip link (the address now ends #maincontent): the error summary takes focus.
    tab_to(page, page.get_by_label("Work email address"))
    keyboard.type(staff.user.email)
    tab_to(page, page.get_by_role("button", name="Sign in"))
    keyboard.press("Enter")
    expect_error_summary(page, "Password: This field is required")
    journey.check("sign in - missing password")
    tab_to(page, page.get_by_label("Password"))
    keyboard.type(TEST_PASSWORD)
    tab_to(page, page.get_by_role("button", name="Sign in"))
    keyboard.press("Enter")
    journey.check("two-factor code", h1="Enter the 6-digit code")
    tab_to(page, page.get_by_label("6-digit code"))
    keyboard.type(totp_code(TOTP_SECRET))
    tab_to(page, page.get_by_role("button", name="Sign in"))
    keyboard.press("Space")
    journey.check("home", h1=re.compile("Welcome"))
    tab_to(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit log"))
    keyboard.press("Enter")
    journey.check("audit log", h1="Audit log")


def test_a_signed_in_person_is_warned_before_the_session_ends_and_can_stay_signed_in(journey, settings):
    person = verified(make_person(email="ida.idle@nhs.net"))
    page = journey.page
    sign_in(journey, person)
    # A short session so that the warning comes within the test: 20 seconds idle, warned 15 before.
    settings.SESSION_COOKIE_AGE = 20
    settings.SESSION_TIMEOUT_WARNING = dt.timedelta(seconds=15)
    journey.visit("/profile/", "profile")
    loaded = time.monotonic()
    first_name = page.get_by_label("First name")
    first_name.focus()

    dialog = page.get_by_role("alertdialog", name="You will be signed out soon")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("We will sign you out in")
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    journey.check("session timeout warning")
    # Tab goes round the dialog while it is open.
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("link", name="Sign out")).to_be_focused()
    page.keyboard.press("Tab")
    expect(stay).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(first_name).to_be_focused()

    # Past the time the session would have ended without "Stay signed in": still signed in.
    time.sleep(max(0.0, loaded + 21 - time.monotonic()))
    page.goto(journey.url("/profile/"))
    journey.check("profile - still signed in", h1="Your profile")

    # Doing nothing now: at zero the page signs out and says why.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/profile/$"), timeout=30_000)
    journey.check("signed out for inactivity", h1="Sign in")
    expect(page.get_by_text("You were signed out because you were inactive.")).to_be_visible()
