from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from academy.models import Role
from programmes import selectors, services
from programmes.models import (
    Application,
    ApplicationDecision,
    Attendance,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Programme,
)
from tests.conftest import make_person, signed_in_client
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    date_input,
)
from tests.files import assert_private_download
from tests.programmes.conftest import apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider_staff_client(other_region):
    """Programme staff from another region."""
    return signed_in_client(make_person(Role.PROGRAMME_STAFF, region=other_region))


def test_programme_list_is_for_programme_staff_only(region_staff_client, participant_client, cohort):
    assert region_staff_client.get(reverse("programmes:staff_programmes")).status_code == 200
    assert participant_client.get(reverse("programmes:staff_programmes")).status_code == 403


def test_programme_list_shows_only_my_region(region_staff_client, cohort, other_region):
    ProgrammeFactory(title="Elsewhere", region=other_region)
    body = region_staff_client.get(reverse("programmes:staff_programmes")).content.decode()
    assert cohort.programme.title in body and "Elsewhere" not in body


def test_create_programme_cohort_and_session_in_the_browser(region_staff_client, staff):
    response = region_staff_client.post(
        reverse("programmes:staff_programme_create"),
        {
            "title": "Trauma informed leadership",
            "code": "CLS7",
            "summary": "Working through crisis",
            "theme": "looking_after",
            "audience": "all_staff",
            "delivery_mode": "virtual",
            "entry_route": "open",
            "completion_min_attendance": "70",
            "is_published": "on",
        },
    )
    programme = Programme.objects.get(code="CLS7")
    assert response.status_code == 302
    assert programme.region == staff.region
    response = region_staff_client.post(
        reverse("programmes:staff_cohort_create", args=[programme.pk]),
        {"name": "CLS7 cohort 1", "capacity": "30"},
    )
    cohort = Cohort.objects.get(programme=programme)
    assert response["Location"] == reverse("programmes:staff_cohort", args=[cohort.pk])
    start = (timezone.localtime() + timedelta(days=20)).replace(second=0, microsecond=0)
    response = region_staff_client.post(
        reverse("programmes:staff_session_create", args=[cohort.pk]),
        {
            "title": "Part 1",
            **date_input("starts_at", start),
            **date_input("ends_at", start + timedelta(hours=2)),
            "joining_url": "https://teams.example.nhs.uk/x",
        },
    )
    assert response.status_code == 302
    region_staff_client.post(reverse("programmes:staff_cohort_status", args=[cohort.pk, "open"]))
    cohort.refresh_from_db()
    assert cohort.status == CohortStatus.OPEN
    assert cohort.starts_on == start.date()


def test_programme_form_errors(region_staff_client, cohort):
    response = region_staff_client.post(
        reverse("programmes:staff_programme_create"), {"code": cohort.programme.code}
    )
    body = response.content.decode()
    assert "<title>Error:" in body and "There is a problem" in body


def test_session_form_needs_a_venue_or_link(region_staff_client, cohort):
    start = timezone.localtime() + timedelta(days=3)
    response = region_staff_client.post(
        reverse("programmes:staff_session_create", args=[cohort.pk]),
        {
            "title": "x",
            **date_input("starts_at", start),
            **date_input("ends_at", start - timedelta(hours=1)),
        },
    )
    body = response.content.decode()
    assert "Give a venue or a joining link" in body and "must end after it starts" in body


def test_cohort_from_another_region_is_404(outsider_staff_client, cohort):
    assert outsider_staff_client.get(reverse("programmes:staff_cohort", args=[cohort.pk])).status_code == 404
    assert (
        outsider_staff_client.post(reverse("programmes:staff_cohort_cancel", args=[cohort.pk])).status_code
        == 404
    )
    cohort.refresh_from_db()
    assert cohort.status == CohortStatus.OPEN


def enrol_many(cohort, count: int) -> None:
    """`count` people of the cohort's region enrolled on it, with places to spare."""
    cohort.capacity = count + 100
    cohort.save()
    organisation = OrganisationFactory(system__sub_region__region=cohort.region)
    people = PersonFactory.create_batch(count, organisation=organisation)
    Enrolment.objects.bulk_create([Enrolment(cohort=cohort, person=p, status="enrolled") for p in people])


def test_register_of_500_has_a_fixed_query_count(region_staff_client, cohort, django_assert_max_num_queries):
    enrol_many(cohort, 500)
    # Middleware: session, user, groups, session save (savepoint, update, release) = 6; the
    # person (1), their region (1), the cohort (1), sessions with rates (1), the register with
    # each person's user, organisation and attendance rate (1) = 11.
    with django_assert_max_num_queries(11):
        response = region_staff_client.get(reverse("programmes:staff_cohort", args=[cohort.pk]))
    assert sum(len(g["rows"]) for g in response.context["groups"]) == 500


def test_cohort_status_is_a_coloured_tag_that_says_it_in_words(region_staff_client, cohort):
    page = region_staff_client.get(reverse("programmes:staff_cohort", args=[cohort.pk])).text
    assert re.search(r'<strong class="nhsuk-tag nhsuk-tag--green"\s*>\s*Open for enrolment\s*</strong>', page)
    cohort.status = "cancelled"
    cohort.save()
    page = region_staff_client.get(reverse("programmes:staff_cohort", args=[cohort.pk])).text
    assert re.search(r'<strong class="nhsuk-tag nhsuk-tag--red"\s*>\s*Cancelled\s*</strong>', page)


def _started(session):
    """The session began an hour ago: its register is open."""
    session.starts_at = timezone.now() - timedelta(hours=1)
    session.ends_at = session.starts_at + timedelta(hours=2)
    session.save()
    return session


def test_attendance_page_saves_everyone_together(region_staff_client, participant, cohort, person_in):
    mine = services.enrolment_create(person=participant, cohort=cohort, actor=None)
    theirs = services.enrolment_create(person=person_in(), cohort=cohort, actor=None)
    session = _started(cohort.sessions.first())
    url = reverse("programmes:staff_attendance", args=[session.pk])
    response = region_staff_client.post(url, {f"e{mine.pk}": "attended"})
    assert "<title>Error:" in response.content.decode()
    assert not Attendance.objects.exists()
    region_staff_client.post(url, {f"e{mine.pk}": "attended", f"e{theirs.pk}": "apologies"})
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {
        mine.pk: "attended",
        theirs.pk: "apologies",
    }


def test_register_opens_when_the_session_starts(region_staff_client, participant, cohort):
    services.enrolment_create(person=participant, cohort=cohort, actor=None)
    later, first = cohort.sessions.order_by("-starts_at")[:2]
    url = reverse("programmes:staff_attendance", args=[first.pk])
    page = region_staff_client.get(url).text
    assert "The register opens when the session starts" in page and "Save attendance" not in page
    cohort_page = region_staff_client.get(reverse("programmes:staff_cohort", args=[cohort.pk])).text
    assert f'Take attendance<span class="nhsuk-u-visually-hidden"> for {first.title}' not in cohort_page
    response = region_staff_client.post(url, {f"e{participant.enrolments.get().pk}": "attended"})
    assert "You can take attendance once the session has started" in response.text
    assert not Attendance.objects.exists()

    _started(first)
    assert "Save attendance" in region_staff_client.get(url).text
    cohort_page = region_staff_client.get(reverse("programmes:staff_cohort", args=[cohort.pk])).text
    assert f'Take attendance<span class="nhsuk-u-visually-hidden"> for {first.title}' in cohort_page
    assert f'Take attendance<span class="nhsuk-u-visually-hidden"> for {later.title}' not in cohort_page


def test_attendance_page_forbidden_to_participants(participant_client, cohort):
    url = reverse("programmes:staff_attendance", args=[cohort.sessions.first().pk])
    assert participant_client.get(url).status_code == 403


def test_attendance_page_query_count_is_fixed(region_staff_client, cohort, django_assert_max_num_queries):
    enrol_many(cohort, 200)
    url = reverse("programmes:staff_attendance", args=[_started(cohort.sessions.first()).pk])
    # Middleware (6), the person (1), their region (1), the session with cohort and programme (1),
    # the sheet with each person's organisation and current mark (1) = 10.
    with django_assert_max_num_queries(10):
        response = region_staff_client.get(url)
    assert len(response.context["form"].enrolments) == 200


def test_add_person_and_promote_from_waiting_list(region_staff_client, participant, cohort, person_in):
    for _ in range(2):
        services.enrolment_create(person=person_in(), cohort=cohort, actor=None)
    region_staff_client.post(
        reverse("programmes:staff_cohort_add", args=[cohort.pk]), {"email": participant.user.email}
    )
    mine = Enrolment.objects.get(person=participant)
    assert mine.status == EnrolmentStatus.WAITLISTED
    response = region_staff_client.post(
        reverse("programmes:staff_waitlist_promote", args=[cohort.pk, mine.pk]), follow=True
    )
    assert "no free places" in response.content.decode()
    Cohort.objects.filter(pk=cohort.pk).update(capacity=3)
    region_staff_client.post(reverse("programmes:staff_waitlist_promote", args=[cohort.pk, mine.pk]))
    mine.refresh_from_db()
    assert mine.status == EnrolmentStatus.ENROLLED


def test_register_export_has_words_and_a_column_per_session(
    region_staff_client, participant_client, participant, person_in, cohort
):
    participant.staff_group, participant.pay_band, participant.given_name = "nursing", "6", '=HYPERLINK("x")'
    participant.save()
    other = person_in()
    mine = services.enrolment_create(person=participant, cohort=cohort, actor=None)
    services.enrolment_create(person=other, cohort=cohort, actor=None)
    first, second = cohort.sessions.order_by("starts_at")
    Attendance.objects.create(session=first, enrolment=mine, status="attended")
    Attendance.objects.create(session=second, enrolment=mine, status="apologies")
    response = region_staff_client.get(reverse("programmes:staff_register_csv", args=[cohort.pk]))
    assert_private_download(response, filename_ends=f"register-{cohort.pk}.csv")
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf") and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    session_columns = [f"{s.title} ({timezone.localtime(s.starts_at):%d/%m/%Y})" for s in (first, second)]
    assert rows[0] == [*selectors.REGISTER_COLUMNS, *session_columns, "Sessions attended", "Sessions marked"]
    by_email = {row[0]: row for row in rows[1:]}
    row = by_email[participant.user.email]
    assert row[1] == '\'=HYPERLINK("x")'  # a formula arrives as text
    assert row[4:7] == ["Nursing and Midwifery Registered", "Band 6", "Enrolled"]
    assert row[8:] == ["Attended", "Apologies", "1", "2"]
    assert by_email[other.user.email][8:] == ["", "", "0", "0"]
    workbook = region_staff_client.get(reverse("programmes:staff_register_xlsx", args=[cohort.pk]))
    assert_private_download(workbook, filename_ends=f"register-{cohort.pk}.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    assert [c.value for c in sheet[1]] == rows[0]
    names = [c for c in sheet["B"] if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert names and names[0].data_type == "s"  # text, not a formula
    for name in ("programmes:staff_register_csv", "programmes:staff_register_xlsx"):
        assert participant_client.get(reverse(name, args=[cohort.pk])).status_code == 403


def test_register_csv_neutralises_formula_cells(region_staff_client, participant, cohort):
    participant.given_name, participant.family_name = '=HYPERLINK("http://x")', "@SUM(1+1)"
    participant.save()
    services.enrolment_create(person=participant, cohort=cohort, actor=None)
    response = region_staff_client.get(reverse("programmes:staff_register_csv", args=[cohort.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells and "'@SUM(1+1)" in cells
    assert not any(cell.startswith(("=", "+", "@", "-")) for cell in cells)


def test_csv_import_preview_then_commit(region_staff_client, cohort):
    url = reverse("programmes:staff_cohort_import", args=[cohort.pk])
    bad = SimpleUploadedFile("r.csv", b"email,first_name,last_name\nnope,A,B\n", content_type="text/csv")
    body = region_staff_client.post(url, {"file": bad}).content.decode()
    assert "Line 2:" in body and "not an email address" in body
    good = SimpleUploadedFile(
        "r.csv", b"email,first_name,last_name\nnew@nhs.net,Ada,Obi\n", content_type="text/csv"
    )
    body = region_staff_client.post(url, {"file": good}).content.decode()
    assert "Check before importing" in body and "1 person will be enrolled or invited" in body
    assert not Enrolment.objects.exists()
    run = re.search(r'name="run" value="(\d+)"', body).group(1)
    response = region_staff_client.post(url, {"run": run})
    assert response.url == reverse("programmes:staff_cohort", args=[cohort.pk])
    assert Enrolment.objects.get().person.user.email == "new@nhs.net"
    assert region_staff_client.post(url, {"run": run}).status_code == 404  # a file is imported once


def test_csv_import_errors_link_to_the_file_input_which_they_describe(region_staff_client, cohort):
    url = reverse("programmes:staff_cohort_import", args=[cohort.pk])
    bad = SimpleUploadedFile(
        "r.csv", b"email,first_name,last_name\nnope,A,B\nalso-bad,C,D\n", content_type="text/csv"
    )
    body = region_staff_client.post(url, {"file": bad}).content.decode()
    assert body.count("<title>Error: Import enrolments") == 1
    summary = body[body.index("nhsuk-error-summary") : body.index("</ul>", body.index("nhsuk-error-summary"))]
    links = re.findall(r'<a href="#([^"]+)"[^>]*>\s*(Line \d+:[^<]*)</a>', summary)
    assert [line.split(":")[0] for _, line in links] == ["Line 2", "Line 3"]
    assert {target for target, _ in links} == {"id_file"}
    file_input = re.search(r'<input[^>]*\bid="id_file"[^>]*>', body).group(0)
    group_start = body.rfind('class="nhsuk-form-group', 0, body.index('id="id_file"'))
    assert "nhsuk-form-group--error" in body[group_start : body.index(">", group_start)]
    described_by = re.search(r'aria-describedby="([^"]+)"', file_input).group(1).split()
    assert "id_file_error" in described_by and "id_file_helptext" in described_by
    assert re.search(r'id="id_file_error"[^>]*>.*?The file has 2 problems', body, re.S)


def test_cancel_cohort_confirmation(region_staff_client, participant, cohort):
    services.enrolment_create(person=participant, cohort=cohort, actor=None)
    url = reverse("programmes:staff_cohort_cancel", args=[cohort.pk])
    assert "Are you sure" in region_staff_client.get(url).content.decode()
    region_staff_client.post(url, {"reason": "Facilitator unwell"})
    cohort.refresh_from_db()
    assert cohort.status == CohortStatus.CANCELLED
    assert Enrolment.objects.get(person=participant).status == EnrolmentStatus.CANCELLED


def test_shortlisting_with_quota(
    region_staff_client, participant, cohort, application_cohort, person_in, other_participant
):
    nurse = apply(participant, cohort, answers={"why": "x"}, profession="Nurse")
    apply(person_in(), cohort, profession="Midwife")
    url = reverse("programmes:staff_applications", args=[cohort.pk])
    response = region_staff_client.post(
        reverse("programmes:staff_application_decide", args=[nurse.pk]),
        {"decision": "shortlisted", "note": "Strong", "query": "profession=Nurse"},
    )
    assert response["Location"] == f"{url}?profession=Nurse"
    nurse.refresh_from_db()
    assert nurse.decision == ApplicationDecision.SHORTLISTED
    response = region_staff_client.get(url, {"profession": "Nurse"})
    assert [a.pk for a in response.context["page"].object_list] == [nurse.pk]
    quota = {(r["profession"], r["shortlisted"], r["full"]) for r in response.context["quota"]}
    assert quota == {("Nurse", 1, True), ("Midwife", 0, False)}
    region_staff_client.post(reverse("programmes:staff_application_offer", args=[nurse.enrolment_id]))
    assert Enrolment.objects.get(pk=nurse.enrolment_id).status == EnrolmentStatus.OFFERED


def test_shortlisting_forbidden_to_other_regions(
    outsider_staff_client, participant, cohort, application_route
):
    application = apply(participant, cohort)
    assert (
        outsider_staff_client.get(reverse("programmes:staff_applications", args=[cohort.pk])).status_code
        == 404
    )
    response = outsider_staff_client.post(
        reverse("programmes:staff_application_decide", args=[application.pk]), {"decision": "declined"}
    )
    assert response.status_code == 404
    assert Application.objects.get().decision == ApplicationDecision.PENDING


def test_session_edit_sends_update(
    region_staff_client, participant, cohort, django_capture_on_commit_callbacks
):
    from django.core import mail

    services.enrolment_create(person=participant, cohort=cohort, actor=None)
    session = cohort.sessions.first()
    start = timezone.localtime(session.starts_at) + timedelta(days=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        region_staff_client.post(
            reverse("programmes:staff_session_edit", args=[session.pk]),
            {
                "title": session.title,
                **date_input("starts_at", start),
                **date_input("ends_at", start + timedelta(hours=1)),
                "joining_url": session.joining_url,
            },
        )
    assert [m.subject.startswith("Session changed") for m in mail.outbox] == [True]


def test_staff_programme_detail_lists_cohorts(region_staff_client, cohort, participant_client):
    CohortFactory(programme=cohort.programme, name="Second run")
    EnrolmentFactory(cohort=cohort)
    url = reverse("programmes:staff_programme", args=[cohort.programme.pk])
    assert "Second run" in region_staff_client.get(url).content.decode()
    assert participant_client.get(url).status_code == 403


def test_edit_programme_and_cohort(region_staff_client, cohort):
    programme = cohort.programme
    response = region_staff_client.post(
        reverse("programmes:staff_programme_edit", args=[programme.pk]),
        {
            "title": "Renamed programme",
            "code": programme.code,
            "summary": programme.summary,
            "theme": programme.theme,
            "audience": programme.audience,
            "delivery_mode": programme.delivery_mode,
            "entry_route": programme.entry_route,
            "completion_min_attendance": "80",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.title, programme.completion_min_attendance) == ("Renamed programme", 80)
    response = region_staff_client.post(
        reverse("programmes:staff_cohort_edit", args=[cohort.pk]),
        {"name": "Renamed cohort", "capacity": "25"},
    )
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.name, cohort.capacity) == ("Renamed cohort", 25)


def test_register_rows_show_each_persons_values_escaped_with_their_own_action(
    region_staff_client, cohort, person_in
):
    waiting = person_in(given_name="Siobhán <b>", family_name="O'Neil & Co")
    also_waiting = person_in(given_name="Ade", family_name="Bello")
    offered = person_in(given_name="Priya", family_name="Shah")
    first = EnrolmentFactory(
        cohort=cohort, person=waiting, status=EnrolmentStatus.WAITLISTED, waitlist_position=1
    )
    second = EnrolmentFactory(
        cohort=cohort, person=also_waiting, status=EnrolmentStatus.WAITLISTED, waitlist_position=2
    )
    EnrolmentFactory(
        cohort=cohort,
        person=offered,
        status=EnrolmentStatus.OFFERED,
        offer_expires_at=timezone.now() + timedelta(days=2),
    )
    body = region_staff_client.get(reverse("programmes:staff_cohort", args=[cohort.pk])).content.decode()
    forms = re.findall(r'<form method="post" action="([^"]+)" novalidate>(.*?)</form>', body, re.S)
    give = {action: inner for action, inner in forms if "Give a place" in inner}
    assert list(give) == [
        reverse("programmes:staff_waitlist_promote", args=[cohort.pk, first.pk]),
        reverse("programmes:staff_waitlist_promote", args=[cohort.pk, second.pk]),
    ]
    first_form, second_form = give.values()
    assert 'name="csrfmiddlewaretoken"' in first_form and 'name="csrfmiddlewaretoken"' in second_form
    assert "to Siobhán &lt;b&gt; O&#39;Neil &amp; Co</span>" in first_form and "<b>" not in body
    assert "to Ade Bello</span>" in second_form
    assert "Offer ends " in body and "Priya Shah" in body
