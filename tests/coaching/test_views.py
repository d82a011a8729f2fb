"""Every coaching page: an allowed and a forbidden persona, and the privacy rules."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from academy.models import Role
from coaching import services
from coaching.models import (
    CoachingSessionLog,
    CoachProfile,
    ProfileStatus,
    ReflectiveNote,
    RelationshipStatus,
    SupervisionRecord,
)
from tests import factories
from tests.conftest import make_person, signed_in_client
from tests.files import PDF, assert_private_download

pytestmark = pytest.mark.usefixtures("private_media")


@pytest.fixture
def coach_profile(coach):
    return factories.CoachProfileFactory(person=coach)


# --- The coach's own pages ----------------------------------------------------------------------------


def test_my_coaching_shows_status_and_due_date(coach_client, coach_profile):
    response = coach_client.get(reverse("coaching:mine"))
    assert response.status_code == 200
    assert f"{coach_profile.supervision_due_on:%-d %B %Y}" in response.text


def test_my_coaching_counts_cpd_hours_of_the_last_12_months_beyond_the_entries_shown(
    coach_client, coach_profile
):
    today = timezone.localdate()
    for n in range(12):  # 12 × 1.5 hours logged in the last year, more than the 10 entries listed
        coach_profile.cpd_logs.create(
            done_on=today - datetime.timedelta(days=20 * n), hours=1.5, activity="Reading"
        )
    coach_profile.cpd_logs.create(
        done_on=today - datetime.timedelta(days=400), hours=7, activity="Old course"
    )
    for n in range(11):  # 11 webinars of 2 hours in the last year, and one of 5 hours before it
        factories.CPDEventFactory(
            region=coach_profile.region,
            starts_at=timezone.now() - datetime.timedelta(days=25 * n + 1),
            duration_hours=2,
        ).attendances.create(profile=coach_profile)
    factories.CPDEventFactory(
        region=coach_profile.region, starts_at=timezone.now() - datetime.timedelta(days=420), duration_hours=5
    ).attendances.create(profile=coach_profile)
    response = coach_client.get(reverse("coaching:mine"))
    assert response.context["cpd_hours"] == 12 * 1.5 + 11 * 2
    assert len(response.context["cpd_logs"]) == len(response.context["cpd_attendances"]) == 10


def test_my_coaching_counts_no_cpd_hours_when_there_is_none(coach_client, coach_profile):
    assert coach_client.get(reverse("coaching:mine")).context["cpd_hours"] == 0


def test_my_coaching_sends_a_non_coach_to_apply(participant_client):
    assert participant_client.get(reverse("coaching:mine"))["Location"] == reverse("coaching:apply")


def test_anonymous_is_sent_to_sign_in(anonymous_client):
    for name in ("coaching:mine", "coaching:directory", "coaching:register", "coaching:supervision_sessions"):
        assert anonymous_client.get(reverse(name)).status_code == 302


def test_apply_with_certificate(participant, participant_client):
    response = participant_client.post(
        reverse("coaching:apply"),
        {
            "kind": "both",
            "specialisms": ["wellbeing", "career"],
            "capacity": 2,
            "availability": "now",
            "experience": "Five years coaching ward managers.",
            "qualification_kind": "ilm5",
            "certificate": SimpleUploadedFile("ilm.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    profile = CoachProfile.objects.get(person=participant)
    assert profile.status == ProfileStatus.APPLIED
    assert profile.qualifications.get().certificate_content_type == "application/pdf"


def test_apply_with_a_disguised_file_shows_an_error(participant, participant_client):
    response = participant_client.post(
        reverse("coaching:apply"),
        {
            "kind": "coach",
            "specialisms": ["wellbeing"],
            "capacity": 2,
            "availability": "now",
            "experience": "Some",
            "qualification_kind": "ilm3",
            "certificate": SimpleUploadedFile("ilm.pdf", b"<html>not a pdf</html>", "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "<title>Error: " in response.text
    assert "must be a PDF, JPG or PNG" in response.text
    assert not CoachProfile.objects.filter(person=participant).exists()


def test_certificate_served_to_owner_and_regional_staff_only(coach, coach_client, programme_staff, lead):
    profile = factories.CoachProfileFactory(person=coach)
    q = services.qualification_add(
        profile=profile, kind="ilm5", certificate=SimpleUploadedFile("c.pdf", PDF), actor=coach.user
    )
    url = reverse("coaching:certificate", args=[q.pk])
    response = coach_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_private_download(response, filename_ends=f"certificate-{q.pk}.pdf")
    assert b"".join(response.streaming_content) == PDF
    assert signed_in_client(programme_staff).get(url).status_code == 200
    assert signed_in_client(lead).get(url).status_code == 404
    assert signed_in_client(make_person(Role.COACH)).get(url).status_code == 404
    other_region_staff = make_person(Role.PROGRAMME_STAFF, region=_other_region())
    assert signed_in_client(other_region_staff).get(url).status_code == 404


def _other_region():
    from tests.factories import RegionFactory

    return RegionFactory(name="North West", slug="north-west")


def test_supervision_log_page(coach_client, coach_profile):
    held_on = timezone.localdate() - datetime.timedelta(days=3)
    response = coach_client.post(
        reverse("coaching:supervision_log"),
        {
            **factories.date_input("held_on", held_on),
            "hours": "1.5",
            "supervisor_name": "Jo",
            "functions": ["normative"],
        },
    )
    assert response.status_code == 302
    assert SupervisionRecord.objects.get(profile=coach_profile).held_on == held_on


def test_supervision_log_forbidden_without_a_profile(participant_client):
    assert participant_client.get(reverse("coaching:supervision_log")).status_code == 403


# --- Reflective notes: nobody but the owner -----------------------------------------------------------


def test_reflective_note_readable_by_its_owner(coach_client, coach_profile):
    response = coach_client.post(
        reverse("coaching:note_new"), {"title": "Boundaries", "body": "Private words"}
    )
    assert response.status_code == 302
    note = ReflectiveNote.objects.get()
    assert "Private words" in coach_client.get(reverse("coaching:note", args=[note.pk])).text
    assert "Boundaries" in coach_client.get(reverse("coaching:notes")).text


def test_reflective_note_is_404_for_another_coach_staff_and_a_lead(coach_profile, programme_staff, lead):
    note = ReflectiveNote.objects.create(profile=coach_profile, title="Mine", body="Private words")
    url = reverse("coaching:note", args=[note.pk])
    another_coach = factories.CoachProfileFactory(person=make_person(Role.COACH)).person
    for person in (another_coach, programme_staff, lead):
        response = signed_in_client(person).get(url)
        assert response.status_code == 404, person
        assert "Private words" not in response.text


def test_notes_list_is_the_readers_own(coach_profile):
    ReflectiveNote.objects.create(profile=coach_profile, title="Secret title", body="x")
    other = factories.CoachProfileFactory(person=make_person(Role.COACH))
    response = signed_in_client(other.person).get(reverse("coaching:notes"))
    assert response.status_code == 200 and "Secret title" not in response.text


# --- CPD ----------------------------------------------------------------------------------------------


def test_cpd_attend_and_log(coach_client, coach_profile):
    event = factories.CPDEventFactory(region=coach_profile.region, title="Trauma and coaching")
    assert "Trauma and coaching" in coach_client.get(reverse("coaching:cpd")).text
    assert coach_client.post(reverse("coaching:cpd_attend", args=[event.pk])).status_code == 302
    assert event.attendances.filter(profile=coach_profile).exists()
    response = coach_client.post(
        reverse("coaching:cpd_log"),
        {**factories.date_input("done_on", timezone.localdate()), "hours": "2", "activity": "Reading"},
    )
    assert response.status_code == 302 and coach_profile.cpd_logs.count() == 1


def test_cpd_event_creation_is_staff_only(staff_client, coach_client, programme_staff):
    data = {
        "title": "Coaching for wellbeing",
        **factories.date_input(
            "starts_at", datetime.datetime(2030, 1, 10, 12, 0, tzinfo=timezone.get_current_timezone())
        ),
        "duration_hours": "1",
    }
    assert coach_client.post(reverse("coaching:cpd_event_new"), data).status_code == 403
    assert staff_client.post(reverse("coaching:cpd_event_new"), data).status_code == 302
    event = programme_staff.region.cpd_events.get()
    assert event.title == "Coaching for wellbeing"
    assert event.starts_at == datetime.datetime(2030, 1, 10, 12, 0, tzinfo=timezone.get_current_timezone())


# --- Participants ---------------------------------------------------------------------------------------


def test_directory_lists_compliant_coaches_without_contact_details(participant, participant_client):
    visible = factories.CoachProfileFactory(specialisms=["career"])
    lapsed = factories.CoachProfileFactory(status=ProfileStatus.LAPSED)
    full = factories.CoachProfileFactory(capacity=1)
    factories.CoachingRelationshipFactory(coach=full)
    not_taking = factories.CoachProfileFactory(availability="none")
    response = participant_client.get(reverse("coaching:directory"))
    assert response.status_code == 200
    assert visible.person.full_name in response.text
    assert "Career development" in response.text
    assert visible.person.user.email not in response.text
    for hidden in (lapsed, full, not_taking):
        assert hidden.person.full_name not in response.text


def test_request_a_coach(participant, participant_client):
    response = participant_client.post(
        reverse("coaching:request_new"),
        {"relationship_type": "reverse", "goals": "Understand junior colleagues' experience"},
    )
    assert response.status_code == 302
    assert participant.coaching_requests.get().relationship_type == "reverse"


# --- Relationships --------------------------------------------------------------------------------------


@pytest.fixture
def relationship(coach_profile, participant):
    return factories.CoachingRelationshipFactory(coach=coach_profile, coachee=participant)


def test_pair_can_log_and_read_sessions(relationship, coach_client, participant_client):
    url = reverse("coaching:session_new", args=[relationship.pk])
    response = participant_client.post(
        url,
        {
            **factories.date_input("held_on", timezone.localdate()),
            "duration_minutes": 45,
            "notes": "We spoke about conflict",
        },
    )
    assert response.status_code == 302
    assert (
        "We spoke about conflict"
        in coach_client.get(reverse("coaching:relationship", args=[relationship.pk])).text
    )


def test_session_notes_are_404_for_others_and_staff_see_counts_only(relationship, programme_staff, lead):
    factories.CoachingSessionLogFactory(
        relationship=relationship, notes="Very private content", duration_minutes=90
    )
    url = reverse("coaching:relationship", args=[relationship.pk])
    for person in (make_person(), programme_staff, lead):
        assert signed_in_client(person).get(url).status_code == 404
    staff_page = signed_in_client(programme_staff).get(
        reverse("coaching:coach", args=[relationship.coach.pk])
    )
    assert staff_page.status_code == 200
    assert "Very private content" not in staff_page.text
    assert relationship.coachee.full_name in staff_page.text


def test_logging_against_someone_elses_relationship_is_404(relationship):
    stranger = make_person()
    response = signed_in_client(stranger).post(
        reverse("coaching:session_new", args=[relationship.pk]),
        {**factories.date_input("held_on", timezone.localdate()), "duration_minutes": 30},
    )
    assert response.status_code == 404
    assert not CoachingSessionLog.objects.exists()


def test_coach_accepts_an_offer_but_the_coachee_cannot(
    coach_profile, participant, coach_client, participant_client
):
    offered = factories.CoachingRelationshipFactory(
        coach=coach_profile, coachee=participant, status="offered", started_on=None
    )
    assert (
        participant_client.post(reverse("coaching:relationship_accept", args=[offered.pk])).status_code == 403
    )
    assert coach_client.post(reverse("coaching:relationship_accept", args=[offered.pk])).status_code == 302
    offered.refresh_from_db()
    assert offered.status == RelationshipStatus.ACTIVE


def test_coach_declines_an_offer(coach_profile, coach_client):
    offered = factories.CoachingRelationshipFactory(coach=coach_profile, status="offered", started_on=None)
    assert coach_client.post(reverse("coaching:relationship_decline", args=[offered.pk])).status_code == 302
    offered.refresh_from_db()
    assert offered.status == RelationshipStatus.DECLINED


def test_close_with_evaluation(relationship, participant_client, coach):
    url = reverse("coaching:relationship_close", args=[relationship.pk])
    assert "cannot be undone" in participant_client.get(url).text
    assert signed_in_client(make_person()).get(url).status_code == 404
    assert participant_client.post(url, {"rating": 4, "evaluation": "Helped a lot"}).status_code == 302
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.CLOSED and relationship.evaluation_rating == 4


# --- Supervisors ----------------------------------------------------------------------------------------


def test_supervisor_schedules_adds_and_confirms(supervisor):
    client = signed_in_client(supervisor)
    response = client.post(
        reverse("coaching:supervision_new"),
        {
            **factories.date_input("starts_at", timezone.localtime() + datetime.timedelta(days=2)),
            "duration_hours": "2",
        },
    )
    assert response.status_code == 302
    session = supervisor.supervision_sessions_run.get()
    coach = factories.CoachProfileFactory(
        person=factories.PersonFactory(organisation=supervisor.organisation, region=supervisor.region)
    )
    url = reverse("coaching:supervision", args=[session.pk])
    assert re.search(rf'<option value="{coach.pk}"\s*>{coach.person.full_name}', client.get(url).text)
    assert client.post(url, {"add-profile": coach.pk}).status_code == 302
    assert session.attendees.count() == 1
    session.starts_at = timezone.now() - datetime.timedelta(hours=2)
    session.save(update_fields=["starts_at"])
    response = client.post(
        reverse("coaching:supervision_confirm", args=[session.pk]),
        {
            "confirm-attended": [str(coach.pk)],
            "confirm-functions": ["restorative"],
            "confirm-themes": ["stress"],
        },
    )
    assert response.status_code == 302
    assert SupervisionRecord.objects.filter(profile=coach, session=session).exists()


def test_ninth_coach_shows_an_error_on_the_page(supervisor):
    session = factories.SupervisionSessionFactory(supervisor=supervisor)
    for seat in range(1, 9):
        session.attendees.create(profile=factories.CoachProfileFactory(), seat=seat)
    ninth = factories.CoachProfileFactory()
    response = signed_in_client(supervisor).post(
        reverse("coaching:supervision", args=[session.pk]), {"add-profile": ninth.pk}
    )
    assert response.status_code == 200
    assert "already has 8 coaches" in response.text
    assert session.attendees.count() == 8


def test_supervision_pages_are_for_supervisors_and_their_own_sessions(coach_client, supervisor):
    assert coach_client.get(reverse("coaching:supervision_sessions")).status_code == 403
    someone_elses = factories.SupervisionSessionFactory(supervisor=make_person(Role.SUPERVISOR))
    assert (
        signed_in_client(supervisor).get(reverse("coaching:supervision", args=[someone_elses.pk])).status_code
        == 404
    )


# --- Programme staff ------------------------------------------------------------------------------------


def test_register_filters_and_csv(staff_client, programme_staff):
    org = factories.OrganisationFactory(system=programme_staff.organisation.system)
    ilm7 = factories.CoachProfileFactory(
        person=factories.PersonFactory(organisation=org, region=org.region), kind="mentor"
    )
    factories.QualificationFactory(profile=ilm7, kind="ilm7")
    lapsed = factories.CoachProfileFactory(status=ProfileStatus.LAPSED)
    response = staff_client.get(reverse("coaching:register"), {"qualification": "ilm7"})
    assert ilm7.person.full_name in response.text and lapsed.person.full_name not in response.text
    response = staff_client.get(reverse("coaching:register"), {"compliance": "not_compliant"})
    assert lapsed.person.full_name in response.text and ilm7.person.full_name not in response.text
    csv_response = staff_client.get(reverse("coaching:register"), {"kind": "mentor", "format": "csv"})
    body = b"".join(csv_response.streaming_content).decode()
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert_private_download(csv_response, filename_ends=".csv")
    assert body.splitlines()[0].startswith("\ufeffName,Email,Organisation,System")
    assert ilm7.person.user.email in body and lapsed.person.full_name not in body
    row = next(line for line in body.splitlines() if ilm7.person.user.email in line)
    assert "ILM level 7" in row and "Mentor" in row and row.endswith(",yes")


def test_register_csv_neutralises_formula_cells(staff_client, programme_staff):
    org = factories.OrganisationFactory(system=programme_staff.organisation.system)
    person = factories.PersonFactory(
        organisation=org, region=org.region, given_name="=1+2", family_name="-Smith"
    )
    factories.CoachProfileFactory(person=person, availability_notes="@Tuesdays")
    response = staff_client.get(reverse("coaching:register"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(cell.startswith("'=1+2") for cell in cells)
    assert not any(cell.startswith(("=", "+", "@", "-", "\t", "\r")) for cell in cells)


def test_register_is_staff_only_and_regional(coach_client, staff_client):
    assert coach_client.get(reverse("coaching:register")).status_code == 403
    elsewhere = factories.CoachProfileFactory(person=make_person(region=_other_region()))
    assert elsewhere.person.full_name not in staff_client.get(reverse("coaching:register")).text
    assert staff_client.get(reverse("coaching:coach", args=[elsewhere.pk])).status_code == 404


def test_staff_review_approves_with_a_qualification(staff_client):
    applicant = factories.CoachProfileFactory(status=ProfileStatus.APPLIED, approved_at=None)
    url = reverse("coaching:coach", args=[applicant.pk])
    response = staff_client.post(url, {"decision": "approve"})
    assert response.status_code == 200 and "recognised qualification" in response.text
    factories.QualificationFactory(profile=applicant, kind="ilm3")
    assert staff_client.post(url, {"decision": "approve"}).status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == ProfileStatus.APPROVED
    assert applicant.person.user.role_grants.filter(role=Role.COACH, region=applicant.region).exists()
    queue = staff_client.get(reverse("coaching:applications")).text
    assert "approved." in queue  # the confirmation message
    assert url not in queue


def test_applications_queue_forbidden_to_participants(participant_client):
    assert participant_client.get(reverse("coaching:applications")).status_code == 403


def test_matching_suggests_and_offers_never_the_same_organisation(staff_client, participant):
    coaching_request = factories.CoachingRequestFactory(
        requester=participant, specialisms=["career", "teams"]
    )
    colleague = factories.CoachProfileFactory(
        person=factories.PersonFactory(organisation=participant.organisation, region=participant.region),
        specialisms=["career", "teams"],
    )
    org = factories.OrganisationFactory(system=participant.organisation.system)
    outsider = factories.CoachProfileFactory(
        person=factories.PersonFactory(organisation=org, region=org.region), specialisms=["career"]
    )
    url = reverse("coaching:match_request", args=[coaching_request.pk])
    page = staff_client.get(url).text
    assert outsider.person.full_name in page and colleague.person.full_name not in page
    response = staff_client.post(url, {"coach": colleague.pk})
    assert response.status_code == 200 and "own organisation" in response.text
    assert staff_client.post(url, {"coach": outsider.pk}).status_code == 302
    assert outsider.relationships.get().status == RelationshipStatus.OFFERED
    assert participant.full_name in staff_client.get(reverse("coaching:matching")).text


def test_matching_is_staff_only(coach_client, participant):
    coaching_request = factories.CoachingRequestFactory(requester=participant)
    assert coach_client.get(reverse("coaching:match_request", args=[coaching_request.pk])).status_code == 403
    assert coach_client.get(reverse("coaching:matching")).status_code == 403


# --- Remaining pages: allowed and forbidden ---------------------------------------------------------------


def test_profile_edit_for_a_coach_only(coach_client, coach_profile, participant_client):
    assert participant_client.get(reverse("coaching:profile_edit")).status_code == 403
    response = coach_client.post(
        reverse("coaching:profile_edit"), {"specialisms": ["system"], "capacity": 0, "availability": "none"}
    )
    assert response.status_code == 302
    coach_profile.refresh_from_db()
    assert coach_profile.specialisms == ["system"] and coach_profile.availability == "none"


def test_qualification_new_for_a_coach_only(coach_client, coach_profile, participant_client):
    assert participant_client.get(reverse("coaching:qualification_new")).status_code == 403
    response = coach_client.post(
        reverse("coaching:qualification_new"),
        {"qualification_kind": "icf", "certificate": SimpleUploadedFile("c.pdf", PDF)},
    )
    assert response.status_code == 302
    assert coach_profile.qualifications.get().kind == "icf"


def test_cpd_recording_is_staff_only(staff_client, coach_client, programme_staff):
    event = factories.CPDEventFactory(region=programme_staff.region)
    url = reverse("coaching:cpd_recording", args=[event.pk])
    assert coach_client.post(url, {"recording_url": "https://example.org/r"}).status_code == 403
    assert staff_client.post(url, {"recording_url": "https://example.org/r"}).status_code == 302
    event.refresh_from_db()
    assert event.recording_url == "https://example.org/r"


def test_schedule_supervision_is_for_supervisors(coach_client):
    assert coach_client.get(reverse("coaching:supervision_new")).status_code == 403


def test_notes_pages_need_a_register_entry(participant_client):
    assert participant_client.get(reverse("coaching:notes")).status_code == 403
    assert participant_client.get(reverse("coaching:note_new")).status_code == 403


def test_navigation_entries(participant_client, staff_client, supervisor):
    assert "Find a coach" in participant_client.get("/").text
    assert "Coach register" in staff_client.get("/").text
    assert "Coach register" not in participant_client.get("/").text
    assert "Group supervision" in signed_in_client(supervisor).get("/").text


def test_another_regions_webinar_is_404_to_attend_and_to_add_a_recording(coach_client, coach_profile):
    elsewhere = factories.CPDEventFactory(region=_other_region())
    assert coach_client.post(reverse("coaching:cpd_attend", args=[elsewhere.pk])).status_code == 404
    staff = make_person(Role.PROGRAMME_STAFF, region=coach_profile.region)
    url = reverse("coaching:cpd_recording", args=[elsewhere.pk])
    assert signed_in_client(staff).post(url, {"recording_url": "https://example.org/r"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.recording_url == "" and not elsewhere.attendances.exists()
