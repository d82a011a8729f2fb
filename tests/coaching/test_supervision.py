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
