"""Supervision at its boundaries: attendance saved when confirmed and corrected when confirmed again;
scheduling at the present moment and confirming at the start; the daily reminders (two coaches due the
same day, the window's first and last day, the email's words) and lapses on the day after the due date."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from academy.models import AuditEntry
from coaching import services
from coaching.models import ProfileStatus, SessionStatus, SupervisionAttendee, SupervisionRecord
from tests.factories import CoachProfileFactory, SupervisionSessionFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def confirm(session, came, *, actor=None):
    return services.supervision_confirm_attendance(
        session=session, attended_profile_ids=came, themes=["stress"], functions=["restorative"], actor=actor
    )


@pytest.fixture
def group(supervisor):
    """A session held three hours ago with two coaches, each last supervised 60 days ago."""
    session = SupervisionSessionFactory(
        supervisor=supervisor, starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    coaches = [CoachProfileFactory(), CoachProfileFactory()]
    for seat, profile in enumerate(coaches, start=1):
        SupervisionAttendee.objects.create(session=session, profile=profile, seat=seat)
    return session, coaches


def attended(session) -> dict[int, bool | None]:
    return dict(session.attendees.values_list("profile_id", "attended"))


def test_confirming_saves_who_came_and_who_did_not(group, supervisor):
    session, (came, absent) = group
    returned = confirm(session, [came.pk], actor=supervisor.user)
    assert returned.pk == session.pk and returned.status == SessionStatus.HELD
    assert attended(session) == {came.pk: True, absent.pk: False}
    held_on = timezone.localtime(session.starts_at).date()
    came.refresh_from_db()
    assert (came.last_supervised_on, came.supervision_due_on) == (
        held_on,
        held_on + datetime.timedelta(days=365),
    )
    entry = AuditEntry.objects.get(action="supervision.confirm_attendance")
    assert entry.data == {"attended": [came.pk], "themes": ["stress"], "functions": ["restorative"]}
    assert entry.actor == supervisor.user


def test_confirming_again_removes_a_coach_now_marked_absent(group):
    session, (first, second) = group
    before = today() - datetime.timedelta(days=60)
    services.supervision_log(
        profile=first,
        held_on=before,
        hours=1,
        supervisor_name="A supervisor",
        functions=["normative"],
        themes=[],
        actor=None,
    )
    confirm(session, [first.pk, second.pk])
    assert SupervisionRecord.objects.filter(session=session).count() == 2
    confirm(session, [second.pk])  # the first was marked by mistake
    assert attended(session) == {first.pk: False, second.pk: True}
    assert list(SupervisionRecord.objects.filter(session=session).values_list("profile_id", flat=True)) == [
        second.pk
    ]
    first.refresh_from_db()
    assert first.last_supervised_on == before  # back to their supervision before this session
    assert first.supervision_due_on == before + datetime.timedelta(days=365)


def test_a_cancelled_session_or_one_without_a_function_cannot_be_confirmed(group):
    session, (came, _) = group
    with pytest.raises(ValidationError, match="at least one function"):
        services.supervision_confirm_attendance(
            session=session, attended_profile_ids=[came.pk], themes=[], functions=[], actor=None
        )
    assert attended(session) == {came.pk: None, group[1][1].pk: None}
    session.status = SessionStatus.CANCELLED
    session.save()
    with pytest.raises(ValidationError, match="was cancelled"):
        confirm(session, [came.pk])


def test_attendance_can_be_confirmed_from_the_minute_the_session_starts(supervisor):
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=1)
    session = SupervisionSessionFactory(supervisor=supervisor, starts_at=starts)
    with (
        time_machine.travel(starts - datetime.timedelta(microseconds=1), tick=False),
        pytest.raises(ValidationError, match="once the session has started"),
    ):
        confirm(session, [])
    with time_machine.travel(starts, tick=False):
        assert confirm(session, []).status == SessionStatus.HELD


def test_a_group_cannot_be_scheduled_for_the_present_moment(supervisor):
    now = timezone.now().replace(microsecond=0)
    with time_machine.travel(now, tick=False):
        with pytest.raises(ValidationError, match="in the future"):
            services.supervision_schedule(supervisor=supervisor, starts_at=now, actor=supervisor.user)
        session = services.supervision_schedule(
            supervisor=supervisor, starts_at=now + datetime.timedelta(microseconds=1), actor=supervisor.user
        )
    assert session.supervisor == supervisor and session.status == SessionStatus.SCHEDULED
    assert AuditEntry.objects.filter(action="supervision.schedule", target_id=str(session.pk)).exists()


# --- the daily run -------------------------------------------------------------------------------------


def coach_due_in(days: int, **fields):
    """An approved coach whose supervision falls due `days` from today (approved long before)."""
    return CoachProfileFactory(last_supervised_on=today() + datetime.timedelta(days=days - 365), **fields)


def test_two_coaches_due_the_same_day_each_get_a_reminder(db, django_capture_on_commit_callbacks):
    first = coach_due_in(10, person__given_name="Amara")
    second = coach_due_in(10, person__given_name="Bilal")
    assert first.supervision_due_on == second.supervision_due_on
    with django_capture_on_commit_callbacks(execute=True):
        assert services.compliance_refresh() == {"reminded": 2, "lapsed": 0}
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {first.person.user.email, second.person.user.email}
    due = f"{first.supervision_due_on:%-d %B %Y}"
    message = by_recipient[first.person.user.email]
    assert message.subject == "Your coaching supervision is due"
    assert message.body.startswith("Dear Amara,")
    assert f"you need supervision by {due}" in message.body
    assert "log supervision you have had elsewhere" in message.body
    assert by_recipient[second.person.user.email].body.startswith("Dear Bilal,")
    entries = AuditEntry.objects.filter(action="coach.supervision_reminder")
    assert sorted(int(e.target_id) for e in entries) == sorted([first.pk, second.pk])
    assert entries[0].data == {"due_on": first.supervision_due_on.isoformat()}


@pytest.mark.parametrize(("days", "reminded"), [(-1, False), (0, True), (30, True), (31, False)])
def test_the_reminder_window_runs_from_30_days_before_to_the_due_date(db, days, reminded):
    coach = coach_due_in(days)
    result = services.compliance_refresh()
    coach.refresh_from_db()
    assert result["reminded"] == int(reminded)
    assert (coach.reminder_sent_for == coach.supervision_due_on) is reminded


@pytest.mark.parametrize(("days", "lapses"), [(0, False), (-1, True)])
def test_a_coach_lapses_the_day_after_their_due_date(db, days, lapses):
    coach = coach_due_in(days)
    assert services.compliance_refresh()["lapsed"] == int(lapses)
    coach.refresh_from_db()
    assert coach.status == (ProfileStatus.LAPSED if lapses else ProfileStatus.APPROVED)
    assert AuditEntry.objects.filter(action="coach.lapse", target_id=str(coach.pk)).count() == int(lapses)


def test_a_lapsed_coach_is_neither_reminded_nor_lapsed_again(db):
    coach_due_in(10, status=ProfileStatus.LAPSED)
    coach_due_in(-5, status=ProfileStatus.LAPSED)
    assert services.compliance_refresh() == {"reminded": 0, "lapsed": 0}


# --- the group's members ---------------------------------------------------------------------------------


@pytest.fixture
def upcoming(supervisor):
    return SupervisionSessionFactory(supervisor=supervisor)


def test_someone_without_the_supervisor_role_for_a_region_cannot_schedule(participant):
    with pytest.raises(ValidationError, match="not been granted the supervisor role"):
        services.supervision_schedule(
            supervisor=participant, starts_at=timezone.now() + datetime.timedelta(days=1), actor=None
        )


def test_an_applicant_not_yet_on_the_register_cannot_join(upcoming):
    applicant = CoachProfileFactory(status=ProfileStatus.APPLIED, person__region=upcoming.region)
    with pytest.raises(ValidationError, match="Only coaches on the register"):
        services.supervision_add_attendee(session=upcoming, profile=applicant, actor=None)
    lapsed = CoachProfileFactory(status=ProfileStatus.LAPSED, person__region=upcoming.region)
    assert services.supervision_add_attendee(session=upcoming, profile=lapsed, actor=None).seat == 1


def test_a_new_member_takes_the_first_free_seat_is_audited_and_invited(
    upcoming, supervisor, django_capture_on_commit_callbacks
):
    for seat in (1, 3):
        SupervisionAttendee.objects.create(
            session=upcoming, profile=CoachProfileFactory(person__region=upcoming.region), seat=seat
        )
    coach = CoachProfileFactory(person__region=upcoming.region)
    with django_capture_on_commit_callbacks(execute=True):
        attendee = services.supervision_add_attendee(session=upcoming, profile=coach, actor=supervisor.user)
    assert (attendee.profile, attendee.seat) == (coach, 2)
    entry = AuditEntry.objects.get(action="supervision.add_attendee")
    assert (entry.actor, entry.data) == (supervisor.user, {"coach": coach.pk, "seat": 2})
    assert [(m.to, m.subject.endswith("you have a place")) for m in mail.outbox] == [
        ([coach.person.user.email], True)
    ]


def test_removing_a_member_is_audited_tells_them_and_happens_once(
    upcoming, supervisor, django_capture_on_commit_callbacks
):
    coach = CoachProfileFactory(person__region=upcoming.region)
    attendee = SupervisionAttendee.objects.create(session=upcoming, profile=coach, seat=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.supervision_remove_attendee(attendee=attendee, actor=supervisor.user)
    assert not upcoming.attendees.exists()
    entry = AuditEntry.objects.get(action="supervision.remove_attendee")
    assert (entry.actor, entry.data) == (supervisor.user, {"coach": coach.pk})
    assert [(m.to, m.subject.endswith("your place has been removed")) for m in mail.outbox] == [
        ([coach.person.user.email], True)
    ]
    with pytest.raises(ValidationError, match="no longer in the group"):
        services.supervision_remove_attendee(attendee=attendee, actor=supervisor.user)


def test_cancelling_tells_every_member(upcoming, supervisor, django_capture_on_commit_callbacks):
    coaches = [CoachProfileFactory(person__region=upcoming.region) for _ in range(2)]
    for seat, coach in enumerate(coaches, start=1):
        SupervisionAttendee.objects.create(session=upcoming, profile=coach, seat=seat)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.supervision_cancel(session=upcoming, actor=supervisor.user)
    assert cancelled.status == SessionStatus.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.person.user.email for c in coaches)
    assert all(m.subject.endswith("has been cancelled") for m in mail.outbox)


def test_confirming_refuses_a_function_that_is_not_one_of_the_list(group):
    session, (came, _) = group
    with pytest.raises(ValidationError):
        services.supervision_confirm_attendance(
            session=session, attended_profile_ids=[came.pk], themes=[], functions=["invented"], actor=None
        )
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def log(profile, held_on, functions=("normative",)):
    return services.supervision_log(
        profile=profile,
        held_on=held_on,
        hours=2,
        supervisor_name="A supervisor",
        functions=list(functions),
        themes=["stress"],
        actor=None,
    )


def test_logging_needs_a_function_and_returns_the_record(db):
    coach = CoachProfileFactory()
    with pytest.raises(ValidationError, match="at least one function"):
        log(coach, today(), functions=())
    record = log(coach, today() - datetime.timedelta(days=3))
    assert (record.profile, record.held_on, record.hours, record.themes) == (
        coach,
        today() - datetime.timedelta(days=3),
        2,
        ["stress"],
    )


@pytest.mark.parametrize(("days_ago", "restored"), [(365, True), (366, False)])
def test_supervision_a_year_ago_today_still_restores_a_lapsed_coach(db, days_ago, restored):
    coach = CoachProfileFactory(status=ProfileStatus.LAPSED, last_supervised_on=None)
    log(coach, today() - datetime.timedelta(days=days_ago))
    coach.refresh_from_db()
    assert coach.supervision_due_on == today() - datetime.timedelta(days=days_ago - 365)
    assert coach.status == (ProfileStatus.APPROVED if restored else ProfileStatus.LAPSED)


def test_a_coach_on_another_regions_register_cannot_join(upcoming, other_region):
    stranger = CoachProfileFactory(person__region=other_region)
    with pytest.raises(ValidationError, match="another region's register"):
        services.supervision_add_attendee(session=upcoming, profile=stranger, actor=None)
    assert not upcoming.attendees.exists()
