"""Journey through the Year in Review: a lead creates the 2020/21 edition, generates its PDF with a real
Celery worker while watching the progress bar, downloads it and finds the headline figures in its text.

Accessibility exceptions: none. Every page below passes axe-core's WCAG 2.2 A and AA rules as it is.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from pypdf import PdfReader

from academy.models import Role
from reporting.models import Edition
from tests.browser.conftest import (
    expect_error_summary,
    fill_date,
    follow_error,
    sign_in,
    verified,
)
from tests.conftest import TOTP_SECRET, make_person
from tests.reporting import builders as b
from tests.worker import celery_worker, tasks_sent_to_the_broker

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PDF_TIMEOUT_S = 240


def year_2020_21(region) -> None:
    """3 interventions in 2020/21 with 40 enrolments, 32 of 40 marks attended (80%)."""
    east = b.system(region, sub_region="East Midlands", name="Derby and Derbyshire")
    cls7 = b.programme(region, code="CLS7", title="Trauma informed leadership, working through crisis")
    cohorts = [b.cohort(cls7) for _ in range(3)]
    sessions = [b.session(c, b.london(2020, 11, 2 + i, 10)) for i, c in enumerate(cohorts)]
    for i in range(40):
        enrolment = b.enrol(cohorts[i % 3], b.person(east))
        b.mark(sessions[i % 3], enrolment, "attended" if i < 32 else "absent")


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def unless_reloading(step) -> None:
    """Run a step on the progress page, unless the page reloads under it (then the next document is
    checked in its turn); any other browser error fails the journey."""
    try:
        step()
    except PlaywrightError as error:
        if not re.search(r"context was destroyed|Unable to capture screenshot|navigat", str(error)):
            raise


def test_lead_creates_the_2020_21_edition_and_downloads_its_pdf(journey):
    lead = verified(make_person(Role.LEAD, email="lee.lead@nhs.net"))
    year_2020_21(lead.region)
    page = journey.page
    sign_in(journey, lead, totp_secret=TOTP_SECRET)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Year in Review").click()
    journey.check("year in review", h1="Year in Review")
    page.get_by_role("link", name="Create an edition").click()
    journey.check("create an edition", h1="Create an edition")

    # Wrong entries: no title, and a custom period whose first day is not a date.
    page.get_by_label("A custom period").check()
    fill_date(page, "First day of the custom period", day="10", month="9", year="2020x")
    fill_date(page, "Last day of the custom period", dt.date(2021, 3, 31))
    page.get_by_role("button", name="Create edition").click()
    expect_error_summary(
        page,
        "Title: Enter a title for the edition",
        "First day of the custom period must be a real date",
    )
    journey.check("create an edition - missing title, bad date")
    follow_error(page, "Title: Enter a title for the edition")

    page.get_by_label("Title").fill("A Year in Review 2020/21")
    page.get_by_label(re.compile(r"^2020/21")).check()
    fill_date(page, "First day of the custom period", day="", month="", year="")
    fill_date(page, "Last day of the custom period", day="", month="", year="")
    page.get_by_role("button", name="Create edition").click()
    journey.check("edition", h1="A Year in Review 2020/21")
    edition = Edition.objects.get(title="A Year in Review 2020/21")
    assert (edition.period_start.isoformat(), edition.period_end.isoformat()) == ("2020-04-01", "2021-03-31")

    with tasks_sent_to_the_broker():
        page.get_by_role("button", name="Generate the PDF").click()
        journey.check("generating - queued", h1=re.compile("Generating your report"))
        bar = page.get_by_role("progressbar")
        expect(bar).to_have_attribute("aria-valuenow", "0")

        # The worker starts only now, so the page is seen queued first; then the bar moves on its own.
        seen = [0]
        with celery_worker() as worker:
            deadline = time.monotonic() + PDF_TIMEOUT_S
            heading = page.get_by_role("heading", level=1)
            while "Your report is ready" not in (heading.text_content() or ""):
                assert time.monotonic() < deadline, f"No PDF after {PDF_TIMEOUT_S} s; worker: {worker.poll()}"
                if len(journey.documents) > journey.checked and "ready" not in (heading.text_content() or ""):
                    # The page reloads itself while generating (its meta refresh fires even though the
                    # script removes the element, and the script reloads it once the run has finished).
                    unless_reloading(lambda: journey.check("generating - page reloaded"))
                value = bar.get_attribute("aria-valuenow") if bar.count() else None
                if value is not None and int(value) != seen[-1]:
                    seen.append(int(value))
                    shot = journey.folder / f"{journey.step:02d}-progress-{value}.png"
                    unless_reloading(lambda shot=shot: page.screenshot(path=shot))
                page.wait_for_timeout(100)
        journey.check("report ready", h1=re.compile("Your report is ready"))
    expect(bar).to_have_attribute("aria-valuenow", "100")
    assert seen == sorted(seen), f"The progress bar went backwards: {seen}"

    name, content = journey.download(page.get_by_role("link", name="Download the PDF"))
    assert name.endswith(".pdf") and content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "A Year in Review 2020/21" in text
    assert "3 interventions" in text
    assert "40 enrolments" in text
    assert "80%" in text
