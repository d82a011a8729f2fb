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
    tab_to,
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
    journey.from_menu("Year in Review", "year in review", h1="Year in Review")
    page.get_by_role("button", name="Create an edition").click()
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
    page.get_by_label("2020/21 (1 April 2020 to 31 March 2021)").check()
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
    # The result is shown in place, without a reload: focus moves to the download link.
    expect(page.get_by_role("button", name="Download the PDF")).to_be_focused()
    assert seen == sorted(seen), f"The progress bar went backwards: {seen}"

    name, content = journey.download(page.get_by_role("button", name="Download the PDF"))
    assert name.endswith(".pdf") and content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "A Year in Review 2020/21" in text
    assert "3 interventions" in text
    assert "40 enrolments" in text
    assert "80%" in text


# --- Every lead page at 320 px wide (WCAG 1.4.10 reflow) ---------------------------------------------

NARROW = {"width": 320, "height": 800}


def hclm_counts(region) -> None:
    """HCLM 360 counts for 2019 and 2020, overall and for three sub-regions: a wide table."""
    from academy.models import SubRegion
    from reporting.models import HCLM_COUNTS, Hclm360Count

    columns = [None, *(SubRegion.objects.get_or_create(region=region, name=n)[0] for n in SUB_REGIONS)]
    for year in (2019, 2020):
        for number, sub_region in enumerate(columns):
            counts = {name: 1000 * (number + 1) + year - 2019 for name, _ in HCLM_COUNTS}
            Hclm360Count.objects.create(region=region, year=year, sub_region=sub_region, **counts)


SUB_REGIONS = ("East Midlands", "West Midlands", "Lincolnshire and Nottinghamshire")


def expect_reflow(journey, name: str, *, h1) -> None:
    """The page fits 320 px: nothing scrolls sideways but the scroll regions of wide tables."""
    journey.check(name, h1=h1)
    width = journey.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{name} is {width} px wide at 320 px"


def test_a_lead_uses_every_reporting_page_at_320_px(journey):
    from reporting.models import ReportRun, ReportRunStatus

    lead = verified(make_person(Role.LEAD, email="rae.lead@nhs.net"))
    year_2020_21(lead.region)
    hclm_counts(lead.region)
    edition = Edition.objects.create(
        region=lead.region,
        title="A Year in Review 2020/21",
        period_start=dt.date(2020, 4, 1),
        period_end=dt.date(2021, 3, 31),
    )
    ReportRun.objects.create(edition=edition, status=ReportRunStatus.SUCCEEDED, progress=100, stage="Ready")
    failed = ReportRun.objects.create(
        edition=edition, status=ReportRunStatus.FAILED, error="The fonts were missing.", stage="Failed"
    )
    page = journey.page
    sign_in(journey, lead, totp_secret=TOTP_SECRET)
    page.set_viewport_size(NARROW)

    journey.visit("/reports/?year=2020/21", "dashboard at 320 px")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Dashboard: 2020/21"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the dashboard is {width} px wide at 320 px"
    # The wide HCLM table scrolls in its own region, reached by keyboard with the NHS focus style.
    region = page.get_by_role("region", name=re.compile("HCLM 360 totals for 2020"))
    expect(region).to_have_attribute("tabindex", "0")
    tab_to(page, region, max_tabs=150)
    shadow = region.evaluate("el => getComputedStyle(el, '::after').boxShadow")
    assert "rgb(255, 235, 59)" in shadow, f"the scroll region's focus is not the NHS yellow: {shadow}"

    # The HCLM 360 import page is checked without a browser (tests/reporting/test_views.py): axe 4.14
    # reports the NHS.UK file upload component's own button (label-content-name-mismatch) on any page.
    journey.visit("/reports/year-in-review/", "year in review at 320 px")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the Year in Review list is {width} px wide at 320 px"
    page.get_by_role("link", name="A Year in Review 2020/21").click()
    expect_reflow(journey, "edition at 320 px", h1="A Year in Review 2020/21")
    page.get_by_role("link", name="Change narrative").click()
    expect_reflow(journey, "narrative at 320 px", h1=re.compile("Write the narrative"))
    page.get_by_role("link", name="Back to A Year in Review 2020/21").click()
    expect_reflow(journey, "edition again at 320 px", h1="A Year in Review 2020/21")
    page.get_by_role("link", name="Change quotes").click()
    expect_reflow(journey, "quotes at 320 px", h1=re.compile("Pick quotes"))
    page.get_by_role("link", name="Back to A Year in Review 2020/21").click()
    expect_reflow(journey, "edition once more at 320 px", h1="A Year in Review 2020/21")
    page.get_by_role("link", name=re.compile("^View progress")).click()
    expect_reflow(journey, "failed run at 320 px", h1=re.compile("The report could not be generated"))
    expect(page.get_by_text("The fonts were missing.")).to_be_visible()
    assert page.url.endswith(f"/runs/{failed.pk}/")
    page.get_by_role("link", name="Back to A Year in Review 2020/21").click()
    expect_reflow(journey, "edition last time at 320 px", h1="A Year in Review 2020/21")
    journey.visit("/reports/year-in-review/new/", "create an edition at 320 px")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"create an edition is {width} px wide at 320 px"
