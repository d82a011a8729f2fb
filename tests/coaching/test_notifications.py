"""The emails people expect: sent only after the change commits, each saying what to do next."""

from __future__ import annotations

import pytest
from django.core import mail
from icalendar import Calendar

from coaching import services
from coaching.models import ProfileStatus, RelationshipStatus
from tests.factories import (
    CoachingRelationshipFactory,
    CoachingRequestFactory,
    CoachProfileFactory,
    OrganisationFactory,
    PersonFactory,
    QualificationFactory,
    SupervisionSessionFactory,
)


def _application(**kwargs):
    profile = CoachProfileFactory(status=ProfileStatus.APPLIED, supervision_due_on=None, **kwargs)
    QualificationFactory(profile=profile, kind="ilm5")
    return profile


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("decision", "subject", "next_step"),
    [
        ("approve", "You are on the coach and mentor register", "Your first is due by"),
        ("more_info", "we need more information", "Update your application"),
        ("decline", "Your coach and mentor application", "You can apply again"),
    ],
)
def test_review_emails_the_applicant_after_commit(
    django_capture_on_commit_callbacks, decision, subject, next_step
):
    profile = _application()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.coach_review(
            profile=profile, decision=decision, note="Please send your ILM certificate.", actor=None
        )
    assert mail.outbox == []  # Nothing is sent before the transaction commits.
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert message.to == [profile.person.user.email]
    assert subject in message.subject
    assert next_step in message.body
    assert "/coaching/" in message.body


@pytest.mark.django_db
def test_refused_review_sends_nothing(django_capture_on_commit_callbacks):
    profile = CoachProfileFactory(status=ProfileStatus.APPLIED)  # No qualification: approval is refused.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="recognised"):
        services.coach_review(profile=profile, decision="approve", actor=None)
    assert mail.outbox == []


@pytest.mark.django_db
def test_offer_emails_the_coach_and_answers_email_the_coachee(django_capture_on_commit_callbacks):
    coachee = PersonFactory(organisation=OrganisationFactory())
    coach = CoachProfileFactory(person=PersonFactory(region=coachee.region))
    coaching_request = CoachingRequestFactory(requester=coachee)
    with django_capture_on_commit_callbacks(execute=True):
        relationship = services.relationship_offer(coaching_request=coaching_request, coach=coach, actor=None)
    (offer,) = mail.outbox
    assert offer.to == [coach.person.user.email]
    assert coachee.full_name in offer.body and "accept or decline" in offer.body

    with django_capture_on_commit_callbacks(execute=True):
        services.relationship_accept(relationship=relationship, coach_person=coach.person, actor=None)
    accepted = mail.outbox[-1]
    assert accepted.to == [coachee.user.email]
    assert coach.person.full_name in accepted.subject

    with django_capture_on_commit_callbacks(execute=True):
        services.relationship_close(relationship=relationship, person=coach.person, rating=4, actor=None)
    closed = mail.outbox[-1]
    assert closed.to == [coachee.user.email]  # The other side of the pair hears about it.
    assert "closed" in closed.subject


@pytest.mark.django_db
def test_decline_emails_the_coachee_that_we_look_again(django_capture_on_commit_callbacks):
    relationship = CoachingRelationshipFactory(status=RelationshipStatus.OFFERED, started_on=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.relationship_decline(
            relationship=relationship, coach_person=relationship.coach.person, actor=None
        )
    (message,) = mail.outbox
    assert message.to == [relationship.coachee.user.email]
    assert "suggest someone else" in message.body


@pytest.mark.django_db
def test_stale_relationship_email_is_not_sent():
    from coaching import notifications

    relationship = CoachingRelationshipFactory(status=RelationshipStatus.ACTIVE)
    assert notifications.relationship_email(relationship.pk, "offered") is None  # Already answered.


def _ics(message) -> Calendar:
    (attachment,) = message.attachments
    assert attachment[0] == "invitation.ics"
    return Calendar.from_ical(attachment[1])


@pytest.mark.django_db
def test_added_coach_gets_an_invitation_and_cancel_sends_cancellations(django_capture_on_commit_callbacks):
    session = SupervisionSessionFactory(joining_details="Teams link in the invitation")
    coaches = [CoachProfileFactory(person=PersonFactory(region=session.region)) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        for coach in coaches:
            services.supervision_add_attendee(session=session, profile=coach, actor=None)
    assert [m.to for m in mail.outbox] == [[c.person.user.email] for c in coaches]
    invitation = _ics(mail.outbox[0])
    assert invitation["method"] == "REQUEST"
    (event,) = invitation.walk("VEVENT")
    assert event["dtstart"].dt == session.starts_at.replace(microsecond=0)
    assert "Teams link" in str(event["location"])

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.supervision_cancel(session=session, actor=None)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.person.user.email for c in coaches)
    cancellation = _ics(mail.outbox[0])
    assert cancellation["method"] == "CANCEL"
    assert next(iter(cancellation.walk("VEVENT")))["uid"] == event["uid"]


@pytest.mark.django_db
def test_removed_coach_gets_a_cancellation(django_capture_on_commit_callbacks):
    session = SupervisionSessionFactory()
    coach = CoachProfileFactory(person=PersonFactory(region=session.region))
    attendee = services.supervision_add_attendee(session=session, profile=coach, actor=None)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.supervision_remove_attendee(attendee=attendee, actor=None)
    (message,) = mail.outbox
    assert "removed" in message.subject
    assert _ics(message)["method"] == "CANCEL"
