from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from academy.models import AuditEntry, StaffGroup
from programmes import services
from programmes.models import (
    ApplicationDecision,
    Attendance,
    AttendanceStatus,
    Certificate,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
)
from programmes.services import EnrolmentRefused
from tests.factories import CohortFactory, SessionFactory, SystemFactory
from tests.programmes.conftest import apply, enrol

pytestmark = pytest.mark.django_db


def test_enrol_takes_a_place_and_is_audited(participant, cohort):
    enrolment = enrol(participant, cohort)
    cohort.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert cohort.places_taken == 1
    assert AuditEntry.objects.filter(action="enrolment.enrolled", target_id=str(enrolment.pk)).exists()


def test_confirmation_email_carries_calendar_invitation(
    participant, cohort, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrol(participant, cohort)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [participant.user.email]
    ics = message.attachments[0][1]
    assert b"METHOD:REQUEST" in ics
    assert ics.count(b"BEGIN:VEVENT") == 2


def test_full_cohort_puts_people_on_the_waiting_list_in_order(participant, cohort, person_in):
    enrol(person_in(), cohort)
    enrol(person_in(), cohort)
    first = enrol(participant, cohort)
    second = enrol(person_in(), cohort)
    assert (first.status, first.waitlist_position) == (EnrolmentStatus.WAITLISTED, 1)
    assert (second.status, second.waitlist_position) == (EnrolmentStatus.WAITLISTED, 2)


def test_duplicate_enrolment_is_refused(participant, cohort):
    enrol(participant, cohort)
    with pytest.raises(EnrolmentRefused, match="already on this cohort"):
        enrol(participant, cohort)
    assert Enrolment.objects.filter(person=participant).count() == 1


def test_closed_enrolment_is_refused(participant, cohort):
    cohort.status = CohortStatus.CLOSED
    cohort.save()
    with pytest.raises(EnrolmentRefused, match="not open"):
        enrol(participant, cohort)


def test_enrolment_window_not_yet_open(participant, cohort):
    cohort.enrolment_opens_at = timezone.now() + timedelta(days=2)
    cohort.save()
    with pytest.raises(EnrolmentRefused, match="opens on"):
        enrol(participant, cohort)


def test_ineligible_person_is_told_why(participant, cohort):
    programme = cohort.programme
    programme.eligible_staff_groups = [StaffGroup.MEDICAL_DENTAL]
    programme.eligible_pay_bands = ["8a", "8b"]
    programme.save()
    with pytest.raises(EnrolmentRefused) as refused:
        enrol(participant, cohort)
    assert refused.value.messages == [
        "This programme is for these staff groups only: Medical and Dental.",
        "This programme is for these pay bands only: Band 8a, Band 8b.",
    ]


def test_system_cohort_refuses_other_systems(participant, other_participant):
    cohort = CohortFactory(programme__region=participant.region, system=other_participant.organisation.system)
    with pytest.raises(EnrolmentRefused, match="only for staff working in"):
        enrol(participant, cohort)


def test_application_route_refuses_one_step_enrolment(participant, cohort, application_route):
    with pytest.raises(EnrolmentRefused, match="apply instead"):
        enrol(participant, cohort)


def test_cancel_offers_the_place_to_the_first_waiting_for_48_hours(
    participant, cohort, person_in, django_capture_on_commit_callbacks
):
    holder = enrol(person_in(), cohort)
    enrol(person_in(), cohort)
    first = enrol(participant, cohort)
    second = enrol(person_in(), cohort)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(enrolment=holder, actor=holder.person.user)
    first.refresh_from_db()
    second.refresh_from_db()
    holder.refresh_from_db()
    assert holder.status == EnrolmentStatus.CANCELLED
    assert first.status == EnrolmentStatus.OFFERED
    assert timedelta(hours=47) < first.offer_expires_at - timezone.now() <= timedelta(hours=48)
    assert (second.status, second.waitlist_position) == (EnrolmentStatus.WAITLISTED, 1)
    cohort.refresh_from_db()
    assert cohort.places_taken == 2  # the offer holds the place
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("accept within 48 hours" in s for s in subjects)
    cancel_mail = next(m for m in mail.outbox if "cancelled" in m.subject)
    assert b"METHOD:CANCEL" in cancel_mail.attachments[0][1]
    assert AuditEntry.objects.filter(action="enrolment.offer", target_id=str(first.pk)).exists()


def test_accept_offer_enrols(participant, cohort, person_in):
    holder = enrol(person_in(), cohort)
    enrol(person_in(), cohort)
    waiting = enrol(participant, cohort)
    services.enrolment_cancel(enrolment=holder, actor=None)
    enrolment = services.offer_accept(enrolment=waiting, actor=participant.user)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.offer_expires_at is None


def test_accepting_an_expired_offer_is_refused(participant, cohort, person_in):
    holder = enrol(person_in(), cohort)
    enrol(person_in(), cohort)
    waiting = enrol(participant, cohort)
    services.enrolment_cancel(enrolment=holder, actor=None)
    Enrolment.objects.filter(pk=waiting.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(EnrolmentRefused, match="expired"):
        services.offer_accept(enrolment=waiting, actor=participant.user)


def test_expired_offer_moves_on_to_the_next(offer):
    first, second = offer["offered"], offer["waiting"]
    # Not due yet: nothing happens.
    assert services.offers_expire_due() == 0
    Enrolment.objects.filter(pk=first.pk).update(offer_expires_at=timezone.now() - timedelta(seconds=1))
    assert services.offers_expire_due() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == EnrolmentStatus.CANCELLED
    assert second.status == EnrolmentStatus.OFFERED
    assert second.waitlist_position is None


def test_cancel_from_waiting_list_closes_the_gap(participant, cohort, person_in):
    enrol(person_in(), cohort)
    enrol(person_in(), cohort)
    first = enrol(participant, cohort)
    second = enrol(person_in(), cohort)
    services.enrolment_cancel(enrolment=first, actor=None)
    second.refresh_from_db()
    assert second.waitlist_position == 1
    cohort.refresh_from_db()
    assert cohort.places_taken == 2


def test_cancel_twice_is_refused(participant, cohort):
    enrolment = enrol(participant, cohort)
    services.enrolment_cancel(enrolment=enrolment, actor=None)
    with pytest.raises(EnrolmentRefused, match="cannot be cancelled"):
        services.enrolment_cancel(enrolment=enrolment, actor=None)


def test_reenrol_after_cancelling_reuses_the_row(participant, cohort):
    enrolment = enrol(participant, cohort)
    services.enrolment_cancel(enrolment=enrolment, actor=None)
    again = enrol(participant, cohort)
    assert again.pk == enrolment.pk
    assert again.status == EnrolmentStatus.ENROLLED


def test_promote_needs_a_free_place(participant, cohort, person_in, staff):
    enrol(person_in(), cohort)
    enrol(person_in(), cohort)
    waiting = enrol(participant, cohort)
    with pytest.raises(EnrolmentRefused, match="no free places"):
        services.waitlist_promote(cohort=cohort, actor=staff.user)
    services.cohort_update(cohort=cohort, actor=staff.user, capacity=3)
    waiting.refresh_from_db()
    # Raising capacity offers the new place straight away.
    assert waiting.status == EnrolmentStatus.OFFERED


def test_promote_a_chosen_person(participant, cohort, person_in, staff):
    enrol(person_in(), cohort)
    enrol(person_in(), cohort)
    first = enrol(person_in(), cohort)
    chosen = enrol(participant, cohort)
    cohort.capacity = 3  # a place freed without offering (e.g. edited in the database)
    cohort.save()
    promoted = services.waitlist_promote(cohort=cohort, actor=staff.user, enrolment=chosen)
    assert promoted.status == EnrolmentStatus.ENROLLED
    first.refresh_from_db()
    assert first.waitlist_position == 1
    with pytest.raises(EnrolmentRefused, match="not on the waiting list"):
        services.waitlist_promote(cohort=cohort, actor=staff.user, enrolment=promoted)


def test_capacity_cannot_drop_below_places_taken(participant, cohort, person_in, staff):
    enrol(person_in(), cohort)
    enrol(person_in(), cohort)
    with pytest.raises(ValidationError, match="already taken"):
        services.cohort_update(cohort=cohort, actor=staff.user, capacity=1)


def test_a_cohort_system_must_be_in_its_region(cohort, staff, other_region):
    elsewhere = SystemFactory(sub_region__region=other_region)
    with pytest.raises(ValidationError, match="system in this programme's region"):
        services.cohort_update(cohort=cohort, actor=staff.user, system=elsewhere)
    with pytest.raises(ValidationError, match="system in this programme's region"):
        services.cohort_create(
            programme=cohort.programme, actor=staff.user, name="B", capacity=5, system=elsewhere
        )
    cohort.refresh_from_db()
    assert cohort.system is None


# --- applications ---------------------------------------------------------------------------------


def test_application_submit_and_shortlist_then_offer(participant, application_cohort, staff):
    application = apply(
        participant, application_cohort, answers={"why": "To lead my ward."}, profession="Nurse"
    )
    assert application.enrolment.status == EnrolmentStatus.APPLIED
    services.application_decide(
        application=application, decision=ApplicationDecision.SHORTLISTED, reviewer=staff.user, note="Strong"
    )
    application.refresh_from_db()
    assert application.decision == ApplicationDecision.SHORTLISTED
    assert application.reviewer == staff.user
    enrolment = services.application_offer(enrolment=application.enrolment, actor=staff.user)
    assert enrolment.status == EnrolmentStatus.OFFERED
    assert (
        services.offer_accept(enrolment=enrolment, actor=participant.user).status == EnrolmentStatus.ENROLLED
    )


def test_declined_application_cannot_be_offered_or_resubmitted(participant, application_cohort, staff):
    application = apply(participant, application_cohort)
    services.application_decide(
        application=application, decision=ApplicationDecision.DECLINED, reviewer=staff.user
    )
    with pytest.raises(EnrolmentRefused, match="Only shortlisted"):
        services.application_offer(enrolment=application.enrolment, actor=staff.user)
    with pytest.raises(EnrolmentRefused, match="not shortlisted"):
        apply(participant, application_cohort)


def test_application_on_open_programme_is_refused(participant, cohort):
    with pytest.raises(EnrolmentRefused, match="does not take applications"):
        apply(participant, cohort)


def test_application_decide_rejects_unknown_decision(participant, application_cohort, staff):
    application = apply(participant, application_cohort)
    with pytest.raises(ValidationError):
        services.application_decide(application=application, decision="pending", reviewer=staff.user)


# --- attendance and certificates ------------------------------------------------------------------


@pytest.fixture
def past_cohort(participant):
    cohort = CohortFactory(programme__region=participant.region, capacity=5, status=CohortStatus.RUNNING)
    start = timezone.now() - timedelta(days=10)
    for day in range(3):
        SessionFactory(cohort=cohort, starts_at=start + timedelta(days=day))
    return cohort


def _place(person, cohort):
    enrolment = Enrolment.objects.create(person=person, cohort=cohort, status=EnrolmentStatus.ENROLLED)
    return enrolment


def test_attendance_marks_a_whole_register_and_issues_certificates(
    participant, past_cohort, person_in, staff
):
    mine = _place(participant, past_cohort)
    theirs = _place(person_in(), past_cohort)
    sessions = list(past_cohort.sessions.order_by("starts_at"))
    for index, session in enumerate(sessions):
        services.attendance_mark(
            session=session,
            marks={
                mine.pk: AttendanceStatus.ATTENDED if index < 2 else AttendanceStatus.APOLOGIES,
                theirs.pk: AttendanceStatus.ATTENDED if index == 0 else AttendanceStatus.ABSENT,
            },
            actor=staff.user,
        )
    assert Attendance.objects.filter(session__cohort=past_cohort).count() == 6
    mine.refresh_from_db()
    theirs.refresh_from_db()
    # 2 of 3 = 67% < 70%: the rule needs ceil(3 * 0.7) = 3 sessions.
    assert mine.status == EnrolmentStatus.ENROLLED
    past_cohort.programme.completion_min_attendance = 60
    past_cohort.programme.save()
    certificate = services.certificate_issue(enrolment=mine, actor=staff.user)
    mine.refresh_from_db()
    assert mine.status == EnrolmentStatus.COMPLETED
    assert len(certificate.code) == 16
    with pytest.raises(EnrolmentRefused, match="attended 1 of 3"):
        services.certificate_issue(enrolment=theirs, actor=staff.user)


def test_no_register_before_a_session_starts_or_for_a_cancelled_one(participant, past_cohort, staff):
    mine = _place(participant, past_cohort)
    upcoming = SessionFactory(cohort=past_cohort, starts_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError, match="once the session has started"):
        services.attendance_mark(
            session=upcoming, marks={mine.pk: AttendanceStatus.ATTENDED}, actor=staff.user
        )
    cancelled = past_cohort.sessions.first()
    cancelled.is_cancelled = True
    cancelled.save()
    with pytest.raises(ValidationError, match="was cancelled"):
        services.attendance_mark(
            session=cancelled, marks={mine.pk: AttendanceStatus.ATTENDED}, actor=staff.user
        )
    assert not Attendance.objects.exists()


def test_remarking_updates_rather_than_duplicates(participant, past_cohort, staff):
    mine = _place(participant, past_cohort)
    session = past_cohort.sessions.first()
    services.attendance_mark(session=session, marks={mine.pk: AttendanceStatus.ABSENT}, actor=staff.user)
    services.attendance_mark(session=session, marks={mine.pk: AttendanceStatus.ATTENDED}, actor=staff.user)
    assert list(Attendance.objects.filter(session=session).values_list("status", flat=True)) == ["attended"]


def test_attendance_refuses_people_not_enrolled_and_saves_nothing(participant, past_cohort, person_in, staff):
    mine = _place(participant, past_cohort)
    waiting = Enrolment.objects.create(
        person=person_in(), cohort=past_cohort, status=EnrolmentStatus.WAITLISTED, waitlist_position=1
    )
    with pytest.raises(ValidationError, match="not enrolled"):
        services.attendance_mark(
            session=past_cohort.sessions.first(),
            marks={mine.pk: AttendanceStatus.ATTENDED, waiting.pk: AttendanceStatus.ATTENDED},
            actor=staff.user,
        )
    assert not Attendance.objects.exists()


def test_last_session_marked_completes_those_who_met_the_rule(participant, past_cohort, staff):
    mine = _place(participant, past_cohort)
    for session in past_cohort.sessions.all():
        services.attendance_mark(
            session=session, marks={mine.pk: AttendanceStatus.ATTENDED}, actor=staff.user
        )
    mine.refresh_from_db()
    assert mine.status == EnrolmentStatus.COMPLETED
    assert Certificate.objects.filter(enrolment=mine).count() == 1
    past_cohort.refresh_from_db()
    assert past_cohort.status == CohortStatus.COMPLETED


def test_feedback_only_after_the_last_session(participant, cohort, past_cohort):
    upcoming = enrol(participant, cohort)
    with pytest.raises(EnrolmentRefused, match="after the last session"):
        services.feedback_give(
            enrolment=upcoming, rating=5, comment="", consent_to_quote=False, attribution="", actor=None
        )
    done = _place(participant, past_cohort)
    feedback = services.feedback_give(
        enrolment=done,
        rating=4,
        comment="Useful",
        consent_to_quote=True,
        attribution="Ward sister",
        actor=None,
    )
    assert feedback.attribution == "Ward sister"
    with pytest.raises(ValidationError):
        services.feedback_give(
            enrolment=done, rating=6, comment="", consent_to_quote=False, attribution="", actor=None
        )


# --- cohorts and sessions -------------------------------------------------------------------------


def test_cohort_cancel_tells_everyone(
    participant, cohort, person_in, staff, django_capture_on_commit_callbacks
):
    enrol(person_in(), cohort)
    enrol(person_in(), cohort)
    waiting = enrol(participant, cohort)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cohort_cancel(cohort=cohort, actor=staff.user)
    cohort.refresh_from_db()
    assert cohort.status == CohortStatus.CANCELLED
    assert cohort.places_taken == 0
    assert set(cohort.enrolments.values_list("status", flat=True)) == {EnrolmentStatus.CANCELLED}
    assert len(mail.outbox) == 3
    assert all(b"METHOD:CANCEL" in m.attachments[0][1] for m in mail.outbox)
    waiting.refresh_from_db()
    assert waiting.waitlist_position is None
    with pytest.raises(ValidationError):
        services.cohort_open(cohort=cohort, actor=staff.user)


def test_open_needs_a_session_and_close_stops_enrolment(participant, staff):
    programme = services.programme_create(
        region=participant.region,
        actor=staff.user,
        title="Trauma informed leadership",
        code="CLS7",
        summary="Working through crisis.",
        theme="looking_after",
        delivery_mode="virtual",
    )
    assert programme.slug == "cls7-trauma-informed-leadership"
    cohort = services.cohort_create(programme=programme, actor=staff.user, name="CLS7 March", capacity=30)
    with pytest.raises(ValidationError, match="at least one session"):
        services.cohort_open(cohort=cohort, actor=staff.user)
    start = timezone.now() + timedelta(days=30)
    services.session_create(
        cohort=cohort, actor=staff.user, title="Part 1", starts_at=start, ends_at=start + timedelta(hours=3)
    )
    cohort.refresh_from_db()
    assert cohort.starts_on == timezone.localdate(start)
    services.cohort_open(cohort=cohort, actor=staff.user)
    enrol(participant, cohort)
    services.cohort_close(cohort=cohort, actor=staff.user)
    with pytest.raises(ValidationError):
        services.cohort_close(cohort=cohort, actor=staff.user)


def test_session_time_change_sends_an_update_with_a_higher_sequence(
    participant, cohort, staff, django_capture_on_commit_callbacks
):
    enrol(participant, cohort)
    session = cohort.sessions.first()
    mail.outbox.clear()
    new_start = session.starts_at + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(
            session=session, actor=staff.user, starts_at=new_start, ends_at=new_start + timedelta(hours=2)
        )
    session.refresh_from_db()
    assert session.sequence == 1
    assert len(mail.outbox) == 1
    ics = mail.outbox[0].attachments[0][1]
    assert b"SEQUENCE:1" in ics and b"METHOD:REQUEST" in ics
    cohort.refresh_from_db()
    assert cohort.ends_on == timezone.localdate(max(s.ends_at for s in cohort.sessions.all()))


def test_session_cancel_sends_a_calendar_cancellation(
    participant, cohort, staff, django_capture_on_commit_callbacks
):
    enrol(participant, cohort)
    first, second = cohort.sessions.order_by("starts_at")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=second, actor=staff.user)
    second.refresh_from_db()
    assert second.is_cancelled and second.sequence == 1
    ics = mail.outbox[0].attachments[0][1]
    assert b"METHOD:CANCEL" in ics and b"STATUS:CANCELLED" in ics and b"SEQUENCE:1" in ics
    cohort.refresh_from_db()
    assert cohort.ends_on == timezone.localdate(first.ends_at)


def test_session_must_end_after_it_starts(cohort, staff):
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError):
        services.session_create(
            cohort=cohort, actor=staff.user, title="Backwards", starts_at=start, ends_at=start
        )


# --- CSV import -----------------------------------------------------------------------------------


IMPORT_HEADER = "email,first_name,last_name,staff_group,pay_band\n"


def test_import_preview_names_every_bad_row_and_writes_nothing(participant, roomy, staff):
    cohort = roomy
    text = (
        IMPORT_HEADER + f"{participant.user.email},,,,\n"
        "not-an-email,A,B,,\n"
        "new.person@nhs.net,,,,\n"
        "other@nhs.net,Ola,Ade,Astronaut,\n"
        "band@nhs.net,Ola,Ade,Nursing and Midwifery Registered,Band 42\n"
        f"{participant.user.email.upper()},,,,\n"
    )
    preview = services.enrolments_import(cohort=cohort, content=text.encode(), actor=staff.user, commit=True)
    assert not preview.ok
    assert [line for line, _ in preview.errors] == [3, 4, 5, 6, 7]
    messages = dict(preview.errors)
    assert "not an email address" in messages[3]
    assert "needs a first_name and a last_name" in messages[4]
    assert "not an ESR staff group" in messages[5]
    assert "not a pay band" in messages[6]
    assert "also on line 2" in messages[7]
    assert not Enrolment.objects.exists()


def test_import_commits_matching_and_creating_people(participant, roomy, staff):
    cohort = roomy
    text = IMPORT_HEADER + f"{participant.user.email},,,,\nnew.person@nhs.net,Nia,Okafor,nursing,7\n"
    preview = services.enrolments_import(cohort=cohort, content=text.encode(), actor=staff.user)
    assert preview.ok and [row["person"] is None for row in preview.rows] == [False, True]
    assert not Enrolment.objects.exists()  # preview only
    services.enrolments_import(cohort=cohort, content=text.encode(), actor=staff.user, commit=True)
    people = set(cohort.enrolments.values_list("person__user__email", "status"))
    assert people == {(participant.user.email, "enrolled"), ("new.person@nhs.net", "enrolled")}
    new = Enrolment.objects.get(person__user__email="new.person@nhs.net").person
    assert (new.staff_group, new.pay_band, new.region_id) == ("nursing", "7", cohort.region_id)
    cohort.refresh_from_db()
    assert cohort.places_taken == 2


def test_import_refuses_more_people_than_places(participant, cohort, staff):
    text = "email,first_name,last_name\na@nhs.net,A,A\nb@nhs.net,B,B\nc@nhs.net,C,C\n"
    preview = services.enrolments_import(cohort=cohort, content=text.encode(), actor=staff.user, commit=True)
    assert preview.errors == [(0, "The file has 3 people but only 2 places are left on this cohort.")]
    assert not Enrolment.objects.exists()


def test_import_needs_an_email_column(cohort, staff):
    preview = services.enrolments_import(cohort=cohort, content=b"name\nBob\n", actor=staff.user, commit=True)
    assert preview.errors[0][0] == 1 and "missing: email" in preview.errors[0][1]
