"""The PDF: rendered for real with WeasyPrint, read back with pypdf to find the figures."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from academy import chapters
from academy.chapters import Chapter
from academy.models import Gender, StaffGroup
from reporting import services
from reporting.models import Hclm360Count
from tests.factories import CoachProfileFactory, RegionFactory, UserFactory
from tests.reporting import builders as b


def pdf_text(pdf: bytes) -> str:
    """All the text, with line breaks and runs of spaces made single spaces (lines wrap anywhere)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def year(db):
    """2020/21 with 3 interventions, 40 enrolments by 40 people, 32 of 40 marks attended (80%),
    30 of 40 female (75%), a quote given with consent and one without, and HCLM 2019 and 2020."""
    region = RegionFactory()
    east = b.system(region, sub_region="East Midlands", name="Derby and Derbyshire")
    cls7 = b.programme(region, theme="new_ways", code="CLS7", title="Trauma informed leadership")
    cohorts = [b.cohort(cls7) for _ in range(3)]
    sessions = [b.session(c, b.london(2020, 11, 2 + i, 10)) for i, c in enumerate(cohorts)]
    enrolments = []
    for i in range(40):
        person = b.person(
            east,
            staff_group=StaffGroup.ADMINISTRATIVE_CLERICAL if i < 20 else StaffGroup.MEDICAL_DENTAL,
            gender=Gender.FEMALE if i < 30 else Gender.MALE,
            ethnic_category="A" if i % 2 else "H",
        )
        enrolment = b.enrol(cohorts[i % 3], person)
        enrolments.append(enrolment)
        b.mark(sessions[i % 3], enrolment, "attended" if i < 32 else "absent")
    quoted = b.feedback(
        enrolments[0], comment="The most useful morning of my year.", attribution="Practice manager"
    )
    b.feedback(enrolments[1], comment="Private remark, not for publication.", consent=False)
    counts = dict.fromkeys([f.name for f in Hclm360Count._meta.fields][5:], 100)
    Hclm360Count.objects.create(region=region, year=2019, **{**counts, "created_360": 9806})
    Hclm360Count.objects.create(region=region, year=2020, **{**counts, "created_360": 6962})
    CoachProfileFactory(
        person=b.person(east),
        kind="both",
        approved_at=b.london(2020, 5, 1, 9),
        last_supervised_on=dt.date(2020, 9, 1),
    )
    lead = UserFactory()
    edition = b.edition(
        region,
        actor=lead,
        title="A Year in Review 2020/21",
        welcome="I am delighted to share with you the first Annual Review.",
        chapter_introductions={"new_ways": "Leaders asked for help leading through the pandemic."},
    )
    services.edition_set_quotes(edition=edition, actor=lead, feedback=[quoted])
    return edition


def test_the_pdf_states_the_headline_figures(year):
    text = pdf_text(services.report_pdf(edition=year))
    assert "A Year in Review 2020/21" in text
    assert "3 interventions" in text
    assert "40 enrolments" in text
    assert "The attendance rate on the day was 80%" in text
    assert (
        "75% of participants were female. 50% of those who stated their ethnicity were from a minority"
        in text
    )
    assert (
        "Of participants, 50% were administrative and clerical, 50% medical and dental and 0% nurses" in text
    )
    assert "I am delighted to share with you the first Annual Review." in text
    assert "Leaders asked for help leading through the pandemic." in text
    assert "CLS7 Trauma informed leadership" in text
    assert "The most useful morning of my year." in text
    assert "Private remark" not in text
    assert "6,962" in text and "-29%" in text  # HCLM 360s created, change on 2019's 9,806
    assert "Coaches and mentors on the register 1 coaches, 1 mentors" in text


def test_the_contents_page_numbers_every_chapter(year):
    reader = PdfReader(io.BytesIO(services.report_pdf(edition=year)))
    contents = reader.pages[1].extract_text()
    for chapter in chapters.chapters():
        assert chapter.title in contents
    # Each chapter's page number in the contents is the page its title starts on.
    hclm_page = next(
        number
        for number, page in enumerate(reader.pages, start=1)
        if number > 2 and page.extract_text().startswith("Healthcare Leadership Model 360")
    )
    line = next(line for line in contents.splitlines() if line.startswith("Healthcare Leadership Model 360"))
    assert line.split()[-1] == str(hclm_page)


def test_every_page_after_the_cover_has_a_footer_with_its_number(year):
    reader = PdfReader(io.BytesIO(services.report_pdf(edition=year)))
    total = len(reader.pages)
    assert "Page" not in reader.pages[0].extract_text()
    for number, page in enumerate(reader.pages[1:], start=2):
        assert f"Page {number} of {total}" in page.extract_text()


def test_a_registered_chapter_appears_with_its_own_template_and_selector(year, settings, tmp_path):
    (tmp_path / "reporting" / "report").mkdir(parents=True)
    (tmp_path / "reporting" / "report" / "talent_pool.html").write_text(
        "<p>Ready now: {{ data.ready_now }}</p>"
    )
    # The PDF renders on the Django engine (the Jinja2 one comes first for pages).
    settings.TEMPLATES = [
        {**engine, "DIRS": [tmp_path, *engine["DIRS"]]}
        if engine["BACKEND"].endswith("DjangoTemplates")
        else engine
        for engine in settings.TEMPLATES
    ]
    chapter = Chapter(
        "talent_pool",
        "Talent pool readiness",
        "reporting/report/talent_pool.html",
        figures=lambda scope: {"ready_now": 17},
        order=210,  # after coaching and mentoring, before HCLM 360
    )
    chapters.register(chapter)
    try:
        text = pdf_text(services.report_pdf(edition=year))
    finally:
        chapters.unregister(chapter.key)
    assert "Talent pool readiness" in text and "Ready now: 17" in text


def test_the_command_writes_the_pdf(year, tmp_path):
    out = tmp_path / "review.pdf"
    call_command("year_in_review", "2020/21", "--out", str(out), "--region", year.region.slug)
    text = pdf_text(out.read_bytes())
    assert "40 enrolments" in text and "I am delighted" in text


def test_the_command_for_one_system_and_without_an_edition(year, tmp_path):
    out = tmp_path / "review.pdf"
    system = year.region.sub_regions.get().systems.get()
    call_command(
        "year_in_review", "2020/21", "--out", str(out), "--system", system.slug, "--region", year.region.slug
    )
    text = pdf_text(out.read_bytes())
    assert "Derby and Derbyshire" in text and "40 enrolments" in text
    assert "I am delighted" not in text  # that edition is the region's, not the system's


def test_the_command_refuses_a_year_that_is_not_an_nhs_year(db):
    with pytest.raises(CommandError, match="NHS year"):
        call_command("year_in_review", "2020-21", "--out", "/dev/null")
