"""The coaching services, called directly, with their failure cases."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from academy.models import AuditEntry
from coaching import services
from coaching.models import (
    CoachingRequest,
    CoachProfile,
    ProfileStatus,
    RelationshipStatus,
    RequestStatus,
    SessionStatus,
    SupervisionAttendee,
    SupervisionRecord,
)
from tests.concurrency import run_together
from tests.conftest import make_person
from tests.factories import (
    CoachingRelationshipFactory,
    CoachingRequestFactory,
    CoachProfileFactory,
    CPDEventFactory,
    OrganisationFactory,
    PersonFactory,
    QualificationFactory,
    SupervisionSessionFactory,
)
from tests.files import JPEG, PDF, PNG

pytestmark = pytest.mark.usefixtures("private_media")


def actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def today():
    return timezone.localdate()


def log_supervision_elsewhere(profile, *, held_on, actor, functions=("normative",)):
    """One hour of supervision held outside the academy, as a coach logs it."""
    return services.supervision_log(
        profile=profile,
        held_on=held_on,
        hours=Decimal(1),
        supervisor_name="A supervisor",
        functions=list(functions),
        themes=[],
        actor=actor,
    )


# --- Applying and review ------------------------------------------------------------------------------


def test_apply_creates_an_application_and_audits(participant):
    profile = services.coach_apply(
        person=participant,
        kind="both",
        specialisms=["wellbeing", "career"],
        capacity=3,
        availability="now",
        actor=participant.user,
    )
    assert profile.status == ProfileStatus.APPLIED
    assert profile.region_id == participant.region_id
    assert "coach.apply" in actions()


def test_apply_twice_is_refused(participant):
    kwargs = {"person": participant, "kind": "coach", "specialisms": [], "capacity": 1, "availability": "now"}
    services.coach_apply(**kwargs, actor=participant.user)
    with pytest.raises(ValidationError, match="already applied"):
        services.coach_apply(**kwargs, actor=participant.user)


def test_reapply_after_more_information_requested(participant):
    profile = CoachProfileFactory(person=participant, status=ProfileStatus.MORE_INFO_REQUESTED)
    again = services.coach_apply(
        person=participant,
        kind="mentor",
        specialisms=[],
        capacity=1,
        availability="soon",
        actor=participant.user,
    )
    assert again.pk == profile.pk and again.status == ProfileStatus.APPLIED and again.kind == "mentor"


def test_approval_needs_a_recognised_qualification(programme_staff):
    profile = CoachProfileFactory(status=ProfileStatus.APPLIED, approved_at=None)
    QualificationFactory(profile=profile, kind="other", title="Weekend course")
    with pytest.raises(ValidationError, match="recognised qualification"):
        services.coach_review(profile=profile, decision="approve", actor=programme_staff.user)
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.APPLIED


def test_approval_with_ilm5_sets_a_due_date(programme_staff):
    profile = CoachProfileFactory(
        status=ProfileStatus.APPLIED, approved_at=None, last_supervised_on=None, supervision_due_on=None
    )
    QualificationFactory(profile=profile, kind="ilm5")
    services.coach_review(profile=profile, decision="approve", actor=programme_staff.user)
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.APPROVED
    assert profile.approved_at is not None
    assert profile.supervision_due_on == today() + datetime.timedelta(days=365)
    assert "coach.review.approve" in actions()


def test_ask_for_more_needs_a_note_and_decline_is_final(programme_staff):
    profile = CoachProfileFactory(status=ProfileStatus.APPLIED, approved_at=None)
    with pytest.raises(ValidationError, match="what more information"):
        services.coach_review(profile=profile, decision="more_info", note=" ", actor=programme_staff.user)
    services.coach_review(profile=profile, decision="decline", note="No", actor=programme_staff.user)
    with pytest.raises(ValidationError, match="already been decided"):
        services.coach_review(profile=profile, decision="approve", actor=programme_staff.user)


# --- Certificates -------------------------------------------------------------------------------------


def test_pdf_and_png_certificates_are_kept_privately(coach):
    profile = CoachProfileFactory(person=coach)
    q = services.qualification_add(
        profile=profile,
        kind="ilm3",
        certificate=SimpleUploadedFile("kathryn-green-ilm3.pdf", PDF),
        actor=coach.user,
    )
    assert q.certificate_content_type == "application/pdf"
    assert "/private/coaching/certificates/" in q.certificate.path
    # Stored under a random name: the uploaded file name (which may name the person) is not kept.
    assert "kathryn-green" not in q.certificate.name
    with pytest.raises(ValueError):
        q.certificate.url  # noqa: B018 — private files have no URL
    q2 = services.qualification_add(
        profile=profile, kind="ilm5", certificate=SimpleUploadedFile("c.png", PNG), actor=coach.user
    )
    assert q2.certificate_content_type == "image/png"


def test_a_certificate_is_stored_under_the_portals_name_and_extension(coach):
    profile = CoachProfileFactory(person=coach)
    q = services.qualification_add(
        profile=profile, kind="ilm3", certificate=SimpleUploadedFile("x.html", PDF), actor=coach.user
    )
    assert q.certificate.name.endswith(".pdf") and "x.html" not in q.certificate.name
    q2 = services.qualification_add(
        profile=profile, kind="ilm5", certificate=SimpleUploadedFile("photo.png", JPEG), actor=coach.user
    )
    assert q2.certificate.name.endswith(".jpg") and q2.certificate_content_type == "image/jpeg"


def test_a_pdf_that_is_also_a_web_page_is_refused(coach):
    profile = CoachProfileFactory(person=coach)
    polyglot = SimpleUploadedFile("c.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError, match="web page content"):
        services.qualification_add(profile=profile, kind="ilm3", certificate=polyglot, actor=coach.user)
    assert not profile.qualifications.exists()


def test_wrong_type_renamed_pdf_is_refused(coach):
    profile = CoachProfileFactory(person=coach)
    fake = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00 this is an executable", "application/pdf")
    with pytest.raises(ValidationError, match="PDF, JPG or PNG"):
        services.qualification_add(profile=profile, kind="ilm3", certificate=fake, actor=coach.user)
    assert not profile.qualifications.exists()


def test_oversized_certificate_is_refused(coach):
    profile = CoachProfileFactory(person=coach)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError, match="smaller than 5 MB"):
        services.qualification_add(profile=profile, kind="ilm3", certificate=big, actor=coach.user)


def test_other_qualification_needs_a_title(coach):
    profile = CoachProfileFactory(person=coach)
    with pytest.raises(ValidationError, match="name of the qualification"):
        services.qualification_add(profile=profile, kind="other", actor=coach.user)


# --- Group supervision --------------------------------------------------------------------------------


def test_ninth_coach_is_refused(supervisor):
    session = SupervisionSessionFactory(supervisor=supervisor)
    for _ in range(8):
        services.supervision_add_attendee(
            session=session, profile=CoachProfileFactory(), actor=supervisor.user
        )
    with pytest.raises(ValidationError, match="already has 8 coaches"):
        services.supervision_add_attendee(
            session=session, profile=CoachProfileFactory(), actor=supervisor.user
        )
    assert session.attendees.count() == 8


def test_database_refuses_a_ninth_seat_even_past_the_service(supervisor):
    session = SupervisionSessionFactory(supervisor=supervisor)
    with pytest.raises(IntegrityError):
        SupervisionAttendee.objects.create(session=session, profile=CoachProfileFactory(), seat=9)


def test_same_coach_twice_and_applicant_are_refused(supervisor):
    session = SupervisionSessionFactory(supervisor=supervisor)
    profile = CoachProfileFactory()
    services.supervision_add_attendee(session=session, profile=profile, actor=supervisor.user)
    with pytest.raises(ValidationError, match="already in the group"):
        services.supervision_add_attendee(session=session, profile=profile, actor=supervisor.user)
    with pytest.raises(ValidationError, match="on the register"):
        services.supervision_add_attendee(
            session=session, profile=CoachProfileFactory(status="applied"), actor=supervisor.user
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_additions_never_overfill(supervisor):
    """Two requests racing for the last place: the row lock lets exactly one in."""
    session = SupervisionSessionFactory(supervisor=supervisor)
    for _ in range(7):
        services.supervision_add_attendee(session=session, profile=CoachProfileFactory(), actor=None)
    contenders = [CoachProfileFactory(), CoachProfileFactory()]
    outcomes: list[str] = []

    def add(profile):
        try:
            services.supervision_add_attendee(session=session, profile=profile, actor=None)
            outcomes.append("added")
        except ValidationError:
            outcomes.append("refused")

    assert run_together([lambda p=p: add(p) for p in contenders]) == []
    assert sorted(outcomes) == ["added", "refused"]
    assert session.attendees.count() == 8


def test_confirm_attendance_records_supervision_and_restores_a_lapsed_coach(supervisor):
    session = SupervisionSessionFactory(
        supervisor=supervisor, starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    came = CoachProfileFactory(
        status=ProfileStatus.LAPSED, last_supervised_on=today() - datetime.timedelta(400)
    )
    absent = CoachProfileFactory()
    for seat, profile in enumerate((came, absent), start=1):
        SupervisionAttendee.objects.create(session=session, profile=profile, seat=seat)
    services.supervision_confirm_attendance(
        session=session,
        attended_profile_ids=[came.pk],
        themes=["imposter", "stress"],
        functions=["restorative", "formative"],
        actor=supervisor.user,
    )
    session.refresh_from_db()
    came.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.themes == ["imposter", "stress"]
    record = SupervisionRecord.objects.get(profile=came)
    assert record.session == session and record.supervisor_name == supervisor.full_name
    assert not SupervisionRecord.objects.filter(profile=absent).exists()
    assert came.status == ProfileStatus.APPROVED
    assert came.supervision_due_on == record.held_on + datetime.timedelta(days=365)
    assert "coach.compliant_again" in actions()


def test_confirming_a_future_session_or_a_stranger_is_refused(supervisor):
    future = SupervisionSessionFactory(supervisor=supervisor)
    with pytest.raises(ValidationError, match="once the session has started"):
        services.supervision_confirm_attendance(
            session=future, attended_profile_ids=[], themes=[], functions=["normative"], actor=None
        )
    past = SupervisionSessionFactory(
        supervisor=supervisor, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="Only coaches in the group"):
        services.supervision_confirm_attendance(
            session=past,
            attended_profile_ids=[CoachProfileFactory().pk],
            themes=[],
            functions=["normative"],
            actor=None,
        )


def test_schedule_in_the_past_is_refused(supervisor):
    with pytest.raises(ValidationError, match="in the future"):
        services.supervision_schedule(
            supervisor=supervisor,
            starts_at=timezone.now() - datetime.timedelta(hours=1),
            actor=supervisor.user,
        )
    session = services.supervision_schedule(
        supervisor=supervisor, starts_at=timezone.now() + datetime.timedelta(days=3), actor=supervisor.user
    )
    assert session.region_id == supervisor.region_id


def test_log_supervision_elsewhere_makes_a_lapsed_coach_compliant(coach):
    profile = CoachProfileFactory(person=coach, status=ProfileStatus.LAPSED, last_supervised_on=None)
    held_on = today() - datetime.timedelta(days=10)
    services.supervision_log(
        profile=profile,
        held_on=held_on,
        hours=Decimal("1.5"),
        supervisor_name="Jo Bloggs",
        functions=["normative"],
        themes=["ethics"],
        actor=coach.user,
    )
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.APPROVED
    assert profile.last_supervised_on == held_on
    assert profile.is_compliant()


def test_log_supervision_in_the_future_is_refused(coach):
    profile = CoachProfileFactory(person=coach)
    with pytest.raises(ValidationError, match="once it has happened"):
        log_supervision_elsewhere(profile, held_on=today() + datetime.timedelta(days=1), actor=coach.user)


def test_old_supervision_does_not_restore_a_lapsed_coach(coach):
    profile = CoachProfileFactory(person=coach, status=ProfileStatus.LAPSED, last_supervised_on=None)
    log_supervision_elsewhere(profile, held_on=today() - datetime.timedelta(days=500), actor=coach.user)
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.LAPSED


# --- Compliance ---------------------------------------------------------------------------------------


def test_compliance_refresh_reminds_once_and_lapses(db, django_capture_on_commit_callbacks):
    due_soon = CoachProfileFactory(
        last_supervised_on=today() - datetime.timedelta(days=340)
    )  # due in 25 days
    not_yet = CoachProfileFactory(last_supervised_on=today() - datetime.timedelta(days=300))  # due in 65
    overdue = CoachProfileFactory(last_supervised_on=today() - datetime.timedelta(days=366))  # due yesterday

    with django_capture_on_commit_callbacks(execute=True):
        assert services.compliance_refresh() == {"reminded": 1, "lapsed": 1}
    assert [m.to for m in mail.outbox] == [[due_soon.person.user.email]]
    assert "supervision" in mail.outbox[0].subject
    # A second run the same day changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True) as second_run:
        assert services.compliance_refresh() == {"reminded": 0, "lapsed": 0}
    assert second_run == []
    assert len(mail.outbox) == 1
    overdue.refresh_from_db()
    not_yet.refresh_from_db()
    assert overdue.status == ProfileStatus.LAPSED and not_yet.status == ProfileStatus.APPROVED
    assert actions().count("coach.lapse") == 1


def test_lapse_then_log_then_new_reminder_cycle(coach):
    profile = CoachProfileFactory(person=coach, last_supervised_on=today() - datetime.timedelta(days=400))
    services.compliance_refresh()
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.LAPSED
    log_supervision_elsewhere(profile, held_on=today(), actor=coach.user, functions=["formative"])
    # Eleven months on, the new due date gets its own reminder.
    services.compliance_refresh(today=today() + datetime.timedelta(days=340))
    profile.refresh_from_db()
    assert profile.reminder_sent_for == today() + datetime.timedelta(days=365)


# --- Reflective notes and CPD -------------------------------------------------------------------------


def test_reflective_note_audit_holds_no_content(coach):
    profile = CoachProfileFactory(person=coach)
    services.reflective_note_write(
        profile=profile, title="Hard week", body="Secret thoughts", actor=coach.user
    )
    entry = AuditEntry.objects.get(action="coach.reflective_note_write")
    assert (
        "Secret" not in str(entry.data)
        and "Secret" not in entry.target_repr
        and "Hard" not in entry.target_repr
    )


def test_cpd_attend_once_and_recording_rules(coach):
    profile = CoachProfileFactory(person=coach)
    event = CPDEventFactory(region=profile.region)
    with pytest.raises(ValidationError, match="no recording"):
        services.cpd_attend(event=event, profile=profile, watched_recording=True, actor=coach.user)
    services.cpd_attend(event=event, profile=profile, actor=coach.user)
    with pytest.raises(ValidationError, match="already recorded"):
        services.cpd_attend(event=event, profile=profile, actor=coach.user)
    future = CPDEventFactory(region=profile.region, starts_at=timezone.now() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="once the webinar has started"):
        services.cpd_attend(event=future, profile=profile, actor=coach.user)


def test_cpd_log_validates_hours(coach):
    profile = CoachProfileFactory(person=coach)
    entry = services.cpd_log(
        profile=profile, done_on=today(), hours=Decimal("2.5"), activity="Read a book", actor=coach.user
    )
    assert entry.hours == Decimal("2.5")
    with pytest.raises(ValidationError):
        services.cpd_log(profile=profile, done_on=today(), hours=Decimal(0), activity="x", actor=coach.user)


# --- Relationships ------------------------------------------------------------------------------------


@pytest.fixture
def request_and_coach(participant):
    coaching_request = CoachingRequestFactory(requester=participant)
    other_org = OrganisationFactory(system=participant.organisation.system)
    coach = CoachProfileFactory(person=PersonFactory(organisation=other_org, region=other_org.region))
    return coaching_request, coach


def test_request_only_once_while_waiting(participant):
    kwargs = {"requester": participant, "relationship_type": "mentoring", "goals": "Grow", "specialisms": []}
    services.coaching_request_create(**kwargs, actor=participant.user)
    with pytest.raises(ValidationError, match="already have a request"):
        services.coaching_request_create(**kwargs, actor=participant.user)


def test_offer_accept_log_close(request_and_coach, participant, programme_staff):
    coaching_request, coach = request_and_coach
    relationship = services.relationship_offer(
        coaching_request=coaching_request, coach=coach, actor=programme_staff.user
    )
    assert relationship.status == RelationshipStatus.OFFERED
    services.relationship_accept(
        relationship=relationship, coach_person=coach.person, actor=coach.person.user
    )
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ACTIVE and relationship.started_on == today()
    assert CoachingRequest.objects.get(pk=coaching_request.pk).status == RequestStatus.MATCHED
    services.session_log(
        relationship=relationship,
        person=participant,
        held_on=today(),
        duration_minutes=60,
        notes="private",
        actor=participant.user,
    )
    services.relationship_close(
        relationship=relationship, person=participant, rating=5, evaluation="Helpful", actor=participant.user
    )
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.CLOSED and relationship.closed_by == participant
    for action in (
        "relationship.offer",
        "relationship.accept",
        "relationship.session_log",
        "relationship.close",
    ):
        assert action in actions()


def test_offer_from_the_same_organisation_is_refused(participant, programme_staff):
    coaching_request = CoachingRequestFactory(requester=participant)
    colleague = CoachProfileFactory(
        person=PersonFactory(organisation=participant.organisation, region=participant.region)
    )
    with pytest.raises(ValidationError, match="own organisation"):
        services.relationship_offer(
            coaching_request=coaching_request, coach=colleague, actor=programme_staff.user
        )
    assert not colleague.relationships.exists()


def test_offer_refuses_lapsed_full_or_wrong_kind(request_and_coach, programme_staff):
    coaching_request, coach = request_and_coach
    CoachProfile.objects.filter(pk=coach.pk).update(status=ProfileStatus.LAPSED)
    with pytest.raises(ValidationError, match="up-to-date supervision"):
        services.relationship_offer(
            coaching_request=coaching_request, coach=coach, actor=programme_staff.user
        )
    CoachProfile.objects.filter(pk=coach.pk).update(status=ProfileStatus.APPROVED, capacity=1)
    CoachingRelationshipFactory(coach=coach)
    with pytest.raises(ValidationError, match="no free places"):
        services.relationship_offer(
            coaching_request=coaching_request, coach=coach, actor=programme_staff.user
        )
    CoachProfile.objects.filter(pk=coach.pk).update(capacity=5, kind="mentor")
    with pytest.raises(ValidationError, match="not registered for this kind"):
        services.relationship_offer(
            coaching_request=coaching_request, coach=coach, actor=programme_staff.user
        )


def test_decline_returns_the_request_to_the_queue(request_and_coach, programme_staff):
    coaching_request, coach = request_and_coach
    relationship = services.relationship_offer(
        coaching_request=coaching_request, coach=coach, actor=programme_staff.user
    )
    with pytest.raises(ValidationError, match="Only the coach offered"):
        services.relationship_decline(
            relationship=relationship, coach_person=coaching_request.requester, actor=None
        )
    services.relationship_decline(relationship=relationship, coach_person=coach.person, actor=None)
    assert CoachingRequest.objects.get(pk=coaching_request.pk).status == RequestStatus.OPEN


def test_logging_against_someone_elses_relationship_is_refused(other_participant):
    relationship = CoachingRelationshipFactory()
    with pytest.raises(ValidationError, match="your own coaching relationships"):
        services.session_log(
            relationship=relationship,
            person=other_participant,
            held_on=today(),
            duration_minutes=30,
            actor=other_participant.user,
        )
    another_coach = CoachProfileFactory()
    with pytest.raises(ValidationError, match="your own coaching relationships"):
        services.session_log(
            relationship=relationship,
            person=another_coach.person,
            held_on=today(),
            duration_minutes=30,
            actor=another_coach.person.user,
        )
    assert not relationship.sessions.exists()


def test_session_before_start_or_on_offered_relationship_is_refused(db):
    relationship = CoachingRelationshipFactory()
    with pytest.raises(ValidationError, match="before the relationship started"):
        services.session_log(
            relationship=relationship,
            person=relationship.coachee,
            held_on=relationship.started_on - datetime.timedelta(days=1),
            duration_minutes=30,
            actor=None,
        )
    offered = CoachingRelationshipFactory(status="offered", started_on=None)
    with pytest.raises(ValidationError, match="while the relationship is active"):
        services.session_log(
            relationship=offered, person=offered.coachee, held_on=today(), duration_minutes=30, actor=None
        )


def test_close_needs_a_party_and_a_rating(db):
    relationship = CoachingRelationshipFactory()
    stranger = make_person()
    with pytest.raises(ValidationError, match="Only the coach or the coachee"):
        services.relationship_close(relationship=relationship, person=stranger, rating=3, actor=None)
    with pytest.raises(ValidationError):
        services.relationship_close(
            relationship=relationship, person=relationship.coachee, rating=9, actor=None
        )


def test_remove_attendee_only_before_confirmation(supervisor):
    session = SupervisionSessionFactory(supervisor=supervisor)
    attendee = services.supervision_add_attendee(session=session, profile=CoachProfileFactory(), actor=None)
    services.supervision_remove_attendee(attendee=attendee, actor=None)
    assert not session.attendees.exists()
    held = SupervisionSessionFactory(supervisor=supervisor, status="held")
    kept = SupervisionAttendee.objects.create(session=held, profile=CoachProfileFactory(), seat=1)
    with pytest.raises(ValidationError, match="can no longer change"):
        services.supervision_remove_attendee(attendee=kept, actor=None)


def test_cancelled_session_takes_no_one(supervisor):
    session = SupervisionSessionFactory(supervisor=supervisor)
    services.supervision_cancel(session=session, actor=None)
    with pytest.raises(ValidationError, match="cancelled"):
        services.supervision_add_attendee(session=session, profile=CoachProfileFactory(), actor=None)
    with pytest.raises(ValidationError, match="Only a scheduled session"):
        services.supervision_cancel(session=session, actor=None)


def test_withdraw_only_an_open_request(participant):
    coaching_request = CoachingRequestFactory(requester=participant)
    services.coaching_request_withdraw(coaching_request=coaching_request, actor=participant.user)
    assert coaching_request.status == RequestStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="still waiting"):
        services.coaching_request_withdraw(coaching_request=coaching_request, actor=participant.user)


# --- Places taken, kept on the profile ----------------------------------------------------------------


def test_places_taken_follows_offer_decline_accept_and_close(db):
    coachee = PersonFactory(organisation=OrganisationFactory())
    coach = CoachProfileFactory(person=PersonFactory(region=coachee.region), capacity=2)
    first = services.relationship_offer(
        coaching_request=CoachingRequestFactory(requester=coachee), coach=coach, actor=None
    )
    coach.refresh_from_db()
    assert coach.places_taken == 1
    services.relationship_decline(relationship=first, coach_person=coach.person, actor=None)
    coach.refresh_from_db()
    assert coach.places_taken == 0
    second = services.relationship_offer(
        coaching_request=CoachingRequest.objects.get(pk=first.request_id), coach=coach, actor=None
    )
    services.relationship_accept(relationship=second, coach_person=coach.person, actor=None)
    coach.refresh_from_db()
    assert coach.places_taken == 1  # An accepted offer still takes its place.
    services.relationship_close(relationship=second, person=coachee, rating=5, actor=None)
    coach.refresh_from_db()
    assert coach.places_taken == 0


def test_places_recount_puts_right_a_wrong_count_and_touches_nothing_else(db):
    busy = CoachingRelationshipFactory().coach
    idle = CoachProfileFactory()
    CoachProfile.objects.filter(pk=busy.pk).update(places_taken=5)
    assert services.places_recount() == 1
    assert CoachProfile.objects.get(pk=busy.pk).places_taken == 1
    assert CoachProfile.objects.get(pk=idle.pk).places_taken == 0
    assert services.places_recount() == 0


def test_compliance_refresh_reconciles_places(db):
    coach = CoachingRelationshipFactory().coach
    CoachProfile.objects.filter(pk=coach.pk).update(places_taken=0)
    services.compliance_refresh()
    assert CoachProfile.objects.get(pk=coach.pk).places_taken == 1


def test_logging_old_supervision_keeps_a_new_coachs_first_year(db):
    """Due 12 months after the later of last supervision and approval: supervision from before approval
    does not make a newly approved coach overdue."""
    coach = CoachProfileFactory(
        approved_at=timezone.now() - datetime.timedelta(days=10), last_supervised_on=None
    )
    log_supervision_elsewhere(
        coach, held_on=today() - datetime.timedelta(days=500), actor=None, functions=["formative"]
    )
    coach.refresh_from_db()
    assert coach.last_supervised_on == today() - datetime.timedelta(days=500)
    assert coach.supervision_due_on == today() + datetime.timedelta(days=355)
    assert coach.is_compliant()


def test_sort_name_set_on_applying_and_reconciled_after_a_rename(participant):
    profile = services.coach_apply(
        person=participant, kind="coach", specialisms=[], capacity=1, availability="now", actor=None
    )
    assert profile.sort_name == f"{participant.family_name} {participant.given_name}".lower()
    participant.family_name = "Zephaniah"
    participant.save(update_fields=["family_name"])
    services.compliance_refresh()
    profile.refresh_from_db()
    assert profile.sort_name.startswith("zephaniah ")
    assert services.sort_names_recount() == 0


def test_the_reminder_is_claimed_before_its_email_is_queued(db, django_capture_on_commit_callbacks):
    """The claim and the queued email commit together: if the email task fails, the claim stands and
    a retry of the daily job sends no second reminder; the email task is retried on its own."""
    due_soon = CoachProfileFactory(last_supervised_on=today() - datetime.timedelta(days=340))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.compliance_refresh()
    assert len(queued) == 1 and mail.outbox == []
    due_soon.refresh_from_db()
    assert due_soon.reminder_sent_for == due_soon.supervision_due_on
    with django_capture_on_commit_callbacks(execute=True) as again:
        services.compliance_refresh()
    assert again == [] and mail.outbox == []
