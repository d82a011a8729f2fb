"""Lead pages: allowed for a lead of the region, forbidden to others; the dashboard's query count."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from academy.models import Gender, Role, StaffGroup
from academy.scope import nhs_year_label
from reporting import services
from reporting.models import ReportRun, ReportRunStatus
from tests.conftest import make_person, signed_in_client
from tests.factories import date_input
from tests.files import assert_private_download
from tests.reporting import builders as b


def error_message(response, name: str) -> str:
    """The text of a field's error message on a Jinja page (the test client has no context for those)."""
    match = re.search(
        rf'<span class="nhsuk-error-message" id="id_{name}_error"\s*>\s*'
        r'<span class="nhsuk-u-visually-hidden">Error: </span>([^<]*)</span>',
        response.content.decode(),
    )
    assert match, f"no error message for {name}"
    return match.group(1).strip()


@pytest.fixture
def data(lead):
    """Lead's region with 2020/21 data: 12 programmes × 2 cohorts, 10 participants each across 3 systems."""
    region = lead.region
    systems = [b.system(region, sub_region=sr) for sr in ("East Midlands", "East Midlands", "West Midlands")]
    people = [
        b.person(
            systems[i % 3],
            staff_group=[StaffGroup.ADMINISTRATIVE_CLERICAL, StaffGroup.MEDICAL_DENTAL][i % 2],
            gender=Gender.FEMALE if i % 4 else Gender.MALE,
            ethnic_category="AH"[i % 2],
        )
        for i in range(30)
    ]
    for p in range(12):
        course = b.programme(region, theme=["looking_after", "belonging", "new_ways", "growing"][p % 4])
        for c in range(2):
            cohort = b.cohort(course)
            session = b.session(cohort, b.london(2020, 10, 1 + p, 10 + c))
            for person in people[c * 10 : c * 10 + 10]:
                b.mark(session, b.enrol(cohort, person), "attended")
    edition = services.edition_create(
        actor=lead.user,
        region=region,
        title="A Year in Review 2020/21",
        period_start=dt.date(2020, 4, 1),
        period_end=dt.date(2021, 3, 31),
    )
    return {"region": region, "edition": edition, "systems": systems}


def test_the_dashboard_shows_the_figures_in_a_fixed_number_of_queries(
    data, lead_client, django_assert_max_num_queries
):
    # Session, user and role grants (3); the first session for the year filter (1); the data's version
    # and the cache look-up (2); programme figures (4); systems for the breakdowns (1); sessions still
    # scheduled (1); coaching figures (8: systems, six GROUP BY system whose sums are the totals, and
    # the supervision sessions' own total); GMTS figures (6); HCLM counts (1); the cache write (5:
    # count, savepoint, select, insert, release); systems for the filter (1); session save (3).
    # None grows with the data: 24 cohorts, 240 enrolments here.
    with django_assert_max_num_queries(36):
        response = lead_client.get(reverse("reporting:dashboard"), {"year": "2020/21"})
    assert response.status_code == 200
    body = response.content.decode()
    assert ">24<" in body  # interventions
    assert ">240<" in body  # enrolments
    # Charts are SVG images (their style needs no exception in the page's CSP), each with its description
    # as the alternative text, and the SVG keeps its own title and description.
    images = re.findall(
        r'<img class="academy-chart__image" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', body
    )
    assert images and all(alt for _, alt in images)
    svg = base64.b64decode(images[0][0]).decode()
    assert "<desc id=" in svg and 'role="img"' in svg


def test_a_finished_years_figures_are_read_from_the_cache_until_the_data_changes(
    data, lead_client, django_assert_max_num_queries
):
    lead_client.get(reverse("reporting:dashboard"), {"year": "2020/21"})
    # Session, user and role grants (3); the first session for the year filter (1); the data's version
    # and the cache look-up (2); systems for the filter (1); session save (3): no figure is recomputed.
    with django_assert_max_num_queries(10):
        response = lead_client.get(reverse("reporting:dashboard"), {"year": "2020/21"})
    assert ">240<" in response.content.decode()  # enrolments

    # One more enrolment in the year: a new version of the data, so the figures are computed afresh.
    cohort = data["region"].cohorts.order_by("pk").first()
    b.enrol(cohort, b.person(data["systems"][0]))
    response = lead_client.get(reverse("reporting:dashboard"), {"year": "2020/21"})
    assert ">241<" in response.content.decode()


def test_the_dashboard_filters_by_system(data, lead_client):
    system = data["systems"][2]
    response = lead_client.get(reverse("reporting:dashboard"), {"year": "2020/21", "system": system.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<span class="nhsuk-caption-l nhsuk-caption--bottom">{system.name}</span>' in body
    # 6 individuals work in that system: a small area, so the headline hides the count.
    assert (
        '<p class="nhsuk-heading-xl nhsuk-u-margin-bottom-1">*</p><p class="nhsuk-card__description">individuals</p>'
        in body
    )


@pytest.mark.parametrize("client_fixture", ["participant_client", "staff_client", "anonymous_client"])
def test_only_leads_see_the_dashboard(client_fixture, request):
    response = request.getfixturevalue(client_fixture).get(reverse("reporting:dashboard"))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/accounts/login/" in response["Location"]


def test_csv_downloads_are_suppressed_like_the_report(data, lead_client):
    response = lead_client.get(reverse("reporting:table_download", args=["genders"]), {"year": "2020/21"})
    assert response["Content-Type"].startswith("text/csv")
    assert_private_download(response, filename_ends=".csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Group", "Count", "Share"]
    by_label = {row[0]: row[1] for row in rows[1:]}
    # 20 participants: 15 female, 5 male — 5 is hidden, so female must be hidden too.
    assert by_label["Male"] == "*" and by_label["Female"] == "*" and by_label["Total"] == "20"


def test_tables_download_as_workbooks_with_the_same_suppressed_figures(data, lead_client):
    from openpyxl import load_workbook

    response = lead_client.get(
        reverse("reporting:table_download_xlsx", args=["genders"]), {"year": "2020/21"}
    )
    assert response["Content-Disposition"].startswith('attachment; filename="genders-')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Group", "Count", "Share"]
    assert {row[0]: row[1] for row in rows[1:]}["Male"] == "*"
    dashboard = lead_client.get(reverse("reporting:dashboard"), {"year": "2020/21"}).content.decode()
    assert reverse("reporting:table_download_xlsx", args=["genders"]) in dashboard


def test_every_table_downloads(data, lead_client):
    from reporting.exports import TABLES

    for key in TABLES:
        response = lead_client.get(reverse("reporting:table_download", args=[key]), {"year": "2020/21"})
        assert response.status_code == 200, key
        assert len(response.content.decode().splitlines()) >= 1


def test_a_lead_creates_an_edition_for_an_nhs_year(lead, lead_client):
    response = lead_client.post(
        reverse("reporting:edition_create"),
        {"title": "A Year in Review 2020/21", "year": "2020/21", "system": ""},
    )
    edition = lead.region.editions.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reporting:edition_detail", args=[edition.pk]
    )
    assert (edition.period_start, edition.period_end) == (dt.date(2020, 4, 1), dt.date(2021, 3, 31))


def test_an_edition_needs_a_title(lead_client):
    response = lead_client.post(reverse("reporting:edition_create"), {"title": "", "year": "2020/21"})
    assert "Enter a title for the edition." in response.content.decode()
    assert "<title>Error: " in response.content.decode()


def test_a_lead_creates_an_edition_for_a_custom_period(lead, lead_client):
    response = lead_client.post(
        reverse("reporting:edition_create"),
        {
            "title": "Autumn review",
            "year": "custom",
            **date_input("period_start", dt.date(2020, 9, 10)),
            **date_input("period_end", dt.date(2021, 3, 31)),
        },
    )
    assert response.status_code == 302
    edition = lead.region.editions.get()
    assert (edition.period_start, edition.period_end) == (dt.date(2020, 9, 10), dt.date(2021, 3, 31))


def test_a_custom_period_ending_before_it_starts_is_refused(lead_client):
    response = lead_client.post(
        reverse("reporting:edition_create"),
        {
            "title": "Autumn review",
            "year": "custom",
            **date_input("period_start", dt.date(2021, 3, 31)),
            **date_input("period_end", dt.date(2020, 9, 10)),
        },
    )
    assert error_message(response, "period_end") == "The last day must be on or after the first day."
    # What was typed is still in the boxes.
    assert re.search(r'name="period_start_day"[^>]*value="31"', response.content.decode())


def test_a_custom_period_needs_both_days(lead, lead_client):
    response = lead_client.post(reverse("reporting:edition_create"), {"title": "Autumn", "year": "custom"})
    assert response.status_code == 200
    assert "Error: " in response.content.decode()
    assert "Enter the first day of the custom period." in response.content.decode()


def test_the_narrative_is_saved_with_chapter_introductions(data, lead_client):
    edition = data["edition"]
    response = lead_client.post(
        reverse("reporting:edition_narrative", args=[edition.pk]),
        {
            "welcome": "Welcome.",
            "executive_summary": "",
            "looking_ahead": "",
            "intro_coaching": "Coaching grew.",
        },
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.welcome == "Welcome." and edition.chapter_introductions == {"coaching": "Coaching grew."}


def test_generate_creates_a_run_and_shows_its_progress(data, lead_client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    edition = data["edition"]
    response = lead_client.post(reverse("reporting:edition_generate", args=[edition.pk]))
    run = ReportRun.objects.get(edition=edition)
    assert response["Location"] == reverse("reporting:run_detail", args=[run.pk])
    status = lead_client.get(reverse("reporting:run_status", args=[run.pk])).json()
    assert status["finished"] is False and status["status"] == "pending"
    page = lead_client.get(reverse("reporting:run_detail", args=[run.pk])).content.decode()
    # A progress bar (<progress> is a progressbar) that moves without a reload, and a refresh without JavaScript.
    assert 'http-equiv="refresh"' in page and re.search(r'<progress id="run-bar"[^>]*aria-valuenow="0"', page)
    assert 'id="run-download"' in page and 'id="run-ready" hidden' in page


def test_a_ready_run_downloads_and_a_failed_one_offers_try_again(
    data, lead_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    edition = data["edition"]
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(reverse("reporting:edition_generate", args=[edition.pk]))
    run = ReportRun.objects.get(edition=edition)
    assert run.status == ReportRunStatus.SUCCEEDED
    download = lead_client.get(reverse("reporting:run_download", args=[run.pk]))
    assert_private_download(download, filename_ends=".pdf")
    assert download["Content-Type"] == "application/pdf" and b"".join(download.streaming_content).startswith(
        b"%PDF"
    )
    failed = ReportRun.objects.create(
        edition=edition, status=ReportRunStatus.FAILED, error="The fonts were missing.", stage="Failed"
    )
    page = lead_client.get(reverse("reporting:run_detail", args=[failed.pk])).content.decode()
    assert "The fonts were missing." in page and "Try again" in page
    listing = lead_client.get(reverse("reporting:edition_detail", args=[edition.pk])).content.decode()
    assert reverse("reporting:run_download", args=[run.pk]) in listing
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(reverse("reporting:run_retry", args=[failed.pk]))
    failed.refresh_from_db()
    assert failed.status == ReportRunStatus.SUCCEEDED


def test_a_lead_of_another_region_cannot_see_an_edition_or_its_runs(data, other_region):
    outsider = signed_in_client(make_person(Role.LEAD, region=other_region))
    edition = data["edition"]
    run = ReportRun.objects.create(edition=edition)
    assert outsider.get(reverse("reporting:edition_detail", args=[edition.pk])).status_code == 404
    assert outsider.get(reverse("reporting:run_status", args=[run.pk])).status_code == 404
    assert outsider.get(reverse("reporting:run_download", args=[run.pk])).status_code == 404
    assert outsider.post(reverse("reporting:edition_generate", args=[edition.pk])).status_code == 404


def test_a_participant_cannot_generate_or_download(data, participant_client):
    edition = data["edition"]
    run = ReportRun.objects.create(edition=edition)
    assert (
        participant_client.post(reverse("reporting:edition_generate", args=[edition.pk])).status_code == 403
    )
    assert participant_client.get(reverse("reporting:run_download", args=[run.pk])).status_code == 403


def test_the_hclm_import_page_names_bad_rows(lead_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("hclm.csv", b"year,sub_region\n2020,Overall\n", content_type="text/csv")
    response = lead_client.post(reverse("reporting:hclm_import"), {"file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert "The first line must name the columns; missing: created_360" in body
    # The error summary links to the file input, which is marked with the error and described by it.
    start = body.index('class="nhsuk-error-summary"')
    summary = body[start : body.index("</ul>", start)]
    assert re.search(
        r'<a href="#id_file"\s*>\s*HCLM 360 counts \(Excel workbook or CSV\): Line 1: The first line must name the columns',
        summary,
    )
    file_input = re.search(r'<input class="nhsuk-file-upload__input"[^>]*>', body).group(0)
    assert 'id="id_file"' in file_input and 'aria-invalid="true"' in file_input
    assert 'aria-describedby="id_file_helptext id_file_error"' in file_input
    assert "nhsuk-form-group--error" in body
    assert '<span class="nhsuk-error-message" id="id_file_error"' in body


def test_the_hclm_import_templates_download_for_leads_only(lead_client, participant_client):
    url = reverse("reporting:hclm_import_template", args=["xlsx"])
    assert lead_client.get(url)["Content-Disposition"] == 'attachment; filename="hclm-360-template.xlsx"'
    assert participant_client.get(url).status_code == 403


def test_quotes_page_lists_only_feedback_given_with_consent(data, lead_client):
    edition = data["edition"]
    enrolments = list(data["region"].cohorts.first().enrolments.all()[:2])
    public = b.feedback(enrolments[0], comment="Brilliant and practical.", consent=True)
    b.feedback(enrolments[1], comment="Keep this private.", consent=False)
    page = lead_client.get(reverse("reporting:edition_quotes", args=[edition.pk])).content.decode()
    assert "Brilliant and practical." in page and "Keep this private." not in page
    lead_client.post(reverse("reporting:edition_quotes", args=[edition.pk]), {"quotes": [public.pk]})
    assert list(edition.quotes.all()) == [public]


def test_navigation_offers_leads_the_dashboard_and_year_in_review(lead_client, participant_client):
    home = lead_client.get(reverse("academy:home")).content.decode()
    assert reverse("reporting:dashboard") in home and reverse("reporting:edition_list") in home
    assert (
        reverse("reporting:edition_list")
        not in participant_client.get(reverse("academy:home")).content.decode()
    )


@pytest.mark.parametrize("year", ["2005/07", "nonsense", "1999/00"])
def test_a_year_not_offered_falls_back_to_the_default(data, lead_client, year):
    response = lead_client.get(reverse("reporting:dashboard"), {"year": year})
    assert response.status_code == 200
    assert f"<h1>Dashboard: {year} " not in response.content.decode()
    assert "<h1>Dashboard: " in response.content.decode()


LEAD_PAGES = [
    ("reporting:dashboard", []),
    ("reporting:table_download", ["programmes"]),
    ("reporting:edition_list", []),
    ("reporting:edition_create", []),
    ("reporting:hclm_import", []),
]


@pytest.mark.parametrize(("name", "args"), LEAD_PAGES)
def test_every_lead_page_opens_for_a_lead(lead_client, name, args):
    assert lead_client.get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize(("name", "args"), LEAD_PAGES)
@pytest.mark.parametrize("client_fixture", ["participant_client", "staff_client", "coach_client"])
def test_every_lead_page_is_forbidden_to_other_roles(request, client_fixture, name, args):
    assert request.getfixturevalue(client_fixture).get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize(
    "name", ["reporting:edition_detail", "reporting:edition_narrative", "reporting:edition_quotes"]
)
def test_edition_pages_are_forbidden_to_a_participant_and_open_to_the_lead(
    data, lead_client, participant_client, name
):
    url = reverse(name, args=[data["edition"].pk])
    assert participant_client.get(url).status_code == 403
    assert lead_client.get(url).status_code == 200


def test_the_dashboard_opens_on_the_current_nhs_year_even_when_only_an_earlier_one_has_sessions(
    data, lead_client
):
    # The fixture's sessions are in 2020/21; the dashboard still opens on this year, and offers 2020/21.
    body = lead_client.get(reverse("reporting:dashboard")).content.decode()
    assert f"<h1>Dashboard: {nhs_year_label(timezone.localdate())} " in body
    assert 'value="2020/21"' in body
    assert "No interventions were delivered in" in body


def test_an_unknown_year_falls_back_to_the_current_nhs_year(lead_client):
    response = lead_client.get(reverse("reporting:dashboard"), {"year": "1999/00"})
    assert f"<h1>Dashboard: {nhs_year_label(timezone.localdate())} " in response.content.decode()


def test_a_malformed_custom_day_gets_one_message(lead_client):
    response = lead_client.post(
        reverse("reporting:edition_create"),
        {
            "title": "Autumn review",
            "year": "custom",
            "period_start_day": "31",
            "period_start_month": "31",
            "period_start_year": "2020",
            **date_input("period_end", dt.date(2021, 3, 31)),
        },
    )
    assert error_message(response, "period_start") == "First day of the custom period must be a real date"
